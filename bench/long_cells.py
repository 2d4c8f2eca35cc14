"""A small workbook that once exhausted the machine: five Excel cells of 32,767
characters (Excel's limit) with no space in them (issue 21 §5).

    .venv/bin/python bench/long_cells.py [--cells 5] [--length 32767]

Builds the workbook (about 130 KB), makes its PDF with the installed
make-report under /usr/bin/time -v (where there is one), and prints the wall
time and the peak memory, and whether the PDF's text is the cells' text
complete (zero-width spaces, the break opportunities the PDF adds, removed).
The target: under 30 s and 600 MB for five cells. Not a test: how long it takes
depends on the machine.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pypdf

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from factories import action, default_recommendations, write_workbook  # noqa: E402

MAKE_REPORT = Path(sys.executable).with_name("make-report")
ZERO_WIDTH_SPACE = "\u200b"


def long_text(index: int, length: int) -> str:
    """No space, no repeat short enough for a search to find by luck."""
    return "".join(random.Random(index).choices(string.ascii_letters + string.digits,
                                                k=length))


def in_order(text: str, pages: list[str]) -> bool:
    """Whether ``text`` is on the pages whole and in order: a cell that runs
    over pages is one piece per page, between the other cells' text."""
    at = 0
    for page in pages:
        start = 0
        while at < len(text):
            low, high = 0, len(text) - at  # the longest next piece on this page
            while low < high:
                middle = (low + high + 1) // 2
                if page.find(text[at:at + middle], start) >= 0:
                    low = middle
                else:
                    high = middle - 1
            if low == 0:
                break
            start = page.find(text[at:at + low], start) + low
            at += low
    return at == len(text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cells", type=int, default=5)
    parser.add_argument("--length", type=int, default=32767)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="wfs-long-cells-") as folder:
        folder = Path(folder)
        texts = [long_text(i, args.length) for i in range(args.cells)]
        workbook = write_workbook(folder / "long.xlsx",
                                  [action(1, text) for text in texts],
                                  default_recommendations(1))
        out = folder / "out"
        command = [str(MAKE_REPORT), str(workbook), "--out", str(out), "--format", "pdf",
                   "--quiet"]
        timer = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists()
                                         else None)
        if timer:
            command = [timer, "-v", *command]
        started = time.monotonic()
        done = subprocess.run(command, capture_output=True, text=True)
        wall = time.monotonic() - started
        print(f"{args.cells} cells of {args.length:,} characters, workbook "
              f"{workbook.stat().st_size / 1024:.0f} KB")
        print(f"make-report --format pdf: exit {done.returncode}, {wall:.1f} s wall")
        peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
        if peak:
            print(f"peak memory: {int(peak[1]) / 1024:.0f} MB")
        if done.returncode != 0:
            print(done.stderr[-2000:])
            return 1
        (pdf,) = out.glob("*.pdf")
        pages = ["".join(page.extract_text().split()).replace(ZERO_WIDTH_SPACE, "")
                 for page in pypdf.PdfReader(str(pdf)).pages]
        complete = all(in_order(text, pages) for text in texts)
        print(f"PDF {pdf.stat().st_size / 1024:.0f} KB, {len(pypdf.PdfReader(str(pdf)).pages)} "
              f"pages; every cell's text complete: {complete}")
        return 0 if complete else 1


if __name__ == "__main__":
    sys.exit(main())
