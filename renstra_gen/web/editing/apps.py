from django.apps import AppConfig


class EditingConfig(AppConfig):
    name = "renstra_gen.web.editing"
    label = "editing"
    verbose_name = "Penyuntingan"
