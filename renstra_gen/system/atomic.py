"""All-or-nothing writes: a build's output set switched by one rename, content files through a journal.

Build outputs (`publish`). Every output name in the folder is a fixed relative symlink
`<name> -> .renstra/<group>/<name>`; `.renstra/<group>` is itself a symlink to the folder of one
complete build (`.renstra/<group>.<random>/`). A new build writes and fsyncs its files into a new
folder, then replaces the `<group>` symlink with one `rename(2)`: at every instant the folder shows
the whole old set or the whole new set, never a .docx of build N beside the .xlsx of build N-1, and
never a missing file. The commit runs under an exclusive `flock` on `.renstra/`, so concurrent builds
into one folder take turns (both succeed); anything in `.renstra/` that no pointer names is left over
from a killed run and is removed by the next one.

Content files (`replace_files`): they live in several folders and must stay plain files (or the
user's symlinks), so they go through a two-phase journal in the content folder: temporaries beside
each file (fsynced), then the journal says "commit" (one rename), then each file is replaced with
`os.replace` (no moment without a file). The next run of any command finishes a committed journal
(roll forward) or removes the temporaries of an uncommitted one (roll back), so after it the set is
complete old or complete new.

Every new file gets the mode of the file it replaces, else the one the umask gives (0644 under 022).
`RENSTRA_FAULT_RENAME=N` kills the process with SIGKILL just before its N-th rename (tests only).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import re
import secrets
import shutil
import signal
import threading
from pathlib import Path

from renstra_gen.errors import OutputError
from renstra_gen.system.pesan import os_reason

STORE = ".renstra"
JOURNAL = ".renstra-journal.json"
FAULT_ENV = "RENSTRA_FAULT_RENAME"
_renames = 0


def _rename(src: str | Path, dst: str | Path) -> None:
    """os.replace, with the test hook that kills the process before the N-th one."""
    global _renames
    _renames += 1
    fault = os.environ.get(FAULT_ENV, "")
    if fault.isdigit() and int(fault) == _renames:
        os.kill(os.getpid(), signal.SIGKILL)
    os.replace(src, dst)


def default_mode() -> int:
    """The mode a new file gets from the process umask (0o644 under umask 022)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return 0o666 & ~int(line.split()[1], 8)
    except OSError:
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def _mode_of(path: Path) -> int:
    try:
        return os.stat(path).st_mode & 0o7777
    except OSError:
        return default_mode()


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_new(path: Path, data: bytes, mode: int) -> None:
    """Create `path` (it must not exist), write and fsync it, with `mode`."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fchmod(fd, mode)
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        Path(path).unlink(missing_ok=True)  # a partial temporary (a full disk) never stays
        raise
    os.close(fd)


_local = threading.local()  # .held: folders this thread holds a lock on -> depth (the lock is re-entrant)


@contextlib.contextmanager
def locked(folder: Path, shared: bool = False):
    """A flock on a folder for the duration (released by the kernel if the process dies).

    Exclusive for writers; shared for readers of a whole content set (a build never reads half of
    an import). Re-entrant within the process; a missing folder or a file system without locks is
    not locked."""
    key = os.path.realpath(folder)
    if not hasattr(_local, "held"):
        _local.held = {}
    _held = _local.held
    if key in _held:
        _held[key] += 1
        try:
            yield
        finally:
            _held[key] -= 1
        return
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except (FileNotFoundError, NotADirectoryError):
        yield
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
        except OSError as e:  # a file system without locks: go on unserialised
            if e.errno not in (errno.ENOLCK, errno.EOPNOTSUPP, errno.EINVAL, errno.EBADF, errno.EACCES, errno.EPERM):
                raise
        _held[key] = 1
        yield
    finally:
        _held.pop(key, None)
        os.close(fd)  # closing releases the lock


def _tmp_name(name: str) -> str:
    return f".{name}.{secrets.token_hex(4)}.tmp"


# ---------------------------------------------------------------- build outputs


def publish(out_dir: Path, group: str, files: dict[str, bytes], keep_others: bool = False) -> list[Path]:
    """Make `files` (name -> bytes) the current set `group` of `out_dir` with one rename.

    keep_others: the group's other current files stay in the set (`renstra pdf` adds a PDF to a
    build); otherwise the new set is exactly `files` and names of the old set not in it disappear."""
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        store = out_dir / STORE
        store.mkdir(exist_ok=True)
    except OSError as e:
        raise OutputError(f"{out_dir}: folder keluaran tidak dapat dibuat ({os_reason(e)})") from e
    for name in files:
        target = out_dir / name
        if target.exists() and not os.access(target, os.W_OK):
            raise OutputError(f"{target}: berkas hanya-baca; berkas keluaran sebelumnya tidak diubah")
    with locked(store):
        if not _symlinks_work(store):
            # a file system without symlinks (FAT, some network shares): every file is still replaced
            # whole, and the set is completed through the journal by the next run if one is killed
            replace_files(out_dir, {out_dir / name: data for name, data in files.items()})
            with contextlib.suppress(OSError):
                store.rmdir()
            return [out_dir / name for name in files]
        _clean(out_dir, store, files)
        pointer = store / group
        current = _current(pointer)
        version = store / f"{group}.{secrets.token_hex(6)}"
        tmp = store / _tmp_name(group)
        try:
            version.mkdir(mode=0o777)  # the umask applies: colleagues can reach the files
            for name, data in files.items():
                _write_new(version / name, data, _mode_of(out_dir / name))
            if keep_others and current is not None:
                for old in current.iterdir():
                    if old.name not in files:
                        _link_or_copy(old, version / old.name)
            _fsync_dir(version)
            current = _adopt(out_dir, store, pointer, current, files)
            for name in files:  # links that show the current set (unchanged content until the switch)
                _link(out_dir / name, f"{STORE}/{group}/{name}")
            os.symlink(version.name, tmp)
            _rename(tmp, pointer)  # the commit: the whole new set at once
            _fsync_dir(store)
        except BaseException as e:
            tmp.unlink(missing_ok=True)
            shutil.rmtree(version, ignore_errors=True)
            if isinstance(e, OSError):
                raise OutputError(f"{out_dir}: keluaran tidak dapat ditulis ({os_reason(e)}); "
                                  f"berkas keluaran sebelumnya tidak diubah") from e
            raise
        if current is not None:
            if not keep_others:
                for old in current.iterdir():
                    link = out_dir / old.name
                    if old.name not in files and link.is_symlink() and not link.exists():
                        link.unlink()
            shutil.rmtree(current, ignore_errors=True)
        _fsync_dir(out_dir)
    return [out_dir / name for name in files]


def _symlinks_work(store: Path) -> bool:
    probe = store / _tmp_name("probe")
    try:
        os.symlink("probe", probe)
    except OSError as e:
        if e.errno in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOSYS, errno.EACCES):
            return False
        raise
    probe.unlink(missing_ok=True)  # (a concurrent run's clean-up may have taken it already)
    return True


def _link_or_copy(src: Path, dst: Path) -> None:
    try:
        os.link(src, dst)
    except OSError:  # no hard links here: a copy holds the same bytes
        shutil.copy2(src, dst)


def _current(pointer: Path) -> Path | None:
    if pointer.is_symlink():
        target = pointer.parent / os.readlink(pointer)
        if target.is_dir():
            return target
    return None


def _link(path: Path, target: str) -> None:
    """`path` becomes the symlink `target` (replaced with one rename; left alone if already so)."""
    if path.is_symlink() and os.readlink(path) == target:
        return
    if path.is_dir() and not path.is_symlink():
        raise OSError(errno.EISDIR, f"{path.name} adalah folder")
    tmp = path.with_name(_tmp_name(path.name))
    os.symlink(target, tmp)
    try:
        _rename(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _adopt(out_dir: Path, store: Path, pointer: Path, current: Path | None, files: dict[str, bytes]) -> Path | None:
    """Plain files of earlier versions (or another program) take their place in the current set.

    They are hard-linked into the current version first, so turning them into links changes
    nothing a reader sees until the switch."""
    plain = [n for n in files if (out_dir / n).is_file() and not (out_dir / n).is_symlink()]
    if not plain:
        return current
    if current is None:
        current = store / f"{pointer.name}.{secrets.token_hex(6)}"
        current.mkdir(mode=0o777)
        for name in plain:
            _link_or_copy(out_dir / name, current / name)
        _fsync_dir(current)
        tmp = store / _tmp_name(pointer.name)
        os.symlink(current.name, tmp)
        _rename(tmp, pointer)
        return current
    for name in plain:
        (current / name).unlink(missing_ok=True)
        _link_or_copy(out_dir / name, current / name)
    _fsync_dir(current)
    return current


_STALE = re.compile(r"\..+\.[A-Za-z0-9_]+\.(tmp|bak)$")


def _clean(out_dir: Path, store: Path, files: dict[str, bytes]) -> None:
    """Remove what killed runs left (called under the lock, so nobody else is writing)."""
    live = set()
    for entry in store.iterdir():
        if entry.is_symlink() and not entry.name.startswith("."):
            live.add(os.readlink(entry))
    for entry in store.iterdir():
        if entry.is_symlink():
            if entry.name.startswith(".") or not entry.exists():
                entry.unlink(missing_ok=True)
        elif entry.is_dir():
            if entry.name not in live:
                shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
    for entry in out_dir.iterdir():
        name = entry.name
        if _STALE.match(name) and any(name.startswith(f".{n}.") for n in files):
            entry.unlink(missing_ok=True)  # temporaries and .bak files of earlier versions too
        elif entry.is_symlink() and os.readlink(entry).startswith(f"{STORE}/") and not entry.exists():
            entry.unlink(missing_ok=True)  # a link made for a new file by a run killed before its switch


# ---------------------------------------------------------------- content files


def replace_files(root: Path, outputs: dict[Path, bytes]) -> list[Path]:
    """Replace several files under `root` all or nothing (see the module docstring).

    A symlinked file is written through its link (the link stays a link)."""
    root = Path(root)
    try:
        for p in outputs:
            Path(os.path.realpath(p)).parent.mkdir(parents=True, exist_ok=True)
        root.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(f"{e.filename or root}: folder tidak dapat dibuat ({os_reason(e)})") from e
    with locked(root):
        recover(root, lock=False)
        staged: list[tuple[Path, Path]] = []  # (temporary, real file)
        journal = root / JOURNAL
        try:
            reals = [(Path(os.path.realpath(p)), data) for p, data in outputs.items()]
            plan = [(real.with_name(_tmp_name(real.name)), real, data) for real, data in reals]
            _write_journal(journal, "siapkan", [(t, r) for t, r, _ in plan])
            for tmp, real, data in plan:
                _write_new(tmp, data, _mode_of(real))
                staged.append((tmp, real))
            for parent in {r.parent for _, r in staged}:
                _fsync_dir(parent)
            _write_journal(journal, "terapkan", staged)  # the commit point
        except BaseException as e:
            for tmp, _ in staged:
                tmp.unlink(missing_ok=True)
            journal.unlink(missing_ok=True)
            if isinstance(e, OSError):
                raise OutputError(f"{getattr(e, 'filename', None) or root}: tidak dapat ditulis "
                                  f"({os_reason(e)}); tidak ada berkas yang diubah") from e
            raise
        _roll_forward(journal, staged)
    return [r for _, r in staged]


def _write_journal(journal: Path, state: str, items: list[tuple[Path, Path]]) -> None:
    data = json.dumps({"keadaan": state, "berkas": [[str(t), str(r)] for t, r in items]}).encode()
    tmp = journal.with_name(_tmp_name(journal.name))
    _write_new(tmp, data, default_mode())
    _rename(tmp, journal)
    _fsync_dir(journal.parent)


def _roll_forward(journal: Path, items: list[tuple[Path, Path]]) -> None:
    for tmp, real in items:
        if tmp.exists():
            _rename(tmp, real)
            _fsync_dir(real.parent)
    journal.unlink(missing_ok=True)
    _fsync_dir(journal.parent)


def recover(root: Path, lock: bool = True) -> None:
    """Finish (or undo) a content write that a killed run left; nothing to do in the usual case."""
    root = Path(root)
    journal = root / JOURNAL
    stale = [p for p in root.glob(f".{JOURNAL}.*.tmp")]
    if not journal.exists() and not stale:
        return
    with locked(root) if lock else contextlib.nullcontext():
        for p in stale:
            p.unlink(missing_ok=True)
        try:
            record = json.loads(journal.read_text(encoding="utf-8"))
            items = [(Path(t), Path(r)) for t, r in record["berkas"]]
            state = record["keadaan"]
        except FileNotFoundError:
            return
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise OutputError(f"{journal}: catatan penulisan rusak ({e}); periksa berkas konten lalu hapus catatan ini") from e
        if state == "terapkan":
            _roll_forward(journal, items)
        else:
            for tmp, _ in items:
                tmp.unlink(missing_ok=True)
            journal.unlink(missing_ok=True)


def write_atomically(outputs: dict[Path, bytes], root: Path | None = None) -> list[Path]:
    """Replace several files all or nothing (a journal under `root`, by default their common folder).

    See replace_files: temporaries beside each file, fsynced, one commit, then os.replace."""
    if root is None:
        root = Path(os.path.commonpath([os.path.realpath(p.parent) for p in outputs]))
    replace_files(root, outputs)
    return list(outputs)
