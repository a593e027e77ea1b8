"""The workspace's URL map: every office URL starts with /k/<slug>/ and every view calls access.office_for."""

from django.contrib import admin
from django.urls import path

from renstra_gen.web.editing import konten, views as editing
from renstra_gen.web.jobs import kabupaten, views as jobs
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
    # the regency (admin and verifikator): every office, batch builds as one zip (#31)
    path("kabupaten/", kabupaten.kabupaten, name="kabupaten"),
    path("kabupaten/status/", kabupaten.status, name="kabupaten-status"),
    path("kabupaten/build/", kabupaten.mulai, name="kabupaten-build"),
    path("kabupaten/unduh/<uuid:batch_id>/", kabupaten.unduh, name="kabupaten-unduh"),
    path("admin/", admin.site.urls),
]

# Review rounds, approval and signature (issue 31, web/tinjauan)
from renstra_gen.web.tinjauan import views as tinjauan  # noqa: E402

urlpatterns += [
    path("tinjauan/", tinjauan.ikhtisar, name="tinjauan"),
    path("profil-pemeriksa/", tinjauan.profil, name="profil-pemeriksa"),
    path("k/<slug:slug>/tinjauan/", tinjauan.daftar, name="tinjauan-daftar"),
    path("k/<slug:slug>/tinjauan/<str:kode>/", tinjauan.halaman, name="tinjauan-dokumen"),
    path("k/<slug:slug>/tinjauan/<str:kode>/aksi/<str:nama>/", tinjauan.aksi, name="tinjauan-aksi"),
    path("k/<slug:slug>/tinjauan/<str:kode>/catatan/", tinjauan.catatan_tambah, name="tinjauan-catatan"),
    path("k/<slug:slug>/tinjauan/<str:kode>/catatan/<int:pk>/<str:nama>/", tinjauan.catatan_ubah,
         name="tinjauan-catatan-ubah"),
    path("k/<slug:slug>/tinjauan/<str:kode>/ekspor.<str:fmt>", tinjauan.ekspor_catatan, name="tinjauan-ekspor"),
    path("k/<slug:slug>/tinjauan/<str:kode>/susun-pdf/", tinjauan.susun_pdf, name="tinjauan-susun-pdf"),
    path("k/<slug:slug>/tinjauan/<str:kode>/ttd/", tinjauan.unggah_ttd, name="tinjauan-ttd"),
    path("k/<slug:slug>/tinjauan/<str:kode>/ttd-server/", tinjauan.ttd_server, name="tinjauan-ttd-server"),
    path("k/<slug:slug>/tinjauan/<str:kode>/ttd.pdf", tinjauan.unduh_ttd, name="tinjauan-unduh-ttd"),
    path("k/<slug:slug>/tinjauan/<str:kode>/berita-acara.<str:fmt>", tinjauan.unduh_berita_acara,
         name="tinjauan-berita-acara"),
    path("k/<slug:slug>/tinjauan/<str:kode>/susun-berita-acara/", tinjauan.susun_berita_acara,
         name="tinjauan-susun-ba"),
]
