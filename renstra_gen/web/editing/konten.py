"""Every other content file as forms and grids of its declared fields: the cascade (indikator.yaml),
the tables besides Tabel 6.2, figures, lampiran, renstra.yaml and the Renja inputs of each year.

One generic page, built from the content model by engine.formulir (not one hand-made page per
table). Saves go through engine.save_form / add_record / remove_record: the lossless YAML editor,
then load + check; a stale base is refused (409) with the person's values kept on the screen."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_http_methods

from renstra_gen.web import engine
from renstra_gen.web.audit.models import log
from renstra_gen.web.editing.views import _findings_view
from renstra_gen.web.kantor.access import can_write, office_view
from renstra_gen.web.kantor.views import author_of

MAX_FIELDS = 20_000  # posted values looked at (Django's DATA_UPLOAD_MAX_NUMBER_FIELDS bounds the request)


def _url(office, rel: str) -> str:
    return f"/k/{office.slug}/konten/?berkas={quote(rel)}"


def _message(rel: str, words: list[str]) -> str:
    head = f"{rel}: " + "; ".join(words[:3])
    if len(words) > 3:
        head += f"; dan {len(words) - 3} perubahan lain"
    return head + ("\n\n" + "\n".join(words) if len(words) > 3 else "")


@office_view(write=True, methods=("GET", "POST"))
def konten(request, office):
    """GET without `berkas`: the list of files and Renja years; with it: that file's forms.
    POST aksi=simpan (changed fields), tambah (a row), hapus (a row), renja-baru (a year's inputs)."""
    folder = office.content
    write = can_write(request.user, office)
    rel = request.GET.get("berkas", "")
    if request.method == "POST" and request.POST.get("aksi") == "renja-baru":
        return _renja_baru(request, office)
    if not rel:
        files = engine.form_files(folder)
        existing = {int(engine.RENJA_FILE.fullmatch(f).group(1)) for f in files if engine.RENJA_FILE.fullmatch(f)}
        return render(request, "ruang/konten_daftar.html", {
            "office": office, "write": write,
            "files": [{"rel": f, "url": _url(office, f)} for f in files if not engine.RENJA_FILE.fullmatch(f)],
            "renja": [{"year": y, "url": _url(office, f"renja/{y}/renja.yaml") if y in existing else None}
                      for y in engine.renja_years(folder)]})
    if rel not in engine.form_files(folder):
        if rel == engine.program_table_file(folder):
            return HttpResponseRedirect(f"/k/{office.slug}/tabel-6-2/")
        raise Http404("Berkas tidak ditemukan")
    ctx = {"office": office, "write": write, "rel": rel, "stale": None, "refused": None, "errors": {},
           "posted": {}, "saved": request.session.pop("disimpan", None) if request.method == "GET" else None}
    status = 200
    if request.method == "POST":
        aksi = request.POST.get("aksi", "simpan")
        base = request.POST.get("base", "")
        if aksi in ("tambah", "hapus"):
            return _row_action(request, office, rel, aksi, base)
        form_now = engine.formulir(folder, rel)
        posted = {k[2:]: v for n, (k, v) in enumerate(request.POST.items()) if k.startswith("v:") and n < MAX_FIELDS}
        if base != form_now.blob:
            try:  # the version the person had in front of them, to tell their edits from the other person's
                shown = {n: c.value for n, c in engine.formulir(folder, rel, blob=base).values().items()}
            except Exception:  # noqa: BLE001 - an unknown base: every posted value counts as theirs
                shown = None
            mine = {n: v for n, v in posted.items() if shown is None or v.strip() != shown.get(n, "").strip()}
            ctx.update(stale=engine.stale(folder, rel, base), posted=mine, form=form_now)
            log(request, "simpan-ditolak", office, f"{rel}: versi basi")
            status = 409
        else:
            edits, words, errors = engine.form_edits(form_now, posted)
            if errors:
                ctx.update(errors=errors, posted=posted, form=form_now)
                status = 422
            else:
                try:
                    saved = engine.save_form(folder, rel, edits, base, author_of(request.user), _message(rel, words))
                except engine.StaleError as e:
                    ctx.update(stale=e, posted=posted, form=form_now)
                    status = 409
                except engine.RefusedError as e:
                    ctx.update(refused=e.findings, posted=posted, form=form_now)
                    status = 422
                else:
                    if saved.commit:
                        log(request, "simpan", office, _message(rel, words)[:500])
                        request.session["disimpan"] = words[:20]
                    return HttpResponseRedirect(_url(office, rel))
    if "form" not in ctx:
        ctx["form"] = engine.cached_formulir(folder, rel)
    return _page(request, office, ctx, status)


def _page(request, office, ctx, status=200):
    try:
        grid = engine.program_grid(office.content)
    except engine.EngineError:
        grid = None
    ctx["findings"] = _findings_view(engine.check(office.content), grid, office.slug, office.content)
    ctx["sections_html"] = _sections_html(ctx["form"], ctx["posted"], ctx["errors"], ctx["write"])
    ctx["add_forms"] = [b for b in ctx["form"].bagian if b.can_add] if ctx["write"] else []
    return render(request, "ruang/konten.html", ctx, status=status)


def _row_action(request, office, rel: str, aksi: str, base: str):
    folder = office.content
    path = engine.decode_path(request.POST.get("daftar" if aksi == "tambah" else "baris", "") or "x")
    form = engine.formulir(folder, rel)
    author = author_of(request.user)
    try:
        if aksi == "hapus":
            section = next((b for b in form.bagian if b.can_add and b.path == path[:-1]), None)
            if section is None or not isinstance(path[-1], int):
                raise engine.RefusedError([engine.Temuan(rel, None, "galat", "baris tidak ditemukan")])
            saved = engine.remove_record(folder, rel, path, base, author, f"{rel}: hapus baris {path[-1] + 1} {section.judul}")
            words = [f"baris {path[-1] + 1} {section.judul} dihapus"]
        else:
            section = next((b for b in form.bagian if b.can_add and b.path == path), None)
            if section is None:
                raise engine.RefusedError([engine.Temuan(rel, None, "galat", "daftar tidak ditemukan")])
            values, errors = {}, []
            for c in section.kolom:
                text = request.POST.get("n:" + engine.encode_path(c.sub), "").strip()
                if not text:
                    continue
                try:
                    value = engine.parse_value(text, c.kind if c.kind != "daftar" else "teks")
                except ValueError as e:
                    errors.append(f"{c.label}: {e}")
                    continue
                if c.kind == "daftar":
                    value = [text]
                node = values
                for part in c.sub[:-1]:
                    node = node.setdefault(part, {})
                node[c.sub[-1]] = value
            if errors:
                raise engine.RefusedError([engine.Temuan(rel, None, "galat", e) for e in errors])
            saved = engine.add_record(folder, rel, path, values, base, author, f"{rel}: tambah baris {section.judul}")
            words = [f"baris baru di {section.judul}"]
    except engine.StaleError as e:
        messages.error(request, str(e))
    except engine.RefusedError as e:
        messages.error(request, "Tidak disimpan: " + "; ".join(
            f"{f.file}{':' + str(f.line) if f.line else ''} {f.message}" for f in e.findings[:5]))
    else:
        if saved.commit:
            log(request, "simpan", office, f"{rel}: {words[0]}"[:500])
            request.session["disimpan"] = words
    return HttpResponseRedirect(_url(office, rel))


def _renja_baru(request, office):
    try:
        year = int(request.POST.get("tahun", ""))
    except ValueError:
        raise Http404("Tahun tidak dikenal") from None
    try:
        saved = engine.create_renja_input(office.content, year, author_of(request.user))
    except engine.RefusedError as e:
        messages.error(request, "; ".join(f.message for f in e.findings))
        return HttpResponseRedirect(f"/k/{office.slug}/konten/")
    if saved.commit:
        log(request, "simpan", office, f"renja/{year}/renja.yaml: masukan baru")
    return HttpResponseRedirect(_url(office, f"renja/{year}/renja.yaml"))


def _sections_html(form: engine.Formulir, posted: dict, errors: dict, write: bool) -> SafeString:
    """Every section of the form as HTML, every value escaped (built here for speed, like Tabel 6.2's rows)."""
    ro = "" if write else " readonly"
    dis = "" if write else " disabled"
    out: list[str] = []

    def field(cell: engine.Sel) -> str:
        value = posted.get(cell.name, cell.value)
        cls = ("milik " if cell.name in posted else "") + ("salah " if cell.name in errors else "") + cell.kind
        common = f'name="v:{escape(cell.name)}" id="sel-{escape(cell.name)}" aria-label="{escape(cell.label)}" class="{cls}"'
        if cell.kind == "kosong":
            return ""
        if cell.kind in ("panjang", "daftar"):
            rows = min(8, max(2, value.count("\n") + 1))
            html = f'<textarea {common} rows="{rows}"{ro}>{escape(value)}</textarea>'
        elif cell.kind in ("pilihan", "ya-tidak"):
            choices = ("ya", "tidak") if cell.kind == "ya-tidak" else cell.choices
            opts = [""] + list(choices) + ([value] if value and value not in choices else [])
            empty = f"({cell.default})" if cell.default else ""  # left out: the model's default applies
            html = f'<select {common}{dis}>' + "".join(
                f'<option value="{escape(o)}"{" selected" if o == value else ""}>{escape(o or empty)}</option>'
                for o in opts) + "</select>"
        else:
            mode = ' inputmode="decimal"' if cell.kind in ("angka", "rupiah", "nilai", "pecahan") else ""
            html = f'<input {common} value="{escape(value)}"{mode}{ro}>'
        if cell.name in errors:
            html += f'<span class="galat kecil">{escape(errors[cell.name])}</span>'
        return html

    for b in form.bagian:
        out.append(f'<section class="kartu bagian" id="{escape(b.anchor)}"><h2>{escape(b.judul)}</h2>')
        if not b.grid:
            row = b.rows[0] if b.rows else None
            out.append('<div class="isian-daftar">')
            for cell in (row.cells if row else []):
                out.append(f'<p><label for="sel-{escape(cell.name)}">{escape(cell.label)}</label>{field(cell)}</p>')
            out.append("</div></section>")
            continue
        out.append('<div class="grid-wrap isian-wrap"><table class="grid isian"><thead><tr><th>No</th>')
        out += [f"<th>{escape(c.label)}</th>" for c in b.kolom]
        out.append("<th></th></tr></thead><tbody>" if write and b.can_add else "</tr></thead><tbody>")
        for r in b.rows:
            rid = "baris-" + engine.encode_path(r.path)
            out.append(f'<tr id="{escape(rid)}"><td class="no">{(r.index or 0) + 1}</td>')
            out += [f"<td>{field(c)}</td>" for c in r.cells]
            if write and b.can_add:
                out.append(f'<td><button type="submit" form="hapus-form" name="baris" value="{escape(engine.encode_path(r.path))}" '
                           f'class="hapus" data-konfirmasi="Hapus baris {(r.index or 0) + 1} dari {escape(b.judul)}?" '
                           f'aria-label="Hapus baris {(r.index or 0) + 1}">×</button></td>')
            out.append("</tr>")
        if not b.rows:
            out.append(f'<tr><td colspan="{len(b.kolom) + 2}" class="ket">Belum ada baris.</td></tr>')
        if write and b.can_add:
            fid = "tambah-" + b.anchor
            out.append('<tr class="baru"><td>+</td>')
            for c in b.kolom:
                out.append(f'<td><input form="{escape(fid)}" name="n:{escape(engine.encode_path(c.sub))}" '
                           f'aria-label="Baris baru: {escape(c.label)}" class="{c.kind}"></td>')
            out.append(f'<td><button type="submit" form="{escape(fid)}">Tambah</button></td></tr>')
        out.append("</tbody></table></div></section>")
    return mark_safe("\n".join(out))  # noqa: S308 - every value above went through escape()


# ---------------------------------------------------------------- a content folder imported from a .zip

def _zip_limit() -> int:
    from django.conf import settings

    return getattr(settings, "ZIP_MAX_BYTES", engine.ZIP_BYTES)


def _receive_zip(request, folder) -> tuple[object, str, str]:
    """(path of the stored upload or None, its name, an error): the declared size checked before anything
    of the request body is read, the file's own size after."""
    import uuid

    limit = _zip_limit()
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit + 64 * 1024:
        return None, "", f"Berkas terlalu besar (paling besar {limit // 1024 // 1024} MB)."
    f = request.FILES.get("zip")
    if f is None:
        return None, "", "Pilih berkas .zip berisi folder konten."
    name = f.name[:100]
    if f.size > limit:
        return None, name, f"Berkas terlalu besar (paling besar {limit // 1024 // 1024} MB)."
    if not name.lower().endswith(".zip"):
        return None, name, "Hanya berkas .zip yang dapat diimpor."
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4().hex}.zip"
    part = path.with_name(f".{path.stem}.part")  # stored whole or not at all
    with open(part, "wb") as out:
        for chunk in f.chunks():
            out.write(chunk)
    part.replace(path)
    return path, name, ""


@office_view(write=True, methods=("GET", "POST"))
def impor_konten(request, office):
    """Upload a content folder (.zip) as a new version of this office's content: one commit."""
    ctx = {"office": office, "write": True, "error": "", "findings": None, "baru": False}
    status = 200
    if request.method == "POST":
        path, name, error = _receive_zip(request, office.folder / "unggahan")
        if error:
            ctx["error"], status = error, 413 if "terlalu besar" in error else 422
        else:  # unpacked, checked and committed on a worker, under the office's lease (jobs/tasks.py)
            from renstra_gen.web.jobs import tasks
            from renstra_gen.web.jobs.models import Job

            job = Job.objects.create(office=office, kind=Job.Kind.IMPOR, created_by=request.user,
                                     commit=engine.head(office.content),
                                     params={"jenis": "zip", "berkas": path.name, "nama": name, "terapkan": True,
                                             "penulis": list(author_of(request.user))})
            log(request, "impor-konten-mulai", office, f"{name} ({job.pk})")
            tasks.enqueue(job)
            return HttpResponseRedirect(f"/k/{office.slug}/pekerjaan/{job.pk}/")
    return render(request, "ruang/impor_konten.html", ctx, status=status)


@require_http_methods(["GET", "POST"])
def kantor_impor(request):
    """(admin) A new office from a content folder (.zip): slug and name from the form, the rest from renstra.yaml."""
    import re as _re

    from django.conf import settings
    from renstra_gen.web.kantor.access import require_admin
    from renstra_gen.web.kantor.models import Office

    if not request.user.is_authenticated:
        return HttpResponseRedirect(f"{settings.LOGIN_URL}?next=/kantor/impor/")
    require_admin(request)
    ctx = {"error": "", "findings": None, "baru": True, "slug": "", "write": True}
    status = 200
    if request.method == "POST":
        slug = request.POST.get("singkatan", "").strip().lower()[:40]
        ctx["slug"] = slug
        if not _re.fullmatch(r"[a-z0-9][a-z0-9-]*", slug):
            ctx["error"], status = "Kode singkat: huruf kecil, angka dan tanda hubung, contoh: dp3a.", 422
        elif Office.objects.filter(slug=slug).exists():
            ctx["error"], status = "Kode ini sudah dipakai perangkat daerah lain.", 422
        else:
            from pathlib import Path

            office = Office(slug=slug, nama=slug)
            staging = Path(settings.RENSTRA_DATA) / "unggahan"
            path, name, error = _receive_zip(request, staging)
            if error:
                ctx["error"], status = error, 413 if "terlalu besar" in error else 422
            else:
                try:
                    office.folder.mkdir(parents=True, exist_ok=True)
                    engine.new_office_from_zip(office.content, path, author_of(request.user), name)
                except engine.RefusedError as e:
                    ctx["findings"], status = e.findings, 422
                    import shutil

                    shutil.rmtree(office.folder, ignore_errors=True)
                else:
                    ident = engine.identity(office.content)
                    pd = ident.get("perangkat_daerah") or {}
                    p = ident.get("periode") or {}
                    office.nama = str(pd.get("nama") or slug)[:200]
                    office.periode = f"{p.get('awal', '')}-{p.get('akhir', '')}"[:20]
                    office.save()
                    log(request, "kantor-baru", office, f"impor {name}")
                    return HttpResponseRedirect(f"/k/{office.slug}/")
                finally:
                    path.unlink(missing_ok=True)
    return render(request, "ruang/impor_konten.html", ctx, status=status)
