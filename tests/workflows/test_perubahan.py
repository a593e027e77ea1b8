"""`renstra perubahan`: the change list and the tracked-changes document between two versions."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from openpyxl import load_workbook

from renstra_gen.workflows.build import build
from renstra_gen.compose.diff import DAMPAK, LANGSUNG
from renstra_gen.workflows.perubahan import VersionError, perubahan
from tests.conftest import DEFAULT_CONTENT, NS, W, plain

SLUG = "renstra-dinsos-belu-2021-2026"
BOUND = ('Pagu indikatif tahun 2024 seluruhnya Rp{{ data("program-pendanaan").total[2024] | angka }}, dan program '
         '1.06.01 selama periode Rp{{ data("program-pendanaan").find("1.06.01").kondisi_akhir | angka }}.\n\n')
NEW_SUB = '''          - kode: "1.06.01.2.01.09"
            nama: Penyusunan Dokumen Perubahan Renstra
            indikator: Jumlah Dokumen yang disusun(Jenis)
            target: {2024: 1}
            pagu: {2024: 10000000}
            lokasi: Atambua
'''
OLD_SENTENCE = "Adapun fungsi Dinas Sosial Kabupaten Belu adalah:"
NEW_SENTENCE = "Adapun fungsi pokok Dinas Sosial Kabupaten Belu adalah sebagai berikut:"
DELETED = "Rencana Strategis adalah serangkaian kegiatan yang bertujuan"


def lama(dst: Path) -> Path:
    """A copy of the default content with one narrative sentence bound to the program matrix."""
    shutil.copytree(DEFAULT_CONTENT, dst)
    bab6 = dst / "bab/6-program-kegiatan.md"
    text = bab6.read_text()
    anchor = "Matriks anggaran menurut program"
    assert text.count(anchor) == 1
    bab6.write_text(text.replace(anchor, BOUND + anchor))
    return dst


def revise(folder: Path) -> None:
    """The four edits: a sub kegiatan's 2024 pagu, a sentence of BAB II, a new sub kegiatan, a paragraph gone."""
    prog = folder / "tabel/program-pendanaan.yaml"
    text = prog.read_text()
    old = "pagu: {2022: 15000000, 2023: 15000000, 2024: 15000000, 2025: 16101246, 2026: 17000000}"
    anchor = '          - kode: "1.06.01.2.01.02"\n'
    assert text.count(old) == 1 and text.count(anchor) == 1
    text = text.replace(old, old.replace("2024: 15000000", "2024: 20000000")).replace(anchor, NEW_SUB + anchor)
    prog.write_text(text)
    bab2 = folder / "bab/2-gambaran-pelayanan.md"
    assert bab2.read_text().count(OLD_SENTENCE) == 1
    bab2.write_text(bab2.read_text().replace(OLD_SENTENCE, NEW_SENTENCE))
    bab1 = folder / "bab/1-pendahuluan.md"
    paras = bab1.read_text().split("\n\n")
    assert paras[3].startswith(DELETED)
    bab1.write_text("\n\n".join(paras[:3] + paras[4:]))


@pytest.fixture(scope="module")
def versions(tmp_path_factory):
    root = tmp_path_factory.mktemp("perubahan")
    a = lama(root / "lama")
    b = root / "baru"
    shutil.copytree(a, b)
    revise(b)
    result = perubahan(str(a), str(b), root / "out", a)
    return a, b, root, result


# values of the default content: 1.06.01.2.01.01 pagu 2024 15.000.000 -> 20.000.000 and a new sub
# kegiatan of 10.000.000 in 2024 under the same kegiatan
VALUES = {
    ("1.06.01.2.01.01", "2024 / Rp", "15.000.000", "20.000.000", LANGSUNG),
    ("1.06.01.2.01.01", "Kondisi Kinerja pada Akhir Periode Renstra Perangkat Daerah / Rp", "78.101.246", "83.101.246", DAMPAK),
    ("1.06.01.2.01.", "2024 / Rp", "113.778.912", "128.778.912", DAMPAK),  # kegiatan: +5 + 10 million
    ("1.06.01.2.01.", "Kondisi Kinerja pada Akhir Periode Renstra Perangkat Daerah / Rp", "628.715.340", "643.715.340", DAMPAK),
    ("1.06.01", "2024 / Rp", "2.685.473.812", "2.700.473.812", DAMPAK),  # program
    ("1.06.01", "Kondisi Kinerja pada Akhir Periode Renstra Perangkat Daerah / Rp", "15.936.851.693", "15.951.851.693", DAMPAK),
    # and the table's JUMLAH row
    ("JUMLAH", "2024 / Rp", "17.901.556.560", "17.916.556.560", DAMPAK),
    ("JUMLAH", "Kondisi Kinerja pada Akhir Periode Renstra Perangkat Daerah / Rp", "94.449.959.300", "94.464.959.300", DAMPAK),
}


def test_change_list_is_exactly_the_edits_and_their_knock_on_effects(versions):
    *_, result = versions
    changes = result.changes
    values = {(c.tempat.split(" ")[0], c.kolom, c.lama, c.baru, c.sifat) for c in changes if c.jenis == "nilai diubah"}
    assert values == VALUES
    assert all(c.bagian.startswith("Tabel 6.2 ") and c.berkas == "tabel/program-pendanaan.yaml"
               for c in changes if c.jenis == "nilai diubah")
    rows = [c for c in changes if c.jenis.startswith("baris")]
    assert [(r.jenis, r.tempat) for r in rows] == [("baris ditambah", "1.06.01.2.01.09 Penyusunan Dokumen Perubahan Renstra")]
    paras = [(c.jenis, c.sifat, c.berkas) for c in changes if c.jenis.startswith("paragraf")]
    assert sorted(paras) == sorted([
        ("paragraf dihapus", LANGSUNG, "bab/1-pendahuluan.md"),
        ("paragraf diubah", LANGSUNG, "bab/2-gambaran-pelayanan.md"),
        ("paragraf diubah", DAMPAK, "bab/6-program-kegiatan.md"),  # the sentence bound to the matrix
    ])
    assert len(changes) == len(VALUES) + 1 + 3  # nothing else
    bab2 = next(c for c in changes if c.berkas == "bab/2-gambaran-pelayanan.md")
    assert (bab2.lama, bab2.baru) == (OLD_SENTENCE, NEW_SENTENCE)
    bab6 = next(c for c in changes if c.berkas == "bab/6-program-kegiatan.md")
    assert "Rp17.901.556.560" in bab6.lama and "Rp17.916.556.560" in bab6.baru  # whole matrix 2024 +15 million
    assert "Rp15.936.851.693" in bab6.lama and "Rp15.951.851.693" in bab6.baru
    gone = next(c for c in changes if c.jenis == "paragraf dihapus")
    assert gone.lama.startswith(DELETED) and gone.tempat.startswith("1.1 Latar Belakang")


def test_workbook_has_one_filterable_row_per_change(versions):
    _, _, root, result = versions
    ws = load_workbook(root / "out" / f"{SLUG}-perubahan.xlsx").active
    assert ws.auto_filter.ref == f"A2:I{len(result.changes) + 2}"
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    assert len(rows) == len(result.changes)
    assert {(r[2], r[6], r[7]) for r in rows} >= {("nilai diubah", "15.000.000", "20.000.000")}


def _doc(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read("word/document.xml"))


def _accepted(p) -> str:
    return "".join(t.text or "" for t in p.iter(f"{{{W}}}t"))


def run_marks(root) -> list[etree._Element]:
    """w:ins/w:del around runs: the revisions a reviewer steps through."""
    return [el for el in root.iter(f"{{{W}}}ins", f"{{{W}}}del") if el.getparent().tag == f"{{{W}}}p"]


def test_docx_has_revisions_exactly_at_the_changes(versions):
    a, b, root, result = versions
    doc = _doc(root / "out" / f"{SLUG}-perubahan.docx")
    marks = list(doc.iter(f"{{{W}}}ins", f"{{{W}}}del"))
    assert {m.get(f"{{{W}}}author") for m in marks} == {"Dinas Sosial Kabupaten Belu"}
    assert len({m.get(f"{{{W}}}id") for m in marks}) == len(marks)
    changed = {c.baru for c in result.changes if c.jenis == "nilai diubah"}
    new_row = next(c for c in result.changes if c.jenis == "baris ditambah")
    marked_paras = {id(m.getparent()): m.getparent() for m in run_marks(doc)}.values()
    cells, texts = [], []
    for p in marked_paras:
        (cells if p.xpath("ancestor::w:tbl", namespaces=NS) else texts).append(p)
    # table cells: the changed values, and every cell of the inserted row
    inserted_rows = [tr for tr in doc.iter(f"{{{W}}}tr") if tr.find("w:trPr/w:ins", NS) is not None]
    assert len(inserted_rows) == 1
    row_cells = [_accepted(p) for p in inserted_rows[0].iter(f"{{{W}}}p") if _accepted(p)]
    assert " | ".join(row_cells) == new_row.baru
    in_row = {id(p) for p in inserted_rows[0].iter(f"{{{W}}}p")}
    assert sorted(_accepted(p) for p in cells if id(p) not in in_row) == sorted(changed)
    for p in cells:
        if id(p) not in in_row:
            ins = "".join(t.text for t in p.iterfind("w:ins/w:r/w:t", NS))
            dele = "".join(t.text for t in p.iterfind("w:del/w:r/w:delText", NS))
            assert (dele, ins) in {(c.lama, c.baru) for c in result.changes if c.jenis == "nilai diubah"}
    # narrative: the BAB II sentence (words), the bound sentence of BAB VI, the deleted paragraph
    assert sorted(_accepted(p)[:30] for p in texts) == sorted(["", NEW_SENTENCE[:30], "Pagu indikatif tahun 2024 selu"])
    bab2 = next(p for p in texts if _accepted(p) == NEW_SENTENCE)
    assert [("".join(t.text for t in m.iter(f"{{{W}}}t", f"{{{W}}}delText")), etree.QName(m).localname)
            for m in run_marks(bab2)] == [("pokok ", "ins"), ("adalah:", "del"), ("adalah sebagai berikut:", "ins")]
    deleted = next(p for p in texts if not _accepted(p))
    assert "".join(t.text for t in deleted.iter(f"{{{W}}}delText")).startswith(DELETED)
    assert deleted.find("w:pPr/w:rPr/w:del", NS) is not None  # the paragraph mark goes too


def test_output_is_deterministic(versions, tmp_path):
    a, b, root, _ = versions
    again = perubahan(str(a), str(b), tmp_path, a)
    for path in again.written:
        assert path.read_bytes() == (root / "out" / path.name).read_bytes(), path.name


def _plain_build(content: Path, out: Path) -> Path:
    """The .docx `build` writes, without merged labels repeated "(lanjutan)" at predicted page
    breaks: the tracked-changes document repeats none (where pages break is no change of content)."""
    import renstra_gen.render.table as table

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(table, "predicted_breaks", lambda *a, **k: [])
        return build(content, out).written[0]


def test_no_change_no_revision_and_the_plain_document(versions, tmp_path):
    a, *_ = versions
    result = perubahan(str(a), str(a), tmp_path, a)
    assert result.changes == [] and result.revisions == 0
    plain = _plain_build(a, tmp_path / "plain")
    assert (tmp_path / f"{SLUG}-perubahan.docx").read_bytes() == plain.read_bytes()


def _git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@x", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@x"}
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True, env=env).stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")
def test_two_git_revisions_give_the_same_change_list(versions, tmp_path):
    *_, folders = versions
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    content = lama(repo / "konten")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "penetapan")
    _git(repo, "tag", "penetapan-2021")
    revise(content)
    _git(repo, "commit", "-qam", "perubahan")
    head = _git(repo, "rev-parse", "HEAD")
    result = perubahan("HEAD~1", "HEAD", tmp_path / "out", content)
    assert result.changes == folders.changes
    # the default BARU is the folder as it is, uncommitted edits included
    (content / "bab/8-penutup.md").write_text((content / "bab/8-penutup.md").read_text() + "\nKalimat tambahan.\n")
    work = perubahan("penetapan-2021", None, tmp_path / "out2", content)
    assert work.changes[:-1] == folders.changes and work.changes[-1].jenis == "paragraf ditambah"
    assert _git(repo, "rev-parse", "HEAD") == head  # nothing checked out
    assert _git(repo, "status", "--porcelain").strip() == "M konten/bab/8-penutup.md"
    with pytest.raises(VersionError, match="bukan folder maupun revisi git"):
        perubahan("tidak-ada", None, tmp_path / "out3", content)


def libreoffice_view(tracked: Path, plain: Path, out: Path) -> None:
    """Run tests/uno_redlines.py against a private headless LibreOffice: redlines.txt, left.txt,
    accepted.txt, plain.txt and shown.pdf in `out`."""
    pipe = f"perubahan_{os.getpid()}_{int(time.time() * 1000)}"
    office = subprocess.Popen(
        ["soffice", "--headless", "--invisible", "--nologo", "--norestore", "--nodefault",
         f"-env:UserInstallation={(out / 'profile').as_uri()}", f"--accept=pipe,name={pipe};urp;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        subprocess.run(["/usr/bin/python3", str(Path(__file__).resolve().parents[1] / "uno_redlines.py"), pipe, str(tracked),
                        str(plain), str(out)], check=True, timeout=600)
        office.wait(timeout=60)
    finally:
        if office.poll() is None:
            os.killpg(office.pid, signal.SIGKILL)
            office.wait()


needs_libreoffice = pytest.mark.skipif(shutil.which("soffice") is None or not Path("/usr/bin/python3").exists(),
                                       reason="LibreOffice not installed")


@needs_libreoffice
def test_libreoffice_lists_the_revisions_and_accepting_them_gives_the_new_document(versions, tmp_path):
    a, b, root, result = versions
    plain = _plain_build(b, tmp_path / "plain")
    tracked = root / "out" / f"{SLUG}-perubahan.docx"
    libreoffice_view(tracked, plain, tmp_path)
    redlines = (tmp_path / "redlines.txt").read_text().splitlines()
    assert len(redlines) == len(run_marks(_doc(tracked)))
    assert all(r.split("\t")[1] == "Dinas Sosial Kabupaten Belu" for r in redlines)
    assert (tmp_path / "left.txt").read_text().strip() == "0"
    accepted = (tmp_path / "accepted.txt").read_text()
    assert NEW_SENTENCE in accepted and DELETED not in accepted
    assert accepted == (tmp_path / "plain.txt").read_text()


@needs_libreoffice
def test_another_office_a_moved_table_and_a_removed_sub_kegiatan(minimal, tmp_path):
    """Renumbered tables give no revision; a removed row comes back as a deleted row; other content."""
    new = tmp_path / "baru"
    shutil.copytree(minimal, new)
    chapter = new / "bab/2-program.md"
    text = chapter.read_text()
    chapter.write_text(text.replace('{{ tabel("aset") }}', "").replace(
        "Rencana program dan pendanaan", '{{ tabel("aset") }}\n\nRencana program dan pendanaan'))
    prog = new / "tabel/program.yaml"
    text = prog.read_text()
    start = text.index('          - kode: "2.24.02.2.01.02"')
    end = text.index("  - kode: \"2.24.03\"")
    prog.write_text(text[:start] + text[end:])
    result = perubahan(str(minimal), str(new), tmp_path / "out", minimal)
    kinds = sorted((c.jenis, c.sifat) for c in result.changes)
    assert ("baris dihapus", LANGSUNG) in kinds and ("penempatan dipindah", LANGSUNG) in kinds
    removed = next(c for c in result.changes if c.jenis == "baris dihapus")
    assert removed.tempat == "2.24.02.2.01.02 Penataan Arsip Inaktif"
    values = {(c.tempat.split(" ")[0], c.kolom.split(" ")[0], c.lama, c.baru) for c in result.changes
              if c.jenis == "nilai diubah"}
    assert ("2.24.02.2.01", "2025", "125.000.000", "50.000.000") in values  # kegiatan loses 75 million
    assert ("2.24.02", "2025", "125.000.000", "50.000.000") in values  # and its program
    assert all(c.sifat == DAMPAK for c in result.changes if c.jenis == "nilai diubah")
    assert not [c for c in result.changes if c.jenis == "paragraf diubah" and c.sifat == LANGSUNG]
    tracked = tmp_path / "out" / "renstra-arsip-kota-contoh-perubahan.docx"
    doc = _doc(tracked)
    deleted_rows = [tr for tr in doc.iter(f"{{{W}}}tr") if tr.find("w:trPr/w:del", NS) is not None]
    # the sub kegiatan; Tabel 2.1's JUMLAH row, every figure of which changed (replaced by its new
    # version); the aset table's five rows where it stood
    assert len(deleted_rows) == 1 + 1 + 5  # the sub kegiatan; the aset table's five rows where it stood
    # "disajikan pada Tabel 2.1" became "Tabel 2.2": renumbering, not a revision
    refs = [p for p in doc.iter(f"{{{W}}}p") if "disajikan pada Tabel 2.2" in _accepted(p)]
    assert refs and all(p.find("w:ins", NS) is None and p.find("w:del", NS) is None or
                        "Tabel" not in "".join(t.text for t in p.iterfind("w:ins/w:r/w:t", NS)) for p in refs)
    from tests.render.test_ooxml_valid import FORMATS, findings

    assert all(findings(tracked, fmt) == [] for fmt in FORMATS)  # a deleted table and row are valid too
    plain = _plain_build(new, tmp_path / "plain")
    libreoffice_view(tracked, plain, tmp_path)
    assert (tmp_path / "left.txt").read_text().strip() == "0"
    accepted, plain_text = (tmp_path / "accepted.txt").read_text(), (tmp_path / "plain.txt").read_text()
    # LibreOffice 7.4 cannot join a deleted paragraph mark to a following table, so the emptied
    # caption of the removed aset table stays as one empty paragraph; every word is as in the plain build
    assert accepted.split() == plain_text.split()
    assert accepted.count("\n") - plain_text.count("\n") in (0, 1)


def test_cli_prints_the_grouped_change_list_and_one_line_per_file(minimal, tmp_path):
    from click.testing import CliRunner

    from renstra_gen.cli import main

    new = tmp_path / "baru"
    shutil.copytree(minimal, new)
    prog = new / "tabel/program.yaml"
    prog.write_text(prog.read_text().replace("pagu: {2025: 50000000, 2026: 55000000",
                                             "pagu: {2025: 57500000, 2026: 55000000"))
    r = CliRunner().invoke(main, ["perubahan", str(minimal), str(new), "--content", str(minimal),
                                  "--out", str(tmp_path / "out")])
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert "Tabel 2.1 Rencana Program, Kegiatan, Sub Kegiatan dan Pendanaan (tabel/program.yaml)" in lines
    assert "  nilai diubah: 2.24.02.2.01.01 Pembinaan Kearsipan | 2025 / Rp: 50.000.000 -> 57.500.000" in lines
    assert any(x.startswith("  nilai diubah (dampak): 2.24.02 PROGRAM PENGELOLAAN ARSIP | 2025 / Rp") for x in lines)
    assert any(x.startswith("  paragraf diubah (dampak): ") and "Rp152.500.000" in x for x in lines)
    assert f"ditulis: {tmp_path / 'out' / 'renstra-arsip-kota-contoh-perubahan.docx'}" in lines
    r = CliRunner().invoke(main, ["perubahan", "HEAD~1", "--content", str(minimal), "--out", str(tmp_path / "x")])
    assert r.exit_code == 1 and "Gagal: 'HEAD~1' bukan folder" in r.output
    assert not (tmp_path / "x").exists()


def test_identity_figure_and_a_list_drawn_from_data(minimal, tmp_path):
    """The head's name (cover, signature), a unit added to the organisation: its chart is redrawn, the
    list that struktur_organisasi() writes grows (dampak: the Markdown did not change)."""
    new = tmp_path / "baru"
    shutil.copytree(minimal, new)
    ident = new / "renstra.yaml"
    assert ident.read_text().count("nama: Budi Santoso, S.Sos\n") == 1
    ident.write_text(ident.read_text().replace("nama: Budi Santoso, S.Sos\n", "nama: Budi Santoso, S.Sos., M.Si.\n"))
    org = new / "organisasi.yaml"
    old = "bawahan: [Seksi Layanan, Seksi Pengembangan Koleksi]"
    assert org.read_text().count(old) == 1
    org.write_text(org.read_text().replace(old, "bawahan: [Seksi Layanan, Seksi Pengembangan Koleksi, Seksi Literasi]"))
    result = perubahan(str(minimal), str(new), tmp_path / "out", minimal)
    got = {(c.jenis, c.sifat, c.tempat, c.lama, c.baru) for c in result.changes}
    assert ("nilai diubah", LANGSUNG, "kepala.nama", "Budi Santoso, S.Sos", "Budi Santoso, S.Sos., M.Si.") in got
    assert any(c.jenis == "gambar diubah" and c.berkas == "gambar/struktur.yaml" for c in result.changes)
    added = [c for c in result.changes if c.jenis == "paragraf ditambah"]
    assert [(c.sifat, c.baru) for c in added] == [(DAMPAK, "Seksi Literasi.")]
    assert all(c.sifat == DAMPAK for c in result.changes if c.jenis == "paragraf diubah")
    doc = _doc(tmp_path / "out" / "renstra-arsip-kota-contoh-perubahan.docx")
    pairs = [("".join(t.text for t in p.iterfind("w:del/w:r/w:delText", NS)),
              "".join(t.text for t in p.iterfind("w:ins/w:r/w:t", NS))) for p in doc.iter(f"{{{W}}}p")
             if _accepted(p).startswith("Budi Santoso")]
    # the signature joins the degrees by a no-break space (render/docx.py), the cover does not
    assert pairs and all((x[0], plain(x[1])) == ("S.Sos", "S.Sos., M.Si.") for x in pairs)


@pytest.mark.parametrize("name", [f"{SLUG}-perubahan.docx", f"{SLUG}-perubahan.xlsx"])
def test_outputs_open_clean_in_word_and_excel(versions, name):
    """The tracked changes (w:ins/w:del in runs, paragraph marks, table rows) and the change list pass
    openxml-audit like every other output (tests/render/test_ooxml_valid.py)."""
    from tests.render.test_ooxml_valid import FORMATS, findings

    *_, root, _ = versions
    for fmt in FORMATS:
        assert findings(root / "out" / name, fmt) == [], fmt


def test_a_total_row_is_named_by_its_label_not_by_its_first_value(tmp_path):
    """A new pagu in a fresh init starter: the JUMLAH row whose cells were "-" is 'JUMLAH', not 'JUMLAH -'."""
    from click.testing import CliRunner

    from renstra_gen.cli import main

    runner = CliRunner()
    old, new = tmp_path / "lama", tmp_path / "baru"
    made = runner.invoke(main, ["init", str(old), "--bidang", "1.02", "--perangkat-daerah", "Dinas Kesehatan",
                                "--daerah", "Kabupaten Contoh", "--periode", "2025-2029"])
    assert made.exit_code == 0, made.output
    shutil.copytree(old, new)
    p = new / "tabel" / "program-pendanaan.yaml"
    p.write_text(p.read_text(encoding="utf-8").replace("pagu: {}", "pagu: {2026: 250000000}", 1), encoding="utf-8")
    result = runner.invoke(main, ["perubahan", str(old), str(new), "--content", str(new), "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    assert "  nilai diubah (dampak): JUMLAH | 2026 / Rp: - -> 250.000.000" in result.output
    assert "JUMLAH -" not in result.output
