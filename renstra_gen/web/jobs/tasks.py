"""The job task: runs one Job through the engine, serialised per office, recording its outcome."""

from __future__ import annotations

import contextlib
import fcntl

from django.utils import timezone
from django_tasks import task

from renstra_gen.web import engine
from renstra_gen.web.jobs.models import Job


@contextlib.contextmanager
def _office_build_lock(job: Job):
    """One build of an office at a time, whichever worker (thread or process) runs it."""
    job.office.folder.mkdir(parents=True, exist_ok=True)
    with open(job.office.folder / ".kunci-build", "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


@task()
def run_job(job_id: str) -> None:
    job = Job.objects.select_related("office").get(pk=job_id)
    if job.state != Job.State.QUEUED:
        return  # idempotent: a job already run (or running elsewhere) is not run twice
    Job.objects.filter(pk=job.pk).update(progress="Menunggu build lain perangkat daerah ini selesai")
    with _office_build_lock(job):
        Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING, started=timezone.now(),
                                             progress=_running_text(job))
        out = job.folder
        out.mkdir(parents=True, exist_ok=True)
        try:
            p = job.params
            if job.kind == Job.Kind.PERUBAHAN:
                result = engine.perubahan(job.office.content, out, p["lama"], p["baru"])
            elif job.kind == Job.Kind.RENJA:
                result = engine.build_renja(job.office.content, out, int(p["tahun"]), pdf=p.get("pdf", False),
                                            draft=p.get("draft", False), commit=job.commit,
                                            verifikasi=p.get("verifikasi"))  # the review record (issue 31)
            else:
                result = engine.build_renstra(job.office.content, out, pdf=p.get("pdf", False),
                                              draft=p.get("draft", False), commit=job.commit,
                                              verifikasi=p.get("verifikasi"))  # the review record (issue 31)
        except Exception as e:  # noqa: BLE001 - every failure is shown on the job's page
            findings = engine.findings_of(e)
            Job.objects.filter(pk=job.pk).update(state=Job.State.FAILED, finished=timezone.now(), progress="Gagal",
                                                 findings=[f.__dict__ for f in findings])
            return
        Job.objects.filter(pk=job.pk).update(
            state=Job.State.DONE, finished=timezone.now(), progress="Selesai",
            files=[f.name for f in result.files if (out / f.name).exists()],
            findings=[f.__dict__ for f in result.findings], changes=result.changes)


def _running_text(job: Job) -> str:
    if job.kind == Job.Kind.PERUBAHAN:
        return "Menyusun daftar perubahan dan dokumen lacak perubahan"
    if job.params.get("pdf"):
        return "Menyusun dokumen, lalu PDF lewat LibreOffice dan pemeriksaan cetak"
    return "Menyusun dokumen .docx dan .xlsx"


def enqueue(job: Job) -> None:
    run_job.enqueue(str(job.pk))
