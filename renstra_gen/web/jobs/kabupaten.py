"""The regency page (Bappeda): every office with its last build, and the batch build of one kind of
final document of every office as one zip. For admin and verifikator (the roles that read every office).

Other apps add columns to the office table without touching this module's view: `register_column`
(from their AppConfig.ready) gives a title and a function (office, user) -> text; the template
`ruang/kabupaten.html` also has the blocks `kolom_judul` / `kolom` for markup of their own."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render

from renstra_gen.web.audit.models import log
from renstra_gen.web.jobs import tasks
from renstra_gen.web.jobs.models import Batch, Job
from renstra_gen.web.kantor.access import role_of, visible_offices
from renstra_gen.web.kantor.models import Office, Role


@dataclass
class Column:
    title: str
    value: Callable[[Office, object], str]


#: Extra columns of the office table (e.g. the review state and open notes of each document).
COLUMNS: list[Column] = []


def register_column(title: str, value: Callable[[Office, object], str]) -> None:
    if not any(c.title == title for c in COLUMNS):
        COLUMNS.append(Column(title, value))


def _require_regency(request) -> None:
    """Admin and verifikator read every office; nobody else sees this page or its zips."""
    if not request.user.is_authenticated:
        raise PermissionDenied
    if role_of(request.user) not in (Role.ADMIN, Role.VERIFIKATOR):
        raise PermissionDenied("Halaman kabupaten hanya untuk admin dan verifikator Bappeda")


def _login_first(view):
    import functools

    from django.conf import settings
    from django.utils.http import urlencode

    @functools.wraps(view)
    def inner(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return HttpResponseRedirect(f"{settings.LOGIN_URL}?{urlencode({'next': request.path})}")
        _require_regency(request)
        return view(request, *args, **kwargs)
    return inner


def _context(request) -> dict:
    offices = list(visible_offices(request.user).order_by("nama"))
    rows = []
    for o in offices:
        last = Job.objects.filter(office=o).exclude(kind=Job.Kind.PERUBAHAN).first()
        rows.append({"office": o, "last": last, "extra": [c.value(o, request.user) for c in COLUMNS]})
    batches = list(Batch.objects.all()[:10])
    for b in batches:
        b.count = b.counts()
    years = sorted({y for o in offices for y in _years(o.periode)})
    return {"rows": rows, "columns": COLUMNS, "batches": batches, "years": years,
            "running": any(b.state == Batch.State.RUNNING for b in batches)}


def _years(periode: str) -> list[int]:
    try:
        a, b = (int(x) for x in periode.split("-"))
    except ValueError:
        return []
    return list(range(a, b + 1)) if 0 <= b - a <= 10 else []


@_login_first
def kabupaten(request):
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    return render(request, "ruang/kabupaten.html", _context(request))


@_login_first
def status(request):
    """The batches' progress (polled while one runs); once none runs, the page reloads once so the
    office table shows the new last builds."""
    context = _context(request)
    response = render(request, "ruang/kabupaten_serentak.html", context)
    if not context["running"] and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


@_login_first
def mulai(request):
    """A batch build of every office: Renstra, or the Renja of one year; PDF or .docx/.xlsx; final."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    kind = request.POST.get("jenis", "")
    params = {"pdf": request.POST.get("pdf") == "1", "draft": False}
    if kind == Job.Kind.RENJA:
        try:
            params["tahun"] = int(request.POST.get("tahun", ""))
        except ValueError:
            messages.error(request, "Tahun Renja tidak sah.")
            return HttpResponseRedirect("/kabupaten/")
    elif kind != Job.Kind.RENSTRA:
        messages.error(request, "Jenis dokumen tidak dikenal.")
        return HttpResponseRedirect("/kabupaten/")
    offices = list(Office.objects.order_by("slug"))
    batch = tasks.start_batch(kind, params, request.user, offices)
    log(request, "build-kabupaten", None, f"{batch.label}: {len(offices)} perangkat daerah ({batch.pk})")
    messages.success(request, f"Build serentak dimulai: {batch.label} ({len(offices)} perangkat daerah).")
    return HttpResponseRedirect("/kabupaten/")


@_login_first
def unduh(request, batch_id):
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    batch = get_object_or_404(Batch, pk=batch_id)
    if not batch.zip_name:
        raise Http404("Berkas zip belum selesai dibuat")
    path = batch.folder / batch.zip_name
    if not path.is_file():
        raise Http404("Berkas zip tidak ditemukan")
    log(request, "unduh-kabupaten", None, batch.zip_name)
    return FileResponse(open(path, "rb"), as_attachment=True, filename=batch.zip_name,
                        content_type="application/zip")
