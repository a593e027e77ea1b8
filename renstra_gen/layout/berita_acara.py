"""The Berita Acara Verifikasi: the record of a review that ended in "diverifikasi" (its number and date,
the document and version verified, the verifiers, each round with its notes, the outcome), as text and
grids the renderer only lays out. It is printed as a document of its own, in the Renja's Lampiran and
after the Renstra's Halaman Verifikasi."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from renstra_gen.content import model as m
from renstra_gen.grid import Cell, Grid
from renstra_gen.layout.verifikasi import BLANK, NBSP, keep_name, nip_line
from renstra_gen.numbers import tanggal as tanggal_id

TITLE = "BERITA ACARA VERIFIKASI"
HARI = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
HASIL = {"dikembalikan": "Dikembalikan dengan catatan", "diverifikasi": "Diverifikasi"}


@dataclass
class Putaran:
    """One round: submitted on `diajukan`, ended on `selesai` with `hasil` (dikembalikan / diverifikasi);
    the notes the verifiers raised in it, and of those raised so far the ones answered and closed in it."""

    ke: int
    diajukan: dt.date | None
    selesai: dt.date | None
    hasil: str
    dibuat: int = 0
    dijawab: int = 0
    ditutup: int = 0


@dataclass
class Rekaman:
    """The review record the Berita Acara is made from (the workspace's tinjauan app gives it)."""

    nomor: str
    tanggal: dt.date
    tempat: str | None
    versi: str  # the content commit verified
    verifikator: list[m.Verifikator]
    putaran: list[Putaran] = field(default_factory=list)


@dataclass
class BeritaAcara:
    """Everything the pages print, as text."""

    title: str
    number: str
    opening: str
    people: Grid
    rounds_intro: str
    rounds: Grid
    outcome: str
    closing: str
    place_date: str
    signatures: Grid
    kepala: m.Pejabat | None
    lampiran: bool = False  # printed in the Lampiran (the Renja) rather than after the Halaman Verifikasi


def renstra_subject(ident: m.Identity) -> str:
    return f"{ident.judul.title()} {ident.perangkat_daerah.nama} Tahun {ident.periode.awal}–{ident.periode.akhir}"


def renja_subject(ident: m.Identity, year: int) -> str:
    return f"Rencana Kerja (Renja) {ident.perangkat_daerah.nama} Tahun {year}"


def _date(d: dt.date | None) -> str:
    return tanggal_id(d) if d else "–"


def berita_acara(r: Rekaman, kepala: m.Pejabat | None, subject: str, lampiran: bool = False) -> BeritaAcara:
    """`subject`: what was verified ("Rencana Kerja (Renja) Dinas ... Tahun 2027")."""
    when = f"{HARI[r.tanggal.weekday()]}, tanggal {tanggal_id(r.tanggal)}"
    where = f", bertempat di {r.tempat}" if r.tempat else ""
    opening = (f"Pada hari ini {when}{where}, telah dilaksanakan verifikasi atas {subject} "
               f"(versi konten {r.versi[:12] or BLANK}) oleh verifikator sebagai berikut:")
    head = [[Cell(t, bold=True, align="center") for t in ("No", "Nama / NIP", "Jabatan", "Unit Kerja")]]
    people = r.verifikator or [m.Verifikator()]
    body = [[Cell(str(i), align="center"),
             Cell(f"{keep_name(p.nama) if p.nama else BLANK}\n{nip_line(p.nip or BLANK)}"),
             Cell(p.jabatan or "–"), Cell(p.unit or "–")] for i, p in enumerate(people, 1)]
    grid = Grid("berita-acara-verifikator", "", [0.8, 5.2, 4.3, 4.0], head, body, font_size=10)

    rhead = [[Cell(t, bold=True, align="center") for t in
              ("Putaran", "Diajukan", "Hasil", "Tanggal", "Catatan diberikan", "Catatan dijawab", "Catatan ditutup")]]
    rbody = [[Cell(str(p.ke), align="center"), Cell(_date(p.diajukan), align="center"),
              Cell(HASIL.get(p.hasil, p.hasil or "–")), Cell(_date(p.selesai), align="center"),
              Cell(str(p.dibuat), align="center"), Cell(str(p.dijawab), align="center"),
              Cell(str(p.ditutup), align="center")] for p in r.putaran]
    total = [Cell("Jumlah", bold=True), Cell(""), Cell(""), Cell(""),
             *(Cell(str(sum(getattr(p, k) for p in r.putaran)), bold=True, align="center")
               for k in ("dibuat", "dijawab", "ditutup"))]
    rounds = Grid("berita-acara-putaran", "", [1.6, 2.6, 3.2, 2.6, 1.9, 1.9, 1.9], rhead, rbody + [total], font_size=10)
    n = len(r.putaran)
    rounds_intro = f"Verifikasi dilaksanakan dalam {n} putaran, dengan rincian sebagai berikut:"
    outcome = (f"Berdasarkan hasil verifikasi tersebut, {subject} dinyatakan TELAH DIVERIFIKASI pada tanggal "
               f"{tanggal_id(r.tanggal)}: seluruh catatan verifikasi telah dijawab oleh perangkat daerah dan "
               "ditutup oleh verifikator, sehingga dokumen dapat diajukan untuk persetujuan kepala perangkat daerah.")
    closing = "Demikian Berita Acara Verifikasi ini dibuat untuk dipergunakan sebagaimana mestinya."
    shead = [[Cell(t, bold=True, align="center") for t in ("No", "Verifikator", "Tanda Tangan")]]
    sbody = [[Cell(str(i), align="center"), Cell(f"{keep_name(p.nama) if p.nama else BLANK}\n{nip_line(p.nip or BLANK)}"),
              Cell(f"{i}.{NBSP}....................\n\n")] for i, p in enumerate(people, 1)]
    signatures = Grid("berita-acara-tanda-tangan", "", [0.8, 8.5, 5.0], shead, sbody, font_size=10)
    place = f"{r.tempat}, " if r.tempat else "................, "
    return BeritaAcara(TITLE, f"Nomor: {r.nomor}", opening, grid, rounds_intro, rounds, outcome, closing,
                       place + tanggal_id(r.tanggal), signatures, kepala, lampiran)
