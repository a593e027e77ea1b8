"""Test helper run under LibreOffice's Python: the tracked changes of a .docx as LibreOffice sees them.

    python3 uno_redlines.py PIPE TRACKED.docx PLAIN.docx OUT_DIR

Writes OUT_DIR/redlines.txt (one line per redline: type, author, date), OUT_DIR/accepted.txt
(the text after accepting every change), OUT_DIR/plain.txt (the text of PLAIN.docx) and
OUT_DIR/shown.pdf (the tracked document with its changes shown). Only the standard library and uno.
"""

import sys
from pathlib import Path

import uno

# the connection helpers of the product's own UNO client (standard library and uno only)
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "renstra_gen" / "render"))
from uno_client import connect as _connect, prop  # noqa: E402


def connect(pipe):
    return _connect(pipe, seconds=90)


def load(desktop, path):
    return desktop.loadComponentFromURL(uno.systemPathToFileUrl(path), "_blank", 0,
                                        (prop("Hidden", True), prop("UpdateDocMode", 0)))


def redlines(doc):
    """Every redline of the document (XRedlinesSupplier)."""
    found, items = [], doc.getRedlines().createEnumeration()
    while items.hasMoreElements():
        found.append(items.nextElement())
    return found


def store_text(doc, path):
    doc.storeToURL(uno.systemPathToFileUrl(path), (prop("FilterName", "Text (encoded)"),
                                                   prop("FilterOptions", "UTF8,LF,,,")))


def main(pipe, tracked, plain, out):
    ctx = connect(pipe)
    smgr = ctx.ServiceManager
    desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    doc = load(desktop, tracked)
    try:
        doc.storeToURL(uno.systemPathToFileUrl(f"{out}/shown.pdf"), (prop("FilterName", "writer_pdf_Export"),))
        lines = []
        for r in redlines(doc):
            lines.append("\t".join(str(r.getPropertyValue(n))
                                   for n in ("RedlineType", "RedlineAuthor", "RedlineDateTime")))
        with open(f"{out}/redlines.txt", "w") as f:
            f.write("\n".join(lines) + "\n")
        dispatcher = smgr.createInstanceWithContext("com.sun.star.frame.DispatchHelper", ctx)
        frame = doc.getCurrentController().getFrame()
        dispatcher.executeDispatch(frame, ".uno:AcceptAllTrackedChanges", "", 0, ())
        with open(f"{out}/left.txt", "w") as f:
            f.write(f"{len(redlines(doc))}\n")
        store_text(doc, f"{out}/accepted.txt")
    finally:
        doc.close(True)
    doc = load(desktop, plain)
    try:
        store_text(doc, f"{out}/plain.txt")
    finally:
        doc.close(True)
    try:
        desktop.terminate()
    except Exception:
        pass


if __name__ == "__main__":
    main(*sys.argv[1:])
