"""Indonesian number and date formatting (Babel, locale id) with the document's half-up rounding."""

from __future__ import annotations

import sys
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

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
def _locale() -> tuple[str, str, tuple[str, ...]]:
    """What the document prints from the locale, as Babel gives it: (grouping symbol, decimal symbol,
    the twelve month names as a date writes them).

    Importing Babel and loading its locale data cost a small build about 18 ms of CPU for these
    fourteen strings: Babel's answers are kept in the user's cache (system/cache.py, signed), under
    the text of Babel's __init__.py (its version), and Babel is imported only when they are not there."""
    import hashlib
    import json

    from renstra_gen.system.cache import package_version, read_signed, write_signed

    made = hashlib.sha256(LOCALE.encode() + b"\0" + package_version("babel"))
    made_of = made.digest()
    body = read_signed("lokal", f"babel-{LOCALE}")
    if body is not None and body[:32] == made_of:
        try:
            group, decimal, months = json.loads(bytes(body[32:]))
            if isinstance(group, str) and isinstance(decimal, str) and isinstance(months, list) and len(months) == 12:
                return group, decimal, tuple(str(m) for m in months)
        except (ValueError, TypeError):
            pass  # read from Babel again
    from babel.dates import get_month_names
    from babel.numbers import get_decimal_symbol, get_group_symbol

    names = get_month_names("wide", context="format", locale=LOCALE)
    found = (get_group_symbol(LOCALE), get_decimal_symbol(LOCALE), tuple(names[m] for m in range(1, 13)))
    write_signed("lokal", f"babel-{LOCALE}", made_of, json.dumps(found).encode())
    return found


@lru_cache(maxsize=None)
def _separators() -> dict[int, str]:
    """The locale's grouping and decimal symbols from Babel ('.' and ',' for id), as a str.translate table."""
    group, decimal, _ = _locale()
    return str.maketrans({",": group, ".": decimal})


@lru_cache(maxsize=None)
def _group() -> str:
    """The locale's grouping symbol alone: a whole number's digits need no other."""
    return _locale()[0]


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
    """26 Oktober 2021: Babel's format "d MMMM y" (the day and the year unpadded), with its month names."""
    return f"{d.day} {_locale()[2][d.month - 1]} {d.year}"
