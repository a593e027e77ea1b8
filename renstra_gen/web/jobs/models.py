"""A job: one build, Renja or change list of one office, its state, progress and result files."""

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
