"""Typst, the engine behind the PDF (and any other drawing compiled from a template).

This is the only module that imports ``typst``. It compiles a template the same
way every time, on every machine:

- **A sandbox.** Typst's project root is a fresh temporary folder holding
  copies of the template and the files it may read (its data, images, other
  ``.typ`` files), so nothing else on disk can be read. A file of the templates
  folder that is a link to somewhere outside it is not copied.
- **No network.** A Typst package import (``@preview/...``) would be downloaded
  from the internet, so a template that plainly uses one is refused before
  compiling, and one that builds the name as it runs finds no package: Typst
  gets no package folders, and its downloader a proxy that refuses
  (``_no_downloads``).
- **Only the bundled fonts**: ``templates/fonts``; neither the machine's fonts
  nor Typst's own embedded ones.
- **A fixed clock**: the timestamp is given (the report's as-at date, or
  ``SOURCE_DATE_EPOCH`` where it is set), so the same input gives the same bytes.
- **Warnings are kept** (``compile_with_warnings``) and returned.

Typst releases the GIL while it compiles, so Python work can go on beside it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
import re
import socket
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import typst

# What a template may read, by file extension; fonts are given separately.
TEMPLATE_FILE_TYPES = (".typ", ".json", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp")
FONT_FILE_TYPES = (".ttf", ".otf", ".ttc", ".otc")
# '@preview/name:1.0.0' and other packages: fetched from the internet.
_PACKAGE_IMPORT = re.compile(r"""["']@[a-z][a-z0-9-]*/""", re.IGNORECASE)
# Where a diagnostic points: '┌─ /tmp/x/report.typ:12:5'.
_LOCATION = re.compile(r"┌─\s*(?P<file>[^\s:]+):(?P<line>\d+):(?P<column>\d+)")


class TypesetError(Exception):
    """The template could not be compiled; ``str()`` names the file, line and column."""


@dataclass(frozen=True)
class Compiled:
    """What Typst made (one ``bytes``, or one per page for PNG/SVG) and its warnings."""

    output: bytes | list[bytes]
    warnings: tuple[str, ...]


def template_files(folder: Path, *, skip: Iterable[str] = ("fonts",)) -> dict[str, bytes]:
    """The files of ``folder`` a template may read, by their path inside it.

    Subfolders named in ``skip`` are left out (fonts are given to Typst
    separately). A link that leads outside the folder is left out too: the
    template then cannot read it, exactly as if it were not there.
    """
    root = Path(folder).resolve(strict=True)
    files: dict[str, bytes] = {}
    for directory, subfolders, names in os.walk(root):
        here = Path(directory)
        subfolders[:] = sorted(d for d in subfolders
                               if not (here == root and d in skip) and _inside(here / d, root))
        for name in sorted(names):
            path = here / name
            if path.suffix.lower() in TEMPLATE_FILE_TYPES and _inside(path, root):
                files[path.relative_to(root).as_posix()] = path.read_bytes()
    return files


def font_files(folder: Path) -> tuple[Path, ...]:
    """The font files in ``folder``, in a stable order."""
    root = Path(folder).resolve(strict=True)
    return tuple(sorted(path for path in root.iterdir()
                        if path.suffix.lower() in FONT_FILE_TYPES and path.is_file()))


def _inside(path: Path, root: Path) -> bool:
    try:
        return path.resolve(strict=True).is_relative_to(root)
    except OSError:
        return False


@functools.lru_cache(maxsize=4)
def _fonts(folder: Path, stamps: tuple[tuple[str, int, int], ...]) -> typst.Fonts:
    # ``stamps`` (name, size, mtime) are part of the key: a changed font is read again.
    return typst.Fonts(include_system_fonts=False, include_embedded_fonts=False,
                       font_paths=[str(folder)])


def bundled_fonts(folder: Path) -> typst.Fonts:
    """Typst's view of the fonts in ``folder``, and no others.

    Typst takes a folder of fonts, not single files, so a folder holding a
    link that leads outside it is refused rather than followed.
    """
    try:
        root = Path(folder).resolve(strict=True)
        entries = sorted(root.iterdir())
    except OSError as error:
        raise TypesetError(f"{folder}: the fonts folder cannot be read ({error.strerror}); "
                           "restore it from the bundled templates") from None
    outside = [p.name for p in entries if p.is_symlink() and not _inside(p, root)]
    if outside:
        raise TypesetError(f"{folder}: {outside[0]} is a link to a file outside the fonts "
                           "folder; replace it with a copy of the font")
    stamps = tuple((p.name, st.st_size, st.st_mtime_ns) for p in entries
                   if p.suffix.lower() in FONT_FILE_TYPES for st in (p.stat(),))
    fonts = _fonts(root, stamps)
    if not fonts.families():
        raise TypesetError(f"{folder}: there are no fonts in the fonts folder; restore them "
                           "from the bundled templates")
    return fonts


def timestamp(as_at: dt.date) -> dt.datetime:
    """The time written into a document: midnight UTC of ``as_at``, or
    SOURCE_DATE_EPOCH where it is set (reproducible builds' convention)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    return dt.datetime(as_at.year, as_at.month, as_at.day, tzinfo=dt.UTC)


# What compile_template makes, and (some of) the PDF standards Typst can meet.
Output = Literal["pdf", "svg", "png"]
PdfStandard = Literal["1.7", "2.0", "a-2b", "a-3b", "a-4", "ua-1"]


def compile_template(
    main: str,
    files: Mapping[str, bytes],
    *,
    font_folder: Path,
    when: dt.datetime,
    output: Output = "pdf",
    pdf_standards: tuple[PdfStandard, ...] = ("ua-1",),
    ppi: float | None = None,
) -> Compiled:
    """Compile ``files[main]`` with the other ``files`` readable beside it.

    ``output`` is "pdf", "svg" or "png"; PDF/UA-1 unless ``pdf_standards``
    says otherwise. Raises TypesetError naming the template file, line and
    column when it does not compile.
    """
    for name, data in files.items():
        if name.endswith(".typ"):
            _refuse_packages(name, data)
    # The sandbox: a fresh folder holding copies of exactly these files (never
    # links), as Typst's project root.
    with tempfile.TemporaryDirectory(prefix="wfs-typst-") as sandbox:
        root = Path(sandbox)
        for name, data in files.items():
            target = (root / name).resolve()
            if not target.is_relative_to(root.resolve()):
                raise TypesetError(f"{name}: not a file name inside the templates folder")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        # No package folders: a package installed on this machine is not used
        # either (the report must not depend on it), and none is downloaded.
        nowhere = str(root.parent / f"{root.name}-no-packages")
        try:
            with _no_downloads():
                result, warnings = typst.compile_with_warnings(
                    str(root / main),
                    root=str(root),
                    font_paths=bundled_fonts(font_folder),
                    format=output,
                    ppi=ppi,
                    pdf_standards=list(pdf_standards) if output == "pdf" else [],
                    timestamp=when,
                    package_path=nowhere,
                    package_cache_path=nowhere,
                )
        except typst.TypstError as error:
            described = _describe(error, root)
            if _PACKAGE_FAILURE.search(str(getattr(error, "message", "") or error)):
                where = described.split(": ", 1)[0] if _LOCATION.search(
                    getattr(error, "diagnostic", "") or "") else main
                raise TypesetError(
                    f"{where}: uses a Typst package, which would be downloaded from the "
                    "internet; the template may only use files in the templates folder"
                ) from None
            raise TypesetError(described) from None
        notes = tuple(_describe(warning, root) for warning in warnings)
    if result is None:
        raise TypesetError(f"{main}: Typst made no output")
    return Compiled(result, notes)


# What Typst says when a package it looked for is not there to be had.
_PACKAGE_FAILURE = re.compile(r"failed to download package|package not found", re.IGNORECASE)
# The environment variables that name a proxy for Typst's downloader (curl's
# and ureq's convention), and those that exempt hosts from it.
_PROXY_VARIABLES = ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY",
                    "all_proxy")
_NO_PROXY_VARIABLES = ("NO_PROXY", "no_proxy")


@contextlib.contextmanager
def _no_downloads() -> Iterator[None]:
    """Typst downloads an ``@preview`` package it cannot find on disk, whatever
    the template's text looks like (``#import ("@pre" + "view/x:1.0.0")``), and
    typst-py has no switch to stop it. Its downloader goes through the proxy
    the environment names, so for the compile that proxy is a port on this
    machine that this process holds and never listens on: a download is
    refused at once, and nothing leaves the machine. (The renderers run one at
    a time, in no thread, so the environment is this compile's alone.)"""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as refuser:
        refuser.bind(("127.0.0.1", 0))
        proxy = f"http://127.0.0.1:{refuser.getsockname()[1]}"
        saved = {name: os.environ.get(name)
                 for name in (*_PROXY_VARIABLES, *_NO_PROXY_VARIABLES)}
        try:
            for name in _PROXY_VARIABLES:
                os.environ[name] = proxy
            for name in _NO_PROXY_VARIABLES:
                os.environ.pop(name, None)
            yield
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value


def _refuse_packages(name: str, data: bytes) -> None:
    text = data.decode("utf-8", errors="replace")
    for number, line in enumerate(text.splitlines(), start=1):
        code = line.split("//", 1)[0]
        if _PACKAGE_IMPORT.search(code):
            raise TypesetError(
                f"{name}:{number}: uses a Typst package ({code.strip()[:60]}), which would be "
                "downloaded from the internet; the template may only use files in the "
                "templates folder"
            )


def _describe(diagnostic: typst.TypstError | typst.TypstWarning, root: Path) -> str:
    """'report.typ:12:5: unknown variable: foo (hint: ...)'."""
    message = str(getattr(diagnostic, "message", "") or diagnostic).strip()
    hints = [h for h in getattr(diagnostic, "hints", []) or [] if h]
    text = message.replace(str(root.resolve()) + os.sep, "").replace(str(root) + os.sep, "")
    text += "".join(f" (hint: {hint})" for hint in hints)
    found = _LOCATION.search(getattr(diagnostic, "diagnostic", "") or "")
    if not found:
        return text
    file = (Path.cwd() / found["file"]).resolve()  # Typst may give it relative to here
    if file.is_relative_to(root.resolve()):
        file = file.relative_to(root.resolve())
    return f"{file.as_posix()}:{found['line']}:{found['column']}: {text}"


# -- which characters the bundled fonts can show ------------------------------

# Characters every report is made of, all in Liberation Sans (a test checks):
# with only these, no font need be opened to know the text can be shown.
EVERYDAY = frozenset(
    [chr(c) for c in range(0x20, 0x7F)] + [chr(c) for c in range(0xA0, 0x100)]
    + list("\n\t‘’“”–—…•€·●▲■□↑→↓\u200b")
)


@functools.lru_cache(maxsize=16)
def _coverage(path: Path, stamp: tuple[int, int]) -> frozenset[int]:
    from fontTools.ttLib import TTFont  # only when the text needs it

    with TTFont(path, lazy=True, fontNumber=0) as font:
        return frozenset(font["cmap"].getBestCmap() or {})


def unshowable(text: str, font_folder: Path) -> list[str]:
    """The characters of ``text`` that no font in ``font_folder`` can show, in order.

    Marks that modify the character before them (variation selectors,
    zero-width joiners) are left to the shaper and never reported.
    """
    rare = [ch for ch in dict.fromkeys(text) if ch not in EVERYDAY]
    if not rare:
        return []
    covered: list[frozenset[int]] = []
    for path in font_files(font_folder):
        stat = path.stat()
        covered.append(_coverage(path, (stat.st_size, stat.st_mtime_ns)))
    return [ch for ch in rare if not _modifier(ch) and not any(ord(ch) in c for c in covered)]


def _modifier(ch: str) -> bool:
    code = ord(ch)
    return (0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF or code in (0x200C, 0x200D)
            or 0x1F3FB <= code <= 0x1F3FF or 0xE0020 <= code <= 0xE007F)
