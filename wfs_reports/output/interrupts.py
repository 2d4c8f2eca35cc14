"""Ctrl-C cannot split a step that must be whole.

Putting a finished set of files in place is several renames; a Ctrl-C
between two of them would leave the new Word file beside the old PDF.
``interrupts_deferred`` holds a Ctrl-C (SIGINT) back for the length of its
``with`` block: the block finishes, then ``Deferred.received`` says whether
Ctrl-C was pressed, and the caller stops, saying truly what it did.

Signal handlers belong to the main thread; elsewhere (a library caller's
worker thread, where Ctrl-C never arrives anyway) nothing is changed.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass
class Deferred:
    received: bool = False


@contextlib.contextmanager
def interrupts_deferred() -> Iterator[Deferred]:
    deferred = Deferred()
    if threading.current_thread() is not threading.main_thread():
        yield deferred
        return
    previous = signal.getsignal(signal.SIGINT)
    if previous is not signal.default_int_handler:
        yield deferred  # Ctrl-C is ignored, or handled by the caller: leave it so
        return

    def hold(_signum, _frame) -> None:
        deferred.received = True

    signal.signal(signal.SIGINT, hold)
    try:
        yield deferred
    finally:
        signal.signal(signal.SIGINT, previous)
