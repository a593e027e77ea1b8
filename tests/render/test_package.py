"""A package part given as byte chunks is compressed as they come and gives the same package bytes."""

from __future__ import annotations

import io
import zipfile

from renstra_gen.render import docx as render
from renstra_gen.render.package import zip_parts


def test_a_part_given_in_chunks_makes_the_same_package_as_the_part_whole():
    body = b"".join(b"<w:p><w:r><w:t>baris %d \xe2\x80\xa2</w:t></w:r></w:p>" % i for i in range(50_000))
    whole = zip_parts([("[Content_Types].xml", b"<Types/>"), ("word/document.xml", body)])
    chunks = (body[i:i + 4096] for i in range(0, len(body), 4096))
    assert zip_parts([("[Content_Types].xml", b"<Types/>"), ("word/document.xml", chunks)]) == whole
    assert zipfile.ZipFile(io.BytesIO(whole)).read("word/document.xml") == body


def test_the_document_body_reaches_the_package_unjoined(monkeypatch):
    """At province scale a joined body was another hundred megabytes at the build's peak."""
    from tests.conftest import FIXTURES
    from renstra_gen.content.load import load_content
    from renstra_gen.workflows.build import DEFAULT_TEMPLATES, plan_content

    seen = {}
    real = render.zip_parts

    def spy(parts, **options):
        parts = dict(parts)
        seen["type"] = type(parts["word/document.xml"])
        return real(parts.items(), **options)

    monkeypatch.setattr(render, "zip_parts", spy)
    plan = plan_content(load_content(FIXTURES / "minimal"))
    render.render_docx(plan, DEFAULT_TEMPLATES / "renstra.docx", {k: _png() for k in plan.figures})
    assert seen["type"] not in (bytes, bytearray)


def _png() -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\0\0")) + chunk(b"IEND", b""))


def test_parts_in_the_given_order_and_at_a_lower_level():
    """The workbook writes its shared strings and styles after the sheets they are made from."""
    body = b"".join(b"<row r=\"%d\"><c><v>%d</v></c></row>" % (i, i * 7919 % 10007) for i in range(20_000))
    parts = [("[Content_Types].xml", b"<Types/>"), ("xl/worksheets/sheet1.xml", body), ("xl/styles.xml", b"<s/>")]
    ordered = zip_parts(parts, in_order=True)
    assert zipfile.ZipFile(io.BytesIO(ordered)).namelist() == [n for n, _ in parts]
    assert zipfile.ZipFile(io.BytesIO(zip_parts(parts))).namelist() == ["[Content_Types].xml", "xl/styles.xml",
                                                                        "xl/worksheets/sheet1.xml"]
    fast = zip_parts(parts, in_order=True, level=1)
    assert fast == zip_parts(parts, in_order=True, level=1) and len(fast) > len(ordered)  # deterministic, larger
    assert zipfile.ZipFile(io.BytesIO(fast)).read("xl/worksheets/sheet1.xml") == body
    import pytest

    with pytest.raises(ValueError):
        zip_parts(parts[1:], in_order=True)


def test_the_document_body_is_compressed_at_the_fast_level(tmp_path):
    """Issue 29: the body of a province-size document compressed at zlib's default level took 0.55 s
    of the build's critical path (level 1: 0.23 s)."""
    import zipfile
    import zlib

    from tests.conftest import FIXTURES
    from renstra_gen.render.package import DOCUMENT_LEVEL
    from renstra_gen.workflows.build import build

    docx = next(p for p in build(FIXTURES / "minimal", tmp_path).written if p.suffix == ".docx")
    with zipfile.ZipFile(docx) as z:
        body = z.read("word/document.xml")
        stored = z.getinfo("word/document.xml").compress_size
    fast = zlib.compressobj(DOCUMENT_LEVEL, zlib.DEFLATED, -15)
    assert DOCUMENT_LEVEL == 1 and stored == len(fast.compress(body) + fast.flush())
