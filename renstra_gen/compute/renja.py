"""The Renja's numbers: year N and N+1 slices of the program tree, and the T-C.29 evaluation."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal

from renstra_gen.content import model as m
from renstra_gen.compute.kinerja import capaian
from renstra_gen.compute.period import sum_or_none
from renstra_gen.compute.program import ProgramMatrix, TreeNode


@dataclass
class Evaluation:
    """T-C.29 figures of one row: the realisasi (K) entered for its own code, at every level."""

    node: TreeNode
    target_akhir: object
    realisasi_s_d_n3: Decimal | None
    target_n2: object
    realisasi_n2: object
    tingkat_n2: Decimal | None
    target_n1: object
    realisasi_s_d_n1: Decimal | None
    tingkat_renstra: Decimal | None


@dataclass
class RenjaYear:
    year: int
    matrix: ProgramMatrix
    inputs: m.RenjaInput
    realisasi: dict[tuple[str, int], m.Realisasi] = field(default_factory=dict)

    @property
    def next_year(self) -> int | None:
        """The year of the prakiraan maju: N+1 within the period, or the transition year after it
        when the program table gives one (`tahun_transisi`)."""
        n = self.year + 1
        return n if n in self.matrix.years or n == self.matrix.transisi else None

    @property
    def years_before(self) -> list[int]:
        return [y for y in self.matrix.years if y < self.year]

    def catatan(self, kode: str | None) -> str:
        return next((c.teks for c in self.inputs.catatan if kode and c.kode == kode), "")

    def sumber_dana(self, node: TreeNode) -> str:
        if node.children:
            return ""
        special = next((c.teks for c in self.inputs.sumber_dana_khusus if node.kode and c.kode == node.kode), None)
        return special or self.inputs.sumber_dana

    def _sum_k(self, node: TreeNode, until: int) -> Decimal | None:
        """Realisasi reached by the end of `until`, by the row's `kondisi_akhir`: `kumulatif` the sum
        of the yearly K, `rata-rata` their mean, `akhir`/`tetap` the latest year's K. Only the Renstra's
        own years count (a year before the period is the previous Renstra's)."""
        start = self.matrix.years[0]
        found = sorted((y, r.k) for (kode, y), r in self.realisasi.items()
                       if kode == node.kode and start <= y <= until and isinstance(r.k, Decimal))
        if not found:
            return None
        values = [k for _, k in found]
        cara = node.row.kondisi_akhir
        if cara == "kumulatif":
            return sum(values)
        if cara == "rata-rata":
            return sum(values) / len(values)
        return values[-1]

    def evaluate(self, node: TreeNode) -> Evaluation:
        n1, n2, n3 = self.year - 1, self.year - 2, self.year - 3
        coded = bool(node.kode)  # program, kegiatan and sub kegiatan alike: the indicator's realisasi as entered
        real_n2 = self.realisasi.get((node.kode, n2)) if coded else None
        real_n2_k = real_n2.k if real_n2 else None
        target_n2 = node.target.get(n2)
        if target_n2 is None and real_n2 is not None:
            target_n2 = real_n2.target  # a year before the period: the previous Renstra's target
        s_d_n1 = self.perkiraan_s_d_n1(node) if coded else None
        return Evaluation(
            node=node,
            target_akhir=node.target_akhir,
            realisasi_s_d_n3=self._sum_k(node, n3) if coded else None,
            target_n2=target_n2,
            realisasi_n2=real_n2_k,
            tingkat_n2=capaian(real_n2_k, target_n2, node.row.arah),
            target_n1=node.target.get(n1),
            realisasi_s_d_n1=s_d_n1,
            tingkat_renstra=capaian(s_d_n1, node.target_akhir, node.row.arah),
        )

    def perkiraan_s_d_n1(self, node: TreeNode) -> Decimal | None:
        """Perkiraan realisasi s/d tahun berjalan (N-1): the recorded realisasi, with the target of N-1
        standing in for a realisasi of N-1 not yet recorded (the year is still running), provided a
        realisasi of an earlier year of the period is recorded (else nothing is known: None)."""
        n1 = self.year - 1
        target = node.target.get(n1)
        earlier = any(k == node.kode and y < n1 for k, y in self.realisasi)
        if (node.kode, n1) in self.realisasi or not earlier or not isinstance(target, Decimal):
            return self._sum_k(node, n1)
        estimate = m.Realisasi(kode=node.kode, tahun=n1, k=target)
        return replace(self, realisasi={**self.realisasi, (node.kode, n1): estimate})._sum_k(node, n1)

    def realisasi_rp(self, node: TreeNode, year: int) -> Decimal | None:
        """Money spent in `year`: a sub kegiatan's `rp` as entered; a program's or kegiatan's the sum of
        its sub kegiatan (None when none has one). An `rp` entered on a parent is not read."""
        if node.children:
            return sum_or_none(self.realisasi_rp(c, year) for c in node.children)
        r = self.realisasi.get((node.kode, year)) if node.kode else None
        return r.rp if r is not None else None

    def missing_realisasi(self, year: int) -> list[TreeNode]:
        """Sub kegiatan with a target in `year` but no realisasi recorded for it."""
        return [n for n in self.matrix.walk() if not n.children and n.kode and n.target.get(year) is not None
                and (n.kode, year) not in self.realisasi]


def renja_year(matrix: ProgramMatrix, year: int, inputs: m.RenjaInput) -> RenjaYear:
    return RenjaYear(year, matrix, inputs, {(r.kode, r.tahun): r for r in inputs.realisasi})
