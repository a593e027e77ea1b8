"""renstra check against the official nomenclature: every finding with file:line, and suggestions."""

from __future__ import annotations

import pytest

from renstra_gen.workflows.build import inspect
from renstra_gen.workflows.init import init

PROGRAM = "tabel/program-pendanaan.yaml"


@pytest.fixture
def pppa(tmp_path):
    """A fresh 4-digit (1317) content set of bidang 2.08, made by `renstra init`."""
    root = tmp_path / "pppa"
    init(root, ["2.08"], "Dinas Pemberdayaan Perempuan dan Perlindungan Anak", "Kabupaten Contoh", "2025-2029")
    return root


def _edit(root, old: str, new: str) -> int:
    """Replace the first `old` in the program table; returns the line it is on."""
    path = root / PROGRAM
    text = path.read_text(encoding="utf-8")
    assert old in text
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return line


#: the starter's rows have no target and pagu (nor its kegiatan an output indicator) yet: a warning per
#: row, not about nomenclature
EMPTY_ROW = ("target dan pagu belum diisi untuk tahun mana pun", "indikator keluaran (output) belum diisi")


def _about(root, line: int, file: str = PROGRAM):
    return [f for f in inspect(root, collect=True)
            if f.source.file == file and f.source.line == line and not f.message.endswith(EMPTY_ROW)]


def test_a_fresh_content_set_has_no_nomenclature_findings(pppa):
    findings = inspect(pppa, collect=True)
    assert not [f for f in findings if f.is_error]
    assert all("panduan" in f.message or f.message.endswith(EMPTY_ROW) for f in findings)


def test_unknown_sub_kegiatan_code_is_an_error_with_suggestions(pppa):
    line = _edit(pppa, 'kode: "2.08.02.2.01.0001"', 'kode: "2.08.02.2.01.0099"')
    (f,) = _about(pppa, line)
    assert f.is_error
    assert str(f).startswith(f"{PROGRAM}:{line}: galat: sub kegiatan 2.08.02.2.01.0099 ")
    assert "tidak ada dalam nomenklatur 1317; usulan: 2.08.02.2.01.0001 " in f.message


def test_a_two_digit_code_in_the_4_digit_era_names_its_4_digit_code(pppa):
    line = _edit(pppa, 'kode: "2.08.02.2.01.0003"', 'kode: "2.08.02.2.01.03"')
    (f,) = [f for f in _about(pppa, line) if "tidak ada dalam" in f.message]
    assert f.is_error and "(kode sub kegiatan 4 digit: 2.08.02.2.01.0003)" in f.message


def test_unknown_code_with_a_changed_name_suggests_the_nearest_names_under_its_kegiatan(pppa):
    text = (pppa / PROGRAM).read_text(encoding="utf-8")
    official = text.split('kode: "2.08.02.2.01.0001"\n            nama: ')[1].split("\n")[0].strip('"')
    line = _edit(pppa, f'kode: "2.08.02.2.01.0001"\n            nama: "{official}"',
                 f'kode: "2.08.02.2.01.0077"\n            nama: "{official} Tahunan"')
    (f,) = _about(pppa, line)
    assert f"usulan: 2.08.02.2.01.0001 {official}" in f.message
    assert f.message.count("2.08.02.2.01.") >= 3  # up to three suggestions, all under the same kegiatan


def test_unofficial_name_is_a_warning_with_the_official_name(pppa):
    text = (pppa / PROGRAM).read_text(encoding="utf-8")
    official = text.split('kode: "2.08.02.2.01.0001"\n            nama: ')[1].split("\n")[0].strip('"')
    line = _edit(pppa, f'nama: "{official}"', 'nama: "Nama Buatan Kantor Sendiri"')
    (f,) = _about(pppa, line)
    assert not f.is_error
    assert f.message.endswith(f"nama berbeda dari nomenklatur 1317; nama resmi: '{official}'")
    # case, spacing and punctuation alone are no difference
    (pppa / PROGRAM).write_text((pppa / PROGRAM).read_text().replace(
        'nama: "Nama Buatan Kantor Sendiri"', f'nama: "{official.upper().replace(" ", "  ")}."'))
    assert _about(pppa, line) == []


def test_a_code_of_another_level_is_reported_with_suggestions(pppa):
    line = _edit(pppa, 'kode: "2.08.02.2.01"', 'kode: "2.08.02"')
    found = [f for f in _about(pppa, line) if "adalah kode program" in f.message]
    assert len(found) == 1
    assert "kegiatan 2.08.02 " in found[0].message and "bukan kode kegiatan; usulan: 2.08.02.2.01 " in found[0].message


def test_a_code_under_the_wrong_parent_names_its_official_parent(pppa):
    line = _edit(pppa, 'kode: "2.08.02.2.01.0001"', 'kode: "2.08.03.2.01.0001"')
    found = [f for f in _about(pppa, line) if "induk" in f.message]
    assert len(found) == 1 and found[0].is_error
    assert "kode tidak berada di bawah kode induknya 2.08.02.2.01; induk resminya kegiatan 2.08.03.2.01 " in found[0].message


def test_the_older_era_gets_warnings_not_errors(minimal):
    p = minimal / "tabel" / "program.yaml"
    text = p.read_text()
    line = text[: text.index('kode: "2.24.02.2.01.02"')].count("\n") + 1
    p.write_text(text.replace('kode: "2.24.02.2.01.02"', 'kode: "2.24.02.2.01.99"'))
    (f,) = [f for f in _about(minimal, line, "tabel/program.yaml") if "tidak ada dalam" in f.message]
    assert not f.is_error
    assert "nomenklatur 90/2019 (dibandingkan dengan 1317)" in f.message
    assert "usulan: 2.24.02.2.01.000" in f.message


def test_the_declared_nomenclature_is_validated(minimal):
    p = minimal / "renstra.yaml"
    p.write_text(p.read_text().replace("kertas: F4", "kertas: F4\nnomenklatur: 2099"))
    (f,) = [f for f in inspect(minimal, collect=True) if f.is_error]  # named once (the other files still checked)
    assert f.source.file == "renstra.yaml" and "nomenklatur harus salah satu dari" in f.message


def test_guidance_text_left_in_is_a_warning_per_line(pppa):
    findings = [f for f in inspect(pppa, collect=True) if "teks panduan" in f.message]
    where = {(f.source.file, f.source.line) for f in findings}
    alamat = (pppa / "renstra.yaml").read_text().split("\n").index('  alamat: "[PANDUAN: alamat kantor]"') + 1
    assert ("bab/1-pendahuluan.md", 5) in where and ("renstra.yaml", alamat) in where
    chapter = pppa / "bab" / "8-penutup.md"
    chapter.write_text("# PENUTUP\n\nRenstra ini menjadi pedoman.\n", encoding="utf-8")
    assert not [f for f in inspect(pppa, collect=True) if f.source.file == "bab/8-penutup.md"]


def test_tanpa_compares_no_list_but_still_the_nesting(minimal):
    p = minimal / "renstra.yaml"
    p.write_text(p.read_text().replace("kertas: F4", "kertas: F4\nnomenklatur: tanpa"))
    assert not [f for f in inspect(minimal, collect=True) if "nomenklatur" in f.message]
    t = minimal / "tabel" / "program.yaml"
    t.write_text(t.read_text().replace('kode: "2.24.03.2.01.01"', 'kode: "2.24.02.2.01.09"'))
    (f,) = [f for f in inspect(minimal, collect=True) if "induk" in f.message]
    assert f.message.endswith("kode tidak berada di bawah kode induknya 2.24.03.2.01") and not f.is_error


def test_province_kegiatan_are_not_compared(pppa):
    line = _edit(pppa, 'kode: "2.08.02.2.01.0001"', 'kode: "2.08.02.1.01.0001"')
    found = _about(pppa, line)
    assert [f.message.split(": ", 1)[1] for f in found] == ["kode tidak berada di bawah kode induknya 2.08.02.2.01"]
