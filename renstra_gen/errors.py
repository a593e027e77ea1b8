"""One exception family and the Finding record that every stage reports through."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


@dataclass(frozen=True, order=True)
class Source:
    """Where a value came from: a content file (relative to the content folder) and a line."""

    file: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


class Severity(str, Enum):
    ERROR = "galat"
    WARNING = "peringatan"


@dataclass(frozen=True)
class Finding:
    """One problem in the content, in the planner's language."""

    source: Source
    message: str
    severity: Severity = Severity.ERROR
    #: the document prints stand-in text here ("belum diuraikan", "[PANDUAN: ...]"): a final PDF lists it
    placeholder: bool = field(default=False, compare=False)

    def __str__(self) -> str:
        return printable(f"{self.source}: {self.severity.value}: {self.message}")

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


def printable(text: str) -> str:
    """Text a terminal can take: what the content wrote may hold lone surrogates (a Jinja literal
    '\\ud800', an undecodable file name); they are shown escaped instead of failing the print."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def error(source: Source, message: str) -> Finding:
    return Finding(source, message, Severity.ERROR)


def warning(source: Source, message: str) -> Finding:
    return Finding(source, message, Severity.WARNING)


def placeholder(source: Source, message: str) -> Finding:
    """A warning about stand-in text the document prints until the content gives the real one."""
    return Finding(source, message, Severity.WARNING, placeholder=True)


class RenstraError(Exception):
    """Base of every error the library raises on purpose; the CLI catches only this."""


class ContentError(RenstraError):
    """The content cannot be built; carries every finding collected before stopping."""

    def __init__(self, findings: list[Finding]):
        self.findings = list(findings)
        super().__init__("\n".join(str(f) for f in self.findings))


class OutputError(RenstraError):
    """An output file cannot be written or replaced."""


class ConversionError(RenstraError):
    """An external converter (LibreOffice) is missing, failed or timed out."""


class SignatureError(RenstraError):
    """A PDF cannot be prepared for, signed with, or checked for an electronic signature."""


class PrintProofError(RenstraError):
    """The PDF lacks text of the document (see proof.py); one finding per table or section."""

    def __init__(self, findings: list[Finding]):
        self.findings = list(findings)
        super().__init__("\n".join(str(f) for f in self.findings))
