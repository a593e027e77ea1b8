"""The workspace's one door into renstra_gen: every workflow a view needs, and nothing else imports the engine.

The lead remaps this module's imports when the package's stages move; the views only know the
names defined here. Views never touch YAML, LibreOffice or git directly: they call these functions.
Git runs with a fixed environment (no user or system config, no hooks, no signing), one repository
per office, every save a commit authored by the person who made it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import subprocess
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from renstra_gen.content import nomenklatur as nk
from renstra_gen.content.angka_id import baca, tampak_angka
from renstra_gen import numbers
from renstra_gen.workflows.build import build as _build, build_renja as _build_renja, DEFAULT_TEMPLATES, inspect as _inspect
from renstra_gen.compute.program import compute_program
from renstra_gen.errors import ContentError, error as _error, Finding, RenstraError, Source
from renstra_gen.workflows.init import init as _init
from renstra_gen.content.load import load_content
from renstra_gen.content.yamlio import _spans, edit_yaml, yaml_scalar

#: The package's default content (the demo office starts from a copy of it).
DEFAULT_CONTENT = Path(__file__).resolve().parent.parent.parent / "content"
PROGRAM_KIND = "program-pendanaan"
EngineError = RenstraError


# ---------------------------------------------------------------- numbers typed the Indonesian way

def parse_angka(text: str, rupiah: bool = False) -> Decimal | None:
    """A number typed in a grid cell, read by the content's own rule (content/angka_id.py):
    `1.500.000`, `85,5`, `Rp 1.500.000`; '' or '-' is None. `rupiah`: a whole amount (a pagu).
    AngkaError (a ValueError with an Indonesian message) for anything else, and for a form that
    can be read two ways (`2.5`: 2,5 or 2.500?)."""
    t = (text or "").replace("\u00a0", " ").strip()
    return None if not t else baca(t, rupiah=rupiah)


def looks_numeric(text: str) -> bool:
    """Text that is meant as a number (a refused one is an error, never kept as text)."""
    return tampak_angka((text or "").strip())


def plain(value: Decimal):
    """An int when the number is whole (written `1500000`, not `1500000.0`)."""
    return int(value) if value == value.to_integral_value() else value


def tampil(value, pagu: bool = False) -> str:
    """A value as the document prints it: `1.500.000`, `85,5`, text as written, '' for none."""
    if value is None:
        return ""
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return numbers.angka(value) if pagu else numbers.nilai(value)
    return str(value)


# ---------------------------------------------------------------- git, with a fixed environment

class GitError(RenstraError):
    """A git command of an office repository failed."""


def _git_env(author: tuple[str, str] | None = None) -> dict:
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "LC_ALL", "TZ")}
    env.update(GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull, HOME=tempfile.gettempdir(),
               GIT_TERMINAL_PROMPT="0", GIT_OPTIONAL_LOCKS="0")
    name, email = author or ("Ruang Kerja", "ruang-kerja@localhost")
    env.update(GIT_AUTHOR_NAME=name, GIT_AUTHOR_EMAIL=email, GIT_COMMITTER_NAME=name, GIT_COMMITTER_EMAIL=email)
    return env


def git(repo: Path, *args: str, author: tuple[str, str] | None = None, check: bool = True, data: bytes | None = None) -> str:
    cmd = ["git", "-c", "core.hooksPath=/dev/null", "-c", "commit.gpgSign=false", "-c", "core.autocrlf=false",
           "-c", "core.fsmonitor=false", "-c", "protocol.allow=never", "-C", str(repo), *args]
    p = subprocess.run(cmd, input=data, capture_output=True, env=_git_env(author), timeout=120)
    if check and p.returncode != 0:
        raise GitError(f"git {args[0]}: {p.stderr.decode('utf-8', 'replace').strip()}")
    return p.stdout.decode("utf-8", "replace")


def init_repository(folder: Path, author: tuple[str, str], message: str) -> str:
    git(folder, "init", "-q", "-b", "utama")
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", message, author=author)
    return head(folder)


def head(folder: Path) -> str:
    return git(folder, "rev-parse", "HEAD").strip()


def blob_of(folder: Path, rel: str) -> str:
    """The git blob hash of a content file as it is now ('' when it does not exist)."""
    path = folder / rel
    if not path.is_file():
        return ""
    return git(folder, "hash-object", "--", rel).strip()


@dataclass
class Version:
    commit: str
    author: str
    email: str
    when: str
    message: str

    @property
    def waktu(self) -> str:
        """'2026-12-07T04:49:33+07:00' as '07-12-2026 04:49'."""
        d, _, t = self.when.partition("T")
        return f"{d[8:10]}-{d[5:7]}-{d[0:4]} {t[:5]}" if len(d) == 10 else self.when


def history(folder: Path, limit: int = 200) -> list[Version]:
    out = git(folder, "log", f"-n{limit}", "--format=%H%x1f%an%x1f%ae%x1f%aI%x1f%s%x1e")
    versions = []
    for rec in out.split("\x1e"):
        rec = rec.strip()
        if rec:
            c, a, e, w, s = rec.split("\x1f")
            versions.append(Version(c, a, e, w, s))
    return versions


def is_commit(folder: Path, rev: str) -> bool:
    return bool(re.fullmatch(r"[0-9a-f]{7,40}", rev or "")) and \
        git(folder, "cat-file", "-t", rev, check=False).strip() == "commit"


def commit_all(folder: Path, author: tuple[str, str], message: str) -> str | None:
    """Commit everything changed in the repository; None when nothing changed."""
    git(folder, "add", "-A")
    if not git(folder, "status", "--porcelain"):
        return None
    git(folder, "commit", "-q", "-m", message, author=author)
    return head(folder)


@contextlib.contextmanager
def office_lock(folder: Path):
    """One writer of an office's content at a time (saves, restores, imports), across processes."""
    lock_path = folder.parent / ".kunci"
    with open(lock_path, "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


# ---------------------------------------------------------------- findings

@dataclass
class Temuan:
    file: str
    line: int | None
    severity: str  # "galat" / "peringatan"
    message: str

    @property
    def is_error(self) -> bool:
        return self.severity == "galat"


def _temuan(findings: list[Finding], root: Path | None = None) -> list[Temuan]:
    out = []
    for f in findings:
        file = f.source.file
        if root is not None:  # absolute paths of the content folder shown relative to it
            with contextlib.suppress(ValueError):
                file = str(Path(file).relative_to(root))
        out.append(Temuan(file, f.source.line, f.severity.value, f.message))
    return out


_CHECKED: dict[str, tuple[str, list]] = {}  # content folder -> (commit, findings): one check per version


def check(folder: Path) -> list[Temuan]:
    """Every finding `renstra check` prints for the content folder (load errors included).

    The workspace commits every change, so the findings of a commit are computed once per process."""
    folder = Path(folder)
    commit = git(folder, "rev-parse", "-q", "--verify", "HEAD", check=False).strip()
    known = _CHECKED.get(str(folder))
    if commit and known and known[0] == commit and not git(folder, "status", "--porcelain", "-uall"):
        return list(known[1])
    findings = _temuan(_inspect(folder, collect=True), folder)
    if commit:
        _CHECKED[str(folder)] = (commit, findings)
    return list(findings)


def _readable(folder: Path) -> list[Temuan]:
    """The errors that keep the content from loading (none: the CLI can read it)."""
    try:
        load_content(Path(folder))
    except ContentError as e:
        return _temuan([f for f in e.findings if f.is_error], Path(folder))
    return []


# ---------------------------------------------------------------- the program tree grid (Tabel 6.2)

@dataclass
class Baris:
    """One row of the program tree grid."""

    level: str  # program / kegiatan / sub_kegiatan / jumlah
    key: str  # "0", "0.1", "0.1.2": indexes of program, kegiatan, sub kegiatan
    kode: str
    nama: str
    indikator: str
    lokasi: str
    target: dict[int, str]
    pagu: dict[int, str]  # as written (sub kegiatan) or as computed and printed (parents)
    total: str  # the row's kondisi akhir Rp
    line: int | None = None

    @property
    def editable(self) -> bool:
        return self.level == "sub_kegiatan"

    @property
    def path(self) -> tuple:
        parts = [int(x) for x in self.key.split(".")]
        out: tuple = ("program", parts[0])
        if len(parts) > 1:
            out += ("kegiatan", parts[1])
        if len(parts) > 2:
            out += ("sub_kegiatan", parts[2])
        return out


@dataclass
class Grid:
    rel: str  # the table's file, relative to the content folder
    judul: str
    years: list[int]
    rows: list[Baris]
    blob: str  # the file's git blob hash the grid was read from
    findings: list[Temuan] = field(default_factory=list)


def program_table_file(folder: Path) -> str | None:
    """The content file of the program tree (Tabel 6.2 / T-C.27), or None."""
    for path in sorted((Path(folder) / "tabel").glob("*.yaml")):
        with contextlib.suppress(OSError, UnicodeDecodeError):
            head_text = path.read_text(encoding="utf-8")[:4000]
            if re.search(rf"^jenis:\s*[\"']?{PROGRAM_KIND}[\"']?\s*$", head_text, re.M):
                return f"tabel/{path.name}"
    return None


_GRIDS: dict[tuple, Grid] = {}  # (files' identities) -> grid: the form a person just got is not read again


def _stat_key(folder: Path, rel: str) -> tuple:
    out = [str(folder), rel]
    for name in (rel, "renstra.yaml"):
        st = (folder / name).stat()
        out += [st.st_ino, st.st_mtime_ns, st.st_size]
    return tuple(out)


def program_grid(folder: Path, blob: str | None = None) -> Grid:
    """The rows of the program tree with their computed kegiatan/program/JUMLAH totals.

    With `blob`, the table as it was in that git blob (the version a form was read from)."""
    folder = Path(folder)
    rel = program_table_file(folder)
    key = None
    if blob is None and rel is not None:
        key = _stat_key(folder, rel)  # a save replaces the file (new inode): never a stale hit
        if key in _GRIDS:
            return _GRIDS[key]
    grid = _program_grid(folder, blob)
    if key is not None:
        if len(_GRIDS) > 32:
            _GRIDS.clear()
        _GRIDS[key] = grid
    return grid


def _program_grid(folder: Path, blob: str | None = None) -> Grid:
    from renstra_gen.content import model as m
    from renstra_gen.content.yamlio import load_yaml, locate, validate

    folder = Path(folder)
    rel = program_table_file(folder)
    if rel is None:
        raise ContentError([_error(Source("tabel"), "tabel program-pendanaan (Tabel 6.2) tidak ada di konten")])
    data, tree = load_yaml(folder / "renstra.yaml", "renstra.yaml")
    ident = validate(m.Identity, data, tree, "renstra.yaml")
    years = ident.periode.years
    if blob:
        with tempfile.TemporaryDirectory(prefix="renstra-blob-") as tmp:
            path = Path(tmp) / "t.yaml"
            path.write_bytes(git(folder, "cat-file", "blob", blob).encode("utf-8"))
            data, tree = load_yaml(path, rel)
    else:
        data, tree = load_yaml(folder / rel, rel)
    table = validate(m.ProgramTable, data, tree, rel)
    matrix = compute_program(table, years)
    rows: list[Baris] = []

    def add(node, key: str, loc: tuple) -> None:
        r = node.row
        rows.append(Baris(node.level, key, r.kode or "", r.nama, r.indikator or "", r.lokasi or "",
                          {y: tampil(r.target.get(y)) for y in years},
                          {y: tampil(node.pagu.get(y), pagu=True) for y in years},
                          tampil(node.kondisi_akhir, pagu=True), locate(tree, loc)))

    for i, p in enumerate(matrix.programs):
        add(p, f"{i}", ("program", i))
        for j, k in enumerate(p.children):
            add(k, f"{i}.{j}", ("program", i, "kegiatan", j))
            for n, s in enumerate(k.children):
                add(s, f"{i}.{j}.{n}", ("program", i, "kegiatan", j, "sub_kegiatan", n))
    total = matrix.total
    rows.append(Baris("jumlah", "", "", "JUMLAH", "", "", {y: "" for y in years},
                      {y: tampil(total.get(y), pagu=True) for y in years}, tampil(matrix.total_akhir, pagu=True)))
    return Grid(rel, table.judul or "Tabel 6.2", years, rows, blob or blob_of(folder, rel))


# ---------------------------------------------------------------- saving: only the changed lines, then check

class StaleError(RenstraError):
    """The file changed since the form was read; carries what the other person changed."""

    def __init__(self, rel: str, changes: list[Version], diff: str):
        self.rel, self.changes, self.diff = rel, changes, diff
        who = ", ".join(sorted({c.author for c in changes})) or "orang lain"
        super().__init__(f"{rel} sudah diubah oleh {who} sejak Anda membukanya; simpanan Anda tidak diterapkan")


class RefusedError(RenstraError):
    """The edit would make the content unreadable; nothing was written."""

    def __init__(self, findings: list[Temuan]):
        self.findings = findings
        super().__init__("; ".join(f"{f.file}:{f.line or ''} {f.message}" for f in findings))


@dataclass
class Saved:
    commit: str | None  # None: nothing changed
    findings: list[Temuan]
    blob: str


def stale(folder: Path, rel: str, base_blob: str) -> StaleError | None:
    """What changed `rel` since the version `base_blob` (None when it is still that version)."""
    try:
        _stale(Path(folder), rel, base_blob)
    except StaleError as e:
        return e
    return None


def _stale(folder: Path, rel: str, base_blob: str) -> None:
    """StaleError when `rel` is no longer the blob the form was read from."""
    if blob_of(folder, rel) == base_blob:
        return
    base = None  # the newest commit that still had the file as the form saw it
    for v in history(folder, 200):
        if git(folder, "rev-parse", "-q", "--verify", f"{v.commit}:{rel}", check=False).strip() == base_blob:
            base = v.commit
            break
    rng = [f"{base}..HEAD"] if base else ["-n5"]
    out = git(folder, "log", *rng, "--format=%H%x1f%an%x1f%ae%x1f%aI%x1f%s%x1e", "--", rel)
    changes = [Version(*rec.strip().split("\x1f")) for rec in out.split("\x1e") if rec.strip()]
    diff = git(folder, "diff", "--no-color", "-U0", "--no-ext-diff", base or "HEAD~1", "HEAD", "--", rel, check=False)
    lines = [ln for ln in diff.splitlines() if ln[:1] in "+-" and not ln.startswith(("+++", "---"))]
    raise StaleError(rel, changes, "\n".join(lines[:60]))


def _write_and_commit(folder: Path, texts: dict[str, str], author: tuple[str, str], message: str) -> Saved:
    """Write the new texts, refuse (and restore) if the content no longer loads, else commit and check."""
    old = {rel: (folder / rel).read_bytes() if (folder / rel).exists() else None for rel in texts}
    for rel, text in texts.items():
        _atomic_write(folder / rel, text.encode("utf-8"))
    try:
        content = load_content(folder)  # what the CLI reads; loaded once for both the guard and the check
    except ContentError as e:
        for rel, data in old.items():
            if data is None:
                (folder / rel).unlink(missing_ok=True)
            else:
                _atomic_write(folder / rel, data)
        raise RefusedError(_temuan([f for f in e.findings if f.is_error], folder)) from None
    commit = commit_all(folder, author, message)
    findings = _check_loaded(content)
    if commit:
        _CHECKED[str(folder)] = (commit, findings)
    rel0 = next(iter(texts))
    return Saved(commit, list(findings), blob_of(folder, rel0))


def _check_loaded(content) -> list[Temuan]:
    """`renstra check` of content already loaded (build.inspect without its second load)."""
    from renstra_gen.workflows.build import check_renja_years, collector_paused, plan_content

    with collector_paused():
        try:
            plan = plan_content(content)
            found = plan.warnings + check_renja_years(plan.content, plan.derived)
        except ContentError as e:
            found = e.findings
    return _temuan(found, content.root)


def _atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        with contextlib.suppress(OSError):
            os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def save_edits(folder: Path, rel: str, edits: list[tuple[tuple, object]], base_blob: str,
               author: tuple[str, str], message: str) -> Saved:
    """Apply (path, value) edits to one YAML file through the lossless editor and commit them.

    StaleError when the file changed since `base_blob`; RefusedError when the result would not load."""
    folder = Path(folder)
    with office_lock(folder):
        _stale(folder, rel, base_blob)
        if not edits:
            return Saved(None, check(folder), base_blob)
        text = (folder / rel).read_text(encoding="utf-8")
        try:
            new = edit_yaml(text, edits)
        except (KeyError, TypeError, ValueError) as e:
            raise RefusedError([Temuan(rel, None, "galat", f"perubahan tidak dapat diterapkan pada berkas ({e})")]) from e
        return _write_and_commit(folder, {rel: new}, author, message)


def _seq_of(text: str, path: tuple):
    """The span of the sequence at `path` (e.g. ("program", 0, "kegiatan", 2, "sub_kegiatan")) and its key span."""
    span = _spans(text)
    key_span = None
    for part in path:
        if span is None:
            raise KeyError(part)
        if span.kind == "map":
            if part not in span.keys:
                raise KeyError(part)
            key_span, span = span.keys[part]
        elif span.kind == "seq":
            span = span.items[part]
        else:
            raise KeyError(part)
    return span, key_span


def _line_start(text: str, i: int) -> int:
    return text.rfind("\n", 0, i) + 1


def _after_line(text: str, i: int) -> int:
    nl = text.find("\n", i)
    return len(text) if nl < 0 else nl + 1


def add_sub_kegiatan(folder: Path, rel: str, kegiatan_key: str, kode: str, base_blob: str,
                     author: tuple[str, str]) -> Saved:
    """Insert a sub kegiatan of the nomenclature under a kegiatan of the tree (kode, name, indikator (satuan))."""
    folder = Path(folder)
    entry = nomenclature().get(kode)
    if entry is None or entry.level != "sub_kegiatan":
        raise RefusedError([Temuan(rel, None, "galat", f"kode {kode} bukan sub kegiatan dalam nomenklatur")])
    i, j = (int(x) for x in kegiatan_key.split(".")[:2])
    with office_lock(folder):
        _stale(folder, rel, base_blob)
        text = (folder / rel).read_text(encoding="utf-8")
        nl = "\r\n" if "\r\n" in text else "\n"
        kegiatan, _ = _seq_of(text, ("program", i, "kegiatan", j))
        indikator = f"{entry.indikator} ({entry.satuan})" if entry.indikator and entry.satuan else (entry.indikator or None)
        fields = [f"kode: {yaml_scalar(entry.kode, chr(34))}", f"nama: {yaml_scalar(entry.nama)}",
                  f"indikator: {yaml_scalar(indikator) if indikator else 'null'}", "target: {}", "pagu: {}"]
        if "sub_kegiatan" in kegiatan.keys and kegiatan.keys["sub_kegiatan"][1].kind == "seq" \
                and not kegiatan.keys["sub_kegiatan"][1].flow and kegiatan.keys["sub_kegiatan"][1].items:
            seq = kegiatan.keys["sub_kegiatan"][1]
            first = seq.items[0]
            dash = text.rindex("-", _line_start(text, first.start), first.start)
            indent = " " * (dash - _line_start(text, dash))
            block = "".join(f"{indent}{'- ' if n == 0 else '  '}{f}{nl}" for n, f in enumerate(fields))
            codes = [(it.keys.get("kode", (None, None))[1]) for it in seq.items]
            at = None
            for it, code_span in zip(seq.items, codes):
                if code_span is not None and nk._sort_key(canonical(code_span.text)) > nk._sort_key(entry.kode):
                    at = _line_start(text, text.rindex("-", _line_start(text, it.start), it.start))
                    break
            if at is None:
                at = _after_line(text, seq.items[-1].last_end())
                if at == len(text) and not text.endswith("\n"):
                    block = nl + block
            new = text[:at] + block + text[at:]
        else:  # no sub kegiatan yet (`sub_kegiatan: []` or none): a block list in its place
            key_col = kegiatan.keys[next(iter(kegiatan.keys))][0].start
            indent = " " * (key_col - _line_start(text, key_col))
            block = "".join(f"{indent}  {'- ' if n == 0 else '  '}{f}{nl}" for n, f in enumerate(fields))
            if "sub_kegiatan" in kegiatan.keys:
                ks, vs = kegiatan.keys["sub_kegiatan"]
                colon = text.index(":", ks.end) + 1
                end = _after_line(text, vs.last_end())
                new = text[:colon] + nl + block + text[end:]
            else:
                end = _after_line(text, kegiatan.last_end())
                new = text[:end] + f"{indent}sub_kegiatan:{nl}" + block + text[end:]
        return _write_and_commit(folder, {rel: new}, author, f"Tabel 6.2: tambah sub kegiatan {entry.kode} {entry.nama}")


def remove_sub_kegiatan(folder: Path, rel: str, key: str, base_blob: str, author: tuple[str, str]) -> Saved:
    """Remove one sub kegiatan row (its lines) from the program tree."""
    folder = Path(folder)
    i, j, n = (int(x) for x in key.split("."))
    with office_lock(folder):
        _stale(folder, rel, base_blob)
        text = (folder / rel).read_text(encoding="utf-8")
        seq, key_span = _seq_of(text, ("program", i, "kegiatan", j, "sub_kegiatan"))
        if seq.kind != "seq" or seq.flow or n >= len(seq.items):
            raise RefusedError([Temuan(rel, None, "galat", "baris sub kegiatan tidak ditemukan")])
        item = seq.items[n]
        kode_span = item.keys.get("kode", (None, None))[1]
        label = kode_span.text if kode_span is not None else f"#{n + 1}"
        if len(seq.items) == 1:
            colon = text.index(":", key_span.end) + 1
            end = _after_line(text, item.last_end())
            nl = "\r\n" if "\r\n" in text else "\n"
            new = text[:colon] + " []" + nl + text[end:]
        else:
            start = _line_start(text, text.rindex("-", _line_start(text, item.start), item.start))
            new = text[:start] + text[_after_line(text, item.last_end()):]
        return _write_and_commit(folder, {rel: new}, author, f"Tabel 6.2: hapus sub kegiatan {label}")


def restore(folder: Path, commit: str, author: tuple[str, str]) -> Saved:
    """The content as it was at `commit`, as a new commit (history is kept)."""
    folder = Path(folder)
    with office_lock(folder):
        if not is_commit(folder, commit):
            raise RefusedError([Temuan("", None, "galat", "versi tidak ditemukan")])
        git(folder, "read-tree", "-u", "--reset", commit)
        new = commit_all(folder, author, f"Pulihkan versi {commit[:10]}")
        return Saved(new, check(folder), "")


# ---------------------------------------------------------------- nomenclature, new offices

_NOM = None


def nomenclature() -> nk.Nomenklatur:
    global _NOM
    if _NOM is None:
        _NOM = nk.load(nk.CURRENT)
    return _NOM


def search_nomenclature(query: str, level: str | None = "sub_kegiatan", limit: int = 30) -> list[nk.Entry]:
    if len((query or "").strip()) < 2:
        return []
    found = [e for e in nomenclature().search(query[:100]) if level is None or e.level == level]
    return found[:limit]


def parent_code(kode: str) -> str | None:
    return nk.parent_of(kode)


def bidang_choices() -> list[tuple[str, str]]:
    return [(e.kode, f"{e.kode} {e.nama}") for e in nomenclature().entries.values() if e.level == "bidang_urusan"]


def new_office_content(folder: Path, bidang: list[str], perangkat_daerah: str, daerah: str, periode: str,
                       author: tuple[str, str]) -> str:
    """A starter content set (`renstra init`) in `folder`, as the first commit of its repository."""
    _init(Path(folder), bidang, perangkat_daerah, daerah, periode)
    return init_repository(Path(folder), author, f"Konten awal: {perangkat_daerah} ({', '.join(bidang)})")


def copy_content(source: Path, folder: Path, author: tuple[str, str], message: str) -> str:
    """An existing content folder (the default one for the demo office) copied in as a new repository."""
    import shutil

    shutil.copytree(source, folder, ignore=shutil.ignore_patterns(".git", "build", "__pycache__"))
    return init_repository(Path(folder), author, message)


def identity(folder: Path) -> dict:
    """A few fields of renstra.yaml for the pages (without a full load)."""
    from renstra_gen.content.yamlio import load_yaml

    try:
        data, _ = load_yaml(Path(folder) / "renstra.yaml", "renstra.yaml")
    except ContentError:
        return {}
    return data if isinstance(data, dict) else {}


# ---------------------------------------------------------------- builds and other long workflows (jobs)

@dataclass
class Hasil:
    files: list[Path]
    findings: list[Temuan]
    changes: list[str] = field(default_factory=list)


@contextlib.contextmanager
def _at(folder: Path, commit: str | None):
    """The content folder as of `commit` (a `git archive` copy; saves made meanwhile do not mix in)."""
    if not commit:
        yield Path(folder)
        return
    from renstra_gen.workflows.perubahan import version_folder

    with version_folder(commit, Path(folder)) as (path, _):
        yield Path(path)


def build_renstra(folder: Path, out: Path, *, pdf: bool, draft: bool, commit: str | None = None,
                  verifikasi: dict | None = None) -> Hasil:
    with _at(folder, commit) as src:
        try:
            r = _build(src, Path(out), DEFAULT_TEMPLATES, pdf=pdf, draft=draft, verifikasi=verification_record(verifikasi))
        except RenstraError as e:
            raise RefusedError(findings_of(e, src)) from e
        return Hasil(_resolved(r.written, out), _temuan(r.warnings, src))


def build_renja(folder: Path, out: Path, year: int, *, pdf: bool, draft: bool, commit: str | None = None,
                verifikasi: dict | None = None) -> Hasil:
    with _at(folder, commit) as src:
        try:
            r = _build_renja(src, Path(out), year, DEFAULT_TEMPLATES, pdf=pdf, draft=draft,
                             verifikasi=verification_record(verifikasi))
        except RenstraError as e:
            raise RefusedError(findings_of(e, src)) from e
        return Hasil(_resolved(r.written, out), _temuan(r.warnings, src))


def perubahan(folder: Path, out: Path, lama: str, baru: str) -> Hasil:
    from renstra_gen.workflows.perubahan import perubahan as _perubahan, summary_lines

    r = _perubahan(lama, baru, Path(out), Path(folder))
    return Hasil([Path(p) for p in r.written], [], summary_lines(r.changes))


def stop_office() -> None:
    """End this process's warm LibreOffice (a worker stopping)."""
    from renstra_gen.render.office import shared_office

    shared_office().stop()


def write_zip(path: Path, members: list[tuple[str, Path | bytes]]) -> Path:
    """A zip of `members` (name in the zip, file or bytes), the same bytes for the same members
    (fixed times, sorted names), replacing `path` all or nothing."""
    import io
    import zipfile

    from renstra_gen.system.atomic import write_atomically

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, src in sorted(members, key=lambda m: m[0]):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, src if isinstance(src, bytes) else Path(src).read_bytes())
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    write_atomically({Path(path): buf.getvalue()})
    return Path(path)


def _resolved(written, out: Path) -> list[Path]:
    return sorted({Path(out) / Path(p).name for p in written})


def findings_of(exc: Exception, folder: Path | None = None) -> list[Temuan]:
    """The findings an engine error carries (or one built from its message)."""
    fs = getattr(exc, "findings", None)
    if fs and isinstance(fs[0], Temuan):
        return list(fs)
    if fs:
        return _temuan(fs, folder)
    return [Temuan("", None, "galat", str(exc) or exc.__class__.__name__)]



def canonical(kode: str) -> str:
    """A code without a trailing dot, 4-digit where the nomenclature writes it so."""
    kode = (kode or "").strip().rstrip(".")
    try:
        return nk.canonical(kode)
    except Exception:  # noqa: BLE001 - an odd code is compared as written
        return kode


def documents(folder: Path) -> list[dict]:
    """The content's files a person works on, for the office home page."""
    folder = Path(folder)
    out = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and ".git" not in path.parts and path.suffix in (".yaml", ".md"):
            out.append({"rel": path.relative_to(folder).as_posix(), "size": path.stat().st_size})
    return out


# ---------------------------------------------------------------- Excel in the loop (renstra import-xlsx)

@dataclass
class Impor:
    changes: list[str]  # "1.06.01.2.01.01 pagu 2022: 15.000.000 → 15.500.000 (Tabel 6.2!I8)"
    findings: list[Temuan]  # errors and conflicts: nothing can be applied
    content_changed: bool = False  # the content moved on since the workbook was built
    commit: str | None = None


def import_workbook(folder: Path, workbook: Path, *, apply: bool = False, author: tuple[str, str] | None = None,
                    name: str = "") -> Impor:
    """`renstra import-xlsx` (with its guards): the dry-run change list, or the changes applied as one commit."""
    from renstra_gen.workflows.import_xlsx import import_xlsx

    folder = Path(folder)
    with office_lock(folder):
        try:
            r = import_xlsx(Path(workbook), folder, write=apply)
        except RenstraError as e:
            fs = getattr(e, "findings", None) or [_error(Source(name or "buku kerja"), str(e))]
            return Impor([], [Temuan(f.source.file.replace(str(workbook), name or "buku kerja"), f.source.line,
                                     f.severity.value, f.message) for f in fs])
        changes = [str(c) for c in r.changes]
        commit = None
        if apply and r.written:
            head_line = f"Impor Excel {name}: {len(changes)} perubahan".replace("  ", " ")
            commit = commit_all(folder, author or ("Ruang Kerja", "ruang-kerja@localhost"),
                                head_line + "\n\n" + "\n".join(changes))
        return Impor(changes, [], r.content_changed, commit)


# ---------------------------------------------------------------- narrative (BAB, Kata Pengantar)

def narrative_files(folder: Path) -> list[str]:
    """The Markdown files of the document in order (Kata Pengantar, then every BAB), from renstra.yaml."""
    data = identity(folder)
    out = [data["kata_pengantar"]] if isinstance(data.get("kata_pengantar"), str) else []
    out += [b for b in data.get("bab") or [] if isinstance(b, str)]
    return [rel for rel in out if rel.endswith(".md") and (Path(folder) / rel).is_file()
            and Path(folder).resolve() in (Path(folder) / rel).resolve().parents]


def save_text(folder: Path, rel: str, text: str, base_blob: str, author: tuple[str, str], message: str) -> Saved:
    """A narrative file replaced by the text typed (Markdown has no lossless editor to go through:
    the text is the file), refused like every save when the content would not load."""
    folder = Path(folder)
    if rel not in narrative_files(folder):
        raise RefusedError([Temuan(rel, None, "galat", "bukan berkas naskah dokumen ini")])
    text = text.replace("\r\n", "\n")
    with office_lock(folder):
        _stale(folder, rel, base_blob)
        if (folder / rel).read_text(encoding="utf-8") == text:
            return Saved(None, check(folder), base_blob)
        return _write_and_commit(folder, {rel: text}, author, message)


@dataclass
class Blok:
    """One block of the preview: heading, paragraph (runs of text), or a table/figure placed."""

    kind: str  # "judul" / "paragraf" / "tempat"
    text: str = ""
    number: str = ""
    level: int = 0
    marker: str = ""
    runs: list = field(default_factory=list)  # (text, bold, italic)


def preview(folder: Path, rel: str, text: str) -> tuple[list[Blok], list[Temuan]]:
    """The chapter as our narrative code composes it from `text` (not saved): headings numbered, bound
    figures with their values, tables and figures placed; with the findings of that version."""
    import shutil

    from renstra_gen.workflows.build import plan_content
    from renstra_gen.narrative.document import Heading, Para, Place

    folder = Path(folder)
    if rel not in narrative_files(folder):
        return [], [Temuan(rel, None, "galat", "bukan berkas naskah dokumen ini")]
    with tempfile.TemporaryDirectory(prefix="renstra-pratinjau-") as tmp:
        copy = Path(tmp) / "konten"
        shutil.copytree(folder, copy, ignore=shutil.ignore_patterns(".git"))
        (copy / rel).write_text(text.replace("\r\n", "\n"), encoding="utf-8")
        try:
            plan = plan_content(load_content(copy))
        except ContentError as e:
            return [], _temuan(e.findings, copy)
        blocks = plan.kata_pengantar if rel == identity(folder).get("kata_pengantar") else None
        if blocks is None:
            index = [b for b in identity(folder).get("bab") or []].index(rel)
            blocks = plan.chapters[index].blocks if index < len(plan.chapters) else []
        out = []
        for b in blocks:
            if isinstance(b, Heading):
                out.append(Blok("judul", b.text, b.number, b.level))
            elif isinstance(b, Para):
                out.append(Blok("paragraf", level=b.level, marker=b.marker or "",
                                runs=[(r.text, r.bold, r.italic) for r in b.runs]))
            elif isinstance(b, Place):
                grid = plan.tables.get(b.key) if b.kind == "tabel" else None
                title = getattr(grid, "title", "") or getattr(grid, "judul", "") or b.key
                out.append(Blok("tempat", f"{b.kind.capitalize()}: {title}"))
        return out, [f for f in _temuan(plan.warnings, copy) if f.file == rel]


# ---------------------------------------------------------------- review rounds (web/tinjauan): record, anchors, signatures

def verification_record(record: dict | None):
    """The Halaman Verifikasi from a review record ({"tempat", "tanggal": "YYYY-MM-DD", "verifikator":
    [{"nama", "nip", "jabatan", "unit"}]}), as the content model the existing page prints; None: the content's."""
    if not record:
        return None
    import datetime as dt

    from renstra_gen.content import model as m

    tanggal = dt.date.fromisoformat(record["tanggal"]) if record.get("tanggal") else None
    people = [m.Verifikator(**{k: (p.get(k) or None) for k in ("nama", "nip", "jabatan", "unit")})
              for p in record.get("verifikator") or []]
    return m.Verifikasi(tempat=record.get("tempat") or None, tanggal=tanggal, verifikator=people)


@dataclass
class Jangkar:
    """What a review note can be about: a BAB paragraph, a table, a row of Tabel 6.2 (by its code), a finding."""

    kind: str  # "paragraf" / "tabel" / "baris" / "temuan"
    key: str  # "bab/bab-2.md#3", "tabel/6.2-program.yaml", "1.06.01.2.01.0001", "tabel/x.yaml:12"
    label: str  # what the page shows: "BAB II ¶3: Kondisi ...", "Tabel 6.2 ...", "1.06.01 Program ..."


def _excerpt(text: str, width: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 1].rstrip() + "…"


def paragraphs(text: str) -> list[str]:
    """The paragraphs of a Markdown chapter (blocks between blank lines), headings included."""
    out, block = [], []
    for line in text.splitlines():
        if line.strip():
            block.append(line.strip())
        elif block:
            out.append(" ".join(block))
            block = []
    if block:
        out.append(" ".join(block))
    return out


_ROMAN = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


def review_anchors(folder: Path) -> dict[str, list[Jangkar]]:
    """Everything of the content a note can be anchored to, per kind (each list in document order)."""
    folder = Path(folder)
    out: dict[str, list[Jangkar]] = {"paragraf": [], "tabel": [], "baris": [], "temuan": []}
    chapter = 0
    for rel in narrative_files(folder):
        is_bab = rel != identity(folder).get("kata_pengantar")
        chapter += is_bab
        name = f"BAB {_ROMAN[chapter] if chapter < len(_ROMAN) else chapter}" if is_bab else "Kata Pengantar"
        with contextlib.suppress(OSError, UnicodeDecodeError):
            for n, para in enumerate(paragraphs((folder / rel).read_text(encoding="utf-8")), 1):
                out["paragraf"].append(Jangkar("paragraf", f"{rel}#{n}", f"{name} ¶{n}: {_excerpt(para.lstrip('#> '))}"))
    import hashlib

    from renstra_gen.content.yamlio import load_yaml

    for path in sorted((folder / "tabel").glob("*.yaml")):
        rel = f"tabel/{path.name}"
        judul = ""
        with contextlib.suppress(ContentError, OSError):
            data, _ = load_yaml(path, rel)
            if isinstance(data, dict):
                judul = str(data.get("judul") or data.get("kode") or "")
        out["tabel"].append(Jangkar("tabel", rel, f"{_excerpt(judul, 80) or rel} ({rel})"))
    with contextlib.suppress(RenstraError):
        for row in program_grid(folder).rows:
            if row.kode:
                out["baris"].append(Jangkar("baris", row.kode, f"{row.kode} {_excerpt(row.nama, 80)}"))
    with contextlib.suppress(RenstraError):
        for f in check(folder):
            where = f"{f.file}:{f.line}" if f.line else f.file
            digest = hashlib.sha1(f.message.encode("utf-8")).hexdigest()[:8]  # one file:line may hold several
            out["temuan"].append(Jangkar("temuan", f"{where}~{digest}", f"{f.severity} {where}: {_excerpt(f.message, 100)}"))
    return out


@dataclass
class Periksa:
    """A signed PDF checked as `renstra periksa-ttd` checks it."""

    ok: bool
    lines: list[str]  # one line per signature and what was found (Indonesian)
    signers: list[str]
    unsigned_sha256: str | None  # of the PDF before its first signature: which PDF was signed
    sha256: str


def trust_root_files(setting: str | None, data: Path) -> list[Path]:
    """The trust roots: the files named in `setting` (os.pathsep-separated), else every .pem/.crt/.cer
    in <data>/tte-akar/."""
    if setting:
        return [Path(p) for p in setting.split(os.pathsep) if p]
    folder = Path(data) / "tte-akar"
    return sorted(p for p in folder.glob("*") if p.suffix.lower() in (".pem", ".crt", ".cer", ".der")) \
        if folder.is_dir() else []


def verify_signed(pdf: bytes, roots: list[Path]) -> Periksa:
    """`renstra periksa-ttd` on an uploaded PDF against the configured trust roots."""
    import hashlib

    from renstra_gen.errors import SignatureError
    from renstra_gen.tte.verify import load_roots, verify_pdf

    sha = hashlib.sha256(pdf).hexdigest()
    if not roots:
        return Periksa(False, ["belum ada sertifikat akar tepercaya (tte-akar/ di folder data): tanda tangan "
                               "tidak dapat diperiksa"], [], None, sha)
    try:
        v = verify_pdf(pdf, load_roots(roots), "PDF")
    except SignatureError as e:
        return Periksa(False, [str(e)], [], None, sha)
    except Exception as e:  # noqa: BLE001 - a hostile upload is a finding, never a traceback
        return Periksa(False, [f"PDF tidak dapat dibaca ({e.__class__.__name__})"], [], None, sha)
    lines = []
    for c in v.checks:
        state = "baik" if c.ok else "GAGAL"
        lines.append(f"tanda tangan {c.field}: {state}" + (f" — {c.signer}" if c.signer else "")
                     + "".join(f"; {x}" for x in c.facts + c.problems))
    if v.empty_fields:
        lines.append("bidang tanda tangan yang masih kosong: " + ", ".join(v.empty_fields))
    return Periksa(v.ok and not v.empty_fields, lines, [c.signer for c in v.checks if c.signer],
                   v.unsigned_sha256, sha)


def sign_with_p12(pdf: bytes, p12: bytes, password: str) -> bytes:
    """`renstra tandatangan` on the server with a certificate uploaded for this one signing: the .p12 is
    written to a private temporary folder, bounded by tte/p12guard before OpenSSL sees it, and removed."""
    from renstra_gen.tte.sign import sign_pdf

    with tempfile.TemporaryDirectory(prefix="renstra-p12-") as tmp:
        path = Path(tmp) / "ttd.p12"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(p12)
        try:
            return sign_pdf(pdf, path, password or None, what="PDF").pdf
        except ContentError as e:  # the p12 guard's finding names the temporary file
            raise RefusedError([Temuan("sertifikat", None, "galat", f.message) for f in e.findings]) from None


def store_file(path: Path, data: bytes) -> Path:
    """A file of record (a signed PDF) written atomically, its folder made if needed."""
    from renstra_gen.system.atomic import write_atomically

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically({path: data}, replace_links=True)
    return path


def period_years(folder: Path) -> list[int]:
    """The years of the Renstra's period (a Renja per year), [] when renstra.yaml cannot say."""
    periode = identity(folder).get("periode")
    try:
        awal, akhir = int(periode["awal"]), int(periode["akhir"])
    except (TypeError, KeyError, ValueError):
        return []
    return list(range(awal, akhir + 1)) if 0 <= akhir - awal <= 10 else []


def signing_place(folder: Path) -> str:
    """Where the document is signed (renstra.yaml's penetapan.tempat), '' when not given."""
    p = identity(folder).get("penetapan")
    return str(p.get("tempat") or "") if isinstance(p, dict) else ""
