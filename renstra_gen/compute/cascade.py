"""The cascade tujuan -> sasaran of indikator.yaml: where an indicator, a strategy row or a program sits in it."""

from __future__ import annotations

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


def in_cascade_order(items: list, place_of) -> list[tuple[object, Place | None]]:
    """The items sorted by their place in the cascade (stable: written order within one place);
    items without a place come last."""
    placed = [(item, place_of(item)) for item in items]
    return sorted(placed, key=lambda ip: ip[1].order if ip[1] is not None else OUTSIDE)
