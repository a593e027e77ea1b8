from django.contrib import admin

from renstra_gen.web.audit.models import Event


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("when", "username", "action", "office", "address", "detail")
    list_filter = ("action", "office")
    search_fields = ("username", "office", "detail")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
