"""Narrative: Markdown rendered through sandboxed Jinja2, parsed by markdown-it-py into blocks.

The blocks (headings, paragraphs with list markers, table/figure placements) are render-neutral;
render/docx.py turns them into Word paragraphs.
"""

from __future__ import annotations

import functools
import re
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markdown_it import MarkdownIt

from renstra_gen.cache import cache_dir
from renstra_gen.errors import ContentError, Finding, Source, error
from renstra_gen.fancylists import fancy_lists_plugin, format_marker
from renstra_gen.numbers import angka, persen

# ---------------------------------------------------------------- blocks

@dataclass
class Run:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass
class Para:
    runs: list[Run]
    kind: str = "body"  # body | runin (unnumbered bold heading) | center
    marker: str | None = None  # list marker printed before the text ("a.", "(1)", "•")
    level: int = 0  # list depth: 0 outside lists, 1 for a top-level list item ...
    source: Source | None = None

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass
class Heading:
    level: int  # 1 = BAB, 2 = x.y, 3 = x.y.z
    text: str
    number: str
    source: Source | None = None


@dataclass
class Place:
    kind: str  # "tabel" | "gambar"
    key: str
    source: Source | None = None


Block = Heading | Para | Place


# ---------------------------------------------------------------- Jinja

class Raw(str):
    """Text produced by our own functions: inserted into the Markdown without escaping."""


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#!|~&])")
_PLACE = re.compile(r"^@@(tabel|gambar):([A-Za-z0-9_.-]+)@@$")


def md_escape(value: Any) -> str:
    """Every value from data is literal text, never Markdown (nor HTML, nor entities)."""
    if isinstance(value, Raw):
        return value
    if value is None:
        return "-"
    return _MD_SPECIAL.sub(r"\\\1", str(value))


def make_env() -> ImmutableSandboxedEnvironment:
    env = ImmutableSandboxedEnvironment(
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # the output is Markdown; md_escape below escapes every value instead
        finalize=md_escape,
        keep_trailing_newline=True,
    )
    env.filters["angka"] = lambda v, d=0: angka(v, d)
    env.filters["persen"] = lambda v, d=0: persen(v, d)
    return env


_ENV = make_env()


@functools.lru_cache(maxsize=8)
def _bytecode_cache(folder: Path | None) -> jinja2.BytecodeCache | None:
    if folder is None:
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))


@functools.lru_cache(maxsize=256)
def _compile(text: str, file: str) -> jinja2.Template:
    """A narrative file's template: compiled once per build (each file is rendered twice, see
    compose.render_narrative), and its Python code kept in Jinja's bytecode cache under the hash
    of the text, so an unchanged chapter is not compiled again by the next build."""
    cache = _bytecode_cache(cache_dir("jinja"))
    if cache is None:
        template = _ENV.from_string(text)
    else:
        bucket = cache.get_bucket(_ENV, file, None, text)
        if bucket.code is None:
            bucket.code = _ENV.compile(text)  # as from_string does: errors and tracebacks name "<template>"
            try:
                cache.set_bucket(bucket)
            except OSError:
                pass
        template = _ENV.template_class.from_code(_ENV, bucket.code, _ENV.make_globals(None))
    template.name = file
    return template


def render_jinja(text: str, file: str, context: dict[str, Any]) -> str:
    """Render one Markdown file's Jinja; any error becomes a finding at file:line."""
    try:
        return _compile(text, file).render(**context)
    except jinja2.TemplateSyntaxError as e:
        raise ContentError([error(Source(file, e.lineno), f"sintaks templat salah: {e.message}")]) from e
    except jinja2.UndefinedError as e:
        raise ContentError([error(Source(file, _line(e, file)), _undefined_message(e))]) from e
    except jinja2.exceptions.SecurityError as e:
        raise ContentError([error(Source(file, _line(e, file)), f"ekspresi ditolak oleh sandbox: {e}")]) from e
    except ContentError as e:
        line = _line(e, file)
        raise ContentError([Finding(Source(file, line), f.message, f.severity) for f in e.findings]) from e
    except (LookupError, TypeError, ValueError, ArithmeticError, AttributeError) as e:
        raise ContentError([error(Source(file, _line(e, file)), f"ekspresi gagal: {e}")]) from e


def _line(exc: BaseException, file: str) -> int | None:
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename == file or frame.filename == "<template>":
            return frame.lineno
    return None


def _undefined_message(e: jinja2.UndefinedError) -> str:
    msg = str(e.message or e)
    if "unsafe" in msg:
        return f"ekspresi ditolak oleh sandbox: {msg}"
    m = re.match(r"'(.+?)' is undefined", msg)
    if m:
        return f"nilai '{m.group(1)}' tidak dikenal"
    m = re.match(r"'(.+?)' has no attribute '(.+?)'", msg)
    if m:
        return f"nilai tidak punya atribut '{m.group(2)}'"
    return f"nilai tidak dikenal: {msg}"


def placement(kind: str, key: str) -> Raw:
    return Raw(f"\n\n@@{kind}:{key}@@\n\n")


# ---------------------------------------------------------------- Markdown

_MD = MarkdownIt("commonmark", {"html": False, "typographer": False}).use(fancy_lists_plugin)
_MD.disable(["html_block", "html_inline", "image", "link", "autolink", "code", "fence", "lheading"])


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


def parse_markdown(text: str, file: str, chapter: int | None) -> list[Block]:
    """Markdown (already through Jinja) -> blocks. `chapter` None: no headings expected."""
    tokens = _MD.parse(text)
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

