from django.apps import AppConfig


class KantorConfig(AppConfig):
    name = "renstra_gen.web.kantor"
    label = "kantor"
    verbose_name = "Perangkat daerah dan akun"
