"""Test helpers: overlay a 'bad input' fixture folder onto a copy of the minimal content set."""

from __future__ import annotations

import shutil
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def overlay(name: str, dst: Path) -> Path:
    """Copy fixtures/minimal to dst, then the files of fixtures/bad/<name> over it."""
    shutil.copytree(FIXTURES / "minimal", dst)
    for f in (FIXTURES / "bad" / name).rglob("*"):
        if f.is_file():
            target = dst / f.relative_to(FIXTURES / "bad" / name)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(f, target)
    return dst


def folder_state(folder: Path) -> dict[str, object]:
    """Every entry under `folder` (hidden ones too): a file's bytes, a symlink's target text."""
    state: dict[str, object] = {}
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder).as_posix()
        if p.is_symlink():
            state[rel] = ("->", str(p.readlink()))
        elif p.is_file():
            state[rel] = p.read_bytes()
        else:
            state[rel] = "dir"
    return state
