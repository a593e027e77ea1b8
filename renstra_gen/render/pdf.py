"""The .docx as a print-ready PDF through LibreOffice headless, driven over UNO.

A private LibreOffice profile per run (no clash with an office the user has open, no stale lock),
indexes and fields updated before export, PDF/A-2b with tagged structure, and a timeout that ends
a hung converter. Returns bytes; the build writes them atomically like every output.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

from renstra_gen.errors import ConversionError

CLIENT = Path(__file__).with_name("uno_client.py")
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


def find_uno_python() -> str:
    for cand in (os.environ.get("RENSTRA_UNO_PYTHON"), "/usr/bin/python3", shutil.which("python3")):
        if cand and Path(cand).exists():
            ok = subprocess.run([cand, "-c", "import uno"], capture_output=True, timeout=30)
            if ok.returncode == 0:
                return cand
    raise ConversionError(f"modul Python 'uno' dari LibreOffice tidak ditemukan; pasang dengan: {INSTALL_HINT}")


def docx_to_pdf(docx: bytes, timeout: float = 600, lists: bool = False) -> tuple[bytes, list[list[str]] | None]:
    """Convert .docx bytes; returns (pdf bytes, the updated lists if asked: for each Daftar Isi/Tabel/
    Gambar/Lampiran in document order, the text of each entry as LibreOffice filled it, "title\tpage").

    A first start of LibreOffice on a fresh profile occasionally drops the connection; a failed
    attempt (not a time-out) is retried once before it is reported."""
    soffice = find_soffice()
    python = find_uno_python()
    try:
        return _convert(soffice, python, docx, timeout, lists)
    except _Failed:
        try:
            return _convert(soffice, python, docx, timeout, lists)
        except _Failed as e:
            raise ConversionError(f"LibreOffice gagal mengubah dokumen ke PDF: {e}") from e


class _Failed(Exception):
    pass


def _convert(soffice: str, python: str, docx: bytes, timeout: float, lists: bool) -> tuple[bytes, list[list[str]] | None]:
    from renstra_gen.scratch import scratch_dir

    with scratch_dir("lo") as tmp:  # a killed run's profile and copy are swept by the next conversion
        tmp_path = tmp
        src, pdf, out_lists = tmp_path / "in.docx", tmp_path / "out.pdf", tmp_path / "lists.json"
        src.write_bytes(docx)
        pipe = f"renstra_{os.getpid()}_{int(time.time() * 1000)}"
        office = subprocess.Popen(
            [soffice, "--headless", "--invisible", "--nologo", "--norestore", "--nodefault",
             f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", f"--accept=pipe,name={pipe};urp;"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            args = [python, str(CLIENT), pipe, str(src), str(pdf)] + ([str(out_lists)] if lists else [])
            try:
                done = subprocess.run(args, capture_output=True, text=True, timeout=timeout)
            except subprocess.TimeoutExpired as e:
                raise ConversionError(f"LibreOffice tidak selesai dalam {timeout:.0f} detik; proses dihentikan") from e
            if done.returncode != 0 or not pdf.exists():
                last = (done.stderr.strip().splitlines() or [f"kode keluar {done.returncode}"])[-1]
                raise _Failed(last)
            try:
                office.wait(timeout=30)
            except subprocess.TimeoutExpired:
                pass
            return pdf.read_bytes(), (json.loads(out_lists.read_text(encoding="utf-8")) if lists else None)
        finally:
            if office.poll() is None:
                os.killpg(office.pid, signal.SIGKILL)
                office.wait()
