"""All-or-nothing writes: old-or-new complete sets under SIGKILL, no stray temporaries, modes, locks."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from openpyxl import load_workbook

from renstra_gen.system import atomic
from renstra_gen.system.atomic import FAULT_ENV, STORE, publish, replace_files
from renstra_gen.errors import OutputError
from tests.helpers import folder_state

ROOT = Path(__file__).resolve().parents[2]
SLUG = "renstra-arsip-kota-contoh"
SET = (f"{SLUG}.docx", f"{SLUG}-tabel.xlsx")


def renstra(*args: str, fault: int | None = None, cwd: Path | None = None,
            strace: bool = False) -> subprocess.CompletedProcess:
    """Run the CLI; with `fault`, SIGKILL at the fault-th rename (our hook, or strace's syscall injection)."""
    env = dict(os.environ)
    env.pop(FAULT_ENV, None)
    command = [sys.executable, "-m", "renstra_gen", *args]
    if fault is not None and strace:
        calls = "rename,renameat,renameat2"
        command = ["strace", "-f", "-o", os.devnull, "-e", f"trace={calls}",
                   "-e", f"inject={calls}:signal=SIGKILL:when={fault}", *command]
    elif fault is not None:
        env[FAULT_ENV] = str(fault)
    r = subprocess.run(command, env=env, cwd=cwd or ROOT, capture_output=True, text=True, timeout=300)
    if strace and r.returncode == 128 + 9:
        r.returncode = -9  # strace exits as its killed child did
    return r


def revised(minimal: Path, dst: Path) -> Path:
    """The minimal content with one sub kegiatan pagu changed: both the .docx and the .xlsx differ."""
    shutil.copytree(minimal, dst)
    program = dst / "tabel" / "program.yaml"
    program.write_text(program.read_text().replace("2027: 85000000", "2027: 86500000"))
    return dst


def read_set(out: Path) -> tuple[bytes | None, ...]:
    return tuple((out / n).read_bytes() if (out / n).exists() else None for n in SET)


def assert_clean(out: Path) -> None:
    """Only the set's links and one complete version behind one pointer: nothing left over."""
    assert sorted(p.name for p in out.iterdir()) == sorted([STORE, *SET])
    store = sorted(p.name for p in (out / STORE).iterdir())
    assert len(store) == 2 and store[0] == SLUG and store[1].startswith(f"{SLUG}."), store
    assert sorted(p.name for p in (out / STORE / store[1]).iterdir()) == sorted(SET)


WAYS = ["hook", pytest.param("strace", marks=pytest.mark.skipif(shutil.which("strace") is None,
                                                              reason="strace not installed"))]


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize("start", ["links", "plain files of an earlier version"])
def test_a_kill_at_every_rename_of_a_build_leaves_the_old_or_the_new_set(minimal, tmp_path, start, way):
    new_content = revised(minimal, tmp_path / "new-content")
    for name, content in (("old", minimal), ("new", new_content)):
        assert renstra("build", "--content", str(content), "--out", str(tmp_path / name)).returncode == 0
    old, new = read_set(tmp_path / "old"), read_set(tmp_path / "new")
    assert old[0] != new[0] and old[1] != new[1]
    killed = 0
    for n in range(1, 20):
        out = tmp_path / f"out{n}"
        shutil.copytree(tmp_path / "old", out, symlinks=start == "links")
        r = renstra("build", "--content", str(new_content), "--out", str(out), fault=n, strace=way == "strace")
        state = read_set(out)
        if r.returncode == 0:  # no n-th rename: every rename was tried
            assert state == new
            break
        assert r.returncode == -9, r.stderr
        killed += 1
        assert state in (old, new), f"rename {n}: a missing file or a mixed set"
        assert renstra("build", "--content", str(new_content), "--out", str(out)).returncode == 0  # the next run
        assert read_set(out) == new
        assert_clean(out)
    assert killed >= (1 if start == "links" else 4)


@pytest.mark.parametrize("way", WAYS)
def test_a_kill_at_every_rename_of_a_two_file_import_leaves_the_old_or_the_new_set(minimal, tmp_path, way):
    assert renstra("build", "--content", str(minimal), "--out", str(tmp_path / "out")).returncode == 0
    wb = load_workbook(tmp_path / "out" / f"{SLUG}-tabel.xlsx")
    wb["Tabel 2.1"]["K9"] = 86500000  # tabel/program.yaml
    wb["Tabel 3.1"]["E6"] = 66  # indikator.yaml
    wb.save(tmp_path / "edited.xlsx")
    files = ("tabel/program.yaml", "indikator.yaml")
    done = tmp_path / "done"
    shutil.copytree(minimal, done)
    assert renstra("import-xlsx", str(tmp_path / "edited.xlsx"), "--content", str(done)).returncode == 0
    old = tuple((minimal / f).read_bytes() for f in files)
    new = tuple((done / f).read_bytes() for f in files)
    assert old[0] != new[0] and old[1] != new[1]
    killed = 0
    for n in range(1, 20):
        content = tmp_path / f"c{n}"
        shutil.copytree(minimal, content)
        r = renstra("import-xlsx", str(tmp_path / "edited.xlsx"), "--content", str(content), fault=n,
                    strace=way == "strace")
        if r.returncode == 0:
            break
        assert r.returncode == -9, r.stderr
        killed += 1
        assert all((content / f).is_file() for f in files), f"rename {n}: a content file is missing"
        assert renstra("check", "--content", str(content)).returncode == 0  # the next run finishes or undoes it
        assert tuple((content / f).read_bytes() for f in files) in (old, new), f"rename {n}: a mixed set"
        left = [p for p in content.rglob(".*") if p.is_file() and p.name != ".renstra-kunci"]  # (the record key)
        assert left == [], left
    assert killed >= 4


def test_outputs_follow_the_umask_and_keep_the_mode_of_the_file_they_replace(tmp_path):
    mask = os.umask(0o022)
    try:
        publish(tmp_path, "g", {"a.docx": b"1", "a.xlsx": b"1"})
        assert oct((tmp_path / "a.docx").stat().st_mode & 0o777) == oct(0o644)
        os.chmod(tmp_path / "a.xlsx", 0o664)
        publish(tmp_path, "g", {"a.docx": b"2", "a.xlsx": b"2"})
        assert oct((tmp_path / "a.xlsx").stat().st_mode & 0o777) == oct(0o664)
        assert oct((tmp_path / "a.docx").stat().st_mode & 0o777) == oct(0o644)
        os.umask(0o027)
        publish(tmp_path / "b", "g", {"a.docx": b"1"})
        assert oct((tmp_path / "b" / "a.docx").stat().st_mode & 0o777) == oct(0o640)
        content = tmp_path / "c"
        content.mkdir()
        (content / "x.yaml").write_text("a: 1\n")
        os.chmod(content / "x.yaml", 0o664)
        replace_files(content, {content / "x.yaml": b"a: 2\n"})
        assert oct((content / "x.yaml").stat().st_mode & 0o777) == oct(0o664)
    finally:
        os.umask(mask)


def test_a_symlinked_content_file_is_written_through_its_link(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "indikator.yaml").write_text("a: 1\n")
    content = tmp_path / "content"
    content.mkdir()
    (content / "indikator.yaml").symlink_to(shared / "indikator.yaml")
    replace_files(content, {content / "indikator.yaml": b"a: 2\n"})
    assert (content / "indikator.yaml").is_symlink()
    assert (shared / "indikator.yaml").read_text() == "a: 2\n"
    assert [p.name for p in shared.iterdir()] == ["indikator.yaml"]


def test_a_full_disk_leaves_the_old_files_and_no_temporaries(tmp_path, monkeypatch):
    publish(tmp_path / "out", "g", {"a.docx": b"old", "a.xlsx": b"old"})
    content = tmp_path / "content"
    (content / "tabel").mkdir(parents=True)
    (content / "indikator.yaml").write_text("a: 1\n")
    (content / "tabel" / "p.yaml").write_text("b: 1\n")
    before = folder_state(tmp_path)
    real_write = os.write
    calls = []

    def full(fd, data):
        calls.append(fd)
        if len(calls) >= 2:  # the first file fits, the second does not
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(OutputError, match="ruang penyimpanan penuh"):
        publish(tmp_path / "out", "g", {"a.docx": b"new", "a.xlsx": b"new"})
    calls.clear()
    with pytest.raises(OutputError, match="tidak ada berkas yang diubah"):
        replace_files(content, {content / "indikator.yaml": b"a: 2\n", content / "tabel" / "p.yaml": b"b: 2\n"})
    monkeypatch.undo()
    assert folder_state(tmp_path) == before


def test_stale_temporaries_of_killed_runs_and_older_versions_are_removed(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    for stale in (".a.docx.1234.bak", ".a.docx.k2_x9q.tmp", ".a.xlsx.ab12cd34.tmp"):
        (out / stale).write_bytes(b"x")
    (out / "a.docx").write_bytes(b"old")  # a plain output of an earlier version
    (out / "catatan.txt").write_text("milik pengguna")
    publish(out, "g", {"a.docx": b"1", "a.xlsx": b"1"})
    (out / STORE / "g.deadbeef0000").mkdir()  # a version a killed run staged but never switched to
    (out / STORE / ".g.12345678.tmp").symlink_to("g.deadbeef0000")
    publish(out, "g", {"a.docx": b"2", "a.xlsx": b"2"})
    assert sorted(p.name for p in out.iterdir()) == [STORE, "a.docx", "a.xlsx", "catatan.txt"]
    assert len(list((out / STORE).iterdir())) == 2
    assert (out / "a.docx").read_bytes() == b"2"


def test_a_build_without_a_file_of_the_previous_set_drops_it_and_renstra_pdf_adds_to_the_set(tmp_path):
    publish(tmp_path, "g", {"a.docx": b"1", "a.xlsx": b"1", "a.pdf": b"1"})
    publish(tmp_path, "g", {"a.docx": b"2", "a.xlsx": b"2"})
    assert not (tmp_path / "a.pdf").exists() and not (tmp_path / "a.pdf").is_symlink()  # no stale PDF of build 1
    publish(tmp_path, "g", {"a.pdf": b"2"}, keep_others=True)
    assert [(tmp_path / n).read_bytes() for n in ("a.docx", "a.xlsx", "a.pdf")] == [b"2", b"2", b"2"]


def test_concurrent_builds_into_one_folder_all_succeed_and_leave_one_complete_set(tmp_path):
    errors = []

    def one(i: int) -> None:
        try:
            publish(tmp_path, "g", {"a.docx": b"%d" % i, "a.xlsx": b"%d" % i})
        except Exception as e:  # noqa: BLE001 - collected for the assertion
            errors.append(e)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(200)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert (tmp_path / "a.docx").read_bytes() == (tmp_path / "a.xlsx").read_bytes()
    assert len(list((tmp_path / STORE).iterdir())) == 2


def test_two_concurrent_cli_builds_into_one_folder_both_succeed(minimal, tmp_path):
    new_content = revised(minimal, tmp_path / "new-content")
    out = tmp_path / "out"
    env = {k: v for k, v in os.environ.items() if k != FAULT_ENV}
    procs = [subprocess.Popen([sys.executable, "-m", "renstra_gen", "build", "--content", str(c), "--out", str(out)],
                              cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for c in (minimal, new_content, minimal, new_content)]
    results = [(p.wait(timeout=300), p.stderr.read()) for p in procs]
    assert all(code == 0 for code, _ in results), results
    assert not any("hanya-baca" in err for _, err in results)
    assert_clean(out)


def test_a_read_only_output_is_named_and_nothing_changes(tmp_path):
    publish(tmp_path, "g", {"a.docx": b"1", "a.xlsx": b"1"})
    os.chmod(tmp_path / "a.xlsx", 0o444)
    before = folder_state(tmp_path)
    if os.access(tmp_path / "a.xlsx", os.W_OK):
        pytest.skip("running as a user who can write read-only files")
    with pytest.raises(OutputError, match="a.xlsx: berkas hanya-baca"):
        publish(tmp_path, "g", {"a.docx": b"2", "a.xlsx": b"2"})
    assert folder_state(tmp_path) == before


def test_a_failed_switch_keeps_the_old_set_and_leaves_nothing_behind(tmp_path, monkeypatch):
    publish(tmp_path, "g", {"a.docx": b"1", "a.xlsx": b"1"})
    before = folder_state(tmp_path)

    def refuse(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(atomic.os, "replace", refuse)
    with pytest.raises(OutputError, match="berkas keluaran sebelumnya tidak diubah"):
        publish(tmp_path, "g", {"a.docx": b"2", "a.xlsx": b"2"})
    monkeypatch.undo()
    assert folder_state(tmp_path) == before


def test_a_folder_without_symlinks_gets_plain_files_replaced_whole(tmp_path, monkeypatch):
    def no_symlinks(src, dst, *a, **k):
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(atomic.os, "symlink", no_symlinks)
    publish(tmp_path, "g", {"a.docx": b"1", "a.xlsx": b"1"})
    publish(tmp_path, "g", {"a.docx": b"2", "a.xlsx": b"2"})
    assert folder_state(tmp_path) == {"a.docx": b"2", "a.xlsx": b"2"}


def test_an_import_and_a_build_of_the_same_content_take_turns(minimal, tmp_path):
    """A build reads the content under a shared lock; an import writes it under an exclusive one."""
    import time

    from renstra_gen.system.atomic import locked
    from renstra_gen.workflows.build import prepare

    order = []

    def reader():
        prepare(minimal)
        order.append("read")

    with locked(minimal):  # an import in the middle of writing
        t = threading.Thread(target=reader)
        t.start()
        time.sleep(0.5)
        order.append("written")
    t.join()
    assert order == ["written", "read"]
