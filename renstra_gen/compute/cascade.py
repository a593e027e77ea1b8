"""The cascade tujuan -> sasaran of indikator.yaml: where an indicator, a strategy row or a program sits in it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from renstra_gen.content import model as m

#: sort key of an item outside the cascade: after every tujuan
OUTSIDE = (10**9, 10**9)


@dataclass(frozen=True)
class Place:
    """A position in the cascade: the tujuan, and the sasaran (None: an item of the tujuan itself)."""

    tujuan: m.Tujuan
    sasaran: m.Sasaran | None
    order: tuple[int, int]  # (tujuan index, sasaran index; -1 for the tujuan's own items)


class Cascade:
    """Looks up tujuan and sasaran by key, in the order indikator.yaml declares them."""

    def __init__(self, indicators: m.IndicatorSet):
        self.tujuan: dict[str, Place] = {}
        self.sasaran: dict[str, Place] = {}
        for ti, t in enumerate(indicators.tujuan):
            self.tujuan.setdefault(t.kunci, Place(t, None, (ti, -1)))
            for si, s in enumerate(t.sasaran):
                self.sasaran.setdefault(s.kunci, Place(t, s, (ti, si)))

    def of_indicator(self, ind: m.Indikator) -> Place | None:
        """The sasaran an indicator measures, else the tujuan it names; None when it names neither."""
        if ind.sasaran:
            return self.sasaran.get(ind.sasaran)
        if ind.tujuan:
            return self.tujuan.get(ind.tujuan)
        return None

    def of_program(self, program: m.Program) -> Place | None:
        """The (first) sasaran a program serves; a second one is reported by check."""
        keys = program.sasaran_keys
        return self.sasaran.get(keys[0]) if keys else None


#: the nomenclature numbers the Penunjang program of every bidang urusan 01: X.XX.01
PENUNJANG_CODE = re.compile(r"^\d+\.\d+\.0*1\.?$")
#: sort key of the supporting programs: before every tujuan (the nomenclature's 01 comes first)
SUPPORTING = (-1, -1)


def supporting(program: m.Program) -> bool:
    """A supporting program: declared (`penunjang: true`), or the nomenclature's Penunjang program
    (X.XX.01) naming no sasaran. It serves the office's administration, not a sasaran."""
    if program.penunjang is not None:
        return program.penunjang
    return not program.sasaran_keys and bool(program.kode and PENUNJANG_CODE.match(program.kode.strip()))


def code_keys(codes: list[str | None]) -> list[tuple]:
    """Sort keys of codes as the nomenclature numbers them (1.06.2 before 1.06.10); a row without a code
    keeps its written place after the coded row before it."""
    out, last = [], ()
    for code in codes:
        parts = tuple(int(x) if x.isdigit() else 0 for x in (code or "").strip().rstrip(".").split(".")) if code else ()
        if parts:
            last = parts
        out.append(last if parts else last + (10**9,))
    return out


def in_cascade_order(items: list, place_of) -> list[tuple[object, Place | None]]:
    """The items sorted by their place in the cascade (stable: written order within one place);
    items without a place come last."""
    placed = [(item, place_of(item)) for item in items]
    return sorted(placed, key=lambda ip: ip[1].order if ip[1] is not None else OUTSIDE)
