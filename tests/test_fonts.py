"""Welsh, Arabic, Bengali, CJK and emoji render from the bundled fonts, and only from them.

The PDF must look the same, and have the same bytes, on any computer: every
glyph comes from templates/fonts, is embedded, and none is a .notdef box.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import re
import subprocess
import sys
import zipfile

import openpyxl
import pypdf
import pytest
from conftest import ACTION_HEADERS, RECOMMENDATION_HEADERS, action
from fontTools.ttLib import TTFont

from wfs_reports.cli import main
from wfs_reports.resources import bundled_templates

TEMPLATES = bundled_templates()  # installed: proves the wheel carries the fonts
FONTS = TEMPLATES / "fonts"
CSS = (TEMPLATES / "report.css").read_text(encoding="utf-8")

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
    "Welsh": "WFS Liberation Sans",
    "Arabic": "WFS Noto Sans Arabic",
    "Chinese": "WFS Droid Sans Fallback",
    "Japanese": "WFS Droid Sans Fallback",
    "Korean": "WFS Droid Sans Fallback",
    "Bengali": "WFS Noto Sans Bengali",
    "Emoji": "WFS Noto Emoji",
}
# Characters that take no glyph of their own: joiners and variation selectors.
INVISIBLE = {"\u200d", "\ufe0e", "\ufe0f"}


def font_faces() -> list[dict[str, str]]:
    faces = []
    for body in re.findall(r"@font-face\s*\{([^}]*)\}", CSS):
        face = dict(re.findall(r"([a-z-]+)\s*:\s*([^;]+);", body))
        faces.append({
            "family": face["font-family"].strip().strip('"'),
            "file": re.search(r'url\("fonts/([^"]+)"\)', face["src"]).group(1),
            "weight": face.get("font-weight", "normal").strip(),
            "style": face.get("font-style", "normal").strip(),
        })
    return faces


def stacks() -> list[list[str]]:
    """Every font-family list in report.css outside @font-face rules."""
    outside = re.sub(r"@font-face\s*\{[^}]*\}", "", CSS)
    return [
        [name.strip().strip('"') for name in value.split(",")]
        for value in re.findall(r"font-family\s*:\s*([^;]+);", outside)
    ]


_cmaps: dict[str, dict[int, str]] = {}


def cmap(file: str) -> dict[int, str]:
    if file not in _cmaps:
        _cmaps[file] = TTFont(FONTS / file, lazy=True).getBestCmap()
    return _cmaps[file]


def regular_file(family: str) -> str:
    return next(f["file"] for f in font_faces()
                if f["family"] == family and f["weight"] == "normal" and f["style"] == "normal")


# --------------------------------------------------------------------------
# The files and the CSS


def test_every_bundled_font_is_declared_under_its_own_family_and_licensed():
    faces = font_faces()
    declared = {f["file"] for f in faces}
    shipped = {p.name for p in FONTS.iterdir() if p.suffix.lower() in (".ttf", ".otf")}
    assert declared == shipped, "each font file needs an @font-face rule, and each rule a file"
    licences = {p.name: p.read_text(encoding="utf-8") for p in FONTS.glob("LICENSE-*.txt")}
    for face in faces:
        # An installed font of the same family name would be preferred to ours.
        assert face["family"].startswith("WFS "), face
        name = face["file"]
        assert any(name.startswith(licence[len("LICENSE-"):-len(".txt")]) or name in text
                   for licence, text in licences.items()), f"no licence file covers {name}"
    families = {f["family"] for f in faces}
    assert len(stacks()) >= 2  # the page text (html) and the page-number margin box
    for stack in stacks():
        assert stack[0] == "WFS Liberation Sans", stack  # metric-compatible with Word's Arial
        assert stack[-1] == "sans-serif", stack
        assert set(stack[:-1]) == families, stack


def test_bundled_fonts_have_a_glyph_for_every_character_of_each_script():
    for script, text in SCRIPTS.items():
        family = SCRIPT_FAMILY[script]
        glyphs = cmap(regular_file(family))
        missing = [f"U+{ord(c):04X}" for c in text
                   if not c.isspace() and c not in INVISIBLE and ord(c) not in glyphs
                   and ord(c) not in cmap("LiberationSans-Regular.ttf")]
        assert not missing, f"{script}: {family} lacks {missing}"


def test_arabic_has_a_bold_face_and_liberation_all_four():
    styles = {(f["family"], f["weight"], f["style"]) for f in font_faces()}
    assert ("WFS Noto Sans Arabic", "bold", "normal") in styles
    for weight in ("normal", "bold"):
        for style in ("normal", "italic"):
            assert ("WFS Liberation Sans", weight, style) in styles


# --------------------------------------------------------------------------
# The rendered PDF


class _Warnings(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


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
    collector = _Warnings()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collector)
    try:
        assert main([str(workbook), "--out", str(out), "--quiet"]) == 0
    finally:
        logger.removeHandler(collector)
    return {
        "workbook": workbook,
        "out": out,
        "pdf": next(out.glob("*.pdf")),
        "docx": next(out.glob("*.docx")),
        "warnings": collector.messages,
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
        # Subset prefix "ABCDEF+", then the family as WeasyPrint names it.
        assert re.fullmatch(r"/[A-Z]{6}\+WFS-.+", name), f"{name} is not a bundled font"
    used = {re.sub(r"^/[A-Z]{6}\+", "", name) for name in fonts}
    for family in set(SCRIPT_FAMILY.values()):
        assert family.replace(" ", "-") in used, f"{family} was not used"


def test_no_character_is_drawn_as_a_notdef_box(rendered):
    # WeasyPrint warns for each character no font could draw.
    notdef = [m for m in rendered["warnings"] if ".notdef" in m]
    assert notdef == []


def _squash(text: str) -> str:
    return "".join(c for c in text if not c.isspace() and c not in INVISIBLE)


def test_every_script_reads_back_from_the_pdf_and_the_word_file(rendered):
    pdf = _squash("".join(p.extract_text() for p in pypdf.PdfReader(str(rendered["pdf"])).pages))
    with zipfile.ZipFile(rendered["docx"]) as archive:
        document = archive.read("word/document.xml").decode("utf-8")
    for script, text in SCRIPTS.items():
        if script != "Bengali":  # its reordered vowel signs do not extract back in order
            assert _squash(text) in pdf, script
        assert text.replace("&", "&amp;") in document or all(
            part in document for part in text.split()), script
    assert _squash(f"{SCRIPTS['Emoji']} & <b>") in pdf


def _render_with_fontconfig(rendered, tmp_path, fontconfig: str, *args: str):
    """The fonts workbook's PDF made by make-report in a fresh process whose
    Fontconfig reads only ``fontconfig`` (the body of a fonts.conf)."""
    config = tmp_path / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        f"<fontconfig><cachedir>{tmp_path / 'cache'}</cachedir>{fontconfig}</fontconfig>\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    env = dict(os.environ, FONTCONFIG_FILE=str(config), PYTHONWARNINGS="ignore")
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    completed = subprocess.run(
        [sys.executable, "-m", "wfs_reports.cli", str(rendered["workbook"]), "--out", str(out),
         "--quiet", *args],
        env=env, capture_output=True, text=True, timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    return next(out.glob("*.pdf"))


def test_pdf_is_the_same_on_a_computer_with_no_fonts_installed(rendered, tmp_path):
    """Fontconfig with no font folders: only the bundled fonts exist. Same bytes."""
    alone = _render_with_fontconfig(rendered, tmp_path, "")
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
    builder.setupNameTable({"familyName": "Test Color Emoji", "styleName": "Regular"})
    builder.setupOS2(sTypoAscender=800, sTypoDescender=-200, usWinAscent=800,
                     usWinDescent=200)
    builder.setupPost()
    builder.setupCOLR({"emoji": [("layer", 0)]})
    builder.setupCPAL([[(0.8, 0.1, 0.1, 1.0)]])
    builder.save(str(path))


def test_pdf_is_the_same_on_a_computer_with_a_colour_emoji_font(rendered, tmp_path):
    """A colour emoji font installed (as Noto Color Emoji on many desktops) must not
    take over from the bundled one: Fontconfig's usual rules ask for colour for
    emoji, as Debian's 60-generic.conf does; the PDF must not change."""
    fonts = tmp_path / "colour-fonts"
    fonts.mkdir()
    _colour_emoji_font(fonts / "TestColorEmoji.ttf")
    pdf = _render_with_fontconfig(
        rendered, tmp_path,
        f"<dir>{fonts}</dir>"
        '<match><test name="lang"><string>und-zsye</string></test>'
        '<edit name="color" mode="append"><bool>true</bool></edit></match>'
        '<alias binding="same"><family>emoji</family><prefer><family>Test Color Emoji'
        "</family></prefer></alias>",
        "--format", "pdf",
    )
    fonts_used = list(_pdf_fonts(pdf))
    assert not [name for name in fonts_used if "Test" in name], fonts_used
    assert pdf.read_bytes() == rendered["pdf"].read_bytes()


def test_embedded_subsets_are_small(rendered):
    """Only the glyphs used are embedded: the CJK font is 3.4 MB, the PDF is not."""
    size = rendered["pdf"].stat().st_size
    assert size < 400_000, size
    reader = pypdf.PdfReader(io.BytesIO(rendered["pdf"].read_bytes()))
    assert len(reader.pages) >= 1
