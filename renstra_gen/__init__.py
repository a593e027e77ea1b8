"""renstra-gen: the Renstra Perangkat Daerah regenerated from content files."""

__version__ = "0.1.0"
