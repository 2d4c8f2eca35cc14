"""The workbook file, read once: its bytes feed both the reader and the hash."""

from __future__ import annotations

import hashlib
import stat
from dataclasses import dataclass
from pathlib import Path

from wfs_reports.domain.errors import WorkbookError
from wfs_reports.domain.problems import Kind, Problem, Severity
from wfs_reports.workbook.file import too_large


@dataclass(frozen=True)
class Source:
    path: Path
    data: bytes
    sha256: str
    # Notes about the file itself (e.g. it is open in Excel), for Result.warnings.
    warnings: tuple[Problem, ...] = ()

    @property
    def name(self) -> str:
        return self.path.name


def load_source(path: Path) -> Source:
    """Read the workbook once; the bytes feed both the reader and the hash.

    The file is only ever opened for reading, so the workbook is never changed.
    """
    if path.name.startswith("~$"):
        real = path.with_name(path.name[2:])
        target = f"'{real}'" if real.is_file() else "the workbook itself (the same name " \
            "without '~$')"
        raise WorkbookError(
            str(path), [f"this is Excel's lock file, not the workbook; it only shows the "
                        f"workbook is open in Excel. Save the workbook in Excel, then choose "
                        f"{target}"]
        )
    try:
        info = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        info = None
    except OSError as error:
        raise WorkbookError(
            str(path), [f"cannot be read ({error.strerror}); check the path and run again"]
        ) from None
    if info is None:
        raise WorkbookError(str(path), [_not_found(path)])
    if stat.S_ISDIR(info.st_mode):
        raise WorkbookError(str(path), ["this is a folder; give the path of the .xlsx workbook"])
    if not stat.S_ISREG(info.st_mode):
        # A pipe or device could block or never end; only a real file will do.
        raise WorkbookError(
            str(path), ["this is not an ordinary file; give the path of the .xlsx workbook"]
        )
    if too_big := too_large(info.st_size):  # before reading it into memory
        raise WorkbookError(str(path), [too_big])
    try:
        data = path.read_bytes()
    except OSError as error:
        raise WorkbookError(
            str(path), [f"cannot be read ({error.strerror}); close it in Excel and run again"]
        ) from None
    return Source(path, data, hashlib.sha256(data).hexdigest(), _open_elsewhere(path))


# Where make-report looks when no workbook is named.
DEFAULT_WORKBOOK = Path("input/action_plan.xlsx")


def _not_found(path: Path) -> str:
    """About the file that was named; only the default path's message names the default."""
    if path == DEFAULT_WORKBOOK:
        return (f"file not found; name your workbook (make-report \"plan.xlsx\"), or put it "
                f"at {DEFAULT_WORKBOOK}")
    folder = path.parent
    if not folder.is_dir():
        return f"file not found: there is no folder '{folder}'; check the path to the workbook"
    where = "the current folder" if str(folder) in ("", ".") else f"'{folder}'"
    return f"file not found: there is no '{path.name}' in {where}; check the file's name and folder"


def _open_elsewhere(path: Path) -> tuple[Problem, ...]:
    """Warn when Excel (or LibreOffice) has the workbook open: what is on disk is
    the last save, so changes made since will not be in the report."""
    locks = {
        f"~${path.name}": "Excel",
        f".~lock.{path.name}#": "LibreOffice",
    }
    for lock, program in locks.items():
        try:  # a name near the system's limit has no room for the lock's prefix
            found = lock != path.name and path.with_name(lock).exists()
        except OSError:
            found = False
        if found:
            return (Problem(
                Kind.OPEN_ELSEWHERE, Severity.WARNING,
                f"the workbook is open in {program} (found '{lock}' beside it); changes not "
                "yet saved will not be in the report, so save it and run again if needed"),)
    return ()
