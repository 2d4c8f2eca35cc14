"""Render the requested formats in memory, the slow ones in side processes."""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import re
import signal
import sys
import threading
import unicodedata
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from wfs_reports.config import Templates
from wfs_reports.domain.errors import ReportError
from wfs_reports.domain.problems import Problem
from wfs_reports.render.formats import FORMATS
from wfs_reports.render.rendered import Rendered
from wfs_reports.report.view import ReportContext


class SideProcesses:
    """One more process for each format marked ``own_process`` (Word, PDF).

    Started before the workbook is read, the Word process imports its
    renderer (docxtpl, python-docx, lxml, Jinja2) on the other core while this
    process imports openpyxl and reads the workbook: that is Python work, which
    threads could not run side by side. Then each renders its file while this
    one makes the JSON. The PDF gets a process of its own so that no process
    holds both the workbook and Typst's layout of a long plan (memory).
    """

    def __init__(self, names: tuple[str, ...]) -> None:
        self.names = names
        context = multiprocessing.get_context("fork")
        self._pools: dict[str, ProcessPoolExecutor] = {}
        self._earlier = set(multiprocessing.active_children())
        try:
            for name in names:
                pool = ProcessPoolExecutor(max_workers=1, mp_context=context,
                                           initializer=_die_with_parent, initargs=(os.getpid(),))
                self._pools[name] = pool
                # A pool starts its process on the first task: start it now.
                pool.submit(_import_renderer, name)
        except BaseException:
            self.close(abandon=True)
            raise
        # Ours: the processes the pools started (a library caller may have others).
        self._processes = [p for p in multiprocessing.active_children() if p not in self._earlier]

    def submit(self, name: str, context: ReportContext, templates: Templates
               ) -> Future[Rendered]:
        return self._pools[name].submit(_render_one, name, context, templates)

    def close(self, *, abandon: bool = False) -> None:
        """Let the processes finish and end; ``abandon``: the run stopped (Ctrl-C,
        an error), so end them now rather than wait for a PDF nobody will use."""
        if abandon:
            ours = getattr(self, "_processes", None)
            if ours is None:  # still starting them
                ours = [p for p in multiprocessing.active_children() if p not in self._earlier]
            for process in ours:
                with contextlib.suppress(OSError, ValueError):
                    process.kill()
        for pool in self._pools.values():
            pool.shutdown(wait=True, cancel_futures=True)


# prctl(2): the signal the kernel sends this process when its parent dies.
PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int) -> None:
    """A side process ends when make-report does, even on kill -9: it has
    nothing to finish that anyone could use, and a long plan's PDF would keep
    a core and hundreds of megabytes busy for minutes. Linux only (the only
    system that forks them, see ``_can_fork``)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the kernel was told
        os._exit(1)
    # Ctrl-C reaches every process of the terminal's group: make-report itself
    # answers it (and ends this one), so this one prints no traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _import_renderer(name: str) -> None:
    FORMATS[name].load()


def _render_one(name: str, context: ReportContext, templates: Templates) -> Rendered:
    return FORMATS[name].render(context, templates)


@contextlib.contextmanager
def side_processes(formats: tuple[str, ...], *, enabled: bool
                   ) -> Iterator[SideProcesses | None]:
    """SideProcesses for the formats that gain from them, or None: when not
    ``enabled`` (library callers get no process they did not ask for), when
    WFS_REPORTS_PROCESSES=0 is set, when this process cannot fork (see
    ``_can_fork``) or when no such format is asked for."""
    names = tuple(n for n in formats if n in FORMATS and FORMATS[n].own_process)
    if (not enabled or not names or not _can_fork()
            or os.environ.get("WFS_REPORTS_PROCESSES", "").strip() == "0"):
        yield None
        return
    try:
        side = SideProcesses(names)
    except OSError:  # no more processes here: render everything in this one
        yield None
        return
    try:
        yield side
    except BaseException:
        side.close(abandon=True)
        raise
    side.close()


def _can_fork() -> bool:
    """Forking copies this process, imports and all, in a moment, so the side
    processes start at once. Only Linux forks by default, and only a process
    with no other thread can be forked safely. Elsewhere a new process would
    have to import everything again: not worth it, so all is done here."""
    return sys.platform == "linux" and threading.active_count() == 1


def render(
    context: ReportContext, templates: Templates, formats: tuple[str, ...],
    *, side: SideProcesses | None = None,
) -> tuple[dict[str, bytes], list[Problem]]:
    """Render every requested format in memory: ({file name: bytes}, problems),
    files in ``formats`` order. The ``side`` processes' formats are handed to
    them first and collected last."""
    unknown = [name for name in formats if name not in FORMATS]
    if unknown:
        raise ReportError(f"unknown format '{unknown[0]}'; choose from {', '.join(FORMATS)}")
    away = {name: side.submit(name, context, templates)
            for name in formats if side is not None and name in side.names}
    rendered = {name: FORMATS[name].render(context, templates)
                for name in formats if name not in away}
    for name, future in away.items():
        try:
            rendered[name] = future.result()
        except BrokenProcessPool:  # the second process died: make the file here
            rendered[name] = FORMATS[name].render(context, templates)
    stem = output_stem(context)
    documents = {f"{stem}{FORMATS[name].extension}": rendered[name].data for name in formats}
    problems = [problem for name in formats for problem in rendered[name].problems]
    return documents, problems


# A file name may have 255 bytes (Linux, macOS): the Title gets at most this
# many, leaving room for " - 2023-11-22", a superseded copy's " (<hash>)" and
# the extension. 80 characters of Bengali or Chinese are 240 bytes.
TITLE_BYTES = 200
# The combining class of a virama, which joins the next letter to its own
# (Bengali "ক্ত"): a name is not cut just after one.
_VIRAMA = 9


def output_stem(context: ReportContext) -> str:
    """'WFS Action Plan Update - 2023-11-22': the Title, safe as a file name
    anywhere: 80 characters at most, and TITLE_BYTES in UTF-8. The document
    itself keeps the whole Title."""
    title = re.sub(r'[<>:"/\\|?*\x00-\x1f]+', " ", context.title)
    title = " ".join(title.split()).strip(" .") or "Report"
    return f"{_shorten(title[:80], TITLE_BYTES)} - {context.as_at_iso}"


def _shorten(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` bytes of UTF-8, never inside a character,
    between a letter and the marks that belong to it (a Bengali vowel sign)
    nor inside a conjunct."""
    if len(text.encode("utf-8")) <= limit:
        return text
    end = len(text.encode("utf-8")[:limit].decode("utf-8", errors="ignore"))
    while end > 0 and (unicodedata.category(text[end]).startswith("M")
                       or text[end] in "\u200c\u200d" or text[end - 1] in "\u200c\u200d"
                       or unicodedata.combining(text[end - 1]) == _VIRAMA):
        end -= 1
    return text[:end].rstrip(" .") or text[:end]
