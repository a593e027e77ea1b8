"""Hostile inputs made on the fly (too large to keep as fixtures), and a bounded runner for them.

Each bomb is an overlay onto a copy of the minimal content set, plus the command that swallows it.
`run_bounded` runs a command in a child process with an address-space cap and a timeout, so that
a regression fails a test instead of taking the machine down."""

from __future__ import annotations

import io
import os
import resource
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from tests.helpers import FIXTURES

ROOT = Path(__file__).resolve().parent.parent


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _chapter(dst: Path, body: str) -> None:
    _replace(dst / "bab" / "3-penutup.md", "Renstra ini menjadi pedoman.", body)


def yaml_alias(dst: Path) -> list[str]:
    """About 1.5 KB: 100 programs x 100 kegiatan x 100 sub kegiatan, all aliases: 10^6 rows expanded."""
    sub = "{kode: '2.24.02.2.01.01', nama: s, pagu: {2025: 1}}"
    text = ("jenis: program-pendanaan\njudul: Bom\nprogram:\n"
            "  - &p {kode: '2.24.02', nama: p, kegiatan: [&k {kode: '2.24.02.2.01', nama: k, sub_kegiatan: "
            f"[&s {sub}, " + ", ".join(["*s"] * 99) + "]}, " + ", ".join(["*k"] * 99) + "]}\n"
            + "  - *p\n" * 99)
    (dst / "tabel" / "program.yaml").write_text(text, encoding="utf-8")
    return ["check"]


def long_period(dst: Path) -> list[str]:
    _replace(dst / "renstra.yaml", "akhir: 2029", "akhir: 100000000")
    return ["check"]


def jinja_loops(dst: Path) -> list[str]:
    _chapter(dst, "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}")
    return ["check"]


def jinja_power(dst: Path) -> list[str]:
    _chapter(dst, "{{ 9**(9**9) }}")
    return ["check"]


def jinja_string(dst: Path) -> list[str]:
    _chapter(dst, "{{ 'a' * 10**9 }}")
    return ["build"]


def markdown_emphasis(dst: Path) -> list[str]:
    _chapter(dst, "*a _b " * (10_000_000 // 6))
    return ["check"]


def yaml_nesting(dst: Path) -> list[str]:
    depth = 300_000
    (dst / "tabel" / "aset.yaml").write_text("jenis: umum\njudul: x\nkolom: " + "[" * depth + "]" * depth + "\n",
                                             encoding="utf-8")
    return ["check"]


def _workbook_frame(z: zipfile.ZipFile, sheet: str) -> None:
    """The parts of a one-sheet workbook other than the sheet itself (written by the caller)."""
    z.writestr("[Content_Types].xml",
               '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
               '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
               'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="'
               'application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
    z.writestr("_rels/.rels",
               '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
               'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
               '2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    z.writestr("xl/workbook.xml",
               '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
               'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
               f'<sheet name="{sheet}" sheetId="1" r:id="rId1"/></sheets></workbook>')
    z.writestr("xl/_rels/workbook.xml.rels",
               '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
               'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
               '2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')


def xlsx_zip_bomb(dst: Path) -> list[str]:
    """A ~1 MB workbook whose one sheet inflates to ~1 GB of cells."""
    book = dst.parent / "bom.xlsx"
    row = b"<row>" + b'<c t="inlineStr"><is><t>a</t></is></c>' * 1000 + b"</row>"
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        _workbook_frame(z, "renstra")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                    b"<sheetData>")
            for _ in range(25_000):
                f.write(row)
            f.write(b"</sheetData></worksheet>")
    return ["import-xlsx", str(book)]


def million_row_sheet(path, rows: int = 1_000_000):
    """A 1,000,000-row sheet (one code cell a row: within the cell budget) written straight as XML."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        _workbook_frame(z, "nomenklatur")
        with z.open("xl/worksheets/sheet1.xml", "w") as f:
            f.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                    b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>kode</t></is></c>'
                    b'<c r="B1" t="inlineStr"><is><t>uraian</t></is></c></row>')
            f.write(b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (i, i) for i in range(2, rows + 1)))
            f.write(b"</sheetData></worksheet>")
    return path


def nomenklatur_zip_sheet(path):
    """A workbook of well under 1 MB whose one sheet unpacks to 300 MB (spaces between two rows)."""
    million_row_sheet(path, rows=2)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        with z.open("xl/worksheets/sheet2.xml", "w", force_zip64=True) as f:
            f.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
                    b'main"><sheetData>')
            for _ in range(300):
                f.write(b" " * (1024 * 1024))
            f.write(b"</sheetData></worksheet>")
    return path


def nomenklatur_rows(dst: Path) -> list[str]:
    """`renstra nomenklatur impor` of a sheet of 1,000,000 rows (inside the cell budget)."""
    return ["nomenklatur", "impor", str(million_row_sheet(dst.parent / "sejuta.xlsx"))]


def nomenklatur_zip(dst: Path) -> list[str]:
    """`renstra nomenklatur impor` of a workbook whose sheet unpacks to 300 MB."""
    return ["nomenklatur", "impor", str(nomenklatur_zip_sheet(dst.parent / "bom-nomenklatur.xlsx"))]


def text_bomb_pdf(depth: int = 7, fanout: int = 10) -> bytes:
    """About 4 KB: one page drawing a form XObject that draws another `fanout` times, `depth`
    deep, the last one a line of text: fanout**depth lines (10^7) once its text is extracted."""
    objs: list[bytes] = []

    def add(body: bytes) -> int:
        objs.append(body)
        return len(objs)

    def form(resources: bytes, stream: bytes) -> bytes:
        return (b"<< /Type /XObject /Subtype /Form /BBox [0 0 600 800] /Resources << %s >> /Length %d >>\n"
                b"stream\n%s\nendstream" % (resources, len(stream), stream))

    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    inner = add(form(b"/Font << /F1 %d 0 R >>" % font, b"BT /F1 6 Tf 10 10 Td (bom teks) Tj ET"))
    for _ in range(depth):
        inner = add(form(b"/XObject << /X %d 0 R >>" % inner,
                         b" ".join([b"q 1 0 0 1 0.1 0.1 cm /X Do Q"] * fanout)))
    contents = add(b"<< /Length 5 >>\nstream\n/X Do\nendstream")
    page = add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /X %d 0 R >> >> "
               b"/Contents %d 0 R >>" % (len(objs) + 2, inner, contents))
    pages = add(b"<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % page)
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages)
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, catalog, xref)
    return bytes(out)


def pdf_text_bomb(dst: Path) -> list[str]:
    """A 4 KB document attached to the Renja whose text extraction explodes (nested form XObjects)."""
    (dst / "renja" / "2027" / "bom.pdf").write_bytes(text_bomb_pdf())
    with open(dst / "renja" / "2027" / "renja.yaml", "a", encoding="utf-8") as f:
        f.write("lampiran:\n  - judul: Berita Acara Forum Perangkat Daerah\n    berkas: renja/2027/bom.pdf\n")
    return ["renja", "2027"]


def record_bomb(dst: Path, book: Path | None = None, key: bytes | None = None) -> list[str]:
    """A workbook built from `dst` whose hidden record is a zlib bomb (a few MB that inflate to 1 GB),
    its plain checksums recomputed as an attacker would."""
    import base64
    import hashlib
    import json
    import zlib

    from openpyxl import load_workbook

    if book is None:
        from renstra_gen.workflows.build import build

        out = dst.parent / f"{dst.name}-buku"
        book = next(p for p in build(dst, out).written if p.name.endswith("-tabel.xlsx"))
    wb = load_workbook(book)
    ws = wb["renstra-asal"]
    header = json.loads(ws["A1"].value)
    z = zlib.compressobj(9)
    sha = hashlib.sha256()
    block = b" " * (1 << 20)
    head, tail = b'{"lembar":{},"indeks":[],"x":"', b'"}'
    parts = [z.compress(head)]
    sha.update(head)
    for _ in range(1024):
        sha.update(block)
        parts.append(z.compress(block))
    parts.append(z.compress(tail) + z.flush())
    sha.update(tail)
    blob = base64.b64encode(b"".join(parts)).decode()
    header["sha256"] = sha.hexdigest()
    header["isi"] = hashlib.sha256(blob.encode()).hexdigest()
    if key is not None:  # one who holds the content folder: the MAC verifies, the size cap still holds
        from renstra_gen.render import xlsx_record

        if hasattr(xlsx_record, "_mac"):
            header["mac"] = xlsx_record._mac(key, header)
    ws["A1"] = json.dumps(header, sort_keys=True)
    for row in range(2, ws.max_row + 1):
        ws.cell(row=row, column=1).value = None
    for i in range(0, len(blob), 30000):
        ws.cell(row=2 + i // 30000, column=1, value=blob[i:i + 30000])
    bomb = dst.parent / f"{dst.name}-bom-catatan.xlsx"
    wb.save(bomb)
    return ["import-xlsx", str(bomb)]


def p12_iterations(dst: Path) -> list[str]:
    """A signable PDF and a certificate whose MAC asks for 2^31-1 key-derivation rounds."""
    from asn1crypto import pkcs12, tsp  # noqa: F401 - tsp first: asn1crypto caches its OID
    # names on first use, and a cache made before tsp registers 'tst_info' breaks time stamps later

    from tests.certs import make_ca, make_p12
    from tests.workflows.test_untrusted import blank_pdf, with_field

    p12 = make_p12(make_ca(), dst.parent / f"{dst.name}-kepala.p12", "Budi Santoso")
    pfx = pkcs12.Pfx.load(p12.read_bytes())
    pfx["mac_data"]["iterations"] = 2**31 - 1
    p12.write_bytes(pfx.dump(force=True))
    pdf = dst.parent / f"{dst.name}-dokumen.pdf"
    pdf.write_bytes(with_field(blank_pdf()))
    return ["tandatangan", str(pdf), "--p12", str(p12)]


def git_blob(dst: Path, size: int = 1536 * 1024 * 1024) -> list[str]:
    """The content folder in a git repository whose last commit adds a 1.5 GB file (zeros: 1.5 MB in git)."""
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@x", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@x"}

    def git(*args):
        subprocess.run(["git", "-C", str(dst), *args], check=True, capture_output=True, env=env)

    git("init", "-q")
    git("add", "-A")
    git("commit", "-qm", "awal")
    big = dst / "lampiran-besar.pdf"
    with open(big, "wb") as f:
        f.truncate(size)
    git("add", "-A")
    git("commit", "-qm", "besar")
    big.unlink()
    return ["perubahan", "HEAD"]


def markdown_at_limit(dst: Path) -> list[str]:
    """The same emphasis soup just under the Markdown limit: what the largest accepted file costs."""
    from renstra_gen.content import limits

    _chapter(dst, "*a _b " * ((limits.MARKDOWN_BYTES - 200) // 6))
    return ["check"]


def jinja_steps_at_limit(dst: Path) -> list[str]:
    _chapter(dst, "{% for i in range(1000) %}{% for j in range(998) %}{% endfor %}{% endfor %}")
    return ["check"]


#: Inputs just inside the budget: accepted, and what they cost (bench/bombs.py --at-limit).
AT_LIMIT = {
    "markdown-at-limit": markdown_at_limit,
    "jinja-999k-steps": jinja_steps_at_limit,
}


BOMBS = {
    "yaml-alias": yaml_alias,
    "periode-panjang": long_period,
    "jinja-loop": jinja_loops,
    "jinja-pangkat": jinja_power,
    "jinja-string": jinja_string,
    "xlsx-zip": xlsx_zip_bomb,
    "markdown-emphasis": markdown_emphasis,
    "yaml-nesting": yaml_nesting,
    "nomenklatur-sejuta-baris": nomenklatur_rows,
    "nomenklatur-zip": nomenklatur_zip,
    "pdf-teks": pdf_text_bomb,


    "record-zlib": record_bomb,
    # the same bomb from one who holds the content folder (its MAC verifies): the inflation cap stops it
    "record-zlib-kunci": lambda dst: record_bomb(dst, key=bytes.fromhex((dst / ".renstra-kunci").read_text().strip())),
    "p12-iterasi": p12_iterations,
    "git-blob-besar": git_blob,
}


@dataclass
class Outcome:
    code: int | None  # None: killed by the timeout
    seconds: float
    peak_mb: float  # peak resident set of the child
    output: str


def make(name: str, where: Path) -> tuple[Path, list[str]]:
    """The bomb's content folder (a copy of minimal with the bomb in it) and its command."""
    content = _copy(where / name)
    args = {**BOMBS, **AT_LIMIT}[name](content)
    return content, args


def _copy(dst: Path) -> Path:
    import shutil

    shutil.copytree(FIXTURES / "minimal", dst)
    return dst


def run_bounded(args: list[str], content: Path, out: Path, *, memory_mb: int = 1500, timeout: float = 60,
                env: dict | None = None, root: Path = ROOT) -> Outcome:
    """`renstra ARGS --content CONTENT [--out OUT]` in a child capped at `memory_mb` of address space."""
    cmd = [sys.executable, "-m", "renstra_gen", *args]
    if args[0] not in ("tandatangan", "periksa-ttd", "--help"):  # (these take no content folder)
        cmd += ["--content", str(content)]
    if args[0] in ("build", "renja", "perubahan"):
        cmd += ["--out", str(out)]
    if args[0] == "tandatangan":
        env = {"RENSTRA_P12_PASSWORD": "rahasia-uji", **(env or {})}

    def cap() -> None:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    log = out.parent / f".{out.name}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    start = time.monotonic()
    with open(log, "wb") as sink:
        proc = subprocess.Popen(cmd, cwd=root, stdout=sink, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                preexec_fn=cap, env={**os.environ, **(env or {})})
    code, usage = None, None
    while True:  # wait4 gives this child's own peak memory (communicate() would reap it without)
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            code = os.waitstatus_to_exitcode(status)
            break
        if time.monotonic() - start > timeout:
            proc.kill()
            _, _, usage = os.wait4(proc.pid, 0)
            break
        time.sleep(0.02)
    proc.returncode = code if code is not None else -9
    seconds = time.monotonic() - start
    output = log.read_bytes().decode("utf-8", "replace")
    log.unlink()
    return Outcome(code, seconds, usage.ru_maxrss / 1024, output)
