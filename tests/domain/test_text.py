"""Counts in sentences: every message that counts things says it one way."""

from __future__ import annotations

import pytest

from wfs_reports.domain.text import plural


@pytest.mark.parametrize(("count", "noun", "expected"), [
    (1, "action", "1 action"),
    (0, "action", "0 actions"),
    (2, "problem", "2 problems"),
    (14, "draft email", "14 draft emails"),
    (3, "entry", "3 entries"),
    (1, "entry", "1 entry"),
])
def test_the_noun_agrees_with_its_count(count, noun, expected):
    many = "entries" if noun == "entry" else ""
    assert plural(count, noun, many) == expected
