"""Allows `python -m renstra_gen`."""

from renstra_gen.cli import run

run()
