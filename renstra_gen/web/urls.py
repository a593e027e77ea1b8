"""The workspace's URL map: every office URL starts with /k/<slug>/ and every view calls access.office_for."""

from django.contrib import admin
from django.urls import path

from renstra_gen.web.editing import konten, views as editing
from renstra_gen.web.jobs import views as jobs
from renstra_gen.web.kantor import views as kantor

urlpatterns = [
    path("masuk/", kantor.masuk, name="masuk"),
    path("keluar/", kantor.keluar, name="keluar"),
    path("", kantor.daftar, name="daftar"),
    path("kantor/baru/", kantor.kantor_baru, name="kantor-baru"),
    path("akun/baru/", kantor.akun_baru, name="akun-baru"),
    path("k/<slug:slug>/", editing.beranda, name="beranda"),
    path("k/<slug:slug>/tabel-6-2/", editing.tabel, name="tabel"),
    path("k/<slug:slug>/tabel-6-2/cari/", editing.cari, name="cari"),
    path("k/<slug:slug>/tabel-6-2/tambah/", editing.tambah, name="tambah"),
    path("k/<slug:slug>/tabel-6-2/hapus/", editing.hapus, name="hapus"),
    path("k/<slug:slug>/identitas/", editing.identitas, name="identitas"),
    path("k/<slug:slug>/naskah/", editing.naskah, name="naskah"),
    path("k/<slug:slug>/konten/", konten.konten, name="konten"),  # issue 30: every other file as forms/grids
    path("k/<slug:slug>/impor-konten/", konten.impor_konten, name="impor-konten"),  # issue 30: a content .zip
    path("kantor/impor/", konten.kantor_impor, name="kantor-impor"),  # issue 30: a new office from a content .zip
    path("k/<slug:slug>/impor/", editing.impor, name="impor"),
    path("k/<slug:slug>/impor/<str:token>/terapkan/", editing.impor_terapkan, name="impor-terapkan"),
    path("k/<slug:slug>/riwayat/", editing.riwayat, name="riwayat"),
    path("k/<slug:slug>/riwayat/pulihkan/", editing.pulihkan, name="pulihkan"),
    path("k/<slug:slug>/build/", jobs.mulai, name="build"),
    path("k/<slug:slug>/pekerjaan/<uuid:job_id>/", jobs.detail, name="pekerjaan"),
    path("k/<slug:slug>/pekerjaan/<uuid:job_id>/status/", jobs.status, name="pekerjaan-status"),
    path("k/<slug:slug>/pekerjaan/<uuid:job_id>/pratinjau/", jobs.pratinjau, name="pratinjau"),
    path("k/<slug:slug>/pekerjaan/<uuid:job_id>/unduh/<str:name>", jobs.unduh, name="unduh"),
    path("admin/", admin.site.urls),
]
