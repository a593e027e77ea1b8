"""What a workflow that writes a document's files returns (a module of its own: `renstra pdf` needs it
without the build's imports)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from renstra_gen.errors import Finding

if TYPE_CHECKING:
    from renstra_gen.proof.prove import ProofReport


@dataclass
class BuildResult:
    written: list[Path]
    warnings: list[Finding] = field(default_factory=list)
    proof: ProofReport | None = None  # the print proof of the PDF, when one was written and proved
