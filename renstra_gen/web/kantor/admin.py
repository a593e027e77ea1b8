from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User

from renstra_gen.web.kantor.models import Office, Profile


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ("nama", "slug", "bidang", "periode")
    readonly_fields = ("slug",)


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False


class AccountAdmin(UserAdmin):
    inlines = [ProfileInline]
    list_display = ("username", "first_name", "last_name", "email", "is_active")


admin.site.unregister(User)
admin.site.register(User, AccountAdmin)
admin.site.site_header = "Ruang Kerja Renstra — Admin"
admin.site.site_title = "Ruang Kerja Renstra"
