"""The user's cache of work that does not depend on anything but its input: drawn figures and
compiled narrative templates, each stored under a hash of what produced it.

RENSTRA_CACHE_DIR sets the folder (default: $XDG_CACHE_HOME/renstra-gen or ~/.cache/renstra-gen);
RENSTRA_NO_CACHE=1 turns the cache off. A cache that cannot be read or written only costs time.
"""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir(kind: str) -> Path | None:
    """The folder for one kind of cached item ("figures", "jinja"), or None when caching is off."""
    if os.environ.get("RENSTRA_NO_CACHE") == "1":
        return None
    if os.environ.get("RENSTRA_CACHE_DIR"):
        return Path(os.environ["RENSTRA_CACHE_DIR"]) / kind
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "renstra-gen" / kind
