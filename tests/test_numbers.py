import datetime as dt
from decimal import Decimal

import pytest

from renstra_gen.numbers import angka, nilai, persen, tanggal


@pytest.mark.parametrize("value, decimals, expected", [
    (2519295635, 0, "2.519.295.635"),
    (Decimal("15.37"), 2, "15,37"),
    (Decimal("15.375"), 2, "15,38"),  # half up, not half even
    (Decimal("0.125"), 2, "0,13"),
    (Decimal("2.5"), 0, "3"),
    (Decimal("3.5"), 0, "4"),
    (0, 0, "0"),
    (None, 0, "-"),
    ("Belum ada Capaian", 0, "Belum ada Capaian"),
    (Decimal("-1234.5"), 1, "-1.234,5"),
])
def test_angka(value, decimals, expected):
    assert angka(value, decimals) == expected


@pytest.mark.parametrize("value, expected", [
    (Decimal("16"), "16"),
    (Decimal("16.5"), "16,5"),
    (Decimal("15.0"), "15,0"),
    (Decimal("15.37"), "15,37"),
    (Decimal("127.421"), "127,42"),
    (None, "-"),
    ("60.300 &", "60.300 &"),
])
def test_nilai_keeps_the_written_precision(value, expected):
    assert nilai(value) == expected


@pytest.mark.parametrize("value, expected", [(Decimal("90.909"), "91"), (Decimal("85.5"), "86"), (Decimal("54.09"), "54")])
def test_persen_rounds_half_up(value, expected):
    assert persen(value) == expected


@pytest.mark.parametrize("value", [Decimal("2519295635"), Decimal("15.37"), Decimal("-1234.5"), Decimal("0.005"),
                                   Decimal("1000000.125"), 0, 7])
@pytest.mark.parametrize("decimals", [0, 1, 2])
def test_angka_agrees_with_babel_on_half_up_rounded_values(value, decimals):
    from babel.numbers import format_decimal

    from renstra_gen.numbers import round_half_up, to_decimal
    rounded = round_half_up(to_decimal(value), decimals)
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    assert angka(value, decimals) == format_decimal(rounded, format=pattern, locale="id", decimal_quantization=False)


@pytest.mark.parametrize("day", [dt.date(2021, 10, 26), dt.date(5, 1, 3), dt.date(9999, 12, 31), dt.date(2024, 2, 29)]
                         + [dt.date(2026, month, 1) for month in range(1, 13)])
def test_tanggal_is_babels_date(day):
    from babel.dates import format_date

    assert tanggal(day) == format_date(day, format="d MMMM y", locale="id")


def test_babels_answers_are_kept_so_a_later_process_does_not_import_babel(tmp_path):
    """Importing Babel and loading its locale cost a small build 18 ms (issue 29): its separators
    and month names come from the user's cache after the first time, and only from an entry signed
    with the user's own key."""
    import os
    import subprocess
    import sys

    code = ("import sys, datetime\nfrom renstra_gen.numbers import angka, tanggal\n"
            "print(angka(1234567.5, 1), tanggal(datetime.date(2021, 10, 26)), 'babel' in sys.modules)")
    env = dict(os.environ, RENSTRA_CACHE_DIR=str(tmp_path / "cache"), XDG_CONFIG_HOME=str(tmp_path / "config"))

    def run() -> str:
        done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    assert run() == "1.234.567,5 26 Oktober 2021 True"  # from Babel
    assert run() == "1.234.567,5 26 Oktober 2021 False"  # from the cache
    (entry,) = (tmp_path / "cache" / "lokal").iterdir()
    entry.write_bytes(entry.read_bytes().replace(b"Oktober", b"Oktobre"))  # its signature no longer holds
    assert run() == "1.234.567,5 26 Oktober 2021 True"


def _reference_angka(value, decimals=0):
    """angka as it was written before its fast paths (issue 29): every value through to_decimal."""
    from babel.numbers import get_decimal_symbol, get_group_symbol

    from renstra_gen.numbers import round_half_up, to_decimal
    if isinstance(value, str):
        return value
    d = to_decimal(value)
    if d is None:
        return "-"
    d = round_half_up(d, max(decimals, 0))
    table = str.maketrans({",": get_group_symbol("id"), ".": get_decimal_symbol("id")})
    return f"{d:,.{max(decimals, 0)}f}".translate(table)


def _reference_nilai(value, max_decimals=2):
    from renstra_gen.numbers import to_decimal
    d = to_decimal(value)
    if d is None or isinstance(value, str):
        return _reference_angka(value)
    exponent = d.as_tuple().exponent
    places = min(max_decimals, max(0, -exponent)) if isinstance(exponent, int) else 0
    return _reference_angka(d, places)


def _many_values():
    import random
    rng = random.Random(29)
    values = [None, True, False, "", "12", "Belum ada", 0, -0.0, 7, -7, 10**20, 2.5, 0.125, 1e-7, 1e22,
              Decimal("-0"), Decimal("0.000"), Decimal("1E+3"), Decimal("5E-1"), Decimal("NaN"),
              Decimal("999999.995"), Decimal("-0.005"), Decimal("12345678901234567.5"),
              Decimal("0"), Decimal("007"), Decimal("100"), Decimal("1000"), Decimal("999999999999999999"),
              Decimal("1000000000000000000"), Decimal("1" * 28), Decimal("1" * 29), Decimal("-44"), Decimal("44.0")]
    for _ in range(3000):
        digits = rng.randint(1, 16)
        coefficient = rng.randint(0, 10**digits)
        values.append(Decimal(coefficient).scaleb(-rng.randint(-3, 6)) * rng.choice((1, -1)))
        values.append(rng.randint(-10**12, 10**12))
        values.append(round(rng.uniform(-10**6, 10**6), rng.randint(0, 4)))
    return values


def test_angka_and_nilai_print_what_they_printed_before_their_fast_paths():
    """Every kind of value, half-up rounding at every count of decimals (and past the precomputed
    ones), the same string as the plain implementation; the same error where it had one (more digits
    than the decimal context holds)."""
    def outcome(function, *args):
        try:
            return function(*args)
        except ArithmeticError as e:
            return type(e)

    for value in _many_values():
        for decimals in (-1, 0, 1, 2, 3, 11):
            assert outcome(angka, value, decimals) == outcome(_reference_angka, value, decimals), (value, decimals)
        for most in (0, 1, 2, 4):
            assert outcome(nilai, value, most) == outcome(_reference_nilai, value, most), (value, most)


def test_a_small_whole_figure_is_one_string_however_often_it_is_printed():
    """A matrix prints the same few targets a hundred thousand times: one string each, not one per cell."""
    assert nilai(Decimal("44")) is nilai(Decimal("44")) and angka(Decimal("100")) is nilai(Decimal("100"))
