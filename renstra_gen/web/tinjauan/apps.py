from django.apps import AppConfig


class TinjauanConfig(AppConfig):
    name = "renstra_gen.web.tinjauan"
    label = "tinjauan"
    verbose_name = "Tinjauan, persetujuan dan tanda tangan"
