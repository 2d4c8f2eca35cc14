"""PDF output: the Typst template ``templates/report.typ`` fed the report as JSON data.

The template only lays out a ``ReportContext``; every decision (RAG, wording,
order) was made before it gets here. Cell text is data: it goes into Typst as
JSON (``data.json``) and is printed, never read as Typst code, so text such as
``#read("/etc/passwd")`` or ``*bold*`` appears exactly as the officer typed it.

The PDF is PDF/UA-1 (tagged, titled, en-GB, bookmarks), set in the bundled
fonts only, and the same context gives the same bytes on every machine.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from wfs_reports.domain.errors import ReportError
from wfs_reports.domain.problems import Kind, Problem, Severity, split_where
from wfs_reports.domain.rules import RagSource
from wfs_reports.domain.text import PARAGRAPH_BREAK
from wfs_reports.render._layout import bar_segments, rag_data
from wfs_reports.render._progress import TEMPLATE_NAME as PROGRESS_TEMPLATE
from wfs_reports.render._progress import draw
from wfs_reports.render._typst import (
    TypesetError,
    compile_template,
    template_files,
    timestamp,
    unshowable,
)
from wfs_reports.render.rendered import Rendered
from wfs_reports.report.view import ActionContext, RagCount, ReportContext

TEMPLATE_NAME = "report.typ"
PROGRESS_PICTURE = "progress.svg"
DATA_NAME = "data.json"
FONTS_FOLDER = "fonts"
# Shown instead of a character no bundled font has (the officer is told which).
REPLACEMENT = "□"

def render(context: ReportContext, templates: Any) -> Rendered:
    """The PDF, for the format registry (wfs_reports.render.formats)."""
    return render_pdf(context, templates.folder, templates.progress)


def render_pdf(context: ReportContext, template_dir: Path,
               progress: Path | None = None) -> Rendered:
    """The report as PDF/UA-1 bytes, and the problems met (characters no font
    can show, Typst's warnings). Raises ReportError if the template fails.
    ``progress`` is the progress.typ to draw with (default: the folder's own)."""
    folder = Path(template_dir)
    data, problems = report_data(context, folder / FONTS_FOLDER)
    try:
        files = template_files(folder)
    except OSError as error:
        raise ReportError(f"{folder}: the templates folder cannot be read ({error})") from None
    if TEMPLATE_NAME not in files:
        raise ReportError(f"{folder / TEMPLATE_NAME}: the PDF template is missing; copy it "
                          "from the bundled templates")
    files[DATA_NAME] = json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")
    # "Progress over time": the same picture as the web page's, drawn by progress.typ.
    picture = draw(context, progress or folder / PROGRESS_TEMPLATE, folder / FONTS_FOLDER, "svg")
    if picture is not None:
        files[PROGRESS_PICTURE] = picture
    try:
        compiled = compile_template(
            TEMPLATE_NAME, files, font_folder=folder / FONTS_FOLDER,
            when=timestamp(_as_at_date(context)),
        )
    except TypesetError as error:
        raise ReportError(f"{folder / TEMPLATE_NAME}: the PDF could not be made: {error}; "
                          "fix the template or restore the bundled report.typ") from None
    problems += [
        Problem(Kind.RENDERER_WARNING, Severity.WARNING, f"PDF template: {warning}")
        for warning in compiled.warnings
    ]
    assert isinstance(compiled.output, bytes)
    return Rendered(compiled.output, tuple(problems))


def _as_at_date(context: ReportContext):
    import datetime as dt

    return dt.date.fromisoformat(context.as_at_iso)


# -- the data the template reads ----------------------------------------------


def report_data(context: ReportContext, font_folder: Path) -> tuple[dict, list[Problem]]:
    """The context as the JSON the template reads, with text no bundled font can
    show replaced (each such cell reported once), and long runs of characters
    with no space given places to break (``breakable``)."""
    problems: list[Problem] = []
    data = _data(context)
    for path, text in _strings(data):
        if path[:1] in _OFFICER_TEXT:
            broken = breakable(text)
            if broken is not text:
                _replace(data, path, broken)
    return _showable(data, font_folder, problems, context), problems


# Where the officers' own text is in the data: only there can a run be long.
_OFFICER_TEXT = {("recommendations",), ("exceptions",), ("changes",)}
# A run of characters with no space at least this long (a pasted hash, a
# 32,767-character cell) gets a break opportunity every BREAK_EVERY
# characters. Without them the template must find where to split it by
# measuring, which for Excel's longest cell took Typst 18 s and 2.4 GB.
LONG_RUN = 200
BREAK_EVERY = 20
ZERO_WIDTH_SPACE = "\u200b"
_LONG_RUN = re.compile(rf"[^\s{ZERO_WIDTH_SPACE}]{{{LONG_RUN},}}")
_JOINERS = frozenset("\u200d\u034f") | {chr(c) for c in range(0xFE00, 0xFE10)}


def breakable(text: str) -> str:
    """``text`` with a zero-width space (an invisible place to break a line)
    every BREAK_EVERY characters of each run of LONG_RUN or more without a
    space; never between a character and a mark or joiner that belongs to it.
    The same object back when nothing changes."""
    if len(text) < LONG_RUN or not _LONG_RUN.search(text):
        return text
    return _LONG_RUN.sub(lambda found: _break(found.group()), text)


def _break(run: str) -> str:
    parts, start, at = [], 0, BREAK_EVERY
    while at < len(run):
        while at < len(run) and _belongs(run[at - 1], run[at]):
            at += 1
        if at >= len(run):
            break
        parts.append(run[start:at])
        start, at = at, at + BREAK_EVERY
    parts.append(run[start:])
    return ZERO_WIDTH_SPACE.join(parts)


def _belongs(before: str, after: str) -> bool:
    """Whether ``after`` is part of the character ``before`` (an accent, a
    variation selector, an emoji's skin tone or joined emoji, a flag's half)."""
    return (unicodedata.category(after).startswith("M") or after in _JOINERS
            or before in _JOINERS or 0x1F3FB <= ord(after) <= 0x1F3FF
            or 0xE0000 <= ord(after) <= 0xE01EF
            or (0x1F1E6 <= ord(before) <= 0x1F1FF and 0x1F1E6 <= ord(after) <= 0x1F1FF))


def _counts(counts: tuple[RagCount, ...]) -> list[dict]:
    return [{"rag": rag_data(c.rag), "count": c.count} for c in counts]


# A word this long may not fit its cell: the template splits it (fit-word).
_LONG_WORD = re.compile(r"\S{16,}")
_CELL_FIELDS = ("action", "owners", "completion_date", "comments", "computed_comment")


def _cell(text: str) -> str:
    """Cell text as the template draws it: blank lines as one, no breaks at the ends.
    Done here, once, so that Typst does layout only (a long plan has thousands of
    cells, and text work in the template is slow)."""
    return PARAGRAPH_BREAK.sub("\n\n", text.strip("\n")) if text.strip() else ""


def _action(action: ActionContext) -> dict:
    cells = {field: _cell(getattr(action, field)) for field in _CELL_FIELDS}
    return {
        "row": action.row,
        "number": action.number,
        **cells,
        # The cells with a word that may need splitting to fit (the slow path).
        "long": [field for field, text in cells.items() if _LONG_WORD.search(text)],
        "rag": rag_data(action.rag),
        "override": action.rag_source is RagSource.OVERRIDE,
        "trend_text": action.trend_text,
    }


def _progress(context: ReportContext) -> dict | None:
    progress = context.progress
    if progress is None:
        return None
    return {
        "heading": progress.heading,
        "intro": progress.intro,
        "caption": progress.caption,
        "alt_text": progress.alt_text,
        "picture": PROGRESS_PICTURE,
        "rows": [{"label": progress.row_label(point), "counts": _counts(point.counts),
                  "total": point.total} for point in progress.points],
    }


def _data(context: ReportContext) -> dict:
    headings = {r.ref: r for r in context.recommendations}
    summary = context.summary
    changes = context.changes

    def anchor(ref: int) -> str | None:
        """Where a number in the Changes or Exceptions links to: its recommendation."""
        rec = headings.get(ref)
        return rec.anchor if rec else None

    brand = context.brand
    return {
        "title": context.title,
        "heading": context.heading,
        "board_summary": list(context.board_summary_paragraphs),
        # The plan's own words, never another plan's: its title, heading and organisation.
        "keywords": [word for word in dict.fromkeys(
            (context.title, context.heading, brand.organisation)) if word],
        "author": context.prepared_by or brand.organisation or context.generator,
        "meeting": context.meeting,
        "meeting_date": context.meeting_date,
        "as_at": context.as_at,
        "prepared_by": context.prepared_by,
        "classification": context.classification,
        "provenance": context.provenance,
        "summary_sentence": context.summary_sentence,
        "brand": {
            "organisation": brand.organisation,
            "strapline": brand.strapline,
            "primary": brand.primary,
            "accent": brand.accent,
            "accent_text": brand.accent_text,
            "logo": brand.logo,
            "logo_alt": brand.logo_alt or brand.organisation,
        },
        "rag_key": [rag_data(style) for style in context.rag_key],
        "not_applicable": rag_data(context.not_applicable),
        "summary": {
            "total": summary.total,
            "not_applicable": summary.not_applicable,
            "counts": _counts(summary.counts),
            "bar": bar_segments(summary.counts),
            "per_recommendation": [
                {
                    "heading": row.heading,
                    "anchor": headings[row.ref].anchor if row.ref in headings
                    else f"recommendation-{row.ref}",
                    "counts": _counts(row.counts),
                    "total": row.total,
                    "not_applicable_note": context.not_applicable_note(row.not_applicable),
                    "bar": bar_segments(row.counts),
                }
                for row in summary.per_recommendation
            ],
        },
        # The Board's copy names actions by number and full text; the workbook's
        # cells and rows and the snapshot's file name are for the officer (JSON).
        "changes": None if changes is None else {
            "previous_as_at": changes.previous_as_at,
            "groups": [
                {"title": title,
                 "items": [{"number": item.number, "anchor": anchor(item.ref),
                            "action": item.action, "detail": item.detail} for item in items]}
                for title, items in changes.groups
            ],
        },
        "progress": _progress(context),
        "rag_note": list(context.rag_note),
        "exceptions": [
            {"number": e.number, "anchor": anchor(e.ref), "action": e.action,
             "message": e.message}
            for e in context.exceptions
        ],
        "comment_label": context.comment_label,
        "recommendations": [
            {
                "ref": rec.ref,
                "heading": rec.heading,
                "anchor": rec.anchor,
                "text": rec.text,
                "comments_from_service": list(rec.comments_from_service),
                "actions": [_action(a) for a in rec.actions],
                "new_page": new_page,
            }
            for rec, new_page in zip(context.recommendations,
                                     page_runs(context.recommendations), strict=True)
        ],
    }


# Typst lays out the runs of pages between explicit page breaks side by side,
# one per core; a long plan's recommendations start a new page about this often
# (in actions), so a 1,000-action PDF is made in about half the time. A short
# plan has none: no page is left part empty for speed.
PAGE_RUN_ACTIONS = 60


def page_runs(recommendations) -> list[bool]:
    """For each recommendation, whether it starts a new page: the first one
    after every PAGE_RUN_ACTIONS actions since the last such start."""
    starts, since = [], 0
    for rec in recommendations:
        start = since >= PAGE_RUN_ACTIONS
        starts.append(start)
        since = len(rec.actions) if start else since + len(rec.actions)
    return starts


# -- characters the fonts cannot show -----------------------------------------


def _showable(data: Any, font_folder: Path, problems: list[Problem],
              context: ReportContext) -> Any:
    """``data`` with every character no bundled font has replaced by REPLACEMENT.

    Under PDF/UA-1 Typst refuses a document with such a character, and without
    it the character would silently become an empty box; so the officer is
    told which cell holds it, and the rest of the report is made.
    """
    for path, text in _strings(data):
        missing = unshowable(text, font_folder)
        if not missing:
            continue
        _replace(data, path, "".join(REPLACEMENT if ch in missing else ch for ch in text))
        sheet, cell = _where(context, path)
        shown = ", ".join(f"'{ch}' (U+{ord(ch):04X})" for ch in missing[:5])
        more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        problems.append(Problem(
            Kind.GLYPH_MISSING, Severity.WARNING,
            f"{shown}{more} cannot be shown by the report's fonts; the PDF shows "
            f"'{REPLACEMENT}' instead (the Word file keeps the text)",
            sheet, cell,
        ))
    return data


def _strings(data: Any, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _strings(value, (*path, index))


def _replace(data: Any, path: tuple, value: str) -> None:
    for step in path[:-1]:
        data = data[step]
    data[path[-1]] = value


def _where(context: ReportContext, path: tuple) -> tuple[str, str]:
    """(sheet, cell) a string of the data came from, as near as the context knows."""
    if path[:1] == ("recommendations",) and len(path) >= 3:
        rec = context.recommendations[path[1]]
        if path[2] == "actions" and len(path) >= 5:
            action = rec.actions[path[3]]
            found = action.cells.get(path[4], "")
            sheet, cell = split_where(found)
            return (sheet, cell) if cell else ("Actions", f"{action.row}:{action.row}")
        return "Recommendations", f"{rec.row}:{rec.row}" if rec.row else ""
    if path[:1] in (("title",), ("heading",), ("board_summary",), ("meeting",), ("prepared_by",),
                    ("classification",), ("author",)):
        return "Report", ""
    return "", ""
