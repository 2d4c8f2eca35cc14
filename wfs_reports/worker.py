"""Workers: a renderer on the second core, started before anything heavy is imported.

Imports are a large share of a run (WeasyPrint alone about half a second, the
Word libraries about a fifth) and each document is rendered on one core. The
CLI starts a worker as soon as it knows which formats are wanted, before it
imports the pipeline; the worker imports its renderer meanwhile and then
renders on the second core while this process reads the workbook and makes
the other files.

This module imports nothing but the standard library, so that starting a
worker, in this process and in the worker itself, costs almost nothing.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pathlib
import pickle
import subprocess
import sys
from collections.abc import Iterable
from typing import Any

from wfs_reports.worker_process import resolve

# What each kind of worker does first (import, and prepare what it can), and
# the module whose presence in this process means it is already imported here
# (then a worker gains nothing).
PRELOAD = {
    "pdf": ("wfs_reports.render_pdf:import_weasyprint", "weasyprint"),
    "docx": ("wfs_reports.render_docx:prepare_templates", "wfs_reports.render_docx"),
}


def start_worker(formats: Iterable[str], templates_folder: os.PathLike | str | None = None
                 ) -> Worker | None:
    """A Worker for the slowest format asked for (PDF, else Word), or None.

    ``templates_folder`` is the run's --templates folder (None: the built-in
    templates); a Word worker compiles that folder's Word template meanwhile.

    None when no worker would help: WFS_REPORTS_WORKER=0 in the environment,
    no PDF or Word file asked for, or the renderer already imported in this
    process (a test run, a long-lived caller), where rendering here is as fast.
    """
    if os.environ.get("WFS_REPORTS_WORKER", "").strip() == "0":
        return None
    formats = tuple(formats)
    kind = "pdf" if "pdf" in formats else "docx" if "docx" in formats else None
    if kind is None:
        return None
    preload, imported = PRELOAD[kind]
    if imported in sys.modules:
        return None
    argument = "" if kind == "pdf" or templates_folder is None else os.fspath(templates_folder)
    return Worker(preload, kind=kind, argument=argument)


def _give_back_memory() -> None:
    """Return this process's freed memory to the system (glibc only; else a no-op).

    The workbook and the other documents are done with by the time this
    process waits for its worker, but the C library keeps their freed memory
    (about 30 MB at 1,000 actions); the worker needs it more.
    """
    gc.collect()
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        trim = ctypes.CDLL(None).malloc_trim  # glibc; musl has none
    except (OSError, AttributeError):
        return
    trim(0)


class Worker:
    """A child process that imports a renderer now and runs it later.

    Imports are a large share of a run (WeasyPrint alone about half a second)
    and a report is rendered on one core. Started before the workbook is read,
    a worker imports its renderer (``preload``, 'module:function' to call,
    with ``argument`` if one is given, or 'module:' to import) and prepares
    what it can while this process reads the workbook; ``submit``
    then hands it the call to make ('module:function' and picklable
    arguments) and ``result`` returns its bytes. The worker runs the same code
    this process would, so the bytes are the same.

    If the worker cannot be started, dies, or raises anything but RuntimeError,
    ``result`` makes the call here instead: a broken worker never loses a
    report, and an unexpected error surfaces here with its traceback.
    RuntimeError (the renderers' "cannot be made" error) is raised again here
    with the same message. ``close`` (or leaving the ``with`` block) stops the
    worker if it still runs. WFS_REPORTS_WORKER=0 in the environment tells the
    pipeline not to use workers at all.
    """

    def __init__(self, preload: str, kind: str = "", argument: str = "") -> None:
        self.kind = kind  # "pdf" or "docx": the format it renders
        self._proc: subprocess.Popen[bytes] | None = None
        self._call: tuple[str, tuple[Any, ...]] | None = None
        package_root = str(pathlib.Path(__file__).resolve().parents[1])
        # Only this module is imported before the preload: it is light.
        code = (
            "import sys; sys.path.insert(0, sys.argv[1]); "
            "from wfs_reports.worker_process import main; main(*sys.argv[2:])"
        )
        if not sys.executable or getattr(sys, "frozen", False):
            return  # no interpreter to start (embedded, or a frozen app): render here
        try:
            self._proc = subprocess.Popen(
                [sys.executable, "-c", code, package_root, preload,
                 *([argument] if argument else [])],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                # Warnings (e.g. no HarfBuzz subsetter) reach the user as they
                # would from this process.
                stderr=None,
            )
        except OSError:
            self._proc = None

    def __enter__(self) -> Worker:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def submit(self, target: str, *args: Any) -> None:
        """Hand the worker the call to make: ``target`` as in the class docstring."""
        self._call = (target, args)
        if self._proc is None or self._proc.stdin is None:
            return
        try:
            request = pickle.dumps(self._call, protocol=pickle.HIGHEST_PROTOCOL)
            self._proc.stdin.write(request)
            self._proc.stdin.close()
        except (OSError, pickle.PicklingError, TypeError, AttributeError):
            self.close()  # died, or arguments it cannot take: result() works here

    def result(self) -> bytes:
        """The call's bytes; RuntimeError as the renderer raises it."""
        if self._call is None:
            raise RuntimeError("Worker.result() before submit()")
        if self._proc is not None:
            _give_back_memory()  # while the worker renders: both hold memory now
        answer = self._answer()
        if answer is not None:
            kind, value = answer
            if kind == "ok":
                return value
            if kind == "error":
                raise RuntimeError(value)
        target, args = self._call
        return resolve(target)(*args)

    def _answer(self) -> tuple[str, Any] | None:
        proc = self._proc
        if proc is None or proc.stdout is None:
            return None
        try:
            data = proc.stdout.read()
            proc.stdout.close()
            returncode = proc.wait()
            self._proc = None
            answer = pickle.loads(data) if data else None
        except (OSError, EOFError, pickle.UnpicklingError, ValueError):
            self.close()
            return None
        if returncode != 0 or not isinstance(answer, tuple) or len(answer) != 2:
            return None
        return answer

    def close(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.poll() is None:
            proc.kill()
        for stream in (proc.stdin, proc.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
        proc.wait()
