"""The shipped nomenclature: counts per level, lookup, children, search, versions and code shapes."""

from __future__ import annotations

from collections import Counter

from click.testing import CliRunner

from renstra_gen.content import nomenklatur as nk
from renstra_gen.cli import main


def test_the_1317_list_holds_every_level_as_documented():
    nom = nk.load("1317")
    counts = Counter(e.level for e in nom.entries.values())
    assert counts == {"urusan": 9, "bidang_urusan": 44, "program": 233, "kegiatan": 1156, "sub_kegiatan": 6791}
    e = nom.get("1.06.05.2.01.0001")
    assert (e.level, e.nama, e.satuan) == ("sub_kegiatan", "Penjangkauan Anak-Anak Terlantar", "Orang")
    assert e.indikator.startswith("Jumlah Anak-Anak Terlantar")
    assert e.parent == "1.06.05.2.01" and nom.get(e.parent).parent == "1.06.05"


def test_every_code_has_its_parent_and_children_are_in_code_order():
    nom = nk.load("1317")
    assert all(nom.get(e.parent) is not None for e in nom.entries.values() if e.parent)
    assert [p.kode for p in nom.children("1.06")] == [f"1.06.0{i}" for i in range(1, 8)]
    assert [s.kode for s in nom.children("1.06.01.2.06")][:3] == ["1.06.01.2.06.0001", "1.06.01.2.06.0002",
                                                                 "1.06.01.2.06.0003"]


def test_search_by_code_prefix_and_by_words():
    nom = nk.load()
    under = nom.search("1.06.05")
    assert under[0].kode == "1.06.05" and all(e.kode.startswith("1.06.05") for e in under)
    words = {e.kode for e in nom.search("anak terlantar")}
    assert {"1.06.05.2.01", "1.06.05.2.01.0001"} <= words
    assert nom.search("1.06.05.2.01.01")[0].kode == "1.06.05.2.01.0001"  # a 2-digit code finds its 4-digit one


def test_the_later_update_replaces_1_06_and_2_08_only():
    old, new = nk.load("1317"), nk.load("pasca-1317")
    assert new.get("1.06.02.2.01.0001") is None and old.get("1.06.02.2.01.0001") is not None
    assert new.get("1.06.02.2.01.0004").nama.startswith("Fasilitasi Pemberdayaan Sosial KAT")
    assert new.get("1.06.01.2.06.0004") == old.get("1.06.01.2.06.0004")  # Penunjang kept
    assert new.get("2.24.02.2.01.0001") == old.get("2.24.02.2.01.0001")  # other bidang kept


def test_code_shapes_and_names_compared_without_case_spacing_punctuation():
    assert nk.canonical("1.06.01.2.01.05") == "1.06.01.2.01.0005"
    assert nk.canonical("1.06.05.") == "1.06.05"
    assert nk.level_of("1.06.01.2.01") == "kegiatan" and nk.level_of("1.06.01.2.01.3x") is None
    assert nk.normalise_name("Rujukan Anak- Anak  terlantar.") == nk.normalise_name("rujukan anak anak Terlantar")
    assert nk.normalise_name("PROGRAM PEMBERDAYAAN SOSIAL", "program") == nk.normalise_name("Pemberdayaan Sosial", "program")


def test_cli_shows_kinerja_indikator_and_satuan_of_a_sub_kegiatan():
    result = CliRunner().invoke(main, ["nomenklatur", "1.06.05.2.01"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "1.06.05.2.01  kegiatan  Pemeliharaan Anak-Anak Terlantar"
    assert lines[1] == "1.06.05.2.01.0001  sub kegiatan  Penjangkauan Anak-Anak Terlantar"
    assert lines[2].startswith("    kinerja: Terlaksananya Penjangkauan")
    assert lines[4] == "    satuan: Orang"
    assert CliRunner().invoke(main, ["nomenklatur", "tidak ada kata seperti ini"]).exit_code == 1


def test_children_found_by_bisect_are_those_whose_parent_is_the_code():
    nom = nk.load("pasca-1317")
    by_parent: dict = {}
    for e in nom.entries.values():
        by_parent.setdefault(e.parent, []).append(e.kode)
    for code in [None, "1", "1.06", "1.06.01", "1.06.05.2.01", "2.08.02", "9.99"]:
        assert [e.kode for e in nom.children(code)] == by_parent.get(code, []), code


def test_cli_marks_the_special_autonomy_codes():
    """`nomenklatur imunisasi` lists Papua's otonomi khusus kegiatan (digit 3/4) beside the ordinary one (issue 27)."""
    result = CliRunner().invoke(main, ["nomenklatur", "imunisasi"])
    assert result.exit_code == 0
    lines = [ln for ln in result.output.splitlines() if not ln.startswith("    ")]
    assert lines[0].startswith("1.02.02.2.02.0036  sub kegiatan  Investigasi Awal") and "[" not in lines[0]
    assert lines[1] == ("1.02.02.3.02.0057  sub kegiatan  Pelayanan Kesehatan Penyakit yang dapat dicegah dengan "
                        "Imunisasi  [otonomi khusus Papua]")
    assert lines[3].startswith("1.02.02.4.02.0057  ") and lines[3].endswith("  [otonomi khusus Papua]")
    assert lines[-1].startswith("4 di antaranya bertanda [...]: kode khusus daerah otonomi khusus atau keistimewaan")
    assert "yang memakai angka 2" in lines[-1]
    assert nk.special_kewenangan("1.01.08.7.01") == "kekhususan Aceh" and nk.special_kewenangan("1.06.05.2.01") is None
    ordinary = CliRunner().invoke(main, ["nomenklatur", "1.06.05.2.01"])
    assert "[" not in ordinary.output and "di antaranya" not in ordinary.output
