"""The user guide (docs/panduan/) says what the tool does: its narrative examples print what it says
they print, its links lead somewhere, and every command and option it names exists."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from renstra_gen.cli import main
from renstra_gen.compose.renstra import compose
from renstra_gen.errors import ContentError
from renstra_gen.content.load import load_content

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "panduan"
#: written by other helpers of issue 27 (linked from the index already)
ELSEWHERE = {"nomenklatur-kantor.md", "ruang-kerja.md"}

_ROW = re.compile(r"^\| `(\{\{.+?\}\})` \| `(.+?)` \|$")


def examples(title: str) -> list[tuple[str, str]]:
    """The two-column rows (written, printed/finding) of the table under a `## title` of narasi.md."""
    text = (GUIDE / "narasi.md").read_text(encoding="utf-8")
    section = text.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]
    return [(m.group(1).replace("\\|", "|"), m.group(2)) for m in map(_ROW.match, section.splitlines()) if m]


def render(tmp_path: Path, expressions: list[str]) -> list[str]:
    """Each expression on a paragraph of its own, appended to a BAB of a copy of the default content."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    bab = content / "bab" / "2-gambaran-pelayanan.md"
    lines = "\n\n".join(f"CONTOH{i}: {e}" for i, e in enumerate(expressions))
    bab.write_text(bab.read_text(encoding="utf-8") + f"\n\n{lines}\n", encoding="utf-8")
    plan = compose(load_content(content))
    texts = [b.text for ch in plan.chapters for b in ch.blocks if getattr(b, "text", "").startswith("CONTOH")]
    return [t.split(": ", 1)[1] for t in texts]


def test_every_narrative_example_prints_what_the_guide_says(tmp_path):
    rows = examples("Contoh (dihitung dari contoh bawaan `content/`)")
    assert len(rows) >= 15
    for helper in ("kelompok(", "rincian(", ".persen", ".nilai.", "total.rasio[", ".find("):
        assert any(helper in written for written, _ in rows), helper
    printed = render(tmp_path, [written for written, _ in rows])
    assert printed == [expected for _, expected in rows]


@pytest.mark.parametrize("written, finding", examples("Bila ekspresi salah"))
def test_every_wrong_expression_gives_the_finding_the_guide_shows(written, finding, tmp_path):
    with pytest.raises(ContentError) as e:
        render(tmp_path, [written])
    messages = [f.message for f in e.value.findings]
    assert finding in messages, messages


def guide_files() -> list[Path]:
    return sorted(GUIDE.glob("*.md"))


def test_the_index_links_every_page_of_the_guide():
    index = (GUIDE / "README.md").read_text(encoding="utf-8")
    for page in guide_files():
        if page.name != "README.md":
            assert f"({page.name})" in index, page.name
    for name in ELSEWHERE:
        assert f"({name})" in index


@pytest.mark.parametrize("page", guide_files(), ids=lambda p: p.name)
def test_every_link_of_the_guide_leads_to_a_file(page):
    text = page.read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
        if target.startswith(("http://", "https://")) or target in ELSEWHERE:
            continue
        assert (page.parent / target).exists(), f"{page.name}: {target}"


@pytest.mark.parametrize("page", guide_files(), ids=lambda p: p.name)
def test_every_command_and_option_the_guide_names_exists(page):
    text = page.read_text(encoding="utf-8")
    named = re.findall(r"renstra (?:--debug )?([a-z][a-z-]+)((?:[ \t]+(?:\"[^\"]*\"|[^\s`|]+))*)", text)
    assert named or page.name in ("README.md", "narasi.md", "memasang.md", "menyunting-konten.md")
    for command, rest in named:
        assert command in main.commands, f"{page.name}: renstra {command} is no command"
        cmd = main.commands[command]
        words = rest.split()
        if getattr(cmd, "commands", None):  # a group: its subcommand, or the one it runs by default (cari)
            cmd = cmd.commands[words[0]] if words and words[0] in cmd.commands else cmd.commands["cari"]
        options = {o for p in cmd.params for o in p.opts} | {"--help", "-h"}
        for option in re.findall(r"(?<![\w-])(--[a-z][a-z0-9-]*)", rest):
            assert option in options, f"{page.name}: renstra {command} {option}"
