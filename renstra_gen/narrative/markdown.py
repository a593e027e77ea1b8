"""Narrative: Markdown rendered through sandboxed Jinja2, parsed by markdown-it-py into blocks.

The blocks (headings, paragraphs with list markers, table/figure placements) are the document
model in renstra_gen/narrative/document.py; render/docx.py turns them into Word paragraphs.
"""

from __future__ import annotations

import functools
import re
import secrets
import signal
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment

from renstra_gen.content import limits
from renstra_gen.system.cache import read_signed, signed_bytecode_cache, write_signed
from renstra_gen.narrative.document import Block, Heading, Para, Place, Run
from renstra_gen.errors import ContentError, Finding, Source, error
from renstra_gen.narrative.fancylists import fancy_lists_plugin, format_marker
from renstra_gen.numbers import angka, persen

# ---------------------------------------------------------------- Jinja

class Raw(str):
    """Text produced by our own functions: inserted into the Markdown without escaping."""


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#!|~&])")
_SURROGATE = re.compile("[\ud800-\udfff]")


def md_escape(value: Any) -> str:
    """Every value from data is literal text, never Markdown (nor HTML, nor entities)."""
    if isinstance(value, Raw):
        return value  # literal text (counted by bounded_text) or our own functions' small output
    _BUDGET.charge(value)
    if value is None:
        return "-"
    text = str(value)
    if _SURROGATE.search(text):
        raise ContentError([error(Source(""), "teks memuat karakter Unicode yang tidak sah (surrogate tunggal)")])
    return _MD_SPECIAL.sub(r"\\\1", text)


class JinjaLimit(Exception):
    """A template went past its budget (time, output, a value's size); a finding, never a hang."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


class _Budget(threading.local):
    """What one file's rendering may still spend: a deadline, characters of output, loop steps."""

    deadline = float("inf")
    chars = 0
    steps = 0
    expired = False  # the time limit was reported: the alarm must not raise a second time

    def start(self) -> None:
        self.deadline = time.monotonic() + limits.JINJA_SECONDS
        self.chars = 0
        self.steps = 0
        self.expired = False

    def stop(self) -> None:
        self.deadline = float("inf")

    def tick(self) -> None:
        if time.monotonic() > self.deadline and not self.expired:
            self.expired = True
            raise JinjaLimit(f"perhitungan templat melebihi batas waktu {limits.JINJA_SECONDS:g} detik per berkas")

    def charge(self, value: Any) -> None:
        """Count characters produced (printed values and text, also inside macros and set blocks)."""
        if self.deadline == float("inf"):
            return  # not rendering a file (md_escape called by compose)
        n = len(value) if isinstance(value, str) else 1
        self.chars += n
        if self.chars > limits.MARKDOWN_BYTES:
            raise JinjaLimit(f"hasil templat terlalu panjang (lebih dari {limits.count(limits.MARKDOWN_BYTES)} karakter)")
        self.tick()

    def step(self) -> None:
        self.steps += 1
        if self.steps > limits.JINJA_STEPS:
            raise JinjaLimit(f"perulangan dalam templat terlalu banyak (lebih dari {limits.count(limits.JINJA_STEPS)} "
                             f"putaran per berkas)")
        if not self.steps % 1000:
            self.tick()


_BUDGET = _Budget()
#: A width or precision of a million or more in a %-format or a {}-format string.
_BIG_FORMAT = re.compile(r"%[-+ #0]*(\d{7,}|\d*\.\d{7,})|\{[^{}]*:[^{}]*\d{7,}")
_NESTED_FORMAT = re.compile(r"\{[^{}]*:[^{}]*\{")


def _sized(value: Any) -> Any:
    """A value a template made, refused when larger than the budget for one value."""
    if isinstance(value, (str, list, tuple, dict, set)) and len(value) > limits.JINJA_VALUE:
        raise JinjaLimit(f"nilai dalam templat terlalu besar ({limits.count(len(value))} karakter/unsur; "
                         f"batas {limits.count(limits.JINJA_VALUE)})")
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 256:
        raise JinjaLimit("bilangan dalam templat terlalu besar")
    return value


def _args_bounded(args, kwargs) -> None:
    """Arguments that would make a huge value before it could be measured (widths, counts) are refused."""
    for a in list(args) + list(kwargs.values()):
        if isinstance(a, int) and not isinstance(a, bool) and abs(a) > limits.JINJA_VALUE:
            raise JinjaLimit(f"argumen {a} terlalu besar untuk templat (batas {limits.count(limits.JINJA_VALUE)})")


def _format_bounded(pattern: Any) -> None:
    """A format string whose width or precision would make a huge text before it could be measured."""
    if isinstance(pattern, str) and _BIG_FORMAT.search(pattern):
        raise JinjaLimit("lebar format terlalu besar dalam templat")


def _replace_bounded(text: Any, old: Any, new: Any) -> None:
    if isinstance(text, str) and isinstance(old, str) and isinstance(new, str):
        grows = (text.count(old) if old else len(text) + 1) * max(0, len(new) - len(old))
        if len(text) + grows > limits.JINJA_VALUE:
            raise JinjaLimit("hasil replace dalam templat terlalu besar")


def _bounded_filter(fn):
    @functools.wraps(fn)
    def run(*args, **kwargs):
        _BUDGET.tick()
        values = [a for a in args if not isinstance(a, (jinja2.runtime.Context, jinja2.nodes.EvalContext, jinja2.Environment))]
        if fn.__name__ == "do_format" and values:  # its arguments are values to print, not sizes
            _format_bounded(values[0])
            if "*" in str(values[0]):
                _args_bounded(values[1:], kwargs)
        else:
            _args_bounded(values[1:], kwargs)
        if fn.__name__ == "do_replace" and len(values) >= 3:
            _replace_bounded(str(values[0]), values[1], values[2])
        return _sized(fn(*args, **kwargs))
    return run


class Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, bounded: values, loops, output and time per file.

    Every binary operator that can make a large value, every call (functions, methods) and every
    filter is measured before or right after it runs; `for` loops and literal text are counted
    through calls the compiler inserts (see `_bounded`)."""

    intercepted_binops = frozenset(["*", "**", "%", "+", "//"])

    def call_binop(self, context, operator: str, left: Any, right: Any) -> Any:
        _BUDGET.tick()
        if operator == "**" and isinstance(left, (int, float)) and isinstance(right, (int, float)):
            if abs(left) > 1 and abs(right) > 256:
                raise JinjaLimit("pangkat dalam templat terlalu besar")
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(n, int) and len(seq) * max(n, 0) > limits.JINJA_VALUE:
                    raise JinjaLimit("perkalian teks/daftar dalam templat terlalu besar")
            if isinstance(left, int) and isinstance(right, int) and left.bit_length() + right.bit_length() > 512:
                raise JinjaLimit("bilangan dalam templat terlalu besar")
        if operator == "%" and isinstance(left, str):
            _format_bounded(left)
            if "*" in left:  # a width taken from the values
                _args_bounded(right if isinstance(right, tuple) else [right], {})
        return _sized(super().call_binop(context, operator, left, right))

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 (Jinja's own signature)
        if getattr(__obj, "__self__", None) is __self:  # bounded_iter/_text/_value: they count themselves
            return __context.call(__obj, *args, **kwargs)
        _BUDGET.tick()
        owner = getattr(getattr(__obj, "__wrapped__", __obj), "__self__", None)  # the sandbox wraps str.format
        name = getattr(__obj, "__name__", "")
        if isinstance(owner, str) and name in ("format", "format_map"):
            _format_bounded(owner)
            if _NESTED_FORMAT.search(owner):  # a width taken from the arguments
                _args_bounded(args, kwargs)
        elif isinstance(owner, (str, list, tuple, bytes)) or name == "generate_lorem_ipsum":
            _args_bounded(args, kwargs)  # sizes (ljust, zfill, expandtabs, lipsum): not values
        if isinstance(owner, str) and getattr(__obj, "__name__", "") == "replace" and len(args) >= 2:
            _replace_bounded(owner, args[0], args[1])
        if isinstance(owner, str) and getattr(__obj, "__name__", "") == "join" and args:
            items = args[0]
            if isinstance(items, (list, tuple)) and sum(len(str(i)) for i in items) + len(owner) * len(items) > limits.JINJA_VALUE:
                raise JinjaLimit("hasil join dalam templat terlalu besar")
        return _sized(super().call(__context, __obj, *args, **kwargs))

    def getattr(self, obj: Any, attribute: str) -> Any:
        _BUDGET.tick()
        return super().getattr(obj, attribute)

    def bounded_iter(self, iterable: Any):
        """Every `for` loop iterates through here: each step counts against the file's budget."""
        for item in iterable:
            _BUDGET.step()
            yield item

    def bounded_text(self, text: str) -> Raw:
        """Every piece of literal text is counted when produced (also inside loops and macros)."""
        _BUDGET.charge(text)
        return Raw(text)

    def bounded_value(self, value: Any) -> Any:
        return _sized(value)


def _bounded_range(*args: int) -> range:
    r = range(*args)
    if len(r) > limits.JINJA_RANGE:
        raise JinjaLimit(f"range() terlalu panjang ({limits.count(len(r))} unsur; batas {limits.count(limits.JINJA_RANGE)})")
    return r


def _bounded(tree: nodes.Template) -> nodes.Template:
    """Route every loop, piece of literal text and concatenation of a parsed template through the
    sandbox's counters (InternalName: a name a template cannot write or shadow)."""
    def call(name: str, arg: nodes.Node) -> nodes.Call:
        fn = object.__new__(nodes.InternalName)  # as Jinja's parser makes one (its constructor refuses)
        nodes.Node.__init__(fn, f"environment.{name}", lineno=arg.lineno)
        return nodes.Call(fn, [arg], [], None, None, lineno=arg.lineno)

    for loop in tree.find_all(nodes.For):
        loop.iter = call("bounded_iter", loop.iter)
    for out in tree.find_all(nodes.Output):
        out.nodes = [call("bounded_text", nodes.Const(n.data, lineno=n.lineno)) if isinstance(n, nodes.TemplateData) else n
                     for n in out.nodes]
    for parent in list(tree.find_all(nodes.Node)):
        for field in parent.fields:
            value = getattr(parent, field, None)
            if isinstance(value, nodes.Concat):
                setattr(parent, field, call("bounded_value", value))
            elif isinstance(value, list):
                setattr(parent, field, [call("bounded_value", v) if isinstance(v, nodes.Concat) else v for v in value])
    return tree


def make_env() -> Sandbox:
    env = Sandbox(
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # the output is Markdown; md_escape below escapes every value instead
        finalize=md_escape,
        keep_trailing_newline=True,
    )
    env.filters["angka"] = lambda v, d=0: angka(v, d)
    env.filters["persen"] = lambda v, d=0: persen(v, d)
    env.filters = {name: _bounded_filter(fn) for name, fn in env.filters.items()}
    env.globals["range"] = _bounded_range
    return env


_ENV = make_env()


@functools.lru_cache(maxsize=256)
def _compile(text: str, file: str) -> jinja2.Template:
    """A narrative file's template: compiled once per build (each file is rendered twice, see
    compose.render_narrative), and its code kept in the signed bytecode cache (cache.py) under
    the hash of the text, so an unchanged chapter is not compiled again by the next build."""
    cache = signed_bytecode_cache()
    if cache is None:
        code = _ENV.compile(_bounded(_ENV.parse(text)))
    else:
        bucket = cache.get_bucket(_ENV, file, None, text)
        if bucket.code is None:
            bucket.code = _ENV.compile(_bounded(_ENV.parse(text)))  # errors and tracebacks name "<template>"
            cache.set_bucket(bucket)
        code = bucket.code
    template = _ENV.template_class.from_code(_ENV, code, _ENV.make_globals(None))
    template.name = file
    return template


def render_jinja(text: str, file: str, context: dict[str, Any]) -> str:
    """Render one Markdown file's Jinja within the budget; any error becomes a finding at file:line."""
    try:
        template = _compile(text, file)
        _BUDGET.start()
        with _Alarm(template):
            return "".join(template.generate(**context))
    except jinja2.TemplateSyntaxError as e:
        raise ContentError([error(Source(file, e.lineno), f"sintaks templat salah: {e.message}")]) from e
    except jinja2.UndefinedError as e:
        raise ContentError([error(Source(file, _line(e, file)), _undefined_message(e))]) from e
    except jinja2.exceptions.SecurityError as e:
        raise ContentError([error(Source(file, _line(e, file)), f"ekspresi ditolak oleh sandbox: {_unsafe(str(e))}")]) from e
    except JinjaLimit as e:
        raise ContentError([error(Source(file, e.line or _line(e, file)), f"templat melampaui batas: {e}")]) from e
    except RecursionError as e:
        raise ContentError([error(Source(file, _line(e, file)),
                                  "makro atau perulangan memanggil dirinya sendiri terlalu dalam")]) from None
    except MemoryError as e:
        raise ContentError([error(Source(file, _line(e, file)), "templat membutuhkan memori terlalu besar")]) from None
    except ContentError as e:
        line = _line(e, file)
        raise ContentError([Finding(Source(file, line), f.message, f.severity) for f in e.findings]) from e
    except (LookupError, TypeError, ValueError, ArithmeticError, AttributeError) as e:
        raise ContentError([error(Source(file, _line(e, file)), f"ekspresi gagal: {_python_reason(e)}")]) from e
    finally:
        _BUDGET.stop()


class _Alarm:
    """The time limit as a signal, so that a loop with no call in it stops too (main thread only;
    elsewhere the budget's checks at every call, attribute, loop step and output still hold)."""

    def __init__(self, template: jinja2.Template):
        self.template = template

    def __enter__(self):
        self.armed = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
        if self.armed:
            def expired(signum, frame):
                if _BUDGET.expired:
                    return  # already raised by a check (Jinja may still be unwinding it)
                _BUDGET.expired = True
                while frame is not None and frame.f_code.co_filename != "<template>":
                    frame = frame.f_back  # the template's own frame: the line it was running
                line = self.template.get_corresponding_lineno(frame.f_lineno) if frame is not None else None
                raise JinjaLimit(f"perhitungan templat melebihi batas waktu {limits.JINJA_SECONDS:g} detik per berkas",
                                 line)
            self.previous = signal.signal(signal.SIGALRM, expired)
            signal.setitimer(signal.ITIMER_REAL, limits.JINJA_SECONDS)
        return self

    def __exit__(self, *exc):
        if self.armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.previous)
        return False


def _line(exc: BaseException, file: str) -> int | None:
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename == file or frame.filename == "<template>":
            return frame.lineno
    return None


def _unsafe(msg: str) -> str:
    """Jinja's sandbox refusal ('access to attribute 'x' of 'Y' object is unsafe.') in Indonesian."""
    m = re.search(r"attribute '(.+?)' of '(.+?)' object", msg)
    if m:
        return f"atribut '{m.group(1)}' dari nilai jenis '{m.group(2)}' tidak boleh dipakai"
    m = re.search(r"'(.+?)'", msg)
    return f"'{m.group(1)}' tidak boleh dipakai" if m else "operasi ini tidak boleh dipakai"


#: Python's own (English) reasons, by exception type, for errors raised outside this package
_PYTHON_REASONS = (
    (ZeroDivisionError, "pembagian dengan nol"),
    (OverflowError, "angka terlalu besar"),
    (ArithmeticError, "perhitungan tidak dapat dilakukan"),
    (KeyError, "kunci tidak ada"),
    (IndexError, "nomor urut di luar daftar"),
    (LookupError, "nilai tidak ditemukan"),
    (TypeError, "jenis nilai tidak cocok untuk operasi ini (misalnya teks dengan angka)"),
    (AttributeError, "nilai tidak punya atribut itu"),
    (ValueError, "nilai tidak sah"),
)


def _python_reason(e: BaseException) -> str:
    """Our own helpers' messages are Indonesian and kept; Python's and Jinja's are replaced by type."""
    frames = traceback.extract_tb(e.__traceback__)
    if frames and Path(frames[-1].filename).resolve().is_relative_to(Path(__file__).resolve().parents[1]):  # the package
        return str(e)
    reason = next((text for kind, text in _PYTHON_REASONS if isinstance(e, kind)), "ekspresi tidak dapat dihitung")
    if isinstance(e, KeyError) and e.args:
        reason += f": {e.args[0]!r}"
    return reason


def _undefined_message(e: jinja2.UndefinedError) -> str:
    msg = str(e.message or e)
    if "unsafe" in msg:
        return f"ekspresi ditolak oleh sandbox: {_unsafe(msg)}"
    m = re.match(r"'(.+?)' is undefined", msg)
    if m:
        return f"nilai '{m.group(1)}' tidak dikenal"
    m = re.match(r"'(.+?)' has no attribute '(.+?)'", msg)
    if m:
        return f"nilai tidak punya atribut '{m.group(2)}'"
    m = re.match(r".+ has no element (.+)", msg)
    if m:
        return f"daftar tidak punya unsur nomor {m.group(1)} (nomor urut mulai dari 0)"
    return "nilai tidak dikenal"


#: Placements are marked with a token the text cannot know: a literal "@@tabel:x@@" stays text.
_TOKEN = secrets.token_hex(8)
_PLACE = re.compile(rf"^@@(tabel|gambar):(.+)@@{_TOKEN}$")


def placement(kind: str, key: str) -> Raw:
    return Raw(f"\n\n@@{kind}:{key}@@{_TOKEN}\n\n")


# ---------------------------------------------------------------- Markdown

@functools.cache
def _markdown():
    """The parser, made (and markdown-it imported) when a text is parsed: not when every chapter's
    blocks come from the cache (parse_markdown)."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "typographer": False}).use(fancy_lists_plugin)
    md.disable(["html_block", "html_inline", "image", "link", "autolink", "code", "fence", "lheading"])
    return md


@dataclass
class Numbering:
    """Section numbers for one chapter: 1.1, 1.1.1 ..."""

    chapter: int
    counts: list[int] = field(default_factory=lambda: [0, 0])

    def next(self, level: int) -> str:
        if level == 2:
            self.counts = [self.counts[0] + 1, 0]
            return f"{self.chapter}.{self.counts[0]}"
        self.counts[1] += 1
        return f"{self.chapter}.{self.counts[0]}.{self.counts[1]}"


_TOKENS: dict[str, list] = {}  # text -> markdown-it tokens (only read below): the workspace's check on
# every save re-parses only the chapters whose text changed


def _tokens(text: str) -> list:
    tokens = _TOKENS.get(text)
    if tokens is None:
        if len(_TOKENS) >= 64:
            _TOKENS.clear()
        tokens = _TOKENS[text] = _markdown().parse(text)
    return tokens


def parse_markdown(text: str, file: str, chapter: int | None, scope: str = "") -> list[Block]:
    """Markdown (already through Jinja) -> blocks. `chapter` None: no headings expected.

    The blocks of a text parsed before, by this process or an earlier build, come from the user's
    cache (system/cache.py: signed, so only this user's own entries are unpickled), one entry per
    file and chapter of a `scope` (the content folder: two offices' bab/bab-1.md do not take turns)
    holding the blocks of its text parsed last: an unchanged chapter is not parsed again, and a
    build whose chapters are all unchanged does not import markdown-it."""
    import pickle

    name, made_of = _blocks_key(text, file, chapter, scope)
    body = read_signed("narasi", name)
    if body is not None and body[:32] == made_of:
        try:
            return pickle.loads(body[32:])  # noqa: S301 - signed with the user's own key
        except Exception:  # noqa: BLE001 - an unreadable entry is only parsed again
            pass
    blocks = _parse(text, file, chapter)
    body = pickle.dumps(blocks, protocol=pickle.HIGHEST_PROTOCOL)
    if _TOKEN.encode() not in body:  # a placement marker left in a text (a heading): this process's only
        write_signed("narasi", name, made_of, body)
    return blocks


def _blocks_key(text: str, file: str, chapter: int | None, scope: str = "") -> tuple[str, bytes]:
    """(the cache entry of a file's blocks, what they are made of). The placement marker's token is
    new in every process: the text is keyed by its pieces between the tokens, which with the token
    give back the text (a literal "@@tabel:x@@" written in a chapter stays apart from a placement)."""
    import hashlib

    name = hashlib.sha256(f"{scope}\0{file}\0{chapter}".encode("utf-8", "surrogatepass")).hexdigest()
    made = hashlib.sha256(_parser_version())
    for piece in text.split(_TOKEN):
        data = piece.encode("utf-8", "surrogatepass")
        made.update(len(data).to_bytes(8, "big") + data)
    return name, made.digest()


@functools.cache
def _parser_version() -> bytes:
    """What parsed blocks depend on besides their text: the narrative stage's source, the ground
    floor it uses, Python's version and markdown-it's (its __init__.py holds it: read, not imported)."""
    import hashlib
    import sys

    from renstra_gen.system.cache import package_version

    package = Path(__file__).resolve().parents[1]
    h = hashlib.sha256(sys.version.encode())
    for path in sorted(package.glob("narrative/*.py")) + [package / "errors.py"]:
        h.update(str(path.name).encode() + b"\0" + path.read_bytes())
    h.update(b"markdown_it\0" + package_version("markdown_it"))
    return h.digest()


def _parse(text: str, file: str, chapter: int | None) -> list[Block]:
    tokens = _tokens(text)
    blocks: list[Block] = []
    numbering = Numbering(chapter or 0)
    lists: list[dict] = []  # open lists: style, delim, index
    item_first: list[bool] = []  # per open item: is the next paragraph its first
    i = 0
    while i < len(tokens):
        t = tokens[i]
        line = t.map[0] + 1 if t.map else None
        src = Source(file, line)
        if t.type == "heading_open":
            level = int(t.tag[1])
            inline = tokens[i + 1]
            title = _plain_text(inline)
            if level == 1:
                blocks.append(Heading(1, title, str(chapter or ""), src))
            elif level in (2, 3) and chapter:
                blocks.append(Heading(level, title, numbering.next(level), src))
            else:
                blocks.append(Para(_runs(inline, bold=True), "runin", level=len(lists), source=src))
            i += 3
            continue
        if t.type in ("ordered_list_open", "bullet_list_open"):
            lists.append({"style": t.meta["style"], "delim": t.meta["delim"], "n": t.meta["start"] - 1})
        elif t.type in ("ordered_list_close", "bullet_list_close"):
            lists.pop()
        elif t.type == "list_item_open":
            lists[-1]["n"] += 1
            item_first.append(True)
        elif t.type == "list_item_close":
            item_first.pop()
        elif t.type == "paragraph_open":
            inline = tokens[i + 1]
            m = _PLACE.match(inline.content.strip())
            if m:
                blocks.append(Place(m.group(1), m.group(2), src))
            else:
                marker = None
                if item_first and item_first[-1]:
                    cur = lists[-1]
                    marker = format_marker(cur["n"], cur["style"], cur["delim"])
                    item_first[-1] = False
                blocks.append(Para(_runs(inline), marker=marker, level=len(lists), source=src))
            i += 3
            continue
        i += 1
    return blocks


def _plain_text(inline) -> str:
    return "".join(r.text for r in _runs(inline))


def _runs(inline, bold: bool = False) -> list[Run]:
    runs: list[Run] = []
    strong = em = 0
    for c in inline.children or []:
        if c.type == "strong_open":
            strong += 1
        elif c.type == "strong_close":
            strong -= 1
        elif c.type == "em_open":
            em += 1
        elif c.type == "em_close":
            em -= 1
        elif c.type in ("text", "code_inline"):
            _append(runs, Run(c.content, bold or strong > 0, em > 0))
        elif c.type == "softbreak":
            _append(runs, Run(" ", bold or strong > 0, em > 0))
        elif c.type == "hardbreak":
            _append(runs, Run("\n", bold or strong > 0, em > 0))
    return runs


def _append(runs: list[Run], run: Run) -> None:
    if runs and runs[-1].bold == run.bold and runs[-1].italic == run.italic:
        runs[-1].text += run.text
    else:
        runs.append(run)

