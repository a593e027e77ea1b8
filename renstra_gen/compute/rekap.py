"""Counts with subtotals (Tabel 2.1-2.5): group subtotals, grand total, shares in percent."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from renstra_gen.content import model as m
from renstra_gen.compute.period import sum_or_none

HUNDRED = Decimal(100)


def share(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    if part is None or not whole:
        return None
    return part * HUNDRED / whole


@dataclass
class Item:
    uraian: str
    jumlah: Decimal | None
    persen: Decimal | None  # share of its group (or of the total in a table without groups)
    source: object = None


@dataclass
class Group:
    nomor: int
    uraian: str | None
    items: list[Item]
    jumlah: Decimal | None
    persen: Decimal | None  # share of the grand total
    source: object = None

    def rincian(self, label: str) -> Item:
        return _find(self.items, label, "rincian")


@dataclass
class Rekap:
    table: m.RekapTable
    groups: list[Group]
    items: list[Item]  # top-level items of a table without groups
    total: Decimal | None
    nilai: dict

    def kelompok(self, label: str | int) -> Group:
        if isinstance(label, int):
            if 1 <= label <= len(self.groups):
                return self.groups[label - 1]
            raise LookupError(f"kelompok nomor {label} tidak ada (ada {len(self.groups)})")
        return _find(self.groups, label, "kelompok")

    def rincian(self, label: str) -> Item:
        return _find(self.items, label, "rincian")


def _find(items, label: str, what: str):
    for it in items:
        if it.uraian is not None and it.uraian.strip().lower() == str(label).strip().lower():
            return it
    names = ", ".join(repr(i.uraian) for i in items if i.uraian)
    raise LookupError(f"{what} {label!r} tidak ada (yang ada: {names})")


def compute_rekap(table: m.RekapTable) -> Rekap:
    if table.kelompok:
        groups = []
        for n, g in enumerate(table.kelompok, 1):
            sub = sum_or_none(i.jumlah for i in g.rincian)
            items = [Item(i.uraian, i.jumlah, share(i.jumlah, sub), i.source) for i in g.rincian]
            groups.append(Group(n, g.uraian, items, sub, None, g.source))
        total = sum_or_none(g.jumlah for g in groups)
        for g in groups:
            g.persen = share(g.jumlah, total)
        return Rekap(table, groups, [], total, dict(table.nilai))
    raw = table.rincian or []
    total = sum_or_none(i.jumlah for i in raw)
    items = [Item(i.uraian, i.jumlah, share(i.jumlah, total), i.source) for i in raw]
    return Rekap(table, [], items, total, dict(table.nilai))


@dataclass
class Angka:
    """A numeric table's sums: per row (over its columns), per column (over the rows), in all."""

    rows: list[Decimal | None]
    columns: list[Decimal | None]
    total: Decimal | None

    def share(self, row: int) -> Decimal | None:
        return share(self.rows[row], self.total)


def compute_angka(table: m.AngkaTable) -> Angka:
    n = len(table.kolom)
    values = [(r.nilai + [None] * n)[:n] for r in table.baris]
    rows = [sum_or_none(v) for v in values]
    columns = [sum_or_none(v[c] for v in values) for c in range(n)]
    return Angka(rows, columns, sum_or_none(rows))
