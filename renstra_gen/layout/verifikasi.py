"""The Halaman Verifikasi: who checked the document (a grid of verifiers) and the head of office's signature."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from renstra_gen.content import model as m
from renstra_gen.grid import Cell, Grid

BLANK = "...................................."
NBSP = "\u00a0"
SIGN_LINE = "{}." + NBSP + "...................."  # one word: the dotted line never wraps away from its number
SIGN_HEIGHT = 1021  # twips (1.8 cm): a verifier's row, room to sign by hand
_TITLE = re.compile(r"^((?:(?:Dr|Drs|Dra|Ir|Prof|H|Hj|dr|drg|Ns)\.\s+)+)")


def keep_name(nama: str) -> str:
    """A signatory's name as printed: the degrees after the name ("S.E., M.Si") joined to each
    other and to the name's last word, and a title before it ("Drs.") to its first word, by
    no-break spaces, so that no line breaks inside a degree or between a name and its degree."""
    nama = " ".join(nama.split())
    base, sep, degrees = nama.partition(", ")
    base = _TITLE.sub(lambda m: m.group(1).replace(" ", NBSP), base)
    return base + (f",{NBSP}" + degrees.replace(" ", NBSP) if sep else "")


def nip_line(nip: str) -> str:
    """"NIP. 19800101 200501 1 007" on one line: a NIP is never broken."""
    return f"NIP.{NBSP}" + NBSP.join(nip.split())


@dataclass
class Verification:
    """Everything the page prints, as text: the renderer only lays it out."""

    title: str
    sentence: str
    grid: Grid
    place: str  # "Atambua," or dots
    date: dt.date | None
    kepala: m.Pejabat | None


def verification(v: m.Verifikasi, identity: m.Identity, subject: str) -> Verification:
    """`subject`: what was verified ("Rencana Kerja (Renja) Dinas ... Tahun 2024")."""
    sentence = v.kalimat or f"{subject} telah diteliti dan diverifikasi oleh:"
    header = [[Cell(t, bold=True, align="center") for t in ("No", "Nama / NIP", "Jabatan / Unit Kerja", "Tanda Tangan")]]
    people = v.verifikator or [m.Verifikator(), m.Verifikator()]  # blank lines to sign by hand
    body = []
    for i, p in enumerate(people, 1):
        who = f"{keep_name(p.nama) if p.nama else BLANK}\n{nip_line(p.nip or BLANK)}"
        role = "\n".join(x for x in (p.jabatan, p.unit) if x) or BLANK
        body.append([Cell(str(i), align="center"), Cell(who), Cell(role), Cell(SIGN_LINE.format(i), bottom=True)])
    # room to sign by hand above the dotted line, at the bottom of its cell
    grid = Grid("verifikasi", "", [0.7, 5.0, 5.0, 3.3], header, body, font_size=10, body_height=SIGN_HEIGHT)
    return Verification(v.judul, sentence, grid, f"{v.tempat}," if v.tempat else "................,", v.tanggal,
                        identity.kepala if v.kepala else None)
