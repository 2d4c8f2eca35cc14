"""Brand and rules files: contrast checked, both documents restyled."""

from __future__ import annotations

import re
import tomllib

import pytest
from factories import SAMPLE

from wfs_reports.cli import main
from wfs_reports.config import bundled_templates, load_templates
from wfs_reports.domain.colours import contrast_ratio
from wfs_reports.domain.errors import ConfigError


def test_every_shipped_rag_colour_pair_meets_4_5_to_1():
    rules = tomllib.loads((bundled_templates() / "rules.toml").read_text(encoding="utf-8"))
    for key, look in rules["rag"].items():
        background = look["fill"] or "#ffffff"
        assert contrast_ratio(look["text"], background) >= 4.5, key
    brand = load_templates().brand
    assert contrast_ratio(brand.accent_text, brand.accent) >= 4.5


def test_a_rules_file_with_unreadable_rag_text_is_refused(tmp_path, capsys, templates_copy):
    folder = templates_copy
    rules = folder / "rules.toml"
    rules.write_text(rules.read_text(encoding="utf-8").replace(
        'text = "#0b0c0c"\nmark = "▲"', 'text = "#ffffff"\nmark = "▲"'), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[rag.minor_issues\] text #ffffff on #ffdd00"):
        load_templates(folder)
    code = main([str(SAMPLE), "--templates", str(folder), "--out", str(tmp_path / "o")])
    assert code == 1
    assert "below the 4.5:1" in capsys.readouterr().err


def test_a_brand_file_with_unreadable_header_text_is_refused(templates_copy):
    folder = templates_copy
    brand = folder / "brand.toml"
    brand.write_text(brand.read_text(encoding="utf-8").replace(
        'accent_text = "#ffffff"', 'accent_text = "#3d7fd0"'), encoding="utf-8")
    with pytest.raises(ConfigError, match="accent_text #3d7fd0 on accent #005eb8"):
        load_templates(folder)


def test_changing_the_brand_file_restyles_both_documents(tmp_path, make_workbook, templates_copy):
    import docx
    import pypdf
    from factories import action

    folder = templates_copy
    brand = folder / "brand.toml"
    brand.write_text(
        brand.read_text(encoding="utf-8")
        .replace('organisation = "Tower Hamlets Together"', 'organisation = "Borough Board"')
        .replace('accent = "#005eb8"', 'accent = "#4c2c92"'),
        encoding="utf-8",
    )
    # A workbook that names no organisation takes it from the brand file.
    workbook = make_workbook([action()])
    out = tmp_path / "out"
    assert main([str(workbook), "--templates", str(folder), "--out", str(out), "--quiet"]) == 0
    document = docx.Document(str(next(out.glob("*.docx"))))
    fills = {f.lower() for t in document.tables for f in t._tbl.xpath(".//w:shd/@w:fill")}
    assert "4c2c92" in fills
    assert "Borough Board" in "\n".join(p.text for p in document.paragraphs)
    pdf = pypdf.PdfReader(str(next(out.glob("*.pdf"))))
    assert "Borough Board" in pdf.pages[0].extract_text()
    # The fill is written as r g b fractions: 0x4c/255, 0x2c/255, 0x92/255.
    content = "".join(p.get_contents().get_data().decode("latin-1") for p in pdf.pages)
    assert re.search(r"0\.29803\d* 0\.17254\d* 0\.57254\d* (scn|sc|rg)\b", content)


def _with_logo(folder, logo: str, alt: str = "Tower Hamlets Together") -> None:
    brand = folder / "brand.toml"
    brand.write_text(brand.read_text(encoding="utf-8")
                     .replace('logo = ""', f"logo = {logo!r}")
                     .replace('logo_alt = ""', f"logo_alt = {alt!r}"), encoding="utf-8")


def _png(path) -> None:
    from PIL import Image

    Image.new("RGB", (120, 40), (0, 94, 184)).save(path)


@pytest.mark.parametrize("where", ["outside", "absolute", "folder", "missing"])
def test_a_logo_that_is_not_an_image_file_in_the_templates_folder_is_one_line(
        tmp_path, capsys, where, templates_copy):
    folder = templates_copy
    _png(tmp_path / "logo.png")  # beside the templates folder, not in it
    logo = {"outside": "../logo.png", "absolute": str(tmp_path / "logo.png"),
            "folder": "fonts", "missing": "logo.png"}[where]
    _with_logo(folder, logo)
    out = tmp_path / "out"
    assert main([str(SAMPLE), "--templates", str(folder), "--out", str(out)]) == 1
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        f"error: {folder / 'brand.toml'}: logo {logo!r} must be an image file inside the "
        "templates folder"]
    assert not out.exists()


def test_a_logo_needs_its_alt_text(tmp_path, capsys, templates_copy):
    folder = templates_copy
    _png(folder / "logo.png")
    _with_logo(folder, "logo.png", alt="")
    assert main([str(SAMPLE), "--templates", str(folder), "--out", str(tmp_path / "out")]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"error: {folder / 'brand.toml'}: logo_alt is empty; describe the logo for screen "
        "readers"]


def test_a_logo_in_the_templates_folder_replaces_the_wordmark_in_word(tmp_path, templates_copy):
    import docx

    folder = templates_copy
    _png(folder / "logo.png")
    _with_logo(folder, "logo.png")
    out = tmp_path / "out"
    assert main([str(SAMPLE), "--templates", str(folder), "--out", str(out), "--format", "docx",
                 "--quiet"]) == 0
    (written,) = out.glob("*.docx")
    document = docx.Document(str(written))
    pictures = document.element.body.xpath(".//wp:docPr")
    assert [p.get("descr") for p in pictures] == ["Tower Hamlets Together"]
