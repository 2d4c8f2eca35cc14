"""make-report: the command officers run. Parses arguments, calls the library.

Errors the library defines become one line each on stderr and a non-zero exit
status; an officer never sees a traceback for a problem they can fix.

"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import signal
import sys
from pathlib import Path

from wfs_reports import __version__
from wfs_reports.domain.errors import ReportError, Stopped, WorkbookError
from wfs_reports.domain.text import plural
from wfs_reports.render.formats import DEFAULT_FORMATS, FORMATS

EXIT_OK = 0
DEFAULT_WORKBOOK = Path("input/action_plan.xlsx")
EXIT_BAD_INPUT = 1
EXIT_STOPPED = 130  # Ctrl-C, as a shell reports it

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
  make-report --new-workbook plan.xlsx --from "WFS Action Plan Update.docx"
      starts a workbook from last quarter's Word report
  make-report --requests plan.xlsx --reply-by 2024-03-01
      a Word form and a draft email per action owner, to ask for updates
  make-report --next-quarter plan.xlsx --meeting-date 2024-07-16
      a copy of the workbook for the next report: 'plan (next quarter).xlsx'
  make-report --replies "Returned forms" plan.xlsx
      reads the returned forms; writes 'Replies - <as-at>.xlsx' beside the workbook
  make-report --apply "Replies - 2024-03-31.xlsx"
      writes a copy of the workbook with the reviewed replies in it

The as-at date is taken from --as-at, else the workbook's Report sheet
('As at'), else today. Problems in the workbook are listed by sheet and cell,
e.g. "Actions!D7"; fix them in Excel and run again. The workbook itself is
never changed (--next-quarter writes a new copy beside it).
"""


def _as_at(text: str) -> dt.date:
    """A date as the workbook takes one: ISO (2024-03-31) or day first (31/03/2024),
    or a quarter as the Completion Date column names one ('Q1 2024-25': its last day)."""
    from wfs_reports.domain.dates import parse_completion_date, parse_day_first_date
    from wfs_reports.domain.model import DueKind

    found = parse_day_first_date(text)
    if found is None and re.match(r"\s*q(?:uarter|tr)?\s*[1-4]\b", text, re.IGNORECASE):
        stages = parse_completion_date(text)
        if len(stages) == 1 and stages[0].label is None:
            if stages[0].kind is DueKind.AMBIGUOUS:
                raise argparse.ArgumentTypeError(
                    f"'{text}' could be a calendar or a financial year; write e.g. "
                    "'Q1 2024-25' for April to June 2024")
            found = stages[0].date
    if found is None:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a date; write it day first, e.g. 31/03/2024, as "
            "YYYY-MM-DD, e.g. 2024-03-31, or as a quarter, e.g. 'Q4 2023-24'"
        )
    return found


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
        "workbook", nargs="?", type=Path, default=None,
        help="the action-plan workbook (.xlsx); default: input/action_plan.xlsx",
    )
    parser.add_argument(
        "--out", type=Path, default=Path("output"), metavar="FOLDER",
        help="folder to write the report into; default: output",
    )
    parser.add_argument(
        "--as-at", type=_as_at, metavar="DATE",
        help="the date the RAG status is worked out for (a date, or a quarter such as "
        "'Q1 2024-25': its last day); default: the workbook's 'As at' setting, else today",
    )
    parser.add_argument(
        "--format", type=_formats, default=DEFAULT_FORMATS, metavar="LIST",
        help="which files to write, comma-separated, from "
        + ", ".join(f"{name} ({fmt.description})" for name, fmt in FORMATS.items())
        + f"; default: {','.join(DEFAULT_FORMATS)}",
    )
    parser.add_argument(
        "--templates", type=Path, metavar="FOLDER",
        help="use the templates, brand and rules in this folder instead of the built-in ones",
    )
    parser.add_argument(
        "--previous", type=Path, metavar="SNAPSHOT.json",
        help="compare with this earlier report's .json file; default: the newest earlier "
        "report of the same plan in the output folder",
    )
    parser.add_argument(
        "--no-previous", action="store_true",
        help="do not compare with an earlier report",
    )
    modes = parser.add_mutually_exclusive_group()
    modes.add_argument(
        "--check", action="store_true",
        help="check the workbook and list what to fix, by cell; writes nothing "
        "(exit 1 if there are errors); reads the last report in --out (or --previous) "
        "for overrides carried over",
    )
    modes.add_argument(
        "--new-workbook", type=Path, metavar="PATH",
        help="create a ready-made, empty action-plan workbook at PATH (never overwrites)",
    )
    modes.add_argument(
        "--requests", action="store_true",
        help="instead of the report, write an update request per action owner (a Word form "
        "and a draft email, .eml) into '<out>/Update requests - <as-at>/', with an index; "
        "nothing is sent",
    )
    modes.add_argument(
        "--next-quarter", type=Path, metavar="WORKBOOK",
        help="write a copy of WORKBOOK beside it for the next report, '<name> (next "
        "quarter).xlsx': As at moved to the next quarter end (or --as-at), Meeting date "
        "set to --meeting-date (else left blank), every RAG Override and Override Reason "
        "cleared and listed; nothing else in the workbook changes, and the original is "
        "never changed",
    )
    parser.add_argument(
        "--meeting-date", type=_as_at, metavar="DATE",
        help="with --next-quarter: the date of the meeting the next report goes to",
    )
    parser.add_argument(
        "--replies", type=Path, metavar="FOLDER",
        help="instead of the report, read the returned update-request forms in FOLDER (.docx "
        "forms, .eml or Outlook .msg replies) and write 'Replies - <as-at>.xlsx' beside the "
        "workbook, to review: the changes, conflicts, who has not replied, files not "
        "understood; the workbook is only read",
    )
    parser.add_argument(
        "--apply", nargs="?", const=True, default=None, metavar="REPLIES.xlsx",
        help="with --replies: also write a copy of the workbook, '<name> (replies <date>).xlsx', "
        "with the replies at Apply = Yes in it (Status, Completion Date, Comments, Last "
        "Updated); or given a reviewed Replies workbook, apply its Apply = Yes rows to the "
        "workbook it names (or the one given); the workbook itself is never changed",
    )
    parser.add_argument(
        "--reply-by", type=_as_at, metavar="YYYY-MM-DD",
        help="with --requests: the date owners should reply by; default: 14 days before the "
        "Report sheet's meeting date, else 14 days after the as-at date",
    )
    parser.add_argument(
        "--from", dest="from_report", type=Path, metavar="REPORT.docx",
        help="with --new-workbook: fill the new workbook from this Word action-plan report "
        "(the original WFS Action Plan Update layout, or a report make-report wrote); the "
        "Word file is only read",
    )
    parser.add_argument("--quiet", action="store_true", help="print only problems")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    workbook_given = args.workbook is not None
    if args.workbook is None:
        args.workbook = DEFAULT_WORKBOOK
    if args.apply is not None:
        if args.check or args.requests or args.new_workbook is not None:
            parser.error("--apply goes with --replies FOLDER, or on its own with the reviewed "
                         "Replies workbook")
        if args.replies is None and args.apply is True:
            parser.error("--apply needs --replies FOLDER, or the reviewed Replies workbook: "
                         "--apply \"Replies - <as-at>.xlsx\"")
        if args.replies is not None and args.apply is not True:
            if workbook_given:
                parser.error("--apply takes no file with --replies; put the workbook before "
                             "--apply")
            args.workbook, args.apply, workbook_given = Path(args.apply), True, True
    if args.from_report is not None and args.new_workbook is None:
        parser.error("--from needs --new-workbook PATH, the workbook to create from it")
    if args.reply_by is not None and not args.requests:
        parser.error("--reply-by goes with --requests, the update requests it dates")
    if args.meeting_date is not None and args.next_quarter is None:
        parser.error("--meeting-date goes with --next-quarter WORKBOOK, the copy it dates")
    if args.next_quarter is not None and workbook_given:
        parser.error("give the workbook once, after --next-quarter")
    try:
        if args.new_workbook is not None and args.from_report is not None:
            return _workbook_from_word(args)
        if args.new_workbook is not None:
            return _new_workbook(args)
        if args.check:
            return _check(args)
        if args.requests:
            return _requests(args)
        if args.next_quarter is not None:
            return _next_quarter(args)
        if args.replies is not None or args.apply is not None:
            return _replies(args, workbook_given)
        from wfs_reports.commands.report import make_report

        result = make_report(
            args.workbook,
            args.out,
            as_at=args.as_at,
            formats=args.format,
            templates_folder=args.templates,
            previous=args.previous,
            compare=not args.no_previous,
            processes=True,
            on_wait=_say,
        )
    except WorkbookError as error:
        for line in str(error).splitlines():
            print(f"error: {line}", file=sys.stderr)
        if len(error.problems) > 1:
            print(f"{plural(len(error.problems), 'problem')}; nothing was written.",
                  file=sys.stderr)
        return EXIT_BAD_INPUT
    except ReportError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Stopped as stopped:
        # Ctrl-C while the files were put in place: they were, all of them.
        print(f"stopped; the files were put in place first: "
              f"{', '.join(str(p) for p in stopped.written)}.", file=sys.stderr)
        return EXIT_STOPPED
    except KeyboardInterrupt:
        print("stopped; nothing was written.", file=sys.stderr)
        return EXIT_STOPPED
    try:
        _say_what_was_done(result, args)
    except KeyboardInterrupt:
        print(f"stopped; the report was written: "
              f"{', '.join(str(p) for p in result.written)}.", file=sys.stderr)
        return EXIT_STOPPED
    return EXIT_OK


def _say_what_was_done(result, args: argparse.Namespace) -> None:
    for warning in result.warnings:
        print(f"warning: {warning.line(args.workbook.name)}", file=sys.stderr)
    if not args.quiet:
        print(result.as_at_line)
        print(result.compared_line)
        for note in result.notes:
            print(note)
        for path in result.written:
            print(f"wrote {path}")
        print(result.reconciliation())
    _say_what_to_fix(result.to_fix, args.workbook.name)


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


# The end of a run lists this many problems; --check lists them all.
TO_FIX_SHOWN = 5


def _say_what_to_fix(problems: list, file: str) -> None:
    """Last on the console, so it is what the officer sees: the report was
    written and is honest about these, but they should be fixed first."""
    if not problems:
        return
    print(f"{plural(len(problems), 'problem')} to fix before circulating the report:",
          file=sys.stderr)
    for problem in problems[:TO_FIX_SHOWN]:
        print(f"  {problem.line()}", file=sys.stderr)
    more = len(problems) - TO_FIX_SHOWN
    also = f"{more} more; " if more > 0 else ""
    print(f"  {also}run make-report --check \"{file}\" to see every problem and warning",
          file=sys.stderr)


def _check(args: argparse.Namespace) -> int:
    from wfs_reports.commands.check import check_workbook, format_check

    result = check_workbook(
        args.workbook, as_at=args.as_at, templates_folder=args.templates,
        out=None if args.no_previous else args.out,
        previous=None if args.no_previous else args.previous)
    colour = sys.stdout.isatty() and "NO_COLOR" not in os.environ
    print(format_check(result, colour=colour))
    return EXIT_BAD_INPUT if result.errors else EXIT_OK


def _requests(args: argparse.Namespace) -> int:
    from wfs_reports.commands.requests import make_requests

    result = make_requests(args.workbook, args.out, as_at=args.as_at, reply_by=args.reply_by,
                           templates_folder=args.templates, on_wait=_say)
    try:
        for warning in result.warnings:
            print(f"warning: {warning.line(args.workbook.name)}", file=sys.stderr)
        if not args.quiet:
            print(result.summary())
    except KeyboardInterrupt:
        print(f"stopped; the update requests were written: {result.folder}.", file=sys.stderr)
        return EXIT_STOPPED
    return EXIT_OK


def _next_quarter(args: argparse.Namespace) -> int:
    from wfs_reports.commands.next_quarter import next_quarter

    result = next_quarter(args.next_quarter, as_at=args.as_at, meeting_date=args.meeting_date,
                          templates_folder=args.templates)
    for warning in result.warnings:
        print(f"warning: {warning.line(args.next_quarter.name)}", file=sys.stderr)
    if not args.quiet:
        for line in result.cleared:
            print(line)
        print(result.summary())
    return EXIT_OK


def _replies(args: argparse.Namespace, workbook_given: bool) -> int:
    from wfs_reports.commands.replies import apply_reviewed, read_replies

    if args.replies is not None:
        result = read_replies(args.replies, args.workbook, apply=bool(args.apply),
                              as_at=args.as_at, templates_folder=args.templates)
    else:
        result = apply_reviewed(Path(args.apply), args.workbook if workbook_given else None,
                                templates_folder=args.templates)
    for warning in result.warnings:
        print(f"warning: {warning.line(args.workbook.name)}", file=sys.stderr)
    if result.edits is not None:
        for note in result.edits.notes:
            print(f"note: {note}", file=sys.stderr)
    if not args.quiet:
        for path in result.written:
            print(f"wrote {path}")
        print(result.summary())
    return EXIT_OK


def _new_workbook(args: argparse.Namespace) -> int:
    from wfs_reports.commands.new_workbook import new_workbook

    created = new_workbook(args.new_workbook, templates_folder=args.templates)
    print(f"wrote {created}: fill in the Report, Recommendations and Actions sheets, "
          "then run make-report on it")
    return EXIT_OK


def _workbook_from_word(args: argparse.Namespace) -> int:
    from wfs_reports.commands.new_workbook import workbook_from_word

    report = args.from_report
    created, imported = workbook_from_word(args.new_workbook, report,
                                           templates_folder=args.templates)
    for problem in imported.problems:
        print(f"warning: {problem.line(report.name)}", file=sys.stderr)
    if not args.quiet:
        print(f"{imported.summary()}; wrote {created}.")
    return EXIT_OK


def run() -> None:
    """The make-report command."""
    code = main()
    # The run has done and said what it did: a Ctrl-C now, while Python shuts
    # down, changes nothing, and should not end it with a traceback or a signal.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sys.exit(code)


if __name__ == "__main__":  # pragma: no cover
    run()
