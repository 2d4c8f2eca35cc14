"""Read a Word action-plan report back into a Plan: ``--new-workbook X --from Y.docx``.

Two layouts are read, and any mixture of them:

- the original WFS Action Plan Update, typed by hand: a RAG key table, then
  per recommendation "Recommendation N", its text and "Comments from
  Service:" with its narrative, written as paragraphs before a table of the
  recommendation's own or as full-width (merged) rows inside one long table
  that runs on across several recommendations, with the header row
  repeated, empty spacer rows, a full-width "Not applicable ..." row and RAG
  cells coloured by hand;
- this project's own Word report (render/docx.py), whose "System:" comments,
  RAG labels, marks and trend words are computed, not officer text.

The document is walked once, in order, as a stream of paragraphs and table
rows; what cannot be placed becomes a warning naming where it is ("table 2,
row 7"), never dropped quietly. The result is plain data (a ``model.Plan``);
writing the workbook is ``workbook.new_workbook``'s job. The Word file is only
ever read.

The modules, in the order the data flows:

- ``file``: the file read once and checked to be a .docx;
- ``walk``: the body in order, as paragraphs and table rows (merged cells);
- ``colours``: the colour a cell shows and the RAG it means; the document's key;
- ``vocabulary``: the words recognised (header words, labels, RAG words);
- ``columns``: an action table's columns;
- ``actions``: an action table's rows into actions (merged cells, continued rows, RAG);
- ``reader``: the state machine that places each paragraph and row;
- ``own_report``: what make-report's own computed sentences say of the workbook;
- ``result``: the drafts, the warnings and the plan they make.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

from wfs_reports.domain.errors import ReportError
from wfs_reports.domain.model import Rag
from wfs_reports.domain.rules import RulesConfig
from wfs_reports.word_import import own_report
from wfs_reports.word_import.colours import Colours, colour_rag
from wfs_reports.word_import.file import (
    WordImportError,
    check_word_container,
    load_word_file,
    open_document,
)
from wfs_reports.word_import.reader import WordReader
from wfs_reports.word_import.result import WordImport
from wfs_reports.word_import.walk import walk

__all__ = ["WordImport", "WordImportError", "colour_rag", "import_word_report",
           "load_word_file", "read_word_report"]


def read_word_report(data: bytes, file_name: str, rag_labels: Mapping[Rag, str]) -> WordImport:
    """Read a Word action-plan report's bytes into a plan. ``file_name`` is for messages.

    ``rag_labels`` are the labels of the rules in use (``RulesConfig.labels()``):
    the words of make-report's own report, and of the original one with the
    bundled rules."""
    check_word_container(data, file_name)
    document = open_document(data, file_name)
    colours = Colours.of(document)
    reader = WordReader(file_name, dict(rag_labels), own_report.recorded_actions(document))
    try:
        reader.title_from_header(document)
        reader.read(walk(document, colours))
    except (ValueError, TypeError, KeyError, AttributeError, IndexError):
        # Word files can hold almost anything; one the walk cannot follow is
        # reported in one line, not as a traceback.
        raise WordImportError(
            f"{file_name}: the document's structure could not be followed; open it in "
            "Word, save it as Word Document (.docx) and run again") from None
    return reader.result()


def import_word_report(source: Path, target: Path, now: dt.datetime,
                       rules: RulesConfig) -> tuple[Path, WordImport]:
    """Read ``source`` (.docx) and write a new workbook at ``target`` in the words of
    ``rules``; never overwrites."""
    from wfs_reports.workbook.new_workbook import create_new_workbook, plan_workbook

    source, target = Path(source), Path(target)
    if target.suffix.lower() != ".xlsx":
        raise ReportError(f"{target}: a new workbook must end in .xlsx")
    if target.exists() or target.is_symlink():
        # Checked before reading, so a long import is not wasted; create_new_workbook
        # refuses again at the moment of writing.
        raise ReportError(f"{target}: a file with this name already exists and was left as "
                          "it is; choose another name")
    data = load_word_file(source)
    imported = read_word_report(data, source.name, rules.labels())
    written = create_new_workbook(target, now, plan_workbook(imported.plan, rules))
    return written, imported
