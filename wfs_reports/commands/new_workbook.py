"""make-report --new-workbook PATH [--from REPORT.docx]: a workbook to start from.

Blank, or filled from a Word action-plan report. The rules of the templates
folder (``--templates``, else the bundled one) are loaded here and passed
down: their RAG labels are the words the Word import recognises, the RAG
Override dropdown's choices and the instructions' key, and their stale days
are in the Last Updated note. The new file is never written over another;
the Word file is only read.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from wfs_reports.config import load_templates
from wfs_reports.word_import import WordImport, import_word_report
from wfs_reports.workbook.new_workbook import blank_workbook, create_new_workbook


def _now(now: dt.datetime | None) -> dt.datetime:
    """The new file's document time: ``now``, else the clock to the second."""
    return now if now is not None else dt.datetime.now().replace(microsecond=0)


def new_workbook(path: Path, *, templates_folder: Path | None = None,
                 now: dt.datetime | None = None) -> Path:
    """Write a blank action-plan workbook at ``path``; the path written."""
    rules = load_templates(templates_folder).rules
    return create_new_workbook(path, _now(now), blank_workbook(rules))


def workbook_from_word(path: Path, report: Path, *, templates_folder: Path | None = None,
                       now: dt.datetime | None = None) -> tuple[Path, WordImport]:
    """Write a workbook at ``path`` filled from the Word report ``report``:
    (the path written, what the import read and noticed)."""
    rules = load_templates(templates_folder).rules
    return import_word_report(report, path, _now(now), rules)
