"""The validated model of an unchanged content file comes from the user's cache (content/load.py:
_remembered): the same model as read from the file, never an entry someone else wrote, and never
for bytes other than the file's own."""

from __future__ import annotations

import pickle
import shutil

import pytest

from renstra_gen.content import load as loading
from renstra_gen.content.load import load_content
from renstra_gen.content import yamlio
from renstra_gen.errors import ContentError
from tests.conftest import FIXTURES


@pytest.fixture
def content(tmp_path, monkeypatch):
    monkeypatch.setenv("RENSTRA_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    shutil.copytree(FIXTURES / "minimal", tmp_path / "c")
    return tmp_path / "c"


def _parses(monkeypatch) -> list[str]:
    seen: list[str] = []
    real = yamlio._from_events
    # the process's own memo of texts already parsed (the workspace's saves) would hide the file cache
    monkeypatch.setattr(yamlio, "_PARSED", {})
    monkeypatch.setattr(yamlio, "_from_events", lambda text, rel: seen.append(rel) or real(text, rel))
    return seen


def _model(c):
    return (c.identity, c.tables, c.figures, c.lampiran, c.indicators, c.organisasi, [str(w) for w in c.warnings],
            {k: (t._tree, t._key, t._file) for k, t in c.tables.items()})


def test_an_unchanged_file_is_not_parsed_again_and_gives_the_same_model(content, monkeypatch):
    first = load_content(content)
    parsed = _parses(monkeypatch)
    again = load_content(content)
    assert parsed == []
    assert _model(again) == _model(first)
    monkeypatch.setenv("RENSTRA_NO_CACHE", "1")
    assert _model(load_content(content)) == _model(first)
    assert "renstra.yaml" in parsed  # without the cache every file is read


def test_an_edited_file_is_read_again_and_only_that_file(content, monkeypatch):
    load_content(content)
    table = next((content / "tabel").glob("*.yaml"))
    table.write_text(table.read_text(encoding="utf-8") + "\n# diubah\n", encoding="utf-8")
    parsed = _parses(monkeypatch)
    load_content(content)
    assert parsed == [f"tabel/{table.name}"]


def test_an_error_is_never_kept(content, monkeypatch):
    load_content(content)
    (content / "renstra.yaml").write_text("judul: [\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(ContentError, match="renstra.yaml"):
            load_content(content)


def test_a_file_warning_comes_back_with_the_kept_model(content):
    chapter = content / "renstra.yaml"
    chapter.write_bytes(chapter.read_bytes().replace(b"\n", b"\x07\n", 1))
    first = [str(w) for w in load_content(content).warnings]
    assert any("karakter kendali" in w for w in first)
    assert [str(w) for w in load_content(content).warnings] == first


def test_a_forged_entry_is_never_unpickled(content, monkeypatch, tmp_path):
    """Whoever can write the cache folder cannot make the next build run code or see other data."""
    load_content(content)
    entries = list((tmp_path / "cache" / "konten").iterdir())
    assert entries
    planted = tmp_path / "ditanam.txt"

    class Plant:
        def __reduce__(self):
            return (open, (str(planted), "w"))

    for e in entries:
        data = e.read_bytes()
        e.write_bytes(b"\0" * 32 + data[32:64] + pickle.dumps((Plant(), [])))
    loaded = load_content(content)
    assert not planted.exists()
    assert loaded.identity.slug
    assert all(e.read_bytes()[:32] != b"\0" * 32 for e in entries)  # written again, signed


def test_entries_made_by_another_reader_version_are_not_used(content, monkeypatch):
    load_content(content)
    monkeypatch.setattr(loading, "_READER", b"another version of the code")
    parsed = _parses(monkeypatch)
    load_content(content)
    assert "renstra.yaml" in parsed


def test_the_lines_of_scalars_share_their_empty_parts_and_hold_no_dict(content):
    """A Lines per value of a file: a dict and a list of its own each cost Tabel 6.2 of 20,000 sub
    kegiatan about 90 MB (yamlio.scalar_lines)."""
    table = next(t for t in load_content(content).tables.values() if t._tree is not None and t._tree.keys)
    leaves = []
    stack = [table._tree]
    while stack:
        node = stack.pop()
        assert not hasattr(node, "__dict__")
        children = [v for _, v in node.keys.values()] + list(node.items)
        if not children:
            leaves.append(node)
        stack += children
    assert len(leaves) > 1 and len({id(n.keys) for n in leaves}) == 1 and len({id(n.items) for n in leaves}) == 1


def test_only_a_generic_table_keeps_the_lines_of_its_file_read_or_kept(content):
    """A table's Lines (where each value of its file is written) are read later only to place a
    generic table's row that does not fill its grid (check/consistency.check_generic); Tabel 6.2 of
    20,000 sub kegiatan held 190 MB of them for nothing. Read from the file and from the cache alike."""
    for _ in range(2):  # the file parsed, then its model from the cache
        tables = load_content(content).tables
        kept = {t.jenis for t in tables.values() if t._tree is not None}
        assert kept == {"umum"}
        generic = next(t for t in tables.values() if t.jenis == "umum")
        assert yamlio.locate(generic._tree, ("baris", 0)) is not None
