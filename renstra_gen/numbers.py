"""Indonesian number formatting (Babel, locale id) with the document's half-up rounding."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

from babel.numbers import format_decimal

LOCALE = "id"
DASH = "-"


def to_decimal(value) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, int):
        return Decimal(value)
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def round_half_up(value: Decimal, decimals: int = 0) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


@lru_cache(maxsize=None)
def _pattern(decimals: int, minimal: bool) -> str:
    if decimals <= 0:
        return "#,##0"
    return "#,##0." + ("#" if minimal else "0") * decimals


def angka(value, decimals: int = 0, minimal: bool = False) -> str:
    """2519295635 -> '2.519.295.635'; (15.371, 2) -> '15,37'; None -> '-'; text stays text.

    Rounds half up first (Babel alone would round half to even)."""
    if isinstance(value, str):
        return value
    d = to_decimal(value)
    if d is None:
        return DASH
    d = round_half_up(d, decimals)
    return format_decimal(d, format=_pattern(decimals, minimal), locale=LOCALE, decimal_quantization=False)


def nilai(value, max_decimals: int = 2) -> str:
    """A value as the content writes it: as many decimals as it has (15.0 -> '15,0'), up to max."""
    d = to_decimal(value)
    if d is None or isinstance(value, str):
        return angka(value)
    exponent = d.as_tuple().exponent
    places = min(max_decimals, max(0, -exponent)) if isinstance(exponent, int) else 0
    return angka(d, places)


def persen(value, decimals: int = 0) -> str:
    """A percentage figure, rounded half up: 90.91 -> '91'."""
    return angka(value, decimals)
