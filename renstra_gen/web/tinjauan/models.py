"""The review record: each document's state, every transition (who, when, which content commit), the
verifiers' notes anchored to what they are about, the signed document of record, the reviewers' profiles."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from renstra_gen.web.kantor.models import Office


class Status(models.TextChoices):
    DRAF = "draf", "Draf"
    DIAJUKAN = "diajukan", "Diajukan"
    DIKEMBALIKAN = "dikembalikan", "Dikembalikan dengan catatan"
    DIAJUKAN_ULANG = "diajukan_ulang", "Diajukan ulang"
    DIVERIFIKASI = "diverifikasi", "Diverifikasi"
    DISETUJUI = "disetujui", "Disetujui kepala"
    DITANDATANGANI = "ditandatangani", "Ditandatangani"


class Dokumen(models.Model):
    """One document of an office under review: the Renstra (tahun 0) or the Renja of one year."""

    class Jenis(models.TextChoices):
        RENSTRA = "renstra", "Renstra"
        RENJA = "renja", "Renja"

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="dokumen_tinjauan")
    jenis = models.CharField("jenis", max_length=10, choices=Jenis.choices)
    tahun = models.PositiveIntegerField("tahun", default=0)  # 0 for the Renstra
    status = models.CharField("status", max_length=20, choices=Status.choices, default=Status.DRAF)
    ronde = models.PositiveIntegerField("putaran", default=0)  # 1 at the first submission, +1 at each resubmission
    commit = models.CharField("versi konten", max_length=40, blank=True)  # the version submitted / verified / approved
    pdf_job = models.ForeignKey("jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    pdf_sha256 = models.CharField("SHA-256 PDF final", max_length=64, blank=True)
    ttd_berkas = models.CharField("berkas bertanda tangan", max_length=200, blank=True)
    ttd_sha256 = models.CharField("SHA-256 berkas bertanda tangan", max_length=64, blank=True)
    ttd_pemeriksaan = models.JSONField("hasil periksa-ttd", default=list)
    #: the Berita Acara Verifikasi (.docx and .pdf), made by a job when the document is verified
    ba_job = models.ForeignKey("jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "dokumen"
        verbose_name_plural = "dokumen"
        constraints = [models.UniqueConstraint(fields=["office", "jenis", "tahun"], name="satu_dokumen_per_jenis_tahun")]
        ordering = ["office__nama", "jenis", "tahun"]

    def __str__(self) -> str:
        return self.judul

    @property
    def judul(self) -> str:
        return "Renstra" if self.jenis == self.Jenis.RENSTRA else f"Renja {self.tahun}"

    @property
    def kode(self) -> str:
        """The document in URLs: 'renstra' or 'renja-2027'."""
        return "renstra" if self.jenis == self.Jenis.RENSTRA else f"renja-{self.tahun}"


class Peralihan(models.Model):
    """One transition of a document's state, as it happened."""

    dokumen = models.ForeignKey(Dokumen, on_delete=models.CASCADE, related_name="peralihan")
    aksi = models.CharField("tindakan", max_length=20)
    dari = models.CharField("dari", max_length=20, choices=Status.choices)
    ke = models.CharField("ke", max_length=20, choices=Status.choices)
    oleh = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    nama = models.CharField("nama", max_length=200)  # as the person was named then
    peran = models.CharField("peran", max_length=20)
    waktu = models.DateTimeField("waktu", auto_now_add=True, db_index=True)
    commit = models.CharField("versi konten", max_length=40, blank=True)
    catatan = models.TextField("keterangan", blank=True)

    class Meta:
        verbose_name = "peralihan status"
        verbose_name_plural = "peralihan status"
        ordering = ["waktu", "pk"]


class Catatan(models.Model):
    """A verifier's note, anchored to a BAB paragraph, a table, a row (its code) or a finding."""

    class Jangkar(models.TextChoices):
        PARAGRAF = "paragraf", "Paragraf BAB"
        TABEL = "tabel", "Tabel"
        BARIS = "baris", "Baris (kode)"
        TEMUAN = "temuan", "Temuan pemeriksaan"
        UMUM = "umum", "Dokumen (umum)"

    class Keadaan(models.TextChoices):
        TERBUKA = "terbuka", "Terbuka"
        DIJAWAB = "dijawab", "Dijawab"
        DITUTUP = "ditutup", "Ditutup"

    dokumen = models.ForeignKey(Dokumen, on_delete=models.CASCADE, related_name="catatan")
    ronde = models.PositiveIntegerField("putaran")
    jangkar = models.CharField("tentang", max_length=10, choices=Jangkar.choices)
    kunci = models.CharField("letak", max_length=300, blank=True)  # "bab/bab-2.md#3", "tabel/x.yaml", a code
    label = models.CharField("bagian", max_length=300, blank=True)  # as the page showed it when the note was made
    isi = models.TextField("catatan")
    keadaan = models.CharField("keadaan", max_length=10, choices=Keadaan.choices, default=Keadaan.TERBUKA)
    oleh = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    nama = models.CharField("verifikator", max_length=200)
    dibuat = models.DateTimeField("dibuat", auto_now_add=True)
    commit = models.CharField("versi yang diperiksa", max_length=40, blank=True)
    jawaban = models.TextField("jawaban perangkat daerah", blank=True)
    dijawab_oleh = models.CharField("dijawab oleh", max_length=200, blank=True)
    dijawab = models.DateTimeField("dijawab", null=True, blank=True)
    commit_jawaban = models.CharField("versi yang menjawab", max_length=40, blank=True)
    ditutup = models.DateTimeField("ditutup", null=True, blank=True)  # for the Berita Acara's rounds

    class Meta:
        verbose_name = "catatan verifikasi"
        verbose_name_plural = "catatan verifikasi"
        ordering = ["ronde", "pk"]


class ProfilPemeriksa(models.Model):
    """How a reviewer (verifikator) or signer is printed: name with degrees, NIP, position and unit."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profil_pemeriksa")
    nama = models.CharField("nama lengkap dengan gelar", max_length=200)
    nip = models.CharField("NIP", max_length=30, blank=True)
    jabatan = models.CharField("jabatan", max_length=200, blank=True)
    unit = models.CharField("unit kerja", max_length=200, blank=True)

    class Meta:
        verbose_name = "profil verifikator"
        verbose_name_plural = "profil verifikator"

    def __str__(self) -> str:
        return self.nama
