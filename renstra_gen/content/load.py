"""Reads a content folder into the typed model, collecting every error before stopping once."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from renstra_gen.content import model as m
from renstra_gen.errors import ContentError, Finding, Source, error
from renstra_gen.content.limits import MARKDOWN_BYTES
from renstra_gen.content.paths import files, inside
from renstra_gen.content.yamlio import load_yaml, locate, read_bytes, read_text, validate

#: How a table or figure is named in the text: its file name without .yaml.
KEY = re.compile(r"^[A-Za-z0-9_.-]+$")


@dataclass(frozen=True)
class TextFile:
    """A Markdown file of the content, kept as text with its path (relative to the content folder)."""

    file: str
    text: str


@dataclass
class Content:
    """Everything a build needs, validated."""

    root: Path
    identity: m.Identity
    kata_pengantar: TextFile | None
    chapters: list[TextFile]
    tables: dict[str, m.TableBase]
    figures: dict[str, m.Node]
    lampiran: list[m.TableBase]
    indicators: m.IndicatorSet
    organisasi: m.Organisasi | None
    warnings: list[Finding] = field(default_factory=list)
    #: files that are missing or failed to load (only in a partial load, for `renstra check`)
    unavailable: set[str] = field(default_factory=set)


def load_content(root: Path) -> Content:
    """Load and validate a content folder. Raises ContentError listing every problem found."""
    content, findings = load_partial(root)
    if findings:
        raise ContentError(findings)
    return content


def load_partial(root: Path) -> tuple[Content | None, list[Finding]]:
    """Load and validate every file of a content folder on its own, so that a mistake in one file
    hides none in another: (the content without the files that failed, every error found).

    The content is None when renstra.yaml itself cannot be read (the other files are still
    validated); `Content.unavailable` names the files that are missing or failed, so that checks
    of what refers to them can say so once instead of once per reference."""
    root = Path(root)
    if not root.is_dir():
        raise ContentError([error(Source(str(root)), "folder konten tidak ditemukan")])
    if not (root / "renstra.yaml").is_file():
        raise ContentError([error(Source("renstra.yaml"), "berkas renstra.yaml tidak ada di folder konten"
                                  + (" (folder kosong)" if not any(root.iterdir()) else ""))])
    findings: list[Finding] = []
    warnings: list[Finding] = []
    unavailable: set[str] = set()

    def attempt(fn, *args, rel: str | None = None):
        try:
            return fn(*args)
        except ContentError as e:
            findings.extend(e.findings)
            if rel is not None:
                unavailable.add(rel)
            return None

    loaded = attempt(_load_identity, root, warnings, rel="renstra.yaml")
    identity, tree = loaded if loaded is not None else (None, None)

    def ref_source(*loc) -> Source:
        return Source("renstra.yaml", locate(tree, loc))

    if identity is not None and identity.nomenklatur is not None:  # a shipped version, `tanpa`, or the office's file in nomenklatur/
        from renstra_gen.content.nomenklatur_kantor import check_declared

        attempt(check_declared, root, identity.nomenklatur, ref_source("nomenklatur"), rel="nomenklatur")

    kata = None
    chapters: list[TextFile] = []
    if identity is not None:
        if identity.kata_pengantar:
            kata = attempt(_text_file, root, identity.kata_pengantar, ref_source("kata_pengantar"), warnings,
                           rel=identity.kata_pengantar)
        for i, rel in enumerate(identity.bab):
            chapter = attempt(_text_file, root, rel, ref_source("bab", i), warnings, rel=rel)
            if chapter is not None:
                chapters.append(chapter)

    tables: dict[str, m.TableBase] = {}
    for rel, _ in _keyed_files(root, "tabel", findings):
        t = attempt(_load_kind, root, rel, m.TABLE_KINDS, "tabel", warnings, rel=rel)
        if t is not None:
            tables[t.key] = t
    figures: dict[str, m.Node] = {}
    for rel, _ in _keyed_files(root, "gambar", findings):
        f = attempt(_load_kind, root, rel, m.FIGURE_KINDS, "gambar", warnings, rel=rel)
        if f is not None:
            figures[f.key] = f
    lampiran = []
    for i, rel in enumerate(identity.lampiran if identity is not None else []):
        src = ref_source("lampiran", i)
        path = attempt(inside, root, rel, src, rel=rel)
        if path is None:
            continue
        if not path.is_file():
            findings.append(error(src, f"berkas lampiran '{rel}' tidak ditemukan"))
            unavailable.add(rel)
            continue
        t = attempt(_load_kind, root, rel, m.TABLE_KINDS, "lampiran", warnings, rel=rel)
        if t is not None:
            lampiran.append(t)

    indicators = None
    if (root / "indikator.yaml").exists():
        indicators = attempt(_load_model, root, "indikator.yaml", m.IndicatorSet, warnings, rel="indikator.yaml")
    if indicators is None:  # only then: an empty set builds the model's validator (and loads pydantic's plugins)
        indicators = m.IndicatorSet()
    organisasi = None
    if (root / "organisasi.yaml").exists():
        organisasi = attempt(_load_model, root, "organisasi.yaml", m.Organisasi, warnings, rel="organisasi.yaml")

    if identity is None:
        return None, findings
    return Content(root, identity, kata, chapters, tables, figures, lampiran, indicators, organisasi, warnings,
                   unavailable), findings


def _remembered(root: Path, rel: str, what: str, warnings: list[Finding], make):
    """`make(data, warnings)` for the bytes of one content file, or what it gave for the same bytes before.

    Parsing and validating a file is most of loading (Tabel 6.2 of 5,000 sub kegiatan: 0.9 s, against
    0.15 s to read its validated model back), and a file a planner did not touch since the last build
    gives the same model: it is kept in the user's cache (system/cache.py: signed, so only this user's
    own entries are read), keyed by the bytes, the file's place and the code that reads it. Errors
    are never kept: a file with errors is read again each time."""
    import hashlib
    import pickle

    from renstra_gen.system.cache import read_signed, write_signed

    data = read_bytes(inside(root, rel), rel)
    # one entry per file (its place and how it is read), holding the model of the bytes read last
    name = hashlib.sha256(b"\0".join([str(root).encode(), rel.encode(), what.encode()])).hexdigest()
    made_of = hashlib.sha256(_reader_version() + data).digest()
    body = read_signed("konten", name, limit=CACHE_ENTRY_BYTES)
    if body is not None and body[:32] == made_of:
        try:
            value, found = pickle.loads(body[32:])  # noqa: S301 - signed with the user's own key
        except Exception:  # noqa: BLE001 - an unreadable entry is only read again from the file
            pass
        else:
            warnings.extend(found)
            return value
    found: list[Finding] = []
    try:
        value = make(data, found)
    finally:
        warnings.extend(found)
    try:
        body = pickle.dumps((value, found), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 - a value that cannot be kept is only read again next time
        return value
    if len(body) < CACHE_ENTRY_BYTES:
        write_signed("konten", name, made_of, body)
    return value


#: Largest validated file kept (the largest content file, 16 MB of YAML, pickles to about 50 MB).
CACHE_ENTRY_BYTES = 4 * 16 * 1024 * 1024


def _reader_version() -> bytes:
    """What a kept model depends on besides its file: the source of the content stage and the ground
    floor it uses, and the versions of Python, pydantic and ruamel.yaml (the text of ruamel.yaml's
    __init__.py, which holds its version: importing it costs a build whose files all come from here)."""
    global _READER
    if _READER is None:
        import hashlib
        import sys

        import pydantic

        from renstra_gen.system.cache import package_version

        package = Path(__file__).resolve().parents[1]
        h = hashlib.sha256(f"{sys.version}\0{pydantic.VERSION}\0".encode() + package_version("ruamel.yaml"))
        for path in sorted(package.glob("content/*.py")) + [package / "errors.py", package / "numbers.py",
                                                          package / "system" / "pesan.py"]:
            h.update(path.name.encode() + b"\0" + path.read_bytes())
        _READER = h.digest()
    return _READER


_READER: bytes | None = None


def _load_identity(root: Path, warnings: list[Finding]):
    def make(data: bytes, found: list[Finding]):
        parsed, tree = load_yaml(None, "renstra.yaml", found, data=data)
        return validate(m.Identity, parsed, tree, "renstra.yaml"), tree

    return _remembered(root, "renstra.yaml", "identity", warnings, make)


def _text_file(root: Path, rel: str, referrer: Source, warnings: list[Finding]) -> TextFile:
    path = inside(root, rel, referrer)
    if not path.is_file():
        raise ContentError([error(referrer, f"berkas '{rel}' tidak ditemukan")])
    return TextFile(rel, read_text(path, rel, warnings, limit=MARKDOWN_BYTES))


def _keyed_files(root: Path, folder: str, findings: list[Finding]) -> list[tuple[str, Path]]:
    """The YAML files of tabel/ or gambar/ whose names can be written in tabel("...") / gambar("...")."""
    out = []
    for rel, path in files(root, folder, "*.yaml", findings):
        if KEY.match(Path(rel).stem):
            out.append((rel, path))
        else:
            findings.append(error(Source(rel), f"nama berkas '{Path(rel).name}' tidak dapat dirujuk dari teks: "
                                               f"pakai huruf, angka, '-', '_' atau '.' saja (tanpa spasi)"))
    return out


def _load_model(root: Path, rel: str, cls, warnings: list[Finding]):
    return _remembered(root, rel, f"model {cls.__name__}", warnings,
                       lambda data, found: _model_from(data, rel, cls, found))


def _model_from(raw: bytes, rel: str, cls, warnings: list[Finding]):
    data, tree = load_yaml(None, rel, warnings, data=raw)
    if not isinstance(data, dict):
        raise ContentError([error(Source(rel, 1), "isi berkas harus berupa pemetaan (kunci: nilai)")])
    obj = validate(cls, data, tree, rel)
    return obj


def _load_kind(root: Path, rel: str, kinds: dict[str, type], what: str, warnings: list[Finding]):
    return _remembered(root, rel, f"{what} {' '.join(kinds)}", warnings,
                       lambda data, found: _kind_from(data, rel, kinds, what, found))


def _kind_from(raw: bytes, rel: str, kinds: dict[str, type], what: str, warnings: list[Finding]):
    data, tree = load_yaml(None, rel, warnings, data=raw)
    if not isinstance(data, dict):
        raise ContentError([error(Source(rel, 1), "isi berkas harus berupa pemetaan (kunci: nilai)")])
    kind = data.get("jenis")
    if not isinstance(kind, str) or kind not in kinds:
        line = tree.keys["jenis"][0] if "jenis" in tree.keys else 1
        if kind is None:
            msg = f"jenis {what} wajib diisi (salah satu dari: {', '.join(kinds)})"
        else:
            msg = f"jenis {what} tidak dikenal '{kind}'"
            close = difflib.get_close_matches(str(kind), list(kinds), n=1, cutoff=0.5)
            msg += f"; maksud Anda '{close[0]}'?" if close else f" (salah satu dari: {', '.join(kinds)})"
        raise ContentError([error(Source(rel, line), msg)])
    obj = validate(kinds[kind], data, tree, rel)
    # the file's Lines, kept only where a later check locates a row by them (a generic table's cells
    # that do not fill its grid): the Lines of Tabel 6.2 of 20,000 sub kegiatan held 190 MB, read by nobody
    obj._tree = tree if isinstance(obj, m.GenericTable) else None
    obj._key = Path(rel).stem
    return obj
