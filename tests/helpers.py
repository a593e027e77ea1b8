"""Test helpers: overlay a 'bad input' fixture folder onto a copy of the minimal content set."""

from __future__ import annotations

import shutil
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def overlay(name: str, dst: Path) -> Path:
    """Copy fixtures/minimal to dst, then the files of fixtures/bad/<name> over it."""
    shutil.copytree(FIXTURES / "minimal", dst)
    for f in (FIXTURES / "bad" / name).rglob("*"):
        if f.is_file():
            target = dst / f.relative_to(FIXTURES / "bad" / name)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(f, target)
    return dst


def folder_state(folder: Path) -> dict[str, object]:
    """Every entry under `folder` (hidden ones too): a file's bytes, a symlink's target text."""
    state: dict[str, object] = {}
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder).as_posix()
        if p.is_symlink():
            state[rel] = ("->", str(p.readlink()))
        elif p.is_file():
            state[rel] = p.read_bytes()
        else:
            state[rel] = "dir"
    return state


#: real kegiatan (nomenclature 1317) the dp3a fixture leaves out, each written before the line given:
#: tests add them where they need a larger cascade (a pohon kinerja too wide for one page, a sasaran
#: group of Tabel 6.2 longer than a page)
DP3A_MORE_KEGIATAN = {
    "2.08.02.2.02": ('  - kode: "2.08.03"\n', """      - kode: "2.08.02.2.02"
        nama: Pemberdayaan Perempuan Bidang Politik, Hukum, Sosial, dan Ekonomi pada Organisasi Kemasyarakatan Kewenangan Kabupaten/Kota
        indikator: Jumlah organisasi kemasyarakatan yang didampingi (lembaga)
        target: {2025: 4, 2026: 4, 2027: 4, 2028: 4, 2029: 4, 2030: 4}
        sub_kegiatan:
          - kode: "2.08.02.2.02.0003"
            nama: Advokasi Kebijakan dan Pendampingan Peningkatan Partisipasi Perempuan dalam Politik, Hukum, Sosial dan Ekonomi
            indikator: Jumlah organisasi kemasyarakatan yang mendapatkan advokasi dan pendampingan (lembaga)
            target: {2025: 4, 2026: 4, 2027: 4, 2028: 4, 2029: 4, 2030: 4}
            pagu: {2025: 20000000, 2026: 20000000, 2027: 20000000, 2028: 20000000, 2029: 20000000, 2030: 20000000}
          - kode: "2.08.02.2.02.0004"
            nama: Sosialisasi Peningkatan Partisipasi Perempuan di Bidang Politik, Hukum, Sosial dan Ekonomi
            indikator: Jumlah perempuan yang mendapatkan sosialisasi (orang)
            target: {2025: 40, 2026: 40, 2027: 40, 2028: 40, 2029: 40, 2030: 40}
            pagu: {2025: 15000000, 2026: 15000000, 2027: 15000000, 2028: 15000000, 2029: 15000000, 2030: 15000000}
"""),
    "2.08.02.2.03": ('  - kode: "2.08.03"\n', """      - kode: "2.08.02.2.03"
        nama: Penguatan dan Pengembangan Lembaga Penyedia Layanan Pemberdayaan Perempuan Kewenangan Kabupaten/Kota
        indikator: Jumlah lembaga penyedia layanan yang dikembangkan (lembaga)
        target: {2025: 2, 2026: 2, 2027: 2, 2028: 2, 2029: 2, 2030: 2}
        sub_kegiatan:
          - kode: "2.08.02.2.03.0005"
            nama: Peningkatan Kapasitas Sumberdaya Lembaga Penyedia Layanan Pemberdayaan Perempuan Kewenangan Kabupaten/Kota
            indikator: Jumlah lembaga penyedia layanan yang ditingkatkan kapasitasnya (lembaga)
            target: {2025: 2, 2026: 2, 2027: 2, 2028: 2, 2029: 2, 2030: 2}
            pagu: {2025: 10000000, 2026: 10000000, 2027: 10000000, 2028: 10000000, 2029: 10000000, 2030: 10000000}
"""),
    "2.08.06.2.01": ('      - kode: "2.08.06.2.02"\n', """      - kode: "2.08.06.2.01"
        nama: Pelembagaan PHA pada Lembaga Pemerintah, Nonpemerintah, dan Dunia Usaha Kewenangan Kabupaten/Kota
        indikator: Jumlah lembaga yang menerapkan PHA (lembaga)
        target: {2025: 3, 2026: 3, 2027: 3, 2028: 3, 2029: 3, 2030: 3}
        sub_kegiatan:
          - kode: "2.08.06.2.01.0002"
            nama: Koordinasi dan Sinkronisasi Pelembagaan Pemenuhan Hak Anak Kewenangan Kabupaten/Kota
            indikator: Jumlah lembaga yang dikoordinasikan (lembaga)
            target: {2025: 3, 2026: 3, 2027: 3, 2028: 3, 2029: 3, 2030: 3}
            pagu: {2025: 15000000, 2026: 15000000, 2027: 15000000, 2028: 15000000, 2029: 15000000, 2030: 15000000}
"""),
}


def grow_dp3a(root: Path, *codes: str) -> Path:
    """A copy of dp3a (at `root`) with the kegiatan of DP3A_MORE_KEGIATAN named by `codes` added."""
    p = root / "tabel" / "program-pendanaan.yaml"
    text = p.read_text(encoding="utf-8")
    for code in codes:
        before, kegiatan = DP3A_MORE_KEGIATAN[code]
        assert before in text, before
        text = text.replace(before, kegiatan + before, 1)
    p.write_text(text, encoding="utf-8")
    return root



#: issue 28's Must show on the minimal fixture without moving its rows for every other test: a Penunjang
#: program that names no sasaran (printed first), and `tahun_transisi: opsional` where only it has 2030 figures
MINIMAL_PENUNJANG = """\
  - kode: "2.24.01"
    nama: PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH KABUPATEN/KOTA
    indikator: Nilai SAKIP Perangkat Daerah (nilai)
    target: {2025: 70, 2026: 72, 2027: 74, 2028: 76, 2029: 78, 2030: 80}
    kegiatan:
      - kode: "2.24.01.2.01"
        nama: Perencanaan, Penganggaran, dan Evaluasi Kinerja Perangkat Daerah
        indikator: Jumlah dokumen perencanaan yang disusun (dokumen)
        target: {2025: 2, 2026: 2, 2027: 2, 2028: 2, 2029: 2, 2030: 2}
        sub_kegiatan:
          - kode: "2.24.01.2.01.01"
            nama: Penyusunan Dokumen Perencanaan Perangkat Daerah
            indikator: Jumlah dokumen perencanaan yang disusun (dokumen)
            target: {2025: 2, 2026: 2, 2027: 2, 2028: 2, 2029: 2, 2030: 2}
            pagu: {2025: 10000000, 2026: 10000000, 2027: 11000000, 2028: 11000000, 2029: 12000000, 2030: 12000000}
            lokasi: Kota Contoh
tahun_transisi: opsional
"""


def extended_minimal(dst: Path) -> Path:
    """A copy of fixtures/minimal at dst with MINIMAL_PENUNJANG added to its program table (and the
    Penunjang's realisasi in its Renja 2027, so that only the fixture's own gaps are reported)."""
    shutil.copytree(FIXTURES / "minimal", dst)
    program = dst / "tabel" / "program.yaml"
    program.write_text(program.read_text(encoding="utf-8") + MINIMAL_PENUNJANG, encoding="utf-8")
    renja = dst / "renja" / "2027" / "renja.yaml"
    renja.write_text(renja.read_text(encoding="utf-8").replace("realisasi:\n", (
        "realisasi:\n  - {kode: \"2.24.01.2.01.01\", tahun: 2025, k: 2, rp: 9500000}\n"
        "  - {kode: \"2.24.01.2.01.01\", tahun: 2026, k: 2, rp: 10000000}\n"), 1), encoding="utf-8")
    return dst


def dp3a_program_line(dst_root: Path, line: str) -> Path:
    """A copy of fixtures/dp3a under dst_root with `line` added under its program matrix's `jenis`."""
    content = dst_root / "dp3a"
    shutil.copytree(FIXTURES / "dp3a", content)
    p = content / "tabel" / "program-pendanaan.yaml"
    p.write_text(p.read_text().replace("jenis: program-pendanaan\n", f"jenis: program-pendanaan\n{line}", 1))
    return content
