"""The printed page: paper sizes, margins, the text block of a portrait or landscape page, and the
largest size a figure prints at. Layout decisions and the checks read it; the .docx writer prints it."""

from __future__ import annotations

PAPER = {  # width, height in twips (portrait)
    "A4": (11906, 16838),
    "F4": (12189, 18709),  # 215 x 330 mm
    "A3": (16838, 23811),  # 297 x 420 mm: only for a table's own pages (a table's `kertas`)
}
MARGINS = {"top": 1701, "bottom": 1418, "left": 2268, "right": 1701}  # 3 / 2.5 / 4 / 3 cm
LANDSCAPE_MARGINS = {"top": 1418, "bottom": 1134, "left": 1134, "right": 1134}


def text_block(paper: str, landscape: bool) -> tuple[int, int]:
    """Width and height (twips) of the page area inside the margins."""
    w, h = PAPER[paper]
    margins = LANDSCAPE_MARGINS if landscape else MARGINS
    if landscape:
        w, h = h, w
    return w - margins["left"] - margins["right"], h - margins["top"] - margins["bottom"]


def text_width(paper: str, landscape: bool) -> int:
    return text_block(paper, landscape)[0]


def printed_size(paper: str, landscape: bool = False) -> tuple[float, float]:
    """The largest a figure is printed at (inches): the text width of a portrait (landscape) page,
    and its height less room for the caption and source lines."""
    width, height = text_block(paper, landscape)
    return width / 1440, height / 1440 - 1.0  # 1,440 twips per inch
