"""renstra check (issue 27, item 3): every file loaded and validated on its own, so that six mistakes
in six files are six findings of one run, and a missing file is named once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from renstra_gen.cli import main
from tests.conftest import DEFAULT_CONTENT


@pytest.fixture
def content(tmp_path) -> Path:
    dst = tmp_path / "konten"
    shutil.copytree(DEFAULT_CONTENT, dst)
    return dst


def plant(root: Path, rel: str, old: str, new: str) -> None:
    p = root / rel
    text = p.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    p.write_text(text.replace(old, new, 1), encoding="utf-8")


def run_check(root: Path) -> tuple[int, list[str]]:
    r = CliRunner().invoke(main, ["check", "--content", str(root)])
    assert "Traceback" not in r.output
    return r.exit_code, [ln.strip() for ln in r.output.splitlines() if ": galat: " in ln]


def test_six_mistakes_in_six_files_are_all_reported_by_one_check(content):
    """Issue: six planted mistakes took five runs of `check` to surface."""
    plant(content, "tabel/program-pendanaan.yaml", "{2022: 15000000, 2023", "{2022: 1.50, 2023")  # unclear pagu
    plant(content, "indikator.yaml", "    nama: Berkurangnya Kemiskinan", "    namaa: Berkurangnya Kemiskinan")
    plant(content, "tabel/pegawai-golongan.yaml", "label_jumlah: JUMLAH", "label_jumlahh: JUMLAH")
    plant(content, "gambar/struktur-organisasi.yaml", "jenis: bagan-organisasi", "jenis: bagan-organsasi")
    (content / "tabel" / "aset.yaml").write_text((content / "tabel" / "aset.yaml").read_text(encoding="utf-8")
                                                 + "rusak: [tidak ditutup\n", encoding="utf-8")  # YAML syntax
    chapter = content / "bab" / "3-permasalahan.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n{{ tidak_ada_ini }}\n", encoding="utf-8")
    code, errors = run_check(content)
    assert code == 1
    expected = [
        ("bab/3-permasalahan.md:", "nilai 'tidak_ada_ini' tidak dikenal"),
        ("gambar/struktur-organisasi.yaml:2:", "jenis gambar tidak dikenal 'bagan-organsasi'"),
        ("indikator.yaml:10:", "kunci tidak dikenal 'namaa'"),
        ("tabel/aset.yaml:", "YAML tidak sah"),
        ("tabel/pegawai-golongan.yaml:5:", "kunci tidak dikenal 'label_jumlahh'"),
        ("tabel/program-pendanaan.yaml:32:", "pagu 2022: '1.50' tidak jelas"),
    ]
    for where, what in expected:
        assert any(e.startswith(where) and what in e for e in errors), (where, what, errors)
    # and nothing else but the missing nama the typo leaves: no error about what the failed files feed
    assert len(errors) == 7, errors
    assert any(e.startswith("indikator.yaml:9:") and "nama wajib diisi" in e for e in errors)


def test_a_missing_indikator_yaml_is_named_once(content):
    """Issue: a deleted indikator.yaml gave ten cascading errors and never said the file is missing."""
    (content / "indikator.yaml").unlink()
    code, errors = run_check(content)
    assert code == 1
    assert len(errors) == 1, errors
    assert errors[0].startswith("indikator.yaml: galat: berkas indikator.yaml tidak ada, padahal ")
    assert "dirujuk 15 kali di 3 berkas (pertama di lampiran/rumus-indikator.yaml:5)" in errors[0]


def test_a_broken_indikator_yaml_gives_its_own_errors_not_one_per_reference(content):
    plant(content, "indikator.yaml", "tujuan:", "tujuan: [")
    code, errors = run_check(content)
    assert code == 1 and len(errors) == 1 and errors[0].startswith("indikator.yaml:"), errors


def test_a_broken_table_file_does_not_make_its_placements_errors(content):
    (content / "tabel" / "program-pendanaan.yaml").write_text("jenis: program-pendanaan\nprogram: 5\n",
                                                              encoding="utf-8")
    code, errors = run_check(content)
    assert code == 1
    assert all(e.startswith("tabel/program-pendanaan.yaml:") for e in errors), errors


def test_an_invalid_renstra_yaml_does_not_hide_the_other_files_mistakes(content):
    plant(content, "renstra.yaml", "kertas:", "kertass:")
    plant(content, "tabel/pegawai-golongan.yaml", "label_jumlah: JUMLAH", "label_jumlahh: JUMLAH")
    code, errors = run_check(content)
    assert code == 1
    assert any(e.startswith("renstra.yaml:") and "kertass" in e for e in errors), errors
    assert any(e.startswith("tabel/pegawai-golongan.yaml:5:") for e in errors), errors


def test_build_and_renja_also_name_every_mistake_at_once(content, tmp_path):
    plant(content, "indikator.yaml", "    nama: Berkurangnya Kemiskinan", "    namaa: Berkurangnya Kemiskinan")
    plant(content, "tabel/pegawai-golongan.yaml", "label_jumlah: JUMLAH", "label_jumlahh: JUMLAH")
    chapter = content / "bab" / "3-permasalahan.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n{{ tidak_ada_ini }}\n", encoding="utf-8")
    for args in (["build"], ["renja", "2024"]):
        r = CliRunner().invoke(main, [*args, "--content", str(content), "--out", str(tmp_path / "out")])
        assert r.exit_code == 1 and "Traceback" not in r.output
        for where in ("indikator.yaml:10: galat:", "tabel/pegawai-golongan.yaml:5: galat:",
                      "bab/3-permasalahan.md:145: galat: nilai 'tidak_ada_ini' tidak dikenal"):
            assert where in r.output, (args, r.output)
        assert not (tmp_path / "out").exists()
