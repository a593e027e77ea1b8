"""The visible appearance of a signature: the signature block as signed, with a QR code in place of the ink.

Top to bottom, each line centred: the block's opening lines as printed ("Ditetapkan di ...",
"Pada tanggal ...") and the position; the QR code; "Ditandatangani secara elektronik", the
signer's name, NIP and the signing date. It is drawn on white over the typed block, in Liberation
Sans embedded as PDF/A requires.
"""

from __future__ import annotations

import functools
import io
import shutil
import subprocess
from pathlib import Path

from renstra_gen.errors import SignatureError

FONT_FILES = ("/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
              "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf")
FONT_SIZE = 9
LEADING = 10
QR_SIZE = 60  # points: 2.1 cm
GAP = 3


def font_file() -> str:
    """Liberation Sans (installed with fonts-liberation2 by tools/install.sh)."""
    for cand in FONT_FILES:
        if Path(cand).is_file():
            return cand
    if shutil.which("fc-match"):
        found = subprocess.run(["fc-match", "-f", "%{file}", "Liberation Sans:style=Regular"], capture_output=True,
                               text=True).stdout.strip()
        if found.endswith((".ttf", ".otf")) and Path(found).is_file():
            return found
    raise SignatureError("huruf Liberation Sans tidak ditemukan; pasang dengan: apt-get install fonts-liberation2")


@functools.lru_cache(maxsize=1)
def _font_1000(path: str) -> bytes:
    """The font subset to Latin text and scaled to 1000 units per em.

    pyHanko writes glyph widths in the font's own units, which a PDF reads as thousandths of
    the font size: a TrueType font with 2048 units per em would be drawn twice as wide."""
    from fontTools import subset
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem

    font = TTFont(path)
    subsetter = subset.Subsetter(subset.Options(layout_features=["kern", "liga"], hinting=False))
    subsetter.populate(unicodes=[*range(0x20, 0x250), *range(0x2010, 0x2027)])
    subsetter.subset(font)
    scale_upem(font, 1000)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def stamp_style():
    """The pyHanko stamp style; the lines come as text parameters `atas` and `bawah`, the QR text as `url`."""
    from pyhanko.pdf_utils import content, generic, layout
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulator, GlyphAccumulatorFactory
    from pyhanko.pdf_utils.text import TextBox, TextBoxStyle
    from pyhanko.stamp import QRStamp, QRStampStyle

    class Scaled(GlyphAccumulatorFactory):
        def create_font_engine(self, writer, obj_stream=None):
            return GlyphAccumulator(writer=writer, font_handle=io.BytesIO(_font_1000(self.font_file)),
                                    font_size=self.font_size, obj_stream=obj_stream)

    class CentredBox(TextBox):
        """A text box whose lines are centred (pyHanko's are left-aligned)."""

        def put_string_line(self, txt):
            ops, extent = super().put_string_line(txt)
            self._extents.append(extent)
            return ops, extent

        @property
        def content(self):
            return self._content

        @content.setter
        def content(self, text):
            self._extents = []
            TextBox.content.fset(self, text)
            width = self._nat_text_width
            self._wrapped_lines = [b"%g 0 Td %s %g 0 Td" % ((width - e) / 2, ops, -(width - e) / 2)
                                   for ops, e in zip(self._wrapped_lines, self._extents)]

    class BlockStamp(QRStamp):
        def _inner_layout_natural_size(self):
            boxes = []
            for index, key in enumerate(("atas", "bawah")):
                box = CentredBox(self.style.text_box_style, writer=self.writer, resources=self.resources,
                                 font_name=f"F{index + 1}")
                box.content = self.text_params[key]
                boxes.append((box.render(), box.box.width, box.box.height))
            qr_ref, natural = self._qr_xobject()
            self.set_resource(category=content.ResourceType.XOBJECT, name=generic.NameObject("/QR"), value=qr_ref)
            (top, tw, th), (bottom, bw, bh) = boxes
            width = max(tw, bw, QR_SIZE)
            height = bh + GAP + QR_SIZE + GAP + th
            scale = QR_SIZE / natural
            commands = [b"q 1 0 0 1 %g %g cm %s Q" % ((width - tw) / 2, bh + 2 * GAP + QR_SIZE, top),
                        b"q %g 0 0 %g %g %g cm /QR Do Q" % (scale, scale, (width - QR_SIZE) / 2, bh + GAP),
                        b"q 1 0 0 1 %g 0 cm %s Q" % ((width - bw) / 2, bottom)]
            return commands, (width, height)

    class BlockStyle(QRStampStyle):
        def create_stamp(self, writer, box, text_params):
            params = dict(text_params)
            url = params.pop("url")
            return BlockStamp(writer, style=self, url=url, text_params=params, box=box)

    white = content.RawContent(b"1 1 1 rg 0 0 10 10 re f", box=layout.BoxConstraints(10, 10))
    return BlockStyle(
        stamp_text="",
        text_box_style=TextBoxStyle(font=Scaled(font_file(), font_size=FONT_SIZE), font_size=FONT_SIZE,
                                    leading=LEADING,
                                    box_layout_rule=layout.SimpleBoxLayoutRule(
                                        x_align=layout.AxisAlignment.ALIGN_MIN,
                                        y_align=layout.AxisAlignment.ALIGN_MIN, margins=layout.Margins.uniform(0))),
        background=white, background_opacity=1.0,
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MIN, y_align=layout.AxisAlignment.ALIGN_MIN,
            margins=layout.Margins.uniform(0), inner_content_scaling=layout.InnerScaling.STRETCH_FILL),
        border_width=0,
        inner_content_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID, y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins.uniform(2), inner_content_scaling=layout.InnerScaling.SHRINK_TO_FIT),
    )
