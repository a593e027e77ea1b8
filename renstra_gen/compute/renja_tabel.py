"""The Renja's figures of T-C.30 (capaian of service indicators), T-C.31 (rancangan awal RKPD
against the Renja's analysis, with their differences) and T-C.32 (stakeholders' proposals)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from renstra_gen.content import model as m
from renstra_gen.compute.kinerja import capaian
from renstra_gen.compute.program import ProgramMatrix, TreeNode
from renstra_gen.compute.renja import RenjaYear
from renstra_gen.numbers import angka

SUMBER = {"musrenbang": "Musrenbang", "pokir": "Pokok-pokok Pikiran DPRD", "lainnya": "Pemangku Kepentingan Lainnya"}


@dataclass
class Pelayanan:
    """A T-C.30 row with its tingkat capaian of years N-2 and N-1 (by the indicator's arah, compute.kinerja.capaian)."""

    row: m.PelayananRow
    capaian: dict[int, Decimal | None]


def pelayanan(rows: list[m.PelayananRow], year: int) -> list[Pelayanan]:
    out = []
    for row in rows:
        cap = {}
        for y in (year - 2, year - 1):
            real = row.realisasi.get(y)
            cap[y] = None if isinstance(real, str) else capaian(real, row.target.get(y), row.arah)
        out.append(Pelayanan(row, cap))
    return out


@dataclass
class Review:
    """A T-C.31 row: both sides filled, and what differs between them."""

    row: m.ReviewRKPD
    kode: str
    rancangan: m.RencanaRingkas
    analisis: m.RencanaRingkas
    selisih_pagu: Decimal | None  # analisis - rancangan
    beda: list[str]  # the fields that differ, in Bahasa Indonesia

    @property
    def catatan(self) -> str:
        """The content's catatan, and the differences the tool found."""
        parts = [self.row.catatan] if self.row.catatan else []
        if self.beda:
            found = "Berbeda: " + ", ".join(self.beda)
            if self.selisih_pagu:
                sign = "+" if self.selisih_pagu > 0 else "-"
                found += f" (selisih pagu {sign}Rp{angka(abs(self.selisih_pagu))})"
            parts.append(found + ".")
        return "\n".join(parts)


def _own(node: TreeNode, year: int) -> m.RencanaRingkas:
    return m.RencanaRingkas(nama=node.row.nama, lokasi=node.row.lokasi, indikator=node.row.indikator,
                            target=node.target.get(year), pagu=node.pagu.get(year))


def _same(a, b) -> bool:
    if isinstance(a, Decimal) and isinstance(b, Decimal):
        return a == b
    return (str(a).strip().casefold() if a is not None else "") == (str(b).strip().casefold() if b is not None else "")


def review(rows: list[m.ReviewRKPD], matrix: ProgramMatrix, year: int) -> list[Review]:
    """Rows whose kode is not in the program tree are left out (reported by the caller)."""
    nodes = {n.kode: n for n in matrix.walk() if n.kode}
    out = []
    for row in rows:
        node = nodes.get(row.kode)
        if node is None:
            continue
        own = _own(node, year)
        given = row.analisis
        analisis = own if given is None else m.RencanaRingkas(**{
            f: getattr(given, f) if getattr(given, f) is not None else getattr(own, f)
            for f in ("nama", "lokasi", "indikator", "target", "pagu")})
        rancangan = m.RencanaRingkas(**{
            f: getattr(row.rancangan, f) if getattr(row.rancangan, f) is not None else
            (getattr(own, f) if f == "nama" else None) for f in ("nama", "lokasi", "indikator", "target", "pagu")})
        # only what the rancangan awal states is compared (a field it leaves out is not a difference)
        beda = [f for f in ("nama", "lokasi", "indikator", "target", "pagu")
                if getattr(rancangan, f) is not None and not _same(getattr(rancangan, f), getattr(analisis, f))]
        selisih = (analisis.pagu - rancangan.pagu) if analisis.pagu is not None and rancangan.pagu is not None else None
        out.append(Review(row, row.kode, rancangan, analisis, selisih, beda))
    return out


@dataclass
class Usulan:
    row: m.UsulanPemangku
    usulan: str
    index: int | None = None  # its place in renja.yaml's `usulan` list (None: the older usulan_masyarakat)


def usulan(rows: list[m.UsulanPemangku], old: list[m.Usulan], matrix: ProgramMatrix) -> dict[str, list[Usulan]]:
    """T-C.32 rows grouped by source, in SUMBER's order; the older `usulan_masyarakat` list counts as
    Musrenbang proposals. A row without `usulan` takes the name of its `kode`."""
    names = {n.kode: n.row.nama for n in matrix.walk() if n.kode}
    groups: dict[str, list[Usulan]] = {k: [] for k in SUMBER}
    for u in old:
        groups["musrenbang"].append(Usulan(m.UsulanPemangku(sumber="musrenbang", usulan=u.usulan, lokasi=u.lokasi,
                                                            catatan=u.keterangan), u.usulan))
    for i, row in enumerate(rows):
        groups[row.sumber].append(Usulan(row, row.usulan or names.get(row.kode or "", row.kode or ""), i))
    return groups




@dataclass
class Kurang:
    """A row (sub kegiatan, or a program or kegiatan with its own realisasi) whose realisasi of year N-2 fell
    short of its target."""

    node: TreeNode
    target: object
    realisasi: object
    tingkat: Decimal


@dataclass
class Tertinggal:
    """A program with lagging sub kegiatan, or one the content comments on (T-C.29 narrative)."""

    program: TreeNode
    kurang: list[Kurang]
    catatan: m.EvaluasiProgram | None


def tertinggal(r: RenjaYear) -> list[Tertinggal]:
    """Programs, in tree order, with a sub kegiatan below 100 % in year N-2 or a note in `evaluasi_program`
    (a note on a kegiatan or sub kegiatan belongs to its program)."""
    out = []
    for program in r.matrix.programs:
        codes = {n.kode for n in program.walk() if n.kode}
        note = next((e for e in r.inputs.evaluasi_program if e.kode in codes), None)
        kurang = []
        for node in program.walk():
            e = r.evaluate(node)  # a program or kegiatan counts when its own realisasi is entered
            if e.tingkat_n2 is not None and e.tingkat_n2 < 100:
                kurang.append(Kurang(node, e.target_n2, e.realisasi_n2, e.tingkat_n2))
        if kurang or note:
            out.append(Tertinggal(program, kurang, note))
    return out
