"""The review workflow in one table: which role may do what to a document in which state.

Every state change and every action on a note goes through `allowed`; the views refuse anything else
with 403 and change nothing. A transition is recorded with who, when and the content commit it refers to.
"""

from __future__ import annotations

from dataclasses import dataclass

from renstra_gen.web.kantor.models import Role
from renstra_gen.web.tinjauan.models import Status as S


@dataclass(frozen=True)
class Aksi:
    label: str  # the button
    dari: frozenset[str]  # the states it starts from
    ke: str | None  # the state it leads to (None: an action on a note; the state stays)
    peran: frozenset[str]  # who may do it (penyusun and kepala only of their own office)


def _a(label, dari, ke, *peran) -> Aksi:
    return Aksi(label, frozenset(dari), ke, frozenset(peran))


#: The table of allowed transitions. The admin (Bappeda IT) manages accounts and offices, not reviews.
ALUR: dict[str, Aksi] = {
    "ajukan": _a("Ajukan untuk diverifikasi", [S.DRAF], S.DIAJUKAN, Role.PENYUSUN),
    "kembalikan": _a("Kembalikan dengan catatan", [S.DIAJUKAN, S.DIAJUKAN_ULANG], S.DIKEMBALIKAN, Role.VERIFIKATOR),
    "ajukan_ulang": _a("Ajukan ulang", [S.DIKEMBALIKAN], S.DIAJUKAN_ULANG, Role.PENYUSUN),
    "verifikasi": _a("Nyatakan terverifikasi", [S.DIAJUKAN, S.DIAJUKAN_ULANG], S.DIVERIFIKASI, Role.VERIFIKATOR),
    "setujui": _a("Setujui", [S.DIVERIFIKASI], S.DISETUJUI, Role.KEPALA),
    "tandatangani": _a("Unggah PDF bertanda tangan", [S.DISETUJUI], S.DITANDATANGANI, Role.KEPALA, Role.PENYUSUN),
    "tandatangani_server": _a("Tandatangani di server", [S.DISETUJUI], S.DITANDATANGANI, Role.KEPALA),
    "susun_pdf": _a("Susun ulang PDF final", [S.DISETUJUI], None, Role.KEPALA, Role.PENYUSUN),
    "susun_ba": _a("Susun ulang Berita Acara", [S.DIVERIFIKASI, S.DISETUJUI, S.DITANDATANGANI], None, Role.VERIFIKATOR),
    "catatan_tambah": _a("Tambah catatan", [S.DIAJUKAN, S.DIAJUKAN_ULANG], None, Role.VERIFIKATOR),
    "catatan_jawab": _a("Jawab", [S.DIKEMBALIKAN], None, Role.PENYUSUN),
    "catatan_tutup": _a("Tutup", [S.DIAJUKAN, S.DIAJUKAN_ULANG], None, Role.VERIFIKATOR),
    "catatan_buka": _a("Buka lagi", [S.DIAJUKAN_ULANG], None, Role.VERIFIKATOR),
}

#: The states in which the office's content may not change: a submitted version stays as submitted.
#: (All documents of an office share its one content repository, so one document under review freezes it.)
BEKU = frozenset({S.DIAJUKAN, S.DIAJUKAN_ULANG, S.DIVERIFIKASI, S.DISETUJUI})


def allowed(role: str | None, status: str, aksi: str) -> bool:
    a = ALUR.get(aksi)
    return a is not None and role in a.peran and status in a.dari


def actions_for(role: str | None, status: str) -> list[tuple[str, Aksi]]:
    """The state changes this person may make now (the buttons of the page)."""
    return [(k, a) for k, a in ALUR.items() if a.ke is not None and allowed(role, status, k)]
