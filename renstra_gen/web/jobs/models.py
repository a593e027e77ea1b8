"""A job: one build, Renja or change list of one office, its state, progress and result files;
a batch: one kind of final document of every office, zipped; an office's build lease."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from renstra_gen.web.kantor.models import Office


class Job(models.Model):
    class Kind(models.TextChoices):
        RENSTRA = "renstra", "Renstra"
        RENJA = "renja", "Renja"
        PERUBAHAN = "perubahan", "Perubahan antar versi"
        BERITA_ACARA = "berita_acara", "Berita Acara Verifikasi"
        IMPOR = "impor", "Impor buku kerja"

    class State(models.TextChoices):
        QUEUED = "antre", "Menunggu giliran"
        RUNNING = "berjalan", "Sedang berjalan"
        DONE = "selesai", "Selesai"
        FAILED = "gagal", "Gagal"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="jobs")
    kind = models.CharField("jenis", max_length=20, choices=Kind.choices)
    params = models.JSONField("parameter", default=dict)
    state = models.CharField("status", max_length=20, choices=State.choices, default=State.QUEUED)
    progress = models.CharField("kemajuan", max_length=200, blank=True)
    commit = models.CharField("versi konten", max_length=40, blank=True)
    files = models.JSONField("berkas", default=list)
    findings = models.JSONField("temuan", default=list)
    changes = models.JSONField("perubahan", default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)
    #: Builds started for this job (a worker's death and the queue's retry make it 2; never 2 done).
    attempts = models.PositiveIntegerField("percobaan", default=0)
    worker = models.CharField("pekerja", max_length=200, blank=True)
    batch = models.ForeignKey("Batch", null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs")

    class Meta:
        ordering = ["-created"]
        verbose_name = "pekerjaan"
        verbose_name_plural = "pekerjaan"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.label} ({self.get_state_display()})"

    @property
    def label(self) -> str:
        p = self.params
        if self.kind == self.Kind.PERUBAHAN:
            return f"{p.get('lama', '')[:10]} → {p.get('baru', '')[:10]}"
        if self.kind == self.Kind.IMPOR and p.get("jenis") == "zip":
            return f"{p.get('nama', '')} (folder konten)"
        if self.kind == self.Kind.IMPOR:
            return f"{p.get('nama', '')}{' (terapkan)' if p.get('terapkan') else ''}"
        if self.kind == self.Kind.BERITA_ACARA:
            return f"{'Renja ' + str(p['tahun']) if p.get('tahun') else 'Renstra'}"
        parts = []
        if self.kind == self.Kind.RENJA:
            parts.append(str(p.get("tahun", "")))
        parts.append("PDF" if p.get("pdf") else ".docx/.xlsx")
        parts.append("draf" if p.get("draft") else "final")
        return " ".join(parts)

    @property
    def finished_ok(self) -> bool:
        return self.state == self.State.DONE

    @property
    def pdf(self) -> str | None:
        return next((f for f in self.files if f.endswith(".pdf")), None)

    @property
    def folder(self):
        return self.office.outputs / str(self.id)


class Batch(models.Model):
    """One kind of final document of every office (all Renstra PDFs, all Renja of a year), as one zip."""

    class State(models.TextChoices):
        RUNNING = "berjalan", "Sedang berjalan"
        DONE = "selesai", "Selesai"
        FAILED = "gagal", "Selesai dengan kegagalan"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField("jenis", max_length=20, choices=Job.Kind.choices)
    params = models.JSONField("parameter", default=dict)
    state = models.CharField("status", max_length=20, choices=State.choices, default=State.RUNNING)
    total = models.PositiveIntegerField("jumlah perangkat daerah", default=0)
    zip_name = models.CharField("berkas zip", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = "build serentak"
        verbose_name_plural = "build serentak"

    def __str__(self) -> str:
        return f"{self.label} ({self.get_state_display()})"

    @property
    def label(self) -> str:
        p = self.params
        what = f"Renja {p.get('tahun', '')}" if self.kind == Job.Kind.RENJA else "Renstra"
        return f"{what} {'PDF' if p.get('pdf') else '.docx/.xlsx'} final, semua perangkat daerah"

    @property
    def folder(self):
        from pathlib import Path

        return Path(settings.RENSTRA_DATA) / "kabupaten" / str(self.id)

    def counts(self) -> dict:
        states = list(self.jobs.values_list("state", flat=True))
        return {"selesai": states.count(Job.State.DONE), "gagal": states.count(Job.State.FAILED),
                "total": self.total}


class OfficeLease(models.Model):
    """The right to build one office, held by one job at a time on any worker machine.

    `until` is renewed while the job runs (queue.lease_heartbeat, and the RQ worker's heartbeat); a
    lease whose holder died lapses at `until` on any machine, or at once when its process is seen
    dead by a worker of the machine it names (`host`)."""

    office = models.OneToOneField(Office, primary_key=True, on_delete=models.CASCADE, related_name="lease")
    holder = models.CharField("pemegang", max_length=64, blank=True)  # the job's id, '' when free
    host = models.CharField("mesin", max_length=200, blank=True)
    pid = models.IntegerField("proses", default=0)
    until = models.DateTimeField("berlaku sampai", null=True, blank=True)

    class Meta:
        verbose_name = "kunci build"
        verbose_name_plural = "kunci build"
