"""Writes a synthetic, valid Renstra content set of any size, for the benchmark.

The set follows docs/content-format.md: renstra.yaml (period 2025-2029, A4), a Kata Pengantar,
eight BAB files whose narrative grows with the number of sub kegiatan, one table of every kind
(the program matrix with Permendagri 90/2019 codes holds exactly N sub kegiatan), indikator.yaml,
organisasi.yaml, two figures and the Lampiran of indicator formulas. The output is deterministic
(seeded random) and passes `renstra check` with no errors and no warnings.

    python bench/make_content.py --sub-kegiatan 5000 --out /tmp/content-5000
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path

YEARS = list(range(2025, 2030))
HISTORY = list(range(2020, 2025))  # years of the past-performance tables (before the period)
OFFICE = "Dinas Contoh Provinsi Sintetis"
SHORT = "DCPS"
REGION = "Provinsi Sintetis"
CITY = "Kota Sintetis"
PARAGRAPHS_PER_1000 = 100  # narrative length: paragraphs per 1,000 sub kegiatan

WORDS = (
    "pelayanan publik kinerja perencanaan penganggaran evaluasi pengendalian pelaporan "
    "koordinasi pembinaan pengawasan peningkatan kualitas kapasitas aparatur sarana prasarana "
    "informasi data statistik daerah masyarakat kelembagaan kemitraan partisipasi inovasi "
    "digitalisasi standar operasional prosedur akuntabilitas transparansi efektivitas efisiensi "
    "program kegiatan capaian sasaran tujuan strategi kebijakan urusan kewenangan regulasi "
    "anggaran belanja pendapatan aset dokumen arsip layanan pengaduan survei kepuasan "
    "penyuluhan pelatihan pendampingan fasilitasi sosialisasi monitoring verifikasi validasi"
).split()
NOUNS = (
    "Dokumen Perencanaan, Laporan Kinerja, Sarana Kantor, Data Statistik, Layanan Pengaduan, "
    "Arsip Dinamis, Sistem Informasi, Kapasitas Aparatur, Kemitraan Daerah, Standar Pelayanan, "
    "Aset Daerah, Kelembagaan Masyarakat, Inovasi Daerah, Pengelolaan Keuangan, Survei Kepuasan"
).split(", ")
VERBS = (
    "Penyusunan, Pengelolaan, Penyediaan, Fasilitasi, Koordinasi, Pembinaan, Pengembangan, "
    "Pemeliharaan, Evaluasi, Peningkatan, Pendataan, Penyelenggaraan"
).split(", ")
BIDANG = ["Sekretariat", "Bidang Pelayanan", "Bidang Pengembangan", "Bidang Pengendalian"]
UNITS = ["Dokumen", "Laporan", "Unit", "Orang", "Kegiatan", "Paket", "Persen"]
CHAPTERS = [
    ("1-pendahuluan", "PENDAHULUAN"),
    ("2-gambaran-pelayanan", "GAMBARAN PELAYANAN PERANGKAT DAERAH"),
    ("3-permasalahan", "PERMASALAHAN DAN ISU-ISU STRATEGIS PERANGKAT DAERAH"),
    ("4-tujuan-sasaran", "TUJUAN DAN SASARAN"),
    ("5-strategi", "STRATEGI DAN ARAH KEBIJAKAN"),
    ("6-program", "RENCANA PROGRAM DAN KEGIATAN SERTA PENDANAAN"),
    ("7-kinerja", "KINERJA PENYELENGGARAAN BIDANG URUSAN"),
    ("8-penutup", "PENUTUP"),
]
INDICATORS = [
    ("layanan-tepat-waktu", "Persentase Layanan yang Diselesaikan Tepat Waktu", "Persen",
     r"\frac{\text{Jumlah layanan selesai tepat waktu}}{\text{Jumlah seluruh layanan}} \times 100\%"),
    ("kepuasan", "Indeks Kepuasan Masyarakat", "Indeks",
     r"\frac{\text{Jumlah nilai persepsi per unsur}}{\text{Jumlah unsur yang terisi}} \times 25"),
    ("dokumen-tepat-waktu", "Persentase Dokumen Perencanaan yang Tepat Waktu", "Persen",
     r"\frac{\text{Jumlah dokumen tepat waktu}}{\text{Jumlah dokumen yang wajib disusun}} \times 100\%"),
    ("aparatur-terlatih", "Persentase Aparatur yang Mengikuti Pelatihan", "Persen",
     r"\frac{\text{Jumlah aparatur terlatih}}{\text{Jumlah seluruh aparatur}} \times 100\%"),
    ("realisasi-anggaran", "Persentase Realisasi Anggaran", "Persen",
     r"\frac{\text{Realisasi belanja}}{\text{Pagu anggaran}} \times 100\%"),
]


# ---------------------------------------------------------------- YAML helpers

def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def per_year(values: dict[int, object]) -> str:
    """A per-year flow mapping: {2025: 10, 2026: 12}."""
    return "{" + ", ".join(f"{y}: {v}" for y, v in values.items()) + "}"


def write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


# ---------------------------------------------------------------- text

class Prose:
    """Deterministic Indonesian-looking filler text."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def words(self, lo: int, hi: int) -> str:
        return " ".join(self.rng.choice(WORDS) for _ in range(self.rng.randint(lo, hi)))

    def sentence(self) -> str:
        s = self.words(8, 18)
        return s[0].upper() + s[1:] + "."

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(3, 6)))

    def title(self) -> str:
        return self.words(2, 4).title()

    def name(self) -> str:
        return f"{self.rng.choice(VERBS)} {self.rng.choice(NOUNS)}"


def list_block(prose: Prose, style: int) -> str:
    """A list in one of four styles; style 0 nests `a.` and `(1)` under `1.`."""
    items = prose.rng.randint(3, 5)
    if style == 0:
        lines = []
        for i in range(1, items + 1):
            lines.append(f"{i}. {prose.words(4, 10)};")
            if i == 2:
                lines += [f"   {c}. {prose.words(3, 8)};" for c in "ab"]
                lines += [f"      ({k}) {prose.words(3, 6)};" for k in (1, 2)]
        return "\n".join(lines)
    marker = {1: lambda i: f"{chr(96 + i)}.", 2: lambda i: f"({i})", 3: lambda i: "-"}[style]
    return "\n".join(f"{marker(i)} {prose.words(4, 10)};" for i in range(1, items + 1))


def filler(prose: Prose, paragraphs: int, list_style: int = 0) -> list[str]:
    """`##` sections with `###` subsections of paragraphs and lists, about `paragraphs` long."""
    out: list[str] = []
    while paragraphs > 0:
        out.append(f"## {prose.title()}")
        for _ in range(2):
            out.append(f"### {prose.title()}")
            for _ in range(min(4, max(paragraphs, 1))):
                out.append(prose.paragraph())
                paragraphs -= 1
            out.append(list_block(prose, list_style % 4))
            list_style += 1
            if paragraphs <= 0:
                break
    return out


# ---------------------------------------------------------------- program tree

@dataclass
class Row:
    kode: str
    nama: str
    indikator: str
    target: dict[int, int]
    pagu: dict[int, int] = field(default_factory=dict)
    children: list["Row"] = field(default_factory=list)
    unit: str | None = None

    def total(self) -> dict[int, int]:
        if not self.children:
            return self.pagu
        sums = [c.total() for c in self.children]
        return {y: sum(s[y] for s in sums) for y in YEARS}


def split(total: int, lo: int, hi: int, rng: random.Random) -> list[int]:
    """Sizes between lo and hi that add up to total (one smaller part only if total < lo)."""
    sizes = []
    while total > hi:
        s = rng.randint(lo, min(hi, total - lo))
        sizes.append(s)
        total -= s
    if total:
        sizes.append(total)
    return sizes


def rising(rng: random.Random, start: int, step: int) -> dict[int, int]:
    value = start
    out = {}
    for y in YEARS:
        out[y] = value
        value += rng.randint(0, step)
    return out


def program_code(p: int) -> str:
    if p >= 99 * 99:
        raise ValueError("too many programs for X.YY.ZZ codes")
    return f"2.{p // 99 + 1:02d}.{p % 99 + 1:02d}"


def make_tree(n: int, rng: random.Random, prose: Prose) -> list[Row]:
    """Programs (3-8 kegiatan) of kegiatan (8-15 sub kegiatan), n sub kegiatan in all."""
    kegiatan_sizes = split(n, 8, 15, rng)
    programs = []
    start = 0
    for p, count in enumerate(split(len(kegiatan_sizes), 3, 8, rng)):
        code = program_code(p)
        program = Row(code, f"PROGRAM {prose.name().upper()}", f"Persentase {prose.name()} (%)",
                      rising(rng, 70, 5))
        for k, subs in enumerate(kegiatan_sizes[start:start + count], 1):
            program.children.append(make_kegiatan(f"{code}.2.{k:02d}", subs, rng, prose))
        start += count
        programs.append(program)
    return programs


def make_kegiatan(code: str, subs: int, rng: random.Random, prose: Prose) -> Row:
    unit = rng.choice(BIDANG) if rng.random() < 0.2 else None
    keg = Row(code, prose.name(), f"Jumlah {prose.name()} ({rng.choice(UNITS)})", rising(rng, 10, 4), unit=unit)
    for s in range(1, subs + 1):
        base = rng.randint(20, 900) * 1_000_000 + rng.randint(0, 999) * 1_000
        pagu = {y: base + i * rng.randint(0, 50) * 1_000_000 for i, y in enumerate(YEARS)}
        keg.children.append(Row(f"{code}.{s:02d}", prose.name(), f"Jumlah {prose.name()} ({rng.choice(UNITS)})",
                                rising(rng, rng.randint(1, 50), 3), pagu))
    return keg


def row_yaml(row: Row, indent: str, level: int) -> list[str]:
    """One matrix row (and its children) as YAML list items."""
    lines = [f"{indent}- kode: {q(row.kode)}",
             f"{indent}  nama: {q(row.nama)}",
             f"{indent}  indikator: {q(row.indikator)}",
             f"{indent}  target: {per_year(row.target)}"]
    if row.unit:
        lines.append(f"{indent}  unit: {q(row.unit)}")
    if row.children:
        total = row.total()
        lines.append(f"{indent}  tertulis: {{pagu: {per_year(total)}, kondisi_akhir: {sum(total.values())}}}")
        lines.append(f"{indent}  {'kegiatan' if level == 0 else 'sub_kegiatan'}:")
        for child in row.children:
            lines += row_yaml(child, indent + "    ", level + 1)
    else:
        lines.append(f"{indent}  pagu: {per_year(row.pagu)}")
        lines.append(f"{indent}  lokasi: {q(CITY)}")
    return lines


def program_table(programs: list[Row]) -> str:
    head = [
        "jenis: program-pendanaan",
        f"judul: {q(f'Rencana Program, Kegiatan, Sub Kegiatan dan Pendanaan {OFFICE} Tahun 2025-2029')}",
        f"sumber: {q('Hasil analisis ' + SHORT)}",
        "orientasi: lanskap",
        f"tujuan: {q('Meningkatnya kualitas pelayanan publik')}",
        f"sasaran: {q('Meningkatnya kinerja pelayanan perangkat daerah')}",
        f"unit: {SHORT}",
        "program:",
    ]
    body = [line for p in programs for line in row_yaml(p, "  ", 0)]
    return "\n".join(head + body) + "\n"


# ---------------------------------------------------------------- small tables

def identity(n: int, chapters: list[str]) -> str:
    return f"""slug: renstra-sintetis-{n}
judul: RENCANA STRATEGIS (RENSTRA)
perangkat_daerah:
  nama: {OFFICE}
  singkatan: {SHORT}
  alamat: Jl. Contoh No. 1, {CITY}
daerah:
  nama: {REGION}
  ibu_kota: {CITY}
  provinsi: {REGION}
nomenklatur: tanpa   # synthetic codes, not the official list
periode: {{awal: {YEARS[0]}, akhir: {YEARS[-1]}}}
kepala:
  jabatan: Kepala {OFFICE}
  nama: Nama Pejabat Contoh, S.E., M.M.
  pangkat: Pembina Utama Muda
  nip: 19700101 199503 1 001
penetapan:
  tempat: {CITY}
  tanggal: 2025-03-03
kertas: A4
kata_pengantar: kata-pengantar.md
bab:
""" + "".join(f"  - bab/{c}.md\n" for c in chapters) + "lampiran:\n  - lampiran/rumus-indikator.yaml\n"


def pegawai_table(rng: random.Random) -> str:
    groups = []
    for status in ("PNS", "PPPK", "Non ASN"):
        groups.append(f"  - uraian: {status}\n    rincian:\n"
                      f"      - {{uraian: Laki-laki, jumlah: {rng.randint(5, 60)}}}\n"
                      f"      - {{uraian: Perempuan, jumlah: {rng.randint(5, 60)}}}")
    return ("jenis: rekap\njudul: Jumlah Pegawai berdasarkan Status dan Jenis Kelamin\n"
            f"sumber: Data Kepegawaian {SHORT} 2024\n"
            'kolom: ["No", "Status", "Jenis Kelamin", "Jumlah (Orang)", "%"]\n'
            "persen: true\nlabel_jumlah: Jumlah\nlabel_total: TOTAL\nkelompok:\n" + "\n".join(groups) + "\n")


def rekap_program_table(programs: list[Row]) -> str:
    kegiatan = sum(len(p.children) for p in programs)
    subs = sum(len(k.children) for p in programs for k in p.children)
    return ("jenis: rekap\njudul: Jumlah Nomenklatur Program, Kegiatan dan Sub Kegiatan\n"
            'kolom: ["No", "Nomenklatur", "Jumlah"]\nrincian:\n'
            f"  - {{uraian: Program, jumlah: {len(programs)}}}\n"
            f"  - {{uraian: Kegiatan, jumlah: {kegiatan}}}\n"
            f"  - {{uraian: Sub Kegiatan, jumlah: {subs}}}\n")


def aset_table(rng: random.Random, prose: Prose) -> str:
    rows = ['  - ["I", {teks: "Peralatan dan Mesin", lebar: 3, tebal: true}]']
    for i in range(1, 7):
        rows.append(f'  - ["{i}", {q(prose.name())}, "{rng.randint(1, 80)} unit", "Baik"]')
    rows.append('  - ["II", {teks: "Gedung dan Bangunan", lebar: 3, tebal: true}]')
    rows.append('  - [{teks: "1", tinggi: 2}, "Gedung Kantor", "1 unit", {teks: "Baik", tinggi: 2}]')
    rows.append('  - ["Gudang Arsip", "2 unit"]')
    return ("jenis: umum\njudul: Rekapitulasi Aset Sarana dan Prasarana\n"
            f"sumber: Rekonsiliasi Aset {SHORT} 2024\n"
            "kolom:\n  - {lebar: 1, rata: tengah}\n  - {lebar: 6}\n  - {lebar: 2, rata: tengah}\n"
            "  - {lebar: 2, rata: tengah}\n"
            'kepala:\n  - ["No", "Nama Barang", "Jumlah", "Kondisi"]\nnomor_kolom: true\nbaris:\n'
            + "\n".join(rows) + "\n")


def capaian_table(rng: random.Random) -> str:
    rows = []
    for _, nama, satuan, _ in INDICATORS:
        target = {y: rng.randint(60, 90) for y in HISTORY}
        real = {y: target[y] + rng.randint(-10, 10) for y in HISTORY}
        rows.append(f"  - nama: {q(f'{nama} ({satuan})')}\n"
                    f"    target: {per_year(target)}\n    realisasi: {per_year(real)}")
    return ("jenis: capaian-kinerja\njudul: Pencapaian Kinerja Pelayanan Tahun 2020-2024\n"
            f"tahun: {{awal: {HISTORY[0]}, akhir: {HISTORY[-1]}}}\nindikator:\n" + "\n".join(rows) + "\n")


def anggaran_table(programs: list[Row], rng: random.Random) -> str:
    rows = []
    for p in programs[:6]:
        anggaran = {y: rng.randint(500, 5000) * 1_000_000 for y in HISTORY}
        real = {y: anggaran[y] * rng.randint(80, 100) // 100 for y in HISTORY}
        rows.append(f"  - uraian: {q(p.nama.title())}\n"
                    f"    anggaran: {per_year(anggaran)}\n    realisasi: {per_year(real)}")
    return ("jenis: anggaran-realisasi\njudul: Anggaran dan Realisasi Pendanaan Pelayanan Tahun 2020-2024\n"
            f"tahun: {{awal: {HISTORY[0]}, akhir: {HISTORY[-1]}}}\nprogram:\n" + "\n".join(rows) + "\n")


def indicator_refs(kind: str, title: str, extra: str = "") -> str:
    refs = "".join(f"  - kunci: {key}\n" for key, *_ in INDICATORS)
    return f"jenis: {kind}\njudul: {title}\n{extra}indikator:\n{refs}"


def strategi_table(prose: Prose) -> str:
    rows = []
    for i in range(2):
        strategi = "".join(f"      - {q(prose.sentence())}\n" for _ in range(3))
        kebijakan = "".join(f"      - {q(prose.sentence())}\n" for _ in range(2))
        rows.append(f"  - tujuan: {q(TUJUAN[0][1])}\n    sasaran: {q(TUJUAN[0][2][i][1])}\n"
                    f"    strategi:\n{strategi}    kebijakan:\n{kebijakan}")
    return (f"jenis: strategi\njudul: Tujuan, Sasaran, Strategi dan Kebijakan\n"
            f"visi: {q(REGION.upper() + ' YANG MAJU, SEJAHTERA DAN BERKELANJUTAN')}\n"
            f"misi:\n  - {q(prose.sentence())}\n  - {q(prose.sentence())}\nbaris:\n" + "".join(rows))


TUJUAN = [("pelayanan", "Meningkatnya kualitas pelayanan publik",
           [("kinerja", "Meningkatnya kinerja pelayanan perangkat daerah"),
            ("tata-kelola", "Meningkatnya akuntabilitas tata kelola perangkat daerah")])]


def indikator_yaml(rng: random.Random) -> str:
    lines = ["tujuan:"]
    for key, name, sasaran in TUJUAN:
        lines += [f"  - kunci: {key}", f"    nama: {q(name)}", "    sasaran:"]
        lines += [f"      - {{kunci: {k}, nama: {q(n)}}}" for k, n in sasaran]
    lines.append("indikator:")
    for i, (key, name, satuan, rumus) in enumerate(INDICATORS):
        start = rng.randint(55, 75)
        lines += [f"  - kunci: {key}", f"    nama: {q(name)}", f"    satuan: {satuan}",
                  f"    sasaran: {TUJUAN[0][2][i % 2][0]}", f"    kondisi_awal: \"{start},5\"",  # a decimal comma (content/angka_id.py)
                  f"    target: {per_year({y: start + 2 * (j + 1) for j, y in enumerate(YEARS)})}",
                  f"    rumus: '{rumus}'", f"    keterangan: {q('Data bersumber dari laporan ' + SHORT)}"]
    return "\n".join(lines) + "\n"


def organisasi_yaml() -> str:
    units = ["  - nama: Kepala Dinas",
             "  - nama: Sekretaris\n    bawahan: [Sub Bagian Umum dan Kepegawaian, Sub Bagian Keuangan, "
             "Sub Bagian Program]"]
    for bidang in BIDANG[1:]:
        units.append(f"  - nama: {bidang}\n    bawahan: [Seksi {bidang[7:]} I, Seksi {bidang[7:]} II]")
    units.append("  - nama: Kelompok Jabatan Fungsional")
    return (f"dasar_hukum: Peraturan Gubernur {REGION} Nomor 1 Tahun 2024\n"
            f"kalimat_pengantar: {q('Susunan organisasi ' + OFFICE + ' adalah sebagai berikut:')}\n"
            "unit:\n" + "\n".join(units) + "\n")


FIGURES = {
    "struktur-organisasi": f"jenis: bagan-organisasi\njudul: Bagan Struktur Organisasi {OFFICE}\n"
                           f"sumber: Peraturan Gubernur {REGION} Nomor 1 Tahun 2024\n",
    "keterkaitan-dokumen": "jenis: bagan-alur\njudul: Keterkaitan Dokumen Perencanaan\nsimpul:\n"
                           "  - {kunci: rpjmd, teks: RPJMD}\n  - {kunci: renstra, teks: Renstra PD}\n"
                           "  - {kunci: renja, teks: Renja PD}\nhubungan:\n"
                           "  - {dari: rpjmd, ke: renstra, label: Pedoman}\n"
                           "  - {dari: renstra, ke: renja, label: Dijabarkan}\n",
}


# ---------------------------------------------------------------- narrative

def chapter_texts(programs: list[Row], prose: Prose) -> dict[str, list[str]]:
    """The fixed part of every BAB (tables, figures, references, derived figures)."""
    first = programs[0].kode
    return {
        "1-pendahuluan": [
            "## Latar Belakang", prose.paragraph(),
            "Renstra {{ renstra.perangkat_daerah.nama }} Tahun {{ renstra.periode.awal }}–"
            "{{ renstra.periode.akhir }} disusun sebagai pedoman. Keterkaitannya disajikan pada "
            '{{ nomor("keterkaitan-dokumen") }}.',
            '{{ gambar("keterkaitan-dokumen") }}',
            "## Landasan Hukum", "Dasar hukum penyusunan Renstra ini adalah:", list_block(prose, 0),
            "## Maksud dan Tujuan", prose.paragraph(), list_block(prose, 2), list_block(prose, 3),
            "## Sistematika Penulisan", list_block(prose, 1),
        ],
        "2-gambaran-pelayanan": [
            "## Tugas, Fungsi dan Struktur Organisasi", prose.paragraph(),
            "{{ struktur_organisasi() }}", '{{ gambar("struktur-organisasi") }}',
            "## Sumber Daya Perangkat Daerah",
            'Pegawai berjumlah {{ data("pegawai").total }} orang; PNS sebanyak '
            '{{ data("pegawai").kelompok("PNS").jumlah }} orang '
            '({{ data("pegawai").kelompok("PNS").persen | angka(1) }} %), lihat {{ nomor("pegawai") }}.',
            '{{ tabel("pegawai") }}', '{{ tabel("aset") }}',
            "## Kinerja Pelayanan Perangkat Daerah",
            'Capaian kinerja disajikan pada {{ nomor("capaian") }} dan pendanaannya pada {{ nomor("anggaran") }}.',
            '{{ tabel("capaian") }}', '{{ tabel("anggaran") }}',
        ],
        "3-permasalahan": ["## Identifikasi Permasalahan", prose.paragraph()],
        "4-tujuan-sasaran": [
            "## Tujuan dan Sasaran Jangka Menengah",
            'Tujuan dan sasaran beserta indikatornya disajikan pada {{ nomor("tujuan-sasaran") }}.',
            '{{ tabel("tujuan-sasaran") }}',
        ],
        "5-strategi": ["## Strategi dan Arah Kebijakan", prose.paragraph(), '{{ tabel("strategi") }}'],
        "6-program": [
            "## Rencana Program dan Kegiatan",
            'Rencana program, kegiatan, sub kegiatan dan pendanaan disajikan pada {{ nomor("program") }}; '
            'jumlah nomenklaturnya pada {{ nomor("rekap-program") }}. Pagu indikatif tahun '
            '{{ renstra.periode.awal }} seluruhnya Rp{{ data("program").total[2025] | angka }}, selama periode '
            'Rp{{ data("program").total_akhir | angka }}, dan program ' + first +
            f' Rp{{{{ data("program").find("{first}").kondisi_akhir | angka }}}}.',
            '{{ tabel("rekap-program") }}', '{{ tabel("program") }}',
        ],
        "7-kinerja": [
            "## Indikator Kinerja",
            'Indikator kinerja yang mengacu pada tujuan dan sasaran RPJMD disajikan pada '
            '{{ nomor("indikator-kinerja") }}.', '{{ tabel("indikator-kinerja") }}',
        ],
        "8-penutup": [prose.paragraph(), prose.paragraph()],
    }


def write_narrative(root: Path, programs: list[Row], prose: Prose, paragraphs: int) -> None:
    fixed = chapter_texts(programs, prose)
    share = max(1, paragraphs // len(CHAPTERS))
    for i, (stem, title) in enumerate(CHAPTERS):
        blocks = [f"# {title}"] + fixed[stem] + filler(prose, share, i)
        write(root, f"bab/{stem}.md", "\n\n".join(blocks) + "\n")
    write(root, "kata-pengantar.md",
          "Puji syukur atas tersusunnya Renstra {{ renstra.perangkat_daerah.nama }} Tahun "
          "{{ renstra.periode.awal }}–{{ renstra.periode.akhir }}.\n\n" + prose.paragraph() + "\n")


# ---------------------------------------------------------------- main

def make_content(n: int, out: Path, seed: int = 90) -> None:
    """Write the content set for n sub kegiatan into out (replaced if it exists)."""
    if n < 1:
        raise ValueError("at least one sub kegiatan")
    rng = random.Random(seed * 1_000_003 + n)
    prose = Prose(rng)
    if out.exists():
        if any(out.iterdir()) and not (out / "renstra.yaml").is_file():
            raise SystemExit(f"{out}: exists and is not a content folder; not replaced")
        shutil.rmtree(out)
    programs = make_tree(n, rng, prose)
    write(out, "renstra.yaml", identity(n, [stem for stem, _ in CHAPTERS]))
    write_narrative(out, programs, prose, max(8, n * PARAGRAPHS_PER_1000 // 1000))
    tables = {
        "program": program_table(programs),
        "rekap-program": rekap_program_table(programs),
        "pegawai": pegawai_table(rng),
        "aset": aset_table(rng, prose),
        "capaian": capaian_table(rng),
        "anggaran": anggaran_table(programs, rng),
        "tujuan-sasaran": indicator_refs("tujuan-sasaran", "Tujuan dan Sasaran Jangka Menengah Pelayanan",
                                         f"tujuan: {q(TUJUAN[0][1])}\nsasaran: {q(TUJUAN[0][2][0][1])}\n"),
        "strategi": strategi_table(prose),
        "indikator-kinerja": indicator_refs("indikator-kinerja", "Indikator Kinerja Perangkat Daerah",
                                            f"tahun: {{awal: {YEARS[0]}, akhir: {YEARS[-1]}}}\n"),
    }
    for key, text in tables.items():
        write(out, f"tabel/{key}.yaml", text)
    for key, text in FIGURES.items():
        write(out, f"gambar/{key}.yaml", text)
    write(out, "lampiran/rumus-indikator.yaml",
          indicator_refs("rumus-indikator", "RUMUS PERHITUNGAN INDIKATOR KINERJA"))
    write(out, "indikator.yaml", indikator_yaml(rng))
    write(out, "organisasi.yaml", organisasi_yaml())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sub-kegiatan", type=int, required=True, metavar="N", help="number of sub kegiatan")
    parser.add_argument("--out", type=Path, required=True, help="content folder to write (replaced)")
    parser.add_argument("--seed", type=int, default=90, help="random seed (default 90)")
    args = parser.parse_args()
    make_content(args.sub_kegiatan, args.out, args.seed)
    print(f"{args.out}: {args.sub_kegiatan} sub kegiatan")


if __name__ == "__main__":
    main()
