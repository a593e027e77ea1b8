"""The child process that reads a PDF's words with PDFium; pdftext.py starts it under its budget.

    python -I pdftext_worker.py FIRST LAST PAGE_CHARS   < file.pdf   > one JSON line per page

Only the standard library and pypdfium2: it runs as a script (no package import) so that it
starts in a few tens of milliseconds. The first line is {"count": pages}; then, for each page of
FIRST..LAST (1-based, 0 = to the end), {"n": page, "w": width, "h": height, "lines": [[[text, x0,
top, x1, bottom], ...], ...]} in points from the top-left corner, lines in the order PDFium reads
them (a table cell's lines follow each other); or {"n": page, "chars": count} when the page holds
more characters than PAGE_CHARS, and the reading stops there. An unreadable PDF gives
{"error": why, "password": bool}.

A word is a run of characters between spaces and line ends. PDFium marks a hyphen that ends a
line as U+FFFE and joins the two pieces without a line end, also when the next piece is another
table cell ("ke-" and "Tahun"): the hyphen is given back and the line ended there, so that both
the pieces and their join (proof.py) can be matched.
"""

import ctypes
import json
import re
import sys

# a word's box spans its font's ascent and descent (as Poppler's does), the same for every word
# of a line whatever its letters
ASCENT, DESCENT = 0.9, 0.25
# a word (up to and with a line-ending hyphen, U+FFFE), or a line end
TOKENS = re.compile(r"[^\s\ufffe]*\ufffe|[^\s\ufffe]+|\n")


def _page(raw, pdf, index, page_chars, out):
    page = raw.FPDF_LoadPage(pdf, index)
    if not page:
        out.write(json.dumps({"n": index + 1, "w": 0, "h": 0, "lines": []}) + "\n")
        return True
    try:
        width, height = raw.FPDF_GetPageWidthF(page), raw.FPDF_GetPageHeightF(page)
        text = raw.FPDFText_LoadPage(page)
        try:
            count = raw.FPDFText_CountChars(text)
            if count > page_chars:
                out.write(json.dumps({"n": index + 1, "chars": count}) + "\n")
                return False
            chars = _chars(raw, text, count)
            lines, line = [], []
            rect = raw.FS_RECTF()
            ox, oy = ctypes.c_double(), ctypes.c_double()
            for token in TOKENS.finditer(chars):
                a, b = token.span()
                if chars[a] == "\n":
                    if line:
                        lines.append(line)
                        line = []
                    continue
                # the box from the first and the last character (a word is set on one baseline)
                box = _extend(raw, text, a, rect, ox, oy, height, None)
                if b - 1 > a:
                    box = _extend(raw, text, b - 1, rect, ox, oy, height, box)
                word = chars[a:b]
                if word.endswith("\ufffe"):  # a hyphen ending a line: the hyphen ends this line's piece
                    line.append([word[:-1] + "-", *(box or (0, 0, 0, 0))])
                    lines.append(line)
                    line = []
                else:
                    line.append([word, *(box or (0, 0, 0, 0))])
            if line:
                lines.append(line)
            out.write(json.dumps({"n": index + 1, "w": round(width, 2), "h": round(height, 2), "lines": lines},
                                 ensure_ascii=False) + "\n")
            return True
        finally:
            raw.FPDFText_ClosePage(text)
    finally:
        raw.FPDF_ClosePage(page)


def _extend(raw, text, i, rect, ox, oy, height, box):
    """The word's box with character `i` in it: the height from the first character's baseline and size."""
    if not raw.FPDFText_GetLooseCharBox(text, i, rect):
        return box
    if box is None:
        raw.FPDFText_GetCharOrigin(text, i, ox, oy)
        size = raw.FPDFText_GetFontSize(text, i) or (rect.top - rect.bottom)
        return [round(rect.left, 2), round(height - oy.value - ASCENT * size, 2),
                round(rect.right, 2), round(height - oy.value + DESCENT * size, 2)]
    box[0], box[2] = min(box[0], round(rect.left, 2)), max(box[2], round(rect.right, 2))
    return box


def _chars(raw, text, count):
    """The page's characters, one per PDFium character index (generated spaces and line ends included)."""
    buf = ctypes.create_string_buffer((count + 1) * 2)
    got = raw.FPDFText_GetText(text, 0, count, ctypes.cast(buf, ctypes.POINTER(ctypes.c_ushort)))
    s = buf.raw[:max(got - 1, 0) * 2].decode("utf-16-le", "replace")
    if len(s) == count:
        return s
    return "".join(chr(raw.FPDFText_GetUnicode(text, i)) if 0 < raw.FPDFText_GetUnicode(text, i) < 0x110000
                   else "\ufffd" for i in range(count))


def main(first, last, page_chars):
    import pypdfium2.raw as raw

    data = sys.stdin.buffer.read()
    out = sys.stdout
    raw.FPDF_InitLibrary()
    buf = ctypes.create_string_buffer(data, len(data))
    pdf = raw.FPDF_LoadMemDocument64(buf, len(data), None)
    if not pdf:
        code = raw.FPDF_GetLastError()
        out.write(json.dumps({"error": code, "password": code == raw.FPDF_ERR_PASSWORD}) + "\n")
        return
    try:
        count = raw.FPDF_GetPageCount(pdf)
        out.write(json.dumps({"count": count}) + "\n")
        out.flush()
        stop = count if last <= 0 else min(last, count)
        for index in range(max(first, 1) - 1, stop):
            if not _page(raw, pdf, index, page_chars, out):
                break
            out.flush()
    finally:
        raw.FPDF_CloseDocument(pdf)
    out.flush()


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:4]))
