"""Numbers as Indonesians write them: the one reader for content files and workbook cells.

The rule (documented with examples in docs/content-format.md, "Menulis angka"):

- a dot separates thousands, in groups of exactly three digits: ``1.500.000``, ``250.000``, ``1.500``;
- a comma is the decimal mark, once: ``85,5``, ``1.250,75``;
- ``Rp``/``Rp.`` in front and ``,-`` at the end of an amount are allowed; a lone ``-`` is "no value";
- a dot followed by one or two digits (``2.5``, ``85.25``) could be an English decimal or a cut
  thousands group: it is refused with both readings offered (``2,5`` or ``2.500``); any other use of
  a dot that is not a thousands group (``0.5``, ``15.3700``, ``1500.000``) is refused too;
- a pagu (Rupiah) is whole: a fraction (``2,5``) is refused with a whole example.

So no form is ever read otherwise than an Indonesian planner means it: either the reading is the
only one, or the value is refused with a sentence saying how to write it.

This module belongs to the content stage (content/ in the package layout): yamlio keeps a plain
scalar that YAML would read as a float as its written text (`Tertulis`), the model reads every
number field through `baca`, and import-xlsx reads typed-in text cells through it as well.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation


class Tertulis(str):
    """A plain YAML scalar kept exactly as written because YAML would have read it as a float
    (``250.000`` -> 250.0); number fields read it with `baca`, text fields keep the text."""

    __slots__ = ()


class AngkaError(ValueError):
    """A number-shaped text that cannot be read without guessing; the message says how to write it."""


#: Text that is meant as a number: digits with dots and commas, a sign, Rp in front, ",-" behind.
_SHAPE = re.compile(r"[-+]?\s*(?:rp\.?\s*)?[-+]?\s*[0-9.,]*[0-9][0-9.,]*(?:,-)?", re.IGNORECASE)
_PARTS = re.compile(r"(?P<sign1>[-+]?)\s*(?P<rp>rp\.?\s*)?(?P<sign2>[-+]?)\s*(?P<body>[0-9.,]+?)(?P<dash>,-)?",
                    re.IGNORECASE)
_WHOLE = re.compile(r"[0-9]+|[1-9][0-9]{0,2}(?:\.[0-9]{3})+")  # 1500000 or 1.500.000
_SHORT_DOT = re.compile(r"([0-9]+)\.([0-9]{1,2})")  # 2.5, 85.25: English decimal or a cut group?

DASH = "-"


def tampak_angka(text: str) -> bool:
    """Whether a text is written as a number (so it must read as one, or be refused)."""
    return bool(_SHAPE.fullmatch(text.strip()))


def baca(text: str, *, rupiah: bool = False) -> Decimal | None:
    """The value of a number written the Indonesian way; None for '-'.

    Raises AngkaError with an Indonesian sentence (quoting the text and showing how to write it)
    when the text is not a number or can be read two ways; `rupiah`: a whole amount (pagu)."""
    t = text.strip()
    if t == DASH:
        return None
    m = _PARTS.fullmatch(t)
    if not m or (m["sign1"] and m["sign2"]):
        raise AngkaError(f"harus berupa angka, tertulis {text!r}")
    negative = "-" in (m["sign1"] + m["sign2"])
    body = m["body"]
    whole, comma, fraction = body.partition(",")
    if comma and (not fraction or not fraction.isdigit()):
        raise AngkaError(f"{text!r} bukan angka yang sah: koma adalah tanda desimal dan hanya boleh sekali, "
                         f"diikuti angka (contoh 85,5 atau 1.250,75)")
    if m["dash"] and comma:
        raise AngkaError(f"{text!r} bukan angka yang sah (contoh Rp 1.500.000,-)")
    if not _WHOLE.fullmatch(whole):
        raise AngkaError(_dot_message(text, whole, fraction, rupiah))
    digits = whole.replace(".", "")
    try:
        value = Decimal(f"{'-' if negative else ''}{digits}{'.' + fraction if comma else ''}")
    except InvalidOperation:  # pragma: no cover - the patterns above admit only digits
        raise AngkaError(f"harus berupa angka, tertulis {text!r}") from None
    if rupiah and value != value.to_integral_value():
        raise AngkaError(f"pagu ditulis dalam Rupiah utuh tanpa desimal, tertulis {text!r}; "
                         f"tulis misalnya {_grouped(utuh(value))}")
    if rupiah:
        value = value.to_integral_value()  # 1.500.000,00 and Rp 1.500.000,- are 1500000
    return value


def _dot_message(text: str, whole: str, fraction: str, rupiah: bool) -> str:
    short = _SHORT_DOT.fullmatch(whole)
    if short and not fraction:
        a, b = short.groups()
        # 2.5 could be 2,5 or a cut 2.500; 1500000.5 or 0.5 can only be a decimal written the English way
        thousands = f"{a}.{b.ljust(3, '0')}" if len(a) <= 3 and not a.startswith("0") else None
        if rupiah:
            if thousands:
                return (f"{text!r} tidak jelas: titik adalah pemisah ribuan (kelompok tiga angka) dan pagu ditulis "
                        f"dalam Rupiah utuh; tulis {thousands} bila maksudnya ribuan Rupiah")
            return (f"{text!r} bukan angka yang sah: pagu ditulis dalam Rupiah utuh dengan titik pemisah ribuan, "
                    f"misalnya {_grouped(Decimal(a))}")
        if thousands:
            return (f"{text!r} tidak jelas: titik adalah pemisah ribuan, desimal ditulis dengan koma; "
                    f"tulis {a},{b} bila maksudnya desimal, atau {thousands} bila maksudnya ribuan")
        return f"{text!r} bukan angka yang sah: desimal ditulis dengan koma, tulis {a},{b}"
    return (f"{text!r} bukan angka yang sah: titik hanya memisahkan ribuan dalam kelompok tiga angka "
            f"(1.500.000) dan desimal ditulis dengan koma (85,5)")


def utuh(value: Decimal) -> Decimal:
    """The whole amount nearest to a fractional one, rounded half up as the document rounds (for a hint)."""
    return value.quantize(Decimal(1), rounding=ROUND_HALF_UP)


def _grouped(value: Decimal) -> str:
    """An integral Decimal with thousands dots: 1500000 -> '1.500.000'."""
    return f"{int(value):,}".replace(",", ".")


def tulis(value: Decimal | int | float) -> str:
    """A number as content text that `baca` reads back as the same value (no thousands dots,
    so that a written file changes as little as possible): 1500000, 85,5, -2,25."""
    d = value if isinstance(value, Decimal) else Decimal(repr(value) if isinstance(value, float) else value)
    if not d.is_finite():
        raise ValueError(f"not a finite number: {d}")
    text = format(d.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".") or "0"
    return text.replace(".", ",")
