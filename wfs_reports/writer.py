"""Write finished documents atomically: all of them or none, never half a file.

Each document goes to a temporary file in the output folder and is renamed
over its target only when every document has been written, so a failure
leaves the previous report intact.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from wfs_reports.errors import OutputError


def write_outputs(folder: Path, documents: dict[str, bytes]) -> list[Path]:
    """Write ``{file name: bytes}`` into ``folder``; return the paths written."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(
            f"{folder}: cannot create the output folder ({error.strerror}); choose another "
            "with --out"
        ) from None
    staged: list[tuple[Path, Path]] = []
    try:
        for name, data in documents.items():
            target = folder / name
            handle, temporary = tempfile.mkstemp(prefix=".~wfs-", suffix=".tmp", dir=folder)
            staged.append((Path(temporary), target))
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
        for temporary, target in staged:
            _replace(temporary, target)
    except OSError as error:
        raise OutputError(
            f"{folder}: cannot write the report ({error.strerror or error}); check the folder "
            "exists and you may write to it, or choose another with --out"
        ) from None
    finally:
        for temporary, _target in staged:
            temporary.unlink(missing_ok=True)
    return [target for _temporary, target in staged]


def _replace(temporary: Path, target: Path) -> None:
    try:
        os.replace(temporary, target)
    except PermissionError:
        # On Windows a document open in Word or Acrobat cannot be replaced.
        raise OutputError(
            f"{target}: the file is open in another program (Word or a PDF reader?); close "
            "the file and run again"
        ) from None


# What a folder of update requests holds: a re-run may replace only these.
REQUEST_SUFFIXES = (".docx", ".eml", ".xlsx", ".csv")


def write_folder(folder: Path, documents: dict[str, bytes], *, keep: Path | None = None
                 ) -> list[Path]:
    """Write ``{file name: bytes}`` as the whole of ``folder``, atomically.

    The files are written to a new folder beside it, which then takes the
    folder's place, so a failed run leaves the previous folder as it was and a
    re-run leaves no file from an earlier run behind (a request for an owner
    who now has nothing open). A folder holding anything else (an officer's
    own notes, the workbook ``keep``) is refused rather than replaced.
    """
    folder = Path(folder)
    _check_replaceable(folder, keep)
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        staged = Path(tempfile.mkdtemp(prefix=".~wfs-", dir=folder.parent))
        staged.chmod(0o755)  # mkdtemp makes it private; the folder is for sharing
    except OSError as error:
        raise OutputError(
            f"{folder.parent}: cannot create the output folder ({error.strerror}); choose "
            "another with --out"
        ) from None
    old: Path | None = None
    try:
        for name, data in documents.items():
            with open(staged / name, "xb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
        if folder.exists():
            old = Path(tempfile.mkdtemp(prefix=".~wfs-old-", dir=folder.parent))
            old.rmdir()
            try:
                os.replace(folder, old)
            except OSError:
                old = None
                raise OutputError(
                    f"{folder}: a file in this folder is open in another program (Word or "
                    "Outlook?); close it and run again"
                ) from None
        os.replace(staged, folder)
    except OSError as error:
        if old is not None and not folder.exists():
            os.replace(old, folder)
            old = None
        raise OutputError(
            f"{folder}: cannot write the update requests ({error.strerror or error}); check "
            "you may write to the folder, or choose another with --out"
        ) from None
    finally:
        if staged.exists():
            shutil.rmtree(staged, ignore_errors=True)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    return [folder / name for name in documents]


def _check_replaceable(folder: Path, keep: Path | None) -> None:
    if keep is not None and folder.exists():
        try:
            inside = Path(keep).resolve().is_relative_to(folder.resolve())
        except OSError:
            inside = False
        if inside:
            raise OutputError(f"{folder}: the workbook being read is in this folder, which a "
                              "run replaces; move the workbook, or choose another --out")
    if not folder.is_dir():
        if folder.exists():
            raise OutputError(f"{folder}: this is a file, not a folder; move it, or choose "
                              "another --out")
        return
    foreign = sorted(entry.name for entry in folder.iterdir()
                     if not entry.is_file() or entry.name.startswith("~$")
                     or entry.suffix.lower() not in REQUEST_SUFFIXES)
    lock = next((name for name in foreign if name.startswith("~$")), None)
    if lock is not None:
        raise OutputError(f"{folder}: a file in this folder is open in Word or Excel "
                          f"('{lock}'); close it and run again")
    if foreign:
        raise OutputError(
            f"{folder}: the folder also holds '{foreign[0]}', which make-report did not "
            "write; a run replaces the whole folder, so move it, or choose another --out"
        )
