"""Tables that would print below 7 pt on paper: a warning naming the table, its size and the remedies."""

from __future__ import annotations

from renstra_gen.errors import Finding, Source, warning
from renstra_gen.grid import Grid

SMALLEST = 7.0  # points: the smallest type a table prints at without a warning


def pt(size: float) -> str:
    """5.5 -> '5,5 pt'."""
    return f"{size:g}".replace(".", ",") + " pt"


def small_type(grid: Grid, size: float, paper: str, source: Source, program: bool,
               larger: dict[str, float], split: float | None = None) -> list[Finding]:
    """The warning for one table printed at `size` points on `paper` (a program-pendanaan table
    whose figures are in full Rupiah when `program`); `larger`: the size it would print at on each larger paper;
    `split`: the size with its years over two tables (a program-pendanaan table not split yet)."""
    if size >= SMALLEST:
        return []
    layout = "lanskap" if grid.landscape else "potret"
    remedies = []
    if program:
        remedies.append("angka rupiah dalam ribuan (rupiah: ribu)")
    for name, at in larger.items():
        remedies.append(f"kertas tabel ini {name} (kertas: {name}; menjadi {pt(at)})")
    if split is not None:
        remedies.append(f"tahun dibagi ke dua tabel (pisah_tahun: true; menjadi {pt(split)})")
    return [warning(source, f"{grid.title} tercetak dengan huruf {pt(size)} di kertas {paper} {layout}, di bawah "
                            f"{pt(SMALLEST)} sehingga sulit dibaca setelah dicetak; pilihan: " + "; ".join(remedies))]
