"""The Word templates in templates/ are the source of truth; the builders in
tools/ are how developers make them afresh (docs/restyling.md).

Comms staff restyle templates/report.docx and templates/update_request.docx
in Word, so the shipped files are not byte for byte the builders' output. What
they must keep is what the renderer needs: every Jinja tag the builder writes
(in one piece, as docxtpl reads it) and every style the builder's template
uses, by name (the renderer colours Heading 1, Wordmark, Table Heading...
from brand.toml). So a tag added to a builder, such as the Progress over time
section, is still caught when the shipped template lacks it.
"""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TAG = re.compile(r"\{[{%].*?[%}]\}", re.DOTALL)
TEMPLATES = {
    "report.docx": "build_docx_template.py",
    "update_request.docx": "build_request_template.py",
}


def parts(path: Path) -> dict[str, str]:
    """The XML parts of the document body, headers and footers, and styles."""
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()
                if name.startswith("word/") and name.endswith(".xml")}


def tags(path: Path) -> set[str]:
    """Every whole Jinja tag in the file, spacing normalised. A tag Word has split
    across runs has XML inside it and so is not found whole."""
    return {" ".join(tag.split()) for xml in parts(path).values() for tag in TAG.findall(xml)
            if "<" not in tag}


def style_names(path: Path) -> dict[str, str]:
    """Style id -> style name (lower case, as Word writes built-in ones: "heading 1")."""
    styles = parts(path)["word/styles.xml"]
    found = re.findall(r'<w:style\b[^>]*w:styleId="([^"]+)"[^>]*>\s*<w:name w:val="([^"]+)"',
                       styles)
    return {style_id: name.lower() for style_id, name in found}


def used_styles(path: Path) -> set[str]:
    """The names of the styles the document's body, headers and footers use."""
    names = style_names(path)
    ids = {found for name, xml in parts(path).items() if name != "word/styles.xml"
           for found in re.findall(r'<w:(?:pStyle|rStyle|tblStyle) w:val="([^"]+)"', xml)}
    return {names.get(style_id, style_id) for style_id in ids}


@pytest.fixture(scope="module", params=sorted(TEMPLATES))
def built_and_shipped(request, tmp_path_factory) -> tuple[str, Path, Path]:
    name = request.param
    built = tmp_path_factory.mktemp("built") / name
    subprocess.run([sys.executable, str(ROOT / "tools" / TEMPLATES[name]), "--output", str(built)],
                   check=True, capture_output=True, timeout=120)
    return name, built, ROOT / "templates" / name


def test_the_builder_writes_tags_and_styles(built_and_shipped):
    # Otherwise the tests below would compare empty sets.
    _name, built, _shipped = built_and_shipped
    assert len(tags(built)) >= 30
    assert {"heading 1", "wordmark", "table heading"} <= used_styles(built)


def test_the_shipped_template_has_every_tag_the_builder_writes(built_and_shipped):
    name, built, shipped = built_and_shipped
    missing = sorted(tags(built) - tags(shipped))
    assert missing == [], (
        f"templates/{name} lacks {missing}, which tools/{TEMPLATES[name]} writes: type each "
        "into the template in Word as one piece (or rebuild it with the script and restyle)")


def test_the_shipped_template_has_every_style_the_builder_uses(built_and_shipped):
    name, built, shipped = built_and_shipped
    missing = sorted(used_styles(built) - set(style_names(shipped).values()))
    assert missing == [], f"templates/{name} lacks the styles {missing}; restore them in Word"


def test_the_report_template_has_the_progress_picture():
    assert "{{ progress.picture }}" in tags(ROOT / "templates" / "report.docx")


def test_a_template_restyled_in_word_is_used_as_it_is(tmp_path, make_workbook):
    """What comms staff do: change a style and the wording around the tags, save.
    The restyled template passes the checks above and the report uses it."""
    import shutil

    from docx import Document
    from docx.shared import Pt

    from wfs_reports.cli import main

    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    template = Document(templates / "report.docx")
    template.styles["Table Text"].font.size = Pt(13)
    template.styles["Table Text"].font.name = "Georgia"
    template.save(templates / "report.docx")
    assert tags(templates / "report.docx") == tags(ROOT / "templates" / "report.docx")

    workbook = make_workbook()
    assert main([str(workbook), "--out", str(tmp_path / "out"), "--format", "docx",
                 "--templates", str(templates), "--no-previous", "--quiet"]) == 0
    (report,) = (tmp_path / "out").glob("*.docx")
    style = Document(report).styles["Table Text"]
    assert (style.font.size, style.font.name) == (Pt(13), "Georgia")
