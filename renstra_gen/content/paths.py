"""Containment: every path read from the content folder resolves (symlinks too) inside it."""

from __future__ import annotations

from pathlib import Path

from renstra_gen.errors import ContentError, Source, error


def inside(root: Path, rel: str, referrer: Source | None = None) -> Path:
    """The real path of `rel` inside the content folder; refuses anything that leaves it.

    `referrer` is where the path is written (renstra.yaml:25), else the path itself is named."""
    where = referrer or Source(rel)
    if not rel or Path(rel).is_absolute() or rel.startswith(("/", "\\")) or ":" in rel[:3]:
        raise ContentError([error(where, f"jalur '{rel}' harus relatif terhadap folder konten")])
    base = Path(root).resolve()
    target = (base / rel).resolve()
    if target != base and base not in target.parents:
        raise ContentError([error(where, f"jalur '{rel}' menunjuk ke luar folder konten (ditolak)")])
    return target


def files(root: Path, folder: str, pattern: str, refused: list) -> list[tuple[str, Path]]:
    """(path relative to the content folder, its checked real path) of every file in a folder,
    sorted by name; each one that leaves the folder (a symlink) is a finding in `refused`."""
    base = Path(root) / folder
    if not base.is_dir():
        return []
    try:
        inside(root, folder)
    except ContentError as e:
        refused += e.findings
        return []
    out = []
    for path in sorted(base.glob(pattern)):
        rel = f"{folder}/{path.name}"
        try:
            real = inside(root, rel)
        except ContentError as e:
            refused += e.findings
            continue
        if real.is_file():
            out.append((rel, real))
    return out
