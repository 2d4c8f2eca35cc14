"""Write finished documents as one set: all of them or none, never half a file.

Each document goes to a temporary file in the output folder. Only when every
one is written, and every file it will replace has been found replaceable, are
they renamed into place. Should a rename still fail part way (a file locked
a moment later, a full disk), the files already replaced get their earlier
contents back, so the earlier set is left exactly as it was.

New files get the permissions the folder would give any new file (the umask),
and a replaced file keeps its mode, so colleagues on a shared folder can still
open the report.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from wfs_reports.domain.errors import OutputError


def write_outputs(
    folder: Path, documents: Mapping[str, bytes], *, keep: Mapping[Path, Path] | None = None
) -> list[Path]:
    """Write ``{file name: bytes}`` into ``folder``; return the paths written.

    ``keep`` maps existing files to where a copy of each must be kept (an
    earlier report this run supersedes). The copies are made before anything
    is replaced and removed again if the run fails; a kept file this run does
    not replace is moved, not copied.
    """
    folder = Path(folder)
    keep = dict(keep or {})
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(
            f"{folder}: cannot create the output folder ({error.strerror}); choose another "
            "with --out"
        ) from None
    new_mode = _new_file_mode()
    staged: list[tuple[Path, Path]] = []  # (temporary, target)
    backups: dict[Path, Path] = {}  # target -> its earlier contents, for a rollback
    kept: list[Path] = []
    replaced: list[Path] = []
    try:
        for name, data in documents.items():
            target = folder / name
            handle, temporary_name = tempfile.mkstemp(prefix=".~wfs-", suffix=".tmp", dir=folder)
            staged.append((Path(temporary_name), target))
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            _set_mode(Path(temporary_name), _existing_mode(target) or new_mode)
        for _temporary, target in staged:
            _check_replaceable(target)
        for original, copy in keep.items():
            copy.parent.mkdir(parents=True, exist_ok=True)
            _copy(original, copy)
            kept.append(copy)
        for _temporary, target in staged:
            if target.exists():
                handle, name = tempfile.mkstemp(prefix=".~wfs-", suffix=".old", dir=folder)
                os.close(handle)  # only the unique name is wanted: _copy replaces the file
                backups[target] = backup = Path(name)  # removed in the end, whatever happens
                _copy(target, backup)
        for temporary, target in staged:
            _replace(temporary, target)
            replaced.append(target)
        targets = {target for _temporary, target in staged}
        for original in keep:
            if original not in targets:
                original.unlink(missing_ok=True)
    except OSError as error:
        _roll_back(replaced, backups, kept)
        raise OutputError(
            f"{folder}: cannot write the report ({error.strerror or error}); nothing was "
            "changed. Check the folder exists and you may write to it, or choose another "
            "with --out"
        ) from None
    except OutputError:
        _roll_back(replaced, backups, kept)
        raise
    finally:
        for temporary, _target in staged:
            temporary.unlink(missing_ok=True)
        for backup in backups.values():
            backup.unlink(missing_ok=True)
    return [target for _temporary, target in staged]


def _roll_back(replaced: list[Path], backups: dict[Path, Path], kept: list[Path]) -> None:
    """Put back what this run replaced; remove what it created."""
    for target in reversed(replaced):
        backup = backups.get(target)
        try:
            if backup is not None:
                os.replace(backup, target)
            else:
                target.unlink(missing_ok=True)
        except OSError:
            pass  # nothing more can be done; the error already names the folder
    for copy in kept:
        copy.unlink(missing_ok=True)


def _copy(source: Path, destination: Path) -> None:
    """A hard link where the folder allows it (instant, same bytes), else a copy."""
    destination.unlink(missing_ok=True)
    try:
        os.link(source, destination)
    except OSError:
        shutil.copy2(source, destination)


def _new_file_mode() -> int:
    """What a new file in this folder gets from the umask (0644 under umask 022)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _existing_mode(target: Path) -> int | None:
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        return None


def _set_mode(path: Path, mode: int) -> None:
    try:
        os.chmod(path, mode)
    except OSError:
        pass  # a folder that keeps no modes (a network share): its own rules apply


def _check_replaceable(target: Path) -> None:
    """Before anything is renamed: a file open in Acrobat (Windows) or made
    immutable cannot be opened for writing, and then could not be replaced."""
    if not target.exists():
        return
    try:
        with open(target, "r+b"):
            pass
    except PermissionError:
        raise _locked(target) from None


def _replace(temporary: Path, target: Path) -> None:
    try:
        os.replace(temporary, target)
    except PermissionError:
        raise _locked(target) from None


def _locked(target: Path) -> OutputError:
    # On Windows a document open in Word or Acrobat cannot be replaced.
    return OutputError(
        f"{target}: the file is open in another program (Word or a PDF reader?), or "
        "read-only; close the file and run again. Nothing was written"
    )


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
    _check_folder_replaceable(folder, keep)
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


def _check_folder_replaceable(folder: Path, keep: Path | None) -> None:
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


def write_new_file(candidates: Iterable[Path], data: bytes) -> Path:
    """Write ``data`` under the first of ``candidates`` that does not exist yet; its path.

    Nothing is ever written over: the bytes go to a temporary file in the
    folder, which is then hard-linked to the new name, a step that fails
    rather than replace a file another program made in the meantime (where
    the folder has no hard links, the name is claimed by creating it
    exclusively first). So the file appears whole or not at all. OutputError
    when every name is taken or the folder cannot be written.
    """
    candidates = [Path(c) for c in candidates]
    folder = candidates[0].parent
    try:
        handle, temporary_name = tempfile.mkstemp(prefix=".~wfs-", suffix=".tmp", dir=folder)
    except OSError as error:
        raise OutputError(f"{folder}: cannot write there ({error.strerror}); check you may "
                          "write to the folder") from None
    temporary = Path(temporary_name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        _set_mode(temporary, _new_file_mode())
        for target in candidates:
            if _claim(temporary, target):
                return target
    except OSError as error:
        raise OutputError(f"{folder}: cannot write there ({error.strerror or error}); nothing "
                          "was written. Check you may write to the folder") from None
    finally:
        temporary.unlink(missing_ok=True)
    raise OutputError(f"{candidates[-1]}: this file and {len(candidates) - 1} like it "
                      "already exist; move or delete the ones you no longer need and run "
                      "again")


def _claim(temporary: Path, target: Path) -> bool:
    """Give ``temporary``'s bytes the name ``target`` if no file has it: True if done."""
    try:
        os.link(temporary, target)
        return True
    except FileExistsError:
        return False
    except OSError:
        pass  # no hard links here (some network shares): claim the name, then fill it
    try:
        with open(target, "xb"):
            pass
    except FileExistsError:
        return False
    try:
        os.replace(temporary, target)  # over the empty file this run just made
    except OSError:
        target.unlink(missing_ok=True)
        raise
    return True
