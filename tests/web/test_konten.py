"""The workspace's forms for every other content file (issue 30): the cascade, every table as a grid of
its declared columns, the Renja inputs; the findings panel with the baseline; finding links into every file.

HTTP-level, like test_http.py (they run against PostgreSQL in CI too)."""

from __future__ import annotations

import html as htmllib
import re

import pytest
from django.test import Client

from renstra_gen.web import engine

pytestmark = pytest.mark.django_db

CASCADE = "/k/demo/konten/?berkas=indikator.yaml"
CAPAIAN = "/k/demo/konten/?berkas=tabel/capaian-kinerja.yaml"
ASET = "/k/demo/konten/?berkas=tabel/aset.yaml"


def form_of(client, url) -> dict:
    """The form's fields as a browser would post them (every value as shown)."""
    page = client.get(url).content.decode()
    fields = {htmllib.unescape(k): htmllib.unescape(v)
              for k, v in re.findall(r'<input name="(v:[^"]+)" id="[^"]*" aria-label="[^"]*" class="[^"]*" value="([^"]*)"', page)}
    for name, body in re.findall(r'<textarea name="(v:[^"]+)"[^>]*>(.*?)</textarea>', page, re.S):
        fields[htmllib.unescape(name)] = htmllib.unescape(body)
    for name, body in re.findall(r'<select name="(v:[^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', body)
        fields[htmllib.unescape(name)] = htmllib.unescape(chosen.group(1)) if chosen else ""
    fields["base"] = re.search(r'name="aksi" value="simpan"><input type="hidden" name="base" value="([0-9a-f]*)"', page).group(1)
    fields["aksi"] = "simpan"
    return fields


def git_log(office) -> list[str]:
    return engine.git(office.content, "log", "--format=%an|%s").splitlines()


# ---------------------------------------------------------------- 1. the findings panel applies the baseline

def test_the_findings_panel_sets_the_baseline_apart_as_the_cli_does(world, login):
    c = login(world["penyusun"])
    page = c.get("/k/demo/").content.decode()
    known = len(engine.check(world["demo"].content))
    assert known == 90  # the default content's findings are all recorded in dasar-pemeriksaan.txt
    assert "0 galat · 0 peringatan baru · 90 sudah dikenal" in page
    assert "Tidak ada temuan baru." in page
    assert "90 temuan sudah dikenal (dasar-pemeriksaan.txt)" in page
    # a new finding comes first, counted; the known ones stay collapsed
    form = form_of(c, CASCADE)
    form["v:indikator.2.sasaran"] = "xx"  # a sasaran key that does not exist: a new finding (galat)
    assert c.post(CASCADE, form).status_code == 302
    page = c.get("/k/demo/").content.decode()
    new = page[page.index('<ol class="baru">'):page.index("<details class=\"dikenal\">")]
    assert "sasaran &#x27;xx&#x27; tidak ada di daftar tujuan/sasaran" in new
    # with a galat the tables are not laid out, so the known legibility warning (Tabel 6.2 at 5,5 pt) is not made
    # (Tabel 6.1's unnumbered row is: it is checked on the content)
    assert "1 galat · 0 peringatan baru · 89 sudah dikenal" in page
    assert "89 temuan sudah dikenal" in page


# ---------------------------------------------------------------- 3. the cascade (indikator.yaml)

def test_the_cascade_form_shows_tujuan_sasaran_and_indicators_with_their_fields(world, login):
    c = login(world["penyusun"])
    r = c.get(CASCADE)
    page = r.content.decode()
    assert r.status_code == 200
    assert "Meningkatkan Kualitas dan Daya Saing Sumber Daya Manusia" in page  # tujuan
    assert "Berkurangnya Kemiskinan" in page  # sasaran
    for label in ("Arah", "Kondisi akhir", "Kondisi awal (baseline)", "Target · 2021", "Target · 2026"):
        assert f"<th>{label}</th>" in page
    assert re.search(r'name="v:indikator\.0\.target\.2026"[^>]*value="14,70"', page)
    # arah left out in the file: the empty choice names the model's default
    assert re.search(r'<select name="v:indikator\.0\.arah"[^>]*><option value="" selected>\(naik\)</option>'
                     r'<option value="naik">naik</option><option value="turun">turun</option>', page)


def test_a_cascade_target_saves_as_one_changed_line_by_the_person(world, login):
    demo = world["demo"]
    c = login(world["penyusun"])
    form = form_of(c, CASCADE)
    form["v:indikator.0.target.2026"] = "14,5"
    form["v:indikator.0.arah"] = "turun"
    r = c.post(CASCADE, form)
    assert r.status_code == 302, r.content.decode()[:2000]
    numstat = engine.git(demo.content, "show", "--format=", "--numstat", "HEAD").split()
    assert numstat == ["2", "0", "indikator.yaml"] or numstat[:3] == ["2", "1", "indikator.yaml"]
    shown = engine.git(demo.content, "show", "--format=", "-U0", "HEAD")
    assert "+    target: {2021: 15,37, 2022: 15,28, 2023: 15,07, 2024: 14,94, 2025: 14,79, 2026: \"14,5\"}" in shown
    assert "+    arah: turun" in shown
    author, message = git_log(demo)[0].split("|")
    assert author == "Ani Penyusun" and message.startswith("indikator.yaml: ")
    page = c.get(CASCADE).content.decode()
    assert "Tersimpan." in page and re.search(r'name="v:indikator\.0\.target\.2026"[^>]*value="14,5"', page)


def test_a_cascade_value_the_loader_refuses_is_not_saved(world, login):
    demo = world["demo"]
    c = login(world["penyusun"])
    form = form_of(c, CASCADE)
    form["v:indikator.0.nama"] = ""  # a required name removed: the loader would refuse the file
    r = c.post(CASCADE, form)
    assert r.status_code == 422
    assert "Simpanan ditolak: konten tidak akan terbaca" in r.content.decode()
    assert len(git_log(demo)) == 1
    assert "nama: Persentase Penduduk Miskin" in (demo.content / "indikator.yaml").read_text()


def test_an_ambiguous_number_is_refused_and_kept_on_the_screen(world, login):
    c = login(world["penyusun"])
    form = form_of(c, CASCADE)
    form["v:indikator.0.kondisi_awal"] = "15.37"
    r = c.post(CASCADE, form)
    assert r.status_code == 422
    page = r.content.decode()
    assert re.search(r'name="v:indikator\.0\.kondisi_awal"[^>]*class="milik salah nilai" value="15\.37"', page)
    assert len(git_log(world["demo"])) == 1


def test_a_stale_cascade_save_is_refused_with_409_and_the_edit_kept(world, login):
    demo = world["demo"]
    ani, budi = login(world["penyusun"], Client()), login(world["penyusun2"], Client())
    fa, fb = form_of(ani, CASCADE), form_of(budi, CASCADE)
    fa["v:indikator.0.target.2026"] = "14,5"
    assert ani.post(CASCADE, fa).status_code == 302
    fb["v:indikator.1.target.2026"] = "8,3"
    r = budi.post(CASCADE, fb)
    assert r.status_code == 409
    page = r.content.decode()
    assert "Simpanan ditolak" in page and "Ani Penyusun" in page
    assert re.search(r'name="v:indikator\.1\.target\.2026"[^>]*class="milik[^"]*" value="8,3"', page)
    assert re.search(r'name="v:indikator\.0\.target\.2026"[^>]*value="14,5"', page)  # Ani's value, not Budi's old one
    assert "8,3" not in (demo.content / "indikator.yaml").read_text()
    assert len(git_log(demo)) == 2


# ---------------------------------------------------------------- 3. every other table, generic

def test_every_content_file_opens_as_a_form_of_its_declared_columns(world, login):
    c = login(world["penyusun"])
    files = engine.form_files(world["demo"].content)
    assert "tabel/program-pendanaan.yaml" not in files and len(files) >= 20
    for rel in files:
        r = c.get(f"/k/demo/konten/?berkas={rel}")
        assert r.status_code == 200, rel
        assert 'id="konten-form"' in r.content.decode()
    page = c.get(CAPAIAN).content.decode()
    for label in ("Nama", "Arah", "Target · 2016", "Realisasi · 2021", "Rasio tertulis · 2017"):
        assert f"<th>{label}</th>" in page
    assert c.get("/k/demo/konten/?berkas=tabel/program-pendanaan.yaml")["Location"] == "/k/demo/tabel-6-2/"
    assert c.get("/k/demo/konten/?berkas=../../etc/passwd").status_code == 404
    assert c.get("/k/demo/konten/?berkas=dasar-pemeriksaan.txt").status_code == 404


def test_a_generic_table_cell_saves_and_script_renders_as_text(world, login):
    demo = world["demo"]
    c = login(world["penyusun"])
    form = form_of(c, CAPAIAN)
    form["v:indikator.0.realisasi.2020"] = "13"
    form["v:indikator.0.nama"] = '<script>alert("x")</script>'
    assert c.post(CAPAIAN, form).status_code == 302
    text = (demo.content / "tabel/capaian-kinerja.yaml").read_text()
    assert "2020: 13, 2021: Belum ada Capaian}" in text
    assert "  - nama: <script>alert(\"x\")</script>" in text or '"<script>alert' in text
    page = c.get(CAPAIAN).content.decode()
    assert '<script>alert("x")</script>' not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "<script>alert" not in c.get("/k/demo/").content.decode()


def test_rows_of_a_generic_table_are_added_and_removed(world, login):
    demo = world["demo"]
    c = login(world["penyusun"])
    page = c.get(CAPAIAN).content.decode()
    base = re.search(r'name="base" value="([0-9a-f]+)"', page).group(1)
    r = c.post(CAPAIAN, {"aksi": "tambah", "daftar": "indikator", "base": base, "n:nama": "Persentase Baru",
                         "n:target.2021": "50", "n:arah": "naik"})
    assert r.status_code == 302
    text = (demo.content / "tabel/capaian-kinerja.yaml").read_text()
    assert text.endswith("  - nama: Persentase Baru\n    arah: naik\n    target: {2021: 50}\n")
    page = c.get(CAPAIAN).content.decode()
    assert 'id="baris-indikator.4"' in page and "Persentase Baru" in page
    base = re.search(r'name="base" value="([0-9a-f]+)"', page).group(1)
    assert c.post(CAPAIAN, {"aksi": "hapus", "baris": "indikator.4", "base": base}).status_code == 302
    assert "Persentase Baru" not in (demo.content / "tabel/capaian-kinerja.yaml").read_text()
    assert len(git_log(demo)) == 3


# ---------------------------------------------------------------- 3. the Renja inputs of each year

def test_renja_inputs_of_a_year_are_started_and_filled(world, login):
    demo = world["demo"]
    c = login(world["penyusun"])
    page = c.get("/k/demo/konten/").content.decode()
    assert "Mulai masukan Renja 2024" in page
    r = c.post("/k/demo/konten/", {"aksi": "renja-baru", "tahun": "2024"})
    url = "/k/demo/konten/?berkas=renja/2024/renja.yaml"
    assert r["Location"] == "/k/demo/konten/?berkas=renja/2024/renja.yaml"
    page = c.get(url).content.decode()
    for title in ("Realisasi", "Pelayanan", "Usulan", "Lampiran"):
        assert f"<h2>{title}</h2>" in page
    base = re.search(r'name="base" value="([0-9a-f]+)"', page).group(1)
    r = c.post(url, {"aksi": "tambah", "daftar": "realisasi", "base": base, "n:kode": "1.06.01.2.01.01",
                     "n:tahun": "2022", "n:k": "12", "n:rp": "14.500.000"})
    assert r.status_code == 302
    text = (demo.content / "renja/2024/renja.yaml").read_text()
    assert "realisasi:\n  - kode: 1.06.01.2.01.01\n    tahun: 2022\n    k: 12\n    rp: 14500000\n" in text
    form = form_of(c, url)
    form["v:realisasi.0.rp"] = "15.000.000"
    form["v:penetapan.tempat"] = "Atambua"
    form["v:penetapan.tanggal"] = "2023-10-20"
    assert c.post(url, form).status_code == 302, c.post(url, form).content.decode()[:3000]
    text = (demo.content / "renja/2024/renja.yaml").read_text()
    assert "rp: 15000000" in text and "tempat: Atambua" in text
    # what `renstra renja` would refuse is not stored: a year that is not a number
    form = form_of(c, url)
    form["v:realisasi.0.tahun"] = "dua ribu"
    assert c.post(url, form).status_code == 422
    assert "tahun: 2022" in (demo.content / "renja/2024/renja.yaml").read_text()
    assert c.post("/k/demo/konten/", {"aksi": "renja-baru", "tahun": "1999"}).status_code == 302
    assert not (demo.content / "renja/1999").exists()


def test_a_renja_value_that_renja_cannot_read_is_refused(world, login):
    demo = world["demo"]
    c = login(world["penyusun"])
    c.post("/k/demo/konten/", {"aksi": "renja-baru", "tahun": "2024"})
    url = "/k/demo/konten/?berkas=renja/2024/renja.yaml"
    page = c.get(url).content.decode()
    base = re.search(r'name="base" value="([0-9a-f]+)"', page).group(1)
    r = c.post(url, {"aksi": "tambah", "daftar": "realisasi", "base": base, "n:kode": "1.06.01.2.01.01",
                     "n:rp": "100"})  # `tahun` is required: renja would not read this file
    assert r.status_code == 302
    assert "Tidak disimpan" in c.get(url).content.decode()
    assert "realisasi:" not in (demo.content / "renja/2024/renja.yaml").read_text()


# ---------------------------------------------------------------- 2. every finding links to its row or field

def test_findings_link_to_their_field_in_every_file(world, login):
    demo = world["demo"]
    c = login(world["penyusun"])
    page = c.get("/k/demo/").content.decode()
    links = set(re.findall(r'<a href="(/k/demo/[^"]+)">([^<]+)</a>\n—', page))
    targets = {htmllib.unescape(h) for h, _ in links}
    # the default content's known findings are in tables, the cascade's tables, lampiran and BAB files
    assert any(t.startswith("/k/demo/konten/?berkas=tabel/capaian-kinerja.yaml#sel-indikator.") for t in targets)
    assert any(t.startswith("/k/demo/konten/?berkas=lampiran/rumus-indikator.yaml#") for t in targets)
    assert any(t.startswith("/k/demo/tabel-6-2/#baris-") for t in targets)
    # every link's anchor exists on the page it opens
    for t in sorted(targets):
        url, _, anchor = t.partition("#")
        if not anchor or url.startswith("/k/demo/naskah/"):
            continue
        assert f'id="{anchor}"' in c.get(url).content.decode(), t


def test_a_narrative_finding_links_to_its_line(world, login):
    demo = world["demo"]
    (demo.content / "bab/8-penutup.md").write_text("# PENUTUP\n\nParagraf.\n\nJumlah {{ tidak_ada.total }} orang.\n")
    engine.commit_all(demo.content, ("Budi Penyusun", "budi@contoh.go.id"), "BAB VIII")
    page = login(world["penyusun"]).get("/k/demo/").content.decode()
    assert 'href="/k/demo/naskah/?berkas=bab/8-penutup.md&amp;baris=5#teks"' in page


def test_a_finding_in_the_cascade_links_to_the_field_it_names(world, login):
    c = login(world["penyusun"])
    form = form_of(c, CASCADE)
    form["v:indikator.1.target.2026"] = "abc"  # "satuan target berubah": the finding names the record's line
    assert c.post(CASCADE, form).status_code == 302
    page = c.get("/k/demo/").content.decode()
    assert re.search(r'href="/k/demo/konten/\?berkas=indikator.yaml#baris-indikator\.1">indikator.yaml:\d+</a>', page)
    form = form_of(c, CASCADE)
    form["v:indikator.2.sasaran"] = "xx"  # the finding names the indicator's line (its record)
    assert c.post(CASCADE, form).status_code == 302
    page = c.get("/k/demo/").content.decode()
    assert 'href="/k/demo/konten/?berkas=indikator.yaml#baris-indikator.2">indikator.yaml:52</a>' in page
    form_page = c.get(CASCADE).content.decode()
    assert 'id="baris-indikator.2"' in form_page and 'id="baris-indikator.1"' in form_page


def test_a_narrative_finding_opens_its_line(world, login):
    c = login(world["penyusun"])
    page = c.get("/k/demo/naskah/?berkas=bab/8-penutup.md&baris=3").content.decode()
    assert 'data-baris="3"' in page


# ---------------------------------------------------------------- the office boundary, roles, CSRF

def test_read_only_roles_see_the_forms_but_cannot_save(world, login):
    for who in ("verifikator", "kepala"):
        c = login(world[who], Client())
        page = c.get(CASCADE).content.decode()
        assert "Baca saja" in page and 'id="simpan"' not in page and "readonly" in page
        form = form_of(c, CASCADE)
        form["v:indikator.0.target.2026"] = "1"
        assert c.post(CASCADE, form).status_code == 403
        assert c.post("/k/demo/konten/", {"aksi": "renja-baru", "tahun": "2024"}).status_code == 403
    assert len(git_log(world["demo"])) == 1


def test_another_office_gets_404_on_the_forms(world, login):
    c = login(world["orang_lain"])
    for url in (CASCADE, CAPAIAN, "/k/demo/konten/"):
        assert c.get(url).status_code == 404
        assert c.post(url, {"aksi": "renja-baru", "tahun": "2024"}).status_code == 404
    assert len(git_log(world["demo"])) == 1


def test_a_form_post_without_csrf_token_is_refused(world):
    c = Client(enforce_csrf_checks=True)
    c.force_login(world["penyusun"])
    form = form_of(c, CASCADE)
    form["v:indikator.0.target.2026"] = "1"
    assert c.post(CASCADE, form).status_code == 403
    assert c.post("/k/demo/konten/", {"aksi": "renja-baru", "tahun": "2024"}).status_code == 403
    assert len(git_log(world["demo"])) == 1


# ---------------------------------------------------------------- 4. a content folder imported from a .zip

def _zip_of(folder, extra=(), prefix="konten/", skip=()) -> bytes:
    """The content folder as a .zip (as Windows' "compressed folder" makes it: one top folder)."""
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for path in sorted(folder.rglob("*")):
            rel = path.relative_to(folder).as_posix()
            if path.is_file() and not rel.startswith(".git/") and rel not in skip:
                z.write(path, prefix + rel)
        for item in extra:
            if isinstance(item, zipfile.ZipInfo):
                z.writestr(item, b"x" if item.filename != "bom.txt" else b"0" * (20 * 1024 * 1024))
            else:
                z.writestr(*item)
    return buf.getvalue()


def _upload(c, url, data: bytes, name="konten.zip", **extra):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return c.post(url, {"zip": SimpleUploadedFile(name, data, "application/zip"), **extra})


def _zip_job(c, r):
    """The job page a content zip upload redirected to (the tests' queue runs the job at once)."""
    import re

    from renstra_gen.web.jobs.models import Job

    assert r.status_code == 302 and re.fullmatch(r"/k/demo/pekerjaan/[0-9a-f-]{36}/", r["Location"]), r
    job = Job.objects.get(pk=r["Location"].split("/")[-2])
    assert job.kind == "impor" and job.params["jenis"] == "zip"
    return job, c.get(r["Location"]).content.decode()


def test_a_content_zip_is_imported_as_one_new_version_on_the_queue(world, login, monkeypatch):
    demo = world["demo"]
    c = login(world["penyusun"])
    assert c.get("/k/demo/impor-konten/").status_code == 200
    source = demo.content
    import shutil
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "k"
        shutil.copytree(source, copy, ignore=shutil.ignore_patterns(".git"))
        text = (copy / "indikator.yaml").read_text().replace("2026: 14,70}", "2026: 14,6}")
        (copy / "indikator.yaml").write_text(text)
        data = _zip_of(copy, extra=[("konten/.DS_Store", b"x"), ("__MACOSX/konten/._renstra.yaml", b"x")])
    from renstra_gen.web.jobs import tasks
    queued = []
    monkeypatch.setattr(tasks, "enqueue", queued.append)  # nothing is unpacked in the request
    monkeypatch.setattr(engine, "import_content_zip", lambda *a, **k: pytest.fail("unpacked in the request"))
    job, _ = _zip_job(c, _upload(c, "/k/demo/impor-konten/", data))
    assert queued == [job] and job.state == "antre"
    stored = demo.folder / "unggahan" / job.params["berkas"]
    assert stored.read_bytes() == data and not list(stored.parent.glob(".*.part"))
    monkeypatch.undo()
    tasks.run_job.call(str(job.pk))
    page = c.get(f"/k/demo/pekerjaan/{job.pk}/").content.decode()
    job.refresh_from_db()
    assert job.state == "selesai" and 'id="impor-diterapkan"' in page and "diimpor sebagai satu versi" in page
    assert not stored.exists()
    log = git_log(demo)
    assert len(log) == 2 and log[0] == "Ani Penyusun|Impor konten dari konten.zip"
    assert engine.git(demo.content, "show", "--format=", "--name-only", "HEAD").split() == ["indikator.yaml"]
    assert "2026: 14,6}" in (demo.content / "indikator.yaml").read_text()
    assert job.commit == engine.head(demo.content)
    # run again (as after a worker's death once the commit was made): nothing imported twice
    from renstra_gen.web.jobs.models import Job
    Job.objects.filter(pk=job.pk).update(state="berjalan")
    tasks.run_job.call(str(job.pk))
    assert Job.objects.get(pk=job.pk).state == "selesai" and len(git_log(demo)) == 2


@pytest.mark.parametrize("case, entry, message", [
    ("zip-slip", ("konten/../../luar.yaml", b"a: 1\n"), "keluar dari folder konten"),
    ("absolute", ("/etc/renstra.yaml", b"a: 1\n"), "keluar dari folder konten"),
    ("not content", ("konten/alat.exe", b"MZ"), "bukan bagian konten"),
    ("symlink", "link", "tautan simbolik"),
    ("bomb", "bomb", "bom zip"),
])
def test_a_hostile_zip_is_refused_with_a_finding_and_nothing_changes(world, login, case, entry, message):
    import zipfile

    demo = world["demo"]
    c = login(world["penyusun"])
    if entry == "link":
        info = zipfile.ZipInfo("konten/tautan.yaml")
        info.external_attr = (0o120777 << 16)
        entry = info
    elif entry == "bomb":
        info = zipfile.ZipInfo("bom.txt")
        info.compress_type = zipfile.ZIP_DEFLATED
        entry = info
    data = _zip_of(demo.content, extra=[entry])
    before = sorted(p.relative_to(demo.content).as_posix() for p in demo.content.rglob("*") if ".git" not in p.parts)
    job, page = _zip_job(c, _upload(c, "/k/demo/impor-konten/", data))
    assert job.state == "gagal", case
    assert message in page and "Traceback" not in page
    assert len(git_log(demo)) == 1
    after = sorted(p.relative_to(demo.content).as_posix() for p in demo.content.rglob("*") if ".git" not in p.parts)
    assert not [p for p in (demo.folder / "unggahan").iterdir()]  # the upload is not kept
    assert after == before
    assert not (demo.folder.parent / "luar.yaml").exists()


def test_a_zip_whose_content_does_not_load_gives_findings_not_a_traceback(world, login):
    demo = world["demo"]
    c = login(world["penyusun"])
    data = _zip_of(demo.content, extra=[("konten/tabel/rusak.yaml", b"jenis: umum\njudul: [tidak ditutup\n")])
    job, page = _zip_job(c, _upload(c, "/k/demo/impor-konten/", data))
    assert job.state == "gagal" and "tabel/rusak.yaml:" in page and "Traceback" not in page
    for junk in (b"bukan zip", _zip_of(demo.content, prefix="", skip=("renstra.yaml",))):
        job, page = _zip_job(c, _upload(c, "/k/demo/impor-konten/", junk))
        assert job.state == "gagal" and "Traceback" not in page
    assert "renstra.yaml tidak ada" in page
    assert len(git_log(demo)) == 1


def test_zip_limits_are_checked_before_reading(world, login, settings):
    settings.ZIP_MAX_BYTES = 1024
    c = login(world["penyusun"])
    r = _upload(c, "/k/demo/impor-konten/", b"0" * 200_000)
    assert r.status_code == 413 and "terlalu besar" in r.content.decode()
    settings.ZIP_MAX_BYTES = engine.ZIP_BYTES
    many = [(f"konten/tabel/x{i}.txt", b"") for i in range(engine.ZIP_FILES + 1)]
    job, page = _zip_job(c, _upload(c, "/k/demo/impor-konten/", _zip_of(world["demo"].content, extra=many)))
    assert job.state == "gagal" and "terlalu banyak berkas" in page


def test_the_admin_makes_a_new_office_from_a_zip(world, login):
    c = login(world["admin"])
    data = _zip_of(world["demo"].content)
    r = _upload(c, "/kantor/impor/", data, singkatan="dinsos-baru")
    assert r.status_code == 302 and r["Location"] == "/k/dinsos-baru/"
    from renstra_gen.web.kantor.models import Office

    office = Office.objects.get(slug="dinsos-baru")
    assert office.nama == "Dinas Sosial Kabupaten Belu" and office.periode == "2021-2026"
    assert len(engine.history(office.content)) == 1
    assert c.get("/k/dinsos-baru/").status_code == 200
    assert _upload(login(world["penyusun"], Client()), "/kantor/impor/", data, singkatan="x").status_code == 403
    r = _upload(c, "/kantor/impor/", b"bukan zip", singkatan="rusak")
    assert r.status_code == 422 and not Office.objects.filter(slug="rusak").exists()


def test_a_column_width_is_written_as_the_loader_reads_it(world, login):
    demo = world["demo"]
    c = login(world["penyusun"])
    form = form_of(c, ASET)
    assert form["v:kolom.0.lebar"] == "0.7"
    form["v:kolom.0.lebar"] = "0,8"
    assert c.post(ASET, form).status_code == 302
    assert "lebar: \"0.8\"" in (demo.content / "tabel/aset.yaml").read_text()
    assert form_of(c, ASET)["v:kolom.0.lebar"] == "0.8"
