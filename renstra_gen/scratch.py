"""Private temporary folders that never outlive their run: removed on every exit, stale ones swept.

A run's folder (`renstra-<kind>-<random>` in the system's temporary folder) is held with a `flock`
for as long as the run lives; the kernel drops the lock when the process dies, however it dies.
The next run of the same kind removes every such folder of this user whose lock it can take (its
owner is gone: SIGKILL, power loss). SIGTERM is turned into SystemExit by the CLI
(`exit_on_sigterm`), so `finally` blocks, and with them these folders' removal, run on it too.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import signal
import tempfile
from collections.abc import Iterator
from pathlib import Path


def sweep(kind: str) -> None:
    """Remove the folders of `kind` left by this user's killed runs (those nobody holds)."""
    base = Path(tempfile.gettempdir())
    try:
        entries = list(base.glob(f"renstra-{kind}-*"))
    except OSError:
        return
    for entry in entries:
        try:
            st = entry.lstat()
        except OSError:
            continue
        if entry.is_symlink() or not entry.is_dir() or st.st_uid != os.getuid():
            continue
        try:
            fd = os.open(entry, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            continue  # a live run holds it
        try:
            shutil.rmtree(entry, ignore_errors=True)
        finally:
            os.close(fd)


@contextlib.contextmanager
def scratch_dir(kind: str) -> Iterator[Path]:
    """A new private folder (0700) held for the duration and removed on leaving; stale ones swept first."""
    sweep(kind)
    path = Path(tempfile.mkdtemp(prefix=f"renstra-{kind}-"))
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)  # shared: a sweeper's exclusive attempt fails while we live
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)
        os.close(fd)


def exit_on_sigterm() -> None:
    """SIGTERM raises SystemExit(143) in the main thread, so cleanup code runs (CLI only)."""
    def _handler(signum, frame):
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        raise SystemExit(128 + signum)

    with contextlib.suppress(ValueError):  # not the main thread: leave the default
        signal.signal(signal.SIGTERM, _handler)
