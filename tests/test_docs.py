"""The docs cannot drift from the code (as sqlite-utils' test_docs.py does it).

- Every option ``make-report --help`` lists is in the README's option table,
  with the same placeholder, and the table lists no option the command lacks;
  every format is named there. The docs site shows the same table (a snippet
  of the README), and every option is also explained in the docs' own words.
- Every JSON snapshot field is described on docs/json-snapshot.md, in the row
  of the part it belongs to, and the page gives the schema version.
- The architecture page names every layer of pyproject's import-linter
  contract, in order, and every package of the tree.
- The README stays a front page (at most about 6 KB) whose links lead
  somewhere, and the pictures in docs/images are the ones the pages show.

The strict MkDocs build (broken links and anchors, pages missing from the
nav) runs in ``make test``.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest
from factories import REPO
from snapshot_fields import SCHEMA_VERSION, SNAPSHOT_FIELDS

from wfs_reports.cli import build_parser
from wfs_reports.render.formats import DEFAULT_FORMATS, FORMATS

README = (REPO / "README.md").read_text(encoding="utf-8")
DOCS = REPO / "docs"
PAGES = {path.name: path.read_text(encoding="utf-8") for path in sorted(DOCS.glob("*.md"))}
FLAG = re.compile(r"(?<![\w-])--?[a-z][a-z-]*")
LINK = re.compile(r"\]\(([^)\s]+)\)")


def table_after(text: str, marker: str) -> list[list[str]]:
    """The rows (cells stripped) of the first Markdown table after ``marker``."""
    lines = [line.strip() for line in text[text.index(marker):].splitlines()]
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


def mentions(text: str, option: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", text) is not None


# -- the options -----------------------------------------------------------------

OPTION_TABLE = table_after(README, "| option | meaning |")
OPTION_CELLS = [" ".join(code_spans(row[0])) for row in OPTION_TABLE]


def test_the_help_is_parsed():
    # Otherwise the tests below would check nothing.
    shown, positional = help_options()
    assert "--out FOLDER" in shown and "--help" in shown and "--version" in shown
    assert positional == ["workbook"]
    assert len(OPTION_TABLE) >= 10


@pytest.mark.parametrize("option", help_options()[0])
def test_every_option_of_the_help_is_in_the_readme_table(option):
    assert any(mentions(cell, option) for cell in OPTION_CELLS), (
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


def test_the_docs_show_the_readmes_option_table():
    """docs/command-line.md includes the README's table, between its markers."""
    section = re.search(r"<!-- --8<-- \[start:options\] -->\n(.*?)<!-- --8<-- \[end:options\] -->",
                        README, re.DOTALL)
    assert section is not None and "| option | meaning |" in section.group(1)
    assert '--8<-- "README.md:options"' in PAGES["command-line.md"]


@pytest.mark.parametrize("option", help_options()[0])
def test_every_option_is_explained_in_the_docs(option):
    """Beyond the table: each option, with its placeholder, in the docs' own words."""
    where = [name for name, text in PAGES.items() if mentions(text, option)]
    assert where, f"no page in docs/ explains `{option}` (as make-report --help shows it)"


# -- the JSON snapshot -----------------------------------------------------------

JSON_PAGE = PAGES["json-snapshot.md"]
JSON_TABLE = table_after(JSON_PAGE, "## Fields")
JSON_ROWS = {row[0].strip("`"): " ".join(code_spans(row[1])) for row in JSON_TABLE}


def page_row(place: str) -> str:
    """The row that describes the fields at ``place`` (a SNAPSHOT_FIELDS key): the
    actions and their due dates have a row of their own, the rest are described
    in the row of their top-level field."""
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
    described = set(re.findall(r"[a-z][a-z_0-9]*", JSON_ROWS[page_row(place)]))
    missing = [key for key in SNAPSHOT_FIELDS[place] if key not in described]
    assert missing == [], f"docs/json-snapshot.md's `{page_row(place)}` row lacks {missing}"


def test_the_json_page_gives_the_schema_version():
    assert f"`schema_version` is `{SCHEMA_VERSION}`" in JSON_PAGE
    assert JSON_ROWS["schema_version"].split()[0] == str(SCHEMA_VERSION)


def test_the_sample_snapshot_in_the_docs_has_todays_fields():
    """docs/examples/sample-snapshot.json (make docs-pictures) is a snapshot of this version."""
    sample = json.loads((DOCS / "examples" / "sample-snapshot.json").read_text(encoding="utf-8"))
    assert list(sample) == SNAPSHOT_FIELDS[""]
    assert sample["schema_version"] == SCHEMA_VERSION
    action = sample["recommendations"][0]["actions"][0]
    assert list(action) == SNAPSHOT_FIELDS["recommendations[].actions[]"]


# -- the architecture ------------------------------------------------------------

ARCHITECTURE = PAGES["architecture.md"]


def test_the_architecture_page_lists_the_layers_of_the_contract_in_order():
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    (contract,) = [c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers"]
    layers = [[name.strip() for name in layer.split("|")] for layer in contract["layers"]]
    table = table_after(ARCHITECTURE, "| layer | package |")
    assert [code_spans(row[1]) for row in table] == layers


def test_the_architecture_page_names_every_package():
    package = REPO / "wfs_reports"
    names = sorted(path.parent.name for path in package.glob("*/__init__.py"))
    assert len(names) >= 8
    missing = [name for name in names if f"wfs_reports.{name}" not in ARCHITECTURE]
    assert missing == [], f"docs/architecture.md does not name wfs_reports.{missing}"


# -- the README and the pages ----------------------------------------------------


def test_the_readme_is_a_front_page():
    assert len(README.encode("utf-8")) <= 6 * 1024, "README.md: move the detail into docs/"
    for command in ("make report", "make test", "py -m pip install ."):
        assert command in README


@pytest.mark.parametrize("name", ["README.md", "CONTRIBUTING.md"])
def test_the_links_of_the_readme_and_contributing_lead_somewhere(name):
    text = (REPO / name).read_text(encoding="utf-8")
    targets = [link.split("#", 1)[0] for link in LINK.findall(text)
               if not re.match(r"[a-z]+:", link)]
    assert targets, f"{name} links nowhere"
    assert [t for t in targets if not (REPO / t).exists()] == []


def test_the_readme_links_to_every_page():
    linked = {Path(link.split("#", 1)[0]).name for link in LINK.findall(README)
              if link.startswith("docs/")}
    assert set(PAGES) - linked == set(), "README.md's Documentation list lacks a page"


def test_every_picture_is_shown_and_every_picture_shown_exists():
    shown = {Path(link).name for text in PAGES.values() for link in LINK.findall(text)
             if link.startswith("images/")}
    drawn = {path.name for path in (DOCS / "images").glob("*.png")}
    assert shown and shown == drawn
