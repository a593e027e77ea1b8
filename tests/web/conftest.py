"""Fixtures of the workspace tests: offices copied from the default content, one account per role."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from renstra_gen.web import engine

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def content_repo(tmp_path_factory) -> Path:
    """The default content as an office repository, made once and copied per test."""
    folder = tmp_path_factory.mktemp("repo") / "konten"
    engine.copy_content(ROOT / "content", folder, ("Ruang Kerja", "ruang-kerja@localhost"), "Konten contoh")
    return folder


@pytest.fixture
def data(settings, tmp_path) -> Path:
    settings.RENSTRA_DATA = tmp_path / "data"
    settings.RENSTRA_DATA.mkdir()
    return settings.RENSTRA_DATA


def make_office(slug: str, content_repo: Path, nama: str):
    from renstra_gen.web.kantor.models import Office

    office = Office.objects.create(slug=slug, nama=nama, bidang="1.06", periode="2021-2026")
    office.folder.mkdir(parents=True)
    shutil.copytree(content_repo, office.content, symlinks=True)
    return office


def make_user(username: str, role: str, office=None, superuser: bool = False, name: str = ""):
    from django.contrib.auth.models import User

    from renstra_gen.web.kantor.models import Profile

    first, _, last = (name or username.title()).partition(" ")
    if superuser:
        user = User.objects.create_superuser(username, f"{username}@contoh.go.id", "kata-sandi-uji-1", first_name=first,
                                             last_name=last)
    else:
        user = User.objects.create_user(username, f"{username}@contoh.go.id", "kata-sandi-uji-1", first_name=first,
                                        last_name=last)
    Profile.objects.create(user=user, role=role, office=office)
    return user


@pytest.fixture
def world(db, data, content_repo):
    """Two offices (demo, lain) and an account of every role."""
    demo = make_office("demo", content_repo, "Dinas Sosial Kabupaten Belu")
    lain = make_office("lain", content_repo, "Dinas Lain")
    return {
        "demo": demo, "lain": lain,
        "admin": make_user("admin", "admin", superuser=True, name="Admin Bappeda"),
        "penyusun": make_user("penyusun", "penyusun", demo, name="Ani Penyusun"),
        "penyusun2": make_user("penyusun2", "penyusun", demo, name="Budi Penyusun"),
        "verifikator": make_user("verifikator", "verifikator", name="Vera Verifikator"),
        "kepala": make_user("kepala", "kepala", demo, name="Kepala Dinas"),
        "orang_lain": make_user("oranglain", "penyusun", lain, name="Orang Lain"),
        "kepala_lain": make_user("kepalalain", "kepala", lain, name="Kepala Lain"),
    }


@pytest.fixture
def login(client):
    def _login(user, c=None):
        c = c or client
        c.force_login(user)
        return c
    return _login
