"""The content as a workbook was built from it, found in the content's own git history.

`import-xlsx` judges a conflict (a value changed both in the workbook and in the content since the
build) against the value the content had when the workbook was built. The workbook's record says
which content that was (its fingerprint, render/xlsx_record.fingerprint); when the content folder
is in a git repository, the commit whose content folder has that fingerprint holds those values,
independent of anything the workbook claims. Blobs are read raw (no filters) and each once.
"""

from __future__ import annotations

import contextlib
import hashlib
import subprocess
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

#: How many of the content folder's latest commits are searched for the build's fingerprint.
COMMITS = 50


def _git(cwd: Path | str, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", "-C", str(cwd), *args], capture_output=True, text=True)
    except OSError:
        return None
    return done.stdout if done.returncode == 0 else None


class _Blobs:
    """SHA-256 of git blobs by id, read raw with one `git cat-file --batch` (each blob once)."""

    def __init__(self, top: str):
        self.proc = subprocess.Popen(["git", "-C", top, "cat-file", "--batch"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.known: dict[str, bytes] = {}

    def digest(self, oid: str) -> bytes:
        if oid not in self.known:
            self.proc.stdin.write(oid.encode("ascii") + b"\n")
            self.proc.stdin.flush()
            head = self.proc.stdout.readline().split()
            if len(head) != 3:
                raise OSError(f"blob {oid} tidak terbaca")
            size, h = int(head[2]), hashlib.sha256()
            while size:
                chunk = self.proc.stdout.read(min(size, 1 << 20))
                if not chunk:
                    raise OSError(f"blob {oid} terpotong")
                h.update(chunk)
                size -= len(chunk)
            self.proc.stdout.read(1)
            self.known[oid] = h.digest()
        return self.known[oid]

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.proc.stdin.close()
        self.proc.kill()
        self.proc.wait()


def find_commit(content_dir: Path, fingerprint: str) -> str | None:
    """The latest commit (of the last COMMITS touching the folder) whose content folder has `fingerprint`."""
    from renstra_gen.errors import RenstraError
    from renstra_gen.workflows.perubahan import _tree

    content_dir = Path(content_dir).resolve()
    top = (_git(content_dir, "rev-parse", "--show-toplevel") or "").strip()
    prefix = (_git(content_dir, "rev-parse", "--show-prefix") or "").strip()
    if not top:
        return None
    log = _git(top, "log", f"-n{COMMITS}", "--format=%H", "--", prefix or ".")
    if not log:
        return None
    blobs = _Blobs(top)
    try:
        for commit in log.split():
            try:
                files = _tree(top, commit, prefix, commit)
            except RenstraError:  # (a revision over the budget is skipped)
                continue
            h = hashlib.sha256()
            entries = []
            for name, oid, _ in files:
                rel = PurePosixPath(name[len(prefix):] if prefix else name)
                if any(part.startswith(".") for part in rel.parts):
                    continue
                entries.append((rel, oid))
            for rel, oid in sorted(entries, key=lambda e: Path(e[0])):  # the order fingerprint() walks
                h.update(rel.as_posix().encode() + b"\0" + blobs.digest(oid))
            if h.hexdigest() == fingerprint:
                return commit
    except OSError:
        return None
    finally:
        blobs.close()
    return None


@contextlib.contextmanager
def built_content(content_dir: Path, fingerprint: str) -> Iterator[Path | None]:
    """The content folder as the workbook was built from it (extracted from git), or None if not found."""
    from renstra_gen.workflows.perubahan import version_folder

    commit = find_commit(content_dir, fingerprint)
    if commit is None:
        yield None
        return
    with version_folder(commit, content_dir) as (folder, _):
        yield folder
