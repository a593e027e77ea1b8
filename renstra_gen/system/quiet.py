"""Third-party warnings kept from the user: each one filtered by its exact words and the library
that raises it, so that anything else a library says still shows.

(Pipeline: system/ - process setup shared by every command.)"""

from __future__ import annotations

import contextlib
import logging
import warnings


def third_party_warnings() -> None:
    """Filters for what libraries say on every run although nothing is wrong with the user's work.

    - pyHanko imports cryptography's DSA key class to recognise DSA signatures; cryptography 45+
      warns "DSA is deprecated" at that import (CryptographyDeprecationWarning, a UserWarning),
      on every `build --pdf`, `tandatangan` and `periksa-ttd`. The tool never signs with DSA."""
    warnings.filterwarnings("ignore", message="DSA is deprecated", category=UserWarning, module=r"pyhanko(\.|$)")


@contextlib.contextmanager
def pypdf_quiet():
    """pypdf reading a PDF that is slightly off (no "%%EOF" marker, a broken xref it repairs) logs a
    warning to stderr through Python's last-resort handler; the tool says itself what matters
    (attachments.pdf_pages), so pypdf's own records below ERROR are dropped while it reads."""
    log = logging.getLogger("pypdf")
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        yield
    finally:
        log.setLevel(level)
