"""The embedded task backend: tasks run one at a time on a worker thread of the web process.

It implements Django's task-backend API (django.tasks / the django-tasks backport), so a deployment
with Redis workers replaces it by a setting (TASKS) and the views and tasks stay as they are.
One worker thread also serialises every office's builds (each job takes its office's lock too, so
several workers elsewhere still build one office at a time)."""

from __future__ import annotations

import logging
import queue
import threading
import uuid

from django.db import close_old_connections
from django.utils import timezone
from django_tasks.backends.base import BaseTaskBackend
from django_tasks.base import TaskResult, TaskResultStatus

log = logging.getLogger(__name__)


class ThreadBackend(BaseTaskBackend):
    supports_get_result = False

    def __init__(self, alias, params):
        super().__init__(alias, params)
        self._queue: queue.Queue = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def _ensure_worker(self) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._work, name="renstra-pekerja", daemon=True)
                self._thread.start()

    def _work(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:  # stop(): the queued tasks before it have run
                self._queue.task_done()
                return
            task, args, kwargs = item
            close_old_connections()
            try:
                task.call(*args, **kwargs)
            except Exception:  # noqa: BLE001 - the task records its own failure; the worker goes on
                log.exception("tugas %s gagal", task.name)
            finally:
                close_old_connections()
                self._queue.task_done()

    def enqueue(self, task, args, kwargs):
        self.validate_task(task)
        self._ensure_worker()
        self._queue.put((task, list(args), dict(kwargs)))
        return TaskResult(task=task, id=str(uuid.uuid4()), status=TaskResultStatus.READY, enqueued_at=timezone.now(),
                          started_at=None, finished_at=None, last_attempted_at=None, args=list(args),
                          kwargs=dict(kwargs), backend=self.alias, errors=[], worker_ids=[])

    def join(self) -> None:
        """Wait until every queued task ran (tests, and `renstra serve` shutting down)."""
        self._queue.join()

    def stop(self, timeout: float = 60) -> None:
        """End the worker thread once the queued tasks ran. A process that forks (the build's
        checks and workbook, system/parallel.py) only forks while it runs no other thread."""
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is not None and thread.is_alive():
            self._queue.put(None)
            thread.join(timeout)
