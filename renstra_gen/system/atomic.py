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

A journal is found in a folder that may have come from someone else (a received content folder, a
cloned repository, an output folder on a share), so it is obeyed only when it proves to be this
user's own: it carries an HMAC under the user's private key (the key of the compiled-template cache,
cache.py) over the folder it belongs to and its items, and every item must be a temporary this
module names (`.<name>.<8 hex>.tmp`) beside its target, both inside that folder, reached without a
symbolic link, and never under `.git`. Any other journal is reported (OutputError) and left alone.

Every new file gets the mode of the file it replaces, else the one the umask gives (0644 under 022).
`RENSTRA_FAULT_RENAME=N` kills the process with SIGKILL just before its N-th rename (tests only).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import hmac
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


def _target(path: Path, replace_links: bool) -> Path:
    """The file a write replaces: the link's target, or with `replace_links` the link itself (its folder resolved)."""
    if replace_links:
        return Path(os.path.realpath(Path(path).parent)) / Path(path).name
    return Path(os.path.realpath(path))


def replace_files(root: Path, outputs: dict[Path, bytes], *, replace_links: bool = False,
                  mode: int | None = None) -> list[Path]:
    """Replace several files under `root` all or nothing (see the module docstring).

    A symlinked file is written through its link (the link stays a link: the user's own content
    files); with `replace_links` (outputs, derived files) the link itself is replaced by the file and
    what it pointed to is never touched. `mode`: the new files' mode (a derived file keeps its
    input's), else the mode of the file replaced or the umask's."""
    root = Path(root)
    try:
        for p in outputs:
            _target(p, replace_links).parent.mkdir(parents=True, exist_ok=True)
        root.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(f"{e.filename or root}: folder tidak dapat dibuat ({os_reason(e)})") from e
    with locked(root):
        recover(root, lock=False)
        staged: list[tuple[Path, Path]] = []  # (temporary, real file)
        journal = root / JOURNAL
        try:
            reals = [(_target(p, replace_links), data) for p, data in outputs.items()]
            plan = [(real.with_name(_tmp_name(real.name)), real, data) for real, data in reals]
            _write_journal(journal, "siapkan", [(t, r) for t, r, _ in plan])
            for tmp, real, data in plan:
                if real.is_symlink() or not real.exists():
                    own = mode if mode is not None else default_mode()
                else:
                    own = mode if mode is not None else _mode_of(real)
                _write_new(tmp, data, own)
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


def _journal_mac(root: Path, state: str, items: list) -> str | None:
    """HMAC-SHA256 (hex) of a journal's folder, state and items under the user's key; None without a key."""
    from renstra_gen.system.cache import user_key

    key = user_key()
    if key is None:
        return None
    body = json.dumps([os.path.realpath(root), state, [[str(t), str(r)] for t, r in items]],
                      ensure_ascii=False, separators=(",", ":"))
    return hmac.new(key, b"renstra-journal\0" + body.encode("utf-8"), hashlib.sha256).hexdigest()


def _write_journal(journal: Path, state: str, items: list[tuple[Path, Path]]) -> None:
    record = {"keadaan": state, "berkas": [[str(t), str(r)] for t, r in items]}
    mac = _journal_mac(journal.parent, state, items)
    if mac is not None:
        record["mac"] = mac
    data = json.dumps(record).encode()
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


JOURNAL_BYTES = 4 * 1024 * 1024  # a journal lists the files of one write: far less than this
_TMP = re.compile(r"\.(.+)\.[0-9a-f]{8}\.tmp")


def recover(root: Path, lock: bool = True) -> None:
    """Finish (or undo) a content write that a killed run left; nothing to do in the usual case.

    Only a journal this user wrote for this folder is acted on (see the module docstring); any other
    is an OutputError naming it, and nothing it names is touched."""
    root = Path(root)
    journal = root / JOURNAL
    stale = [p for p in root.glob(f".{JOURNAL}.*.tmp") if re.fullmatch(rf"\.{re.escape(JOURNAL)}\.[0-9a-f]{{8}}\.tmp", p.name)]
    if not journal.exists() and not journal.is_symlink() and not stale:
        return
    with locked(root) if lock else contextlib.nullcontext():
        for p in stale:
            p.unlink(missing_ok=True)  # (a link is removed, never followed)
        try:
            state, items = _read_journal(root, journal)
        except FileNotFoundError:
            return
        if state == "terapkan":
            _roll_forward(journal, items)
        else:
            for tmp, _ in items:
                tmp.unlink(missing_ok=True)
            journal.unlink(missing_ok=True)


def _read_journal(root: Path, journal: Path) -> tuple[str, list[tuple[Path, Path]]]:
    """The state and items of a journal that verifies; OutputError saying why not, otherwise."""
    refuse = (f"{journal}: catatan penulisan ini tidak dijalankan dan dibiarkan apa adanya ({{}}); "
              f"periksa berkas di folder ini lalu hapus catatan ini")
    try:
        fd = os.open(journal, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        raise
    except OSError as e:
        raise OutputError(refuse.format("berupa tautan simbolik atau tidak dapat dibaca" if e.errno == errno.ELOOP
                                        else f"tidak dapat dibaca: {e.strerror or e}")) from e
    with os.fdopen(fd, "rb") as f:
        data = f.read(JOURNAL_BYTES + 1)
    if len(data) > JOURNAL_BYTES:
        raise OutputError(refuse.format("terlalu besar"))
    try:
        record = json.loads(data.decode("utf-8"))
        state = record["keadaan"]
        items = [(Path(t), Path(r)) for t, r in record["berkas"]]
        mac = record.get("mac")
        if state not in ("siapkan", "terapkan") or not all(isinstance(x, str) for x in (state, mac or "")):
            raise ValueError(state)
    except (ValueError, KeyError, TypeError, AttributeError) as e:
        raise OutputError(refuse.format(f"isinya rusak: {type(e).__name__}")) from e
    expected = _journal_mac(root, state, items)
    if expected is None or not isinstance(mac, str) or not hmac.compare_digest(mac, expected):
        raise OutputError(refuse.format("tidak ditulis oleh pengguna ini di komputer ini"))
    for tmp, real in items:
        problem = _foreign_item(root, tmp, real)
        if problem:
            raise OutputError(refuse.format(f"{real}: {problem}"))
    return state, items


def _foreign_item(root: Path, tmp: Path, real: Path) -> str | None:
    """Why an item is not one this module writes under `root`, or None when it is."""
    base = Path(os.path.realpath(root))
    if not (tmp.is_absolute() and real.is_absolute()):
        return "bukan jalur lengkap"
    if tmp.parent != real.parent or not (m := _TMP.fullmatch(tmp.name)) or m.group(1) != real.name:
        return "bukan berkas sementara alat ini"
    try:
        rel = real.relative_to(base)
    except ValueError:
        return "di luar folder ini"
    if ".git" in rel.parts or ".." in rel.parts:
        return "di dalam .git"
    if os.path.realpath(real.parent) != str(real.parent):
        return "dicapai melalui tautan simbolik"
    if tmp.is_symlink():
        return "berkas sementara berupa tautan simbolik"
    return None


def write_atomically(outputs: dict[Path, bytes], root: Path | None = None, *, replace_links: bool = False,
                     mode: int | None = None) -> list[Path]:
    """Replace several files all or nothing (a journal under `root`, by default their common folder).

    See replace_files: temporaries beside each file, fsynced, one commit, then os.replace.
    Outputs derived from an input pass `replace_links` (a link in their place is replaced, never
    written through) and the input's `mode`."""
    if root is None:
        root = Path(os.path.commonpath([os.path.realpath(p.parent) for p in outputs]))
    replace_files(root, outputs, replace_links=replace_links, mode=mode)
    return list(outputs)
