"""The Halaman Verifikasi: who checked the document (a grid of verifiers) and the head of office's signature."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from renstra_gen.content import model as m
from renstra_gen.grid import Cell, Grid

BLANK = "...................................."


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
        who = f"{p.nama or BLANK}\nNIP. {p.nip or BLANK}"
        role = "\n".join(x for x in (p.jabatan, p.unit) if x) or BLANK
        body.append([Cell(str(i), align="center"), Cell(who), Cell(role), Cell(f"{i}. ....................\n\n")])
    grid = Grid("verifikasi", "", [0.7, 5.0, 5.0, 3.3], header, body, font_size=10)
    return Verification(v.judul, sentence, grid, f"{v.tempat}," if v.tempat else "................,", v.tanggal,
                        identity.kepala if v.kepala else None)
