"""Ruang kerja: the web workspace (Django) on top of the same workflows as the CLI (see engine.py)."""
