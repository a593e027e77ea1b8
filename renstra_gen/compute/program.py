"""Tabel T-C.27 (program, kegiatan, sub kegiatan dan pendanaan): parents summed from their leaves.

With `tahun_transisi` the year after the period is computed too (its own columns), never part of
the period's kondisi akhir or totals."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from renstra_gen.compute.period import kondisi_akhir, sum_or_none
from renstra_gen.content import model as m

LEVELS = ("program", "kegiatan", "sub_kegiatan")


@dataclass
class TreeNode:
    """A row of the matrix with its computed pagu (leaves: as written; parents: sum of children),
    per year of the period and, when the table has one, of the transition year."""

    level: str
    row: m.TreeRow
    pagu: dict[int, Decimal | None]
    children: list["TreeNode"] = field(default_factory=list)
    unit: str | None = None
    years: list[int] = field(default_factory=list)

    @property
    def kode(self) -> str | None:
        return self.row.kode

    @property
    def target(self) -> dict:
        return self.row.target

    @property
    def kondisi_akhir(self) -> Decimal | None:
        """Rp at the end of the period: the sum of the row's years."""
        return sum_or_none(self.pagu.get(y) for y in self.years)

    @property
    def target_akhir(self):
        """Target at the end of the period, by the row's `kondisi_akhir` (default: the last year's)."""
        return kondisi_akhir(self.row.target, self.years, self.row.kondisi_akhir)

    def walk(self):
        yield self
        for c in self.children:
            yield from c.walk()

    def find(self, kode: str) -> "TreeNode | None":
        return next((n for n in self.walk() if n.kode == kode), None)


@dataclass
class ProgramMatrix:
    table: m.ProgramTable
    years: list[int]
    programs: list[TreeNode]
    transisi: int | None = None  # the transition year after the period, when the table prints it

    def walk(self):
        for p in self.programs:
            yield from p.walk()

    def find(self, kode: str) -> TreeNode:
        """The row with this code (for narrative expressions); LookupError if there is none."""
        found = next((n for n in self.walk() if n.kode == kode), None)
        if found is None:
            raise LookupError(f"kode {kode} tidak ada di tabel program")
        return found

    @property
    def total(self) -> dict[int, Decimal | None]:
        return {y: sum_or_none(p.pagu.get(y) for p in self.programs) for y in self.years}

    @property
    def total_akhir(self) -> Decimal | None:
        return sum_or_none(self.total.values())

    @property
    def total_transisi(self) -> Decimal | None:
        """Pagu of every program in the transition year (None without one): not in `total_akhir`."""
        return sum_or_none(p.pagu.get(self.transisi) for p in self.programs) if self.transisi else None


def transition_year(table: m.ProgramTable, years: list[int]) -> int | None:
    """The year after the period when the table prints the transition year, else None."""
    return years[-1] + 1 if table.tahun_transisi and years else None


def compute_program(table: m.ProgramTable, years: list[int]) -> ProgramMatrix:
    transisi = transition_year(table, years)
    computed = years + ([transisi] if transisi else [])

    def node(row: m.TreeRow, level: int, inherited: str | None) -> TreeNode:
        # a row without `unit` takes the nearest unit above it; `unit: null` blanks only its own row
        unit = row.unit_or(inherited)
        kids_attr = {0: "kegiatan", 1: "sub_kegiatan"}.get(level)
        passed = unit if unit is not None else inherited
        children = [node(c, level + 1, passed) for c in getattr(row, kids_attr)] if kids_attr else []
        if children:
            pagu = {y: sum_or_none(c.pagu.get(y) for c in children) for y in computed}
        else:
            pagu = {y: getattr(row, "pagu", {}).get(y) for y in computed}
        return TreeNode(LEVELS[level], row, pagu, children, unit, years)

    return ProgramMatrix(table, years, [node(p, 0, table.unit) for p in table.program], transisi)
