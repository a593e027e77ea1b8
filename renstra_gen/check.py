"""Consistency checks over the loaded content: every finding with file, line and a plain sentence."""

from __future__ import annotations

from renstra_gen.errors import Finding
from renstra_gen.load import Content


def check(content: Content) -> list[Finding]:
    return []
