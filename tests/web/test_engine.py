"""renstra_gen/web/engine.py: Indonesian numbers, lossless saves refused when unreadable, rows added and removed."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from renstra_gen.web import engine

ROOT = Path(__file__).resolve().parents[2]
AUTHOR = ("Ani Penyusun", "ani@contoh.go.id")


@pytest.mark.parametrize("typed, value", [
    ("1.500.000", Decimal("1500000")), ("1500000", Decimal("1500000")), ("85,5", Decimal("85.5")),
    ("1.500.000,25", Decimal("1500000.25")), ("Rp 2.000", Decimal("2000")), (" 12 ", Decimal("12")),
    ("1.500", Decimal("1500")), ("", None), ("-", None), ("-3", Decimal("-3")),
])
def test_parse_angka(typed, value):
    assert engine.parse_angka(typed) == value


@pytest.mark.parametrize("typed", ["abc", "1,500,000", "1.50.000", "12a", "1e5", "nan", "1..2", "85.5"])
def test_parse_angka_refuses_what_is_not_a_number(typed):
    """The content's own rule (content/angka_id.py): `85.5` could be 85,5 or 85.500, so it is refused."""
    with pytest.raises(ValueError):
        engine.parse_angka(typed)


def test_a_fractional_pagu_is_refused():
    with pytest.raises(ValueError):
        engine.parse_angka("1.500,5", rupiah=True)


@pytest.mark.parametrize("value, pagu, shown", [(Decimal("1500000"), True, "1.500.000"), (Decimal("85.5"), False, "85,5"),
                                                ("60.300 &", False, "60.300 &"), (None, True, "")])
def test_tampil(value, pagu, shown):
    assert engine.tampil(value, pagu) == shown


@pytest.fixture
def repo(tmp_path) -> Path:
    folder = tmp_path / "kantor" / "konten"
    folder.parent.mkdir()
    engine.copy_content(ROOT / "content", folder, AUTHOR, "awal")
    return folder


def test_a_save_that_makes_the_content_unreadable_is_refused_and_nothing_changes(repo):
    rel = "tabel/program-pendanaan.yaml"
    before = (repo / rel).read_bytes()
    blob = engine.blob_of(repo, rel)
    with pytest.raises(engine.RefusedError) as e:
        engine.save_edits(repo, rel, [(("program", 0, "nama"), None)], blob, AUTHOR, "hapus nama")
    assert any(f.file == rel and f.line for f in e.value.findings)
    assert (repo / rel).read_bytes() == before
    assert len(engine.history(repo)) == 1


def test_save_changes_only_the_edited_line_and_commits_as_the_person(repo):
    rel = "tabel/program-pendanaan.yaml"
    before = (repo / rel).read_text().splitlines()
    saved = engine.save_edits(repo, rel, [(("program", 0, "kegiatan", 0, "sub_kegiatan", 0, "pagu", 2026), 1500000)],
                              engine.blob_of(repo, rel), AUTHOR, "pagu")
    after = (repo / rel).read_text().splitlines()
    assert [i for i, (a, b) in enumerate(zip(before, after)) if a != b] == [31] and len(before) == len(after)
    assert saved.commit and engine.history(repo)[0].author == "Ani Penyusun"
    assert any(f.severity == "peringatan" for f in saved.findings)


def test_git_runs_without_user_hooks(repo):
    hook = repo / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\nexit 1\n")
    hook.chmod(0o755)
    (repo / "bab/8-penutup.md").write_text("# PENUTUP\n\nx\n")
    assert engine.commit_all(repo, AUTHOR, "tanpa hook")


def test_add_into_an_empty_kegiatan_and_remove_the_last_row(tmp_path):
    folder = tmp_path / "kantor" / "konten"
    folder.parent.mkdir()
    engine.new_office_content(folder, ["1.06"], "Dinas Sosial", "Kabupaten Contoh", "2025-2029", AUTHOR)
    rel = engine.program_table_file(folder)
    grid = engine.program_grid(folder)
    keg = next(r for r in grid.rows if r.level == "kegiatan")
    subs = [r for r in grid.rows if r.level == "sub_kegiatan" and r.key.startswith(keg.key + ".")]
    for _ in subs:  # every sub kegiatan of the first kegiatan removed: `sub_kegiatan: []`
        engine.remove_sub_kegiatan(folder, rel, f"{keg.key}.0", engine.blob_of(folder, rel), AUTHOR)
    assert "sub_kegiatan: []" in (folder / rel).read_text()
    engine.add_sub_kegiatan(folder, rel, keg.key, subs[1].kode, engine.blob_of(folder, rel), AUTHOR)
    engine.add_sub_kegiatan(folder, rel, keg.key, subs[0].kode, engine.blob_of(folder, rel), AUTHOR)
    rows = [r for r in engine.program_grid(folder).rows if r.key.startswith(keg.key + ".")]
    assert [r.kode for r in rows] == [subs[0].kode, subs[1].kode]  # in code order
    assert rows[0].indikator == subs[0].indikator


def test_stale_base_is_refused_naming_the_other_person(repo):
    rel = "tabel/program-pendanaan.yaml"
    old = engine.blob_of(repo, rel)
    engine.save_edits(repo, rel, [(("program", 0, "kegiatan", 0, "sub_kegiatan", 0, "pagu", 2026), 1)], old,
                      ("Budi", "budi@contoh.go.id"), "Tabel 6.2: pagu oleh Budi")
    with pytest.raises(engine.StaleError) as e:
        engine.save_edits(repo, rel, [(("program", 0, "kegiatan", 0, "sub_kegiatan", 1, "pagu", 2026), 2)], old,
                          AUTHOR, "pagu oleh Ani")
    assert [c.author for c in e.value.changes] == ["Budi"] and "2026: 1}" in e.value.diff
    assert "Budi" in str(e.value)


def test_only_engine_py_imports_the_package_outside_the_web_wing():
    """The lead remaps one module when the package's stages move: no other web module may import them."""
    import re

    web = ROOT / "renstra_gen" / "web"
    offenders = []
    for path in web.rglob("*.py"):
        if path.name == "engine.py" and path.parent == web:
            continue
        for n, line in enumerate(path.read_text().splitlines(), 1):
            if re.match(r"\s*(from|import)\s+renstra_gen(?!\.web\b)", line):
                offenders.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert offenders == []
