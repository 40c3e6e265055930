"""HEAD is answered wherever GET is: a load balancer or an uptime check asking with HEAD
must see the page's status and headers, not a 405."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "url",
    ["/healthz", "/sw.js", "/manifest.webmanifest", "/guide/", "/ladder/", "/offline/", "/"],
)
def test_a_head_request_answers_like_get_without_a_body(client, exercise, url):
    got = client.get(url)
    head = client.head(url)
    assert got.status_code == 200
    assert head.status_code == 200
    assert head.content == b""
    assert head["Content-Type"] == got["Content-Type"]


def test_a_head_request_reads_a_signed_in_page_without_changing_anything(user_client):
    assert user_client.head(reverse("training:log")).status_code == 200
    assert user_client.head(reverse("training:sync")).status_code == 200


def test_no_view_allows_get_but_refuses_head():
    """`require_GET` (and a GET without HEAD in `require_http_methods`) answers HEAD 405."""
    offenders = []
    for path in ROOT.glob("*/**/*.py"):
        if ".venv" in path.parts or "tests" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Name) and node.id == "require_GET":
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", "") == "require_http_methods"
                and node.args
                and isinstance(node.args[0], ast.List)
            ):
                methods = {element.value for element in node.args[0].elts}
                if "GET" in methods and "HEAD" not in methods:
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []
