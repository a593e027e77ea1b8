"""The content model: typed, validated objects that remember the file and line they came from."""



import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr, field_validator

from renstra_gen.content import limits
from renstra_gen.content.angka_id import Tertulis, baca, tampak_angka, tulis, utuh
from renstra_gen.errors import Source


_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _clean(v: str) -> str:
    """Text a document can hold: control characters dropped; too long or unencodable is an error."""
    if len(v) > limits.TEXT_CHARS:
        raise ValueError(f"teks terlalu panjang ({limits.count(len(v))} karakter; batas {limits.count(limits.TEXT_CHARS)}, "
                         f"batas satu sel Excel)")
    if _SURROGATE.search(v):
        raise ValueError("teks memuat karakter Unicode yang tidak sah (surrogate tunggal)")
    return _ILLEGAL_XML.sub("", v)


def _text(v: Any) -> Any:
    """Numbers written where text is expected (a cell '2.199 m2' vs 14) become text as written.

    Control characters written as YAML escapes ("\\x0b") are dropped: no document can hold them."""
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float, Decimal)):
        return str(v)
    if isinstance(v, str):
        return _clean(v)
    return v


def _text_only(v: Any) -> Any:
    return _clean(v) if isinstance(v, str) else v


def _number(v: Any, rupiah: bool = False) -> Any:
    """A number as an exact Decimal, within the budget (every sum stays exact in 28 digits).

    Text written as a number (`250.000`, `85,5`, `Rp 1.500.000`, quoted or not) is read the
    Indonesian way by angka_id, or refused with how to write it; YAML's own reading of a plain
    `250.000` (250.0) never reaches here (yamlio keeps it as written)."""
    if isinstance(v, bool):
        return v
    if isinstance(v, str) and v.strip() == "-":
        return None  # the document's "no value"
    if isinstance(v, str) and (isinstance(v, Tertulis) or tampak_angka(v)):
        v = baca(v, rupiah=rupiah)  # AngkaError is a ValueError: a finding with the sentence
        if v is None:
            return None
    if isinstance(v, float):
        if v != v or v in (float("inf"), float("-inf")):
            raise ValueError("harus berupa angka terhingga, tertulis " + repr(v))
        v = Decimal(repr(v))
    if isinstance(v, (int, Decimal)) and abs(v) >= limits.NUMBER_ABS:
        raise ValueError(f"angka terlalu besar (batas di bawah 10^{len(str(limits.NUMBER_ABS)) - 1})")
    if rupiah and isinstance(v, (int, Decimal)) and v != int(v):
        raise ValueError(f"pagu ditulis dalam Rupiah utuh tanpa desimal, tertulis {tulis(v)!r}; "
                         f"tulis misalnya {tulis(utuh(Decimal(v)))}")
    return v


def _rupiah(v: Any) -> Any:
    """A pagu: whole Rupiah (a fraction is refused, never rounded)."""
    return _number(v, rupiah=True)


def _not_negative(values: dict) -> dict:
    for year, v in values.items():
        if isinstance(v, Decimal) and v < 0:
            raise ValueError(f"pagu {year} tidak boleh negatif, tertulis {v}")
    return values


def _years_bounded(awal: int, akhir: int) -> None:
    if akhir - awal + 1 > limits.PERIOD_YEARS:
        raise ValueError(f"rentang {awal}–{akhir} terlalu panjang ({akhir - awal + 1} tahun; batas "
                         f"{limits.PERIOD_YEARS} tahun)")


Text = Annotated[str, BeforeValidator(_text)]
# (`| None` inside: a '-' written for a number is read as no value)
Num = Annotated[Decimal | None, BeforeValidator(_number)]
#: An amount in whole Rupiah (pagu, realisasi Rp): 1.500.000, Rp 1.500.000,-; never 2,5.
Rupiah = Annotated[Decimal | None, BeforeValidator(_rupiah)]
#: A target: a number, or text printed in a numeric cell ("60.300 &", "Belum ada Capaian").
Value = Annotated[Decimal | str | None, BeforeValidator(_number), BeforeValidator(_text_only)]
PerYear = dict[int, Num | None]
PerYearValue = dict[int, Value | None]
PerYearRupiah = dict[int, Rupiah | None]
#: which way an indicator is better: up (naik), down (turun), or held at its target (tetap)
Arah = Literal["naik", "turun", "tetap"]
#: how the end-of-period condition follows from the yearly targets
CaraKondisiAkhir = Literal["akhir", "kumulatif", "rata-rata", "tetap"]


class Node(BaseModel):
    """Base of every content object: unknown keys are errors, the source line is kept."""

    # defer_build: a model's validator is built when first used, not at import (renstra check of a
    # content set that has no Renja inputs never builds those)
    model_config = ConfigDict(extra="forbid", populate_by_name=True, arbitrary_types_allowed=True, defer_build=True)

    line: int | None = Field(default=None, alias="__line__", exclude=True)
    key_lines: dict[str, int] = Field(default_factory=dict, alias="__keys__", exclude=True)
    _file: str = PrivateAttr(default="")
    _tree: Any = PrivateAttr(default=None)  # yamlio.Lines of a generic table's file, for locating rows (load.py)
    _key: str = PrivateAttr(default="")  # file stem of a table or figure: how the text refers to it

    def model_post_init(self, context: Any) -> None:
        if isinstance(context, dict):
            self._file = context.get("file", "")

    @property
    def source(self) -> Source:
        return Source(self._file, self.line)

    @property
    def key(self) -> str:
        return self._key

    def source_of(self, field: str) -> Source:
        """Where one field of this object is written (its key's line), else the object's line."""
        return Source(self._file, self.key_lines.get(field, self.line))


# ---------------------------------------------------------------- renstra.yaml

class PerangkatDaerah(Node):
    nama: Text
    singkatan: Text | None = None
    alamat: Text | None = None


class Daerah(Node):
    nama: Text
    ibu_kota: Text | None = None
    provinsi: Text | None = None


#: A calendar year a plan can be about.
Year = Annotated[int, Field(ge=1900, le=2200)]


class Periode(Node):
    awal: Year
    akhir: Year

    @field_validator("akhir")
    @classmethod
    def _after_start(cls, v: int, info) -> int:
        start = info.data.get("awal")
        if start is not None and v < start:
            raise ValueError(f"tahun akhir {v} sebelum tahun awal {start}")
        if start is not None:
            _years_bounded(start, v)
        return v

    @property
    def years(self) -> list[int]:
        return list(range(self.awal, self.akhir + 1))


class Pejabat(Node):
    jabatan: Text
    nama: Text
    pangkat: Text | None = None
    nip: Text | None = None


class Penetapan(Node):
    tempat: Text
    tanggal: dt.date


class Identity(Node):
    """renstra.yaml: who the document belongs to and what it is made of."""

    slug: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    judul: Text = "RENCANA STRATEGIS (RENSTRA)"
    perangkat_daerah: PerangkatDaerah
    daerah: Daerah
    periode: Periode
    kepala: Pejabat
    penetapan: Penetapan
    kertas: Literal["A4", "F4"] = "A4"
    #: the nomenclature the codes follow (renstra_gen/content/nomenklatur.py VERSIONS, `tanpa`, or an office's own
    #: version imported into nomenklatur/: renstra_gen/content/nomenklatur_kantor.py, checked by load); left out:
    #: guessed from the codes
    nomenklatur: Annotated[str | None, BeforeValidator(_text)] = None
    kata_pengantar: str | None = None
    bab: list[str] = Field(min_length=1)
    lampiran: list[str] = []
    #: a Halaman Verifikasi after the Kata Pengantar (the Renstra has none unless asked)
    verifikasi: "Verifikasi | None" = None


# ---------------------------------------------------------------- tables

Align = Literal["kiri", "tengah", "kanan"]


class CellSpec(Node):
    teks: Text = ""
    lebar: int = Field(default=1, ge=1, le=limits.TABLE_COLUMNS)
    tinggi: int = Field(default=1, ge=1, le=limits.TABLE_ROWS)
    tebal: bool = False
    rata: Align | None = None


CellIn = Text | CellSpec


class ColumnSpec(Node):
    lebar: float = Field(default=1, gt=0)
    rata: Align = "kiri"


class TableBase(Node):
    judul: Text
    sumber: Text | None = None
    orientasi: Literal["potret", "lanskap"] = "potret"
    #: the paper of this table's pages (a section of its own), when not the document's: a wide matrix
    #: printed legibly on F4 or A3 (issue 28 item 3)
    kertas: Literal["A4", "F4", "A3"] | None = None


class GenericTable(TableBase):
    jenis: Literal["umum"]
    kolom: list[ColumnSpec] = Field(min_length=1, max_length=limits.TABLE_COLUMNS)
    kepala: list[list[CellIn]] = Field(min_length=1, max_length=100)
    nomor_kolom: bool = False
    baris: list[list[CellIn]] = Field(default=[], max_length=limits.TABLE_ROWS)

    @field_validator("baris")
    @classmethod
    def _cells_bounded(cls, v: list, info) -> list:
        cells = sum(len(r) for r in v)
        if cells > limits.TABLE_CELLS:
            raise ValueError(f"terlalu banyak sel ({limits.count(cells)}; batas {limits.count(limits.TABLE_CELLS)})")
        return v


class RekapItem(Node):
    uraian: Text
    jumlah: Num | None = None


class RekapGroup(Node):
    uraian: Text | None = None
    rincian: list[RekapItem] = Field(min_length=1)
    jumlah_tertulis: Num | None = None


class RekapTable(TableBase):
    jenis: Literal["rekap"]
    kolom: list[Text] = Field(min_length=2)
    persen: bool = False
    label_jumlah: Text = "Jumlah"
    label_total: Text | None = None
    kelompok: list[RekapGroup] | None = None
    rincian: list[RekapItem] | None = None
    total_tertulis: Num | None = None
    nilai: dict[str, Value] = {}

    @field_validator("nilai", mode="before")
    @classmethod
    def _plain_mapping(cls, v: Any) -> Any:
        """A free mapping of named values: the reader's line bookkeeping is not one of them."""
        if isinstance(v, dict):
            return {k: x for k, x in v.items() if not str(k).startswith("__")}
        return v


class AngkaRow(Node):
    uraian: Text
    nilai: list[Num | None] = Field(min_length=1)  # one value per entry of the table's `kolom`


class AngkaTable(TableBase):
    """Count data by column (years or categories): sums and shares computed, never typed."""

    jenis: Literal["angka"]
    kolom_uraian: Text = "Uraian"
    kolom: list[Text] = Field(min_length=1)  # column labels, left to right
    baris: list[AngkaRow] = Field(min_length=1)
    jumlah_kolom: Text | None = None  # label of a last column with each row's sum; left out: none
    jumlah_baris: Text | None = None  # label of a last row with each column's sum; left out: none
    persen: bool = False  # a column with each row's share of the grand total (needs jumlah_kolom)


class YearRange(Periode):
    """The years a table covers (awal..akhir), bounded like the period."""


class CapaianIndicator(Node):
    nama: Text
    arah: Arah = "naik"
    target_ikk: Value | None = None
    target: PerYearValue = {}
    realisasi: PerYearValue = {}
    rasio_tertulis: PerYear = {}


class CapaianTable(TableBase):
    jenis: Literal["capaian-kinerja"]
    tahun: YearRange
    kolom_indikator: Text = "Indikator Kinerja sesuai Tugas dan Fungsi Perangkat Daerah"
    indikator: list[CapaianIndicator] = Field(min_length=1)


class AnggaranProgram(Node):
    uraian: Text
    anggaran: PerYear = {}
    realisasi: PerYear = {}
    rasio_tertulis: PerYear = {}


class AnggaranPrinted(Node):
    anggaran: PerYear = {}
    realisasi: PerYear = {}
    rasio: PerYear = {}


class AnggaranTable(TableBase):
    jenis: Literal["anggaran-realisasi"]
    tahun: YearRange
    program: list[AnggaranProgram] = Field(min_length=1)
    total_tertulis: AnggaranPrinted | None = None


class IndicatorPrinted(Node):
    nama: Text | None = None
    satuan: Text | None = None
    kondisi_awal: Value | None = None
    kondisi_akhir: Value | None = None
    target: PerYearValue = {}


class IndicatorRef(Node):
    kunci: str
    tertulis: IndicatorPrinted | None = None


class TujuanSasaranTable(TableBase):
    """T-C.25. `tujuan`/`sasaran` given: one merged cell each, as printed (the one-string form);
    left out: the cells come from the cascade in indikator.yaml, merged over the rows they cover."""

    jenis: Literal["tujuan-sasaran"]
    tujuan: Text | None = None
    sasaran: Text | None = None
    indikator: list[IndicatorRef] = Field(min_length=1)


class StrategiRow(Node):
    """A row of T-C.26: `kunci` names a sasaran of indikator.yaml (its tujuan and sasaran are
    printed from there), else `tujuan` and `sasaran` are printed as written."""

    kunci: str | None = None
    tujuan: Text | None = None
    sasaran: Text | None = None
    strategi: list[Text] = Field(min_length=1)
    kebijakan: list[Text] = []


class StrategiTable(TableBase):
    jenis: Literal["strategi"]
    visi: Text | None = None
    misi: list[Text] = []
    baris: list[StrategiRow] = Field(min_length=1)


class IndikatorKinerjaTable(TableBase):
    jenis: Literal["indikator-kinerja"]
    tahun: YearRange
    indikator: list[IndicatorRef] = Field(min_length=1)


class IkuTable(TableBase):
    """Indikator Kinerja Utama Perangkat Daerah, drawn from indikator.yaml. `indikator` left out:
    the indicators marked `iku: true`, else every indicator of a tujuan or sasaran (cascade order)."""

    jenis: Literal["iku"]
    #: year of the Kondisi Awal column (default: the year before the period)
    tahun_kondisi_awal: int | None = None
    indikator: list[IndicatorRef] = []


class RumusTable(TableBase):
    """Lampiran: indicator formulas (No, Indikator, Rumus, Keterangan)."""

    jenis: Literal["rumus-indikator"]
    indikator: list[IndicatorRef] = Field(min_length=1)
    #: relative widths of No, Indikator, Rumus, Keterangan: how the room beyond each column's
    #: minimum is shared (render/fit.py); the default favours the text columns
    lebar: list[Annotated[float, Field(gt=0)]] = [0.6, 2.5, 2.5, 4.0]

    @field_validator("lebar")
    @classmethod
    def _four_widths(cls, v: list[float]) -> list[float]:
        if len(v) != 4:
            raise ValueError(f"berisi 4 angka (No, Indikator, Rumus, Keterangan), tertulis {len(v)}")
        return v


class Printed(Node):
    """Values the document printed on a row that the tool computes (evidence for check)."""

    pagu: Annotated[PerYearRupiah, AfterValidator(_not_negative)] = {}
    kondisi_akhir: Num | None = None


class TreeRow(Node):
    kode: Text | None = None
    nama: Text
    indikator: Text | None = None
    arah: Arah = "naik"
    kondisi_akhir: CaraKondisiAkhir = "akhir"
    #: data capaian at the start of the period (printed in T-C.27's baseline column)
    kondisi_awal: Value | None = None
    target: PerYearValue = {}
    tertulis: Printed | None = None
    unit: Text | None = None
    lokasi: Text | None = None

    def unit_or(self, default: str | None) -> str | None:
        return self.unit if "unit" in self.model_fields_set else default


class SubKegiatan(TreeRow):
    pagu: Annotated[PerYearRupiah, AfterValidator(_not_negative)] = {}


class Kegiatan(TreeRow):
    sub_kegiatan: list[SubKegiatan] = []


class Program(TreeRow):
    #: key(s) of the sasaran in indikator.yaml this program serves (more than one is reported)
    sasaran: str | list[str] | None = None
    #: a supporting program (the office's own administration, no sasaran of its own): printed as its own
    #: group; left out, a program coded <urusan>.<bidang>.01 (the nomenclature's Penunjang) without sasaran is
    penunjang: bool | None = None
    kegiatan: list[Kegiatan] = []

    @property
    def sasaran_keys(self) -> list[str]:
        if self.sasaran is None:
            return []
        return [self.sasaran] if isinstance(self.sasaran, str) else list(self.sasaran)


class KodeNama(Node):
    """An Urusan or Bidang Urusan row of T-C.27: its code and name (left out: the nomenclature's)."""

    kode: Text
    nama: Text | None = None


class ProgramTable(TableBase):
    jenis: Literal["program-pendanaan"]
    tujuan: Text | None = None
    sasaran: Text | None = None
    urusan: KodeNama | None = None
    bidang_urusan: KodeNama | None = None
    #: year of the "Data Capaian pada Tahun Awal Perencanaan" column (default: the year before the period)
    tahun_kondisi_awal: int | None = None
    #: print the year after the period (Inmendagri 2/2025's transition year) as its own K/Rp columns;
    #: the rows' `target` and `pagu` maps may then hold that year. `opsional`: printed the same, but a
    #: row that leaves the year out is meant so (printed "-", not reported)
    tahun_transisi: bool | Literal["opsional"] = False
    #: `ribu`: the Rp columns print in thousands of Rupiah (header "Rp ribu"), each figure rounded from
    #: the exact one; the workbook keeps the exact figures, shown in thousands (issue 28 item 3)
    rupiah: Literal["penuh", "ribu"] = "penuh"
    #: print the years over two tables (the first half of the years, rounded up, then the rest with the
    #: kondisi akhir), each repeating the identifying columns; the workbook keeps one sheet (issue 28 item 3)
    pisah_tahun: bool = False
    unit: Text | None = None
    program: list[Program] = Field(min_length=1)

    @field_validator("program")
    @classmethod
    def _rows_bounded(cls, v: list) -> list:
        rows = sum(1 + sum(1 + len(k.sub_kegiatan) for k in p.kegiatan) for p in v)
        if rows > limits.TABLE_ROWS:
            raise ValueError(f"terlalu banyak baris ({limits.count(rows)}; batas {limits.count(limits.TABLE_ROWS)})")
        return v


class ProgramKegiatanTable(TableBase):
    """Tabel 6.1: the program / kegiatan / sub kegiatan list, derived from a program-pendanaan table."""

    jenis: Literal["program-kegiatan"]
    dari: str  # key (file stem) of the program-pendanaan table it lists
    nomor: Literal["urut", "kode"] = "urut"  # 1. / 1.1 / 1.1.1, or the rows' own codes


TABLE_KINDS: dict[str, type[TableBase]] = {
    "umum": GenericTable,
    "rekap": RekapTable,
    "capaian-kinerja": CapaianTable,
    "anggaran-realisasi": AnggaranTable,
    "tujuan-sasaran": TujuanSasaranTable,
    "strategi": StrategiTable,
    "indikator-kinerja": IndikatorKinerjaTable,
    "program-pendanaan": ProgramTable,
    "rumus-indikator": RumusTable,
    "program-kegiatan": ProgramKegiatanTable,
    "angka": AngkaTable,
    "iku": IkuTable,
}

Table = (GenericTable | RekapTable | CapaianTable | AnggaranTable | TujuanSasaranTable
         | StrategiTable | IndikatorKinerjaTable | ProgramTable | RumusTable | ProgramKegiatanTable | AngkaTable | IkuTable)


# ---------------------------------------------------------------- indicators, organisation

class Sasaran(Node):
    kunci: str
    nama: Text


class Tujuan(Node):
    kunci: str
    nama: Text
    sasaran: list[Sasaran] = []


class Indikator(Node):
    kunci: str
    nama: Text
    satuan: Text | None = None
    sasaran: str | None = None
    #: key of the tujuan an indicator of a tujuan (not of one sasaran) measures
    tujuan: str | None = None
    arah: Arah = "naik"
    kondisi_akhir: CaraKondisiAkhir = "akhir"
    kondisi_awal: Value | None = None
    target: PerYearValue = {}
    rumus: str | None = None
    keterangan: str | None = None
    #: an Indikator Kinerja Utama of the office (listed by a `jenis: iku` table that names none)
    iku: bool = False
    #: printed in the IKU table: definisi operasional, sumber data, penanggung jawab
    definisi: Text | None = None
    sumber_data: Text | None = None
    penanggung_jawab: Text | None = None


class IndicatorSet(Node):
    tujuan: list[Tujuan] = []
    indikator: list[Indikator] = []

    def get(self, key: str) -> Indikator | None:
        return next((i for i in self.indikator if i.kunci == key), None)


class OrgUnit(Node):
    nama: Text
    bawahan: list[Text] = []
    #: place in the chart; left out: the first unit leads, a unit named "Sekretari..." is staff,
    #: "Bidang ..." a line unit, "UPT..."/"Unit Pelaksana ..." below; then other units with bawahan
    #: are line units, "... fungsional" beside the head, the rest below.
    posisi: Literal["pimpinan", "sekretariat", "bidang", "fungsional", "unit-pelaksana"] | None = None


class Organisasi(Node):
    dasar_hukum: Text | None = None
    kalimat_pengantar: Text | None = None
    unit: list[OrgUnit] = Field(min_length=1)


# ---------------------------------------------------------------- figures

class FlowNode(Node):
    kunci: str
    teks: Text
    kelompok: Text | None = None


class FlowEdge(Node):
    dari: str
    ke: str
    putus: bool = False
    label: Text | None = None


class OrgChartFigure(Node):
    jenis: Literal["bagan-organisasi"]
    judul: Text
    sumber: Text | None = None


class FlowFigure(Node):
    jenis: Literal["bagan-alur"]
    judul: Text
    sumber: Text | None = None
    simpul: list[FlowNode] = Field(min_length=1)
    hubungan: list[FlowEdge] = []
    arah: Literal["atas-bawah", "kiri-kanan"] = "atas-bawah"


class PerformanceTreeFigure(Node):
    """The pohon kinerja: tujuan -> sasaran -> program -> kegiatan with their indicators, drawn
    from indikator.yaml and a program-pendanaan table in the cascade form, on landscape pages."""

    jenis: Literal["pohon-kinerja"]
    judul: Text
    sumber: Text | None = None
    #: key of the program-pendanaan table (left out: the only one)
    tabel: str | None = None
    #: the deepest level drawn
    sampai: Literal["program", "kegiatan", "sub_kegiatan"] = "kegiatan"
    #: one figure per tujuan; left out: only when the whole tree would print below the minimum font size
    per_tujuan: bool | None = None


FIGURE_KINDS: dict[str, type[Node]] = {
    "bagan-organisasi": OrgChartFigure,
    "bagan-alur": FlowFigure,
    "pohon-kinerja": PerformanceTreeFigure,
}

Figure = OrgChartFigure | FlowFigure | PerformanceTreeFigure


# ---------------------------------------------------------------- Renja inputs (renja/<TAHUN>/renja.yaml)

class Realisasi(Node):
    """What a sub kegiatan achieved in one year: target realised (K) and money spent (Rp)."""

    kode: Text
    tahun: int
    k: Value | None = None
    rp: Rupiah | None = None
    #: the target of that year, for a year before the Renstra's period (from the previous Renstra)
    target: Value | None = None


class CatatanKode(Node):
    kode: Text
    teks: Text


class Usulan(Node):
    usulan: Text
    lokasi: Text | None = None
    keterangan: Text | None = None


class PelayananRow(Node):
    """A row of T-C.30: an indicator of the office's service (SPM / standar nasional, IKK)."""

    indikator: Text
    satuan: Text | None = None
    arah: Arah = "naik"  # which way is better: drives the tingkat capaian
    spm: Text | None = None  # SPM / standar nasional it belongs to
    ikk: Text | None = None  # indikator kinerja kunci it belongs to
    target: PerYearValue = {}  # Renstra targets, years N-2 .. N+1
    realisasi: PerYearValue = {}  # realised, years N-2 and N-1
    proyeksi: PerYearValue = {}  # projected, years N and N+1
    catatan: Text | None = None  # catatan analisis


class RencanaRingkas(Node):
    """One side of a T-C.31 row: what the plan names for a program or kegiatan."""

    nama: Text | None = None
    lokasi: Text | None = None
    indikator: Text | None = None
    target: Value | None = None
    pagu: Rupiah | None = None


class ReviewRKPD(Node):
    """A row of T-C.31: the rancangan awal RKPD of a program/kegiatan against the Renja's own analysis
    (`analisis` left out: the program tree's name, lokasi, indikator, target and pagu of year N)."""

    kode: Text
    rancangan: RencanaRingkas
    analisis: RencanaRingkas | None = None
    catatan: Text | None = None


SumberUsulan = Literal["musrenbang", "pokir", "lainnya"]


class UsulanPemangku(Node):
    """A row of T-C.32: a proposal of a stakeholder (Musrenbang, pokok-pokok pikiran DPRD, others)."""

    sumber: SumberUsulan
    kode: Text | None = None  # the program/kegiatan it falls under, checked against the program tree
    usulan: Text | None = None  # the program/kegiatan as proposed (default: the name of `kode`)
    lokasi: Text | None = None
    indikator: Text | None = None
    besaran: Value | None = None  # besaran / volume
    catatan: Text | None = None


class EvaluasiProgram(Node):
    """Why a program's realisasi lags and what the office does about it (the T-C.29 narrative)."""

    kode: Text
    penyebab: Text | None = None
    implikasi: Text | None = None
    tindakan: Text | None = None


class Verifikator(Node):
    nama: Text | None = None
    nip: Text | None = None
    jabatan: Text | None = None
    unit: Text | None = None  # e.g. the Bappeda's bidang


class Verifikasi(Node):
    """The Halaman Verifikasi after the Kata Pengantar: who checked the document, where and when."""

    tampil: bool = True
    judul: Text = "HALAMAN VERIFIKASI"
    kalimat: Text | None = None  # the sentence above the signatures (default: "Telah diteliti ...")
    tempat: Text | None = None
    tanggal: dt.date | None = None
    verifikator: list[Verifikator] = []
    kepala: bool = True  # the head of office signs too ("Mengetahui")


class DokumenLampiran(Node):
    """A document attached to the Renja (the SK of the Tim Penyusun, the Berita Acara of the Forum
    Perangkat Daerah): a cover page in the Lampiran, followed in the PDF by the document itself."""

    judul: Text
    nomor: Text | None = None
    tanggal: dt.date | None = None
    tentang: Text | None = None
    berkas: Text | None = None  # the signed document as a PDF inside the content folder


class RenjaInput(Node):
    """Year-specific inputs of a Renja; every part is optional."""

    #: where and when the Renja is signed (default: the Renstra's, with a warning unless in year N-1)
    penetapan: Penetapan | None = None
    #: who signs it (default: the Renstra's kepala)
    kepala: Pejabat | None = None
    sumber_dana: Text = "APBD"
    realisasi: list[Realisasi] = []
    catatan: list[CatatanKode] = []
    sumber_dana_khusus: list[CatatanKode] = []
    usulan_masyarakat: list[Usulan] = []
    #: T-C.30, T-C.31, T-C.32
    pelayanan: list[PelayananRow] = []
    review_rkpd: list[ReviewRKPD] = []
    usulan: list[UsulanPemangku] = []
    #: causes, implications and actions per lagging program, printed after T-C.29
    evaluasi_program: list[EvaluasiProgram] = []
    #: the Halaman Verifikasi (printed by default in the Renja, with blank lines where nothing is given)
    verifikasi: Verifikasi | None = None
    #: documents attached in the Lampiran (SK Tim Penyusun, Berita Acara Forum Perangkat Daerah)
    lampiran: list[DokumenLampiran] = []
