"""Safe file names (wfs_reports.domain.filenames): valid on Windows and Linux, never clashing."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wfs_reports.domain.filenames import MAX_STEM, safe_stem

WINDOWS_FORBIDDEN = set('<>:"/\\|?*') | {chr(c) for c in range(32)}
DEVICES = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)),
           *(f"LPT{i}" for i in range(10))}


@pytest.mark.parametrize(("text", "stem"), [
    ("Francesca Okosi", "Francesca Okosi"),
    ('a/b\\c:d*e?f"g<h>i|j', "a b c d e f g h i j"),
    ("CON", "CON_"),
    ("con", "con_"),
    ("Aux.docx", "Aux_.docx"),
    ("COM1", "COM1_"),
    ("COM10", "COM10"),
    ("...hidden", "hidden"),
    ("trailing. . .", "trailing"),
    ("", "Owner"),
    ("???", "Owner"),
    ("tab\tand\nnewline", "tab and newline"),
])
def test_names(text, stem):
    assert safe_stem(text) == stem


def test_long_names_are_cut_at_a_word():
    stem = safe_stem("Head of " + "Workforce Planning " * 20)
    assert len(stem) <= MAX_STEM
    assert stem.endswith(("Workforce", "Planning"))


def test_names_taken_ignore_case_as_windows_does():
    taken: set[str] = set()
    assert [safe_stem(t, taken) for t in ("Team", "TEAM", "team", "Team (2)")] == [
        "Team", "TEAM (2)", "team (3)", "Team (2) (2)"]


@given(st.text(max_size=300))
def test_any_text_gives_a_name_windows_and_linux_accept(text):
    stem = safe_stem(text)
    assert stem and len(stem) <= MAX_STEM + 1
    assert not set(stem) & WINDOWS_FORBIDDEN
    assert stem == stem.strip(" .") or stem.endswith("_")
    assert stem.split(".")[0].rstrip().upper() not in DEVICES
    assert len(f"{stem}.docx".encode()) < 255
