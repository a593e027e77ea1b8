from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "renstra_gen.web.jobs"
    label = "jobs"
    verbose_name = "Pekerjaan (build)"

    def ready(self) -> None:
        from django_tasks.signals import task_finished

        from renstra_gen.web.jobs.queue import on_task_finished

        task_finished.connect(on_task_finished, dispatch_uid="renstra-jobs-task-finished")
