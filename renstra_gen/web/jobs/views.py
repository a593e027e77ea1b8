"""Start a build, follow its progress, preview the PDF, download every file."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render

from renstra_gen.web import engine
from renstra_gen.web.audit.models import log
from renstra_gen.web.jobs import tasks
from renstra_gen.web.jobs.models import Job
from renstra_gen.web.kantor.access import can_write, office_view


@office_view(write=True, methods=("POST",))
def mulai(request, office):
    """A build of the content as it is now (its commit), queued; the page never waits for it."""
    slug = office.slug
    kind = request.POST.get("jenis", "renstra")
    params = {"pdf": request.POST.get("pdf") == "1", "draft": request.POST.get("draft") == "1"}
    if kind == Job.Kind.RENJA:
        try:
            params["tahun"] = int(request.POST.get("tahun", ""))
        except ValueError:
            messages.error(request, "Tahun Renja tidak sah.")
            return HttpResponseRedirect(f"/k/{slug}/")
    elif kind == Job.Kind.PERUBAHAN:
        lama, baru = request.POST.get("lama", ""), request.POST.get("baru", "")
        if not (engine.is_commit(office.content, lama) and engine.is_commit(office.content, baru)):
            messages.error(request, "Pilih dua versi dari riwayat.")
            return HttpResponseRedirect(f"/k/{slug}/riwayat/")
        params = {"lama": lama, "baru": baru}
    elif kind != Job.Kind.RENSTRA:
        messages.error(request, "Jenis pekerjaan tidak dikenal.")
        return HttpResponseRedirect(f"/k/{slug}/")
    job = Job.objects.create(office=office, kind=kind, params=params, created_by=request.user,
                             commit=engine.head(office.content))
    log(request, "build", office, f"{job.kind} {job.label} ({job.pk})")
    tasks.enqueue(job)
    return HttpResponseRedirect(f"/k/{slug}/pekerjaan/{job.pk}/")


@office_view()
def detail(request, office, job_id):
    job = get_object_or_404(Job, pk=job_id, office=office)
    return render(request, "ruang/pekerjaan.html", {"office": job.office, "job": job,
                                                     "write": can_write(request.user, job.office)})


@office_view()
def status(request, office, job_id):
    job = get_object_or_404(Job, pk=job_id, office=office)
    return render(request, "ruang/pekerjaan_status.html", {"office": job.office, "job": job,
                                                            "write": can_write(request.user, job.office)})


def _file(job: Job, name: str) -> Path:
    if name not in job.files:
        raise Http404("Berkas tidak ditemukan")
    base = job.folder.resolve()
    path = (job.folder / name).resolve()
    if base not in path.parents and path.parent != base:
        # the published files are links into the build's own folder (.renstra/<slug>/...)
        if job.office.outputs.resolve() not in path.parents:
            raise Http404("Berkas tidak ditemukan")
    if not path.is_file():
        raise Http404("Berkas tidak ditemukan")
    return path


@office_view()
def unduh(request, office, job_id, name):
    job = get_object_or_404(Job, pk=job_id, office=office)
    path = _file(job, name)
    log(request, "unduh", job.office, name)
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return FileResponse(open(path, "rb"), as_attachment=True, filename=name, content_type=content_type)


@office_view()
def pratinjau(request, office, job_id):
    """The PDF inline, for the browser's own viewer in an <iframe> of the job page."""
    job = get_object_or_404(Job, pk=job_id, office=office)
    if not job.pdf:
        raise Http404("Tidak ada PDF")
    path = _file(job, job.pdf)
    log(request, "pratinjau", job.office, job.pdf)
    response = FileResponse(open(path, "rb"), content_type="application/pdf", filename=job.pdf)
    response["Content-Disposition"] = f'inline; filename="{job.pdf}"'
    return response
