"""The user's cache of work that does not depend on anything but its input: drawn figures and
compiled narrative templates, each stored under a hash of what produced it.

RENSTRA_CACHE_DIR sets the folder (default: $XDG_CACHE_HOME/renstra-gen or ~/.cache/renstra-gen);
RENSTRA_NO_CACHE=1 turns the cache off. A cache that cannot be read or written only costs time.

A cache folder is someone else's input when others can write it (a shared folder, a CI cache):
such a folder is not used at all. Compiled templates are Python code, so each entry is signed
with an HMAC whose key is the user's own (`$XDG_CONFIG_HOME/renstra-gen/cache.key`, outside the
cache folder, readable by the user only); an entry that does not verify is compiled again.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
import secrets
import stat
import tempfile
from pathlib import Path

import jinja2

#: Largest cache entry read back (a compiled chapter is a few hundred KB).
ENTRY_BYTES = 16 * 1024 * 1024


def package_version(name: str) -> bytes:
    """What an entry made with an installed library depends on: the text of its __init__.py, which
    holds its version, read without importing the library (b"" when it is not installed)."""
    import importlib.util

    spec = importlib.util.find_spec(name)
    return Path(spec.origin).read_bytes() if spec is not None and spec.origin else b""


def cache_dir(kind: str) -> Path | None:
    """The folder for one kind of cached item ("figures", "jinja"), or None when caching is off
    or the folder (or the one above it) can be written by another user."""
    if os.environ.get("RENSTRA_NO_CACHE") == "1":
        return None
    if os.environ.get("RENSTRA_CACHE_DIR"):
        base = Path(os.environ["RENSTRA_CACHE_DIR"])
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "renstra-gen"
    folder = base / kind
    if _private(base) and _private(folder):  # made before (a build asks some eighty times): two stats
        return folder
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None
    return folder if _private(base) and _private(folder) else None


def _private(path: Path) -> bool:
    """Owned by this user and writable by no one else."""
    try:
        st = path.stat()
    except OSError:
        return False
    return st.st_uid == os.getuid() and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


#: per key file, the key this process last read from it and what the file and its folder were then
_KEYS: dict[Path, tuple[tuple, bytes]] = {}


def _identity(st: os.stat_result) -> tuple:
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_mode, st.st_uid


def user_key() -> bytes | None:
    """The user's signing key, made on first use; None if it is missing and cannot be made safely.

    Also authenticates the write journal (atomic.py): what this key signed was written by this
    user on this machine. A key this process already read and checked is given again while its file
    and folder are the same files with the same owner, mode, size and time (a build asks for it
    some eighty times)."""
    folder = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "renstra-gen"
    path = folder / "cache.key"
    seen = _KEYS.get(path)
    if seen is not None:
        try:
            if seen[0] == (_identity(path.stat()), _identity(folder.stat())):
                return seen[1]
        except OSError:
            pass
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not path.exists():
            fd, tmp = tempfile.mkstemp(dir=folder)  # mode 0600
            with os.fdopen(fd, "wb") as f:
                f.write(secrets.token_bytes(32))
            os.replace(tmp, path)
        st = path.stat()
        if st.st_uid != os.getuid() or st.st_mode & 0o077 or not _private(folder):
            return None
        key = path.read_bytes()
        checked = (_identity(st), _identity(folder.stat()))
    except OSError:
        return None
    if len(key) != 32:
        return None
    _KEYS[path] = (checked, key)
    return key


class SignedBytecodeCache(jinja2.BytecodeCache):
    """Jinja's bytecode cache whose entries load only when their HMAC verifies."""

    def __init__(self, folder: Path, key: bytes):
        self.folder = folder
        self.key = key

    def _mac(self, name: str, body: bytes) -> bytes:
        return hmac.new(self.key, name.encode() + b"\0" + body, hashlib.sha256).digest()

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            with open(self.folder / f"{bucket.key}.cache", "rb") as f:
                data = f.read(ENTRY_BYTES + 1)
        except OSError:
            return
        mac, body = data[:32], data[32:]
        if len(data) <= ENTRY_BYTES and hmac.compare_digest(mac, self._mac(bucket.key, body)):
            bucket.bytecode_from_string(body)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        body = bucket.bytecode_to_string()
        try:
            fd, tmp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
            with os.fdopen(fd, "wb") as f:
                f.write(self._mac(bucket.key, body) + body)
            os.replace(tmp, self.folder / f"{bucket.key}.cache")
        except OSError:
            pass


@functools.lru_cache(maxsize=8)
def _signed(folder: Path | None, key: bytes | None) -> SignedBytecodeCache | None:
    return SignedBytecodeCache(folder, key) if folder is not None and key is not None else None


def signed_bytecode_cache() -> SignedBytecodeCache | None:
    """The compiled-template cache, or None when there is no private folder or key."""
    folder = cache_dir("jinja")
    return _signed(folder, user_key() if folder is not None else None)


# ---------------------------------------------------------------- signed entries of any kind

def read_signed(kind: str, name: str, limit: int = ENTRY_BYTES) -> memoryview | None:
    """The body of entry `name` of one kind of cached item, when its HMAC under the user's key
    verifies (the entry was written by `write_signed` for this user); None otherwise.

    A view of the file's bytes, not a copy: an entry can be a hundred megabytes (render/table_cache.py)."""
    folder = cache_dir(kind)
    key = user_key() if folder is not None else None
    if key is None:
        return None
    try:
        with open(folder / name, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            if size > limit + 32:
                return None
            data = f.read(size + 1)  # the file's own size: a large limit is never allocated
    except OSError:
        return None
    view = memoryview(data)
    mac, body = view[:32], view[32:]
    if len(body) > limit or not hmac.compare_digest(mac, _entry_mac(key, kind, name, body)):
        return None
    return body


def write_signed(kind: str, name: str, *body: bytes) -> None:
    """Store the parts of `body`, one after another, as entry `name`, signed; a cache that cannot be
    written only costs time."""
    folder = cache_dir(kind)
    key = user_key() if folder is not None else None
    if key is None:
        return
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(_entry_mac(key, kind, name, *body))
                for part in body:
                    f.write(part)
            os.replace(tmp, folder / name)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        pass


def _entry_mac(key: bytes, kind: str, name: str, *body) -> bytes:
    mac = hmac.new(key, kind.encode() + b"\0" + name.encode() + b"\0", hashlib.sha256)
    for part in body:
        mac.update(part)  # not concatenated: no copy of a large body
    return mac.digest()
