"""The baseline of `renstra check`: findings set aside as known, so that later runs show only new ones.

Stored in the content folder as one finding a line (file, severity, message: no line number, so
that editing above a known finding does not make it new again); a finding counts as known as many
times as it is recorded."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from renstra_gen.errors import Finding

FILE = "dasar-pemeriksaan.txt"
HEADER = ("# Temuan renstra check yang sudah diketahui (dibuat oleh: renstra check --simpan-dasar).\n"
          "# renstra check hanya menampilkan temuan yang tidak ada di sini; --semua menampilkan semuanya.\n")


def _key(f: Finding) -> str:
    return f"{f.source.file}\t{f.severity.value}\t{f.message}".replace("\n", " ")


def save(content_dir: Path, findings: list[Finding]) -> Path:
    """Record `findings` as known; comment lines the office wrote under the header are kept."""
    from renstra_gen.system.atomic import write_atomically

    lines = sorted(_key(f) for f in findings)
    path = Path(content_dir) / FILE
    notes = "".join(line + "\n" for line in _own_comments(path))
    write_atomically({path: (HEADER + notes + "".join(line + "\n" for line in lines)).encode("utf-8")})
    return path


def _own_comments(path: Path) -> list[str]:
    """The leading comment lines of an existing baseline that are not the standard header (a note on
    why these findings are kept, as the default content's), so that saving again keeps them."""
    if not path.is_file() or path.is_symlink():
        return []
    try:
        with open(path, "rb") as f:
            text = f.read(64 * 1024).decode("utf-8", "replace")
    except OSError:
        return []
    standard = set(HEADER.splitlines())
    out = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        if line not in standard:
            out.append(line)
    return out


def load(content_dir: Path) -> Counter | None:
    """The recorded findings, or None when the content folder has no baseline."""
    path = Path(content_dir) / FILE
    if not path.is_file() or path.is_symlink():
        return None
    try:
        with open(path, "rb") as f:
            text = f.read(16 * 1024 * 1024).decode("utf-8", "replace")
    except OSError:
        return None
    return Counter(line for line in text.splitlines() if line and not line.startswith("#"))


def new_only(findings: list[Finding], known: Counter | None) -> list[Finding]:
    """The findings not in the baseline (each recorded one sets aside one equal finding)."""
    if not known:
        return list(findings)
    left = Counter(known)
    out = []
    for f in findings:
        k = _key(f)
        if left[k] > 0:
            left[k] -= 1
        else:
            out.append(f)
    return out
