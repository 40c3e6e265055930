"""A cached body carries FRAME_KEYS for the frame around it: the frame may read no other
value of the page's context, or that value would be lost on every cached visit."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.template import Variable, engines
from django.template.base import FilterExpression, Node, NodeList
from django.template.defaulttags import ForNode, URLNode, WithNode
from django.template.library import SimpleNode
from django.template.loader_tags import ExtendsNode
from django.template.smartif import TokenBase
from django.test import RequestFactory
from template_partials.templatetags.partials import DefinePartialNode

from core.caching import FRAME_KEYS

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# What a view passes beside the cached parts, made for each request.
PER_REQUEST = {"coaching/timer.html": {"log_submission_id", "log_query"}}
# Kept with the timer's parts (coaching.views.timer, keep=...): not the frame's.
KEPT = {"coaching/timer.html": {"log", "status"}}


def _names(value, found: set[str]) -> None:
    if isinstance(value, FilterExpression):
        if isinstance(value.var, Variable) and value.var.lookups:
            found.add(value.var.lookups[0])
        for _filter, args in value.filters:
            for is_lookup, arg in args:
                if is_lookup and arg.lookups:  # not a number such as |add:1
                    found.add(arg.lookups[0])
    elif isinstance(value, TokenBase):  # a condition of {% if %}
        for part in (value.value, value.first, value.second):
            _names(part, found)
    elif isinstance(value, (list, tuple)) and not isinstance(value, NodeList):
        for item in value:
            _names(item, found)
    elif isinstance(value, dict):
        for item in value.values():
            _names(item, found)


def _bound(node: Node) -> set[str]:
    if isinstance(node, ForNode):
        return set(node.loopvars)
    if isinstance(node, WithNode):
        return set(node.extra_context)
    if isinstance(node, (URLNode, SimpleNode)):
        return {getattr(node, "asvar", None) or getattr(node, "target_var", None)} - {None}
    return set()


def read_outside_partials(nodelist) -> tuple[set[str], set[str]]:
    """The variables a template reads outside its partials, and the partials it defines."""
    read: set[str] = set()
    bound: set[str] = set()
    partials: set[str] = set()
    for node in nodelist:
        if isinstance(node, DefinePartialNode):
            partials.add(node.partial_name)
            continue
        for value in vars(node).values():
            _names(value, read)
        bound |= _bound(node)
        for attr in node.child_nodelists:
            child = getattr(node, attr, None)
            if child:
                inner, inner_partials = read_outside_partials(child)
                read |= inner
                partials |= inner_partials
    return read - bound, partials


def _from_processors() -> set[str]:
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    engine = engines["django"].engine
    return {key for processor in engine.template_context_processors for key in processor(request)}


def _template(name: str):
    return engines["django"].engine.get_template(name)


def _read_with_parents(name: str) -> tuple[set[str], set[str]]:
    """What `name` reads outside its partials, with what the templates it extends (short of
    base.html, the frame) read: a page may place its body through a shared parent."""
    nodelist = _template(name).nodelist
    read, partials = read_outside_partials(nodelist)
    extends = next((node for node in nodelist if isinstance(node, ExtendsNode)), None)
    parent = extends.parent_name.resolve({}) if extends else None
    if parent and parent != "base.html":
        read |= _read_with_parents(parent)[0]
    return read, partials


def cached_pages() -> dict[str, set[str]]:
    """Every page that places cached partials in its blocks, and the variables it reads
    outside them (with the frame's)."""
    frame, _ = read_outside_partials(_template("base.html").nodelist)
    pages = {}
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = path.relative_to(TEMPLATES).as_posix()
        read, partials = _read_with_parents(name)
        if read & partials:
            pages[name] = (read | frame) - partials
    return pages


def test_the_cached_pages_are_found():
    assert {
        "coaching/home.html",
        "coaching/guide.html",
        "coaching/variation_list.html",
        "coaching/variation_detail.html",
        "coaching/form_error_detail.html",
        "coaching/timer.html",
        "training/history.html",
        "training/progress.html",
    } <= set(cached_pages())


def test_the_frame_reads_from_a_cached_page_only_the_frame_keys():
    outside = _from_processors()
    for name, read in cached_pages().items():
        frame = read - outside - PER_REQUEST.get(name, set()) - KEPT.get(name, set())
        assert frame <= set(FRAME_KEYS), name


def test_every_frame_key_is_read_by_the_frame_of_some_page():
    outside = _from_processors()
    read = set().union(*cached_pages().values()) - outside
    assert set(FRAME_KEYS) <= read
