"""The job tasks: one Job through the engine under its office's lease; a batch's zip.

Idempotent: a job already finished is not run again; one whose worker died mid-build (the queue
retries it) is built again into its own folder, with the same files; the office lease (queue.py, in
the database) lets one build of an office run at a time, on whichever worker machine."""

from __future__ import annotations

from django.conf import settings
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from renstra_gen.web import engine
from renstra_gen.web.audit.models import Event
from renstra_gen.web.jobs import queue
from renstra_gen.web.jobs.models import Batch, Job

FINISHED = (Job.State.DONE, Job.State.FAILED)


@task()
def run_job(job_id: str) -> None:
    job = Job.objects.select_related("office").get(pk=job_id)
    if job.state in FINISHED:
        return  # idempotent: a job already run is not run twice
    if job.state == Job.State.QUEUED:
        Job.objects.filter(pk=job.pk, state=Job.State.QUEUED).update(
            progress="Menunggu build lain perangkat daerah ini selesai")
    holder = str(job.pk)
    if not queue.wait_for_lease(job.office_id, holder, timeout=settings.RENSTRA_JOB_TIMEOUT):
        Job.objects.filter(pk=job.pk).exclude(state__in=FINISHED).update(
            state=Job.State.FAILED, finished=timezone.now(), progress="Gagal: build lain perangkat daerah ini tidak selesai")
        return
    try:
        job.refresh_from_db()
        if job.state in FINISHED:  # finished by another worker while this one waited
            return
        with queue.lease_heartbeat(holder):  # the lease lapses only if this process stops
            _build(job)
    finally:
        queue.release_lease(job.office_id, holder)
    if job.batch_id:
        _batch_progress(job.batch_id)


def _build(job: Job) -> None:
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING, started=timezone.now(), progress=_running_text(job),
                                         attempts=F("attempts") + 1, worker=queue.worker_name())
    Event.objects.create(action="build-jalan", office=job.office.slug, username="pekerja",
                         detail=f"{job.kind} {job.label} ({job.pk}) di {queue.worker_name()}")
    if job.kind == Job.Kind.IMPOR:
        return _import(job)
    out = job.folder
    out.mkdir(parents=True, exist_ok=True)
    try:
        p = job.params
        if job.kind == Job.Kind.PERUBAHAN:
            result = engine.perubahan(job.office.content, out, p["lama"], p["baru"])
        elif job.kind == Job.Kind.BERITA_ACARA:  # the review record's Berita Acara Verifikasi (issue 31)
            result = engine.build_berita_acara(job.office.content, out, p["rekaman"], p.get("tahun"),
                                               pdf=p.get("pdf", False), commit=job.commit)
        elif job.kind == Job.Kind.RENJA:
            result = engine.build_renja(job.office.content, out, int(p["tahun"]), pdf=p.get("pdf", False),
                                        draft=p.get("draft", False), commit=job.commit,
                                        verifikasi=p.get("verifikasi"),  # the review record (issue 31)
                                        berita_acara=p.get("berita_acara"))
        else:
            result = engine.build_renstra(job.office.content, out, pdf=p.get("pdf", False),
                                          draft=p.get("draft", False), commit=job.commit,
                                          verifikasi=p.get("verifikasi"),  # the review record (issue 31)
                                          berita_acara=p.get("berita_acara"))
    except Exception as e:  # noqa: BLE001 - every failure is shown on the job's page
        findings = engine.findings_of(e)
        Job.objects.filter(pk=job.pk).update(state=Job.State.FAILED, finished=timezone.now(), progress="Gagal",
                                             findings=[f.__dict__ for f in findings])
        return
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.DONE, finished=timezone.now(), progress="Selesai",
        files=[f.name for f in result.files if (out / f.name).exists()],
        findings=[f.__dict__ for f in result.findings], changes=result.changes)


def _import(job: Job) -> None:
    """A workbook import (issue 31): the dry run's change list, or the changes applied as one commit.
    Retried after a worker's death it does nothing twice: a dry run only reads, and an apply whose
    commit was made finds the content already holding every value (no change left: done)."""
    p = job.params
    if p.get("jenis") == "zip":
        return _import_zip(job)
    upload = job.office.folder / "unggahan" / f"{p['token']}.xlsx"
    name = p.get("nama", "")
    done = {"state": Job.State.DONE, "finished": timezone.now(), "progress": "Selesai"}

    def finish(changes, findings, **extra):
        fields = dict(done, changes=changes, findings=[f.__dict__ for f in findings], **extra)
        if findings:
            fields.update(state=Job.State.FAILED, progress="Tidak dapat diimpor")
        Job.objects.filter(pk=job.pk).update(**fields)

    if not upload.is_file():
        finish([], [engine.Temuan(name, None, "galat", "berkas unggahan tidak ada lagi (sudah diterapkan atau "
                                                       "kedaluwarsa); unggah buku kerja itu lagi")])
        return
    try:
        if not p.get("terapkan"):
            r = engine.import_workbook(job.office.content, upload, name=name)
            finish(r.changes, r.findings)
            if r.findings or not r.changes:
                upload.unlink(missing_ok=True)
            return
        mark = f"Pekerjaan: {job.pk}"
        made = engine.commit_marked(job.office.content, mark)
        if made:  # applied by an attempt whose worker died before it could say so
            upload.unlink(missing_ok=True)
            finish(job.changes, [], progress="Selesai (sudah diterapkan pada percobaan sebelumnya)", commit=made)
            return
        if engine.head(job.office.content) != p.get("head"):
            upload.unlink(missing_ok=True)
            finish([], [engine.Temuan(name, None, "galat", "konten sudah berubah sejak daftar perubahan dibuat; "
                                                           "unggah buku kerja itu lagi")])
            return
        r = engine.import_workbook(job.office.content, upload, apply=True, author=tuple(p["penulis"]), name=name,
                                   mark=mark)
        upload.unlink(missing_ok=True)
        finish(r.changes, r.findings, commit=r.commit or job.commit)
        if not r.findings:
            Event.objects.create(action="impor", office=job.office.slug, user=job.created_by,
                                 username=job.created_by.get_username() if job.created_by else "pekerja",
                                 detail=f"{name}: {len(r.changes)} perubahan ({job.pk})")
    except Exception as e:  # noqa: BLE001 - every failure is shown on the job's page, never a traceback
        finish([], engine.findings_of(e) or [engine.Temuan(name, None, "galat", "impor gagal")])


def _import_zip(job: Job) -> None:
    """A content folder (.zip) imported as one new version: unpacked with its guards, loaded, committed.
    A retry after a worker's death finds the commit it made by its mark, and does not import twice."""
    import re

    p = job.params
    name = p.get("nama", "")
    mark = f"Pekerjaan: {job.pk}"
    upload = job.office.folder / "unggahan" / p.get("berkas", "")
    fields = {"state": Job.State.DONE, "finished": timezone.now()}
    made = engine.commit_marked(job.office.content, mark)
    try:
        if made:
            fields.update(progress="Selesai (sudah diimpor pada percobaan sebelumnya)", commit=made)
        elif not re.fullmatch(r"[0-9a-f]{32}\.zip", p.get("berkas", "")) or not upload.is_file():
            fields.update(state=Job.State.FAILED, progress="Tidak dapat diimpor", findings=[engine.Temuan(
                name, None, "galat", "berkas unggahan tidak ada lagi; unggah berkas .zip itu lagi").__dict__])
        else:
            saved = engine.import_content_zip(job.office.content, upload, tuple(p["penulis"]), name, mark=mark)
            fields.update(progress=f"Konten dari {name} diimpor sebagai satu versi" if saved.commit
                          else f"{name} sama dengan konten sekarang; tidak ada yang berubah",
                          commit=saved.commit or job.commit,
                          findings=[f.__dict__ for f in saved.findings])
            Event.objects.create(action="impor-konten", office=job.office.slug, user=job.created_by,
                                 username=job.created_by.get_username() if job.created_by else "pekerja",
                                 detail=f"{name} ({job.pk})")
    except Exception as e:  # noqa: BLE001 - a hostile or broken zip: findings on the job's page
        fields.update(state=Job.State.FAILED, progress="Tidak dapat diimpor",
                      findings=[f.__dict__ for f in engine.findings_of(e)])
    finally:
        if upload.name.endswith(".zip"):
            upload.unlink(missing_ok=True)
    Job.objects.filter(pk=job.pk).update(**fields)


def _running_text(job: Job) -> str:
    if job.kind == Job.Kind.IMPOR and job.params.get("jenis") == "zip":
        return "Membuka berkas .zip, memeriksa dan mengimpor konten"
    if job.kind == Job.Kind.IMPOR:
        return "Menerapkan buku kerja" if job.params.get("terapkan") else "Membaca buku kerja dan menyusun daftar perubahan"
    if job.kind == Job.Kind.PERUBAHAN:
        return "Menyusun daftar perubahan dan dokumen lacak perubahan"
    if job.kind == Job.Kind.BERITA_ACARA:
        return "Menyusun Berita Acara Verifikasi (.docx dan PDF)"
    if job.params.get("pdf"):
        return "Menyusun dokumen, lalu PDF lewat LibreOffice dan pemeriksaan cetak"
    return "Menyusun dokumen .docx dan .xlsx"


def enqueue(job: Job) -> None:
    run_job.enqueue(str(job.pk))


# ---------------------------------------------------------------- the regency's batch build

def start_batch(kind: str, params: dict, user, offices) -> Batch:
    """One final build per office (each a Job of its own, so workers share them), then the zip."""
    batch = Batch.objects.create(kind=kind, params=params, created_by=user, total=len(offices))
    jobs = []
    for o in offices:
        try:
            commit = engine.head(o.content)
        except (engine.EngineError, OSError) as e:  # a content repository that git cannot read
            Job.objects.create(office=o, kind=kind, params=dict(params), created_by=user, batch=batch,
                               state=Job.State.FAILED, progress="Gagal", finished=timezone.now(),
                               findings=[{"file": "", "line": None, "severity": "galat",
                                          "message": f"repositori konten tidak dapat dibaca: {e}"}])
            continue
        jobs.append(Job.objects.create(office=o, kind=kind, params=dict(params), created_by=user, batch=batch,
                                       commit=commit))
    for job in jobs:
        enqueue(job)
    if not jobs:
        make_zip.enqueue(str(batch.pk))
    return batch


def _batch_progress(batch_id) -> None:
    """After each of its jobs: when none is left, the zip is made (a task of its own, retried like any)."""
    if not Job.objects.filter(batch_id=batch_id).exclude(state__in=FINISHED).exists():
        make_zip.enqueue(str(batch_id))


@task()
def make_zip(batch_id: str) -> None:
    """The batch's zip: `<office>/<file>` of every finished build, and DAFTAR.txt naming each office's
    result (a failed build with its first findings). The same bytes when made again."""
    batch = Batch.objects.get(pk=batch_id)
    if batch.state != Batch.State.RUNNING:
        return
    members: list[tuple[str, object]] = []
    lines = [f"{batch.label}", ""]
    failed = 0
    for job in batch.jobs.select_related("office").order_by("office__slug"):
        if job.state == Job.State.DONE:
            wanted = [f for f in job.files if f.endswith(".pdf")] if batch.params.get("pdf") else list(job.files)
            for name in wanted:
                path = job.folder / name
                if path.is_file():
                    members.append((f"{job.office.slug}/{name}", path.resolve()))
            lines.append(f"{job.office.slug}\t{job.office.nama}\tselesai\t{', '.join(wanted)}")
        else:
            failed += 1
            why = "; ".join(f.get("message", "") for f in job.findings[:3]) or job.progress
            lines.append(f"{job.office.slug}\t{job.office.nama}\tgagal\t{why}")
    members.append(("DAFTAR.txt", ("\n".join(lines) + "\n").encode("utf-8")))
    name = f"kabupaten-{batch.kind}{'-' + str(batch.params.get('tahun')) if batch.params.get('tahun') else ''}" \
           f"-{str(batch.pk)[:8]}.zip"
    engine.write_zip(batch.folder / name, members)
    Batch.objects.filter(pk=batch.pk, state=Batch.State.RUNNING).update(
        zip_name=name, finished=timezone.now(), state=Batch.State.FAILED if failed else Batch.State.DONE)
