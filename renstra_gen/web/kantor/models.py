"""Offices (perangkat daerah), each owning one content repository, and the role of every account."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import models


class Office(models.Model):
    slug = models.SlugField("kode", max_length=80, unique=True)
    nama = models.CharField("nama perangkat daerah", max_length=200)
    bidang = models.CharField("bidang urusan", max_length=200, blank=True)
    periode = models.CharField("periode", max_length=20, blank=True)
    kertas = models.CharField("kertas", max_length=10, default="A4")
    dibuat = models.DateTimeField("dibuat", auto_now_add=True)

    class Meta:
        verbose_name = "perangkat daerah"
        verbose_name_plural = "perangkat daerah"
        ordering = ["nama"]

    def __str__(self) -> str:
        return self.nama

    @property
    def folder(self) -> Path:
        """The office's folder in the data folder: konten/ (its git repository), hasil/ (builds)."""
        return Path(settings.RENSTRA_DATA) / "kantor" / self.slug

    @property
    def content(self) -> Path:
        return self.folder / "konten"

    @property
    def outputs(self) -> Path:
        return self.folder / "hasil"


class Role(models.TextChoices):
    ADMIN = "admin", "Admin (Bappeda/TI)"
    PENYUSUN = "penyusun", "Penyusun"
    VERIFIKATOR = "verifikator", "Verifikator"
    KEPALA = "kepala", "Kepala perangkat daerah"


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profil")
    role = models.CharField("peran", max_length=20, choices=Role.choices, default=Role.PENYUSUN)
    office = models.ForeignKey(Office, null=True, blank=True, on_delete=models.PROTECT, related_name="anggota",
                               verbose_name="perangkat daerah")
    nip = models.CharField("NIP", max_length=30, blank=True)

    class Meta:
        verbose_name = "profil"
        verbose_name_plural = "profil"

    def __str__(self) -> str:
        return f"{self.user.get_username()} ({self.get_role_display()})"
