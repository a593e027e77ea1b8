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
