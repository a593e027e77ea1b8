"""The default content (Renstra Dinas Sosial Kabupaten Belu 2021-2026) builds into the official document."""

from __future__ import annotations

import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from renstra_gen.workflows.build import build, inspect
from renstra_gen.compute.program import compute_program
from renstra_gen.content.load import load_content
from tests.conftest import DEFAULT_CONTENT, NS, ROOT, W, document_xml, table_rows, texts

AUDIT = ROOT.parent / "shared" / "tools" / "docx_audit.py"
REFERENCE = ROOT.parent / "shared" / "reference" / "renstra-dinsos-belu-2021-2026.txt"
CAPTIONS = ["2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "2.7", "2.8", "3.1", "3.2", "3.3", "3.4", "4.1", "5.1",
            "5.2", "6.1", "6.2", "7.1"]


@pytest.fixture(scope="module")
def docx(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("default")
    return next(p for p in build(DEFAULT_CONTENT, out).written if p.suffix == ".docx")


def _number(text: str) -> Decimal | None:
    return None if text in ("", "-") else Decimal(text.replace(".", "").replace(",", "."))


def test_all_18_tables_in_order_with_captions(docx):
    root = document_xml(docx)
    captions = ["".join(t.text or "" for t in p.iter(f"{{{W}}}t"))
                for p in root.iter(f"{{{W}}}p") if p.find("w:pPr/w:pStyle[@w:val='JudulTabel']", NS) is not None]
    assert [c.split()[1] for c in captions] == CAPTIONS
    assert captions[-2] == ("Tabel 6.2 Rencana Program, Kegiatan, Sub. Kegiatan Dan Pendanaan Dinas Sosial "
                            "Kabupaten Belu Tahun 2021-2026")


def test_wide_matrices_sit_in_landscape_sections(docx):
    root = document_xml(docx)
    body = root.find("w:body", NS)
    landscape_captions, pending = [], []
    for el in body:
        if el.tag == f"{{{W}}}p":
            t = "".join(x.text or "" for x in el.iter(f"{{{W}}}t"))
            if re.match(r"Tabel \d\.\d+ ", t) and el.find("w:pPr/w:pStyle[@w:val='JudulTabel']", NS) is not None:
                pending.append(t.split()[1])
            sect = el.find("w:pPr/w:sectPr", NS)
            if sect is not None:
                if sect.find("w:pgSz", NS).get(f"{{{W}}}orient") == "landscape":
                    landscape_captions += pending
                pending = []
    assert {"2.7", "2.8", "6.2"} <= set(landscape_captions)


def test_tabel_6_2_parents_equal_children_and_kondisi_akhir_equals_row(docx):
    rows = table_rows(document_xml(docx), "Tabel 6.2")[3:]
    rows, total = rows[:-1], rows[-1]
    # the program and kegiatan rows repeated "(lanjutan)" on a continuation page carry no figure
    repeated = [r for r in rows if r[3].endswith("(lanjutan)")]
    assert repeated and all(not any(c for c in r[4:]) for r in repeated)
    rows = [r for r in rows if not r[3].endswith("(lanjutan)")]
    rp = [6 + 2 * i for i in range(6)]  # grid column of each year's Rp (K precedes it)
    printed = [([_number(r[c]) for c in rp], _number(r[18])) for r in rows]
    # the tree's shape from the content; the numbers from the document
    matrix = compute_program(load_content(DEFAULT_CONTENT).tables["program-pendanaan"], list(range(2021, 2027)))
    nodes = list(matrix.walk())
    assert len(nodes) == len(rows) == 94  # 6 programs, 16 kegiatan, 72 sub kegiatan
    position = {id(n): i for i, n in enumerate(nodes)}
    for i, node in enumerate(nodes):
        values, akhir = printed[i]
        present = [v for v in values if v is not None]
        assert akhir == (sum(present) if present else None), node.kode
        for y in range(6):
            kids = [printed[position[id(c)]][0][y] for c in node.children]
            kids = [v for v in kids if v is not None]
            if node.children:
                assert values[y] == (sum(kids) if kids else None), (node.kode, 2021 + y)
    # the JUMLAH row (one merged cell over the five leading columns): the programs' pagu per year and in all
    assert total[0] == "JUMLAH" and len(total) == len(rows[0]) - 4
    programs = [printed[position[id(p)]] for p in matrix.programs]
    for y in range(6):
        assert _number(total[2 + 2 * y]) == sum(v[0][y] for v in programs if v[0][y] is not None)
    assert _number(total[14]) == sum(v[1] for v in programs if v[1] is not None)


def test_narrative_figures_follow_the_tables(docx):
    t = "\n".join(texts(document_xml(docx)))
    assert "sebanyak 45 orang yang terdiri dari PNS sebanyak 25 orang" in t
    assert "Tenaga Kontrak sebanyak 20 orang" in t
    assert "S1 sebesar 56,0 %" in t
    assert "Golongan III sebanyak 20 orang atau sebesar 80%" in t
    assert "7 orang dari 20 pejabat struktural" in t and "sebanyak 13 orang" in t
    assert "Rata-rata realisasi anggaran tahun 2017 91%, tahun 2018 54%, tahun 2019 86% dan tahun 2020 92%" in t


def test_check_reports_the_reference_inconsistencies_as_warnings():
    findings = inspect(DEFAULT_CONTENT)
    assert not [f for f in findings if f.is_error]
    msgs = [f.message for f in findings]
    assert ("kegiatan 1.06.01.2.02. Administrasi Keuangan Perangkat Daerah, 2022: tertulis 2.033.215.735, "
            "jumlah sub kegiatan 1.907.000.000") in msgs
    assert any("program tanpa kode 'BELANJA MODAL ALAT ANGKUTAN'" in m for m in msgs)
    assert any("kode '1.06.01' tidak sesuai bentuk kode kegiatan" in m for m in msgs)
    assert any(m.startswith("Persentase PMKS yang Diberdayakan (%), rasio 2018: tertulis 12,03") for m in msgs)


@pytest.mark.skipif(not AUDIT.exists(), reason="shared audit tool not present")
def test_audit_coverage_of_the_reference(docx):
    out = subprocess.run([sys.executable, str(AUDIT), str(docx), "--reference", str(REFERENCE)],
                         capture_output=True, text=True, check=True).stdout
    coverage = float(re.search(r"narrative 5-gram coverage: ([\d.]+)%", out).group(1))
    assert coverage >= 92.0
    assert "TOC=4" in out and "PAGE in headers/footers=1" in out
    assert "fmt=lowerRoman start=1" in out and "fmt=decimal start=1" in out
