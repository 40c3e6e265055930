"""How counts are written in what the site says."""

from __future__ import annotations

import pytest

from core.text import counted


@pytest.mark.parametrize(
    ("count", "noun", "said"),
    [
        (0, "set", "0 sets"),
        (1, "session", "1 session"),
        (2, "session", "2 sessions"),
        (11_999, "set", "11,999 sets"),
        (1_000, "session", "1,000 sessions"),
    ],
)
def test_a_count_has_its_noun_in_the_right_number_and_its_thousands_grouped(count, noun, said):
    assert counted(count, noun) == said
