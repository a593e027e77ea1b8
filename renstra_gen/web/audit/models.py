"""The audit log: logins, saves, builds, downloads and imports (readable by the admin)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Event(models.Model):
    when = models.DateTimeField("waktu", auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             verbose_name="akun")
    username = models.CharField("nama akun", max_length=150, blank=True, db_index=True)
    address = models.CharField("alamat", max_length=64, blank=True, db_index=True)
    action = models.CharField("tindakan", max_length=40, db_index=True)
    office = models.CharField("perangkat daerah", max_length=80, blank=True)
    detail = models.TextField("rincian", blank=True)

    class Meta:
        verbose_name = "peristiwa"
        verbose_name_plural = "log audit"
        ordering = ["-when"]

    def __str__(self) -> str:
        return f"{self.when:%Y-%m-%d %H:%M} {self.username} {self.action} {self.office}"


def log(request, action: str, office=None, detail: str = "", username: str | None = None) -> Event:
    user = request.user if request is not None and request.user.is_authenticated else None
    return Event.objects.create(
        user=user, username=username if username is not None else (user.get_username() if user else ""),
        address=(request.META.get("REMOTE_ADDR", "") if request is not None else "")[:64],
        action=action, office=getattr(office, "slug", office or "") or "", detail=detail[:2000])
