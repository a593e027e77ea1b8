"""Property-based tests: random trees, amounts and texts always build; mutated YAML fails cleanly."""

from __future__ import annotations

import random
import string
from pathlib import Path

import docx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from renstra_gen.workflows.build import build, prepare
from renstra_gen.errors import ContentError
from tests.conftest import FIXTURES

YEARS = [2025, 2026, 2027, 2028, 2029]
texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r"),
    min_size=1, max_size=60,
).map(lambda s: s.strip() or "x") | st.sampled_from(["A & B", "<b>", '"kutip"', "x" * 300, "Ắ ä 中文 العربية", "{{ x }}"])
amounts = st.none() | st.integers(min_value=0, max_value=10**13)


@st.composite
def trees(draw):
    programs = []
    for p in range(1, draw(st.integers(1, 3)) + 1):
        kegiatan = []
        for k in range(1, draw(st.integers(1, 3)) + 1):
            subs = []
            for s in range(1, draw(st.integers(1, 4)) + 1):
                subs.append({
                    "kode": f"2.24.{p:02d}.2.{k:02d}.{s:02d}",
                    "nama": draw(texts), "indikator": draw(texts),
                    "target": {y: draw(st.integers(0, 1000)) for y in YEARS},
                    "pagu": {y: v for y in YEARS if (v := draw(amounts)) is not None},
                    "lokasi": draw(texts),
                })
            kegiatan.append({"kode": f"2.24.{p:02d}.2.{k:02d}", "nama": draw(texts), "sub_kegiatan": subs})
        programs.append({"kode": f"2.24.{p:02d}", "nama": draw(texts), "kegiatan": kegiatan})
    return programs


def _write_tree(content: Path, programs) -> None:
    path = content / "tabel" / "program.yaml"
    yaml = YAML()
    data = yaml.load(path.read_text())
    data["program"] = programs
    with path.open("w") as f:
        yaml.dump(data, f)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(programs=trees())
def test_random_trees_build_and_parents_equal_sums(programs, tmp_path_factory):
    content = tmp_path_factory.mktemp("c") / "minimal"
    import shutil
    shutil.copytree(FIXTURES / "minimal", content)
    _write_tree(content, programs)
    chapter = content / "bab" / "2-program.md"
    chapter.write_text(chapter.read_text().replace('program 2.24.02 selama', 'program 2.24.01 selama')
                       .replace('find("2.24.02")', 'find("2.24.01")'))
    plan = prepare(content)
    matrix = plan.derived.get("program")
    for node in matrix.walk():
        for y in YEARS:
            if node.children:
                values = [c.pagu[y] for c in node.children if c.pagu[y] is not None]
                assert node.pagu[y] == (sum(values) if values else None)
        expected = [v for v in node.pagu.values() if v is not None]
        assert node.kondisi_akhir == (sum(expected) if expected else None)
    path = build(content, tmp_path_factory.mktemp("o")).written[0]
    docx.Document(str(path))  # re-opens


def _mutations(text: str, rng: random.Random) -> str:
    lines = text.splitlines()
    i = rng.randrange(len(lines))
    kind = rng.randrange(5)
    if kind == 0:
        lines[i] = lines[i][: rng.randrange(len(lines[i]) + 1)]
    elif kind == 1:
        lines.insert(i, rng.choice(["  - x", "foo: [", "bar: {a: 1", ": :", "\t", "- - -", "kode: 1.2.3"]))
    elif kind == 2:
        lines[i] = lines[i].replace(":", rng.choice(["", " -", "::"]), 1)
    elif kind == 3:
        pos = rng.randrange(len(lines[i]) + 1)
        lines[i] = lines[i][:pos] + rng.choice(string.punctuation + "é€\u2028") + lines[i][pos:]
    else:
        del lines[i]
    return "\n".join(lines) + "\n"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10**9), target=st.sampled_from(["tabel/program.yaml", "renstra.yaml", "indikator.yaml",
                                                            "tabel/pegawai.yaml", "tabel/aset.yaml", "organisasi.yaml"]))
def test_mutated_yaml_only_ever_fails_with_a_content_error(seed, target, tmp_path_factory):
    import shutil
    content = tmp_path_factory.mktemp("m") / "minimal"
    shutil.copytree(FIXTURES / "minimal", content)
    path = content / target
    path.write_text(_mutations(path.read_text(), random.Random(seed)))
    try:
        prepare(content)
    except ContentError as e:
        assert e.findings and all(f.message for f in e.findings)
