"""`renstra perubahan LAMA BARU`: two versions of the content compared, as a change list and tracked changes.

A version is a content folder or a git revision of the repository holding the content folder;
a revision's files are read raw from git's object store (`ls-tree` and `cat-file`, so none of the
repository's filters run, within a byte budget) into a temporary folder (the user's work tree is
never checked out). Both versions are loaded, checked and composed as a build does; the change list
comes from the two plans (diff.py), the tracked-changes .docx from the two rendered documents
(render/revisions.py).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import subprocess
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from renstra_gen.compose.diff import Change, compare, DAMPAK, number_masker
from renstra_gen.compose.renstra import Plan
from renstra_gen.content.load import load_content
from renstra_gen.errors import ContentError, error, Finding, RenstraError, Source
from renstra_gen.layout.pohon import figure_parts
from renstra_gen.render.figures import start_drawings
from renstra_gen.content import limits
from renstra_gen.render.package import DOCUMENT_LEVEL, zip_parts
from renstra_gen.system.atomic import write_atomically
from renstra_gen.workflows.build import collector_paused, DEFAULT_TEMPLATES, plan_content, require_templates


class VersionError(RenstraError):
    """A version named on the command line is neither a content folder nor a git revision."""


@dataclass
class Result:
    changes: list[Change]
    written: list[Path]
    revisions: int  # w:ins/w:del marks written into the .docx


@contextlib.contextmanager
def version_folder(spec: str, content_dir: Path) -> Iterator[tuple[Path, str]]:
    """The content folder of a version, and how to name it: a folder as is, a git revision extracted."""
    path = Path(spec)
    if path.is_dir():
        yield path, str(path)
        return
    if spec.startswith("-"):  # never an option to git
        raise VersionError(f"'{spec}' bukan folder maupun revisi git")
    content_dir = Path(content_dir).resolve()
    if not content_dir.is_dir():
        raise VersionError(f"'{spec}' bukan folder, dan folder konten {content_dir} tidak ada untuk membaca revisi git")
    top = _git(content_dir, "rev-parse", "--show-toplevel", what=spec).strip()
    prefix = _git(content_dir, "rev-parse", "--show-prefix", what=spec).strip()
    commit = _git(content_dir, "rev-parse", "--verify", "--quiet", f"{spec}^{{commit}}", what=spec).strip()
    files = _tree(top, commit, prefix, spec)
    from renstra_gen.system.scratch import scratch_dir

    with scratch_dir("perubahan") as tmp:
        _extract(top, files, tmp, spec)
        (tmp / prefix).mkdir(parents=True, exist_ok=True)
        yield tmp / prefix, f"{spec} ({commit[:10]})"


#: The most bytes read from one revision (every file of the content folder), and from one file: the
#: content budget (YAML, Markdown, workbooks and attached PDFs within their own limits).
REVISION_BYTES = 256 * 1024 * 1024
FILE_BYTES = max(limits.ATTACHMENT_BYTES, limits.XLSX_BYTES, limits.YAML_BYTES)


def _tree(top: str, commit: str, prefix: str, spec: str) -> list[tuple[str, str, int]]:
    """(path from the top, blob id, size) of the regular files of the content folder at `commit`.

    Read from git's object store as they were committed (`ls-tree`, then `cat-file`): unlike `git
    archive`, no smudge or text filter of the repository (its .git/config and .gitattributes) runs,
    and every size is known, and checked against the budget, before a byte is read."""
    done = subprocess.run(["git", "-C", top, "ls-tree", "-r", "-l", "-z", "--full-tree", commit, "--",
                           prefix or "."], capture_output=True)
    if done.returncode != 0:
        raise VersionError(f"revisi git '{spec}' tidak memuat folder konten '{prefix or '.'}': "
                           f"{done.stderr.decode(errors='replace').strip()}")
    files, total = [], 0
    for entry in done.stdout.split(b"\0"):
        if not entry:
            continue
        meta, _, path = entry.partition(b"\t")
        mode, kind, oid, size = meta.decode("ascii").split()
        name = path.decode("utf-8", "surrogateescape")
        if kind != "blob" or mode not in ("100644", "100755"):
            continue  # links and submodules: never followed
        size = int(size)
        total += size
        if size > FILE_BYTES:
            raise ContentError([error(Source(f"{spec}:{name}"), f"berukuran {limits.size(size)}, lebih besar dari "
                                                                f"{limits.size(FILE_BYTES)}; revisi ini tidak dibaca")])
        if total > REVISION_BYTES:
            raise ContentError([error(Source(f"{spec}:{prefix or '.'}"), f"folder konten revisi ini lebih besar dari "
                                                                         f"{limits.size(REVISION_BYTES)}; tidak dibaca")])
        files.append((name, oid, size))
    if not files:
        raise VersionError(f"revisi git '{spec}' tidak memuat folder konten '{prefix or '.'}'")
    return files


def _extract(top: str, files: list[tuple[str, str, int]], dest: Path, spec: str) -> None:
    """The blobs written as regular files under `dest` (nothing outside it), read raw with `git cat-file`."""
    proc = subprocess.Popen(["git", "-C", top, "cat-file", "--batch"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        for name, oid, size in files:
            rel = Path(name)
            if rel.is_absolute() or ".." in rel.parts:
                continue
            proc.stdin.write(oid.encode("ascii") + b"\n")
            proc.stdin.flush()
            head = proc.stdout.readline().split()
            if len(head) != 3 or head[1] != b"blob" or int(head[2]) != size:
                raise VersionError(f"revisi git '{spec}': berkas {name} tidak dapat dibaca dari repositori")
            target = dest / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "wb") as f:
                left = size
                while left:
                    chunk = proc.stdout.read(min(left, 1 << 20))
                    if not chunk:
                        raise VersionError(f"revisi git '{spec}': berkas {name} terpotong")
                    f.write(chunk)
                    left -= len(chunk)
            proc.stdout.read(1)  # the newline after each object
    except OSError as e:
        raise VersionError(f"revisi git '{spec}' tidak dapat dibaca ({e.strerror or e})") from e
    finally:
        with contextlib.suppress(OSError):
            proc.stdin.close()
        proc.kill()
        proc.wait()


def _git(cwd: Path, *args: str, what: str) -> str:
    try:
        done = subprocess.run(["git", "-C", str(cwd), *args], capture_output=True, text=True)
    except FileNotFoundError as e:
        raise VersionError(f"'{what}' bukan folder, dan git tidak terpasang untuk membaca revisi") from e
    if done.returncode != 0:
        if args[0] == "rev-parse" and "--show-toplevel" in args:
            raise VersionError(f"'{what}' bukan folder, dan {cwd} tidak berada di repositori git")
        raise VersionError(f"'{what}' bukan folder maupun revisi git yang dikenal di {cwd}")
    return done.stdout


def revision_date(plan: Plan) -> str:
    """The revisions' date: SOURCE_DATE_EPOCH if set, else the new version's date of penetapan."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        stamp = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    else:
        stamp = dt.datetime.combine(plan.identity.penetapan.tanggal, dt.time(), dt.timezone.utc)
    return stamp.strftime("%Y-%m-%dT%H:%M:%SZ")


def _plan(folder: Path, label: str, templates: Path) -> tuple[Plan, bytes]:
    """Load, check, compose and render one version's document; errors name the version."""
    from renstra_gen.render.docx import render_docx

    try:
        content = load_content(folder)
        parts = figure_parts(content)
        with start_drawings(content, parts) as drawings:
            plan = plan_content(content, parts)
            pngs = {key: drawings.png(key) for key in plan.figures}
    except ContentError as e:
        raise ContentError([Finding(Source(f"{label}: {f.source.file}", f.source.line), f.message, f.severity)
                            for f in e.findings]) from e
    # no merged label repeated "(lanjutan)": where pages break differs between the two versions and
    # is not a change of content (render/table.py)
    return plan, render_docx(plan, templates / "renstra.docx", pngs, breaks={})


@collector_paused()
def perubahan(lama: str, baru: str | None, out_dir: Path, content_dir: Path,
              templates: Path = DEFAULT_TEMPLATES) -> Result:
    """Compare two versions; write <slug>-perubahan.xlsx and <slug>-perubahan.docx."""
    from renstra_gen.render.revisions import track_changes

    templates = Path(templates)
    require_templates(templates, "renstra.docx")
    with version_folder(lama, content_dir) as (old_dir, old_label):
        old_plan, old_docx = _plan(old_dir, old_label, templates)
    with version_folder(baru or str(content_dir), content_dir) as (new_dir, new_label):
        new_plan, new_docx = _plan(new_dir, new_label, templates)
    changes = compare(old_plan, new_plan)
    slug = new_plan.identity.slug
    with zipfile.ZipFile(io.BytesIO(old_docx)) as z:
        old_xml = z.read("word/document.xml")
    with zipfile.ZipFile(io.BytesIO(new_docx)) as z:
        parts = {info.filename: z.read(info) for info in z.infolist()}
    xml, rev = track_changes(old_xml, parts["word/document.xml"], new_plan.identity.perangkat_daerah.nama,
                             revision_date(new_plan), number_masker(old_plan), number_masker(new_plan))
    parts["word/document.xml"] = xml
    from renstra_gen.render.changes import changes_xlsx

    files = {
        f"{slug}-perubahan.docx": zip_parts(parts.items(), level=DOCUMENT_LEVEL),  # as the document it marks
        f"{slug}-perubahan.xlsx": changes_xlsx(changes, old_label, new_label, new_plan.identity.perangkat_daerah.nama,
                                               dt.datetime.combine(new_plan.identity.penetapan.tanggal, dt.time())),
    }
    written = write_atomically({Path(out_dir) / name: data for name, data in files.items()}, replace_links=True)
    return Result(changes, written, rev.marks)


def summary_lines(changes: list[Change]) -> list[str]:
    """The change list for the terminal, grouped by table or chapter, in Bahasa Indonesia."""
    lines: list[str] = []
    group = None
    for c in changes:
        if c.bagian != group:
            group = c.bagian
            lines += ["", f"{c.bagian} ({c.berkas})"]
        mark = " (dampak)" if c.sifat == DAMPAK else ""
        where = " | ".join(x for x in (c.tempat, c.kolom) if x)
        if c.jenis.endswith("diubah"):
            what = f"{c.lama or '(kosong)'} -> {c.baru or '(kosong)'}"
        else:
            what = c.lama or c.baru
        lines.append(f"  {c.jenis}{mark}: {where + ': ' if where else ''}{what}")
    direct = sum(1 for c in changes if c.sifat != DAMPAK)
    lines += ["", f"{len(changes)} perubahan: {direct} langsung, {len(changes) - direct} dampak."]
    return lines
