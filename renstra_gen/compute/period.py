"""Per-year figures over the plan period: sums that keep "no value" apart from zero, and the
end-of-period value (kondisi akhir) of a row. Below every other compute module."""

from __future__ import annotations

from decimal import Decimal


def sum_or_none(values) -> Decimal | None:
    """Sum of the values that exist; None when none does (printed '-')."""
    total, seen = Decimal(0), False
    for v in values:
        if v is not None:
            total += v
            seen = True
    return total if seen else None


def kondisi_akhir(values: dict, years: list[int], cara: str = "akhir"):
    """The end-of-period value of per-year figures: `akhir` and `tetap` the last year's, `kumulatif`
    the sum, `rata-rata` the mean of the years that have a number. A text value (printed as
    written) cannot be summed: the last year's value is returned then."""
    if not years:
        return None
    last = values.get(years[-1])
    if cara in ("akhir", "tetap"):  # every row of a matrix asks: nothing else to look at
        return last
    present = [values.get(y) for y in years if values.get(y) is not None]
    if any(isinstance(v, str) for v in present):
        return last
    if not present:
        return None
    total = sum(present, Decimal(0))
    return total if cara == "kumulatif" else total / len(present)
