from decimal import Decimal

import pytest

from renstra_gen.numbers import angka, nilai, persen


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
