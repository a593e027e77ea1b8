"""Review rounds: each document's state and its transitions, the verifiers' notes and the office's
answers, the final PDF for signing and the signed PDF of record. Every permission comes from alur.ALUR."""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from renstra_gen.web import engine
from renstra_gen.web.audit.models import log
from renstra_gen.web.kantor.access import can_write, office_view, role_of, visible_offices
from renstra_gen.web.kantor.models import Role
from renstra_gen.web.tinjauan import ekspor
from renstra_gen.web.tinjauan.alur import ALUR, BEKU, actions_for, allowed
from renstra_gen.web.tinjauan.models import Catatan, Dokumen, Peralihan, ProfilPemeriksa, Status

ISI_MAKS = 5000  # characters of a note or an answer


# ---------------------------------------------------------------- the record

def content_frozen(office) -> bool:
    """The hook of the editing save path: no save while a document of the office is under review."""
    return Dokumen.objects.filter(office=office, status__in=BEKU).exists()


def _name(user) -> str:
    p = ProfilPemeriksa.objects.filter(user=user).first()
    return p.nama if p else (user.get_full_name() or user.get_username())


def dokumen(office, kode: str) -> Dokumen:
    """The document named in the URL ('renstra', 'renja-2027'), made on first use; 404 for anything else."""
    if kode == "renstra":
        jenis, tahun = Dokumen.Jenis.RENSTRA, 0
    elif kode.startswith("renja-") and kode[6:].isdigit() and int(kode[6:]) in engine.period_years(office.content):
        jenis, tahun = Dokumen.Jenis.RENJA, int(kode[6:])
    else:
        raise Http404("Dokumen tidak ditemukan")
    doc, _ = Dokumen.objects.get_or_create(office=office, jenis=jenis, tahun=tahun)
    return doc


def record(doc: Dokumen) -> dict:
    """The Halaman Verifikasi from the workflow: every verifier who returned, verified or wrote a note on
    the document (in the order they first did), from their accounts; the date of the verification."""
    users = []
    events = [(p.waktu, p.oleh) for p in doc.peralihan.filter(aksi__in=("kembalikan", "verifikasi"))]
    events += [(c.dibuat, c.oleh) for c in doc.catatan.all()]
    for _, user in sorted((e for e in events if e[1] is not None), key=lambda e: e[0]):
        if user not in users:
            users.append(user)
    people = []
    for user in users:
        p = ProfilPemeriksa.objects.filter(user=user).first()
        nip = p.nip if p else getattr(getattr(user, "profil", None), "nip", "")
        people.append({"nama": p.nama if p else (user.get_full_name() or user.get_username()), "nip": nip or "",
                       "jabatan": p.jabatan if p else "", "unit": p.unit if p else ""})
    verified = doc.peralihan.filter(aksi="verifikasi").order_by("-waktu").first()
    tanggal = timezone.localtime(verified.waktu).date().isoformat() if verified else None
    return {"tempat": engine.signing_place(doc.office.content), "tanggal": tanggal, "verifikator": people}


def rekaman(doc: Dokumen) -> dict | None:
    """The Berita Acara Verifikasi from the workflow (None before the document is verified): its number
    and date, the version verified, the verifiers (as the Halaman Verifikasi lists them) and every round:
    when it was submitted, how and when it ended, and the notes raised, answered and closed in it."""
    verified = doc.peralihan.filter(aksi="verifikasi").order_by("-waktu", "-pk").first()
    if verified is None:
        return None
    events = list(doc.peralihan.filter(aksi__in=("ajukan", "ajukan_ulang", "kembalikan", "verifikasi"))
                  .order_by("waktu", "pk"))
    notes = list(doc.catatan.all())
    rounds, start = [], None
    for i, e in enumerate(events):
        if e.aksi in ("ajukan", "ajukan_ulang"):
            start = e
            continue
        if start is None:
            continue
        # the office's answers to this round's notes come after it ended, until the next submission
        nxt = next((n.waktu for n in events[i + 1:] if n.aksi in ("ajukan", "ajukan_ulang")), None)

        def within(t, a, b):
            return t is not None and a <= t and (b is None or t <= b)

        rounds.append({"ke": len(rounds) + 1, "diajukan": _day(start.waktu), "selesai": _day(e.waktu),
                       "hasil": "diverifikasi" if e.aksi == "verifikasi" else "dikembalikan",
                       "dibuat": sum(within(c.dibuat, start.waktu, e.waktu) for c in notes),
                       "dijawab": sum(within(c.dijawab, e.waktu, nxt) for c in notes),
                       "ditutup": sum(within(c.ditutup, start.waktu, e.waktu) for c in notes)})
        start = None
    day = timezone.localtime(verified.waktu).date()
    base = record(doc)
    return {"nomor": f"{doc.pk:04d}/BAV/{doc.office.slug.upper()}/{doc.kode.upper()}/{day.year}",
            "tanggal": day.isoformat(), "tempat": base["tempat"], "versi": verified.commit or doc.commit,
            "verifikator": base["verifikator"], "putaran": rounds}


def _day(t) -> str:
    return timezone.localtime(t).date().isoformat()


def _start_berita_acara(request, doc: Dokumen) -> None:
    """The Berita Acara Verifikasi (.docx and .pdf) of a verified document, as a job of the office."""
    from renstra_gen.web.jobs import tasks
    from renstra_gen.web.jobs.models import Job

    params = {"rekaman": rekaman(doc), "pdf": True}
    if doc.jenis == Dokumen.Jenis.RENJA:
        params["tahun"] = doc.tahun
    job = Job.objects.create(office=doc.office, kind=Job.Kind.BERITA_ACARA, params=params, created_by=request.user,
                             commit=doc.commit)
    Dokumen.objects.filter(pk=doc.pk).update(ba_job=job)
    log(request, "build", doc.office, f"berita acara verifikasi {doc.judul} ({job.pk})")
    transaction.on_commit(lambda: tasks.enqueue(job))


def berita_acara_file(doc: Dokumen, fmt: str) -> Path | None:
    job = doc.ba_job
    if job is None or not job.finished_ok:
        return None
    name = next((f for f in job.files if f.endswith(f".{fmt}")), None)
    path = job.folder / name if name else None
    return path if path is not None and path.is_file() else None


def _transition(request, doc: Dokumen, aksi: str, keterangan: str = "", commit: str | None = None) -> None:
    a = ALUR[aksi]
    Peralihan.objects.create(dokumen=doc, aksi=aksi, dari=doc.status, ke=a.ke, oleh=request.user,
                             nama=_name(request.user), peran=role_of(request.user) or "",
                             commit=commit or doc.commit, catatan=keterangan[:ISI_MAKS])
    doc.status = a.ke
    if commit:
        doc.commit = commit
    doc.save()
    log(request, f"tinjauan-{aksi}", doc.office, f"{doc.judul}: {a.ke} ({(commit or doc.commit)[:10]})")


def _locked(doc: Dokumen, aksi: str, request) -> Dokumen:
    """The document, locked for this change, if this person may take `aksi` now; 403 otherwise."""
    doc = Dokumen.objects.select_for_update().get(pk=doc.pk)
    if not allowed(role_of(request.user), doc.status, aksi):
        raise PermissionDenied("Tindakan ini tidak diizinkan untuk peran Anda pada status dokumen sekarang")
    return doc


def _back(doc: Dokumen) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"/k/{doc.office.slug}/tinjauan/{doc.kode}/")


def _start_final_pdf(request, doc: Dokumen) -> None:
    """The approved version built as the final PDF (with its empty signature field and the Halaman
    Verifikasi from the record), as a build job of the office."""
    from renstra_gen.web.jobs import tasks
    from renstra_gen.web.jobs.models import Job

    params = {"pdf": True, "draft": False, "verifikasi": record(doc), "tinjauan": doc.pk,
              "berita_acara": rekaman(doc)}  # printed after the Halaman Verifikasi / in the Renja's Lampiran
    kind = Job.Kind.RENSTRA
    if doc.jenis == Dokumen.Jenis.RENJA:
        kind, params["tahun"] = Job.Kind.RENJA, doc.tahun
    job = Job.objects.create(office=doc.office, kind=kind, params=params, created_by=request.user, commit=doc.commit)
    Dokumen.objects.filter(pk=doc.pk).update(pdf_job=job, pdf_sha256="")
    log(request, "build", doc.office, f"{job.kind} {job.label} ({job.pk}) untuk tanda tangan")
    transaction.on_commit(lambda: tasks.enqueue(job))


def final_pdf(doc: Dokumen) -> Path | None:
    """The approved final PDF, when its build has finished."""
    job = doc.pdf_job
    if job is None or not job.finished_ok or not job.pdf:
        return None
    path = job.folder / job.pdf
    return path if path.is_file() else None


# ---------------------------------------------------------------- pages

def summary(offices) -> list[dict]:
    """Per office its documents' states and open notes: the review half of the regency page."""
    out = []
    for office in offices:
        docs = _in_order(Dokumen.objects.filter(office=office))
        out.append({"office": office, "dokumen": [
            {"doc": d, "terbuka": d.catatan.exclude(keadaan=Catatan.Keadaan.DITUTUP).count()} for d in docs]})
    return out


def _in_order(docs) -> list[Dokumen]:
    """The Renstra first, then the Renja by year."""
    return sorted(docs, key=lambda d: (d.jenis != Dokumen.Jenis.RENSTRA, d.tahun))


def column_states(office, user) -> str:
    """The regency page's column: each document of the office that left the draft, with its state."""
    docs = _in_order(Dokumen.objects.filter(office=office).exclude(status=Status.DRAF))
    return "; ".join(f"{d.judul}: {d.get_status_display()}" for d in docs) or "–"


def column_open_notes(office, user) -> str:
    """The regency page's column: the notes of the office's documents not closed yet."""
    return str(Catatan.objects.filter(dokumen__office=office).exclude(keadaan=Catatan.Keadaan.DITUTUP).count())


@login_required
def ikhtisar(request):
    """Every office the person may see, with its documents under review (the verifikator's start page)."""
    offices = visible_offices(request.user)
    return render(request, "tinjauan/ikhtisar.html", {"rows": summary(offices)})


@office_view()
def daftar(request, office):
    docs = [dokumen(office, "renstra")] + [dokumen(office, f"renja-{y}") for y in engine.period_years(office.content)]
    rows = [{"doc": d, "terbuka": d.catatan.exclude(keadaan=Catatan.Keadaan.DITUTUP).count()} for d in docs]
    return render(request, "tinjauan/daftar.html", {"office": office, "rows": rows, "frozen": content_frozen(office),
                                                    "write": can_write(request.user, office)})


@office_view()
def halaman(request, office, kode):
    doc = dokumen(office, kode)
    role = role_of(request.user)
    ronde = _round(request, doc)
    notes = list(doc.catatan.filter(ronde=ronde)) if ronde else []
    ctx = {"office": office, "write": can_write(request.user, office), "doc": doc, "role": role, "notes": notes,
           "actions": [(k, a) for k, a in actions_for(role, doc.status) if not k.startswith("tandatangani")],
           "ronde": ronde, "rounds": list(range(1, doc.ronde + 1)),
           "can": {k: allowed(role, doc.status, k) for k in ALUR},
           "history": doc.peralihan.select_related("oleh"), "pdf": final_pdf(doc),
           "job": doc.pdf_job, "record": record(doc), "ba_job": doc.ba_job,
           "ba": {f: berita_acara_file(doc, f) is not None for f in ("docx", "pdf")}, "sign_pdf": _signed_path(doc) if doc.ttd_berkas else None}
    if ctx["can"]["catatan_tambah"]:
        ctx["anchors"] = engine.review_anchors(office.content)
    return render(request, "tinjauan/dokumen.html", ctx)


def _round(request, doc: Dokumen) -> int:
    try:
        r = int(request.GET.get("putaran", doc.ronde))
    except ValueError:
        r = doc.ronde
    return r if 1 <= r <= doc.ronde else doc.ronde


@office_view(methods=("POST",))
def aksi(request, office, kode, nama):
    """A state change of the table (ajukan, kembalikan, ajukan_ulang, verifikasi, setujui)."""
    if nama not in ALUR or ALUR[nama].ke is None or nama.startswith("tandatangani"):
        raise Http404("Tindakan tidak dikenal")
    doc = dokumen(office, kode)
    keterangan = request.POST.get("keterangan", "")
    with transaction.atomic():
        doc = _locked(doc, nama, request)
        open_notes = doc.catatan.filter(ronde=doc.ronde, keadaan=Catatan.Keadaan.TERBUKA)
        if nama == "kembalikan" and not open_notes.exists():
            messages.error(request, "Tambahkan minimal satu catatan sebelum mengembalikan dokumen.")
            return _back(doc)
        if nama == "ajukan_ulang" and open_notes.exists():
            messages.error(request, f"Masih ada {open_notes.count()} catatan yang belum dijawab.")
            return _back(doc)
        if nama == "verifikasi" and open_notes.exists():
            messages.error(request, f"Masih ada {open_notes.count()} catatan terbuka: tutup atau kembalikan dokumen.")
            return _back(doc)
        if nama in ("ajukan", "ajukan_ulang"):
            errors = [f for f in engine.check(office.content) if f.is_error]
            if errors:  # a version the CLI would refuse to build is not submitted
                messages.error(request, f"Konten masih memiliki {len(errors)} galat (lihat Temuan pemeriksaan di "
                                        "beranda); perbaiki sebelum mengajukan.")
                return _back(doc)
        commit = None
        if nama in ("ajukan", "ajukan_ulang"):  # the version submitted is the content as it is now
            commit = engine.head(office.content)
            doc.ronde += 1
            if nama == "ajukan_ulang":  # the answered notes go with the document into the new round
                doc.catatan.filter(keadaan=Catatan.Keadaan.DIJAWAB).update(ronde=doc.ronde)
        if nama == "verifikasi":  # every answered note is settled by the verification
            doc.catatan.filter(keadaan=Catatan.Keadaan.DIJAWAB).update(keadaan=Catatan.Keadaan.DITUTUP,
                                                                      ditutup=timezone.now())
        _transition(request, doc, nama, keterangan, commit)
        if nama == "verifikasi":
            _start_berita_acara(request, doc)
        if nama == "setujui":
            _start_final_pdf(request, doc)
    messages.success(request, f"{doc.judul}: {doc.get_status_display()}.")
    return _back(doc)


def _remake(request, office, kode: str, action: str, start, done: str):
    """A document's product made again by its job (`start`), when ALUR allows `action` in its state."""
    doc = dokumen(office, kode)
    with transaction.atomic():
        doc = _locked(doc, action, request)
        start(request, doc)
    messages.success(request, done)
    return _back(doc)


@office_view(methods=("POST",))
def susun_pdf(request, office, kode):
    return _remake(request, office, kode, "susun_pdf", _start_final_pdf, "PDF final sedang disusun ulang.")


@office_view(methods=("POST",))
def catatan_tambah(request, office, kode):
    doc = dokumen(office, kode)
    isi = request.POST.get("isi", "").strip()[:ISI_MAKS]
    letak = request.POST.get("letak", "umum|")
    jangkar, _, kunci = letak.partition("|")
    with transaction.atomic():
        doc = _locked(doc, "catatan_tambah", request)
        if not isi:
            messages.error(request, "Catatan kosong tidak disimpan.")
            return _back(doc)
        if jangkar not in Catatan.Jangkar.values:
            messages.error(request, "Bagian yang dicatat tidak dikenal.")
            return _back(doc)
        label = ""
        if jangkar != Catatan.Jangkar.UMUM:
            found = [a for a in engine.review_anchors(office.content).get(jangkar, []) if a.key == kunci]
            if not found:
                messages.error(request, "Bagian yang dicatat tidak ada lagi di dokumen.")
                return _back(doc)
            label = found[0].label
        Catatan.objects.create(dokumen=doc, ronde=doc.ronde, jangkar=jangkar, kunci=kunci[:300], label=label[:300],
                               isi=isi, oleh=request.user, nama=_name(request.user), commit=doc.commit)
    log(request, "tinjauan-catatan", office, f"{doc.judul}: {label or jangkar}")
    messages.success(request, "Catatan ditambahkan.")
    return _back(doc)


@office_view(methods=("POST",))
def catatan_ubah(request, office, kode, pk, nama):
    """jawab (the office answers), tutup / buka (the verifier settles or reopens an answer)."""
    aksi_nama = f"catatan_{nama}"
    if aksi_nama not in ("catatan_jawab", "catatan_tutup", "catatan_buka"):
        raise Http404("Tindakan tidak dikenal")
    doc = dokumen(office, kode)
    with transaction.atomic():
        doc = _locked(doc, aksi_nama, request)
        note = get_object_or_404(Catatan.objects.select_for_update(), pk=pk, dokumen=doc)
        if nama == "jawab":
            jawaban = request.POST.get("jawaban", "").strip()[:ISI_MAKS]
            if not jawaban:
                messages.error(request, "Jawaban kosong tidak disimpan.")
                return _back(doc)
            note.jawaban, note.keadaan = jawaban, Catatan.Keadaan.DIJAWAB
            note.dijawab_oleh, note.dijawab = _name(request.user), timezone.now()
            note.commit_jawaban = engine.head(office.content)  # the version that carries the answer
        elif nama == "tutup":
            if note.keadaan != Catatan.Keadaan.DIJAWAB:
                messages.error(request, "Hanya catatan yang sudah dijawab dapat ditutup.")
                return _back(doc)
            note.keadaan, note.ditutup = Catatan.Keadaan.DITUTUP, timezone.now()
        else:
            note.keadaan, note.ditutup = Catatan.Keadaan.TERBUKA, None
        note.save()
    log(request, f"tinjauan-{aksi_nama}", office, f"{doc.judul}: catatan {note.pk}")
    messages.success(request, "Catatan diperbarui.")
    return _back(doc)


@office_view()
def ekspor_catatan(request, office, kode, fmt):
    doc = dokumen(office, kode)
    ronde = _round(request, doc)
    notes = list(doc.catatan.filter(ronde=ronde)) if ronde else []
    name = f"catatan-verifikasi-{office.slug}-{doc.kode}-putaran-{ronde}.{fmt}"
    if fmt == "docx":
        data, mime = ekspor.docx(doc, ronde, notes), \
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    elif fmt == "xlsx":
        data, mime = ekspor.xlsx(doc, ronde, notes), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        raise Http404("Format tidak dikenal")
    log(request, "unduh", office, name)
    response = HttpResponse(data, content_type=mime)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@office_view(methods=("POST",))
def susun_berita_acara(request, office, kode):
    """The verifier makes the Berita Acara again (e.g. after a profile correction or a failed job)."""
    return _remake(request, office, kode, "susun_ba", _start_berita_acara,
                   "Berita Acara Verifikasi sedang disusun ulang.")


@office_view()
def unduh_berita_acara(request, office, kode, fmt):
    """The Berita Acara Verifikasi as .docx or .pdf, for everyone who sees the document."""
    if fmt not in ("docx", "pdf"):
        raise Http404("Format tidak dikenal")
    doc = dokumen(office, kode)
    path = berita_acara_file(doc, fmt)
    if path is None:
        raise Http404("Berita Acara Verifikasi belum tersedia")
    name = f"berita-acara-verifikasi-{office.slug}-{doc.kode}.{fmt}"
    log(request, "unduh", office, name)
    mime = "application/pdf" if fmt == "pdf" else \
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return FileResponse(open(path, "rb"), as_attachment=True, filename=name, content_type=mime)


# ---------------------------------------------------------------- signature

def _signed_path(doc: Dokumen) -> Path:
    return doc.office.folder / "tinjauan" / doc.ttd_berkas


def _accept_signed(request, doc: Dokumen, data: bytes, aksi_nama: str) -> HttpResponseRedirect:
    """Check a signed PDF (periksa-ttd against the trust roots, and that it is the approved PDF) and, if
    it passes, store it as the document of record. The caller holds the document's row lock."""
    pdf = final_pdf(doc)
    roots = engine.trust_root_files(getattr(settings, "RENSTRA_TTE_AKAR", None), settings.RENSTRA_DATA)
    check = engine.verify_signed(data, roots)
    problems = [] if check.ok else check.lines
    if pdf is None:
        problems.append("PDF final yang disetujui belum tersedia")
    elif check.unsigned_sha256 != hashlib.sha256(pdf.read_bytes()).hexdigest():
        problems.append("PDF ini bukan PDF final yang disetujui (isi sebelum tanda tangan berbeda)")
    if problems:
        doc.ttd_pemeriksaan = check.lines
        doc.save(update_fields=["ttd_pemeriksaan"])
        messages.error(request, "PDF bertanda tangan ditolak: " + "; ".join(problems))
        log(request, "tinjauan-ttd-ditolak", doc.office, f"{doc.judul}: {check.sha256}")
        return _back(doc)
    name = f"{doc.kode}-ttd-{check.sha256[:12]}.pdf"
    engine.store_file(doc.office.folder / "tinjauan" / name, data)
    doc.ttd_berkas, doc.ttd_sha256, doc.ttd_pemeriksaan = name, check.sha256, check.lines
    doc.pdf_sha256 = check.unsigned_sha256 or ""
    _transition(request, doc, aksi_nama, "SHA-256 " + check.sha256)
    messages.success(request, f"Tanda tangan sah. Dokumen resmi disimpan (SHA-256 {check.sha256}).")
    return _back(doc)


def _upload(request, field: str, limit: int) -> bytes | None:
    f = request.FILES.get(field)
    if f is None or f.size > limit:  # the size Django counted while receiving it, before anything reads it
        return None
    return f.read()


@office_view(methods=("POST",))
def unggah_ttd(request, office, kode):
    doc = dokumen(office, kode)
    limit = getattr(settings, "UPLOAD_MAX_BYTES", 10 * 1024 * 1024) * 5
    with transaction.atomic():
        doc = _locked(doc, "tandatangani", request)
        f = request.FILES.get("berkas")
        if f is not None and f.size > limit:
            messages.error(request, f"Berkas terlalu besar (lebih dari {limit // (1024 * 1024)} MB).")
            return _back(doc)
        data = _upload(request, "berkas", limit)
        if not data or not data.startswith(b"%PDF-"):
            messages.error(request, "Pilih berkas PDF yang sudah ditandatangani.")
            return _back(doc)
        return _accept_signed(request, doc, data, "tandatangani")


@office_view(methods=("POST",))
def ttd_server(request, office, kode):
    """`renstra tandatangan` on the server with the kepala's .p12, used for this one signing, never stored."""
    doc = dokumen(office, kode)
    with transaction.atomic():
        doc = _locked(doc, "tandatangani_server", request)
        p12 = _upload(request, "p12", 64 * 1024)
        pdf = final_pdf(doc)
        if not p12:
            messages.error(request, "Pilih berkas sertifikat .p12 (paling besar 64 KB).")
            return _back(doc)
        if pdf is None:
            messages.error(request, "PDF final yang disetujui belum tersedia.")
            return _back(doc)
        try:
            signed = engine.sign_with_p12(pdf.read_bytes(), p12, request.POST.get("sandi", ""))
        except engine.EngineError as e:
            messages.error(request, "Penandatanganan gagal: " + "; ".join(f.message for f in engine.findings_of(e)))
            return _back(doc)
        finally:
            del p12
        return _accept_signed(request, doc, signed, "tandatangani_server")


@office_view()
def unduh_ttd(request, office, kode):
    doc = dokumen(office, kode)
    if not doc.ttd_berkas:
        raise Http404("Belum ada dokumen bertanda tangan")
    path = _signed_path(doc)
    if not path.is_file():
        raise Http404("Berkas tidak ditemukan")
    log(request, "unduh", office, doc.ttd_berkas)
    return FileResponse(open(path, "rb"), as_attachment=True, filename=doc.ttd_berkas, content_type="application/pdf")


# ---------------------------------------------------------------- the reviewer's own profile

@login_required
def profil(request):
    """A verifikator or kepala sets how they are printed: name with degrees, NIP, position, unit."""
    if role_of(request.user) not in (Role.VERIFIKATOR, Role.KEPALA, Role.ADMIN):
        raise PermissionDenied
    p = ProfilPemeriksa.objects.filter(user=request.user).first() or ProfilPemeriksa(
        user=request.user, nama=request.user.get_full_name() or request.user.get_username())
    if request.method == "POST":
        for name, limit in (("nama", 200), ("nip", 30), ("jabatan", 200), ("unit", 200)):
            setattr(p, name, " ".join(request.POST.get(name, "").split())[:limit])
        if not p.nama:
            messages.error(request, "Nama wajib diisi.")
        else:
            p.save()
            messages.success(request, "Profil disimpan.")
            return HttpResponseRedirect("/profil-pemeriksa/")
    elif request.method != "GET":
        return HttpResponse(status=405)
    return render(request, "tinjauan/profil.html", {"p": p})
