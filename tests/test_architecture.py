"""The package reads as its pipeline: every module imports only from its own stage, from the stages
before it and from the ground floor; no two modules import each other (directly or round a loop);
the package root holds only the entry points and the ground floor.

The order is written once, here (docs/architecture.md draws it). Imports inside functions count:
they hid a cycle once (render/xlsx.py <-> render/xlsx_record.py)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "renstra_gen"

# Stage order, input to signed output. A module may import from its own stage, from earlier ones and
# from GROUND; GROUND imports only GROUND.
GROUND = ("errors", "numbers", "grid", "system")
STAGES = ("content", "narrative", "compute", "layout", "check", "compose", "render", "proof", "tte", "workflows",
          "web", "cli")
COMMANDS = {"cli", "cli_text", "__main__"}  # the command line: the last stage
ROOT_MODULES = {"__init__", "__main__", "cli", "cli_text", "errors", "numbers", "grid"}


def modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(("renstra_gen",) + parts)] = path
    return out


def imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The package's own modules that `name` imports, anywhere in its body."""
    out = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                candidate = f"{target}.{alias.name}"
                out.add(candidate if candidate in known else target)
        elif isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
    return {t for t in out if t in known and t != name}


def stage(name: str) -> str:
    parts = name.split(".")
    if len(parts) == 1:
        return "__init__"
    return "cli" if parts[1] in COMMANDS else parts[1]


def rank(name: str) -> int:
    s = stage(name)
    if s in GROUND or s == "__init__":
        return -1
    return STAGES.index(s)


GRAPH = {name: imports(name, path, modules()) for name, path in modules().items()}


def test_every_stage_is_named_in_the_order():
    unknown = sorted({stage(n) for n in GRAPH} - set(GROUND) - set(STAGES) - {"__init__", "data"})
    assert not unknown, f"add these to STAGES or GROUND in the right place: {unknown}"


def test_the_package_root_holds_only_entry_points_and_the_ground_floor():
    root = {p.stem for p in PACKAGE.glob("*.py")}
    assert root == ROOT_MODULES


@pytest.mark.parametrize("name", sorted(GRAPH))
def test_no_import_from_a_later_stage(name):
    if stage(name) in GROUND:
        later = [t for t in GRAPH[name] if stage(t) not in GROUND]
    else:
        later = [t for t in GRAPH[name] if rank(t) > rank(name)]
    assert not later, f"{name} imports from a later stage: {later}"


def test_no_import_cycles():
    # Tarjan's strongly connected components over the module graph
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(GRAPH[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for v in sorted(GRAPH):
        if v not in index:
            visit(v)
    assert cycles == []


def test_the_checker_sees_a_later_stage_import(tmp_path):
    """The rule itself: an import of render from check is found (so the test above can fail)."""
    path = tmp_path / "mod.py"
    path.write_text("def f():\n    from renstra_gen.render.figures import Drawings\n")
    known = modules()
    found = imports("renstra_gen.check.mod", path, known)
    assert found == {"renstra_gen.render.figures"}
    assert rank("renstra_gen.render.figures") > rank("renstra_gen.check.mod")
