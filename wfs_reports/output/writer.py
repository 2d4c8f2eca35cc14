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

import errno
import os
import shutil
import stat
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from wfs_reports.domain.errors import OutputError, Stopped
from wfs_reports.output._folder import make_folder
from wfs_reports.output.interrupts import interrupts_deferred


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
    make_folder(folder)
    new_mode = _new_file_mode()
    staged: list[tuple[Path, Path]] = []  # (temporary, target)
    backups: dict[Path, Path] = {}  # target -> its earlier contents, for a rollback
    kept: list[Path] = []
    replaced: list[Path] = []
    # Ctrl-C is held back: pressed while the files are written it stops the run
    # before anything is replaced; pressed later, once the whole set is in place.
    with interrupts_deferred() as interrupt:
        try:
            for name, data in documents.items():
                target = folder / name
                handle, temporary_name = tempfile.mkstemp(prefix=".~wfs-", suffix=".tmp",
                                                          dir=folder)
                staged.append((Path(temporary_name), target))
                with os.fdopen(handle, "wb") as stream:
                    stream.write(data)
                    stream.flush()
                    os.fsync(stream.fileno())
                    _set_mode(stream.fileno(), _existing_mode(target) or new_mode)
            for _temporary, target in staged:
                _check_replaceable(target)
            if interrupt.received:
                raise KeyboardInterrupt  # nothing is replaced yet: "nothing was written"
            for original, copy in keep.items():
                _folder_for_kept(copy.parent)
                _copy(original, copy)
                kept.append(copy)
            for _temporary, target in staged:
                if os.path.lexists(target):  # a link too: a rollback puts the link back
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
    written = [target for _temporary, target in staged]
    if interrupt.received:
        raise Stopped(written)
    return written


def _folder_for_kept(folder: Path) -> None:
    """The folder an earlier set is kept in (``superseded``), made if missing;
    a file or a broken link of that name is named, not taken for a folder."""
    if folder.is_dir():
        return
    if folder.is_symlink():
        raise OutputError(
            f"{folder}: this is a link to '{os.readlink(folder)}', which is not a folder, so "
            "the earlier report cannot be kept in it; nothing was written. Remove the link, or "
            "choose another --out")
    if os.path.lexists(folder):
        raise OutputError(
            f"{folder}: this is a file, not a folder, so the earlier report cannot be kept in "
            "it; nothing was written. Move or rename the file, or choose another --out")
    folder.mkdir(parents=True)


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
    """A hard link where the folder allows it (instant, same bytes), else a
    copy; a symbolic link is copied as the link, never followed."""
    destination.unlink(missing_ok=True)
    try:
        os.link(source, destination, follow_symlinks=False)
    except (OSError, NotImplementedError):
        shutil.copy2(source, destination, follow_symlinks=False)


def _new_file_mode() -> int:
    """What a new file in this folder gets from the umask (0644 under umask 022)."""
    return 0o666 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _existing_mode(target: Path) -> int | None:
    """The mode of the file a new one replaces; none for a symbolic link put
    where a report goes: its target's mode is not the report's to take."""
    try:
        status = target.lstat()
    except OSError:
        return None
    return None if stat.S_ISLNK(status.st_mode) else stat.S_IMODE(status.st_mode)


def _set_mode(descriptor: int, mode: int) -> None:
    """On the open file, before it has its name: nothing else can be changed."""
    fchmod = getattr(os, "fchmod", None)
    if fchmod is None:
        return  # Windows: a file's permissions come from its folder
    try:
        fchmod(descriptor, mode)
    except OSError:
        pass  # a folder that keeps no modes (a network share): its own rules apply


def _check_replaceable(target: Path) -> None:
    """Before anything is renamed: a file open in Acrobat (Windows) or made
    immutable cannot be opened for writing, and then could not be replaced."""
    if target.is_symlink() or not target.exists():
        return  # a link is replaced itself, its target never opened
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


def write_new_file(candidates: Path | Iterable[Path], data: bytes) -> Path:
    """Create the first of ``candidates`` (one path, or names to try in order)
    that does not exist yet, holding ``data``, whole or not at all, never
    replacing anything already there (a file, or a link: never followed).

    The bytes go to a temporary file beside it first (a full disk leaves no
    damaged file), which gets the umask's mode while open, and is then
    hard-linked into place: a link is refused when the name is taken, with no
    moment in which a check and the write could be told apart (a folder
    without hard links, as some network shares, claims the name exclusively
    first). Ctrl-C is held back over the step. Raises FileExistsError when
    every name is taken, OSError when the folder cannot be written.
    """
    names = [Path(candidates)] if isinstance(candidates, (str, Path)) \
        else [Path(c) for c in candidates]
    handle, temporary_name = tempfile.mkstemp(prefix=".~wfs-", suffix=".tmp",
                                              dir=names[0].parent)
    temporary = Path(temporary_name)
    with interrupts_deferred() as interrupt:  # as write_outputs
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
                _set_mode(stream.fileno(), _new_file_mode())
            if interrupt.received:
                raise KeyboardInterrupt  # nothing is in place yet
            written = next((target for target in names if _claim(temporary, target)), None)
        finally:
            temporary.unlink(missing_ok=True)
    if written is None:
        raise FileExistsError(errno.EEXIST, "already exists", str(names[-1]))
    if interrupt.received:
        raise Stopped([written])
    return written


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
    try:
        _check_folder_replaceable(folder, keep)
    except OSError as error:  # a path longer than the system allows, a folder not readable
        raise OutputError(
            f"{folder}: cannot write the update requests ({error.strerror or error}); "
            f"{_choose_another(error)}"
        ) from None
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        staged = Path(tempfile.mkdtemp(prefix=".~wfs-", dir=folder.parent))
        # mkdtemp makes it private; the folder is for sharing, as any new folder here
        staged.chmod(0o777 & ~_umask())
    except OSError as error:
        raise OutputError(
            f"{folder.parent}: cannot create the output folder ({error.strerror}); choose "
            "another with --out"
        ) from None
    old: Path | None = None
    # As write_outputs: Ctrl-C stops the run before the folders are swapped, or
    # after the new one has taken the old one's place, never between.
    with interrupts_deferred() as interrupt:
        try:
            for name, data in documents.items():
                with open(staged / name, "xb") as stream:
                    stream.write(data)
                    stream.flush()
                    os.fsync(stream.fileno())
            if interrupt.received:
                raise KeyboardInterrupt  # nothing is replaced yet
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
                f"{folder}: cannot write the update requests ({error.strerror or error}); "
                f"{_choose_another(error)}"
            ) from None
        finally:
            if staged.exists():
                shutil.rmtree(staged, ignore_errors=True)
            if old is not None and old.is_symlink():  # the folder was a link: only it goes
                old.unlink(missing_ok=True)
            elif old is not None:
                shutil.rmtree(old, ignore_errors=True)
    if interrupt.received:
        raise Stopped([folder])
    return [folder / name for name in documents]


def _choose_another(error: OSError) -> str:
    if error.errno == errno.ENAMETOOLONG:
        return "choose a folder with a shorter path with --out"
    return "check you may write to the folder, or choose another with --out"


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


def _claim(temporary: Path, target: Path) -> bool:
    """Give ``temporary``'s bytes the name ``target`` if no file has it: True if done."""
    try:
        os.link(temporary, target, follow_symlinks=False)
        return True
    except FileExistsError:
        return False
    except (OSError, NotImplementedError):
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
