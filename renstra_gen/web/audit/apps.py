from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "renstra_gen.web.audit"
    label = "audit"
    verbose_name = "Log audit"
