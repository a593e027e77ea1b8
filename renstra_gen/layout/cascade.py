"""Tujuan and Sasaran columns merged over exactly the rows each covers (T-C.25, T-C.26, T-C.27)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from renstra_gen.compute.cascade import Place
from renstra_gen.grid import Cell


@dataclass(frozen=True)
class Span:
    """One item of a table in the cascade: its labels and how many grid rows it takes."""

    tujuan: tuple[str | None, str]  # (identity, printed text); identity None: outside the cascade
    sasaran: tuple[str | None, str]
    rows: int
    sasaran_kunci: str | None = None  # the sasaran's key in indikator.yaml (None: none, or outside)

    @classmethod
    def of(cls, place: Place | None, rows: int) -> "Span":
        if place is None:
            return cls((None, ""), (None, ""), rows)
        s = place.sasaran
        return cls((place.tujuan.kunci, place.tujuan.nama),
                   (f"{place.tujuan.kunci}/{s.kunci if s else ''}", s.nama if s else ""), rows,
                   s.kunci if s else None)


def cascade_cells(spans: list[Span], after_sasaran: Callable[[Span], str] | None = None) -> list[list[Cell]]:
    """For each grid row, the leading Tujuan and Sasaran cells: a cell starts where its tujuan
    (sasaran) starts and spans the rows of the consecutive items that share it; rows it covers
    get no cell there (as in HTML). `after_sasaran` adds a third column merged exactly as the
    Sasaran cell, with the text it gives for the sasaran (T-C.27's Indikator Sasaran)."""
    total = sum(s.rows for s in spans)
    out: list[list[Cell]] = [[] for _ in range(total)]
    for col, label in ((0, lambda s: s.tujuan), (1, lambda s: s.sasaran)):
        row, i = 0, 0
        while i < len(spans):
            ident, text = label(spans[i])
            j, height = i, 0
            # consecutive items with the same identity (tujuan: and, for sasaran, the same tujuan) merge
            while j < len(spans) and label(spans[j])[0] == ident and (col == 0 or spans[j].tujuan == spans[i].tujuan) \
                    and (ident is not None or j == i):
                height += spans[j].rows
                j += 1
            if height:
                out[row].append(Cell(text, rowspan=height))
                if col == 1 and after_sasaran is not None:
                    out[row].append(Cell(after_sasaran(spans[i]), rowspan=height))
            row += height
            i = j
    return out
