"""Office home, the Tabel 6.2 grid (save, add, remove, nomenclature search), findings, history."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.core.exceptions import PermissionDenied
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from renstra_gen.web import engine
from renstra_gen.web.audit.models import log
from renstra_gen.web.jobs.models import Job
from renstra_gen.web.kantor.access import can_write, office_view
from renstra_gen.web.kantor.views import author_of

FIELDS = ("indikator", "lokasi")


def _row_for_line(grid: engine.Grid, line: int | None) -> str | None:
    """The grid row a finding's line falls in (the last row starting at or before it)."""
    if line is None:
        return None
    best = None
    for r in grid.rows:
        if r.line is not None and r.line <= line:
            best = r.key
    return best


def _findings_view(findings: list[engine.Temuan], grid: engine.Grid | None, slug: str, folder=None) -> dict:
    """The findings panel: the new findings first (counted), those of the office's baseline
    (dasar-pemeriksaan.txt) apart as "sudah dikenal", as `renstra check` shows them; each with a
    link to the row or field it names, in whatever file."""
    panel = engine.panel(folder, findings) if folder is not None else engine.Panel(list(findings), [], False)
    forms: dict = {}

    def view(f):
        return {"f": f, "link": _link(f, grid, slug, folder, forms)}

    return {"baru": [view(f) for f in panel.baru], "dikenal": [view(f) for f in panel.dikenal],
            "galat": panel.galat, "peringatan": panel.peringatan, "dasar": engine.BASELINE_FILE}


def _link(f: engine.Temuan, grid, slug: str, folder, forms: dict) -> str | None:
    from urllib.parse import quote

    if grid is not None and f.file == grid.rel:
        key = _row_for_line(grid, f.line)
        return f"/k/{slug}/tabel-6-2/#baris-{key}" if key is not None else f"/k/{slug}/tabel-6-2/"
    if folder is None or not f.file:
        return None
    if f.file.endswith(".md"):
        if ".md" not in forms:
            forms[".md"] = engine.narrative_files(folder)
        if f.file in forms[".md"]:
            return f"/k/{slug}/naskah/?berkas={quote(f.file)}" + (f"&baris={f.line}#teks" if f.line else "")
        return None
    if ".yaml" not in forms:
        forms[".yaml"] = engine.form_files(folder)
    if f.file not in forms[".yaml"]:
        return None
    if f.file not in forms:
        try:
            forms[f.file] = engine.cached_formulir(folder, f.file)
        except engine.EngineError:
            forms[f.file] = None
    url = f"/k/{slug}/konten/?berkas={quote(f.file)}"
    form = forms[f.file]
    anchor = form.anchor_for(f.line) if form is not None else None
    return url + (f"#{anchor}" if anchor else "")


@office_view()
def beranda(request, office):
    slug = office.slug
    findings = engine.check(office.content)
    try:
        grid = engine.program_grid(office.content)
    except engine.EngineError:
        grid = None
    ident = engine.identity(office.content)
    return render(request, "ruang/beranda.html", {
        "office": office, "write": can_write(request.user, office), "ident": ident,
        "findings": _findings_view(findings, grid, slug, office.content),
        "jobs": Job.objects.filter(office=office)[:10], "years": _years(ident),
        "docs": engine.documents(office.content), "forms": engine.form_files(office.content),
        "narrative": engine.narrative_files(office.content),
    })


def _years(ident: dict) -> list[int]:
    try:
        p = ident["periode"]
        return list(range(int(p["awal"]), int(p["akhir"]) + 1))
    except (KeyError, TypeError, ValueError):
        return []


def _cells(grid: engine.Grid) -> dict[str, str]:
    """Every input of the grid form by name, with the value shown."""
    out = {}
    for r in grid.rows:
        if r.level == "jumlah":
            continue
        out[f"i-{r.key}"] = r.indikator
        out[f"l-{r.key}"] = r.lokasi
        for y in grid.years:
            out[f"t-{r.key}-{y}"] = r.target[y]
            if r.editable:
                out[f"p-{r.key}-{y}"] = r.pagu[y]
    return out


def _edits(grid: engine.Grid, posted: dict[str, str]) -> tuple[list, list[str], dict[str, str]]:
    """(YAML edits, what changed in words, errors by field) for the posted cells that differ."""
    rows = {r.key: r for r in grid.rows if r.level != "jumlah"}
    edits, words, errors = [], [], {}
    for name, shown in _cells(grid).items():
        if name not in posted:
            continue
        new = posted[name].strip()
        if new == shown.strip():
            continue
        kind, rest = name[0], name[2:]
        key, _, year = rest.partition("-")
        row = rows[key]
        path = row.path
        label = row.kode or row.nama[:40]
        if kind == "p":
            try:
                value = engine.parse_angka(new, rupiah=True)
            except ValueError as e:
                errors[name] = str(e)
                continue
            if value is not None and value < 0:
                errors[name] = "pagu tidak boleh negatif"
                continue
            edits.append((path + ("pagu", int(year)), None if value is None else engine.plain(value)))
            words.append(f"pagu {year} {label}: {shown or '-'} → {new or '-'}")
        elif kind == "t":
            try:
                value = engine.parse_angka(new)
                value = None if value is None else engine.plain(value)
            except ValueError as e:
                if engine.looks_numeric(new):  # a number written so that it could be misread
                    errors[name] = str(e)
                    continue
                value = new  # a target may be text ("60.300 &")
            edits.append((path + ("target", int(year)), value))
            words.append(f"target {year} {label}: {shown or '-'} → {new or '-'}")
        else:
            field = "indikator" if kind == "i" else "lokasi"
            edits.append((path + (field,), new or None))
            words.append(f"{field} {label}: {new or '-'}")
    return edits, words, errors


def _message(words: list[str]) -> str:
    head = "Tabel 6.2: " + "; ".join(words[:3])
    if len(words) > 3:
        head += f"; dan {len(words) - 3} perubahan lain"
    return head + ("\n\n" + "\n".join(words) if len(words) > 3 else "")


@office_view(write=True, methods=("GET", "POST"))
def tabel(request, office):
    """GET: the grid; POST: save the changed cells (stale base refused, refused values kept)."""
    slug = office.slug
    write = request.method == "POST"
    ctx = {"office": office, "write": can_write(request.user, office), "errors": {}, "posted": {},
           "saved": None, "stale": None, "refused": None}
    status = 200
    if write:
        grid_now = engine.program_grid(office.content)
        base = request.POST.get("base", "")
        posted = {k: v for k, v in request.POST.items() if k[:2] in ("p-", "t-", "i-", "l-")}
        if base != grid_now.blob:
            try:  # what the person had in front of them, to tell their edits from the other person's
                grid_base = engine.program_grid(office.content, blob=base)
            except Exception:  # noqa: BLE001 - an unknown base: every posted cell counts as theirs
                grid_base = None
            shown = _cells(grid_base) if grid_base is not None else {}
            mine = {n for n, v in posted.items() if grid_base is None or v.strip() != shown.get(n, "").strip()}
            ctx["stale"] = engine.stale(office.content, grid_now.rel, base)
            ctx["posted"] = {n: posted[n] for n in mine}  # their edits, over the current version
            ctx["grid"] = grid_now
            ctx["findings"] = _findings_view(engine.check(office.content), grid_now, slug, office.content)
            log(request, "simpan-ditolak", office, f"{grid_now.rel}: versi basi")
            return _grid_page(request, ctx, status=409)
        edits, words, errors = _edits(grid_now, posted)
        if errors:
            ctx.update(grid=grid_now, errors=errors, posted=posted,
                       findings=_findings_view(engine.check(office.content), grid_now, slug, office.content))
            return _grid_page(request, ctx, status=422)
        try:
            saved = engine.save_edits(office.content, grid_now.rel, edits, base, author_of(request.user),
                                      _message(words))
        except engine.StaleError as e:
            ctx.update(stale=e, posted=posted, grid=grid_now)
            status = 409
        except engine.RefusedError as e:
            ctx.update(refused=e.findings, posted=posted, grid=grid_now)
            status = 422
        else:
            if saved.commit:
                log(request, "simpan", office, _message(words)[:500])
            ctx["saved"] = words if saved.commit else []
            if not request.htmx and saved.commit:
                request.session["disimpan"] = words[:20]
                return HttpResponseRedirect(f"/k/{slug}/tabel-6-2/")
        ctx.setdefault("grid", None)
        if ctx["grid"] is None or status == 200:
            ctx["grid"] = engine.program_grid(office.content)
        ctx["findings"] = _findings_view(engine.check(office.content), ctx["grid"], slug, office.content)
        return _grid_page(request, ctx, status=status)
    ctx["grid"] = engine.program_grid(office.content)
    ctx["findings"] = _findings_view(engine.check(office.content), ctx["grid"], slug, office.content)
    ctx["saved"] = request.session.pop("disimpan", None)
    return _grid_page(request, ctx)


def _grid_page(request, ctx, status=200):
    ctx["rows_html"] = _rows_html(ctx["grid"], ctx.get("posted") or {}, ctx["errors"], ctx["write"])
    ctx["errors_count"] = ctx["findings"]["galat"]
    return render(request, "ruang/tabel.html", ctx, status=status)


def _rows_html(grid: engine.Grid, posted: dict, errors: dict, write: bool) -> SafeString:
    """The grid's rows as HTML, every value escaped (built here, not in a template loop: a few
    thousand inputs took a template a second to render, this a few tens of milliseconds)."""
    cells = _cells(grid)
    ro = "" if write else " readonly"
    out: list[str] = []

    def field(name: str, label: str, cls: str, col: str, extra: str = "") -> str:
        value = posted.get(name, cells.get(name, ""))
        mine = " milik" if name in posted else ""
        err = errors.get(name)
        bad = " salah" if err else ""
        html = (f'<input name="{name}" value="{escape(value)}" aria-label="{escape(label)}" class="{cls}{mine}{bad}"'
                f'{ro} data-col="{col}"{extra}>')
        return html + (f'<span class="galat kecil">{escape(err)}</span>' if err else "")

    for r in grid.rows:
        key = r.key or "jumlah"
        kode = escape(r.kode)
        out.append(f'<tr id="baris-{key}" class="lv-{r.level}" data-key="{r.key}" data-level="{r.level}">'
                   f'<td class="kol-kode">{kode}</td><td class="kol-nama">{escape(r.nama)}</td>')
        if r.level == "jumlah":
            out.append("<td></td>")
            for y in grid.years:
                out.append(f'<td></td><td class="angka"><output data-total="jumlah" data-year="{y}">{r.pagu[y]}</output></td>')
            out.append(f'<td class="angka"><output data-total="jumlah" data-year="akhir">{r.total}</output></td><td></td>')
            out.append("<td></td></tr>" if write else "</tr>")
            continue
        out.append(f'<td class="kol-ind">{field(f"i-{r.key}", f"Indikator {r.kode}", "teks", "ind")}</td>')
        for y in grid.years:
            out.append(f'<td>{field(f"t-{r.key}-{y}", f"Target {y} {r.kode}", "angka", f"t{y}")}</td>')
            if r.editable:
                extra = f' data-year="{y}" inputmode="decimal"'
                out.append(f'<td>{field(f"p-{r.key}-{y}", f"Pagu {y} {r.kode}", "angka pagu", f"p{y}", extra)}</td>')
            else:
                out.append(f'<td class="angka"><output data-total="{r.key}" data-year="{y}">{r.pagu[y]}</output></td>')
        out.append(f'<td class="angka"><output data-total="{r.key}" data-year="akhir">{r.total}</output></td>')
        out.append(f'<td>{field(f"l-{r.key}", f"Lokasi {r.kode}", "teks pendek", "lok")}</td>')
        if write:
            button = ""
            if r.editable:
                ask = escape(f"Hapus sub kegiatan {r.kode} {r.nama}?")
                button = (f'<button type="submit" form="hapus-form" name="baris" value="{r.key}" class="hapus" '
                          f'data-konfirmasi="{ask}" aria-label="Hapus {kode}">×</button>')
            out.append(f"<td>{button}</td>")
        out.append("</tr>")
    return mark_safe("\n".join(out))  # noqa: S308 - every value above went through escape()


@office_view()
def cari(request, office):
    """Nomenclature search (sub kegiatan), for adding a row: an HTML fragment of results."""
    if not can_write(request.user, office):
        raise PermissionDenied
    q = request.GET.get("q", "")[:100]
    grid = engine.program_grid(office.content)
    present = {r.kode for r in grid.rows}
    kegiatan = {engine.canonical(r.kode): r for r in grid.rows if r.level == "kegiatan" and r.kode}
    results = []
    for e in engine.search_nomenclature(q):
        parent = kegiatan.get(engine.canonical(engine.parent_code(e.kode) or ""))
        results.append({"e": e, "parent": parent, "present": e.kode in present})
    return render(request, "ruang/cari.html", {"office": office, "results": results, "q": q, "grid": grid})


@office_view(write=True, methods=("POST",))
def tambah(request, office):
    slug = office.slug
    rel = engine.program_table_file(office.content)
    try:
        engine.add_sub_kegiatan(office.content, rel, request.POST.get("kegiatan", ""),
                                        request.POST.get("kode", ""), request.POST.get("base", ""),
                                        author_of(request.user))
    except (engine.StaleError, engine.RefusedError) as e:
        messages.error(request, str(e))
    except (ValueError, KeyError, IndexError):
        messages.error(request, "Baris kegiatan tidak ditemukan.")
    else:
        log(request, "simpan", office, f"tambah sub kegiatan {request.POST.get('kode', '')}")
        request.session["disimpan"] = [f"sub kegiatan {request.POST.get('kode', '')} ditambahkan"]
    return HttpResponseRedirect(f"/k/{slug}/tabel-6-2/")


@office_view(write=True, methods=("POST",))
def hapus(request, office):
    slug = office.slug
    rel = engine.program_table_file(office.content)
    key = request.POST.get("baris", "")
    try:
        engine.remove_sub_kegiatan(office.content, rel, key, request.POST.get("base", ""), author_of(request.user))
    except (engine.StaleError, engine.RefusedError) as e:
        messages.error(request, str(e))
    except (ValueError, KeyError, IndexError):
        messages.error(request, "Baris sub kegiatan tidak ditemukan.")
    else:
        log(request, "simpan", office, f"hapus sub kegiatan baris {key}")
        request.session["disimpan"] = ["sub kegiatan dihapus"]
    return HttpResponseRedirect(f"/k/{slug}/tabel-6-2/")


@office_view()
def riwayat(request, office):
    return render(request, "ruang/riwayat.html", {
        "office": office, "write": can_write(request.user, office), "versions": engine.history(office.content),
        "jobs": Job.objects.filter(office=office, kind=Job.Kind.PERUBAHAN)[:5]})


@office_view(write=True, methods=("POST",))
def pulihkan(request, office):
    slug = office.slug
    commit = request.POST.get("versi", "")
    try:
        engine.restore(office.content, commit, author_of(request.user))
    except engine.RefusedError as e:
        messages.error(request, str(e))
    else:
        log(request, "pulihkan", office, commit)
    return HttpResponseRedirect(f"/k/{slug}/riwayat/")


def _upload_path(office, token: str):
    import re as _re

    if not _re.fullmatch(r"[0-9a-f]{32}", token or ""):
        raise Http404("Unggahan tidak ditemukan")
    return office.folder / "unggahan" / f"{token}.xlsx"


@office_view(write=True, methods=("GET", "POST"))
def impor(request, office):
    """Upload an edited workbook: its size checked before it is read, then the dry-run change list."""
    import uuid as _uuid

    from django.conf import settings

    ctx = {"office": office, "write": True, "error": ""}
    if request.method == "POST":
        try:  # the declared size first: nothing of a too large request is read or stored
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > settings.UPLOAD_MAX_BYTES + 64 * 1024:
            ctx["error"] = f"Berkas terlalu besar (paling besar {settings.UPLOAD_MAX_BYTES // 1024 // 1024} MB)."
            return render(request, "ruang/impor.html", ctx, status=413)
        f = request.FILES.get("buku")
        if f is None:
            ctx["error"] = "Pilih berkas .xlsx yang akan diunggah."
        elif f.size > settings.UPLOAD_MAX_BYTES:
            ctx["error"] = f"Berkas terlalu besar ({f.size // 1024 // 1024} MB; paling besar {settings.UPLOAD_MAX_BYTES // 1024 // 1024} MB)."
        elif not f.name.lower().endswith(".xlsx"):
            ctx["error"] = "Hanya buku kerja .xlsx yang dibuat Ruang kerja atau renstra build yang dapat diimpor."
        else:  # stored whole or not at all; read and checked on a worker (the job's page shows the result)
            token = _uuid.uuid4().hex
            path = _upload_path(office, token)
            path.parent.mkdir(parents=True, exist_ok=True)
            part = path.with_name(f".{token}.part")
            with open(part, "wb") as out:
                for chunk in f.chunks():
                    out.write(chunk)
            part.replace(path)
            return _start_import(request, office, {"token": token, "nama": f.name[:100], "terapkan": False})
    return render(request, "ruang/impor.html", ctx, status=422 if ctx["error"] else 200)


def _start_import(request, office, params: dict) -> HttpResponseRedirect:
    """The workbook import as a job of the office (jobs/tasks.py runs it under the office's lease)."""
    from renstra_gen.web.jobs import tasks

    job = Job.objects.create(office=office, kind=Job.Kind.IMPOR, params=params, created_by=request.user,
                             commit=engine.head(office.content))
    log(request, "impor-terapkan" if params["terapkan"] else "impor-coba", office, f"{params['nama']} ({job.pk})")
    tasks.enqueue(job)
    return HttpResponseRedirect(f"/k/{office.slug}/pekerjaan/{job.pk}/")


@office_view(write=True, methods=("POST",))
def impor_terapkan(request, office, token):
    """Apply a dry-run's workbook as one commit, only if the content is still the version it was checked against."""
    path = _upload_path(office, token)
    if not path.is_file():
        raise Http404("Unggahan tidak ditemukan")
    name = request.POST.get("nama", "")[:100]
    head = request.POST.get("head", "")
    if head != engine.head(office.content):
        path.unlink(missing_ok=True)
        messages.error(request, "Konten sudah berubah sejak daftar perubahan dibuat; unggah buku kerja itu lagi.")
        return HttpResponseRedirect(f"/k/{office.slug}/impor/")
    if Job.objects.filter(office=office, kind=Job.Kind.IMPOR, params__token=token, params__terapkan=True).exists():
        raise Http404("Unggahan ini sudah diterapkan")  # one apply per upload, even before its job ran
    return _start_import(request, office, {"token": token, "nama": name, "terapkan": True, "head": head,
                                           "penulis": list(author_of(request.user))})


IDENTITAS = [  # (path in renstra.yaml, label)
    (("perangkat_daerah", "nama"), "Nama perangkat daerah"),
    (("perangkat_daerah", "singkatan"), "Singkatan"),
    (("perangkat_daerah", "alamat"), "Alamat kantor"),
    (("daerah", "nama"), "Daerah"),
    (("daerah", "ibu_kota"), "Ibu kota"),
    (("daerah", "provinsi"), "Provinsi"),
    (("kepala", "jabatan"), "Jabatan kepala"),
    (("kepala", "nama"), "Nama kepala"),
    (("kepala", "pangkat"), "Pangkat/golongan"),
    (("kepala", "nip"), "NIP"),
    (("penetapan", "tempat"), "Tempat penetapan"),
    (("penetapan", "tanggal"), "Tanggal penetapan (TTTT-BB-HH)"),
    (("kertas",), "Kertas (A4 atau F4)"),
]


def _identitas_values(office) -> dict[str, str]:
    data = engine.identity(office.content)
    out = {}
    for path, _ in IDENTITAS:
        node = data
        for part in path:
            node = node.get(part) if isinstance(node, dict) else None
        out[".".join(path)] = "" if node is None else str(node)
    return out


@office_view(write=True, methods=("GET", "POST"))
def identitas(request, office):
    """renstra.yaml as a form: office, region, head of office, date and place, paper."""
    values = _identitas_values(office)
    ctx = {"office": office, "write": can_write(request.user, office), "stale": None, "refused": None,
           "base": engine.blob_of(office.content, "renstra.yaml")}
    status = 200
    posted = {}
    if request.method == "POST":
        posted = {k: request.POST.get(k, "").strip() for k in values}
        edits, words = [], []
        for path, label in IDENTITAS:
            key = ".".join(path)
            if posted[key] != values[key]:
                edits.append((path, posted[key] or None))
                words.append(f"{label}: {posted[key] or '-'}")
        try:
            saved = engine.save_edits(office.content, "renstra.yaml", edits, request.POST.get("base", ""),
                                      author_of(request.user), "Identitas: " + "; ".join(words[:4]))
        except engine.StaleError as e:
            ctx["stale"], status = e, 409
        except engine.RefusedError as e:
            ctx["refused"], status = e.findings, 422
        else:
            if saved.commit:
                log(request, "simpan", office, "renstra.yaml: " + "; ".join(words)[:500])
                messages.success(request, "Tersimpan: " + "; ".join(words))
            return HttpResponseRedirect(f"/k/{office.slug}/identitas/")
    ctx["fields"] = [{"name": ".".join(p), "label": label, "value": posted.get(".".join(p), values[".".join(p)]),
                      "mine": ".".join(p) in posted and posted[".".join(p)] != values[".".join(p)]}
                     for p, label in IDENTITAS]
    return render(request, "ruang/identitas.html", ctx, status=status)


@office_view(write=True, methods=("GET", "POST"))
def naskah(request, office):
    """The narrative (BAB, Kata Pengantar) in a text editor; "Pratinjau" shows it as composed, "Simpan" saves."""
    files = engine.narrative_files(office.content)
    rel = request.GET.get("berkas") or (files[0] if files else "")
    if rel not in files:
        raise Http404("Berkas naskah tidak ditemukan")
    ctx = {"office": office, "write": can_write(request.user, office), "files": files, "rel": rel,
           "stale": None, "refused": None, "preview": None, "preview_findings": None}
    status = 200
    text = (office.content / rel).read_text(encoding="utf-8")
    base = engine.blob_of(office.content, rel)
    if request.method == "POST":
        text = request.POST.get("teks", "")[:2_000_000]
        base = request.POST.get("base", "")
        if request.POST.get("aksi") == "pratinjau":
            ctx["preview"], ctx["preview_findings"] = engine.preview(office.content, rel, text)
        else:
            try:
                saved = engine.save_text(office.content, rel, text, base, author_of(request.user), f"Naskah: {rel}")
            except engine.StaleError as e:
                ctx["stale"], status = e, 409
            except engine.RefusedError as e:
                ctx["refused"], status = e.findings, 422
            else:
                if saved.commit:
                    log(request, "simpan", office, rel)
                    messages.success(request, f"{rel} tersimpan.")
                return HttpResponseRedirect(f"/k/{office.slug}/naskah/?berkas={rel}")
    baris = request.GET.get("baris", "")
    ctx.update(text=text, base=base, baris=int(baris) if baris.isdigit() and len(baris) < 8 else None)
    return render(request, "ruang/naskah.html", ctx, status=status)
