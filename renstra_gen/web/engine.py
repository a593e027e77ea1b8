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


def commit_marked(folder: Path, mark: str, limit: int = 50) -> str | None:
    """The latest of the last `limit` commits whose message holds the line `mark` (a job's own commit)."""
    out = git(folder, "log", f"-n{limit}", "--fixed-strings", f"--grep={mark}", "--format=%H").split()
    return out[0] if out else None


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


def _without_item(text: str, key_span, seq, item) -> str:
    """The YAML text with one item of a block sequence removed (its lines only); the last item leaves
    `key: []`, so the key stays a list."""
    if len(seq.items) == 1:
        colon = text.index(":", key_span.end) + 1
        nl = "\r\n" if "\r\n" in text else "\n"
        return text[:colon] + " []" + nl + text[_after_line(text, item.last_end()):]
    start = _line_start(text, text.rindex("-", _line_start(text, item.start), item.start))
    return text[:start] + text[_after_line(text, item.last_end()):]


def _write_and_commit(folder: Path, texts: dict[str, str], author: tuple[str, str], message: str) -> Saved:
    """Write the new texts, refuse (and restore) if the content no longer loads, else commit and check."""
    old = {rel: (folder / rel).read_bytes() if (folder / rel).exists() else None for rel in texts}
    for rel, text in texts.items():
        _atomic_write(folder / rel, text.encode("utf-8"))
    def put_back() -> None:
        for rel, data in old.items():
            if data is None:
                (folder / rel).unlink(missing_ok=True)
            else:
                _atomic_write(folder / rel, data)

    try:
        content = load_content(folder)  # what the CLI reads; loaded once for both the guard and the check
    except ContentError as e:
        put_back()
        raise RefusedError(_temuan([f for f in e.findings if f.is_error], folder)) from None
    renja_errors = _guard_renja(content, texts)  # what `renstra renja` reads besides
    if renja_errors:
        put_back()
        raise RefusedError(_temuan(renja_errors, folder))
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
        new = _without_item(text, key_span, seq, item)
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
                  verifikasi: dict | None = None, berita_acara: dict | None = None) -> Hasil:
    with _at(folder, commit) as src:
        try:
            r = _build(src, Path(out), DEFAULT_TEMPLATES, pdf=pdf, draft=draft, verifikasi=verification_record(verifikasi),
                       rekaman=berita_acara_record(berita_acara))
        except RenstraError as e:
            raise RefusedError(findings_of(e, src)) from e
        return Hasil(_resolved(r.written, out), _temuan(r.warnings, src))


def build_renja(folder: Path, out: Path, year: int, *, pdf: bool, draft: bool, commit: str | None = None,
                verifikasi: dict | None = None, berita_acara: dict | None = None) -> Hasil:
    with _at(folder, commit) as src:
        try:
            r = _build_renja(src, Path(out), year, DEFAULT_TEMPLATES, pdf=pdf, draft=draft,
                             verifikasi=verification_record(verifikasi), rekaman=berita_acara_record(berita_acara))
        except RenstraError as e:
            raise RefusedError(findings_of(e, src)) from e
        return Hasil(_resolved(r.written, out), _temuan(r.warnings, src))


def build_berita_acara(folder: Path, out: Path, record: dict, year: int | None, *, pdf: bool,
                       commit: str | None = None) -> Hasil:
    """The Berita Acara Verifikasi of a review record (see berita_acara_record) as .docx (and .pdf)."""
    from renstra_gen.workflows.berita_acara import build_berita_acara as _ba

    with _at(folder, commit) as src:
        try:
            r = _ba(src, Path(out), berita_acara_record(record), year, DEFAULT_TEMPLATES, pdf=pdf)
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
                    name: str = "", mark: str = "") -> Impor:
    """`renstra import-xlsx` (with its guards): the dry-run change list, or the changes applied as one commit
    (`mark`: a last line of its message, by which commit_marked finds it again)."""
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
                                head_line + "\n\n" + "\n".join(changes) + (f"\n\n{mark}" if mark else ""))
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


def berita_acara_record(record: dict | None):
    """The Berita Acara Verifikasi's record ({"nomor", "tanggal", "tempat", "versi", "verifikator": [...],
    "putaran": [{"ke", "diajukan", "selesai", "hasil", "dibuat", "dijawab", "ditutup"}]}, dates as
    YYYY-MM-DD) as layout/berita_acara.Rekaman; None: no record, nothing printed."""
    if not record:
        return None
    import datetime as dt

    from renstra_gen.content import model as m
    from renstra_gen.layout.berita_acara import Putaran, Rekaman

    def day(s):
        return dt.date.fromisoformat(s) if s else None

    people = [m.Verifikator(**{k: (p.get(k) or None) for k in ("nama", "nip", "jabatan", "unit")})
              for p in record.get("verifikator") or []]
    rounds = [Putaran(int(p["ke"]), day(p.get("diajukan")), day(p.get("selesai")), p.get("hasil", ""),
                      int(p.get("dibuat", 0)), int(p.get("dijawab", 0)), int(p.get("ditutup", 0)))
              for p in record.get("putaran") or []]
    return Rekaman(record.get("nomor", ""), day(record["tanggal"]), record.get("tempat") or None,
                   record.get("versi", ""), people, rounds)


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


# ---------------------------------------------------------------- the check baseline (dasar-pemeriksaan.txt)

@dataclass
class Panel:
    """The findings as `renstra check` shows them: the new ones, and those the office's baseline
    (dasar-pemeriksaan.txt) records as known, set aside."""

    baru: list[Temuan]
    dikenal: list[Temuan]
    dasar: bool  # the content has a baseline file

    @property
    def galat(self) -> int:
        return sum(f.is_error for f in self.baru)

    @property
    def peringatan(self) -> int:
        return sum(not f.is_error for f in self.baru)


def panel(folder: Path, findings: list[Temuan]) -> Panel:
    """`findings` split by the baseline, as the CLI does (each recorded line sets aside one equal finding)."""
    from renstra_gen.check import baseline

    known = baseline.load(Path(folder))
    if not known:
        return Panel(list(findings), [], known is not None)
    left = dict(known)
    baru, dikenal = [], []
    for f in findings:
        k = f"{f.file}\t{f.severity}\t{f.message}".replace("\n", " ")
        if left.get(k, 0) > 0:
            left[k] -= 1
            dikenal.append(f)
        else:
            baru.append(f)
    return Panel(baru, dikenal, True)


BASELINE_FILE = "dasar-pemeriksaan.txt"


# ---------------------------------------------------------------- content forms: every YAML file as forms and grids of its model
#
# A file's model (content/model.py) is walked once: its scalar fields become form fields, its lists of
# records become grids of their declared fields (nested records flattened into columns, per-year values
# one column per year), lists inside a grid's records become sections of their own. Values are shown as
# written and saved through the lossless editor (edit_yaml: only the changed lines), then load + check.

@dataclass
class Kolom:
    sub: tuple  # the field's path inside the record: ("nama",), ("target", 2026), ("rancangan", "pagu")
    label: str
    kind: str  # teks / panjang / angka / rupiah / nilai / bulat / pilihan / ya-tidak / tanggal / daftar / sel
    choices: tuple = ()
    required: bool = False
    default: str = ""  # the model's value when the field is left out (shown beside an empty choice)


@dataclass
class Sel:
    name: str  # the input's name: the value's path in the file, parts joined by "."
    value: str
    line: int | None
    kind: str
    label: str
    choices: tuple = ()
    default: str = ""


@dataclass
class BarisIsian:
    index: int | None  # the item's index in its list (None: the fields of a mapping)
    path: tuple  # the item's path in the file
    line: int | None
    cells: list[Sel]


@dataclass
class Bagian:
    judul: str
    path: tuple  # the list's path (a grid) or the mapping's (a form)
    grid: bool
    kolom: list[Kolom]
    rows: list[BarisIsian]
    can_add: bool = False  # rows can be added and removed (a list of records)

    @property
    def anchor(self) -> str:
        return "bagian-" + (encode_path(self.path) or "akar")


@dataclass
class Formulir:
    rel: str
    judul: str
    blob: str
    bagian: list[Bagian]
    anchors: list[tuple[int, str]]  # (line, element id), in file order: where a finding at a line goes

    def values(self) -> dict[str, Sel]:
        return {c.name: c for b in self.bagian for r in b.rows for c in r.cells}

    def anchor_for(self, line: int | None) -> str | None:
        """The most precise element at or above `line` (a field, else its row, else its section)."""
        if line is None:
            return None
        best = None
        best_line = -1
        for at, anchor in self.anchors:
            if at is not None and best_line < at <= line:
                best, best_line = anchor, at
        return best


def encode_path(path: tuple) -> str:
    return ".".join(str(p) for p in path)


def decode_path(name: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in name.split("."))


RENJA_FILE = re.compile(r"renja/(\d{4})/renja\.yaml")


def form_files(folder: Path) -> list[str]:
    """The YAML content files that open as forms (the program tree has its own grid)."""
    folder = Path(folder)
    out = [rel for rel in ("renstra.yaml", "indikator.yaml", "organisasi.yaml") if _plain_file(folder, rel)]
    program = program_table_file(folder)
    for sub in ("tabel", "lampiran", "gambar"):
        for path in sorted((folder / sub).glob("*.yaml")):
            rel = f"{sub}/{path.name}"
            if rel != program and _plain_file(folder, rel):
                out.append(rel)
    for path in sorted((folder / "renja").glob("*/renja.yaml")):
        rel = f"renja/{path.parent.name}/renja.yaml"
        if RENJA_FILE.fullmatch(rel) and _plain_file(folder, rel):
            out.append(rel)
    return out


def _plain_file(folder: Path, rel: str) -> bool:
    """A regular file inside the folder, reached without links."""
    path = Path(folder) / rel
    if not path.is_file():
        return False
    cur = Path(folder)
    for part in Path(rel).parts:
        cur = cur / part
        if cur.is_symlink():
            return False
    return True


def _model_for(rel: str, data) -> type | None:
    from renstra_gen.content import model as m

    if rel == "renstra.yaml":
        return m.Identity
    if rel == "indikator.yaml":
        return m.IndicatorSet
    if rel == "organisasi.yaml":
        return m.Organisasi
    if RENJA_FILE.fullmatch(rel):
        return m.RenjaInput
    kind = data.get("jenis") if isinstance(data, dict) else None
    if rel.startswith(("tabel/", "lampiran/")):
        return m.TABLE_KINDS.get(kind) if isinstance(kind, str) else None
    if rel.startswith("gambar/"):
        return m.FIGURE_KINDS.get(kind) if isinstance(kind, str) else None
    return None


FORM_TITLES = {"renstra.yaml": "Identitas dokumen (renstra.yaml)",
               "indikator.yaml": "Kaskade kinerja: tujuan, sasaran dan indikator (indikator.yaml)",
               "organisasi.yaml": "Susunan organisasi (organisasi.yaml)"}

LABELS = {  # field names that read better spelled out; the rest are shown as written, underscores as spaces
    "kunci": "Kunci", "nama": "Nama", "satuan": "Satuan", "arah": "Arah", "kondisi_awal": "Kondisi awal (baseline)",
    "kondisi_akhir": "Kondisi akhir", "target": "Target", "realisasi": "Realisasi", "pagu": "Pagu",
    "k": "Realisasi K", "rp": "Realisasi Rp", "uraian": "Uraian", "jumlah": "Jumlah", "teks": "Teks",
}

_SKIP = {"line", "key_lines", "jenis"}


def _label(sub: tuple) -> str:
    parts = []
    for p in sub:
        parts.append(str(p) if isinstance(p, int) else LABELS.get(p, p.replace("_", " ").capitalize()))
    return " · ".join(parts)


def _unwrap_kind(tp, metadata=()) -> tuple[str, object]:
    """(kind, detail) of a field's type: ("scalar", (kind, choices)), ("record", Model), ("records", Model),
    ("per-tahun", scalar kind), ("daftar", None), ("sel-baris", None) or ("lain", None)."""
    import datetime as dt
    import types as _types
    import typing
    from decimal import Decimal as _D

    from pydantic import BaseModel

    funcs = [getattr(getattr(x, "func", None), "__name__", "") for x in metadata]
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        base, *meta = typing.get_args(tp)
        return _unwrap_kind(base, tuple(metadata) + tuple(meta))
    if origin in (typing.Union, _types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return _unwrap_kind(args[0], metadata)
        if "_number" in funcs or "_rupiah" in funcs:
            return ("scalar", ("rupiah" if "_rupiah" in funcs else "nilai" if str in args else "angka", ()))
        if any(isinstance(a, type) and issubclass(a, BaseModel) for a in args):
            return ("sel", None)  # text or a cell spec (a generic table's cell)
        if all(a in (str, list[str]) or typing.get_origin(a) is typing.Annotated for a in args):
            return ("scalar", ("teks", ()))
        return ("lain", None)
    if "_rupiah" in funcs:
        return ("scalar", ("rupiah", ()))
    if "_number" in funcs:
        return ("scalar", ("angka", ()))
    if origin is typing.Literal:
        return ("scalar", ("pilihan", tuple(str(a) for a in typing.get_args(tp))))
    if origin is dict:
        key, value = typing.get_args(tp)
        if key is int:
            kind, detail = _unwrap_kind(value)
            return ("per-tahun", detail[0]) if kind == "scalar" else ("lain", None)
        return ("lain", None)
    if origin is list:
        (item,) = typing.get_args(tp)
        if typing.get_origin(item) is list:
            return ("sel-baris", None)
        kind, detail = _unwrap_kind(item)
        if kind == "record":
            return ("records", detail)
        if kind == "scalar" and detail[0] == "teks":
            return ("daftar", None)
        return ("lain", None)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return ("record", tp)
    if tp is bool:
        return ("scalar", ("ya-tidak", ()))
    if tp is int:
        return ("scalar", ("bulat", ()))
    if tp in (float, _D):  # a plain float (a column width): not read by angka_id, written with a dot
        return ("scalar", ("pecahan", ()))
    if tp is dt.date:
        return ("scalar", ("tanggal", ()))
    if tp is str:
        return ("scalar", ("teks", ()))
    return ("lain", None)


def _fields(model) -> list[tuple[str, str, object, bool, str]]:
    out = []
    for name, f in model.model_fields.items():
        if name in _SKIP or name.startswith("_"):
            continue
        kind, detail = _unwrap_kind(f.annotation, tuple(f.metadata))
        default = "" if f.is_required() or f.default is None or isinstance(f.default, (list, dict)) else f.default
        out.append((name, kind, detail, f.is_required(), _shown(default, "teks") if default != "" else ""))
    return out


def _shown(value, kind: str) -> str:
    import datetime as dt

    if value is None:
        return ""
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (int, float, Decimal)) and kind in ("angka", "rupiah", "nilai"):
        return tampil(Decimal(repr(value)) if isinstance(value, float) else value, pagu=kind == "rupiah")
    if isinstance(value, (dict, list)):
        return ""
    return str(value)


def _years_for(data, ident_years: list[int], field_values: list) -> list[int]:
    years = set()
    for v in field_values:
        if isinstance(v, dict):
            years.update(k for k in v if isinstance(k, int))
    tahun = data.get("tahun") if isinstance(data, dict) else None
    if isinstance(tahun, dict) and isinstance(tahun.get("awal"), int) and isinstance(tahun.get("akhir"), int) \
            and 0 <= tahun["akhir"] - tahun["awal"] <= 20:
        years.update(range(tahun["awal"], tahun["akhir"] + 1))
    elif not years:
        years.update(ident_years)
    return sorted(years)[:20]


def _columns(model, prefix: tuple, items: list, root_data, ident_years) -> tuple[list[Kolom], list[tuple]]:
    """The columns of a record model (nested records flattened) and its nested lists of records."""
    cols: list[Kolom] = []
    nested: list[tuple] = []
    for name, kind, detail, required, default in _fields(model):
        sub = prefix + (name,)
        if kind == "scalar":
            cols.append(Kolom(sub, _label(sub), detail[0], detail[1], required, default))
        elif kind == "per-tahun":
            values = [_get(it, sub) for it in items]
            for y in _years_for(root_data, ident_years, values):
                cols.append(Kolom(sub + (y,), _label(sub + (y,)), detail))
        elif kind == "record":
            inner = [_get(it, sub) for it in items]
            c, n = _columns(detail, sub, [x for x in inner if isinstance(x, dict)], root_data, ident_years)
            cols += c
            nested += n
        elif kind == "records":
            nested.append((sub, detail))
        elif kind == "daftar":
            cols.append(Kolom(sub, _label(sub), "daftar"))
    return cols, nested


def _get(node, sub: tuple):
    for p in sub:
        if isinstance(node, dict):
            node = node.get(p)
        elif isinstance(node, list) and isinstance(p, int) and p < len(node):
            node = node[p]
        else:
            return None
    return node


def formulir(folder: Path, rel: str, blob: str | None = None) -> Formulir:
    """The forms and grids of one content file (as it is now, or as it was in git blob `blob`)."""
    from renstra_gen.content.yamlio import load_yaml, locate

    folder = Path(folder)
    if rel not in form_files(folder):
        raise RefusedError([Temuan(rel, None, "galat", "berkas ini tidak dapat dibuka sebagai formulir")])
    if blob:
        with tempfile.TemporaryDirectory(prefix="renstra-blob-") as tmp:
            path = Path(tmp) / "f.yaml"
            path.write_bytes(git(folder, "cat-file", "blob", blob).encode("utf-8"))
            data, tree = load_yaml(path, rel)
    else:
        data, tree = load_yaml(folder / rel, rel)
    data = data if isinstance(data, dict) else {}
    model = _model_for(rel, data)
    if model is None:
        raise RefusedError([Temuan(rel, None, "galat", "jenis berkas ini tidak dikenal; perbaiki dahulu kolom jenis")])
    ident_years = []
    with contextlib.suppress(Exception):
        p = identity(folder).get("periode") or {}
        ident_years = list(range(int(p["awal"]), int(p["akhir"]) + 1))[:20]
    bagian: list[Bagian] = []
    anchors: list[tuple[int, str]] = []

    def line_of(path: tuple) -> int | None:
        return locate(tree, path)

    def cells_of(base: tuple, item, cols: list[Kolom], exists: bool) -> list[Sel]:
        out = []
        for c in cols:
            value = _get(item, c.sub)
            shown = "\n".join(str(x) for x in value) if c.kind == "daftar" and isinstance(value, list) else _shown(value, c.kind)
            if c.kind == "teks" and "\n" in shown:
                kind = "panjang"
            else:
                kind = c.kind
            name = encode_path(base + c.sub)
            line = line_of(base + c.sub) if exists and value is not None else None
            out.append(Sel(name, shown, line, kind, c.label, c.choices, c.default))
            if line is not None:
                anchors.append((line, "sel-" + name))
        return out

    def walk(model, path: tuple, node, title: str) -> None:
        # the mapping's own fields: one form section
        cols, nested = _columns(model, (), [node] if isinstance(node, dict) else [], data, ident_years)
        if cols:
            section = Bagian(title, path, False, cols, [])
            line = line_of(path) if path else 1
            anchors.append((line or 1, section.anchor))
            section.rows.append(BarisIsian(None, path, line, cells_of(path, node if isinstance(node, dict) else {}, cols,
                                                                       isinstance(node, dict))))
            bagian.append(section)
        for sub, item_model in nested:
            records(item_model, path + sub, _get(node, sub) if isinstance(node, dict) else None,
                    (title + " · " if path else "") + _label(sub))
        for name, kind, detail, _, _ in _fields(model):
            if kind == "sel-baris":
                cell_rows(path + (name,), _get(node, (name,)), (title + " · " if path else "") + _label((name,)))

    def records(item_model, path: tuple, items, title: str) -> None:
        items = items if isinstance(items, list) else []
        records_ = [it for it in items if isinstance(it, dict)]
        cols, nested = _columns(item_model, (), records_, data, ident_years)
        section = Bagian(title, path, True, cols, [], can_add=len(path) > 0)
        anchors.append((line_of(path) or 1, section.anchor))
        for i, it in enumerate(items):
            if not isinstance(it, dict):
                continue
            row_line = line_of(path + (i,))
            anchors.append((row_line, f"baris-{encode_path(path + (i,))}"))
            section.rows.append(BarisIsian(i, path + (i,), row_line, cells_of(path + (i,), it, cols, True)))
        bagian.append(section)
        for sub, inner_model in nested:
            for i, it in enumerate(items):
                if isinstance(it, dict):
                    name = it.get("nama") or it.get("uraian") or it.get("kunci") or f"#{i + 1}"
                    records(inner_model, path + (i,) + sub, _get(it, sub), f"{title} {i + 1} ({str(name)[:60]}) · {_label(sub)}")

    def cell_rows(path: tuple, rows, title: str) -> None:
        rows = rows if isinstance(rows, list) else []
        width = max((len(r) for r in rows if isinstance(r, list)), default=0)
        cols = [Kolom((j,), f"Kolom {j + 1}", "teks") for j in range(min(width, 100))]
        section = Bagian(title, path, True, cols, [])
        anchors.append((line_of(path) or 1, section.anchor))
        for i, r in enumerate(rows):
            if not isinstance(r, list):
                continue
            row_line = line_of(path + (i,))
            anchors.append((row_line, f"baris-{encode_path(path + (i,))}"))
            cells = []
            for j in range(len(cols)):
                v = r[j] if j < len(r) else None
                sub = (j, "teks") if isinstance(v, dict) else (j,)
                shown = _shown(v.get("teks") if isinstance(v, dict) else v, "teks")
                name = encode_path(path + (i,) + sub)
                line = line_of(path + (i, j)) if j < len(r) else None
                cells.append(Sel(name, shown, line, "teks" if j < len(r) else "kosong", f"{title} baris {i + 1} kolom {j + 1}"))
                if line is not None:
                    anchors.append((line, "sel-" + name))
            section.rows.append(BarisIsian(i, path + (i,), row_line, cells))
        bagian.append(section)

    judul = FORM_TITLES.get(rel) or (f"Masukan Renja {RENJA_FILE.fullmatch(rel).group(1)} ({rel})" if RENJA_FILE.fullmatch(rel)
                                      else f"{data.get('judul') or rel} ({rel})")
    walk(model, (), data, "Isian")
    anchors.sort(key=lambda a: a[0] or 0)
    return Formulir(rel, str(judul), blob or blob_of(folder, rel), bagian, anchors)


def form_edits(form: Formulir, posted: dict[str, str]) -> tuple[list, list[str], dict[str, str]]:
    """(edits for edit_yaml, what changed in words, errors by input name) of the posted values that differ."""
    edits, words, errors = [], [], {}
    for name, cell in form.values().items():
        if name not in posted or cell.kind == "kosong":
            continue
        new = posted[name].replace("\r\n", "\n")
        new = new if cell.kind in ("panjang",) else new.strip()
        if new == cell.value.strip() if cell.kind != "panjang" else new == cell.value:
            continue
        path = decode_path(name)
        try:
            if cell.kind == "daftar":
                old = cell.value.split("\n") if cell.value else []
                lines = [x.strip() for x in new.split("\n") if x.strip()]
                if len(lines) != len(old):
                    raise ValueError("jumlah butir daftar tidak dapat diubah di sini (ubah isi butirnya saja)")
                edits += [(path + (j,), v) for j, v in enumerate(lines) if v != old[j]]
            else:
                edits.append((path, parse_value(new, cell.kind)))
        except ValueError as e:
            errors[name] = str(e)
            continue
        words.append(f"{cell.label}: {cell.value[:40] or '-'} → {new[:40] or '-'}")
    return edits, words, errors


def parse_value(text: str, kind: str):
    """A typed value as the content model wants it (None: the field is removed)."""
    import datetime as dt

    if text == "":
        return None
    if kind in ("angka", "rupiah"):
        value = parse_angka(text, rupiah=kind == "rupiah")
        if value is not None and kind == "rupiah" and value < 0:
            raise ValueError("nilai rupiah tidak boleh negatif")
        return None if value is None else plain(value)
    if kind == "nilai":
        try:
            value = parse_angka(text)
        except ValueError:
            if looks_numeric(text):
                raise
            return text
        return None if value is None else plain(value)
    if kind == "pecahan":
        value = parse_angka(text.replace(".", ",") if re.fullmatch(r"\d+\.\d+", text) else text)
        return None if value is None else str(value)  # "0.7": pydantic reads the text as the float
    if kind == "bulat":
        if not re.fullmatch(r"-?\d{1,18}", text):
            raise ValueError(f"'{text[:40]}' harus berupa bilangan bulat")
        return int(text)
    if kind == "ya-tidak":
        if text.lower() not in ("ya", "tidak"):
            raise ValueError("isi 'ya' atau 'tidak'")
        return text.lower() == "ya"
    if kind == "tanggal":
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"'{text[:40]}' bukan tanggal TTTT-BB-HH") from None
    return text


def save_form(folder: Path, rel: str, edits: list, base_blob: str, author: tuple[str, str], message: str) -> Saved:
    """One form's changed fields saved (the one save path: save_edits)."""
    if rel not in form_files(Path(folder)):
        raise RefusedError([Temuan(rel, None, "galat", "berkas ini tidak dapat dibuka sebagai formulir")])
    return save_edits(folder, rel, edits, base_blob, author, message)


def _block_value(value, indent: str, nl: str) -> str:
    if isinstance(value, dict):
        return _flow_value(value)
    if isinstance(value, list):
        return "[" + ", ".join(yaml_scalar(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    return yaml_scalar(value)


def _flow_value(d: dict) -> str:
    return "{" + ", ".join(f"{yaml_scalar(k)}: {_flow_value(v) if isinstance(v, dict) else _block_value(v, '', '')}"
                           for k, v in d.items()) + "}"


def add_record(folder: Path, rel: str, path: tuple, values: dict, base_blob: str, author: tuple[str, str],
               message: str) -> Saved:
    """A record appended to the list at `path` (its fields as given), refused like every save when it would not load."""
    folder = Path(folder)
    if rel not in form_files(folder) or not path:
        raise RefusedError([Temuan(rel, None, "galat", "daftar ini tidak dapat ditambah barisnya")])
    if not values:
        raise RefusedError([Temuan(rel, None, "galat", "isi sedikitnya satu kolom baris baru")])
    with office_lock(folder):
        _stale(folder, rel, base_blob)
        text = (folder / rel).read_text(encoding="utf-8")
        nl = "\r\n" if "\r\n" in text else "\n"
        entries = [f"{k}: {_block_value(v, '', nl)}" for k, v in values.items()]
        parent_path, key = path[:-1], path[-1]
        try:
            parent, _ = _seq_of(text, parent_path) if parent_path else (_spans(text), None)
        except (KeyError, IndexError):
            raise RefusedError([Temuan(rel, None, "galat", "daftar tidak ditemukan di berkas")]) from None
        if parent is None or parent.kind != "map" or parent.flow:
            if parent is None and not parent_path and not text.strip("\n").strip().replace("#", "").strip():
                parent = None
            elif parent is None and not parent_path:
                pass
            else:
                raise RefusedError([Temuan(rel, None, "galat", "daftar tidak dapat ditambah di sini; ubah berkasnya")])
        seq = parent.keys[key][1] if parent is not None and key in parent.keys else None
        if seq is not None and seq.kind == "seq" and not seq.flow and seq.items:
            first = seq.items[0]
            dash = text.rindex("-", _line_start(text, first.start), first.start)
            indent = " " * (dash - _line_start(text, dash))
            block = "".join(f"{indent}{'- ' if n == 0 else '  '}{e}{nl}" for n, e in enumerate(entries))
            at = _after_line(text, seq.items[-1].last_end())
            if at == len(text) and not text.endswith("\n"):
                block = nl + block
            new = text[:at] + block + text[at:]
        else:
            if parent is not None and parent.keys:
                key_col = parent.keys[next(iter(parent.keys))][0].start
                indent = " " * (key_col - _line_start(text, key_col))
            else:
                indent = ""
            block = "".join(f"{indent}  {'- ' if n == 0 else '  '}{e}{nl}" for n, e in enumerate(entries))
            if seq is not None:  # `key: []` or `key:` (empty)
                if seq.kind == "seq" and seq.items:
                    raise RefusedError([Temuan(rel, None, "galat", "daftar bentuk [ ] tidak dapat ditambah di sini; ubah berkasnya")])
                ks = parent.keys[key][0]
                colon = text.index(":", ks.end) + 1
                end = _after_line(text, seq.last_end() if seq.end > colon else colon)
                new = text[:colon] + nl + block + text[end:]
            else:
                end = _after_line(text, parent.last_end()) if parent is not None else len(text)
                head_text = text[:end]
                if head_text and not head_text.endswith("\n"):
                    head_text += nl
                new = head_text + f"{indent}{key}:{nl}" + block + text[end:]
        return _write_and_commit(folder, {rel: new}, author, message)


def remove_record(folder: Path, rel: str, path: tuple, base_blob: str, author: tuple[str, str], message: str) -> Saved:
    """The record at `path` (a list item) removed: its lines."""
    folder = Path(folder)
    if rel not in form_files(folder) or len(path) < 2 or not isinstance(path[-1], int):
        raise RefusedError([Temuan(rel, None, "galat", "baris tidak ditemukan")])
    with office_lock(folder):
        _stale(folder, rel, base_blob)
        text = (folder / rel).read_text(encoding="utf-8")
        try:
            seq, key_span = _seq_of(text, path[:-1])
        except (KeyError, IndexError):
            raise RefusedError([Temuan(rel, None, "galat", "baris tidak ditemukan")]) from None
        n = path[-1]
        if seq.kind != "seq" or seq.flow or n >= len(seq.items) or key_span is None:
            raise RefusedError([Temuan(rel, None, "galat", "baris tidak ditemukan")])
        item = seq.items[n]
        new = _without_item(text, key_span, seq, item)
        return _write_and_commit(folder, {rel: new}, author, message)


def renja_years(folder: Path) -> list[int]:
    """The Renstra period's years (a Renja is made for each)."""
    p = identity(folder).get("periode") or {}
    try:
        return list(range(int(p["awal"]), int(p["akhir"]) + 1))[:20]
    except (KeyError, TypeError, ValueError):
        return []


def create_renja_input(folder: Path, year: int, author: tuple[str, str]) -> Saved:
    """renja/<year>/renja.yaml started (empty inputs: the Renja's defaults) as one commit."""
    folder = Path(folder)
    rel = f"renja/{int(year)}/renja.yaml"
    if int(year) not in renja_years(folder):
        raise RefusedError([Temuan(rel, None, "galat", f"tahun {year} di luar periode Renstra")])
    with office_lock(folder):
        if (folder / rel).exists():
            return Saved(None, check(folder), blob_of(folder, rel))
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        text = (f"# Masukan Renja {year}: realisasi, catatan, usulan, pelayanan (lihat docs/content-format.md).\n"
                f"sumber_dana: APBD\n")
        return _write_and_commit(folder, {rel: text}, author, f"Renja {year}: masukan baru")


def _guard_renja(content, rels) -> list[Finding]:
    """The Renja inputs among `rels` read as `renstra renja` reads them (load does not read them)."""
    from renstra_gen.compose.renja import load_inputs

    errors: list[Finding] = []
    for rel in rels:
        m = RENJA_FILE.fullmatch(rel)
        if m:
            try:
                load_inputs(content, int(m.group(1)), [])
            except ContentError as e:
                errors += [f for f in e.findings if f.is_error]
    return errors


_FORMS: dict[tuple, Formulir] = {}


def cached_formulir(folder: Path, rel: str) -> Formulir:
    """formulir() of a file as it is now, kept while the file and renstra.yaml are unchanged
    (a save replaces the file: a new inode, never a stale hit)."""
    folder = Path(folder)
    try:
        key = _stat_key(folder, rel)
    except OSError:
        return formulir(folder, rel)
    if key not in _FORMS:
        if len(_FORMS) > 64:
            _FORMS.clear()
        _FORMS[key] = formulir(folder, rel)
    return _FORMS[key]


# ---------------------------------------------------------------- importing a content folder (.zip) as an office or a new version

ZIP_BYTES = 50 * 1024 * 1024  # the upload itself
ZIP_UNPACKED = 256 * 1024 * 1024  # every file unpacked, together
ZIP_FILES = 2_000
ZIP_RATIO = 200  # a file unpacking to more than 200 x its packed size (and over 1 MB) is a bomb
CONTENT_SUFFIXES = (".yaml", ".yml", ".md", ".txt", ".pdf", ".png", ".jpg", ".jpeg", ".svg", ".csv", ".tsv", ".gz",
                    ".xlsx")
CONTENT_NAMES = (".renstra-kunci",)
_SKIPPED = ("__MACOSX/", ".git/", "out/", "build/", "__pycache__/")
_JUNK = (".DS_Store", "Thumbs.db", "desktop.ini", ".gitignore", ".gitattributes")


def unpack_content_zip(zip_path: Path, dest: Path, name: str = "konten.zip") -> list[Temuan]:
    """A content folder packed as .zip, unpacked into the empty folder `dest` only if it is harmless and
    the CLI can read it; the findings (errors) otherwise, each naming the zip entry. Measured before
    anything is unpacked: size, entry count, names (no absolute path, no `..`, no link), kinds of file,
    declared and real unpacked sizes (a zip bomb stops at its budget, whatever its header claims)."""
    import stat
    import zipfile

    zip_path, dest = Path(zip_path), Path(dest)

    def refuse(message: str, entry: str = "") -> list[Temuan]:
        return [Temuan(f"{name}:{entry}" if entry else name, None, "galat", message)]

    try:
        size = zip_path.stat().st_size
    except OSError:
        return refuse("berkas unggahan tidak dapat dibaca")
    if size > ZIP_BYTES:
        return refuse(f"berkas .zip terlalu besar (paling besar {ZIP_BYTES // 1024 // 1024} MB)")
    try:
        z = zipfile.ZipFile(zip_path)
    except (zipfile.BadZipFile, OSError, ValueError):
        return refuse("bukan berkas .zip yang utuh; kemas folder konten dengan 'Kirim ke > Folder terkompresi (zip)'")
    with z:
        infos = z.infolist()
        if len(infos) > ZIP_FILES:
            return refuse(f"berisi terlalu banyak berkas ({len(infos)}; paling banyak {ZIP_FILES})")
        findings: list[Temuan] = []
        entries = []
        declared = 0
        for info in infos:
            raw = info.filename
            mode = info.external_attr >> 16
            if "\x00" in raw or "\\" in raw or raw.startswith("/") or re.match(r"^[A-Za-z]:", raw) \
                    or any(part == ".." for part in raw.split("/")):
                findings += refuse("nama berkas keluar dari folder konten (jalur absolut atau '..'); tidak diimpor", raw[:200])
                continue
            if stat.S_ISLNK(mode):
                findings += refuse("tautan simbolik tidak diterima", raw[:200])
                continue
            if info.is_dir() or raw.startswith(_SKIPPED) or any(f"/{s}" in f"/{raw}" for s in _SKIPPED) \
                    or raw.rsplit("/", 1)[-1] in _JUNK:
                continue
            base = raw.rsplit("/", 1)[-1]
            if not (base.lower().endswith(CONTENT_SUFFIXES) or base in CONTENT_NAMES):
                findings += refuse("jenis berkas ini bukan bagian konten (yang diterima: .yaml, .md, .txt, .pdf, "
                                   "gambar, .csv/.tsv, .xlsx)", raw[:200])
                continue
            if info.flag_bits & 0x1:
                findings += refuse("berkas terenkripsi tidak diterima", raw[:200])
                continue
            if info.file_size > 1024 * 1024 and info.file_size > ZIP_RATIO * max(info.compress_size, 1):
                findings += refuse("berkas ini mengembang terlalu besar saat dibuka (bom zip); tidak diimpor", raw[:200])
                continue
            declared += info.file_size
            entries.append((raw, info))
        if declared > ZIP_UNPACKED:
            findings += refuse(f"isi .zip terlalu besar setelah dibuka (paling besar {ZIP_UNPACKED // 1024 // 1024} MB)")
        if findings:
            return findings
        names = [raw for raw, _ in entries]
        prefix = ""
        if "renstra.yaml" not in names:  # a folder zipped with its name: konten/renstra.yaml
            tops = {n.split("/", 1)[0] for n in names}
            if len(tops) == 1 and f"{next(iter(tops))}/renstra.yaml" in names:
                prefix = next(iter(tops)) + "/"
            else:
                return refuse("renstra.yaml tidak ada di dalam .zip (kemas folder konten yang berisi renstra.yaml)")
        dest.mkdir(parents=True, exist_ok=True)
        real_total = 0
        for raw, info in entries:
            if not raw.startswith(prefix):
                continue
            rel = raw[len(prefix):]
            target = (dest / rel).resolve()
            if dest.resolve() not in target.parents:
                return refuse("nama berkas keluar dari folder konten; tidak diimpor", raw[:200])
            target.parent.mkdir(parents=True, exist_ok=True)
            written = 0
            with z.open(info) as src, open(target, "xb") as out:
                while True:
                    chunk = src.read(1024 * 1024)
                    if not chunk:
                        break
                    written += len(chunk)
                    real_total += len(chunk)
                    if written > info.file_size or real_total > ZIP_UNPACKED:
                        return refuse("isi berkas lebih besar dari yang tertulis di .zip (bom zip); tidak diimpor", raw[:200])
                    out.write(chunk)
    try:
        content = load_content(dest)
    except ContentError as e:
        return _temuan([f for f in e.findings if f.is_error], dest)
    renja = [p.relative_to(dest).as_posix() for p in dest.glob("renja/*/renja.yaml")]
    return _temuan(_guard_renja(content, renja), dest)


def import_content_zip(folder: Path, zip_path: Path, author: tuple[str, str], name: str, mark: str = "") -> Saved:
    """The office's content replaced by the folder in the .zip, as one commit (history kept; refused,
    with findings, when the zip is hostile or its content would not load). `mark`: a last line of
    the commit's message (commit_marked)."""
    import shutil

    folder = Path(folder)
    with tempfile.TemporaryDirectory(prefix=".impor-", dir=folder.parent) as tmp:
        unpacked = Path(tmp) / "konten"
        findings = unpack_content_zip(zip_path, unpacked, name)
        if findings:
            raise RefusedError(findings)
        with office_lock(folder):
            for path in folder.iterdir():
                if path.name == ".git":
                    continue
                if path.is_dir() and not path.is_symlink():
                    shutil.rmtree(path)
                else:
                    path.unlink()
            shutil.copytree(unpacked, folder, dirs_exist_ok=True)
            commit = commit_all(folder, author, f"Impor konten dari {name}" + (f"\n\n{mark}" if mark else ""))
            return Saved(commit, check(folder), "")


def new_office_from_zip(folder: Path, zip_path: Path, author: tuple[str, str], name: str) -> str:
    """A new office's repository from a content folder packed as .zip (refused with findings like an import)."""
    with tempfile.TemporaryDirectory(prefix=".impor-", dir=Path(folder).parent) as tmp:
        unpacked = Path(tmp) / "konten"
        findings = unpack_content_zip(zip_path, unpacked, name)
        if findings:
            raise RefusedError(findings)
        return copy_content(unpacked, Path(folder), author, f"Konten diimpor dari {name}")
