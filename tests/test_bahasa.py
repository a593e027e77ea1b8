"""Every text the CLI can print is Bahasa Indonesia: findings, messages and every command's --help.

The net: each command's help, the whole output of `check` and `build` on every bad-input fixture,
and findings made from pydantic's and Jinja's own (English) errors. A line fails when, outside
what it quotes from the content ('...', "...", «...») and option names (--dry-run), it holds a
word of a short list of English words that no Indonesian sentence of ours uses."""

from __future__ import annotations

import re
import shutil

import click
import pytest
from click.testing import CliRunner

from renstra_gen.workflows.build import inspect
from renstra_gen.cli import main
from renstra_gen.errors import ContentError
from tests.helpers import FIXTURES, overlay

ENGLISH = {
    "or", "and", "the", "is", "are", "of", "to", "should", "must", "not", "input", "value", "values", "valid",
    "invalid", "error", "errors", "expected", "field", "required", "missing", "string", "integer", "number",
    "dictionary", "object", "unsafe", "access", "attribute", "undefined", "has", "element", "cannot", "could",
    "does", "with", "year", "workbook", "file", "directory", "usage", "options", "show", "message", "exit",
    "help", "default", "unknown", "allowed", "division", "zero", "got", "unexpected", "argument", "command",
    "failed", "warning", "instance", "least", "most", "characters", "items", "text",
}
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|«[^»]*»|`[^`]*`|\{\{.*?\}\}")
_OPTION = re.compile(r"(?<!\w)--?[a-z][\w-]*|\\[A-Za-z]+")  # option names, LaTeX commands (\frac)


def english_words(text: str) -> set[str]:
    """The listed English words in `text`, outside quotations of content and option names."""
    bare = _OPTION.sub(" ", _QUOTED.sub(" ", text))
    return {w for w in re.findall(r"[A-Za-z]+", bare) if w.casefold() in ENGLISH}


def test_the_detector_finds_english_and_spares_quotations():
    assert english_words("kertas harus salah satu dari A4 or F4") == {"or"}
    assert english_words("Input should be 'A4' or 'F4'") == {"Input", "should", "or"}
    assert english_words("tabel 'the table' tidak ada; pakai --dry-run") == set()


COMMANDS = sorted(main.commands)


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_every_command_help_is_indonesian(command):
    args = ["--help"] if command is None else [command, "--help"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    found = {line: english_words(line) for line in result.output.splitlines() if english_words(line)}
    assert not found, found


def test_every_option_and_argument_text_is_indonesian():
    """The texts themselves (help, metavar), as click holds them, not only as one --help renders them."""
    found = {}
    for name, command in [("renstra", main), *main.commands.items()]:
        ctx = click.Context(command)
        for param in command.params:
            shown = param.human_readable_name if param.param_type_name == "argument" else param.make_metavar(ctx)
            for text in (getattr(param, "help", None), shown):
                if text and english_words(text):
                    found[f"{name} {param.name}"] = text
        if english_words(command.help or ""):
            found[name] = command.help
    assert not found, found


BAD = sorted(p.name for p in (FIXTURES / "bad").iterdir())


@pytest.mark.parametrize("case", BAD)
def test_every_finding_of_the_bad_fixtures_is_indonesian(case, tmp_path):
    content = overlay(case, tmp_path / case)
    runner = CliRunner()
    out = []
    for args in (["check", "--content", str(content)],
                 ["build", "--verbose", "--content", str(content), "--out", str(tmp_path / "out")]):
        result = runner.invoke(main, args)
        assert "Traceback" not in result.output
        out += [ln for ln in result.output.splitlines() if not ln.startswith("ditulis: ")]
    found = {line: english_words(line.split(": ", 1)[-1]) for line in out if english_words(line.split(": ", 1)[-1])}
    assert not found, found


def findings_of(tmp_path, edits: list[tuple[str, str, str]]) -> list[str]:
    content = tmp_path / "c"
    shutil.copytree(FIXTURES / "minimal", content)
    for file, old, new in edits:
        path = content / file
        text = path.read_text(encoding="utf-8")
        assert old in text, (file, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    try:
        found = inspect(content, collect=True)
    except ContentError as e:
        found = e.findings
    return [str(f) for f in found]


CHOICES = {
    # what is written wrong: (edit, the finding it must give)
    "kertas": (("renstra.yaml", "kertas: F4", "kertas: Letter"),
               "renstra.yaml:20: galat: kertas harus A4 atau F4, tertulis 'Letter'"),
    "kertas-huruf-kecil": (("renstra.yaml", "kertas: F4", "kertas: f4"),
                           "renstra.yaml:20: galat: kertas harus A4 atau F4, tertulis 'f4'; maksud Anda 'F4'?"),
    "arah": (("indikator.yaml", "    satuan: Persen\n", "    satuan: Persen\n    arah: keatas\n"),
             "indikator.yaml:11: galat: arah harus salah satu dari: naik, turun, tetap, tertulis 'keatas'"),
    "kondisi_akhir": (("indikator.yaml", "    satuan: Persen\n", "    satuan: Persen\n    kondisi_akhir: kumulatf\n"),
                      "indikator.yaml:11: galat: kondisi_akhir harus salah satu dari: akhir, kumulatif, rata-rata, "
                      "tetap, tertulis 'kumulatf'; maksud Anda 'kumulatif'?"),
    "sumber": (("renja/2027/renja.yaml", "  - sumber: pokir\n", "  - sumber: reses\n"),
               "renja/2027/renja.yaml:41: galat: sumber harus salah satu dari: musrenbang, pokir, lainnya, "
               "tertulis 'reses'"),
}


@pytest.mark.parametrize("case", sorted(CHOICES))
def test_a_value_outside_its_choices_is_named_in_indonesian(case, tmp_path):
    edit, expected = CHOICES[case]
    found = findings_of(tmp_path, [edit])
    assert expected in found, found
    assert not any(english_words(f.split(": ", 1)[-1]) for f in found), found


@pytest.mark.parametrize("expression, reason", [
    ("{{ 1 / 0 }}", "ekspresi gagal: pembagian dengan nol"),
    ("{{ 'a' + 1 }}", "ekspresi gagal: jenis nilai tidak cocok untuk operasi ini (misalnya teks dengan angka)"),
    ("{{ renstra.__class__ }}", "ekspresi ditolak oleh sandbox: atribut '__class__'"),
    ("{{ [1][5] }}", "daftar tidak punya unsur nomor 5"),
])
def test_python_and_jinja_errors_in_narrative_are_worded_in_indonesian(expression, reason, tmp_path):
    found = findings_of(tmp_path, [("bab/3-penutup.md", "# PENUTUP\n", f"# PENUTUP\n\n{expression}\n")])
    errors = [f for f in found if ": galat: " in f]
    assert errors and errors[0].startswith("bab/3-penutup.md:3: galat: ") and reason in errors[0], errors
    assert not english_words(errors[0].split(": galat: ", 1)[1]), errors


def test_reasons_from_the_system_and_libraries_are_indonesian():
    import errno
    import zipfile

    from renstra_gen.system.pesan import os_reason, reason

    assert os_reason(FileNotFoundError(errno.ENOENT, "No such file or directory")) == "berkas atau folder tidak ada"
    assert os_reason(PermissionError(errno.EACCES, "Permission denied")) == "tidak ada izin untuk membukanya"
    assert os_reason(OSError(errno.ENOSPC, "No space left on device")) == "ruang penyimpanan penuh"
    assert os_reason(OSError(errno.ECHILD, "No child processes")) == "galat sistem ECHILD"
    assert reason(zipfile.BadZipFile("File is not a zip file")) == "bukan berkas zip/Office, atau berkasnya rusak"
    assert reason(ValueError("Could not read malformed PDF file")) == "berkas rusak atau bentuknya tidak dikenal"


@pytest.mark.parametrize("args, expected", [
    (["periksa-ttd", "{tmp}/tidak-ada.pdf"], "tidak-ada.pdf: tidak dapat dibaca (berkas atau folder tidak ada)"),
    (["periksa-ttd", "{tmp}/rusak.pdf"], "rusak.pdf: bukan berkas PDF yang dapat dibaca (berkas rusak atau bentuknya tidak dikenal)"),
    (["import-xlsx", "{tmp}/rusak.xlsx", "--content", str(FIXTURES / "minimal")],
     "rusak.xlsx: galat: bukan buku kerja Excel (.xlsx) yang dapat dibaca (bukan berkas zip/Office, atau berkasnya rusak)"),
    (["tandatangan", "{tmp}/rusak.pdf", "--p12", "{tmp}/tidak-ada.p12"],
     "tidak-ada.p12: tidak dapat dibaca (berkas atau folder tidak ada)"),
    (["pdf", "{tmp}/tidak-ada.docx", "--no-proof"], "tidak-ada.docx: tidak dapat dibaca (berkas atau folder tidak ada)"),
])
def test_a_file_that_cannot_be_read_is_named_with_an_indonesian_reason(args, expected, tmp_path):
    (tmp_path / "rusak.pdf").write_bytes(b"%PDF-1.4 rusak")
    (tmp_path / "rusak.xlsx").write_bytes(b"bukan buku kerja")
    result = CliRunner().invoke(main, [a.replace("{tmp}", str(tmp_path)) for a in args],
                                env={"RENSTRA_P12_PASSWORD": "x"})
    assert result.exit_code == 1
    assert expected in result.output, result.output
    (line,) = [ln.replace(str(tmp_path), "") for ln in result.output.splitlines() if expected in ln]
    assert not english_words(line), line


@pytest.mark.parametrize("text, expected", [
    ("a: [1, 2\n", "daftar [ ... ] belum ditutup"),
    ("a: !foo x\n", "tanda jenis '!...' tidak dikenal"),
    ("a: !!python/object:os.system x\n", "tanda jenis '!...' tidak dikenal"),
    ("%YAML 9.9\n---\na: 1\n", "versi YAML pada baris %YAML tidak didukung"),
    ("{a: 1}}\n", "teks tambahan setelah akhir isi"),
    ('a: "\\u12"\n', "kode karakter (\\x..., \\u...) tidak lengkap"),
    ("a: &\n", "nama jangkar (&) atau alias (*) tidak sah"),
])
def test_the_yaml_parsers_problems_are_worded_in_indonesian(text, expected, tmp_path):
    from renstra_gen.content.yamlio import load_yaml

    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as e:
        load_yaml(path, "x.yaml")
    (finding,) = e.value.findings
    assert finding.message.startswith("YAML tidak sah") and expected in finding.message, finding.message
    assert not english_words(finding.message), finding.message


def test_every_finding_of_the_default_content_and_of_a_fresh_starter_is_indonesian(tmp_path):
    runner = CliRunner()
    made = runner.invoke(main, ["init", str(tmp_path / "baru"), "--bidang", "1.02", "--perangkat-daerah",
                                "Dinas Kesehatan", "--daerah", "Kabupaten Contoh", "--periode", "2025-2029"])
    assert made.exit_code == 0, made.output
    out = []
    for content in (FIXTURES.parent.parent / "content", tmp_path / "baru"):
        result = runner.invoke(main, ["check", "--semua", "--content", str(content)])
        assert ": peringatan: " in result.output
        out += result.output.replace(str(tmp_path), "").splitlines()
    found = {line: english_words(line) for line in out if english_words(line)}
    assert not found, found
