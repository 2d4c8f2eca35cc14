"""The worker's own process (see wfs_reports.worker): stdin a pickled call,
stdout a pickled answer.

Kept apart from wfs_reports.worker and importing almost nothing before the
preload (not even pickle), so that the worker starts its real work (importing
its renderer) as early as it can.
"""

from __future__ import annotations

import os
import sys
import threading


def resolve(target: str):  # a function, or a module
    """'package.module:function' -> the function ('package.module:' -> the module)."""
    import importlib

    module_name, _, function = target.partition(":")
    module = importlib.import_module(module_name)
    return getattr(module, function) if function else module


def _traceback() -> str:
    import traceback  # only when something failed

    return traceback.format_exc()


def main(preload: str, *arguments: str) -> None:
    """A Worker's process: stdin a pickled call, stdout a pickled answer."""
    # The answer goes to the real stdout; anything else printed to fd 1 (a C
    # library, a stray print) goes to stderr so it cannot corrupt the answer.
    answer_out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    request = []  # the pickled call, once read
    # Read the request while the preload runs, so the parent never waits to write.
    reader = threading.Thread(target=lambda: request.append(sys.stdin.buffer.read()),
                              daemon=True)
    reader.start()
    try:
        failed = ""
        try:
            loaded = resolve(preload)
            if callable(loaded):
                loaded(*arguments)
        except Exception:  # the parent retries in-process and reports it there
            failed = _traceback()
        import pickle  # after the preload, which imports what pickle needs anyway

        reader.join()
        if not request or not request[0]:
            os._exit(0)  # the parent gave up (an error before rendering): nothing to do
        answer = ("crash", failed)
        if not failed:
            try:
                target, args = pickle.loads(request[0])
                answer = ("ok", resolve(target)(*args))
            except RuntimeError as exc:
                answer = ("error", str(exc))
            except Exception:
                answer = ("crash", _traceback())
        answer_out.write(pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL))
        answer_out.close()
        # Done: skip tearing down a heap of layout objects the parent would wait for.
        sys.stderr.flush()
        os._exit(0)
    except KeyboardInterrupt:  # Ctrl+C reaches both processes; the parent says so
        os._exit(130)
    except BrokenPipeError:  # the parent stopped waiting
        os._exit(1)
