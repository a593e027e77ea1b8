"""The regency page and its batch build: every office's last build, one zip of one kind of final
document of every office with progress, for admin and verifikator only, with audit rows."""

from __future__ import annotations

import io
import uuid
import zipfile

import pytest

from renstra_gen.web import engine
from renstra_gen.web.audit.models import Event
from renstra_gen.web.jobs import kabupaten, tasks
from renstra_gen.web.jobs.models import Batch, Job

pytestmark = pytest.mark.django_db


def _urls(batch_id) -> list[tuple[str, str]]:
    return [("get", "/kabupaten/"), ("get", "/kabupaten/status/"), ("post", "/kabupaten/build/"),
            ("get", f"/kabupaten/unduh/{batch_id}/")]


@pytest.mark.parametrize("who", ["penyusun", "kepala", "orang_lain", "kepala_lain"])
def test_only_admin_and_verifikator_reach_the_regency_page_and_its_zips(world, login, who, tmp_path):
    batch = Batch.objects.create(kind="renstra", params={"pdf": False}, total=0, zip_name="x.zip")
    batch.folder.mkdir(parents=True)
    (batch.folder / "x.zip").write_bytes(b"PK")
    c = login(world[who])
    for method, url in _urls(batch.pk):
        r = getattr(c, method)(url, {"jenis": "renstra"} if method == "post" else None)
        assert r.status_code == 403, (who, url)
    assert not Batch.objects.exclude(pk=batch.pk).exists()  # no batch was started


def test_the_regency_page_asks_for_login_first(world, client):
    r = client.get("/kabupaten/")
    assert r.status_code == 302 and r["Location"].startswith("/masuk/")


def test_a_batch_builds_every_office_into_one_zip_that_the_verifikator_downloads(world, login, monkeypatch):
    kabupaten.register_column("Status uji", lambda office, user: f"kolom-{office.slug}")
    monkeypatch.setattr(kabupaten, "COLUMNS", list(kabupaten.COLUMNS))  # restored after the test
    c = login(world["admin"])
    page = c.get("/kabupaten/").content.decode()
    assert "Dinas Sosial Kabupaten Belu" in page and "Dinas Lain" in page and "belum ada" in page
    assert "kolom-demo" in page and "Status uji" in page  # the hook for the review columns

    # the tests' task backend runs each job at once: the batch's jobs, then its zip
    r = c.post("/kabupaten/build/", {"jenis": "renstra"})
    assert r.status_code == 302
    batch = Batch.objects.get()
    assert batch.state == Batch.State.DONE and batch.total == 2
    jobs = list(batch.jobs.order_by("office__slug"))
    assert [j.office.slug for j in jobs] == ["demo", "lain"]
    assert all(j.state == Job.State.DONE and j.attempts == 1 for j in jobs)

    v = login(world["verifikator"])
    page = v.get("/kabupaten/").content.decode()
    assert batch.zip_name in page and "2 selesai dari 2" in page
    assert "Renstra .docx/.xlsx final" in page  # each office's last build
    assert v.get("/kabupaten/status/", headers={"HX-Request": "true"})["HX-Refresh"] == "true"  # all done
    r = v.get(f"/kabupaten/unduh/{batch.pk}/")
    assert r.status_code == 200 and r["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(b"".join(r.streaming_content))) as zf:
        names = zf.namelist()
        daftar = zf.read("DAFTAR.txt").decode()
    assert any(n.startswith("demo/") and n.endswith(".docx") for n in names)
    assert any(n.startswith("lain/") and n.endswith(".xlsx") for n in names)
    assert "demo\tDinas Sosial Kabupaten Belu\tselesai" in daftar
    assert Event.objects.filter(action="build-kabupaten", username="admin").count() == 1
    assert Event.objects.filter(action="unduh-kabupaten", username="verifikator", detail=batch.zip_name).count() == 1
    assert Event.objects.filter(action="build-jalan").count() == 2


def test_a_failed_office_is_named_in_the_zip_and_the_others_are_kept(world, login, monkeypatch):
    real = engine.build_renstra

    def build(folder, out, **kw):
        if "/lain/" in str(folder):
            raise engine.RefusedError([engine.Temuan("renstra.yaml", 3, "galat", "periode tidak sah")])
        return real(folder, out, **kw)

    monkeypatch.setattr(engine, "build_renstra", build)
    login(world["verifikator"]).post("/kabupaten/build/", {"jenis": "renstra"})
    batch = Batch.objects.get()
    assert batch.state == Batch.State.FAILED and batch.counts() == {"selesai": 1, "gagal": 1, "total": 2}
    with zipfile.ZipFile(batch.folder / batch.zip_name) as zf:
        daftar = zf.read("DAFTAR.txt").decode()
        assert not any(n.startswith("lain/") for n in zf.namelist())
    assert "lain\tDinas Lain\tgagal\tperiode tidak sah" in daftar


def test_the_zip_made_again_has_the_same_bytes(world, login, monkeypatch):
    monkeypatch.setattr(engine, "build_renja", lambda folder, out, year, **kw: _fake(out))
    login(world["admin"]).post("/kabupaten/build/", {"jenis": "renja", "tahun": "2024", "pdf": "1"})
    batch = Batch.objects.get()
    assert batch.kind == "renja" and batch.params["tahun"] == 2024 and "2024" in batch.zip_name
    first = (batch.folder / batch.zip_name).read_bytes()
    Batch.objects.filter(pk=batch.pk).update(state=Batch.State.RUNNING)  # e.g. a worker died after writing it
    tasks.make_zip.call(str(batch.pk))
    assert (batch.folder / batch.zip_name).read_bytes() == first


def _fake(out):
    out.mkdir(parents=True, exist_ok=True)
    (out / "renja.pdf").write_bytes(b"%PDF-1.7 uji")
    return engine.Hasil([out / "renja.pdf"], [])


def test_an_unknown_batch_is_404_for_the_verifikator(world, login):
    assert login(world["verifikator"]).get(f"/kabupaten/unduh/{uuid.uuid4()}/").status_code == 404


def test_a_job_run_again_after_a_workers_death_says_so_on_its_page(world, login):
    job = Job.objects.create(office=world["demo"], kind="renstra", params={}, state=Job.State.DONE, attempts=2)
    page = login(world["penyusun"]).get(f"/k/demo/pekerjaan/{job.pk}/status/").content.decode()
    assert "percobaan ke-2" in page
    other = login(world["orang_lain"]).get(f"/k/demo/pekerjaan/{job.pk}/status/")
    assert other.status_code == 404  # every job URL checks the office


def test_a_job_the_queue_gave_up_on_is_failed_not_running_for_ever(world):
    from django_tasks.base import TaskResultStatus
    from django_tasks.signals import task_finished

    job = Job.objects.create(office=world["demo"], kind="renstra", params={}, state=Job.State.RUNNING, attempts=3)

    class Result:  # what a task backend reports when its worker died on the last try
        status = TaskResultStatus.FAILED
        task = tasks.run_job
        args = [str(job.pk)]
        id = "x"

    task_finished.send(sender=object, task_result=Result())
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and "pekerja berhenti" in job.progress


def test_an_office_whose_repository_cannot_be_read_fails_alone(world, login):
    import shutil

    shutil.rmtree(world["lain"].content / ".git")
    login(world["admin"]).post("/kabupaten/build/", {"jenis": "renstra"})
    batch = Batch.objects.get()
    assert batch.counts() == {"selesai": 1, "gagal": 1, "total": 2} and batch.zip_name
    with zipfile.ZipFile(batch.folder / batch.zip_name) as zf:
        assert "lain\tDinas Lain\tgagal\trepositori konten tidak dapat dibaca" in zf.read("DAFTAR.txt").decode()
