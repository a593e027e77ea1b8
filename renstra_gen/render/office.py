"""A warm LibreOffice for repeated conversions: started on first use, kept for a while, restarted when it dies.

    from renstra_gen.render.office import Office
    pdf, lists = Office().convert(docx_bytes, lists=True)

One office per state folder (by default the user's cache folder, `office/`): a supervisor
(office_server.py, under the Python that has `uno`) runs LibreOffice on a profile of its own and
serves conversions over a Unix socket in that private folder. A lock file makes conversions take
turns, so two builds (or two workers of the workspace) at once share it safely; each conversion
has a timeout, after which the supervisor and its LibreOffice are killed and the next conversion
starts a new pair; a pair that died (LibreOffice killed or crashed) is replaced and the conversion
tried once more. After `idle` seconds without a conversion the supervisor ends LibreOffice and
exits, so an edit followed by `renstra build --pdf` again skips LibreOffice's start while nothing
stays behind for long. RENSTRA_OFFICE_IDLE (seconds, default 600) sets it for the CLI; 0 ends the
office after each conversion.

An incremental conversion (convert(incremental=True)) keeps the converted document loaded in the
office; the next one, when only run texts changed (render/text_edits.py), applies them to it
instead of loading the .docx anew. RENSTRA_OFFICE_INCREMENTAL=0 turns this off (every conversion
loads its .docx).
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from renstra_gen.errors import ConversionError

SERVER = Path(__file__).with_name("office_server.py")
IDLE = 600.0
START_SECONDS = 90.0  # LibreOffice's first start on a new profile


INSTALL_HINT = "apt-get install libreoffice-writer-nogui libreoffice-math-nogui python3-uno"


def find_soffice() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        raise ConversionError(f"LibreOffice tidak terpasang; pasang dengan: {INSTALL_HINT}")
    program = Path(os.path.realpath(exe)).parent
    if not any(program.glob("libsmlo.so*")) and not any(program.glob("*sm*.dll")):
        raise ConversionError("modul rumus LibreOffice (Math) tidak terpasang, persamaan akan hilang dari PDF; "
                              "pasang dengan: apt-get install libreoffice-math-nogui")
    return exe


@functools.lru_cache(maxsize=None)
def _has_uno(python: str) -> bool:
    return subprocess.run([python, "-c", "import uno"], capture_output=True, timeout=30).returncode == 0


def find_uno_python() -> str:
    for cand in (os.environ.get("RENSTRA_UNO_PYTHON"), "/usr/bin/python3", shutil.which("python3")):
        if cand and Path(cand).exists():
            if _has_uno(cand):
                return cand
    raise ConversionError(f"modul Python 'uno' dari LibreOffice tidak ditemukan; pasang dengan: {INSTALL_HINT}")


class _Died(Exception):
    """The office went away before answering (killed, crashed, or never started)."""


def default_idle() -> float:
    try:
        return max(float(os.environ.get("RENSTRA_OFFICE_IDLE", IDLE)), 0.0)
    except ValueError:
        return IDLE


def default_state() -> Path:
    """The user's office folder: RENSTRA_OFFICE_DIR (a worker of the workspace has its own office),
    else in the private cache folder, else a private folder in the temporary one."""
    from renstra_gen.system.cache import cache_dir

    if os.environ.get("RENSTRA_OFFICE_DIR"):
        return Path(os.environ["RENSTRA_OFFICE_DIR"])
    folder = cache_dir("office")
    if folder is None:
        folder = Path(tempfile.gettempdir()) / f"renstra-office-{os.getuid()}"
        folder.mkdir(mode=0o700, exist_ok=True)
        st = folder.stat()
        if st.st_uid != os.getuid() or st.st_mode & 0o077:
            raise ConversionError(f"folder {folder} bukan milik pengguna ini atau dapat ditulis orang lain")
    return folder


class Office:
    """One warm LibreOffice per state folder (see the module's docstring)."""

    def __init__(self, state: Path | None = None, idle: float | None = None, soffice: str | None = None,
                 python: str | None = None):
        self.state = Path(state) if state is not None else default_state()
        self.state.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.idle = default_idle() if idle is None else idle
        self._soffice, self._python = soffice, python

    # -- the API

    def convert(self, docx: bytes, *, lists: bool = False, timeout: float = 600,
                timings: list | None = None, incremental: bool = False,
                info: dict | None = None) -> tuple[bytes, list[list[str]] | None]:
        """The PDF of the .docx (and, if asked, what its Daftar Isi/Tabel/Gambar/Lampiran lists hold).

        `timings` receives LibreOffice's steps (load, index updates, export...) with their seconds.
        With `incremental` the office keeps the document loaded afterwards, and when it still holds
        the previous one (converted with `incremental`) and only run texts changed since
        (render/text_edits.py), it applies the changed texts instead of loading the .docx anew.
        Such a PDF must be proved against `docx` and, if that fails, converted again without
        `incremental` (workflows/pdf.py). `info["incremental"]` says which it was."""
        with tempfile.TemporaryDirectory(prefix="renstra-lo-") as tmp:
            tmp_path = Path(tmp)
            src, pdf, out_lists = tmp_path / "in.docx", tmp_path / "out.pdf", tmp_path / "lists.json"
            src.write_bytes(docx)
            request = {"src": str(src), "pdf": str(pdf), "lists": str(out_lists) if lists else None}
            deadline = time.monotonic() + timeout
            incremental = incremental and os.environ.get("RENSTRA_OFFICE_INCREMENTAL") != "0"
            with self._turn():
                held = self.state / "held.docx"  # what the office holds loaded (when its hash matches)
                if incremental:
                    request.update(self._edits(held, docx))
                else:
                    _unlink(held)
                why = ""
                for _ in range(2):  # a dead or failing office is replaced once
                    try:
                        self._ensure(deadline, timeout)
                        answer = self._ask(request, deadline, timeout)
                    except _Died as e:
                        why = str(e)
                        self._kill()
                        request = {k: v for k, v in request.items() if k not in ("base", "edits", "counts")}
                        continue
                    if answer.get("ok") and pdf.exists():
                        if timings is not None:
                            timings.extend(tuple(t) for t in answer.get("timings", []))
                        if info is not None:
                            info["incremental"] = bool(answer.get("incremental"))
                        if incremental:
                            _write_private(held, docx)
                        return pdf.read_bytes(), (json.loads(out_lists.read_text(encoding="utf-8"))
                                                  if lists else None)
                    why = answer.get("error") or "PDF tidak dibuat"
                    self._kill()
                    request = {k: v for k, v in request.items() if k not in ("base", "edits", "counts")}
                raise ConversionError(f"LibreOffice gagal mengubah dokumen ke PDF: {why}")

    @staticmethod
    def _edits(held: Path, docx: bytes) -> dict:
        """The request's part for an incremental conversion: the new document's hash (the office keeps
        it loaded), and, when only run texts changed since the one it holds, the edits."""
        from renstra_gen.render.text_edits import counts, text_edits

        out: dict = {"sha": hashlib.sha256(docx).hexdigest()}
        try:
            old = held.read_bytes()
        except OSError:
            return out
        finally:
            _unlink(held)  # until this conversion succeeds, nothing is held for certain
        try:
            edits = text_edits(old, docx)
        except Exception:  # noqa: BLE001 - a .docx edited by hand that the diff cannot read: convert in full
            edits = None
        if edits is not None:
            out.update(base=hashlib.sha256(old).hexdigest(), edits=[e.as_list() for e in edits],
                       counts=counts(edits))
        return out

    def running(self) -> dict | None:
        """The supervisor's and LibreOffice's process ids when this office is up, else None."""
        info = self._info()
        if info and self._alive(info.get("server"), "office_server") and self._connectable():
            return info
        return None

    def stop(self) -> None:
        """End the office now (a conversion under way in another process waits for its turn first)."""
        with self._turn():
            self._kill()

    # -- the parts

    @contextmanager
    def _turn(self):
        with open(self.state / "lock", "a+b") as f:
            fcntl.flock(f, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(f, fcntl.LOCK_UN)

    def _info(self) -> dict | None:
        try:
            return json.loads((self.state / "server.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def _connectable(self) -> bool:
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
                s.settimeout(2)
                s.connect(str(self.state / "sock"))
            return True
        except OSError:
            return False

    @staticmethod
    def _alive(pid, name: str) -> bool:
        """`pid` runs and is ours (its command line names `name`: a recycled pid is not killed)."""
        if not isinstance(pid, int) or pid <= 0:
            return False
        try:
            return name.encode() in Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            return False

    def _leftovers(self) -> list[int]:
        """Live processes of this user that are this office's: its supervisor, or a LibreOffice on its profile."""
        server = (b"office_server", str(self.state).encode())
        profile = b"-env:UserInstallation=" + (self.state / "profile").as_uri().encode()
        out = []
        for proc in Path("/proc").iterdir():
            if not proc.name.isdigit() or int(proc.name) == os.getpid():
                continue
            try:
                if proc.stat().st_uid != os.getuid():
                    continue
                cmdline = (proc / "cmdline").read_bytes()
            except OSError:
                continue
            if profile in cmdline or all(m in cmdline for m in server):
                out.append(int(proc.name))
        return out

    def _kill(self) -> None:
        """End the supervisor and its LibreOffice (whole process groups), whatever state they are in."""
        info = self._info() or {}
        marks = {"server": "office_server", "office": (self.state / "profile").as_uri()}
        for key, name in marks.items():
            pid = info.get(key)
            if self._alive(pid, name):
                try:
                    os.killpg(pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
        # until every process of this office is gone (LibreOffice's soffice.bin, a child of the
        # pid recorded, takes a moment to exit): the next start must not meet them on the profile
        deadline = time.monotonic() + 10
        while (left := self._leftovers()) and time.monotonic() < deadline:
            for pid in left:
                try:
                    os.kill(pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
            time.sleep(0.05)
        for name in ("server.json", "sock", "held.docx"):
            try:
                (self.state / name).unlink()
            except OSError:
                pass

    def _ensure(self, deadline: float, timeout: float) -> None:
        if self.running():
            return
        self._kill()  # what is left of a pair that died

        soffice = self._soffice or find_soffice()
        python = self._python or find_uno_python()
        try:
            (self.state / "server.json").unlink()
        except OSError:
            pass
        with open(self.state / "server.log", "wb") as log:
            # the supervisor forks away at once (adopted by init, never a zombie of this process)
            subprocess.run([python, str(SERVER), str(self.state), soffice, str(self.idle)],
                           stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, close_fds=True,
                           timeout=30)
        limit = min(deadline, time.monotonic() + START_SECONDS)
        started = time.monotonic()
        while time.monotonic() < limit:
            info = self._info()
            if info and info.get("ready"):
                return
            if (info or time.monotonic() - started > 5) and not self._alive((info or {}).get("server"),
                                                                               "office_server"):
                last = (self.state / "server.log").read_text("utf-8", "replace").strip().splitlines()
                raise _Died(last[-1] if last else "LibreOffice tidak dapat dijalankan")
            time.sleep(0.05)
        if time.monotonic() >= deadline:
            self._kill()
            raise ConversionError(f"LibreOffice tidak selesai dalam {timeout:g} detik; proses dihentikan")
        raise _Died(f"LibreOffice tidak siap dalam {START_SECONDS:.0f} detik")

    def _ask(self, request: dict, deadline: float, timeout: float) -> dict:
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
                s.settimeout(max(deadline - time.monotonic(), 0.001))
                s.connect(str(self.state / "sock"))
                s.sendall((json.dumps(request) + "\n").encode("utf-8"))
                answer = b""
                while not answer.endswith(b"\n"):
                    s.settimeout(max(deadline - time.monotonic(), 0.001))
                    chunk = s.recv(65536)
                    if not chunk:
                        raise _Died("LibreOffice berhenti sebelum selesai")
                    answer += chunk
        except socket.timeout as e:
            self._kill()  # a hung LibreOffice: the next conversion starts a new one
            raise ConversionError(f"LibreOffice tidak selesai dalam {timeout:g} detik; proses dihentikan") from e
        except (ConnectionError, FileNotFoundError) as e:
            raise _Died(f"LibreOffice tidak dapat dihubungi ({e.strerror or e})") from e
        return json.loads(answer)


def _unlink(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


def _write_private(path: Path, data: bytes) -> None:
    """Write atomically in the office's private folder (a cache: a failure costs the next conversion time)."""
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except OSError:
        pass


_shared: dict[Path, Office] = {}


def shared_office() -> Office:
    """The user's office (one per state folder in this process)."""
    state = default_state()
    if state not in _shared:
        _shared[state] = Office(state)
    return _shared[state]
