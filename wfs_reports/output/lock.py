"""One make-report at a time writes into a folder.

Two officers may run make-report into one shared folder at the same moment.
Each run decides what to supersede, moves it and renames its new files into
place; two runs doing that at once could each move the other's files, or
leave one run's Word file beside another's PDF. The folder is therefore
locked for that whole phase, with ``filelock`` (an OS lock on a small hidden
file in the folder, ``.make-report.lock``: ``flock`` on Linux and macOS,
``LockFileEx`` on Windows shares). A lock dies with the process that holds
it, so a killed run never leaves the folder locked.

A run that finds the folder locked says so once and waits; after ``wait``
seconds it gives up with one line, having written nothing.

Under the lock, temporary files and folders an earlier run left behind
(``.~wfs-*``: that run was killed) are removed, when they are older than this
run: no other run can be using them, since none holds the lock.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import filelock

from wfs_reports.domain.errors import OutputError
from wfs_reports.output._folder import make_folder

LOCK_NAME = ".make-report.lock"
# How long a run waits for another to finish writing (seconds). Writing takes
# a second or two; a slow network share, more.
LOCK_WAIT = 120.0
WAITING = "another make-report is writing to this folder; waiting…"
# What a run's temporary files and folders are called (see writer.py).
TEMPORARY_PREFIX = ".~wfs-"


@contextlib.contextmanager
def folder_lock(
    folder: Path, *, wait: float = LOCK_WAIT, on_wait: Callable[[str], None] | None = None,
    started: float | None = None, spare: Path | None = None,
) -> Iterator[None]:
    """Hold ``folder``'s lock (creating the folder) for the ``with`` block.

    ``on_wait(line)`` is called once if another run holds it. ``started`` (a
    ``time.time()``) is when this run began: temporaries older than that are
    removed once the lock is held, but never ``spare`` (the workbook being read).
    """
    folder = Path(folder)
    make_folder(folder)
    lock = filelock.FileLock(folder / LOCK_NAME, timeout=wait)
    try:
        try:
            lock.acquire(timeout=0)
        except filelock.Timeout:
            if on_wait is not None:
                on_wait(WAITING)
            lock.acquire(timeout=wait)
    except filelock.Timeout:
        raise OutputError(
            f"{folder}: another make-report has been writing to this folder for over "
            f"{wait:g} seconds; nothing was written. Run again when it has finished"
        ) from None
    except OSError as error:
        what = ("choose a folder with a shorter path with --out"
                if error.errno == errno.ENAMETOOLONG
                else "check you may write to it, or choose another with --out")
        raise OutputError(
            f"{folder / LOCK_NAME}: cannot lock the output folder ({error.strerror or error}); "
            f"{what}"
        ) from None
    try:
        if started is not None:
            remove_stale_temporaries(folder, started, spare=spare)
        yield
    finally:
        lock.release()


def remove_stale_temporaries(folder: Path, before: float, *, spare: Path | None = None
                             ) -> list[Path]:
    """Remove the ``.~wfs-*.tmp`` and ``.~wfs-*.old`` files and ``.~wfs-*``
    folders in ``folder`` last changed before ``before``, but not ``spare``;
    call only while holding the folder's lock. Returns what went. A symbolic
    link is removed as a link, never followed."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not entry.name.startswith(TEMPORARY_PREFIX):
            continue
        try:
            status = entry.stat(follow_symlinks=False)
            if status.st_mtime >= before or (spare is not None and _same(entry.path, spare)):
                continue
            if stat.S_ISDIR(status.st_mode):
                if spare is not None and Path(spare).resolve().is_relative_to(
                        Path(entry.path).resolve()):
                    continue
                shutil.rmtree(entry.path)
            elif stat.S_ISLNK(status.st_mode) or entry.name.endswith((".tmp", ".old")):
                os.unlink(entry.path)
            else:
                continue
        except OSError:
            continue  # another program's file, or already gone: leave it
        removed.append(Path(entry.path))
    return removed


def _same(path: str, other: Path) -> bool:
    try:
        return os.path.samefile(path, other)
    except OSError:
        return False
