"""Electronic signature (TTE) of the final PDF: the empty fields, signing, and verifying signatures."""

import logging

from renstra_gen.system.quiet import third_party_warnings

third_party_warnings()  # before any module of this package imports pyHanko

# pyHanko, its certificate validator and fontTools log expected conditions (a certificate without
# a path to a trust root, a font table they do not subset) with tracebacks; our findings say what
# matters, so their records go nowhere instead of to Python's last-resort stderr handler.
for _name in ("pyhanko", "pyhanko_certvalidator", "fontTools"):
    logging.getLogger(_name).addHandler(logging.NullHandler())
