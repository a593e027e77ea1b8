from pathlib import Path

from click.testing import CliRunner

from renstra_gen.cli import main
from tests.conftest import FIXTURES


def test_build_prints_one_line_per_file(tmp_path):
    r = CliRunner().invoke(main, ["build", "--content", str(FIXTURES / "minimal"), "--out", str(tmp_path)])
    assert r.exit_code == 0, r.output
    assert f"ditulis: {tmp_path / 'renstra-arsip-kota-contoh.docx'}" in r.output.splitlines()


def test_every_command_has_indonesian_help_with_an_example():
    runner = CliRunner()
    for cmd in ([], ["build"], ["check"]):
        r = runner.invoke(main, cmd + ["--help"])
        assert r.exit_code == 0
        assert "Contoh:" in r.output


def test_module_entry_point():
    import subprocess
    import sys
    r = subprocess.run([sys.executable, "-m", "renstra_gen", "--help"], capture_output=True, text=True)
    assert r.returncode == 0 and "renstra-gen" in r.stdout


def test_help_is_in_bahasa_indonesia():
    runner = CliRunner()
    for cmd in ([], ["build"], ["check"], ["pdf"], ["renja"], ["import-xlsx"]):
        out = runner.invoke(main, cmd + ["--help"]).output
        assert "Tampilkan bantuan ini lalu keluar." in out and "Show this message" not in out


def test_an_office_can_build_with_its_own_templates(tmp_path):
    import shutil
    own = tmp_path / "templat"
    shutil.copytree(Path(__file__).resolve().parent.parent / "templates", own)
    r = CliRunner().invoke(main, ["build", "--content", str(FIXTURES / "minimal"), "--out", str(tmp_path / "o"),
                                  "--templates", str(own)])
    assert r.exit_code == 0, r.output
    (own / "tabel.xlsx").unlink()
    r = CliRunner().invoke(main, ["build", "--content", str(FIXTURES / "minimal"), "--out", str(tmp_path / "p"),
                                  "--templates", str(own)])
    assert r.exit_code == 1 and f"templat tidak ditemukan di {own}: tabel.xlsx" in r.output
    assert not (tmp_path / "p").exists()


def test_final_renstra_pdf_lists_guidance_text_still_printed_even_without_verbose(minimal, tmp_path, monkeypatch):
    from renstra_gen.workflows import build as wf
    chapter = minimal / "bab" / "1-pendahuluan.md"
    chapter.write_text(chapter.read_text() + "\n[PANDUAN: uraikan dasar hukum daerah.]\n")
    line = chapter.read_text().split("\n").index("[PANDUAN: uraikan dasar hukum daerah.]") + 1
    real = wf.build
    monkeypatch.setattr(wf, "build", lambda *a, **k: real(*a, **{**k, "pdf": False}))  # no LibreOffice here
    r = CliRunner().invoke(main, ["build", "--content", str(minimal), "--out", str(tmp_path / "a"), "--pdf"])
    assert r.exit_code == 0, r.output
    assert "PDF akhir masih memuat 1 teks pengganti; isi kontennya sebelum dokumen dikirim:" in r.output
    assert (f"  bab/1-pendahuluan.md:{line}: peringatan: teks panduan belum diganti: uraikan dasar hukum daerah."
            in r.output)
    r = CliRunner().invoke(main, ["build", "--content", str(minimal), "--out", str(tmp_path / "b"), "--pdf", "--draft"])
    assert r.exit_code == 0 and "teks pengganti" not in r.output
