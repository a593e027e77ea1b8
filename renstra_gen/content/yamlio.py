"""YAML reading with line numbers, and pydantic errors turned into findings at file:line."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
import types
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

# ruamel.yaml is imported where a text is parsed: a build whose files all come from the validated
# cache (load.py) parses none
if typing.TYPE_CHECKING:
    from ruamel.yaml import YAML
    from ruamel.yaml.nodes import Node

from renstra_gen.content import limits
from renstra_gen.content.angka_id import AngkaError, Tertulis, baca, tampak_angka, tulis
from renstra_gen.errors import ContentError, Finding, Source, error, warning
from renstra_gen.system.pesan import os_reason

LINE_KEY = "__line__"
KEYS_KEY = "__keys__"  # line of each key of a mapping, for findings about one field
ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def read_text(path: Path, rel: str, warnings: list[Finding] | None = None, limit: int = limits.YAML_BYTES) -> str:
    """Read a UTF-8 content file of at most `limit` bytes, or fail with a message that names it.

    Characters XML cannot hold (control characters) are removed; each removal is reported
    into `warnings` with its line, so a .docx never carries them."""
    return decode_text(read_bytes(path, rel, limit), rel, warnings)


def read_bytes(path: Path, rel: str, limit: int = limits.YAML_BYTES) -> bytes:
    """The bytes of a content file of at most `limit` bytes, or a ContentError that names it."""
    try:
        with open(path, "rb") as f:
            data = f.read(limit + 1)  # never more than the budget in memory, whatever the file claims
    except FileNotFoundError:
        raise ContentError([error(Source(rel), "berkas tidak ditemukan")]) from None
    except IsADirectoryError:
        raise ContentError([error(Source(rel), "ini folder, bukan berkas")]) from None
    except OSError as e:
        raise ContentError([error(Source(rel), f"berkas tidak dapat dibaca ({os_reason(e)})")]) from None
    if len(data) > limit:
        raise ContentError([error(Source(rel), f"berkas terlalu besar (lebih dari {limits.size(limit)}; "
                                               f"batas dalam docs/content-format.md)")])
    return data


def decode_text(data: bytes, rel: str, warnings: list[Finding] | None = None) -> str:
    """A content file's bytes as text (see read_text)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise ContentError([error(
            Source(rel, line),
            "berkas bukan UTF-8; simpan ulang berkas ini dengan pengodean UTF-8",
        )]) from e
    if ILLEGAL_XML.search(text):
        for n, line_text in enumerate(text.split("\n"), 1):
            bad = ILLEGAL_XML.findall(line_text)
            if bad and warnings is not None:
                codes = ", ".join(sorted({f"U+{ord(c):04X}" for c in bad}))
                warnings.append(warning(Source(rel, n), f"karakter kendali yang tidak sah dalam dokumen Word dihapus ({codes})"))
        text = ILLEGAL_XML.sub("", text)
    return text


@dataclass(slots=True)
class Lines:
    """Where each part of a YAML document is written: a node's line, and its children's.

    Slots, and one shared pair of empty containers for every scalar (`scalar_lines`): a file has a
    Lines per value, and a dict and a list of its own each cost a Tabel 6.2 of 20,000 sub kegiatan
    about 90 MB. Only the parser fills them, and only a mapping's or a sequence's own."""

    line: int
    keys: dict = field(default_factory=dict)  # mapping key -> (line of the key, Lines of its value)
    items: list = field(default_factory=list)  # sequence item -> Lines


_PARSED: dict[tuple[str, str], tuple[Any, "Lines"]] = {}  # (rel, text) -> parsed; bounded below
_PARSED_FILES = 256
_PARSED_TEXT = 1024 * 1024
_NO_KEYS: dict = {}
_NO_ITEMS: list = []


def scalar_lines(line: int) -> Lines:
    """The Lines of a scalar value: no keys, no items (shared, never filled)."""
    return Lines(line, _NO_KEYS, _NO_ITEMS)


def load_yaml(path: Path | None, rel: str, warnings: list[Finding] | None = None,
              data: bytes | None = None) -> tuple[Any, Lines]:
    """Return (plain data with __line__/__keys__ on every object mapping, the Lines for locating values).

    Reads the events of ruamel's C parser when available (line marks, no node tree, no round trip).
    `data`: the file's bytes when already read (then `path` is not read).
    The result of a text already parsed in this process is returned again (the same objects: callers
    only read them): the workspace loads the whole content on every save, where one file changed."""
    text = read_text(path, rel, warnings) if data is None else decode_text(data, rel, warnings)
    key = (rel, text)
    hit = _PARSED.get(key)
    if hit is not None:
        return hit
    try:
        result = _from_events(text, rel)
        if len(text) <= _PARSED_TEXT:
            if len(_PARSED) >= _PARSED_FILES:
                _PARSED.clear()
            _PARSED[key] = result
        return result
    except _marked_error() as e:  # (evaluated only once parsing raised: ruamel is imported by then)
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else None
        col = f", kolom {mark.column + 1}" if mark else ""
        problem = e.problem or e.context or ""
        at = text[mark.index:mark.index + 1] if mark and mark.index is not None else ""
        raise ContentError([error(Source(rel, line), f"YAML tidak sah{col}: {yaml_problem(problem, at)}")]) from e
    except ContentError:
        raise
    except RecursionError as e:
        raise ContentError([error(Source(rel), f"YAML bersarang terlalu dalam (batas {limits.YAML_DEPTH} tingkat)")]) from e
    except Exception as e:  # the C parser raises a few unmarked errors
        raise ContentError([error(Source(rel), f"YAML tidak sah ({yaml_problem(str(e))})")]) from e


#: ruamel's (libyaml's) problems in the planner's language; any other is quoted inside our sentence.
YAML_PROBLEMS = [
    ("tab character", "karakter tab tidak boleh dipakai untuk indentasi; pakai spasi"),
    ("mapping values are not allowed", "tanda ':' tidak boleh di sini (teks yang memuat ': ' diberi tanda kutip)"),
    ("could not find expected ':'", "tanda ':' setelah kunci tidak ditemukan"),
    ("did not find expected key", "kunci yang diharapkan tidak ditemukan (periksa indentasi)"),
    ("did not find expected '-'", "tanda '-' daftar yang diharapkan tidak ditemukan (periksa indentasi)"),
    ("did not find expected ',' or ']'", "daftar [ ... ] belum ditutup dengan ']' atau kurang tanda ','"),
    ("did not find expected ',' or '}'", "pemetaan { ... } belum ditutup dengan '}' atau kurang tanda ','"),
    ("did not find expected node content", "nilai yang diharapkan tidak ditemukan"),
    ("did not find expected comment or line break", "teks tambahan setelah nilai (tanda kutip ditutup terlalu awal?)"),
    ("unexpected end of stream", "berkas berakhir sebelum tanda kutip atau kurung ditutup"),
    ("unknown escape character", "karakter escape (\\) tidak dikenal dalam teks berkutip ganda"),
    ("expected <block end>", "indentasi tidak konsisten"),
    ("expected a single document", "berkas hanya boleh berisi satu dokumen YAML (hapus baris '---' kedua)"),
    ("found undefined alias", "alias tanpa jangkar"),
    ("found character that cannot start any token", "karakter yang tidak boleh mengawali nilai (beri tanda kutip)"),
    ("control characters are not allowed", "karakter kendali tidak boleh ada"),
    ("invalid Unicode character escape", "kode karakter Unicode (\\u...) tidak sah dalam teks berkutip ganda"),
    ("found duplicate anchor", "jangkar (&) yang sama ditulis dua kali"),
    ("found unexpected ':'", "tanda ':' tidak diharapkan"),
    ("while parsing a flow", "daftar atau pemetaan dalam kurung belum ditutup"),
    ("could not determine a constructor for the tag", "tanda jenis '!...' tidak dikenal (hapus tanda '!' atau beri tanda kutip)"),
    ("found incompatible YAML document", "versi YAML pada baris %YAML tidak didukung (hapus baris itu)"),
    ("did not find expected <document start>", "teks tambahan setelah akhir isi (kurung tutup berlebih?)"),
    ("expected hexdecimal number", "kode karakter (\\x..., \\u...) tidak lengkap dalam teks berkutip ganda"),
    ("expected alphabetic or numeric character", "nama jangkar (&) atau alias (*) tidak sah"),
    ("found unknown escape character", "karakter escape (\\) tidak dikenal dalam teks berkutip ganda"),
]


def yaml_problem(problem: str, text_at: str = "") -> str:
    """A parser's problem in Indonesian, or quoted as the parser's own words.

    `text_at`: the file's text from the problem's position (a tab there explains most problems)."""
    if text_at.startswith("\t"):
        return YAML_PROBLEMS[0][1]
    for needle, text in YAML_PROBLEMS:
        if needle in problem:
            return text
    return "sintaks YAML tidak sah di sini"  # the parser's own words are English: shown with --debug only


def _marked_error() -> type[Exception]:
    from ruamel.yaml.error import MarkedYAMLError

    return MarkedYAMLError


def _from_events(text: str, rel: str) -> tuple[Any, Lines]:
    """Build plain data and its Lines in one pass over the parser's events (no node tree)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.events import (AliasEvent, MappingEndEvent, MappingStartEvent, ScalarEvent,
                                     SequenceEndEvent, SequenceStartEvent)
    from ruamel.yaml.nodes import ScalarNode

    yaml = YAML(typ="safe")
    resolver, constructor = yaml.resolver, yaml.constructor
    stack: list[list] = []  # [container, Lines, pending key, pending key line, anchor, values expanded]
    anchors: dict[str, tuple[Any, Lines, int]] = {}  # name -> (value, Lines, values it expands to)
    result: list[tuple[Any, Lines]] = []
    aliased = 0  # values added by expanding aliases; bounded so that 1 KB cannot stand for 10^9 rows
    aliases = 0

    def add(value: Any, lines: Lines, line: int, size: int = 1) -> None:
        if not stack:
            result.append((value, lines))
            return
        frame = stack[-1]
        frame[5] += size
        container = frame[0]
        if isinstance(container, list):
            container.append(value)
            frame[1].items.append(lines)
        elif frame[2] is _NO_KEY:
            if not isinstance(value, (str, int)) or isinstance(value, bool):
                value = str(value)
            if value in container:
                raise ContentError([error(Source(rel, line), f"kunci '{value}' ditulis dua kali")])
            frame[2], frame[3] = value, line
        else:
            container[frame[2]] = value
            frame[1].keys[frame[2]] = (frame[3], lines)
            frame[2] = _NO_KEY

    written = 0
    glue: list = []  # a flow-mapping "key" that is the decimals of the value before it ({2026: 85,5})

    def on(ev) -> None:
        nonlocal written, aliases, aliased
        written += not isinstance(ev, (MappingEndEvent, SequenceEndEvent))
        if written > limits.YAML_VALUES:
            raise ContentError([error(Source(rel, ev.start_mark.line + 1), f"berkas berisi terlalu banyak nilai "
                                      f"(batas {limits.count(limits.YAML_VALUES)}); bagi isinya ke beberapa berkas")])
        if isinstance(ev, ScalarEvent):
            line = ev.start_mark.line + 1
            frame = stack[-1] if stack else None
            if frame is not None and frame[6] is not None and frame[2] is _NO_KEY and _decimals_of(text, frame[6], ev):
                glue.append(ev)  # decided at its value: empty means `85,5` was split at its comma
                return
            value = _quick_scalar(ev)
            if value is _SLOW:
                tag = ev.tag if ev.tag and ev.tag != "!" else resolver.resolve(ScalarNode, ev.value, ev.implicit)
                value = _scalar(ScalarNode(tag, ev.value, ev.start_mark, ev.end_mark, style=ev.style), constructor)
            lines = scalar_lines(line)
            if ev.anchor:
                anchors[ev.anchor] = (value, lines, 1)
            if frame is not None and isinstance(frame[0], dict) and frame[7] and frame[2] is not _NO_KEY:
                written_number = not ev.style and not ev.tag and not ev.anchor and _NUMBERISH.fullmatch(ev.value)
                frame[6] = (frame[2], ev.value, ev.end_mark.index) if written_number else None
            add(value, lines, line)
        elif isinstance(ev, (MappingStartEvent, SequenceStartEvent)):
            if len(stack) >= limits.YAML_DEPTH:
                raise ContentError([error(Source(rel, ev.start_mark.line + 1),
                                          f"YAML bersarang terlalu dalam (batas {limits.YAML_DEPTH} tingkat)")])
            container = {} if isinstance(ev, MappingStartEvent) else []
            flow_map = isinstance(ev, MappingStartEvent) and bool(ev.flow_style)
            stack.append([container, Lines(ev.start_mark.line + 1), _NO_KEY, 0, ev.anchor, 1, None, flow_map])
        elif isinstance(ev, (MappingEndEvent, SequenceEndEvent)):
            container, lines, _, _, anchor, size, _, _ = stack.pop()
            if isinstance(container, dict) and container and all(isinstance(k, str) for k in container):
                container[KEYS_KEY] = {k: kl for k, (kl, _) in lines.keys.items()}  # objects get their lines;
                container[LINE_KEY] = lines.line  # per-year maps (int keys) stay plain
            if anchor:
                anchors[anchor] = (container, lines, size)
            if stack:
                stack[-1][6] = None
            add(container, lines, lines.line, size)
        elif isinstance(ev, AliasEvent):
            line = ev.start_mark.line + 1
            if ev.anchor not in anchors:
                raise ContentError([error(Source(rel, line), f"alias '*{ev.anchor}' tanpa jangkar")])
            value, lines, size = anchors[ev.anchor]
            aliases += 1
            aliased += size
            if aliases > limits.YAML_ALIASES or aliased > limits.YAML_ALIAS_VALUES:
                raise ContentError([error(Source(rel, line), f"alias (*{ev.anchor}) terlalu banyak: isi berkas setelah "
                                          f"alias diuraikan melebihi batas ({limits.count(limits.YAML_ALIAS_VALUES)} "
                                          f"nilai atau {limits.count(limits.YAML_ALIASES)} alias)")])
            if stack:
                stack[-1][6] = None
            add(value, lines, line, size)

    for ev in yaml.parse(text):
        if glue:
            decimals = glue.pop()
            frame = stack[-1]
            if isinstance(ev, ScalarEvent) and ev.value == "" and not ev.style and not ev.tag and not ev.anchor:
                key, before, _ = frame[6]  # `85` then `5` with no value: the comma was a decimal comma
                joined = f"{before},{decimals.value}"
                frame[0][key] = Tertulis(joined)
                frame[6] = (key, joined, decimals.end_mark.index)
                continue
            frame[6] = None
            on(decimals)  # a real key after a comma without a space ({2025: 10,2026: 12})
        on(ev)
    if not result:
        return None, Lines(1)
    return result[0]


_NO_KEY = object()
_NUMBERISH = re.compile(r"[-+]?(?:[Rr]p\.? ?)?[0-9][0-9.,]*")


def _decimals_of(text: str, last: tuple, ev) -> bool:
    """Whether a flow-mapping key is the digits after a comma that ends the value before it."""
    _, _, end = last
    return (not ev.style and not ev.tag and not ev.anchor and (ev.value.isdigit() or ev.value == "-")
            and ev.start_mark.index == end + 1 and text[end:end + 1] == ",")


_SLOW = object()
_WORDS = re.compile(r"[A-Za-z][^:#\n]*$")  # plain text that YAML cannot read as anything but a string
_SPECIAL = {"null", "Null", "NULL", "~", "true", "True", "TRUE", "false", "False", "FALSE",
            "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF",
            ".inf", ".Inf", ".INF", ".nan", ".NaN", ".NAN"}


def _quick_scalar(ev) -> Any:
    """The value of the common scalars without ruamel's resolver (~10 µs each); _SLOW for the rest."""
    text = ev.value
    if ev.tag:
        return _SLOW
    if ev.style in ("'", '"'):
        return text
    if ev.style:  # block scalars | and > (plain ones have no style: None or "")
        return text
    if _PLAIN_INT.match(text) and not (len(text) > 1 and text.lstrip("+-").startswith("0")):
        return int(text)
    if _PLAIN_FLOAT.match(text):
        return Tertulis(text) if _DOTTED.fullmatch(text) else float(text)
    if text and text not in _SPECIAL and _WORDS.match(text):
        return text
    return _SLOW


_PLAIN_INT = re.compile(r"[-+]?[0-9]+$")
_PLAIN_FLOAT = re.compile(r"[-+]?[0-9]*\.[0-9]+([eE][-+]?[0-9]+)?$")
#: a plain scalar YAML reads as a float but an Indonesian may mean as thousands (250.000): kept as written
_DOTTED = re.compile(r"[-+]?[0-9]*\.[0-9]+")


def _scalar(node: Node, constructor) -> Any:
    """The common scalars resolved directly (the constructor costs ~15 µs each); the rest by ruamel."""
    tag, text = node.tag, node.value
    if tag == "tag:yaml.org,2002:str":
        return str(text)
    if tag == "tag:yaml.org,2002:int" and _PLAIN_INT.match(text):
        return int(text)
    if tag == "tag:yaml.org,2002:float" and _PLAIN_FLOAT.match(text):
        return Tertulis(text) if node.style in (None, "") and _DOTTED.fullmatch(text) else float(text)
    if tag == "tag:yaml.org,2002:null":
        return None
    value = constructor.construct_object(node, deep=True)
    return str(value) if isinstance(value, str) else value


def locate(tree: Lines | None, loc: tuple) -> int | None:
    """Line of the value at a pydantic error location, or of its nearest existing parent."""
    if tree is None:
        return None
    line = tree.line
    node = tree
    for part in loc:
        if node.keys and (part in node.keys or (str(part).isdigit() and int(part) in node.keys)):
            key = part if part in node.keys else int(part)
            line, node = node.keys[key]
        elif node.items and isinstance(part, int) and part < len(node.items):
            node = node.items[part]
            line = node.line
        elif node.keys or node.items:
            if isinstance(part, str) and part in ("str", "decimal", "int") or str(part).startswith(("function-", "tagged-")):
                continue  # a union member or validator name in the location
            return line
    return line


MESSAGES = {
    "missing": "wajib diisi",
    "int_parsing": "harus berupa bilangan bulat",
    "int_type": "harus berupa bilangan bulat",
    "int_from_float": "harus berupa bilangan bulat",
    "float_parsing": "harus berupa angka",
    "float_type": "harus berupa angka",
    "decimal_parsing": "harus berupa angka",
    "decimal_type": "harus berupa angka",
    "finite_number": "harus berupa angka",
    "string_type": "harus berupa teks",
    "list_type": "harus berupa daftar (- ...)",
    "dict_type": "harus berupa pemetaan (kunci: nilai)",
    "model_type": "harus berupa pemetaan (kunci: nilai)",
    "model_attributes_type": "harus berupa pemetaan (kunci: nilai)",
    "bool_type": "harus true atau false",
    "bool_parsing": "harus true atau false",
    "date_from_datetime_parsing": "harus berupa tanggal (TTTT-BB-HH)",
    "date_parsing": "harus berupa tanggal (TTTT-BB-HH)",
    "date_type": "harus berupa tanggal (TTTT-BB-HH)",
    "too_short": "tidak boleh kosong",
    "string_too_short": "tidak boleh kosong",
    "string_too_long": "terlalu panjang (batas {max_length} karakter)",
    "string_pattern_mismatch": "tidak sesuai bentuk yang diharapkan",
    "string_unicode": "harus berupa teks",
    "greater_than_equal": "harus ≥ {ge}",
    "less_than_equal": "harus ≤ {le}",
    "greater_than": "harus > {gt}",
    "less_than": "harus < {lt}",
    "multiple_of": "harus kelipatan {multiple_of}",
    "int_parsing_size": "terlalu besar",
    "decimal_max_digits": "terlalu banyak angka (batas {max_digits})",
    "decimal_max_places": "terlalu banyak angka di belakang koma (batas {decimal_places})",
    "decimal_whole_digits": "terlalu banyak angka di depan koma (batas {whole_digits})",
    "too_long": "terlalu banyak unsur (batas {max_length})",
    "tuple_type": "harus berupa daftar (- ...)",
    "set_type": "harus berupa daftar (- ...)",
    "iterable_type": "harus berupa daftar (- ...)",
    "mapping_type": "harus berupa pemetaan (kunci: nilai)",
    "none_required": "harus dikosongkan",
    "union_tag_not_found": "jenis wajib diisi",
}
#: pydantic error types whose own message is English and says nothing our MESSAGES could not:
#: everything not listed above is worded by `_generic` ("nilai tidak sah"), never with pydantic's text
_CHOICES = ("literal_error", "enum")


def describe(loc: tuple) -> str:
    """'pagu 2023' for ('program', 0, 'kegiatan', 1, 'pagu', 2023)."""
    words: list[str] = []
    for part in reversed(loc):
        if isinstance(part, str) and not part.startswith(("function-", "tagged-")) and part not in ("str", "decimal", "int"):
            words.insert(0, part)
            break
        if isinstance(part, int) and 1900 < part < 2200:
            words.insert(0, str(part))
        elif isinstance(part, str) and part.isdigit() and 1900 < int(part) < 2200:
            words.insert(0, part)
    return " ".join(words) if words else "isi"


def field_names(model: type[BaseModel], loc: tuple) -> list[str]:
    """The keys the model accepts at a location (for 'maksud Anda ...?' hints)."""
    current: Any = model
    for part in loc:
        current = _step(current, part)
        if current is None:
            return []
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [f.alias or n for n, f in current.model_fields.items() if (f.alias or n) not in (LINE_KEY, KEYS_KEY)]
    return []


def _step(tp: Any, part: Any) -> Any:
    tp = _unwrap(tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        for name, f in tp.model_fields.items():
            if part in (name, f.alias):
                return f.annotation
        return None
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (list, tuple) and isinstance(part, int):
        return args[0] if args else None
    if origin is dict:
        return args[1] if len(args) > 1 else None
    return None


def _unwrap(tp: Any) -> Any:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        models = [a for a in typing.get_args(tp) if isinstance(a, type) and issubclass(a, BaseModel)]
        others = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(models) == 1:
            return models[0]
        if len(others) == 1:
            return _unwrap(others[0])
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(tp)[0])
    return tp


def findings_from(exc: ValidationError, model: type[BaseModel], tree: Any, rel: str) -> list[Finding]:
    """One finding per pydantic error, located in the file, worded in Indonesian."""
    out: list[Finding] = []
    seen: set[tuple] = set()
    for err in exc.errors():
        loc = tuple(err["loc"])
        kind = err["type"]
        line = locate(tree, loc)
        if kind == "extra_forbidden":
            key = str(loc[-1])
            msg = f"kunci tidak dikenal '{key}'"
            close = difflib.get_close_matches(key, field_names(model, loc[:-1]), n=1, cutoff=0.6)
            if close:
                msg += f"; maksud Anda '{close[0]}'?"
        elif kind in _CHOICES:
            msg = f"{describe(loc)} {_choices_message(err)}"
        elif kind in MESSAGES:
            ctx = {k: _fmt_expected(v) for k, v in (err.get("ctx") or {}).items()}
            what = MESSAGES[kind].format(**ctx) if ctx else MESSAGES[kind]
            given = err.get("input")
            msg = f"{describe(loc)} {what}"
            if kind != "missing" and isinstance(given, (str, int, float)) and not isinstance(given, bool):
                msg += f", tertulis {given!r}"
        elif kind in ("value_error", "assertion_error") and (err.get("ctx") or {}).get("error") is not None:
            msg = f"{describe(loc)}: {err['ctx']['error']}"  # our validators' own (Indonesian) sentence
        else:
            msg = f"{describe(loc)}: nilai tidak sah"  # pydantic's own message is English: never shown
            given = err.get("input")
            if isinstance(given, (str, int, float)) and not isinstance(given, bool):
                msg += f", tertulis {given!r}"
        key = (line, msg)
        if key in seen:
            continue
        seen.add(key)
        out.append(error(Source(rel, line), msg))
    return out


def _fmt_expected(v: Any) -> str:
    return str(v).replace("'", "")


_QUOTED = re.compile(r"'((?:[^'\\]|\\.)*)'")


def _choices(expected: str) -> list[str]:
    """The allowed values of a Literal/Enum error: pydantic writes them "'a', 'b' or 'c'" (English)."""
    quoted = _QUOTED.findall(expected)
    if quoted:
        return quoted
    return [v.strip() for v in re.split(r",| or ", expected) if v.strip()]


def _choices_message(err: dict) -> str:
    """'harus A4 atau F4, tertulis 'Letter'' / 'harus salah satu dari: naik, turun, tetap; maksud Anda ...?'."""
    values = _choices(str((err.get("ctx") or {}).get("expected", "")))
    if len(values) == 2:
        msg = f"harus {values[0]} atau {values[1]}"
    else:
        msg = f"harus salah satu dari: {', '.join(values)}"
    given = err.get("input")
    if isinstance(given, (str, int, float)) and not isinstance(given, bool):
        msg += f", tertulis {given!r}"
        folded = {v.casefold(): v for v in values}
        close = difflib.get_close_matches(str(given).strip().casefold(), list(folded), n=1, cutoff=0.7)
        if close:
            msg += f"; maksud Anda '{folded[close[0]]}'?"
    return msg


def validate(model: type[BaseModel], data: Any, tree: Any, rel: str, context: dict | None = None):
    """Validate plain data into a model, or raise ContentError with located findings."""
    try:
        return model.model_validate(data, context={"file": rel, **(context or {})})
    except ValidationError as e:
        raise ContentError(findings_from(e, model, tree, rel)) from e


# ---------------------------------------------------------------- writing: edits that keep every other byte

_DELETE = object()  # an edit value that removes the key


@dataclass
class _Span:
    """A node of the written text: its kind, where it starts and ends, and its children."""

    kind: str  # "map", "seq" or "scalar"
    start: int
    end: int
    flow: bool = False
    style: str | None = None
    text: str = ""
    keys: dict = field(default_factory=dict)  # key -> (key span, value span)
    items: list = field(default_factory=list)

    def last_end(self) -> int:
        """Where the node's last character is (the end of its last scalar for a block collection)."""
        if self.kind == "scalar" or self.flow:
            return self.end
        children = [v for _, v in self.keys.values()] if self.kind == "map" else self.items
        return children[-1].last_end() if children else self.end


def _spans(text: str) -> _Span | None:
    """The node tree of a YAML text with character offsets.

    libyaml's parser (ruamel's C extension) gives the same offsets as the pure parser, 40 times
    faster (9 ms instead of 360 ms for the default Tabel 6.2: most of a save in the workspace);
    the pure parser is kept for a text with a byte-order mark (libyaml counts from after it) and
    for anything the C parser refuses or cannot run."""
    from ruamel.yaml import YAML
    from ruamel.yaml.events import ScalarEvent

    if not text.startswith("\ufeff"):
        try:
            events = list(YAML(typ="safe", pure=False).parse(text))
        except Exception:  # noqa: BLE001 - no C extension, or a text only the pure parser takes
            events = None
        # an empty plain value (`pagu:`) is placed elsewhere by libyaml (right after the colon)
        if events is not None and not any(isinstance(ev, ScalarEvent) and ev.value == "" and not ev.style
                                          for ev in events):
            return _spans_of(events, text)
    return _spans_of(YAML(typ="safe", pure=True).parse(text), text)


def _spans_with(text: str, yaml: YAML) -> _Span | None:
    """The node tree as one parser reads it (tests compare the two)."""
    return _spans_of(yaml.parse(text), text)


def _spans_of(events, text: str) -> _Span | None:
    from ruamel.yaml.events import (AliasEvent, MappingEndEvent, MappingStartEvent, ScalarEvent,
                                     SequenceEndEvent, SequenceStartEvent)

    stack: list[list] = []  # [span, pending key span]
    root: list[_Span] = []

    def add(span: _Span) -> None:
        if not stack:
            root.append(span)
            return
        frame = stack[-1]
        parent = frame[0]
        if parent.kind == "seq":
            parent.items.append(span)
        elif frame[1] is None:
            frame[1] = span
        else:
            key = _quick_scalar_text(frame[1].text, frame[1].style)
            parent.keys[key] = (frame[1], span)
            frame[1] = None

    glue: list = []  # as in _from_events: `{2026: 85,5}` is one value, 85,5
    for ev in events:
        if glue:
            candidate = glue.pop()
            frame = stack[-1]
            if isinstance(ev, ScalarEvent) and ev.value == "" and not ev.style and not ev.tag:
                last = list(frame[0].keys.values())[-1][1]
                last.end, last.text = candidate.end_mark.index, f"{last.text},{candidate.value}"
                continue
            add(_Span("scalar", candidate.start_mark.index, candidate.end_mark.index, style=candidate.style or None,
                      text=candidate.value))
        if isinstance(ev, ScalarEvent):
            if stack and stack[-1][0].kind == "map" and stack[-1][0].flow and stack[-1][1] is None and stack[-1][0].keys:
                last = list(stack[-1][0].keys.values())[-1][1]
                if (last.kind == "scalar" and not last.style and _NUMBERISH.fullmatch(last.text)
                        and _decimals_of(text, (None, None, last.end), ev)):
                    glue.append(ev)
                    continue
            add(_Span("scalar", ev.start_mark.index, ev.end_mark.index, style=ev.style or None, text=ev.value))
        elif isinstance(ev, (MappingStartEvent, SequenceStartEvent)):
            kind = "map" if isinstance(ev, MappingStartEvent) else "seq"
            stack.append([_Span(kind, ev.start_mark.index, ev.start_mark.index, flow=bool(ev.flow_style)), None])
        elif isinstance(ev, (MappingEndEvent, SequenceEndEvent)):
            span = stack.pop()[0]
            span.end = ev.end_mark.index
            add(span)
        elif isinstance(ev, AliasEvent):
            add(_Span("scalar", ev.start_mark.index, ev.end_mark.index, style="*"))
    return root[0] if root else None


def _quick_scalar_text(text: str, style: str | None) -> Any:
    if not style and _PLAIN_INT.match(text) and not (len(text) > 1 and text.lstrip("+-").startswith("0")):
        return int(text)
    return text


def yaml_scalar(value: Any, style: str | None = None) -> str:
    """A value as YAML text that reads back as the same value (quoted only when it must be)."""
    from decimal import Decimal

    if isinstance(value, bool) or value is None:
        raise TypeError(f"not written as a scalar: {value!r}")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (Decimal, float)):
        text = tulis(value)  # 85,5: the way angka_id reads it back (85.5 would be refused as unclear)
        return f'"{text}"' if "," in text else text  # quoted: a comma ends a value in [ ] and { }
    value = str(value)
    if style == "'" and "\n" not in value:
        return "'" + value.replace("'", "''") + "'"
    if style != '"' and _plain_ok(value):
        return value
    import json

    return json.dumps(value, ensure_ascii=False)


_PLAIN_TEXT = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`][^\n:#,\[\]{}]*")


def _plain_ok(value: str) -> bool:
    """Whether `value` can be written unquoted and read back as itself, in a block and in a flow mapping."""
    if not _PLAIN_TEXT.fullmatch(value) or value != value.strip():
        return False
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe")
    try:
        return (yaml.load(f"k: {value}\n") == {"k": value}
                and yaml.load(f"{{k: {value}, j: 1}}\n") == {"k": value, "j": 1})
    except Exception:  # noqa: BLE001 - any parser complaint means: quote it
        return False


def _flow(values: dict) -> str:
    """A small nested mapping as flow text: {2025: 10, 2026: 12}."""
    parts = []
    for k, v in values.items():
        parts.append(f"{yaml_scalar(k)}: {_flow(v) if isinstance(v, dict) else yaml_scalar(v)}")
    return "{" + ", ".join(parts) + "}"


def edit_yaml(text: str, edits: list[tuple[tuple, Any]]) -> str:
    """`text` with each (path, value) set, everything else byte for byte as it was.

    A path names mapping keys and sequence indexes from the document root. A missing key is added
    (a missing per-year mapping as a flow mapping); a value of None removes the key. Only the lines
    of changed values change: comments, blank lines, quoting and `kode: null` elsewhere stay."""
    if not edits:
        return text
    root = _spans(text)
    if root is None:
        raise ValueError("empty YAML document")
    tree: dict = {}
    for path, value in edits:  # the edits as a nested dict, so that new keys of one map go in together
        node = tree
        for part in path[:-1]:
            node = node.setdefault(part, {})
        node[path[-1]] = _DELETE if value is None else value
    newline = "\r\n" if "\r\n" in text else "\n"
    splices: list[tuple[int, int, str]] = []
    _plan(text, root, tree, splices, newline)
    out = text
    splices.sort(key=lambda s: (s[0], s[1]))
    for (_, end, _), (start, _, _) in zip(splices, splices[1:]):
        if start < end:
            raise ValueError("edits overlap in the text")
    for start, end, new in reversed(splices):
        out = out[:start] + new + out[end:]
    return out


def _plan(text: str, span: _Span, wanted: dict, splices: list, newline: str) -> None:
    if span.kind == "seq":
        for index, sub in wanted.items():
            if not isinstance(index, int) or index >= len(span.items):
                raise KeyError(index)
            _set(text, span.items[index], sub, splices, newline)
        return
    if span.kind != "map":
        raise KeyError(next(iter(wanted)))
    if span.flow and _reshapes(span, wanted):
        flat = text[span.start:span.end]
        if "\n" not in flat and "#" not in flat:
            splices.append((span.start, span.end, _rewritten_flow(text, span, wanted)))
            return
    missing = {}
    for key, sub in wanted.items():
        if key in span.keys:
            key_span, value_span = span.keys[key]
            if sub is _DELETE:
                if not _same(text, value_span, None):
                    splices.append(_removal(text, span, key, key_span, value_span))
            else:
                _set(text, value_span, sub, splices, newline, key_span)
        elif sub is not _DELETE and _strip_deletes(sub) != {}:  # removing from a missing map: nothing to do
            missing[key] = _strip_deletes(sub)
    if missing:
        removed = {k for k, v in wanted.items() if v is _DELETE}
        splices.extend(_insertions(text, span, missing, newline, removed))


def _reshapes(span: _Span, wanted: dict) -> bool:
    """Whether edits add or remove keys of a mapping (not only change values)."""
    return any((k in span.keys) == (v is _DELETE) for k, v in wanted.items())


def _rewritten_flow(text: str, span: _Span, wanted: dict) -> str:
    """A one-line flow mapping with keys added, removed or changed; untouched entries as written."""
    entries = []
    for key, (key_span, value_span) in span.keys.items():
        sub = wanted.get(key, value_span)
        if sub is _DELETE:
            continue
        value_text = text[value_span.start:value_span.end]
        if sub is not value_span:
            if isinstance(sub, dict) or value_span.kind != "scalar":
                raise TypeError("nested edits inside a flow mapping")
            if not _same(text, value_span, sub):
                value_text = yaml_scalar(sub, value_span.style if value_span.style in ("'", '"') else None)
        entries.append((key, text[key_span.start:key_span.end], value_text))
    for key, sub in wanted.items():
        if key not in span.keys and sub is not _DELETE:
            value_text = _flow(_strip_deletes(sub)) if isinstance(sub, dict) else yaml_scalar(sub)
            later = [i for i, (k, _, _) in enumerate(entries) if isinstance(k, int) and isinstance(key, int) and k > key]
            entries.insert(later[0] if later else len(entries), (key, yaml_scalar(key), value_text))
    return "{" + ", ".join(f"{k}: {v}" for _, k, v in entries) + "}"


def _strip_deletes(v):
    return {k: _strip_deletes(x) for k, x in v.items() if x is not _DELETE} if isinstance(v, dict) else v


def _set(text: str, span: _Span, sub: Any, splices: list, newline: str, key_span: _Span | None = None) -> None:
    if isinstance(sub, dict):
        if span.kind == "scalar" and span.style is None and span.text in ("", "null", "Null", "NULL", "~"):
            new = _flow(_strip_deletes(sub))  # `pagu:` or `pagu: null` gets its first years
            if span.text == "" and key_span is not None:
                colon = text.index(":", key_span.end) + 1
                splices.append((colon, colon, " " + new))
            else:
                splices.append((span.start, span.end, new))
            return
        if (span.kind == "map" and not span.flow and key_span is not None and span.keys
                and all(sub.get(k) is _DELETE for k in span.keys) and all(v is _DELETE for v in sub.values())):
            # every key of a block mapping removed: `key: {}` (an empty `key:` would read as null)
            colon = text.index(":", key_span.end) + 1
            first = _line_start(text, span.start)
            last = _line_end(text, span.last_end())
            nl = text.find("\n", last)
            splices.append((colon, _line_end(text, colon), " {}"))
            splices.append((first, nl + 1 if nl >= 0 else len(text), ""))
            return
        _plan(text, span, sub, splices, newline)
        return
    if span.kind != "scalar":
        raise TypeError("a collection cannot take a single value")
    if _same(text, span, sub):
        return  # the value as written already (1.50 for 1.5, 'teks' for teks): the line stays
    new = yaml_scalar(sub, span.style if span.style in ("'", '"') else None)
    if span.text == "" and span.style is None and key_span is not None:
        colon = text.index(":", key_span.end) + 1
        splices.append((colon, colon, " " + new))
    else:
        splices.append((span.start, span.end, new))


def _same(text: str, span: _Span, value: Any) -> bool:
    """Whether a written scalar already holds `value` (None: null or empty); numbers as angka_id reads them."""
    from decimal import Decimal, InvalidOperation

    if span.kind != "scalar" or span.style == "*":
        return False
    if isinstance(value, Tertulis):  # a number kept as written (0.7 of a column width) stays as written
        return not span.style and span.text == value
    number = isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)
    if number and (span.style in ("'", '"') or not span.style) and tampak_angka(span.text):
        try:
            old_number = baca(span.text)
            return old_number is not None and old_number == Decimal(repr(value) if isinstance(value, float) else value)
        except (AngkaError, InvalidOperation):
            return False
    if span.style:  # quoted or block: the text is the value
        old: Any = span.text
    else:
        from ruamel.yaml import YAML

        try:
            old = YAML(typ="safe", pure=True).load(text[span.start:span.end]) if span.text else None
        except Exception:  # noqa: BLE001 - an unreadable scalar is simply not the same
            return False
    if value is None or old is None:
        return value is None and old is None
    if isinstance(old, bool) or isinstance(value, bool):
        return old is value
    if number and isinstance(old, (int, float)):
        try:
            return Decimal(repr(old) if isinstance(old, float) else old) == Decimal(repr(value) if isinstance(value, float) else value)
        except InvalidOperation:
            return False
    return type(old) is str and isinstance(value, str) and old == value


def _line_end(text: str, index: int) -> int:
    if index > 0 and text[index - 1] == "\n":
        index -= 1
        if index > 0 and text[index - 1] == "\r":
            index -= 1
        return index
    end = text.find("\n", index)
    if end < 0:
        return len(text)
    return end - 1 if end > 0 and text[end - 1] == "\r" else end


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _removal(text: str, parent: _Span, key, key_span: _Span, value_span: _Span) -> tuple[int, int, str]:
    keys = list(parent.keys)
    at = keys.index(key)
    if parent.flow:
        if at + 1 < len(keys):  # up to the next key
            return key_span.start, parent.keys[keys[at + 1]][0].start, ""
        if at > 0:  # from the end of the previous value
            return parent.keys[keys[at - 1]][1].last_end(), value_span.last_end(), ""
        return key_span.start, value_span.last_end(), ""
    start = _line_start(text, key_span.start)
    end = _line_end(text, value_span.last_end())
    nl = text.find("\n", end)
    return start, (nl + 1 if nl >= 0 else len(text)), ""


def _insertions(text: str, parent: _Span, missing: dict, newline: str,
                removed: set = frozenset()) -> list[tuple[int, int, str]]:
    """New keys into an existing mapping: in order among year keys, else after the last key kept."""
    out = []
    all_keys = list(parent.keys)
    keys = [k for k in all_keys if k not in removed]
    for key, value in sorted(missing.items(), key=lambda kv: (not isinstance(kv[0], int), kv[0] if isinstance(kv[0], int) else 0)):
        entry = f"{yaml_scalar(key)}: {_flow(value) if isinstance(value, dict) else yaml_scalar(value)}"
        later = [k for k in keys if isinstance(k, int) and isinstance(key, int) and k > key]
        if parent.flow:
            if later:
                pos = parent.keys[later[0]][0].start
                out.append((pos, pos, entry + ", "))
            elif keys:
                pos = parent.keys[keys[-1]][1].last_end()
                out.append((pos, pos, ", " + entry))
            else:
                pos = text.rindex("}", parent.start, parent.end)
                out.append((pos, pos, entry))
            continue
        if not all_keys:
            raise KeyError(key)
        first = parent.keys[all_keys[0]][0].start
        indent = " " * (first - _line_start(text, first))
        if not keys:  # every key is being removed: before the first one's line
            pos = _line_start(text, first)
            out.append((pos, pos, indent + entry + newline))
        elif later:
            pos = _line_start(text, parent.keys[later[0]][0].start)
            out.append((pos, pos, indent + entry + newline))
        else:
            pos = _line_end(text, parent.keys[keys[-1]][1].last_end())
            out.append((pos, pos, newline + indent + entry))
    return out
