"""The default content ships its known findings (content/dasar-pemeriksaan.txt): the first build says
how many are known and that none is new, and the file says why the example keeps them."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from renstra_gen.cli import main

ROOT = Path(__file__).resolve().parents[2]
BASELINE = ROOT / "content" / "dasar-pemeriksaan.txt"
WHY = "sengaja mempertahankan ketidaksesuaian"


def recorded(path: Path) -> list[str]:
    return [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]


@pytest.fixture
def content(tmp_path):
    dst = tmp_path / "content"
    shutil.copytree(ROOT / "content", dst)
    return dst


def test_the_baseline_says_why_the_example_keeps_its_findings():
    header = [ln for ln in BASELINE.read_text(encoding="utf-8").splitlines() if ln.startswith("#")]
    text = " ".join(h.lstrip("# ") for h in header)
    assert WHY in text and "dokumen aslinya" in text and "docs/panduan/temuan.md" in text
    assert len(recorded(BASELINE)) == 90  # the original document's inconsistencies (issue 27), Tabel 6.2 at 5,5 pt and Tabel 6.1's unnumbered row (issue 28)


def test_the_first_build_says_every_finding_is_known_and_none_is_new(content, tmp_path):
    result = CliRunner().invoke(main, ["build", "--content", str(content), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    known = len(recorded(content / "dasar-pemeriksaan.txt"))
    assert f"\n{known} temuan sudah dikenal (dasar-pemeriksaan.txt), 0 baru\n" in f"\n{result.output}", result.output
    assert "peringatan" not in result.output  # nothing to look into


def test_check_of_the_default_content_shows_nothing_new(content):
    result = CliRunner().invoke(main, ["check", "--content", str(content)])
    assert result.exit_code == 0, result.output
    assert "Hasil pemeriksaan: 0 galat, 0 peringatan baru (90 temuan lama di dasar-pemeriksaan.txt" in result.output
    everything = CliRunner().invoke(main, ["check", "--semua", "--content", str(content)])
    assert everything.output.count(": peringatan:") == 90


def test_a_new_finding_is_counted_apart_and_points_to_check(content, tmp_path):
    p = content / "tabel" / "program-pendanaan.yaml"
    text = p.read_text(encoding="utf-8")
    p.write_text(text.replace("pagu: {2022: 15000000,", "pagu: {2022: 15000001,", 1), encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--content", str(content), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    line = re.search(r"^(\d+) temuan sudah dikenal \(dasar-pemeriksaan\.txt\), (\d+) baru(.*)$", result.output, re.M)
    assert line and int(line.group(2)) >= 1, result.output
    assert line.group(3) == f" \u2014 jalankan renstra check --content {content} untuk rinciannya"  # the user's own --content


def test_saving_the_baseline_again_keeps_the_offices_note(content):
    before = (content / "dasar-pemeriksaan.txt").read_bytes()
    result = CliRunner().invoke(main, ["check", "--simpan-dasar", "--content", str(content)])
    assert result.exit_code == 0, result.output
    assert (content / "dasar-pemeriksaan.txt").read_bytes() == before
    p = content / "dasar-pemeriksaan.txt"
    p.write_text(p.read_text(encoding="utf-8").replace("# Contoh bawaan", "# Catatan kantor: baris ini tetap.\n# Contoh bawaan"),
                 encoding="utf-8")
    CliRunner().invoke(main, ["check", "--simpan-dasar", "--content", str(content)])
    text = p.read_text(encoding="utf-8")
    assert "# Catatan kantor: baris ini tetap.\n" in text and WHY in text
    assert len(recorded(p)) == 90
