"""The warm LibreOffice's supervisor; runs under the Python that has `uno` (office.py starts it).

    python3 office_server.py STATE_DIR SOFFICE IDLE_SECONDS

Starts LibreOffice in a session of its own on the profile STATE_DIR/profile, then serves one
conversion per connection on the Unix socket STATE_DIR/sock: a JSON line {"src", "pdf", "lists"}
(paths; and for an incremental conversion "sha", "base", "edits", "counts": uno_client.convert) is
answered by {"ok": true, "timings": [...], "incremental": bool} or {"error": "...", "died": bool}.
The last document converted with a "sha" stays loaded until the next conversion (at most one). Once
ready it writes STATE_DIR/server.json ({"server": pid, "office": pid, "ready": true}).

It ends LibreOffice and exits after IDLE_SECONDS without a request, on SIGTERM, and as soon as
LibreOffice dies (the next conversion starts a new pair). Only the standard library and uno.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import uno_client


def start_office(soffice, state):
    pipe = f"renstra_office_{os.getpid()}_{int(time.time() * 1000)}"
    profile = state / "profile"
    try:
        (profile / ".lock").unlink()  # a lock left by a LibreOffice that was killed (no other uses this profile)
    except OSError:
        pass
    office = subprocess.Popen(
        [soffice, "--headless", "--invisible", "--nologo", "--norestore", "--nodefault",
         f"-env:UserInstallation={profile.as_uri()}", f"--accept=pipe,name={pipe};urp;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    write_atomic(state / "server.json", {"server": os.getpid(), "office": office.pid, "ready": False})
    ctx = uno_client.connect(pipe)
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    return office, desktop


def stop_office(office, desktop):
    try:
        desktop.terminate()
    except Exception:
        pass  # the bridge drops as LibreOffice exits
    try:
        office.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass
    if office.poll() is None:
        try:
            os.killpg(office.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        office.wait()


def write_atomic(path, data):
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data), encoding="utf-8")
    os.replace(tmp, path)


def serve(state, soffice, idle):
    state = Path(state)
    sock_path = state / "sock"
    try:
        sock_path.unlink()
    except OSError:
        pass
    office, desktop = start_office(soffice, state)
    held = {}  # the document left loaded for an incremental conversion (uno_client.convert)
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(1))
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(sock_path))
    server.listen(4)
    server.settimeout(1.0)
    write_atomic(state / "server.json", {"server": os.getpid(), "office": office.pid, "ready": True, "idle": idle})
    deadline = time.monotonic() + max(idle, 60)  # the client that started it asks within seconds
    try:
        while not stopping and office.poll() is None and time.monotonic() < deadline:
            try:
                conn, _ = server.accept()
            except socket.timeout:
                continue
            with conn:
                conn.settimeout(None)
                request = b""
                while not request.endswith(b"\n"):
                    chunk = conn.recv(65536)
                    if not chunk:
                        break
                    request += chunk
                answer, died = handle(desktop, request, office, held)
                try:
                    conn.sendall((json.dumps(answer) + "\n").encode("utf-8"))
                except OSError:
                    pass  # the client gave up (its timeout ends this process too)
            deadline = time.monotonic() + idle
            if died:
                break
    finally:
        server.close()
        for path in (sock_path, state / "server.json"):
            try:
                path.unlink()
            except OSError:
                pass
        if office.poll() is None:
            uno_client.release(held)
        stop_office(office, desktop)


def handle(desktop, request, office, held):
    try:
        req = json.loads(request)
    except ValueError:
        return {"error": "permintaan tidak terbaca", "died": False}, False
    timings = []
    try:
        incremental = uno_client.convert(desktop, req["src"], req["pdf"], req.get("lists"), timings, held,
                                         req.get("base"), req.get("edits"), req.get("counts"), req.get("sha"))
    except Exception as e:  # noqa: BLE001 - any UNO failure is reported to the client
        uno_client.release(held)
        died = office.poll() is not None or type(e).__name__ in ("DisposedException", "RuntimeException")
        return {"error": f"{type(e).__name__}: {e}".strip(), "died": died}, died
    return {"ok": True, "timings": timings, "incremental": incremental}, False


def detach(state):
    """Fork away from the process that started this one into a session of its own; that process
    returns once server.json says who runs (not ready yet), so whoever started it can always end it."""
    r, w = os.pipe()
    if os.fork():
        os.close(w)
        os.read(r, 1)
        os._exit(0)
    os.close(r)
    os.setsid()
    write_atomic(Path(state) / "server.json", {"server": os.getpid(), "office": None, "ready": False})
    os.write(w, b"1")
    os.close(w)


if __name__ == "__main__":
    detach(sys.argv[1])
    serve(sys.argv[1], sys.argv[2], float(sys.argv[3]))
