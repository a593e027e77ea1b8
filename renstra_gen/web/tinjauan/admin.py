from django.contrib import admin

from renstra_gen.web.tinjauan.models import Catatan, Dokumen, Peralihan, ProfilPemeriksa


@admin.register(ProfilPemeriksa)
class ProfilPemeriksaAdmin(admin.ModelAdmin):
    list_display = ("nama", "nip", "jabatan", "unit", "user")


@admin.register(Dokumen)
class DokumenAdmin(admin.ModelAdmin):
    list_display = ("office", "jenis", "tahun", "status", "ronde", "commit")
    readonly_fields = [f.name for f in Dokumen._meta.fields]


@admin.register(Peralihan)
class PeralihanAdmin(admin.ModelAdmin):
    list_display = ("dokumen", "aksi", "dari", "ke", "nama", "waktu", "commit")
    readonly_fields = [f.name for f in Peralihan._meta.fields]


@admin.register(Catatan)
class CatatanAdmin(admin.ModelAdmin):
    list_display = ("dokumen", "ronde", "jangkar", "label", "keadaan", "nama")
    readonly_fields = [f.name for f in Catatan._meta.fields]
