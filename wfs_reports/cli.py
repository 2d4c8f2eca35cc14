"""make-report: the command officers run. Parses arguments, calls the library.

Errors the library defines become one line each on stderr and a non-zero exit
status; an officer never sees a traceback for a problem they can fix.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from wfs_reports import __version__
from wfs_reports.errors import ReportError, WorkbookError
from wfs_reports.pipeline import FORMATS, make_report

EXIT_OK = 0
EXIT_BAD_INPUT = 1
EXIT_USAGE = 2

DESCRIPTION = """\
Make the WFS Action Plan Update from the action-plan workbook.

Reads the workbook, works out each action's RAG status as at the report date,
and writes the report as Word (.docx), PDF (.pdf) and a JSON snapshot (.json)
into the output folder, named '<Title> - <as-at date>'.
"""

EPILOG = """\
examples:
  make-report
      reads input/action_plan.xlsx, writes all three files to output/
  make-report "S:\\Board\\WFS action plan.xlsx" --out "S:\\Board\\Reports"
  make-report --as-at 2024-03-31 --format pdf

The as-at date is taken from --as-at, else the workbook's Report sheet
('As at'), else today. Problems in the workbook are listed by sheet and cell,
e.g. "Actions!D7"; fix them in Excel and run again. The workbook itself is
never changed.
"""


def _as_at(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a date; write it as YYYY-MM-DD, e.g. 2023-11-22"
        ) from None


def _formats(text: str) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(f.strip().lower().lstrip(".") for f in text.split(",")
                                 if f.strip()))
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a list of formats; choose from {','.join(FORMATS)}"
        )
    return chosen


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="make-report",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "workbook", nargs="?", type=Path, default=Path("input/action_plan.xlsx"),
        help="the action-plan workbook (.xlsx); default: input/action_plan.xlsx",
    )
    parser.add_argument(
        "--out", type=Path, default=Path("output"), metavar="FOLDER",
        help="folder to write the report into; default: output",
    )
    parser.add_argument(
        "--as-at", type=_as_at, metavar="YYYY-MM-DD",
        help="the date the RAG status is worked out for; default: the workbook's "
        "'As at' setting, else today",
    )
    parser.add_argument(
        "--format", type=_formats, default=FORMATS, metavar="LIST",
        help="which files to write, comma-separated: docx,pdf,json (default: all three)",
    )
    parser.add_argument(
        "--templates", type=Path, metavar="FOLDER",
        help="use the templates, brand and rules in this folder instead of the built-in ones",
    )
    parser.add_argument("--quiet", action="store_true", help="print only problems")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        result = make_report(
            args.workbook,
            args.out,
            as_at=args.as_at,
            formats=args.format,
            templates_folder=args.templates,
        )
    except WorkbookError as error:
        for line in str(error).splitlines():
            print(f"error: {line}", file=sys.stderr)
        if len(error.problems) > 1:
            print(f"{len(error.problems)} problems; nothing was written.", file=sys.stderr)
        return EXIT_BAD_INPUT
    except ReportError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("stopped; nothing was written.", file=sys.stderr)
        return 130
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if not args.quiet:
        for path in result.written:
            print(f"wrote {path}")
        print(result.reconciliation())
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
