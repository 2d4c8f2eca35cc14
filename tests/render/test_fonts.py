"""Welsh, Arabic, Bengali, CJK and emoji render from the bundled fonts, and only from them.

The PDF must look the same, and have the same bytes, on any computer: every
glyph comes from templates/fonts and is embedded; none is replaced.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import subprocess
import zipfile

import openpyxl
import pypdf
import pytest
from factories import (
    ACTION_HEADERS,
    MAKE_REPORT,
    RECOMMENDATION_HEADERS,
    action,
    pdf_text,
    squash,
)
from fontTools.ttLib import TTFont

from wfs_reports.config import bundled_templates

TEMPLATES = bundled_templates()  # installed: proves the wheel carries the fonts
FONTS = TEMPLATES / "fonts"
TEMPLATE = (TEMPLATES / "report.typ").read_text(encoding="utf-8")

SCRIPTS = {
    "Welsh": "Gwasanaeth Iechyd: ŵ ŷ Ŵ Ŷ ẁ ẃ ẅ ỳ, Mae’r bwrdd yn cytuno",
    "Arabic": "خطة العمل للقوى العاملة في القطاع الصحي",
    "Chinese": "劳动力短缺行动计划；医疗卫生",
    "Japanese": "人材不足への行動計画です。カタカナ ひらがな",
    "Korean": "인력 부족 실행 계획",
    "Bengali": "কর্মী সংকট কর্ম পরিকল্পনা",
    "Emoji": "😀 👍🏽 ❤️ 🚑 🏥 ✅ 👩‍⚕️ 🇬🇧",
}
# The bundled family each script must come from (Welsh: Liberation Sans itself).
SCRIPT_FAMILY = {
    "Welsh": "Liberation Sans",
    "Arabic": "Noto Sans Arabic",
    "Chinese": "Droid Sans Fallback",
    "Japanese": "Droid Sans Fallback",
    "Korean": "Droid Sans Fallback",
    "Bengali": "Noto Sans Bengali",
    "Emoji": "Noto Emoji",
}
# Characters that take no glyph of their own: joiners and variation selectors.
INVISIBLE = {"\u200d", "\ufe0e", "\ufe0f"}


def font_files() -> list:
    return sorted(p for p in FONTS.iterdir() if p.suffix.lower() in (".ttf", ".otf"))


def family(path) -> str:
    with TTFont(path, lazy=True) as font:
        return font["name"].getBestFamilyName()


def stack() -> list[str]:
    """The font fallback stack of report.typ (its `fonts` line)."""
    found = re.search(r"#let fonts = \(([^)]*)\)", TEMPLATE)
    assert found, "report.typ has no `#let fonts = (...)` line"
    return re.findall(r'"([^"]+)"', found.group(1))


_cmaps: dict[str, dict[int, str]] = {}


def cmap(name: str) -> dict[int, str]:
    if name not in _cmaps:
        _cmaps[name] = TTFont(FONTS / name, lazy=True).getBestCmap()
    return _cmaps[name]


def regular_file(name: str) -> str:
    return next(p.name for p in font_files()
                if family(p) == name and not re.search(r"Bold|Italic", p.name))


# --------------------------------------------------------------------------
# The files and the template


def test_every_bundled_family_is_in_the_template_stack_and_licensed():
    families = {family(p) for p in font_files()}
    assert stack()[0] == "Liberation Sans"  # metric-compatible with Word's Arial
    assert set(stack()) == families, "each bundled family must be in report.typ's stack"
    licences = {p.name: p.read_text(encoding="utf-8") for p in FONTS.glob("LICENSE-*.txt")}
    for path in font_files():
        assert any(path.name.startswith(licence[len("LICENSE-"):-len(".txt")])
                   or path.name in text for licence, text in licences.items()), \
            f"no licence file covers {path.name}"


def test_bundled_fonts_have_a_glyph_for_every_character_of_each_script():
    for script, text in SCRIPTS.items():
        glyphs = cmap(regular_file(SCRIPT_FAMILY[script]))
        missing = [f"U+{ord(c):04X}" for c in text
                   if not c.isspace() and c not in INVISIBLE and ord(c) not in glyphs
                   and ord(c) not in cmap("LiberationSans-Regular.ttf")]
        assert missing == [], f"{script}: {missing}"


def test_arabic_has_a_bold_face_and_liberation_all_four():
    names = {p.name for p in font_files()}
    assert "NotoSansArabic-Bold.ttf" in names
    for style in ("Regular", "Bold", "Italic", "BoldItalic"):
        assert f"LiberationSans-{style}.ttf" in names


def test_everyday_characters_need_no_font_lookup_because_liberation_has_them_all():
    # typesetting.EVERYDAY skips the font check for text made only of these.
    from wfs_reports.render._typst import EVERYDAY

    for style in ("Regular", "Bold", "Italic", "BoldItalic"):
        glyphs = cmap(f"LiberationSans-{style}.ttf")
        missing = [f"U+{ord(c):04X}" for c in EVERYDAY
                   if c not in "\n\t" and ord(c) not in glyphs]
        assert missing == [], (style, missing)


# --------------------------------------------------------------------------
# The rendered PDF


def _workbook(path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Report"
    for row in (["Setting", "Value"], ["Title", "WFS Action Plan Update"],
                ["As at", dt.date(2023, 11, 22)]):
        sheet.append(row)
    recs = workbook.create_sheet("Recommendations")
    recs.append(RECOMMENDATION_HEADERS)
    recs.append([1, " / ".join(SCRIPTS.values()), SCRIPTS["Arabic"]])
    acts = workbook.create_sheet("Actions")
    acts.append(ACTION_HEADERS)
    for script, text in SCRIPTS.items():
        acts.append(action(1, f"{script}: {text}", owners=text, comments=f"{text} & <b>{text}</b>"))
    workbook.save(path)
    return path


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fonts")
    workbook = _workbook(folder / "scripts.xlsx")
    out = folder / "out"
    completed = subprocess.run(
        [str(MAKE_REPORT), str(workbook), "--out", str(out), "--quiet"],
        capture_output=True, text=True, timeout=120, cwd=folder)
    assert completed.returncode == 0, completed.stderr
    return {
        "workbook": workbook,
        "out": out,
        "pdf": next(out.glob("*.pdf")),
        "docx": next(out.glob("*.docx")),
        "warnings": completed.stderr,
    }


def _pdf_fonts(path) -> dict[str, dict]:
    fonts = {}
    for page in pypdf.PdfReader(str(path)).pages:
        for ref in page["/Resources"].get("/Font", {}).values():
            font = ref.get_object()
            descendants = font.get("/DescendantFonts")
            for target in [d.get_object() for d in descendants] if descendants else [font]:
                fonts[str(target["/BaseFont"])] = target["/FontDescriptor"].get_object()
    return fonts


def test_pdf_embeds_every_font_and_only_bundled_ones(rendered):
    fonts = _pdf_fonts(rendered["pdf"])
    for name, descriptor in fonts.items():
        assert "/FontFile2" in descriptor or "/FontFile3" in descriptor, f"{name} not embedded"
    # Subset prefix "ABCDEF+", then the PostScript name of a bundled face.
    bundled = set()
    for path in font_files():
        with TTFont(path, lazy=True) as font:
            bundled.add(font["name"].getDebugName(6))
    used = {re.sub(r"^/[A-Z]{6}\+", "", name) for name in fonts}
    assert used <= bundled, used - bundled
    for name in set(SCRIPT_FAMILY.values()):
        assert any(u.startswith(name.replace(" ", "")) for u in used), f"{name} was not used"


def test_no_character_is_replaced_or_warned_about(rendered):
    # Every character of every script is in a bundled font: none is replaced.
    assert rendered["warnings"] == ""
    text = "".join(p.extract_text() for p in pypdf.PdfReader(str(rendered["pdf"])).pages)
    assert "□" not in text


def test_every_script_reads_back_from_the_pdf_and_the_word_file(rendered):
    pdf = squash(pdf_text(rendered["pdf"]), INVISIBLE)
    with zipfile.ZipFile(rendered["docx"]) as archive:
        document = archive.read("word/document.xml").decode("utf-8")
    for script, text in SCRIPTS.items():
        if script == "Arabic":  # right to left: pypdf reads the words in visual order
            assert all(word in pdf for word in text.split()), script
        elif script != "Bengali":  # its reordered vowel signs do not extract back in order
            assert squash(text, INVISIBLE) in pdf, script
        assert text.replace("&", "&amp;") in document or all(
            part in document for part in text.split()), script
    assert squash(f"{SCRIPTS['Emoji']} & <b>", INVISIBLE) in pdf


def _render_elsewhere(rendered, tmp_path, **env: str):
    """The fonts workbook's PDF made by make-report in a fresh process with ``env``."""
    out = tmp_path / "out"
    completed = subprocess.run(
        [str(MAKE_REPORT), str(rendered["workbook"]), "--out", str(out),
         "--quiet", "--format", "pdf"],
        env={**os.environ, **env}, capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )
    assert completed.returncode == 0, completed.stderr
    return next(out.glob("*.pdf"))


def test_pdf_is_the_same_on_a_computer_with_no_fonts_configured(rendered, tmp_path):
    """Fontconfig with no font folders at all: the same bytes."""
    config = tmp_path / "fonts.conf"
    config.write_text('<?xml version="1.0"?><fontconfig></fontconfig>', encoding="utf-8")
    alone = _render_elsewhere(rendered, tmp_path, FONTCONFIG_FILE=str(config))
    assert alone.read_bytes() == rendered["pdf"].read_bytes()


def _colour_emoji_font(path) -> None:
    """A tiny colour (COLR) font covering the test's emoji, as Noto Color Emoji would."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    pen = TTGlyphPen(None)
    pen.moveTo((100, 0))
    pen.lineTo((100, 700))
    pen.lineTo((700, 700))
    pen.lineTo((700, 0))
    pen.closePath()
    square = pen.glyph()
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder([".notdef", "emoji", "layer"])
    builder.setupCharacterMap({ord(c): "emoji" for c in SCRIPTS["Emoji"] if not c.isspace()})
    builder.setupGlyf({".notdef": TTGlyphPen(None).glyph(), "emoji": square, "layer": square})
    builder.setupHorizontalMetrics({".notdef": (500, 0), "emoji": (800, 100),
                                    "layer": (800, 100)})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": "Noto Emoji", "styleName": "Regular"})
    builder.setupOS2(sTypoAscender=800, sTypoDescender=-200, usWinAscent=800,
                     usWinDescent=200)
    builder.setupPost()
    builder.setupCOLR({"emoji": [("layer", 0)]})
    builder.setupCPAL([[(0.8, 0.1, 0.1, 1.0)]])
    builder.save(str(path))


def test_pdf_is_the_same_with_other_fonts_of_the_same_names_installed(rendered, tmp_path):
    """Installed fonts never take over, even ones claiming a bundled family's name
    (a colour 'Noto Emoji', another 'Liberation Sans') in the user's font folder."""
    home = tmp_path / "home"
    fonts = home / ".local" / "share" / "fonts"
    fonts.mkdir(parents=True)
    _colour_emoji_font(fonts / "ColourEmoji.ttf")
    shutil.copy(FONTS / "LiberationSans-Bold.ttf", fonts / "LiberationSans-Regular.ttf")
    pdf = _render_elsewhere(rendered, tmp_path, HOME=str(home),
                            XDG_DATA_HOME=str(home / ".local" / "share"))
    assert pdf.read_bytes() == rendered["pdf"].read_bytes()


def test_embedded_subsets_are_small(rendered):
    """Only the glyphs used are embedded: the CJK font is 3.4 MB, the PDF is not."""
    size = rendered["pdf"].stat().st_size
    assert size < 400_000, size
    reader = pypdf.PdfReader(io.BytesIO(rendered["pdf"].read_bytes()))
    assert len(reader.pages) >= 1
