"""The workspace through the HTTP client: every view, the office boundary, CSRF, escaping, stale saves.

These tests also run against PostgreSQL in CI (.ci/run sets DATABASE_URL)."""

from __future__ import annotations

import re
import uuid

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from renstra_gen.web import engine
from renstra_gen.web.audit.models import Event
from renstra_gen.web.jobs.models import Job

pytestmark = pytest.mark.django_db

GRID = "/k/demo/tabel-6-2/"
# the first sub kegiatan of the default content: 1.06.01.2.01.01, program 0, kegiatan 0
SUB = "0.0.0"


def grid_form(client, url=GRID) -> dict:
    """The grid's form fields as a browser would post them (every input, as shown)."""
    html = client.get(url).content.decode()
    fields = dict(re.findall(r'<input name="([pitl]-[^"]+)" value="([^"]*)"', html))
    fields = {k: _unescape(v) for k, v in fields.items()}
    fields["base"] = re.search(r'name="base" value="([0-9a-f]*)"', html).group(1)
    return fields


def _unescape(v: str) -> str:
    import html

    return html.unescape(v)


def git_log(office) -> list[str]:
    return engine.git(office.content, "log", "--format=%an <%ae>|%s").splitlines()


# ---------------------------------------------------------------- login, accounts, security settings

def test_login_page_and_wrong_password_is_refused_and_audited(world):
    c = Client()
    assert c.get("/masuk/").status_code == 200
    r = c.post("/masuk/", {"username": "penyusun", "password": "salah"})
    assert r.status_code == 401
    assert "Nama akun atau kata sandi salah" in r.content.decode()
    assert Event.objects.filter(action="masuk-gagal", username="penyusun").count() == 1
    r = c.post("/masuk/", {"username": "penyusun", "password": "kata-sandi-uji-1"})
    assert r.status_code == 302
    assert Event.objects.filter(action="masuk", username="penyusun").exists()


def test_login_is_throttled_after_five_failures(world):
    c = Client()
    for _ in range(5):
        c.post("/masuk/", {"username": "penyusun", "password": "salah"})
    r = c.post("/masuk/", {"username": "penyusun", "password": "kata-sandi-uji-1"})
    assert r.status_code == 429
    assert "Terlalu banyak percobaan" in r.content.decode()
    assert "_auth_user_id" not in c.session


def test_passwords_are_hashed_with_argon2(world):
    assert world["penyusun"].password.startswith("argon2")


def test_login_next_is_never_another_site(world):
    c = Client()
    r = c.post("/masuk/?next=https://jahat.example/", {"username": "penyusun", "password": "kata-sandi-uji-1"})
    assert r["Location"] == "/"


def test_security_headers_and_cookie_flags(world, settings):
    r = Client().get("/masuk/")
    csp = r["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert r["X-Frame-Options"] == "SAMEORIGIN"
    assert settings.SESSION_COOKIE_HTTPONLY and settings.CSRF_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE  # RENSTRA_HTTPS not "0" here
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE and settings.SESSION_COOKIE_AGE <= 8 * 3600
    # no inline script anywhere in a page: every <script> has a src
    html = r.content.decode()
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []


def test_logout_needs_post(world, login):
    c = login(world["penyusun"])
    assert c.get("/keluar/").status_code == 405
    assert c.post("/keluar/").status_code == 302
    assert c.get("/").status_code == 302


# ---------------------------------------------------------------- office list and the office boundary

def test_office_list_per_role(world, login):
    c = login(world["penyusun"])
    html = c.get("/").content.decode()
    assert "/k/demo/" in html and "/k/lain/" not in html
    c = login(world["verifikator"], Client())
    html = c.get("/").content.decode()
    assert "/k/demo/" in html and "/k/lain/" in html and "baca saja" in html
    c = login(world["admin"], Client())
    assert "/kantor/baru/" in c.get("/").content.decode()


def test_anonymous_is_sent_to_login(world):
    r = Client().get("/k/demo/")
    assert r.status_code == 302 and r["Location"].startswith("/masuk/")


def _office_urls():
    """Every URL pattern under /k/<slug>/ of the URL map, as a path template."""
    out = []

    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                route = prefix + str(p.pattern)
                if "<slug:slug>" in route:
                    out.append(route)
    walk(get_resolver().url_patterns)
    return out


def test_url_map_has_the_office_views():
    routes = _office_urls()
    assert len(routes) >= 12
    assert "k/<slug:slug>/tabel-6-2/" in routes


@pytest.mark.parametrize("who", ["orang_lain", "kepala_lain"])
def test_an_account_of_another_office_gets_403_or_404_on_every_url(world, login, who, settings):
    """Walk the URL map (not a sample): every office URL, GET and POST, for the first office."""
    demo = world["demo"]
    job = Job.objects.create(office=demo, kind="renstra", params={}, state=Job.State.DONE,
                             files=["renstra-dinsos-belu-2021-2026.pdf"], commit=engine.head(demo.content))
    (job.folder).mkdir(parents=True)
    (job.folder / "renstra-dinsos-belu-2021-2026.pdf").write_bytes(b"%PDF-1.7 rahasia")
    token = "a" * 32  # an uploaded workbook waiting for its confirmation
    (demo.folder / "unggahan").mkdir()
    (demo.folder / "unggahan" / f"{token}.xlsx").write_bytes(b"PK rahasia")
    c = login(world[who])
    head = engine.head(demo.content)
    before = git_log(demo)
    checked = 0
    for route in _office_urls():
        url = "/" + route.replace("<slug:slug>", "demo").replace("<uuid:job_id>", str(job.pk)) \
            .replace("<str:name>", "renstra-dinsos-belu-2021-2026.pdf").replace("<str:token>", token)
        url = url.replace("<str:kode>", "renstra").replace("<int:pk>", "1").replace("<str:nama>", "ajukan") \
            .replace("<str:fmt>", "xlsx")  # the review pages (issue 31)
        assert "<" not in url, url
        for method in ("get", "post"):
            data = {"base": "", "versi": head, "kode": "1.06.01.2.01.0001", "kegiatan": "0.0", "baris": SUB,
                    "jenis": "renstra", "q": "anak", f"p-{SUB}-2026": "1"}
            r = getattr(c, method)(url, data)
            assert r.status_code in (403, 404), (method, url, r.status_code)
            assert b"rahasia" not in r.content
            checked += 1
    assert checked == 2 * len(_office_urls())
    assert git_log(demo) == before
    assert Job.objects.filter(office=demo).count() == 1


def test_kepala_and_verifikator_read_but_cannot_write(world, login):
    for who in ("verifikator", "kepala"):
        c = login(world[who], Client())
        html = c.get(GRID).content.decode()
        assert 'readonly' in html and 'id="simpan"' not in html and "Baca saja" in html
        form = grid_form(c)
        form[f"p-{SUB}-2026"] = "1.500.000"
        assert c.post(GRID, form).status_code == 403
        assert c.post("/k/demo/build/", {"jenis": "renstra"}).status_code == 403
        assert c.get("/k/demo/tabel-6-2/cari/", {"q": "anak"}).status_code == 403
        assert c.get("/k/demo/riwayat/").status_code == 200
    assert len(git_log(world["demo"])) == 1


# ---------------------------------------------------------------- the grid: save, totals, findings

def test_grid_shows_the_tree_with_computed_totals(world, login):
    c = login(world["penyusun"])
    r = c.get(GRID)
    html = r.content.decode()
    assert r.status_code == 200
    assert "JUMLAH" in html and "1.06.01.2.01.01" in html
    grid = engine.program_grid(world["demo"].content)
    total = next(x for x in grid.rows if x.level == "jumlah")
    assert f'data-total="jumlah" data-year="2026">{total.pagu[2026]}<' in html
    assert "Temuan pemeriksaan" in html


def test_save_one_pagu_cell_commits_one_line_by_the_person(world, login):
    demo = world["demo"]
    c = login(world["penyusun"])
    before = engine.program_grid(demo.content)
    form = grid_form(c)
    assert form[f"p-{SUB}-2026"] == "17.000.000"
    form[f"p-{SUB}-2026"] = "1.500.000"
    r = c.post(GRID, form)
    assert r.status_code == 302
    diff = engine.git(demo.content, "show", "--format=", "--numstat", "HEAD").split()
    assert diff[:2] == ["1", "1"] and diff[2] == "tabel/program-pendanaan.yaml"
    shown = engine.git(demo.content, "show", "--format=", "-U0", "HEAD")
    assert "+            pagu: {2022: 15000000, 2023: 15000000, 2024: 15000000, 2025: 16101246, 2026: 1500000}" in shown
    author, message = git_log(demo)[0].split("|")
    assert author == "Ani Penyusun <penyusun@contoh.go.id>"
    assert message == "Tabel 6.2: pagu 2026 1.06.01.2.01.01: 17.000.000 → 1.500.000"
    after = engine.program_grid(demo.content)
    for key in ("0.0", "0", ""):  # kegiatan, program, JUMLAH all 15.500.000 less
        old = next(x for x in before.rows if x.key == key).pagu[2026]
        new = next(x for x in after.rows if x.key == key).pagu[2026]
        assert engine.parse_angka(old) - engine.parse_angka(new) == 15_500_000
    html = c.get(GRID).content.decode()
    assert "Tersimpan." in html and "1.500.000" in html
    assert Event.objects.filter(action="simpan", office="demo").exists()


def test_text_cells_and_targets_save_with_indonesian_numbers(world, login):
    demo = world["demo"]
    c = login(world["penyusun"])
    form = grid_form(c)
    form[f"t-{SUB}-2026"] = "85,5"
    form[f"l-{SUB}"] = "Atambua dan Kakuluk Mesak"
    assert c.post(GRID, form).status_code == 302
    text = (demo.content / "tabel/program-pendanaan.yaml").read_text()
    assert "2026: \"85,5\"}" in text and "lokasi: Atambua dan Kakuluk Mesak" in text
    assert 'value="85,5"' in c.get(GRID).content.decode()


def test_a_cell_that_is_not_a_number_is_refused_and_kept(world, login):
    demo = world["demo"]
    c = login(world["penyusun"])
    form = grid_form(c)
    form[f"p-{SUB}-2026"] = "satu juta"
    r = c.post(GRID, form)
    assert r.status_code == 422
    html = r.content.decode()
    assert "bukan angka" in html and 'value="satu juta"' in html
    assert len(git_log(demo)) == 1


def test_script_typed_into_a_cell_renders_as_text(world, login):
    c = login(world["penyusun"])
    form = grid_form(c)
    form[f"i-{SUB}"] = '<script>alert("x")</script>'
    assert c.post(GRID, form).status_code == 302
    html = c.get(GRID).content.decode()
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    home = c.get("/k/demo/").content.decode()
    assert "<script>alert" not in home


def test_post_without_csrf_token_is_refused(world):
    c = Client(enforce_csrf_checks=True)
    c.force_login(world["penyusun"])
    form = grid_form(c)
    form[f"p-{SUB}-2026"] = "1.500.000"
    r = c.post(GRID, form)
    assert r.status_code == 403
    assert len(git_log(world["demo"])) == 1
    assert c.post("/k/demo/build/", {"jenis": "renstra"}).status_code == 403
    assert Job.objects.count() == 0


def test_stale_save_is_refused_with_what_the_other_changed_and_nothing_lost(world, login):
    demo = world["demo"]
    ani = login(world["penyusun"], Client())
    budi = login(world["penyusun2"], Client())
    form_ani, form_budi = grid_form(ani), grid_form(budi)
    form_ani[f"p-{SUB}-2026"] = "1.500.000"
    assert ani.post(GRID, form_ani).status_code == 302
    form_budi["p-0.0.1-2026"] = "2.750.000"  # another cell of the same table, from the old version
    r = budi.post(GRID, form_budi)
    assert r.status_code == 409
    html = r.content.decode()
    assert "Simpanan ditolak" in html and "Ani Penyusun" in html
    assert "pagu 2026 1.06.01.2.01.01" in html  # what the other person changed (their commit message)
    assert 'value="2.750.000"' in html  # the refused edit is still on the screen, marked as Budi's
    assert re.search(r'name="p-0\.0\.1-2026" value="2\.750\.000"[^>]*class="angka pagu milik', html)
    assert re.search(rf'name="p-{re.escape(SUB)}-2026" value="1\.500\.000"', html)  # Ani's value shown, not Budi's old one
    text = (demo.content / "tabel/program-pendanaan.yaml").read_text()
    assert "2026: 1500000}" in text and "2750000" not in text
    assert len(git_log(demo)) == 2
    # re-applying from the refreshed form saves Budi's edit on top of Ani's
    again = dict(re.findall(r'<input name="([pitl]-[^"]+)" value="([^"]*)"', html))
    again = {k: _unescape(v) for k, v in again.items()}
    again["base"] = re.search(r'name="base" value="([0-9a-f]*)"', html).group(1)
    assert budi.post(GRID, again).status_code == 302
    text = (demo.content / "tabel/program-pendanaan.yaml").read_text()
    assert "2026: 1500000}" in text and "2026: 2750000}" in text


def test_two_people_editing_different_tables_both_save(world, login):
    """A save of another file (here: a commit made by someone else) does not make the grid stale."""
    demo = world["demo"]
    c = login(world["penyusun"])
    form = grid_form(c)
    (demo.content / "bab/8-penutup.md").write_text("# PENUTUP\n\nDiubah orang lain.\n")
    engine.commit_all(demo.content, ("Budi Penyusun", "budi@contoh.go.id"), "BAB VIII")
    form[f"p-{SUB}-2026"] = "1.500.000"
    assert c.post(GRID, form).status_code == 302
    assert len(git_log(demo)) == 3


def test_findings_link_to_their_row(world, login):
    c = login(world["penyusun"])
    form = grid_form(c)
    form[f"t-{SUB}-2026"] = "abc"  # a target that is not a number: a finding on that row
    c.post(GRID, form)
    html = c.get(GRID).content.decode()
    assert f'href="/k/demo/tabel-6-2/#baris-{SUB}"' in html
    assert f'id="baris-{SUB}"' in html


# ---------------------------------------------------------------- nomenclature search, add, remove

def test_search_add_and_remove_a_sub_kegiatan(world, login):
    demo = world["demo"]
    c = login(world["penyusun"])
    r = c.get("/k/demo/tabel-6-2/cari/", {"q": "1.06.01.2.01"})
    html = r.content.decode()
    assert r.status_code == 200
    assert "1.06.01.2.01.0006" in html  # not in the default content yet
    assert "Tambah ke 1.06.01.2.01." in html
    base = grid_form(c)["base"]
    r = c.post("/k/demo/tabel-6-2/tambah/", {"kode": "1.06.01.2.01.0006", "kegiatan": "0.0", "base": base})
    assert r.status_code == 302
    grid = engine.program_grid(demo.content)
    added = [x for x in grid.rows if x.kode == "1.06.01.2.01.0006"]
    assert added and added[0].key == "0.0.5" and added[0].indikator
    assert "tambah sub kegiatan 1.06.01.2.01.0006" in git_log(demo)[0]
    assert "sudah ada di tabel" in c.get("/k/demo/tabel-6-2/cari/", {"q": "1.06.01.2.01"}).content.decode()
    base = grid_form(c)["base"]
    assert c.post("/k/demo/tabel-6-2/hapus/", {"baris": "0.0.5", "base": base}).status_code == 302
    assert not [x for x in engine.program_grid(demo.content).rows if x.kode == "1.06.01.2.01.0006"]
    assert engine.git(demo.content, "diff", "HEAD~2", "HEAD") == ""  # removed exactly what was added


def test_search_needs_two_letters_and_escapes_the_query(world, login):
    c = login(world["penyusun"])
    html = c.get("/k/demo/tabel-6-2/cari/", {"q": "<b>x"}).content.decode()
    assert "<b>x" not in html


# ---------------------------------------------------------------- jobs

def test_build_job_runs_and_its_files_download(world, login):
    c = login(world["penyusun"])
    r = c.post("/k/demo/build/", {"jenis": "renstra"})
    assert r.status_code == 302
    job = Job.objects.get()
    assert r["Location"] == f"/k/demo/pekerjaan/{job.pk}/"
    assert job.state == Job.State.DONE, job.findings
    assert sorted(job.files) == ["renstra-dinsos-belu-2021-2026-tabel.xlsx", "renstra-dinsos-belu-2021-2026.docx"]
    html = c.get(r["Location"]).content.decode()
    assert "Selesai" in html and "renstra-dinsos-belu-2021-2026.docx" in html
    r = c.get(f"/k/demo/pekerjaan/{job.pk}/unduh/renstra-dinsos-belu-2021-2026.docx")
    assert r.status_code == 200 and b"".join(r.streaming_content)[:2] == b"PK"
    assert c.get(f"/k/demo/pekerjaan/{job.pk}/unduh/..%2Fkonten%2Frenstra.yaml").status_code == 404
    assert c.get(f"/k/demo/pekerjaan/{job.pk}/pratinjau/").status_code == 404  # no PDF in this job
    assert c.get(f"/k/demo/pekerjaan/{job.pk}/status/").status_code == 200
    assert c.get(f"/k/demo/pekerjaan/{uuid.uuid4()}/").status_code == 404
    assert set(Event.objects.values_list("action", flat=True)) >= {"build", "unduh"}
    assert "Renstra" in c.get("/k/demo/").content.decode()


def test_a_failed_build_shows_its_findings(world, login):
    demo = world["demo"]
    text = (demo.content / "tabel/program-pendanaan.yaml").read_text()
    # a negative pagu (written outside the workspace, which refuses it): the content cannot be built
    (demo.content / "tabel/program-pendanaan.yaml").write_text(text.replace("2026: 17000000}", "2026: -5}", 1))
    engine.commit_all(demo.content, ("Ani", "ani@contoh.go.id"), "salah")
    c = login(world["penyusun"])
    c.post("/k/demo/build/", {"jenis": "renstra"})
    job = Job.objects.get()
    assert job.state == Job.State.FAILED
    html = c.get(f"/k/demo/pekerjaan/{job.pk}/").content.decode()
    assert "Gagal" in html and "tabel/program-pendanaan.yaml" in html


def test_renja_job_and_bad_year(world, login):
    c = login(world["penyusun"])
    assert c.post("/k/demo/build/", {"jenis": "renja", "tahun": "x"}).status_code == 302
    assert Job.objects.count() == 0
    assert c.post("/k/demo/build/", {"jenis": "nakal"}).status_code == 302
    assert Job.objects.count() == 0


# ---------------------------------------------------------------- history, restore, perubahan

def test_history_restore_and_perubahan(world, login):
    demo = world["demo"]
    c = login(world["penyusun"])
    first = engine.head(demo.content)
    form = grid_form(c)
    form[f"p-{SUB}-2026"] = "1.500.000"
    c.post(GRID, form)
    html = c.get("/k/demo/riwayat/").content.decode()
    assert "Ani Penyusun" in html and "pagu 2026 1.06.01.2.01.01" in html
    r = c.post("/k/demo/build/", {"jenis": "perubahan", "lama": first, "baru": engine.head(demo.content)})
    job = Job.objects.get(kind="perubahan")
    assert job.state == Job.State.DONE, job.findings
    assert any("17.000.000 -> 1.500.000" in line for line in job.changes)
    assert any(f.endswith("-perubahan.docx") for f in job.files)
    assert "17.000.000 -&gt; 1.500.000" in c.get(r["Location"]).content.decode()
    assert c.post("/k/demo/riwayat/pulihkan/", {"versi": first}).status_code == 302
    assert "Pulihkan versi" in git_log(demo)[0]
    assert len(git_log(demo)) == 3
    assert "2026: 17000000}" in (demo.content / "tabel/program-pendanaan.yaml").read_text()
    assert c.post("/k/demo/riwayat/pulihkan/", {"versi": "bukan-versi"}).status_code == 302
    assert len(git_log(demo)) == 3


# ---------------------------------------------------------------- admin: new office

def test_admin_creates_an_office_with_init(world, login):
    from renstra_gen.web.kantor.models import Office

    c = login(world["admin"])
    assert c.get("/kantor/baru/").status_code == 200
    r = c.post("/kantor/baru/", {"perangkat_daerah": "Dinas Pemberdayaan Perempuan dan Perlindungan Anak",
                                 "singkatan": "dp3a", "daerah": "Kabupaten Contoh", "periode": "2025-2029",
                                 "bidang": ["2.08"]})
    assert r.status_code == 302 and r["Location"] == "/k/dp3a/"
    office = Office.objects.get(slug="dp3a")
    assert (office.content / "renstra.yaml").is_file()
    assert len(git_log(office)) == 1 and "Admin Bappeda" in git_log(office)[0]
    assert c.get("/k/dp3a/tabel-6-2/").status_code == 200
    r = c.post("/kantor/baru/", {"perangkat_daerah": "X", "singkatan": "dp3a", "daerah": "Y", "periode": "2025-2029",
                                 "bidang": ["2.08"]})
    assert "sudah dipakai" in r.content.decode()


def test_only_the_admin_creates_offices_and_opens_admin_pages(world, login):
    c = login(world["penyusun"])
    assert c.get("/kantor/baru/").status_code == 403
    assert c.post("/kantor/baru/", {}).status_code == 403
    assert c.get("/admin/").status_code == 302  # Django admin: staff only
    c = login(world["admin"], Client())
    assert c.get("/admin/audit/event/").status_code == 200


# ---------------------------------------------------------------- Excel in the loop

@pytest.fixture
def workbook(world, tmp_path):
    """The Renstra workbook of the demo office with one pagu cell edited (Tabel 6.2!I8: 2022 of 1.06.01.2.01.01)."""
    from openpyxl import load_workbook

    out = tmp_path / "hasil"
    result = engine.build_renstra(world["demo"].content, out, pdf=False, draft=False)
    book = next(p for p in result.files if p.name.endswith("-tabel.xlsx"))
    wb = load_workbook(book)
    wb["Tabel 6.2"]["I8"] = 15500000
    wb.save(tmp_path / "diubah.xlsx")
    return tmp_path / "diubah.xlsx"


def _import_job(c, r):
    """The job page an upload or an apply redirected to (the tests' queue runs the job at once)."""
    from renstra_gen.web.jobs.models import Job

    assert r.status_code == 302 and re.fullmatch(r"/k/demo/pekerjaan/[0-9a-f-]{36}/", r["Location"]), r
    job = Job.objects.get(pk=r["Location"].split("/")[-2])
    assert job.kind == "impor"
    return job, c.get(r["Location"]).content.decode()


def test_excel_upload_dry_run_then_one_commit_both_on_the_queue(world, login, workbook, monkeypatch):
    demo = world["demo"]
    c = login(world["penyusun"])
    assert c.get("/k/demo/impor/").status_code == 200
    before = (demo.content / "tabel/program-pendanaan.yaml").read_bytes()
    # nothing of the workbook is read in the request: the dry run is the job's
    from renstra_gen.web.jobs import tasks
    queued = []
    monkeypatch.setattr(tasks, "enqueue", queued.append)
    monkeypatch.setattr(engine, "import_workbook", lambda *a, **k: pytest.fail("read in the request"))
    with open(workbook, "rb") as fh:
        r = c.post("/k/demo/impor/", {"buku": fh})
    job, _ = _import_job(c, r)
    assert queued == [job] and job.state == "antre" and job.params["terapkan"] is False
    stored = demo.folder / "unggahan" / f"{job.params['token']}.xlsx"
    assert stored.read_bytes() == workbook.read_bytes() and not list(stored.parent.glob(".*.part"))
    monkeypatch.undo()
    tasks.run_job.call(str(job.pk))  # the worker
    job.refresh_from_db()
    html = c.get(f"/k/demo/pekerjaan/{job.pk}/").content.decode()
    assert job.state == "selesai" and job.findings == []
    assert "1.06.01.2.01.01 pagu 2022: 15.000.000 → 15.500.000 (Tabel 6.2!I8)" in html
    assert (demo.content / "tabel/program-pendanaan.yaml").read_bytes() == before  # a dry run writes nothing
    action = re.search(r'action="(/k/demo/impor/[0-9a-f]{32}/terapkan/)"', html).group(1)
    head = re.search(r'name="head" value="([0-9a-f]+)"', html).group(1)
    # a reader sees the change list but no apply button
    from django.test import Client
    assert "terapkan" not in login(world["verifikator"], Client()).get(f"/k/demo/pekerjaan/{job.pk}/").content.decode()
    applied, page = _import_job(c, c.post(action, {"head": head, "nama": "diubah.xlsx"}))
    assert applied.state == "selesai" and 'id="impor-diterapkan"' in page and "1 perubahan dari diubah.xlsx" in page
    assert "pagu: {2022: 15500000," in (demo.content / "tabel/program-pendanaan.yaml").read_text()
    log = git_log(demo)
    assert len(log) == 2 and log[0] == "Ani Penyusun <penyusun@contoh.go.id>|Impor Excel diubah.xlsx: 1 perubahan"
    assert applied.commit == engine.head(demo.content)
    assert c.post(action, {"head": engine.head(demo.content)}).status_code == 404  # used once
    assert Event.objects.filter(action="impor", username="penyusun").exists()
    assert Event.objects.filter(action="impor-coba").exists() and Event.objects.filter(action="impor-terapkan").exists()


def test_an_apply_retried_after_its_worker_died_does_not_apply_twice(world, login, workbook):
    """The queue runs a job again when its worker died; the commit was made: the retry finds nothing left."""
    from renstra_gen.web.jobs import tasks
    from renstra_gen.web.jobs.models import Job

    demo = world["demo"]
    c = login(world["penyusun"])
    with open(workbook, "rb") as fh:
        job, html = _import_job(c, c.post("/k/demo/impor/", {"buku": fh}))
    token, head = job.params["token"], job.commit
    applied, _ = _import_job(c, c.post(f"/k/demo/impor/{token}/terapkan/", {"head": head, "nama": "diubah.xlsx"}))
    assert len(git_log(demo)) == 2
    # as if the worker died after committing: the upload is still there, the job not marked finished
    (demo.folder / "unggahan" / f"{token}.xlsx").write_bytes(workbook.read_bytes())
    Job.objects.filter(pk=applied.pk).update(state="berjalan", attempts=1)
    tasks.run_job.call(str(applied.pk))
    applied.refresh_from_db()
    assert applied.state == "selesai" and applied.attempts == 2 and "percobaan sebelumnya" in applied.progress
    assert len(git_log(demo)) == 2  # no second commit
    tasks.run_job.call(str(applied.pk))  # and a finished job is not run again
    assert Job.objects.get(pk=applied.pk).attempts == 2


def test_excel_upload_on_a_moved_version_is_refused(world, login, workbook):
    demo = world["demo"]
    c = login(world["penyusun"])
    with open(workbook, "rb") as fh:
        job, html = _import_job(c, c.post("/k/demo/impor/", {"buku": fh}))
    action = re.search(r'action="(/k/demo/impor/[0-9a-f]{32}/terapkan/)"', html).group(1)
    head = re.search(r'name="head" value="([0-9a-f]+)"', html).group(1)
    (demo.content / "bab/8-penutup.md").write_text("# PENUTUP\n\nx\n")
    engine.commit_all(demo.content, ("Budi", "budi@contoh.go.id"), "BAB VIII")
    r = c.post(action, {"head": head})
    assert r.status_code == 302 and r["Location"] == "/k/demo/impor/"
    assert "15500000" not in (demo.content / "tabel/program-pendanaan.yaml").read_text()


def test_excel_upload_limits_are_checked_before_reading(world, login, settings, tmp_path):
    c = login(world["penyusun"])
    settings.UPLOAD_MAX_BYTES = 100
    big = tmp_path / "besar.xlsx"
    big.write_bytes(b"x" * 1000)
    with open(big, "rb") as fh:
        r = c.post("/k/demo/impor/", {"buku": fh})
    assert r.status_code == 422 and "terlalu besar" in r.content.decode()
    r = c.post("/k/demo/impor/", {"buku": "x"}, CONTENT_LENGTH=str(200 * 1024 * 1024))
    assert r.status_code == 413  # refused from the declared length, before the body is parsed
    from renstra_gen.web.jobs.models import Job
    assert not Job.objects.exists()
    settings.UPLOAD_MAX_BYTES = 10 * 1024 * 1024
    bad = tmp_path / "bukan.xlsx"
    bad.write_bytes(b"bukan zip")
    with open(bad, "rb") as fh:
        job, html = _import_job(c, c.post("/k/demo/impor/", {"buku": fh}))
    assert job.state == "gagal" and job.progress == "Tidak dapat diimpor" and "Traceback" not in html
    assert job.findings and job.findings[0]["file"] == "bukan.xlsx" and job.findings[0]["severity"] == "galat"
    assert "bukan.xlsx" in html and "Temuan (1)" in html and "terapkan" not in html
    assert not list((world["demo"].folder / "unggahan").glob("*"))
    assert len(git_log(world["demo"])) == 1


def test_a_hostile_workbook_gives_findings_on_the_job_page_never_a_traceback(world, login, tmp_path):
    """A zip bomb (a 1 MB sheet of 1 GB) and a workbook whose name carries markup: findings, escaped."""
    from pathlib import Path

    from tests.bombs import xlsx_zip_bomb

    book = Path(xlsx_zip_bomb(tmp_path / "x")[1])
    c = login(world["penyusun"])
    with open(book, "rb") as fh:
        data = fh.read()
    from django.core.files.uploadedfile import SimpleUploadedFile
    up = SimpleUploadedFile("<img src=x onerror=alert(1)>.xlsx", data)
    job, html = _import_job(c, c.post("/k/demo/impor/", {"buku": up}))
    assert job.state == "gagal" and job.findings and all(f["severity"] == "galat" for f in job.findings)
    assert "Traceback" not in html and "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;.xlsx — galat: buku kerja terlalu besar setelah diurai" in html
    assert len(git_log(world["demo"])) == 1


def test_the_import_job_and_its_apply_follow_the_office_and_the_role(world, login, workbook):
    from django.test import Client

    c = login(world["penyusun"])
    with open(workbook, "rb") as fh:
        job, html = _import_job(c, c.post("/k/demo/impor/", {"buku": fh}))
    token = job.params["token"]
    for who in ("verifikator", "kepala"):  # read-only roles: 403, nothing queued
        o = login(world[who], Client())
        with open(workbook, "rb") as fh:
            assert o.post("/k/demo/impor/", {"buku": fh}).status_code == 403
        assert o.post(f"/k/demo/impor/{token}/terapkan/", {"head": job.commit}).status_code == 403
        assert o.get(f"/k/demo/pekerjaan/{job.pk}/").status_code == 200
    o = login(world["orang_lain"], Client())  # another office: 404 everywhere
    assert o.get(f"/k/demo/pekerjaan/{job.pk}/").status_code == 404
    assert o.post(f"/k/demo/impor/{token}/terapkan/", {"head": job.commit}).status_code == 404
    assert o.get(f"/k/lain/pekerjaan/{job.pk}/").status_code == 404  # the job is not the other office's
    from renstra_gen.web.jobs.models import Job
    assert Job.objects.count() == 1 and len(git_log(world["demo"])) == 1


# ---------------------------------------------------------------- renstra.yaml as a form

def test_identity_form_saves_the_changed_fields_only(world, login):
    demo = world["demo"]
    c = login(world["penyusun"])
    html = c.get("/k/demo/identitas/").content.decode()
    assert 'value="Maria Sabina Mau Taek, SP"' in html
    base = re.search(r'name="base" value="([0-9a-f]+)"', html).group(1)
    fields = dict(re.findall(r'name="([a-z_.]+)" value="([^"]*)"', html))
    fields = {k: _unescape(v) for k, v in fields.items()}
    fields["kepala.nama"] = "Yohanes Bere, S.Sos"
    fields["base"] = base
    assert c.post("/k/demo/identitas/", fields).status_code == 302
    shown = engine.git(demo.content, "show", "--format=%an|%s", "-U0", "HEAD")
    assert shown.startswith("Ani Penyusun|Identitas: Nama kepala: Yohanes Bere, S.Sos")
    assert "@@ -18 +18 @@ kepala:\n-  nama: Maria Sabina Mau Taek, SP\n+  nama: \"Yohanes Bere, S.Sos\"\n" in shown
    fields["kepala.nama"] = "Orang Lain"  # the same form again: its base is stale now
    r = c.post("/k/demo/identitas/", fields)
    assert r.status_code == 409 and 'value="Orang Lain"' in r.content.decode()
    c = login(world["verifikator"], Client())
    html = c.get("/k/demo/identitas/").content.decode()
    assert "readonly" in html and "Baca saja" in html
    assert c.post("/k/demo/identitas/", fields).status_code == 403


def test_identity_form_refuses_what_the_loader_refuses(world, login):
    c = login(world["penyusun"])
    html = c.get("/k/demo/identitas/").content.decode()
    fields = {k: _unescape(v) for k, v in re.findall(r'name="([a-z_.]+)" value="([^"]*)"', html)}
    fields["base"] = re.search(r'name="base" value="([0-9a-f]+)"', html).group(1)
    fields["penetapan.tanggal"] = "kemarin"
    r = c.post("/k/demo/identitas/", fields)
    assert r.status_code == 422 and "renstra.yaml" in r.content.decode()
    assert len(git_log(world["demo"])) == 1


# ---------------------------------------------------------------- narrative editor with preview

def test_narrative_editor_previews_with_bound_figures_and_saves(world, login):
    demo = world["demo"]
    c = login(world["penyusun"])
    rel = "bab/2-gambaran-pelayanan.md"
    html = c.get("/k/demo/naskah/", {"berkas": rel}).content.decode()
    assert "GAMBARAN PELAYANAN PERANGKAT DAERAH" in html
    base = re.search(r'name="base" value="([0-9a-f]+)"', html).group(1)
    text = (demo.content / rel).read_text() + '\nJumlah pegawai: {{ data("pegawai-jenis-kelamin").total | angka }} orang. <script>x()</script>\n'
    r = c.post(f"/k/demo/naskah/?berkas={rel}", {"teks": text, "base": base, "aksi": "pratinjau"})
    html = r.content.decode()
    assert r.status_code == 200
    assert re.search(r"Jumlah pegawai: [0-9.]+ orang\. &lt;script&gt;x\(\)&lt;/script&gt;", html)
    assert "[Tabel: pegawai-jenis-kelamin]" in html or "[Tabel:" in html
    assert len(git_log(demo)) == 1  # a preview saves nothing
    r = c.post(f"/k/demo/naskah/?berkas={rel}", {"teks": text, "base": base, "aksi": "simpan"})
    assert r.status_code == 302
    assert (demo.content / rel).read_text() == text
    assert git_log(demo)[0] == f"Ani Penyusun <penyusun@contoh.go.id>|Naskah: {rel}"
    r = c.post(f"/k/demo/naskah/?berkas={rel}", {"teks": "lama", "base": base, "aksi": "simpan"})
    assert r.status_code == 409 and "Ani Penyusun" in r.content.decode()
    assert c.get("/k/demo/naskah/", {"berkas": "renstra.yaml"}).status_code == 404
    assert c.get("/k/demo/naskah/", {"berkas": "../../secret-key"}).status_code == 404
