from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "renstra_gen.web.jobs"
    label = "jobs"
    verbose_name = "Pekerjaan (build)"
