"""Signed cache entries (system/cache.py: read_signed, write_signed): only this user's own entries are read."""

from __future__ import annotations

import pytest

from renstra_gen.system.cache import read_signed, write_signed


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("RENSTRA_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    return tmp_path / "cache"


def test_an_entry_written_in_parts_reads_back_whole():
    write_signed("uji", "a", b"kepala", b"-", b"isi" * 1000)
    assert bytes(read_signed("uji", "a")) == b"kepala-" + b"isi" * 1000


def test_a_changed_or_forged_entry_is_not_read(private_cache):
    write_signed("uji", "a", b"isi asli")
    path = private_cache / "uji" / "a"
    data = path.read_bytes()
    path.write_bytes(data[:-1] + b"X")
    assert read_signed("uji", "a") is None
    path.write_bytes(b"\0" * 32 + b"isi palsu")
    assert read_signed("uji", "a") is None


def test_an_entry_is_read_under_another_name_or_kind_only_never(private_cache):
    write_signed("uji", "a", b"isi")
    (private_cache / "uji" / "b").write_bytes((private_cache / "uji" / "a").read_bytes())
    assert read_signed("uji", "b") is None


def test_an_entry_larger_than_the_limit_is_not_read():
    write_signed("uji", "a", b"x" * 100)
    assert read_signed("uji", "a", limit=99) is None
    assert len(read_signed("uji", "a", limit=100)) == 100


def test_without_a_cache_nothing_is_written_or_read(monkeypatch, private_cache):
    monkeypatch.setenv("RENSTRA_NO_CACHE", "1")
    write_signed("uji", "a", b"isi")
    assert read_signed("uji", "a") is None and not (private_cache / "uji").exists()


def test_the_key_is_read_once_while_its_file_stays_the_same(tmp_path, monkeypatch):
    """A build asks for the key some eighty times (issue 29): read once, and read again as soon as
    its file is replaced or opened to others."""
    import os
    from pathlib import Path

    from renstra_gen.system.cache import user_key

    key = user_key()
    path = tmp_path / "cfg" / "renstra-gen" / "cache.key"
    reads: list[Path] = []
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: reads.append(self) or real(self))
    assert user_key() == key and user_key() == key
    assert reads == []
    tmp = path.with_name("baru")
    tmp.write_bytes(b"k" * 32)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
    assert user_key() == b"k" * 32 and reads == [path]
    os.chmod(path, 0o644)
    assert user_key() is None
    os.chmod(path, 0o600)
    assert user_key() == b"k" * 32
