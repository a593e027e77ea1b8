"""Indonesian number and date formatting (Babel, locale id) with the document's half-up rounding."""

from __future__ import annotations

import sys
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


@lru_cache(maxsize=None)
def _group() -> str:
    """The locale's grouping symbol alone: a whole number's digits need no other."""
    return get_group_symbol(LOCALE)


#: the quantum and format of each count of decimals a table asks for (0-9; others are made on the spot)
_QUANTA = tuple(Decimal(1).scaleb(-places) for places in range(10))
_FORMATS = tuple(f",.{places}f" for places in range(10))


def angka(value, decimals: int = 0) -> str:
    """2519295635 -> '2.519.295.635'; (15.371, 2) -> '15,37'; None -> '-'; text stays text.

    Rounds half up first (Babel would round half to even). The digits are laid out by Python's
    own grouping with the locale's symbols from Babel: the matrices format tens of thousands of
    numbers, and Babel's pattern formatter costs ~40 µs each. A Decimal (what the content loads)
    goes straight to the rounding; a whole number's string only needs its group symbol."""
    if type(value) is Decimal:
        if decimals <= 0:
            text = str(value)
            if text.isdigit() and len(text) < 19:  # a whole number >= 0 as written (no exponent): nothing to round
                return _whole(text)
        d = value
    elif isinstance(value, str):
        return value
    else:
        d = to_decimal(value)
        if d is None:
            return DASH
    places = decimals if decimals > 0 else 0
    if places < len(_QUANTA):
        text = format(d.quantize(_QUANTA[places], rounding=ROUND_HALF_UP), _FORMATS[places])
    else:
        text = format(round_half_up(d, places), f",.{places}f")
    if places == 0:  # no decimal symbol to swap
        return text.replace(",", _group())
    return text.translate(_separators())


def _whole(digits: str) -> str:
    """The digits of a whole number >= 0 below 10**19 (no sign, no exponent: the decimal context's
    28 digits hold it), grouped: '2519295635' -> '2.519.295.635'. Most of a matrix's figures."""
    if len(digits) <= 3:  # a matrix's targets: a few hundred values, each held once
        return sys.intern(digits)
    return format(int(digits), ",").replace(",", _group())


def nilai(value, max_decimals: int = 2) -> str:
    """A value as the content writes it: as many decimals as it has (15.0 -> '15,0'), up to max."""
    if type(value) is Decimal:
        text = str(value)
        if text.isdigit() and len(text) < 19:  # a whole number written without decimals: none to print
            return _whole(text)
        exponent = value.as_tuple().exponent
        if type(exponent) is int:  # a finite number (NaN and Infinity name their kind here)
            places = -exponent if exponent < 0 else 0
            return angka(value, places if places < max_decimals else max_decimals)
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
