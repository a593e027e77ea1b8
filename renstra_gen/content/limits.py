"""The input budget: every size, count and time the tool accepts from content, in one place.

Each limit is well above what a real Renstra needs (the largest content tried, a province of
20,000 sub kegiatan, uses at most about half of any) and low enough that reaching it costs
seconds and a few hundred MB, not the machine (bench/bombs.py measures both sides). Going past one is a finding at file:line.
docs/content-format.md lists them for planners; keep the two in step.
"""

from __future__ import annotations

#: Bytes of one YAML content file (the 20,000-sub-kegiatan program table is 8 MB), and the values
#: (scalars, mappings, sequences, keys included) written in it (that table: 740,000).
YAML_BYTES = 16 * 1024 * 1024
YAML_VALUES = 2_000_000
#: Bytes of one Markdown file, and characters of its text after Jinja (a chapter of the
#: 20,000-sub-kegiatan content: 170 KB).
MARKDOWN_BYTES = 512 * 1024
#: Aliases (*name) in one YAML file, and the values (scalars, mappings, sequences) they may add
#: together once expanded (a 1.5 KB file of nested aliases stands for 10^6 sub kegiatan).
YAML_ALIASES = 10_000
YAML_ALIAS_VALUES = 100_000
#: Nesting of mappings and sequences in one YAML file (the program tree needs about 10).
YAML_DEPTH = 64

#: Years in the Renstra period and in a table's year range (Permendagri 86/2017: five years).
PERIOD_YEARS = 10
#: Rows of one table, and grid cells (rows × columns) of one table.
TABLE_ROWS = 50_000
TABLE_CELLS = 1_000_000
#: Columns of one table (Excel allows 16,384; a printed page far fewer).
TABLE_COLUMNS = 100
#: Characters of one piece of text (a cell, a name): Excel's limit for a cell.
TEXT_CHARS = 32_767
#: Absolute value of a number (pagu in Rupiah, targets): 10^18 keeps every sum exact in 28 digits.
NUMBER_ABS = 10**18

#: Seconds of Jinja rendering per Markdown file.
JINJA_SECONDS = 5.0
#: Items one range() in a template may produce, and characters or items of one value it makes.
JINJA_RANGE = 10_000
JINJA_VALUE = 1_000_000
#: Steps of all `for` loops of one file together.
JINJA_STEPS = 1_000_000

#: Bytes of a workbook given to import-xlsx, of all its parts unpacked, and its parts and cells.
XLSX_BYTES = 50 * 1024 * 1024
XLSX_UNPACKED = 256 * 1024 * 1024
XLSX_PARTS = 2_000
XLSX_CELLS = 2_000_000
#: Shared strings of a workbook (each is one distinct cell text).
XLSX_SHARED_STRINGS = 1_000_000

#: Rows of a nomenclature sheet given to `renstra nomenklatur impor`, and codes of a stored office
#: version (the decree's kabupaten/kota list has about 8,300 codes, with the province list about 16,000).
NOMENKLATUR_ROWS = 100_000

#: Bytes and pages of one PDF attached to a Renja's Lampiran (a scanned SK or Berita Acara of a few
#: pages is 1-5 MB).
ATTACHMENT_BYTES = 50 * 1024 * 1024
ATTACHMENT_PAGES = 200


def count(n: int) -> str:
    """A limit as the planner reads it: 32.767 (Indonesian thousands separator)."""
    return f"{n:,}".replace(",", ".")


def size(n: int) -> str:
    """Bytes as the planner reads them: 32 MB."""
    return f"{n // (1024 * 1024)} MB" if n >= 1024 * 1024 else f"{n // 1024} KB"
