"""Review rounds (issue 31): every role x state x action of the transition table, the content frozen while
submitted, notes anchored and exported, the record that prints the Halaman Verifikasi, the signed PDF."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pytest

from renstra_gen.web.tinjauan.alur import ALUR
from renstra_gen.web.tinjauan.models import Catatan, Dokumen, Peralihan, ProfilPemeriksa, Status

pytestmark = pytest.mark.django_db

ROLES = ["admin", "penyusun", "verifikator", "kepala", "orang_lain", "kepala_lain"]


@pytest.fixture(autouse=True)
def no_builds(monkeypatch):
    """Approval queues the final PDF build; here the queue only records it (the browser test builds it)."""
    queued = []
    monkeypatch.setattr("renstra_gen.web.jobs.tasks.enqueue", queued.append)
    return queued


def _url(doc, action: str, note: Catatan | None) -> tuple[str, dict]:
    base = f"/k/{doc.office.slug}/tinjauan/{doc.kode}/"
    if action.startswith("catatan_") and action != "catatan_tambah":
        return f"{base}catatan/{note.pk}/{action[8:]}/", {"jawaban": "sudah diperbaiki"}
    return {
        "catatan_tambah": (f"{base}catatan/", {"letak": "umum|", "isi": "catatan uji"}),
        "tandatangani": (f"{base}ttd/", {}),
        "tandatangani_server": (f"{base}ttd-server/", {}),
        "susun_pdf": (f"{base}susun-pdf/", {}),
        "susun_ba": (f"{base}susun-berita-acara/", {}),
    }.get(action, (f"{base}aksi/{action}/", {}))


def _snapshot(doc):
    from renstra_gen.web.jobs.models import Job

    d = Dokumen.objects.get(pk=doc.pk)
    return (d.status, d.ronde, d.commit, d.pdf_job_id, d.ttd_berkas, Peralihan.objects.count(), Job.objects.count(),
            sorted(Catatan.objects.values_list("pk", "ronde", "keadaan", "jawaban")))


def test_every_role_state_and_action_of_the_table(world, client):
    """Each role (and accounts of another office) x each state x each action: what the table allows
    happens (or is refused by its own condition, never with 403); everything else is 403/404 and changes nothing."""
    office = world["demo"]
    seen = {"allowed": 0, "forbidden": 0}
    for state in Status.values:
        for action, spec in ALUR.items():
            for role in ROLES:
                Dokumen.objects.all().delete()
                doc = Dokumen.objects.create(office=office, jenis="renstra", status=state, ronde=1, commit="a" * 40)
                keadaan = Catatan.Keadaan.TERBUKA if action in ("kembalikan", "catatan_jawab") else Catatan.Keadaan.DIJAWAB
                note = Catatan.objects.create(dokumen=doc, ronde=1, jangkar="umum", isi="x", nama="v", keadaan=keadaan)
                before = _snapshot(doc)
                client.force_login(world[role])
                url, data = _url(doc, action, note)
                r = client.post(url, data)
                user_role = {"orang_lain": "penyusun", "kepala_lain": "kepala"}.get(role, role)
                other_office = role in ("orang_lain", "kepala_lain")
                ok = state in spec.dari and user_role in spec.peran and not other_office
                where = f"{role} {state} {action}: {r.status_code}"
                if ok:
                    seen["allowed"] += 1
                    assert r.status_code == 302, where
                    after = Dokumen.objects.get(pk=doc.pk)
                    if spec.ke and not action.startswith("tandatangani"):
                        assert after.status == spec.ke, where
                        assert Peralihan.objects.filter(dokumen=doc, aksi=action, ke=spec.ke,
                                                        oleh=world[role]).count() == 1, where
                    elif action.startswith("tandatangani"):  # no file posted: refused by its own check
                        assert _snapshot(doc) == before, where
                    else:
                        assert _snapshot(doc) != before, where
                else:
                    seen["forbidden"] += 1
                    assert r.status_code == (404 if other_office else 403), where
                    assert _snapshot(doc) == before, where
    assert seen["allowed"] == sum(len(a.dari) * len(a.peran) for a in ALUR.values())
    assert seen["forbidden"] > 400


def test_a_submitted_version_cannot_be_edited_until_it_is_returned(world, login):
    office = world["demo"]
    c = login(world["penyusun"])
    before = (office.content / "renstra.yaml").read_bytes()
    assert c.post("/k/demo/tinjauan/renstra/aksi/ajukan/").status_code == 302
    doc = Dokumen.objects.get(office=office, jenis="renstra")
    assert doc.status == Status.DIAJUKAN and doc.ronde == 1
    from renstra_gen.web import engine
    assert doc.commit == engine.head(office.content)
    r = c.post("/k/demo/identitas/", {"nama_kepala": "Orang Baru"})
    assert r.status_code == 403
    assert (office.content / "renstra.yaml").read_bytes() == before
    assert 'id="simpan"' not in c.get("/k/demo/tabel-6-2/").content.decode()  # the grid is read-only
    # the verifikator returns it with a note: the office may edit again
    v = login(world["verifikator"], c.__class__())
    v.post("/k/demo/tinjauan/renstra/catatan/", {"letak": "umum|", "isi": "lengkapi"})
    v.post("/k/demo/tinjauan/renstra/aksi/kembalikan/")
    assert Dokumen.objects.get(pk=doc.pk).status == Status.DIKEMBALIKAN
    from renstra_gen.web.kantor.access import can_write
    assert can_write(world["penyusun"], office)


def test_the_verifikator_cannot_edit_content_in_any_state(world, login):
    v = login(world["verifikator"])
    for state in (Status.DRAF, Status.DIAJUKAN, Status.DIKEMBALIKAN):
        Dokumen.objects.update_or_create(office=world["demo"], jenis="renstra", tahun=0, defaults={"status": state})
        assert v.post("/k/demo/naskah/", {"rel": "bab/bab-1.md", "teks": "x"}).status_code == 403


def test_notes_on_a_paragraph_and_a_row_answered_with_the_commit_and_exported(world, login):
    from renstra_gen.web import engine

    office = world["demo"]
    p = login(world["penyusun"])
    p.post("/k/demo/tinjauan/renstra/aksi/ajukan/")
    anchors = engine.review_anchors(office.content)
    para, row = anchors["paragraf"][5], next(a for a in anchors["baris"] if a.key.count(".") >= 5)
    from django.test import Client
    v = login(world["verifikator"], Client())
    page = v.get("/k/demo/tinjauan/renstra/").content.decode()
    assert f'value="paragraf|{para.key}"' in page and f'value="baris|{row.key}"' in page
    v.post("/k/demo/tinjauan/renstra/catatan/", {"letak": f"paragraf|{para.key}", "isi": "<script>alert(1)</script> realisasi 2025 belum sesuai LKPJ"})
    v.post("/k/demo/tinjauan/renstra/catatan/", {"letak": f"baris|{row.key}", "isi": "=HYPERLINK(\"http://x\") kolom catatan kosong"})
    assert v.post("/k/demo/tinjauan/renstra/catatan/", {"letak": "baris|9.99.99", "isi": "x"}).status_code == 302
    notes = list(Catatan.objects.order_by("pk"))
    assert [(n.jangkar, n.kunci) for n in notes] == [("paragraf", para.key), ("baris", row.key)]
    assert notes[1].label.startswith(row.key)
    page = v.get("/k/demo/tinjauan/renstra/").content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    v.post("/k/demo/tinjauan/renstra/aksi/kembalikan/", {"keterangan": "lihat catatan"})
    # the office cannot resubmit before answering every note
    p.post(f"/k/demo/tinjauan/renstra/catatan/{notes[0].pk}/jawab/", {"jawaban": "sudah disesuaikan"})
    p.post("/k/demo/tinjauan/renstra/aksi/ajukan_ulang/")
    assert Dokumen.objects.get().status == Status.DIKEMBALIKAN
    save = engine.commit_all  # a fix in the content, then the answer names that commit
    (office.content / "bab").mkdir(exist_ok=True)
    (office.content / "catatan-uji.txt").write_text("perbaikan\n")
    fixed = save(office.content, ("Ani", "ani@x"), "perbaikan baris")
    p.post(f"/k/demo/tinjauan/renstra/catatan/{notes[1].pk}/jawab/", {"jawaban": "kolom catatan diisi"})
    n1 = Catatan.objects.get(pk=notes[1].pk)
    assert n1.keadaan == "dijawab" and n1.commit_jawaban == fixed and n1.dijawab_oleh == "Ani Penyusun"
    p.post("/k/demo/tinjauan/renstra/aksi/ajukan_ulang/")
    doc = Dokumen.objects.get()
    assert doc.status == Status.DIAJUKAN_ULANG and doc.ronde == 2 and doc.commit == fixed
    # exports of the round: Indonesian headers, the notes as text (escaped, never a formula)
    r = v.get("/k/demo/tinjauan/renstra/ekspor.xlsx?putaran=2")
    assert r.status_code == 200
    from openpyxl import load_workbook
    ws = load_workbook(io.BytesIO(r.content)).active
    assert [c.value for c in ws[3]] == ["No", "Bagian yang Dicatat", "Catatan Verifikator", "Verifikator", "Keadaan",
                                        "Jawaban Perangkat Daerah", "Versi Jawaban"]
    assert ws["C5"].value.startswith("=HYPERLINK") and ws["C5"].data_type == "s"
    assert ws["F5"].value == "kolom catatan diisi" and ws["G5"].value == fixed[:10]
    with zipfile.ZipFile(io.BytesIO(r.content)) as z:
        assert "<f>" not in z.read("xl/worksheets/sheet1.xml").decode()
    r = v.get("/k/demo/tinjauan/renstra/ekspor.docx?putaran=2")
    from docx import Document
    t = Document(io.BytesIO(r.content)).tables[0]
    assert t.rows[0].cells[2].text == "Catatan Verifikator"
    assert t.rows[1].cells[2].text.startswith("<script>alert(1)</script>")
    assert "Paragraf BAB" in t.rows[1].cells[1].text
    # the verifier settles the answers by verifying; the kepala approves and the final PDF is queued
    v.post("/k/demo/tinjauan/renstra/aksi/verifikasi/")
    assert set(Catatan.objects.values_list("keadaan", flat=True)) == {"ditutup"}
    k = login(world["kepala"], Client())
    k.post("/k/demo/tinjauan/renstra/aksi/setujui/")
    doc = Dokumen.objects.get()
    assert doc.status == Status.DISETUJUI and doc.pdf_job.commit == fixed
    assert [p.aksi for p in doc.peralihan.all()] == ["ajukan", "kembalikan", "ajukan_ulang", "verifikasi", "setujui"]


def test_the_record_names_the_verifiers_from_their_accounts_and_the_verification_date(world, login, no_builds,
                                                                                      django_capture_on_commit_callbacks):
    ProfilPemeriksa.objects.create(user=world["verifikator"], nama="Vera Verifikator, S.E., M.Si",
                                   nip="19900101 201501 2 001", jabatan="Perencana Ahli Muda", unit="Bappeda")
    login(world["penyusun"]).post("/k/demo/tinjauan/renja-2024/aksi/ajukan/")
    from django.test import Client
    v = login(world["verifikator"], Client())
    v.post("/k/demo/tinjauan/renja-2024/aksi/verifikasi/")
    with django_capture_on_commit_callbacks(execute=True):
        login(world["kepala"], Client()).post("/k/demo/tinjauan/renja-2024/aksi/setujui/")
    doc = Dokumen.objects.get(jenis="renja", tahun=2024)
    record = doc.pdf_job.params["verifikasi"]
    verified = doc.peralihan.get(aksi="verifikasi").waktu
    from django.utils import timezone
    assert record == {"tempat": "Atambua", "tanggal": timezone.localtime(verified).date().isoformat(),
                      "verifikator": [{"nama": "Vera Verifikator, S.E., M.Si", "nip": "19900101 201501 2 001",
                                       "jabatan": "Perencana Ahli Muda", "unit": "Bappeda"}]}
    assert doc.pdf_job.kind == "renja" and doc.pdf_job.params["tahun"] == 2024 and no_builds == [doc.pdf_job]  # queued once the approval is committed
    from renstra_gen.web import engine
    v = engine.verification_record(record)
    assert v.verifikator[0].nip == "19900101 201501 2 001" and v.tempat == "Atambua"


def _tiny_pdf() -> bytes:
    from pypdf import PdfWriter
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields

    w = PdfWriter()
    w.add_blank_page(595, 842)
    b = io.BytesIO()
    w.write(b)
    iw = IncrementalPdfFileWriter(io.BytesIO(b.getvalue()))
    fields.append_signature_field(iw, fields.SigFieldSpec("TTE_Penutup", box=(100, 100, 300, 160)))
    out = io.BytesIO()
    iw.write(out)
    return out.getvalue()


@pytest.fixture
def approved(world, data, tmp_path):
    """A Renstra approved, its final PDF (a one-page stand-in with an empty field) built, a trust root set."""
    from renstra_gen.web.jobs.models import Job
    from tests.certs import make_ca

    job = Job.objects.create(office=world["demo"], kind="renstra", params={"pdf": True}, state="selesai",
                             files=["final.pdf"])
    job.folder.mkdir(parents=True)
    (job.folder / "final.pdf").write_bytes(_tiny_pdf())
    doc = Dokumen.objects.create(office=world["demo"], jenis="renstra", status=Status.DISETUJUI, ronde=1,
                                 commit="b" * 40, pdf_job=job)
    ca = make_ca()
    (data / "tte-akar").mkdir()
    ca.write_pem(data / "tte-akar" / "akar.pem")
    return {"doc": doc, "ca": ca, "pdf": job.folder / "final.pdf"}


def _signed(approved, tmp_path, cn="Kepala Dinas", pdf=None):
    from renstra_gen.web import engine
    from tests.certs import PASSWORD, make_p12

    p12 = make_p12(approved["ca"], tmp_path / f"{cn}.p12", cn)
    return engine.sign_with_p12(pdf or approved["pdf"].read_bytes(), p12.read_bytes(), PASSWORD)


def test_a_signed_pdf_is_verified_and_stored_as_the_document_of_record(world, login, approved, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile
    k = login(world["kepala"])
    page = k.get("/k/demo/tinjauan/renstra/").content.decode()
    assert 'id="unduh-pdf-final"' in page and "final.pdf" in page
    # unsigned: refused, nothing stored
    r = k.post("/k/demo/tinjauan/renstra/ttd/", {"berkas": SimpleUploadedFile("a.pdf", approved["pdf"].read_bytes())},
               follow=True)
    assert "tidak ada tanda tangan elektronik" in r.content.decode()
    assert Dokumen.objects.get().status == Status.DISETUJUI
    # signed, but another PDF than the approved one: refused
    other = _signed(approved, tmp_path, pdf=_tiny_pdf())
    r = k.post("/k/demo/tinjauan/renstra/ttd/", {"berkas": SimpleUploadedFile("b.pdf", other)}, follow=True)
    assert "bukan PDF final yang disetujui" in r.content.decode()
    assert Dokumen.objects.get().status == Status.DISETUJUI
    # the approved PDF signed: verified, stored, its SHA-256 shown
    signed = _signed(approved, tmp_path)
    r = k.post("/k/demo/tinjauan/renstra/ttd/", {"berkas": SimpleUploadedFile("c.pdf", signed)}, follow=True)
    sha = hashlib.sha256(signed).hexdigest()
    doc = Dokumen.objects.get()
    assert doc.status == Status.DITANDATANGANI and doc.ttd_sha256 == sha
    assert sha in r.content.decode() and "berantai ke CA Uji" in r.content.decode()
    assert k.get("/k/demo/tinjauan/renstra/ttd.pdf").getvalue() == signed
    assert doc.peralihan.get(aksi="tandatangani").oleh == world["kepala"]


def test_an_upload_over_the_limit_is_refused_before_it_is_read(world, login, approved, settings, monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile
    settings.UPLOAD_MAX_BYTES = 1000  # x5 for a signed PDF
    read = []
    monkeypatch.setattr("renstra_gen.web.engine.verify_signed", lambda *a: read.append(a))
    r = login(world["kepala"]).post("/k/demo/tinjauan/renstra/ttd/",
                                    {"berkas": SimpleUploadedFile("x.pdf", b"%PDF-" + b"0" * 6000)}, follow=True)
    assert "Berkas terlalu besar" in r.content.decode() and not read
    assert Dokumen.objects.get().status == Status.DISETUJUI


def test_server_signing_with_an_uploaded_p12_that_is_not_kept(world, login, approved, tmp_path, data):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from tests.certs import PASSWORD, make_p12
    p12 = make_p12(approved["ca"], tmp_path / "k.p12", "Kepala Dinas").read_bytes()
    k = login(world["kepala"])
    r = k.post("/k/demo/tinjauan/renstra/ttd-server/", {"p12": SimpleUploadedFile("k.p12", p12), "sandi": "salah"},
               follow=True)
    assert "kata sandi salah" in r.content.decode() and Dokumen.objects.get().status == Status.DISETUJUI
    r = k.post("/k/demo/tinjauan/renstra/ttd-server/", {"p12": SimpleUploadedFile("k.p12", p12), "sandi": PASSWORD},
               follow=True)
    doc = Dokumen.objects.get()
    assert doc.status == Status.DITANDATANGANI, r.content.decode()[-3000:]
    assert not [p for p in data.rglob("*") if p.suffix == ".p12"]
    assert not any(p12[:64] in p.read_bytes() for p in data.rglob("*") if p.is_file() and p.stat().st_size < 10**7)


def test_the_overview_lists_every_office_for_the_verifikator_and_only_their_own_for_the_penyusun(world, login):
    Dokumen.objects.create(office=world["demo"], jenis="renstra", status=Status.DIKEMBALIKAN, ronde=1)
    Dokumen.objects.create(office=world["lain"], jenis="renja", tahun=2024, status=Status.DIAJUKAN, ronde=1)
    Catatan.objects.create(dokumen=Dokumen.objects.get(jenis="renstra"), ronde=1, jangkar="umum", isi="x", nama="v")
    page = login(world["verifikator"]).get("/tinjauan/").content.decode()
    assert "Dinas Sosial Kabupaten Belu" in page and "Dinas Lain" in page
    assert "Dikembalikan dengan catatan · 1 catatan terbuka" in page and "Renja 2024</a>: Diajukan" in page
    from django.test import Client
    page = login(world["penyusun"], Client()).get("/tinjauan/").content.decode()
    assert "Dinas Lain" not in page


def test_an_unknown_document_or_year_outside_the_period_is_404(world, login):
    c = login(world["penyusun"])
    assert c.get("/k/demo/tinjauan/renja-1999/").status_code == 404
    assert c.get("/k/demo/tinjauan/lain/").status_code == 404
    assert c.get("/k/demo/tinjauan/renja-2024/").status_code == 200


@pytest.mark.parametrize("who", ["orang_lain", "kepala_lain"])
def test_another_office_gets_403_or_404_on_every_review_url_with_a_real_record(world, login, who, approved, tmp_path):
    from tests.web.test_http import _office_urls

    doc = approved["doc"]
    note = Catatan.objects.create(dokumen=doc, ronde=1, jangkar="umum", isi="rahasia", nama="v")
    signed = _signed(approved, tmp_path)
    (world["demo"].folder / "tinjauan").mkdir()
    (world["demo"].folder / "tinjauan" / "renstra-ttd-x.pdf").write_bytes(signed)
    Dokumen.objects.filter(pk=doc.pk).update(ttd_berkas="renstra-ttd-x.pdf")
    before = _snapshot(doc)
    c = login(world[who])
    routes = [r for r in _office_urls() if "tinjauan" in r]
    assert len(routes) >= 10
    for route in routes:
        for nama in ("ajukan", "setujui", "tandatangani", "jawab", "tutup"):
            url = "/" + route.replace("<slug:slug>", "demo").replace("<str:kode>", doc.kode) \
                .replace("<int:pk>", str(note.pk)).replace("<str:nama>", nama).replace("<str:fmt>", "docx")
            for method in ("get", "post"):
                r = getattr(c, method)(url, {"isi": "x", "letak": "umum|", "jawaban": "x"})
                assert r.status_code in (403, 404), (method, url, r.status_code)
                assert b"rahasia" not in r.content and signed[:200] not in r.content
    assert _snapshot(doc) == before


def test_content_with_an_error_is_not_submitted(world, login):
    office = world["demo"]
    rel = "tabel/6.2-program.yaml" if (office.content / "tabel/6.2-program.yaml").exists() else None
    from renstra_gen.web import engine
    rel = rel or engine.program_table_file(office.content)
    path = office.content / rel
    path.write_text(path.read_text(encoding="utf-8").replace("pagu:", "pagu: 12\n  xpagu:", 1), encoding="utf-8")
    engine.commit_all(office.content, ("Ani", "ani@x"), "rusak")
    assert [f for f in engine.check(office.content) if f.is_error]
    r = login(world["penyusun"]).post("/k/demo/tinjauan/renstra/aksi/ajukan/", follow=True)
    assert "galat" in r.content.decode()
    assert Dokumen.objects.get().status == Status.DRAF and not Peralihan.objects.exists()


def test_a_verifier_sets_the_printed_profile_and_a_penyusun_cannot(world, login):
    v = login(world["verifikator"])
    r = v.post("/profil-pemeriksa/", {"nama": " Vera  Verifikator, S.E. ", "nip": "19900101 201501 2 001",
                                      "jabatan": "Perencana", "unit": "<b>Bappeda</b>"})
    assert r.status_code == 302
    p = ProfilPemeriksa.objects.get(user=world["verifikator"])
    assert (p.nama, p.nip, p.unit) == ("Vera Verifikator, S.E.", "19900101 201501 2 001", "<b>Bappeda</b>")
    assert "&lt;b&gt;Bappeda&lt;/b&gt;" in v.get("/profil-pemeriksa/").content.decode()
    from django.test import Client
    c = login(world["penyusun"], Client())
    assert c.get("/profil-pemeriksa/").status_code == 403
    assert c.post("/profil-pemeriksa/", {"nama": "x"}).status_code == 403


def test_a_note_on_a_table_and_on_a_finding_and_a_forged_anchor_refused(world, login):
    from renstra_gen.web import engine

    login(world["penyusun"]).post("/k/demo/tinjauan/renstra/aksi/ajukan/")
    anchors = engine.review_anchors(world["demo"].content)
    tabel, temuan = anchors["tabel"][0], anchors["temuan"][0]
    from django.test import Client
    v = login(world["verifikator"], Client())
    for kind, a in (("tabel", tabel), ("temuan", temuan)):
        v.post("/k/demo/tinjauan/renstra/catatan/", {"letak": f"{kind}|{a.key}", "isi": f"catatan {kind}"})
    for forged in ("tabel|../../etc/passwd", "paragraf|bab/1-pendahuluan.md#99999", "lain|x"):
        r = v.post("/k/demo/tinjauan/renstra/catatan/", {"letak": forged, "isi": "x"}, follow=True)
        assert r.status_code == 200 and ("tidak ada lagi" in r.content.decode() or "tidak dikenal" in r.content.decode())
    assert [(c.jangkar, c.kunci, c.label) for c in Catatan.objects.order_by("pk")] == [
        ("tabel", tabel.key, tabel.label), ("temuan", temuan.key, temuan.label)]
    assert temuan.label.startswith("peringatan ") and ":" in temuan.key


def test_the_regency_page_columns_say_each_documents_state_and_the_open_notes(world):
    from renstra_gen.web.tinjauan.views import column_open_notes, column_states

    demo = world["demo"]
    assert column_states(demo, world["verifikator"]) == "–"
    a = Dokumen.objects.create(office=demo, jenis="renstra", status=Status.DIKEMBALIKAN, ronde=1)
    Dokumen.objects.create(office=demo, jenis="renja", tahun=2024, status=Status.DITANDATANGANI, ronde=1)
    Dokumen.objects.create(office=demo, jenis="renja", tahun=2025, status=Status.DRAF)
    for keadaan in ("terbuka", "dijawab", "ditutup"):
        Catatan.objects.create(dokumen=a, ronde=1, jangkar="umum", isi="x", nama="v", keadaan=keadaan)
    assert column_states(demo, world["verifikator"]) == "Renstra: Dikembalikan dengan catatan; Renja 2024: Ditandatangani"
    assert column_open_notes(demo, world["verifikator"]) == "2"
    assert column_open_notes(world["lain"], world["verifikator"]) == "0"


def _round_trip(world, login):
    """Three rounds: two notes returned and answered; one closed and a new one returned and answered; verified."""
    from django.test import Client

    ProfilPemeriksa.objects.create(user=world["verifikator"], nama="Vera <b>Verifikator</b>, S.E., M.Si",
                                   nip="19900101 201501 2 001", jabatan="Perencana Ahli Muda", unit="Bappeda")
    p = login(world["penyusun"], Client())
    v = login(world["verifikator"], Client())
    base = "/k/demo/tinjauan/renja-2024/"

    def note(isi):
        assert v.post(base + "catatan/", {"letak": "umum|", "isi": isi}).status_code == 302
        return Catatan.objects.latest("pk")

    def answer(n):
        assert p.post(f"{base}catatan/{n.pk}/jawab/", {"jawaban": "sudah"}).status_code == 302

    p.post(base + "aksi/ajukan/")
    n1, n2 = note("satu"), note("dua")
    v.post(base + "aksi/kembalikan/")
    answer(n1), answer(n2)
    p.post(base + "aksi/ajukan_ulang/")
    v.post(f"{base}catatan/{n1.pk}/tutup/")
    n3 = note("tiga")
    v.post(base + "aksi/kembalikan/")
    answer(n3)
    p.post(base + "aksi/ajukan_ulang/")
    v.post(base + "aksi/verifikasi/")
    doc = Dokumen.objects.get(jenis="renja", tahun=2024)
    assert doc.status == Status.DIVERIFIKASI and doc.ronde == 3
    return doc


def test_the_berita_acara_is_made_from_the_record_of_the_rounds(world, login, no_builds, tmp_path,
                                                                django_capture_on_commit_callbacks):
    from django.utils import timezone

    from renstra_gen.web import engine
    from tests.conftest import document_xml, texts

    with django_capture_on_commit_callbacks(execute=True):
        doc = _round_trip(world, login)
    job = doc.ba_job
    assert job is not None and job.kind == "berita_acara" and no_builds == [job]  # queued at the verification
    rec = job.params["rekaman"]
    day = timezone.localtime(doc.peralihan.get(aksi="verifikasi").waktu).date()
    assert rec["nomor"] == f"{doc.pk:04d}/BAV/DEMO/RENJA-2024/{day.year}" and rec["tanggal"] == day.isoformat()
    assert rec["versi"] == doc.commit and rec["tempat"] == "Atambua" and job.params["tahun"] == 2024
    assert rec["verifikator"] == [{"nama": "Vera <b>Verifikator</b>, S.E., M.Si", "nip": "19900101 201501 2 001",
                                   "jabatan": "Perencana Ahli Muda", "unit": "Bappeda"}]
    counts = [(r["ke"], r["hasil"], r["dibuat"], r["dijawab"], r["ditutup"]) for r in rec["putaran"]]
    assert counts == [(1, "dikembalikan", 2, 2, 0), (2, "dikembalikan", 1, 1, 1), (3, "diverifikasi", 0, 0, 2)]
    assert all(r["diajukan"] == r["selesai"] == day.isoformat() for r in rec["putaran"])
    # the document the job makes (without LibreOffice here)
    out = engine.build_berita_acara(world["demo"].content, tmp_path / "ba", rec, 2024, pdf=False, commit=job.commit)
    lines = texts(document_xml(out.files[0]))
    text = "\n".join(lines)
    assert "Vera <b>Verifikator</b>, S.E., M.Si" in text and "NIP. 19900101 201501 2 001" in text
    assert "Rencana Kerja (Renja) Dinas Sosial Kabupaten Belu Tahun 2024" in text and "dalam 3 putaran" in text
    at = lines.index("Jumlah")
    assert lines[at:at + 7] == ["Jumlah", "", "", "", "3", "3", "3"]
    # approval: the final PDF job prints it too
    with django_capture_on_commit_callbacks(execute=True):
        login(world["kepala"]).post("/k/demo/tinjauan/renja-2024/aksi/setujui/")
    assert Dokumen.objects.get(pk=doc.pk).pdf_job.params["berita_acara"] == rec


def test_the_berita_acara_downloads_for_who_sees_the_document_and_only_the_verifier_remakes_it(
        world, login, no_builds, django_capture_on_commit_callbacks):
    from django.test import Client

    from renstra_gen.web.jobs.models import Job

    with django_capture_on_commit_callbacks(execute=True):
        doc = _round_trip(world, login)
    url = "/k/demo/tinjauan/renja-2024/berita-acara."
    assert login(world["penyusun"], Client()).get(url + "pdf").status_code == 404  # not made yet
    job = doc.ba_job
    job.folder.mkdir(parents=True)
    (job.folder / "berita-acara-verifikasi-renja-2024.pdf").write_bytes(b"%PDF-1.7 ba")
    (job.folder / "berita-acara-verifikasi-renja-2024.docx").write_bytes(b"PK docx")
    Job.objects.filter(pk=job.pk).update(state="selesai", files=["berita-acara-verifikasi-renja-2024.docx",
                                                                 "berita-acara-verifikasi-renja-2024.pdf"])
    for who in ("penyusun", "verifikator", "kepala", "admin"):
        c = login(world[who], Client())
        page = c.get("/k/demo/tinjauan/renja-2024/").content.decode()
        assert 'id="unduh-ba-pdf"' in page and 'id="unduh-ba-docx"' in page, who
        r = c.get(url + "pdf")
        assert r.status_code == 200 and b"".join(r.streaming_content) == b"%PDF-1.7 ba", who
        assert r["Content-Disposition"].startswith('attachment; filename="berita-acara-verifikasi-demo-renja-2024.pdf"')
        assert c.get(url + "docx").status_code == 200 and c.get(url + "exe").status_code == 404
    for who in ("orang_lain", "kepala_lain"):  # another office: not even its existence
        c = login(world[who], Client())
        assert c.get(url + "pdf").status_code == 404
        assert c.post("/k/demo/tinjauan/renja-2024/susun-berita-acara/").status_code == 404
    jobs = Job.objects.count()
    for who in ("penyusun", "kepala", "admin"):  # who may not remake it
        assert login(world[who], Client()).post("/k/demo/tinjauan/renja-2024/susun-berita-acara/").status_code == 403
    assert Job.objects.count() == jobs
    c = login(world["verifikator"], Client())
    assert c.get("/k/demo/tinjauan/renja-2024/susun-berita-acara/").status_code == 405
    assert c.post("/k/demo/tinjauan/renja-2024/susun-berita-acara/").status_code == 302
    assert Job.objects.count() == jobs + 1 and Dokumen.objects.get(pk=doc.pk).ba_job_id != job.pk
    from renstra_gen.web.audit.models import Event
    assert Event.objects.filter(action="unduh", detail__contains="berita-acara-verifikasi-demo-renja-2024").exists()
