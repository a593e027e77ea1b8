"""Private temporary folders that never outlive their run: removed on every exit, stale ones swept.

A run's folder (`renstra-<kind>.<random>` in the system's temporary folder) is held with a `flock`
for as long as the run lives; the kernel drops the lock when the process dies, however it dies.
The next run of the same kind removes every such folder of this user whose lock it can take (its
owner is gone: SIGKILL, power loss) and that is older than a minute (never one being made).
Folders of earlier versions (`renstra-<kind>-<random>`, never locked) are removed only once a day
old, so that a run of an earlier version on the same machine keeps its folder. SIGTERM is turned
into SystemExit by the CLI (`exit_on_sigterm`), so `finally` blocks, and with them these folders'
removal, run on it too.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import signal
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path


#: Seconds before an unheld folder counts as left behind (a folder being made is not yet locked).
STALE_SECONDS = 60
#: Seconds before an earlier version's folder (never locked) counts as left behind.
LEGACY_SECONDS = 24 * 3600


def sweep(kind: str) -> None:
    """Remove the folders of `kind` left by this user's killed runs (those nobody holds)."""
    base = Path(tempfile.gettempdir())
    try:
        entries = [(e, STALE_SECONDS) for e in base.glob(f"renstra-{kind}.*")]
        entries += [(e, LEGACY_SECONDS) for e in base.glob(f"renstra-{kind}-*")]
    except OSError:
        return
    now = time.time()
    for entry, age in entries:
        try:
            st = entry.lstat()
        except OSError:
            continue
        if entry.is_symlink() or not entry.is_dir() or st.st_uid != os.getuid() or now - st.st_mtime < age:
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
    path = Path(tempfile.mkdtemp(prefix=f"renstra-{kind}."))
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
