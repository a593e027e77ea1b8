"""Runs under the Python that has LibreOffice's `uno` module (not the project's venv).

    python3 uno_client.py PIPE INPUT.docx OUTPUT.pdf [LISTS.json]

Connects to a LibreOffice started with --accept=pipe,name=PIPE;urp; loads the document hidden,
updates every index (Daftar Isi/Tabel/Gambar/Lampiran) and field twice (page numbers move when
the lists fill), exports PDF/A-2b, tagged, optionally writes what the updated lists hold (for
each index in document order, the text of each entry paragraph: "title<TAB>page"), then shuts
LibreOffice down. Only the standard library and uno: copied nowhere; the tests' uno_redlines.py imports its `connect` and `prop`.

The warm office's supervisor (office_server.py) calls `convert` with a document it keeps loaded:
an incremental conversion applies the changed texts (`apply_edits`, from render/text_edits.py) to
it instead of loading the .docx again (docs/pdf.md).
"""

import functools
import json
import sys
import time

import uno
from com.sun.star.beans import PropertyValue


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def connect(pipe, seconds=60):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.time() + seconds
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:
            if time.time() > deadline:
                raise
            time.sleep(0.25)


def index_entries(doc):
    """[[entry paragraph text, ...] for each index, in document order]."""
    text = doc.getText()
    indexes = [doc.getDocumentIndexes().getByIndex(i) for i in range(doc.getDocumentIndexes().getCount())]
    # compareRegionStarts(a, b) is 1 when a starts before b
    indexes.sort(key=functools.cmp_to_key(lambda a, b: -text.compareRegionStarts(a.getAnchor(), b.getAnchor())))
    out = []
    for index in indexes:
        paragraphs = index.getAnchor().createEnumeration()
        entries = []
        while paragraphs.hasMoreElements():
            entries.append(paragraphs.nextElement().getString())
        out.append(entries)
    return out


def match_formulas_to_text(doc):
    """Set every equation in the font family and size of the paragraph it sits in.

    LibreOffice's OMML import ignores the runs' font and size (w:rPr inside m:r) and sets each
    equation in its own defaults (Liberation Serif, 12 pt); Word honours them. The Lampiran's
    formulas then printed larger than, and in another family from, the table text around them."""
    objects = doc.getEmbeddedObjects()
    for name in objects.getElementNames():
        obj = objects.getByName(name)
        model = obj.getEmbeddedObject()
        if model is None or not model.supportsService("com.sun.star.formula.FormulaProperties"):
            continue
        family, height = _text_font(obj.getAnchor())
        for prop_name in ("FontNameVariables", "FontNameFunctions", "FontNameNumbers", "FontNameText"):
            model.setPropertyValue(prop_name, family)
        for prop_name in ("FontVariablesIsItalic", "FontFunctionsIsItalic", "FontNumbersIsItalic",
                          "FontTextIsItalic"):
            model.setPropertyValue(prop_name, False)
        model.setPropertyValue("BaseFontHeight", int(round(height)))
        # the size the object takes in the text follows the formula's new size
        obj.setPropertyValue("Size", obj.getPropertyValue("Size"))


def _text_font(anchor):
    """Font name and size of the text around an equation: in a table, of the first body cell
    holding text (the equation's own paragraph carries only the paragraph style's size)."""
    table = anchor.TextTable if anchor.getPropertySetInfo().hasPropertyByName("TextTable") else None
    if table is not None:
        for name in table.getCellNames():
            cursor = table.getCellByName(name).getText().createTextCursor()
            cursor.gotoEnd(True)
            if cursor.getString().strip() and cursor.CharHeight:
                return cursor.CharFontName, cursor.CharHeight
    return anchor.CharFontName, anchor.CharHeight


def _index_texts(indexes):
    return [indexes.getByIndex(i).getAnchor().getString() for i in range(indexes.getCount())]


class EditFailed(Exception):
    """The held document cannot take the edits for certain: convert in full instead."""


def apply_edits(doc, edits, counts):
    """Apply text_edits' edits ([paragraph text, occurrence, start, old, new], render/text_edits.py)
    to the loaded `doc`: each paragraph text is found by LibreOffice's search (case-sensitive, plain),
    which must find it as many times as `counts` says the previous .docx holds it; the edit's
    occurrence must read as that text; only the changed characters are replaced, so the run's
    formatting stays. Every edit is located before any is made; EditFailed when anything differs."""
    found, targets = {}, []
    for text, occurrence, start, old, new in edits:
        if text not in found:
            desc = doc.createSearchDescriptor()
            desc.SearchString = text
            desc.SearchCaseSensitive = True
            desc.SearchRegularExpression = False
            desc.SearchWords = False
            desc.SearchSimilarity = False
            found[text] = doc.findAll(desc)
            if found[text].getCount() != counts.get(text):
                raise EditFailed(f"{text!r}: {found[text].getCount()} found, {counts.get(text)} expected")
        matches = found[text]
        if not 0 <= occurrence < matches.getCount():
            raise EditFailed(f"{text!r}: no occurrence {occurrence}")
        match = matches.getByIndex(occurrence)
        if match.getString() != text:
            raise EditFailed(f"{text!r}: occurrence {occurrence} reads {match.getString()!r}")
        targets.append((match, start, old, new))
    for match, start, old, new in targets:
        text = match.getText()
        span = text.createTextCursorByRange(match.getStart())
        if not old or start and not span.goRight(start, False) or not span.goRight(len(old), True):
            raise EditFailed("cursor")
        if span.getString() != old:
            raise EditFailed(f"{old!r} reads {span.getString()!r}")
        looks = _looks(span)
        # the new text goes in after the first old character, inside the run (so it takes the run's
        # formatting, not a neighbour's), then the old characters around it go
        inside = text.createTextCursorByRange(span.getStart())
        inside.goRight(1, False)
        text.insertString(inside, new, False)
        first = text.createTextCursorByRange(span.getStart())
        first.goRight(1, True)
        first.setString("")
        if len(old) > 1:
            rest = text.createTextCursorByRange(span.getEnd())
            rest.goLeft(len(old) - 1, True)
            rest.setString("")
        if span.getString() != new or new and _looks(span) != looks:
            raise EditFailed(f"{new!r} set as {span.getString()!r}")


_LOOKS = ("CharFontName", "CharHeight", "CharWeight", "CharPosture", "CharUnderline", "CharColor", "CharStrikeout",
          "CharEscapement", "CharCaseMap", "CharBackColor")


def _looks(span):
    """What the characters of `span` look like (one value per property when they share it)."""
    return tuple(span.getPropertyValues(_LOOKS))  # one call over the bridge


def release(held):
    """Close the document `held` keeps loaded (see convert), if any."""
    doc = held.pop("doc", None)
    held.clear()
    if doc is not None:
        try:
            doc.close(True)
        except Exception:
            pass  # an office that died took it with it


def convert(desktop, src, pdf, lists_out=None, timings=None, held=None, base=None, edits=None, counts=None,
            sha=None):
    """Load `src` hidden, match the formulas' fonts, update the indexes and fields twice, export
    `pdf` (PDF/A-2b, tagged) and, if asked, write what the lists hold to `lists_out`.

    `timings`: a list that receives (step, seconds) for each step (the measurement of issue 29).
    `held`: a dict the caller keeps between conversions ({"doc", "sha"}: one document left loaded).
    When it holds the document whose .docx has the hash `base` and `edits` are given (text_edits),
    the edits are applied to it instead of loading `src` (an incremental conversion); if they do not
    apply for certain, it is closed and `src` loaded. With `sha` (the hash of `src`) the converted
    document stays loaded in `held` for the next conversion; else it is closed. Returns True when
    the conversion was incremental."""
    clock = [time.monotonic()]

    def lap(step):
        if timings is not None:
            now = time.monotonic()
            timings.append((step, round(now - clock[0], 3)))
            clock[0] = now

    held = {} if held is None else held
    doc, incremental = None, False
    if edits is not None and base is not None and held.get("sha") == base and held.get("doc") is not None:
        doc = held.pop("doc")
        held.clear()
        try:
            apply_edits(doc, edits, counts or {})
            incremental = True
            lap("text edits")
        except EditFailed:
            try:
                doc.close(True)
            except Exception:
                pass
            doc = None
            lap("text edits refused")
    release(held)
    if doc is None:
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(src), "_blank", 0,
                                           (prop("Hidden", True), prop("UpdateDocMode", 0)))
        lap("load")
    keep = False
    try:
        if not incremental:
            match_formulas_to_text(doc)
            lap("formula fonts")
        for n in range(2):
            indexes = doc.getDocumentIndexes()
            before = _index_texts(indexes) if incremental else None
            for i in range(indexes.getCount()):
                indexes.getByIndex(i).update()
            doc.getTextFields().refresh()
            doc.refresh()
            lap(f"index update {n + 1}")
            if incremental and _index_texts(indexes) == before:
                break  # the lists read as before the edits: no page number moved, nothing to update again
        filter_data = uno.Any("[]com.sun.star.beans.PropertyValue", tuple([
            prop("SelectPdfVersion", 2),  # PDF/A-2b
            prop("UseTaggedPDF", True),
            prop("ExportBookmarks", True),
            prop("EmbedStandardFonts", True),
        ]))
        uno.invoke(doc, "storeToURL", (uno.systemPathToFileUrl(pdf),
                                       (prop("FilterName", "writer_pdf_Export"), prop("FilterData", filter_data))))
        lap("PDF/A export")
        if lists_out:
            with open(lists_out, "w", encoding="utf-8") as f:
                json.dump(index_entries(doc), f, ensure_ascii=False)
            lap("lists read back")
        keep = sha is not None
    finally:
        if keep:
            held.update(doc=doc, sha=sha)
        else:
            doc.close(True)
    return incremental


def main(pipe, src, pdf, lists_out=None):
    ctx = connect(pipe)
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    try:
        convert(desktop, src, pdf, lists_out)
    finally:
        try:
            desktop.terminate()
        except Exception:
            pass  # the bridge drops as LibreOffice exits


if __name__ == "__main__":
    main(*sys.argv[1:])
