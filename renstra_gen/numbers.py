"""Indonesian number and date formatting (Babel, locale id) with the document's half-up rounding."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

from babel.numbers import get_decimal_symbol, get_group_symbol

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
def _separators() -> dict[int, str]:
    """The locale's grouping and decimal symbols from Babel ('.' and ',' for id), as a str.translate table."""
    return str.maketrans({",": get_group_symbol(LOCALE), ".": get_decimal_symbol(LOCALE)})


def angka(value, decimals: int = 0) -> str:
    """2519295635 -> '2.519.295.635'; (15.371, 2) -> '15,37'; None -> '-'; text stays text.

    Rounds half up first (Babel would round half to even). The digits are laid out by Python's
    own grouping with the locale's symbols from Babel: the matrices format tens of thousands of
    numbers, and Babel's pattern formatter costs ~40 µs each."""
    if isinstance(value, str):
        return value
    d = to_decimal(value)
    if d is None:
        return DASH
    d = round_half_up(d, max(decimals, 0))
    return f"{d:,.{max(decimals, 0)}f}".translate(_separators())


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


def tanggal(d) -> str:
    """26 Oktober 2021."""
    from babel.dates import format_date  # only where a date is printed: a check needs none

    return format_date(d, format="d MMMM y", locale="id")
