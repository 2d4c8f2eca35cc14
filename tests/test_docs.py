"""The README cannot drift from the code (as sqlite-utils' test_docs.py does it).

Every option ``make-report --help`` lists is in the README's option table,
with the same placeholder, and the table lists no option the command lacks;
every format is named there; every JSON snapshot field is in the README's
description of the JSON, in the row of the part it belongs to.
"""

from __future__ import annotations

import re

import pytest
from factories import REPO
from snapshot_fields import SNAPSHOT_FIELDS

from wfs_reports.cli import build_parser
from wfs_reports.render.formats import DEFAULT_FORMATS, FORMATS

README = (REPO / "README.md").read_text(encoding="utf-8")
FLAG = re.compile(r"(?<![\w-])--?[a-z][a-z-]*")


def table_after(marker: str) -> list[list[str]]:
    """The rows (cells stripped) of the first Markdown table after ``marker``."""
    lines = [line.strip() for line in README[README.index(marker):].splitlines()]
    start = next(i for i, line in enumerate(lines) if line.startswith("|"))
    rows = []
    for line in lines[start + 2:]:  # after the header and its |---| line
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split(" | ")])
    return rows


def code_spans(text: str) -> list[str]:
    return re.findall(r"`([^`]+)`", text)


def help_options() -> tuple[list[str], list[str]]:
    """(the options as --help shows them, e.g. "--out FOLDER"; the positional arguments)."""
    text = build_parser().format_help()
    options = text.split("\noptions:\n", 1)[1].split("\n\n", 1)[0]
    positional = text.split("\npositional arguments:\n", 1)[1].split("\n\n", 1)[0]
    shown = []
    for line in options.splitlines():
        if line.startswith("  -"):
            signature = re.split(r"\s{2,}", line.strip(), maxsplit=1)[0]
            shown += [part.strip() for part in signature.split(", ")]
    names = [re.split(r"\s{2,}", line.strip())[0] for line in positional.splitlines()
             if re.match(r"  \S", line)]
    return shown, names


OPTION_TABLE = table_after("| option | meaning |")
OPTION_CELLS = [" ".join(code_spans(row[0])) for row in OPTION_TABLE]


def test_the_help_is_parsed():
    # Otherwise the tests below would check nothing.
    shown, positional = help_options()
    assert "--out FOLDER" in shown and "--help" in shown and "--version" in shown
    assert positional == ["workbook"]
    assert len(OPTION_TABLE) >= 10


@pytest.mark.parametrize("option", help_options()[0])
def test_every_option_of_the_help_is_in_the_readme_table(option):
    pattern = re.compile(rf"(?<![\w-]){re.escape(option)}(?![\w-])")
    assert any(pattern.search(cell) for cell in OPTION_CELLS), (
        f"README.md's option table lacks `{option}` (as make-report --help shows it)")


def test_the_positional_workbook_is_in_the_readme_table():
    for name in help_options()[1]:
        assert name.upper() in OPTION_CELLS


def test_the_readme_table_lists_no_option_the_command_lacks():
    flags = {FLAG.match(part).group() for part in help_options()[0]}
    in_readme = {flag for cell in OPTION_CELLS for flag in FLAG.findall(cell)}
    assert in_readme - flags == set()


def test_the_format_row_names_every_format_and_the_default():
    (row,) = [row for row in OPTION_TABLE if row[0].startswith("`--format")]
    named = {name for span in code_spans(row[1]) for name in span.split(",")}
    assert set(FORMATS) <= named, f"--format row lacks {set(FORMATS) - named}"
    assert ",".join(DEFAULT_FORMATS) in code_spans(row[1])


# -- the JSON snapshot -------------------------------------------------------------

JSON_TABLE = table_after("reports over time. Its fields:")
JSON_ROWS = {row[0].strip("`"): " ".join(code_spans(row[1])) for row in JSON_TABLE}


def readme_row(place: str) -> str:
    """The README row that describes the fields at ``place`` (a SNAPSHOT_FIELDS key):
    the actions and their due dates have a row of their own, the rest are
    described in the row of their top-level field."""
    if place.startswith("recommendations[].actions[]"):
        return "actions[]"
    top = place.split(".", 1)[0]
    return top if top in JSON_ROWS else top.removesuffix("[]")


def test_every_top_level_field_has_a_row():
    rows = {name.removesuffix("[]") for name in JSON_ROWS}
    assert [key for key in SNAPSHOT_FIELDS[""] if key not in rows] == []
    assert rows - set(SNAPSHOT_FIELDS[""]) - {"actions"} == set(), "a row for no field"


@pytest.mark.parametrize("place", [place for place in SNAPSHOT_FIELDS if place])
def test_every_json_field_is_described_where_it_belongs(place):
    described = set(re.findall(r"[a-z][a-z_0-9]*", JSON_ROWS[readme_row(place)]))
    missing = [key for key in SNAPSHOT_FIELDS[place] if key not in described]
    assert missing == [], f"README.md's `{readme_row(place)}` row lacks {missing} ({place})"
