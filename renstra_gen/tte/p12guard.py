"""A PKCS#12 file opened with bounded work: a cap on its key-derivation iterations and a timeout.

A .p12 names how many times its password is hashed (the MAC's and each encrypted bag's key
derivation); 2^31-1 rounds hang the process for hours. Before the file reaches OpenSSL, every
iteration count that can be read without the password is checked against ITERATIONS (real
certificates use 2,048 to 600,000), and the password is then tried once in a child process that is
killed after SECONDS (a count hidden inside an encrypted bag, or a very slow machine)."""

from __future__ import annotations

import os
import signal
import time

#: Most key-derivation rounds accepted per derivation (OpenSSL 3 and Windows export 2,048-600,000).
ITERATIONS = 1_000_000
#: Longest a certificate may take to open (the password check of a real one takes milliseconds).
SECONDS = 10.0


class BoundError(ValueError):
    """The file asks for more work than allowed (message in Indonesian)."""


def iteration_counts(data: bytes) -> list[int]:
    """Every key-derivation iteration count readable without the password (MAC, encrypted bags,
    shrouded keys in plain bags); ValueError when the file is not PKCS#12."""
    from asn1crypto import pkcs12, tsp  # noqa: F401 - tsp first: asn1crypto caches its OID
    # names on first use, and a cache made before tsp registers 'tst_info' breaks time stamps later

    pfx = pkcs12.Pfx.load(data)
    counts = []
    mac = pfx["mac_data"]
    if mac.native is not None:
        counts.append(int(mac["iterations"].native))
    auth = pfx["auth_safe"]
    if auth["content_type"].native != "data":
        return counts
    safe = pkcs12.AuthenticatedSafe.load(auth["content"].native)
    for info in safe:
        kind = info["content_type"].native
        if kind == "encrypted_data":
            alg = info["content"]["encrypted_content_info"]["content_encryption_algorithm"]
            counts.append(int(alg.kdf_iterations))
        elif kind == "data":
            for bag in pkcs12.SafeContents.load(info["content"].native):
                if bag["bag_id"].native == "pkcs8_shrouded_key_bag":
                    counts.append(int(bag["bag_value"]["encryption_algorithm"].kdf_iterations))
    return counts


def check_bounds(data: bytes) -> None:
    """BoundError when any readable iteration count is above ITERATIONS."""
    try:
        counts = iteration_counts(data)
    except (ValueError, TypeError, KeyError, AttributeError, OverflowError):
        return  # not parseable here: OpenSSL will say it is not a certificate (still under the timeout)
    worst = max(counts, default=0)
    if worst > ITERATIONS:
        raise BoundError(f"meminta {worst:,} putaran penurunan kunci (paling banyak {ITERATIONS:,}); "
                         "berkas ini tidak dibuka".replace(",", "."))


def within_time(data: bytes, password: bytes | None, seconds: float = SECONDS) -> None:
    """Open the file once in a child process; BoundError if that takes longer than `seconds`.

    The child only tries: its result (key objects) is not sent back; the parent opens the file
    itself afterwards, knowing that it ends."""
    from cryptography.hazmat.primitives.serialization import pkcs12

    pid = os.fork()
    if pid == 0:  # the child: no cleanup of the parent's state, just the verdict
        code = 0
        try:
            pkcs12.load_key_and_certificates(data, password)
        except BaseException:  # noqa: BLE001 - the parent learns the error by opening it itself
            code = 1
        os._exit(code)
    deadline = time.monotonic() + seconds
    while True:
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            return
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            raise BoundError(f"tidak selesai dibuka dalam {seconds:g} detik; berkas ini tidak dibuka")
        time.sleep(0.01)
