"""A table whose cells did not change is not written again (render/table_cache.py), and the document is
the same byte for byte; a changed cell, a forged entry or broken XML never reach the document."""

from __future__ import annotations

from xml.parsers import expat

import pytest

from renstra_gen.content.load import load_content
from renstra_gen.layout.pohon import figure_parts
from renstra_gen.render import docx as render
from renstra_gen.render import table_cache
from renstra_gen.render.figures import start_drawings
from renstra_gen.render.table import table_pieces
from renstra_gen.workflows.build import DEFAULT_TEMPLATES, plan_content
from tests.conftest import FIXTURES


@pytest.fixture
def plan_and_pngs(tmp_path, monkeypatch):
    monkeypatch.setenv("RENSTRA_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    content = load_content(FIXTURES / "minimal")
    parts = figure_parts(content)
    plan = plan_content(content, parts)
    with start_drawings(content, parts) as drawings:
        pngs = {key: drawings.png(key) for key in plan.figures}
    return plan, pngs


def _render(plan, pngs) -> bytes:
    return render.render_docx(plan, DEFAULT_TEMPLATES / "renstra.docx", pngs)


def _written(monkeypatch) -> list[str]:
    made: list[str] = []
    monkeypatch.setattr(render, "table_pieces", lambda g, *a, **k: made.append(g.key) or table_pieces(g, *a, **k))
    return made


def test_an_unchanged_table_is_not_written_again_and_the_document_is_identical(plan_and_pngs, monkeypatch):
    plan, pngs = plan_and_pngs
    made = _written(monkeypatch)
    first = _render(plan, pngs)
    assert sorted(made) == sorted(g.key for g in list(plan.tables.values()) + plan.lampiran)
    made.clear()
    assert _render(plan, pngs) == first
    assert made == []
    monkeypatch.setenv("RENSTRA_NO_CACHE", "1")
    assert _render(plan, pngs) == first  # as written without any cache


def test_a_changed_cell_writes_its_table_again_and_only_it(plan_and_pngs, monkeypatch):
    plan, pngs = plan_and_pngs
    _render(plan, pngs)
    key = next(k for k, g in plan.tables.items() if g.body)
    grid = plan.tables[key]
    cell = next(c for row in grid.body for c in row if c.text)
    cell.text += " diubah"
    made = _written(monkeypatch)
    document = _render(plan, pngs)
    assert made == [key]
    import io
    import zipfile
    xml = zipfile.ZipFile(io.BytesIO(document)).read("word/document.xml").decode()
    assert f"{cell.text}".replace("&", "&amp;") in xml


def test_a_forged_entry_is_not_used(plan_and_pngs, monkeypatch, tmp_path):
    plan, pngs = plan_and_pngs
    first = _render(plan, pngs)
    entries = list((tmp_path / "cache" / table_cache.KIND).iterdir())
    assert entries
    import pickle
    for e in entries:
        data = e.read_bytes()
        e.write_bytes(b"\0" * 32 + data[32:64] + pickle.dumps(["<w:tbl><w:tr>PALSU"]))
    assert _render(plan, pngs) == first


def test_broken_table_xml_is_still_an_error_and_is_not_kept(plan_and_pngs, monkeypatch, tmp_path):
    plan, pngs = plan_and_pngs
    monkeypatch.setattr(render, "table_pieces", lambda g, *a, **k: table_pieces(g, *a, **k)[:-1])  # no </w:tbl>
    with pytest.raises(expat.ExpatError):
        _render(plan, pngs)
    assert not list((tmp_path / "cache" / table_cache.KIND).glob("*"))


# ---------------------------------------------------------------- the workbook's measures

def _workbook(plan) -> bytes:
    from renstra_gen.render.xlsx import render_xlsx

    grids = [(k, g) for k, g in plan.tables.items()] + [(g.key, g) for g in plan.lampiran]
    return render_xlsx(grids, plan.identity.kertas, DEFAULT_TEMPLATES / "tabel.xlsx", title="T", author="A")


def _measured(monkeypatch) -> list[str]:
    from renstra_gen.render import xlsx

    seen: list[str] = []
    real = xlsx._row_heights
    monkeypatch.setattr(xlsx, "_row_heights", lambda slots, *a: seen.append(len(slots)) or real(slots, *a))
    return seen


def test_an_unchanged_sheet_is_not_measured_again_and_the_workbook_is_identical(plan_and_pngs, monkeypatch):
    plan, _ = plan_and_pngs
    measured = _measured(monkeypatch)
    first = _workbook(plan)
    assert len(measured) == len(plan.tables) + len(plan.lampiran)
    measured.clear()
    assert _workbook(plan) == first
    assert measured == []
    monkeypatch.setenv("RENSTRA_NO_CACHE", "1")
    assert _workbook(plan) == first


def test_a_changed_cell_measures_its_sheet_again(plan_and_pngs, monkeypatch):
    plan, _ = plan_and_pngs
    _workbook(plan)
    grid = next(g for g in plan.tables.values() if g.body)
    next(c for row in grid.body for c in row if c.text).text += " yang jauh lebih panjang dari semula"
    measured = _measured(monkeypatch)
    _workbook(plan)
    assert measured == [len(grid.header) + len(grid.body)]


def test_the_pieces_left_out_of_the_check_are_held_so_no_id_is_reused(tmp_path, monkeypatch):
    """The document's check leaves the tables' pieces out by id: a page that joins a table's pieces
    into one string (the Halaman Verifikasi) freed them, and a later string (the document's head) took
    one of their ids and was left out too (ExpatError 'junk after document element', seen in CI)."""
    import gc

    from renstra_gen.grid import Cell, Grid
    from renstra_gen.render.math import omml
    from renstra_gen.render.table_cache import table_pieces_kept

    monkeypatch.setenv("RENSTRA_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    grid = Grid(key="uji", caption="Uji", columns=[1.0, 1.0], header=[[Cell("A"), Cell("B")]],
                body=[[Cell("1"), Cell("</w:tbl>")]])
    for _ in range(2):  # made, then read back from the cache
        checked: dict = {}
        ids = [id(p) for p in table_pieces_kept(grid, 9000, omml, str(tmp_path), table_pieces, checked)]
        gc.collect()
        assert set(ids) <= set(checked) and all(id(checked[i]) == i for i in ids)


def _legibility_measures(monkeypatch) -> list[str]:
    from renstra_gen.render import fit as fitmod

    measured: list[str] = []
    real = fitmod._needs
    monkeypatch.setattr(fitmod, "_needs", lambda g, *a, **k: measured.append(g.key) or real(g, *a, **k))
    return measured


def test_the_legibility_checks_sizes_are_kept_and_a_changed_cell_is_measured_again(plan_and_pngs, monkeypatch):
    """The legibility check fits every table on its paper and the larger ones; with the sizes kept
    (table_cache.sizes_kept) an unchanged table is not measured again and gives the same warnings,
    and a changed cell (here: one that makes its table need small type) is measured again."""
    from decimal import Decimal

    from renstra_gen.grid import Cell
    from renstra_gen.workflows.build import legibility

    plan, _ = plan_and_pngs
    measured = _legibility_measures(monkeypatch)
    first = [str(w) for w in legibility(plan)]
    assert measured == []  # kept when the plan was made (plan_content checks legibility)
    key = next(k for k, g in plan.tables.items() if g.body and len(g.columns) > 3)
    grid = plan.tables[key]
    grid.body[0][-1] = Cell("9" * 200, value=Decimal(1), colspan=grid.body[0][-1].colspan)
    changed = [str(w) for w in legibility(plan)]
    assert measured == [key]
    assert changed != first and any(grid.title in w for w in changed)
    monkeypatch.setenv("RENSTRA_NO_CACHE", "1")
    measured.clear()
    assert [str(w) for w in legibility(plan)] == changed  # as found without any cache
    assert len(measured) == len(plan.tables) + len(plan.lampiran)


def test_within_one_build_a_grid_changed_into_another_object_gets_its_own_key(plan_and_pngs):
    """The cells' digest is made once per grid within fit.measured_once (shared by the legibility check,
    the document and the workbook): per grid object, so a grid made anew is never taken for another."""
    import copy

    from renstra_gen.render.fit import measured_once

    plan, _ = plan_and_pngs
    grid = next(g for g in plan.tables.values() if g.body)
    with measured_once():
        key = table_cache._made_of(grid, 1000)
        other = copy.deepcopy(grid)
        next(c for row in other.body for c in row if c.text).text += " diubah"
        assert table_cache._made_of(grid, 1000) == key
        assert table_cache._made_of(other, 1000) != key
    assert table_cache._made_of(other, 1000) != key


def test_a_kept_table_goes_into_the_package_as_views_of_its_entry_never_decoded(tmp_path, monkeypatch):
    """With `encoded`, the pieces are UTF-8: made, the bytes written to the entry; kept, views of the
    entry's bytes (a province's Tabel 6.2 held once, not as the entry and strings made from it), and
    the document's text passes them through as they are."""
    from renstra_gen.grid import Cell, Grid
    from renstra_gen.render import oxml
    from renstra_gen.render.math import omml
    from renstra_gen.render.table_cache import table_pieces_kept

    monkeypatch.setenv("RENSTRA_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    grid = Grid(key="uji", caption="Uji", columns=[1.0, 1.0], header=[[Cell("A"), Cell("B")]],
                body=[[Cell("1"), Cell("Rp • 2.000")], [Cell("2"), Cell("<&>")]])
    expected = [p.encode() for p in table_pieces(grid, 9000, omml)]
    made = table_pieces_kept(grid, 9000, omml, str(tmp_path), table_pieces, encoded=True)
    assert [type(p) for p in made] == [bytes] * len(expected) and made == expected
    checked: dict = {}
    kept = table_pieces_kept(grid, 9000, omml, str(tmp_path), lambda *a: pytest.fail("made again"), checked,
                             encoded=True)
    assert all(type(p) is memoryview for p in kept) and [bytes(p) for p in kept] == expected
    assert len({p.obj for p in kept}) == 1  # one buffer: the entry's
    assert set(map(id, kept)) <= set(checked)
    assert b"".join(oxml.utf8(["<x>", *kept, "</x>"])) == b"<x>" + b"".join(expected) + b"</x>"
    # without `encoded`, the same pieces as strings (a page that joins them: the Halaman Verifikasi)
    assert table_pieces_kept(grid, 9000, omml, str(tmp_path), table_pieces) == table_pieces(grid, 9000, omml)


def test_an_entry_of_another_layout_is_made_again(tmp_path, monkeypatch):
    from renstra_gen.grid import Cell, Grid
    from renstra_gen.render.math import omml
    from renstra_gen.render.table_cache import _unpacked

    assert _unpacked(memoryview(b"")) is None
    assert _unpacked(memoryview((5).to_bytes(8, "little") + b"junk!")) is None
    import marshal
    head = marshal.dumps(([3, 4], []))
    assert _unpacked(memoryview(len(head).to_bytes(8, "little") + head + b"abcdef")) is None  # 6 bytes, not 7
    views, extra = _unpacked(memoryview(len(head).to_bytes(8, "little") + head + b"abcdefg"))
    assert [bytes(v) for v in views] == [b"abc", b"defg"] and extra == []


def test_a_grid_replaced_with_other_parts_shares_the_digest_of_its_cells(plan_and_pngs, monkeypatch):
    """The legibility check asks the kept size of a matrix as printed and as its years would split
    (the same rows, another Grid): its cells are digested once per build, not once per Grid object;
    the digest still tells their keys apart."""
    from dataclasses import replace

    from renstra_gen.render.fit import measured_once

    plan, _ = plan_and_pngs
    grid = next(g for g in plan.tables.values() if g.body)
    digested: list[int] = []
    real = table_cache._cells_digest
    monkeypatch.setattr(table_cache, "_cells_digest", lambda g: digested.append(id(g)) or real(g))
    with measured_once():
        whole = table_cache._made_of(grid, 1000)
        split = table_cache._made_of(replace(grid, parts=[[0], [1]]), 1000)
    assert len(digested) == 1 and whole != split


def test_equal_cells_have_one_digest_however_their_strings_are_shared():
    """Content from the cache shares one string object between cells where content just parsed holds
    equal copies: the digest (the cache key of every table) must not see the difference, or the
    build after a cold one wrote every table again (issue 29: the benchmark's second run)."""
    from renstra_gen.grid import Cell, Grid

    def grid(texts):
        return Grid("t", "T", [1, 1], [[Cell("A"), Cell("B")]], [[Cell(texts[0]), Cell(texts[1])]])

    shared = "".join(["Dokumen", " 1"])
    copy = "".join(["Dokumen", " 1"])
    assert shared is not copy
    assert table_cache._cells_digest(grid([shared, shared])) == table_cache._cells_digest(grid([shared, copy]))
