"""Make the pictures in docs/images (and docs/examples/sample-snapshot.json)
from the sample workbook, so the docs show what make-report does today.

    python tools/docs_pictures.py [--out docs/images] [--workbook input/action_plan.xlsx]

Run by ``make docs-pictures``; commit the PNGs it writes. It runs the installed
make-report (as an officer would) on the workbook into a temporary folder and
draws:

- ``workbook-<sheet>.png``: the Report, Recommendations and Actions sheets as
  Excel shows them (column letters, row numbers, the header row, the sheet
  tabs), drawn with Pillow from the cells openpyxl reads;
- ``check.png``: what ``make-report --check`` prints for the workbook;
- ``report-<part>.png``: pages of the PDF report (the first page, the
  exceptions, the first recommendation), found by their text and rendered at
  70 dpi with pypdfium2, or with poppler's pdftoppm when pypdfium2 is missing;

and copies the run's JSON snapshot to ``docs/examples/sample-snapshot.json``.

The pictures are small palette PNGs (a few tens of KB each): they illustrate,
the PDF itself is the reference.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import textwrap

import openpyxl
from PIL import Image, ImageDraw, ImageFont

ROOT = pathlib.Path(__file__).resolve().parent.parent
FONTS = ROOT / "templates" / "fonts"
MONO_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationMono-Regular.ttf",
    "C:/Windows/Fonts/consola.ttf",
    "/System/Library/Fonts/Menlo.ttc",
)
DPI = 70
# Sheets drawn, with how many rows (header included) and the widest column in characters.
SHEETS = {"Report": (9, 60), "Recommendations": (6, 44), "Actions": (8, 30)}
# The PDF pages shown: a picture name and a text that finds the page (the first one holding it).
PAGES = {
    "report-first-page": None,  # page 1
    "report-exceptions": "Exceptions",
    "report-recommendation": "Action Owner(s)",  # the first action table
}

GRID = (212, 212, 212)
HEAD = (242, 242, 242)
INK = (32, 32, 32)
GREY = (96, 96, 96)


def make_report() -> pathlib.Path:
    """The installed make-report beside this Python (the one make installs into .venv)."""
    beside = pathlib.Path(sys.executable).with_name("make-report")
    found = beside if beside.exists() else shutil.which("make-report")
    if not found:
        sys.exit("make-report is not installed: run make .venv/.installed first")
    return pathlib.Path(found)


def font(size: int, *, bold: bool = False, mono: bool = False) -> ImageFont.FreeTypeFont:
    if mono:
        for candidate in MONO_CANDIDATES:
            if pathlib.Path(candidate).exists():
                return ImageFont.truetype(candidate, size)
    name = "LiberationSans-Bold.ttf" if bold else "LiberationSans-Regular.ttf"
    return ImageFont.truetype(str(FONTS / name), size)


def save(image: Image.Image, path: pathlib.Path) -> None:
    """A palette PNG: the pictures have few colours, so this keeps them small."""
    image.convert("RGB").quantize(colors=64, method=Image.Quantize.MEDIANCUT).save(
        path, optimize=True)
    print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


# ------------------------------------------------------------------ the workbook


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y")
    return str(value)


def wrap(text: str, width: int, lines: int) -> list[str]:
    wrapped = [part for paragraph in text.splitlines() or [""]
               for part in (textwrap.wrap(paragraph, width) or [""])]
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = wrapped[-1][: max(width - 1, 1)].rstrip() + "…"
    return wrapped


def draw_sheet(book: openpyxl.Workbook, name: str, rows: int, widest: int) -> Image.Image:
    sheet = book[name]
    regular, bold, small = font(12), font(12, bold=True), font(11)
    char = 6.4  # pixels per character of Excel's column width, at this type size
    line = 16
    columns = list(sheet.iter_cols(min_row=1, max_row=min(rows, sheet.max_row)))
    widths = [int(min(sheet.column_dimensions[col[0].column_letter].width or 10, widest) * char)
              + 10 for col in columns]
    gutter, head = 34, 20
    table = [[cell_text(cell.value) for cell in row]
             for row in sheet.iter_rows(min_row=1, max_row=min(rows, sheet.max_row))]
    wrapped = [[wrap(text, int((w - 10) / char), 3) for text, w in zip(row, widths, strict=True)]
               for row in table]
    heights = [max(len(cell) for cell in row) * line + 8 for row in wrapped]
    tabs_height = 26
    width = gutter + sum(widths) + 1
    height = head + sum(heights) + tabs_height + 1
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    # column letters and row numbers, as Excel shows them
    draw.rectangle([0, 0, width, head], fill=HEAD)
    draw.rectangle([0, 0, gutter, height - tabs_height], fill=HEAD)
    x = gutter
    for col, w in zip(columns, widths, strict=True):
        draw.text((x + w / 2, head / 2), col[0].column_letter, font=small, fill=GREY,
                  anchor="mm")
        x += w
        draw.line([x, 0, x, height - tabs_height], fill=GRID)
    y = head
    for number, (row, h) in enumerate(zip(wrapped, heights, strict=True), start=1):
        draw.text((gutter / 2, y + 10), str(number), font=small, fill=GREY, anchor="mm")
        x = gutter
        for cell, w, source in zip(row, widths, sheet[number], strict=True):
            fill = source.fill.fgColor.rgb if source.fill and source.fill.fill_type else None
            if isinstance(fill, str) and len(fill) == 8:
                draw.rectangle([x + 1, y + 1, x + w - 1, y + h - 1], fill="#" + fill[2:])
            for i, text in enumerate(cell):
                draw.text((x + 5, y + 4 + i * line), text, font=bold if source.font.b else regular,
                          fill=INK)
            x += w
        y += h
        draw.line([0, y, gutter + sum(widths), y], fill=GRID)
    # the sheet tabs, this one chosen
    x = 8
    for tab in book.sheetnames:
        label_width = int(draw.textlength(tab, font=small)) + 18
        chosen = tab == name
        draw.rectangle([x, y + 2, x + label_width, y + tabs_height - 4],
                       fill="white" if chosen else HEAD, outline=GRID)
        draw.text((x + 9, y + tabs_height / 2 - 1), tab, font=bold if chosen else small,
                  fill=(16, 124, 65) if chosen else GREY, anchor="lm")
        x += label_width + 4
    return image


# ------------------------------------------------------------------ the console


def draw_console(text: str, command: str) -> Image.Image:
    mono = font(13, mono=True)
    lines = [f"> {command}", *text.rstrip("\n").splitlines()]
    line = 18
    width = int(max(ImageDraw.Draw(Image.new("RGB", (1, 1))).textlength(t, font=mono)
                    for t in lines)) + 28
    image = Image.new("RGB", (width, len(lines) * line + 24), (30, 30, 30))
    draw = ImageDraw.Draw(image)
    for i, text in enumerate(lines):
        colour = (120, 200, 255) if i == 0 else (230, 230, 230)
        draw.text((14, 12 + i * line), text, font=mono, fill=colour)
    return image


# ------------------------------------------------------------------ the PDF


def pdf_pages(pdf: pathlib.Path) -> tuple[list[str], callable]:
    """The text of each page, and a function rendering page i (0-based) at DPI."""
    try:
        import pypdfium2
    except ImportError:
        pypdfium2 = None
    if pypdfium2 is not None:
        document = pypdfium2.PdfDocument(str(pdf))
        texts = [page.get_textpage().get_text_range() for page in document]

        def render(index: int) -> Image.Image:
            return document[index].render(scale=DPI / 72).to_pil()

        return texts, render
    if shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None:
        sys.exit("neither pypdfium2 (pip install '.[docs]') nor poppler's pdftoppm is here")
    whole = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                           capture_output=True, text=True).stdout
    texts = whole.split("\f")

    def render(index: int) -> Image.Image:
        stem = pdf.with_name(f"page-{index}")
        subprocess.run(["pdftoppm", "-png", "-r", str(DPI), "-f", str(index + 1), "-l",
                        str(index + 1), "-singlefile", str(pdf), str(stem)], check=True)
        return Image.open(f"{stem}.png")

    return texts, render


def frame(page: Image.Image) -> Image.Image:
    """A thin border, so a white page stands out on a white web page."""
    framed = Image.new("RGB", (page.width + 2, page.height + 2), (160, 160, 160))
    framed.paste(page.convert("RGB"), (1, 1))
    return framed


# ------------------------------------------------------------------ main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=pathlib.Path, default=ROOT / "docs" / "images")
    parser.add_argument("--examples", type=pathlib.Path, default=ROOT / "docs" / "examples")
    parser.add_argument("--workbook", type=pathlib.Path,
                        default=ROOT / "input" / "action_plan.xlsx")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    command = make_report()

    book = openpyxl.load_workbook(args.workbook)
    for name, (rows, widest) in SHEETS.items():
        save(draw_sheet(book, name, rows, widest), args.out / f"workbook-{name.lower()}.png")

    check = subprocess.run([str(command), "--check", args.workbook.name], cwd=args.workbook.parent,
                           capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"})
    save(draw_console(check.stdout + check.stderr, f"make-report --check {args.workbook.name}"),
         args.out / "check.png")

    with tempfile.TemporaryDirectory() as folder:
        out = pathlib.Path(folder)
        subprocess.run([str(command), str(args.workbook), "--out", str(out), "--format", "pdf,json",
                        "--templates", str(ROOT / "templates"), "--no-previous", "--quiet"],
                       check=True)
        (pdf,) = out.glob("*.pdf")
        (snapshot,) = out.glob("*.json")
        args.examples.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(snapshot, args.examples / "sample-snapshot.json")
        print(f"wrote {args.examples / 'sample-snapshot.json'}")
        texts, render = pdf_pages(pdf)
        for picture, marker in PAGES.items():
            index = 0 if marker is None else next(
                (i for i, text in enumerate(texts) if marker in text), None)
            if index is None:
                sys.exit(f"no page of {pdf.name} says {marker!r}: update PAGES in {__file__}")
            save(frame(render(index)), args.out / f"{picture}.png")


if __name__ == "__main__":
    main()
