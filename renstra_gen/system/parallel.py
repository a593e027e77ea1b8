"""One function call in a forked child process, so that two outputs render on two cores.

The child inherits everything already computed (copy-on-write), so nothing is pickled on the
way in; only the result (bytes) or the exception comes back through a pipe. Where fork does not
exist, or other threads run (a program that embeds the library: forking a threaded process can
deadlock the child on a lock another thread held), the call simply runs in this process.
"""

from __future__ import annotations

import os
import pickle
import threading
from typing import Any, Callable

from renstra_gen.errors import OutputError


class Forked:
    """`fn(*args)` started in a child process now; `result()` waits for it and returns its value or
    raises its exception. Use as a context manager: leaving it without `result()` ends the child.

    `fork=False`: no child; `fn` runs in this process when `result()` is first called (after whatever
    this process did meanwhile, whose temporary memory is free again by then)."""

    def __init__(self, fn: Callable[..., Any], *args: Any, fork: bool = True):
        self._pid: int | None = None
        self._value: tuple[bool, Any] | None = None
        self._later: tuple[Callable[..., Any], tuple] | None = None
        if not fork:
            self._later = (fn, args)
            return
        if not hasattr(os, "fork") or threading.active_count() > 1:
            self._value = _call(fn, args)
            return
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: compute, send, and leave without running the parent's cleanup
            status = 0
            try:
                os.close(read)
                with os.fdopen(write, "wb") as pipe:
                    pipe.write(_dumps(_call(fn, args)))
            except BaseException:
                status = 1
            finally:
                os._exit(status)
        os.close(write)
        self._pid, self._read = pid, read

    def result(self) -> Any:
        if self._later is not None:
            fn, args = self._later
            self._later = None
            self._value = _call(fn, args)
        if self._value is None:
            with os.fdopen(self._read, "rb") as pipe:
                data = pipe.read()  # read everything before waiting, or a large result blocks the child
            _, status = os.waitpid(self._pid, 0)
            self._pid = None
            if not data:
                raise OutputError(f"proses anak berhenti tanpa hasil (status {status})")
            self._value = pickle.loads(data)  # our own child's bytes
        ok, value = self._value
        if not ok:
            raise value
        return value

    def close(self) -> None:
        if self._pid is not None:
            try:
                os.kill(self._pid, 9)
                os.waitpid(self._pid, 0)
            except OSError:
                pass
            os.close(self._read)
            self._pid = None

    def __enter__(self) -> Forked:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _call(fn: Callable[..., Any], args: tuple) -> tuple[bool, Any]:
    try:
        return True, fn(*args)
    except Exception as e:  # noqa: BLE001 - handed to the parent, which raises it
        return False, e


def _dumps(value: tuple[bool, Any]) -> bytes:
    try:
        return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as e:  # noqa: BLE001 - an exception that cannot be pickled still reaches the parent
        ok, inner = value
        return pickle.dumps((False, OutputError(str(inner if not ok else e))))
