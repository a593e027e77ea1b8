"""Electronic signature of the final PDF: the field over the signature block, signing, verifying."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
from click.testing import CliRunner
from lxml import etree

from renstra_gen.workflows.build import build
from renstra_gen.cli import main
from renstra_gen.errors import SignatureError
from renstra_gen.content.load import load_content
from tests.certs import PASSWORD, make_ca, make_p12
from tests.conftest import FIXTURES

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                                reason="LibreOffice and Poppler are installed by tools/install.sh --test")

XHTML = "{http://www.w3.org/1999/xhtml}"
NIP = "19800101 200501 1 001"  # tests/fixtures/minimal/renstra.yaml


@pytest.fixture(scope="module")
def final_pdf(tmp_path_factory):
    """The minimal fixture's final PDF with fields over the Kata Pengantar's and the Penutup's blocks."""
    out = tmp_path_factory.mktemp("tte")
    result = build(FIXTURES / "minimal", out, pdf=True, tte_kata_pengantar=True)
    return next(p for p in result.written if p.suffix == ".pdf")


@pytest.fixture(scope="module")
def ca(tmp_path_factory):
    return make_ca()


@pytest.fixture
def pdf(final_pdf, tmp_path):
    """A copy of the final PDF to sign (the signed copy is written beside it)."""
    return shutil.copyfile(final_pdf, tmp_path / final_pdf.name)


@pytest.fixture
def p12(ca, tmp_path):
    return make_p12(ca, tmp_path / "kepala.p12", "Budi Santoso")


@pytest.fixture
def root(ca, tmp_path):
    return ca.write_pem(tmp_path / "akar.pem")


def sign(pdf, p12, *extra, password=PASSWORD):
    return CliRunner().invoke(main, ["tandatangan", str(pdf), "--p12", str(p12), *extra],
                              env={"RENSTRA_P12_PASSWORD": password})


def verify(pdf, *roots):
    return CliRunner().invoke(main, ["periksa-ttd", str(pdf), *[a for r in roots for a in ("--akar", str(r))]])


def signature_fields(data: bytes) -> dict[str, tuple[int, list[float], int]]:
    """Field name -> (0-based page, /Rect, /F flags) of every signature field."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.fields import enumerate_sig_fields

    reader = PdfFileReader(io.BytesIO(data), strict=False)
    pages = [reader.find_page_for_modification(i)[0].idnum for i in range(int(reader.root["/Pages"]["/Count"]))]
    out = {}
    for name, _, ref in enumerate_sig_fields(reader):
        field = ref.get_object()
        page = pages.index(field.get_value_as_reference("/P").idnum)
        out[name] = (page, [float(v) for v in field["/Rect"]], int(field["/F"]))
    return out


def line_boxes(pdf_path, page: int, pattern: str) -> list[tuple[float, float, float, float]]:
    """Boxes (PDF points, lower-left origin) of the lines on `page` matching `pattern`, read back with pdftotext."""
    xml = subprocess.run(["pdftotext", "-bbox-layout", "-f", str(page + 1), "-l", str(page + 1), str(pdf_path), "-"],
                         capture_output=True, check=True).stdout
    root = etree.fromstring(xml)
    page_el = next(root.iter(f"{XHTML}page"))
    height = float(page_el.get("height"))
    boxes = []
    for line in page_el.iter(f"{XHTML}line"):
        text = " ".join(w.text for w in line.iter(f"{XHTML}word"))
        if re.search(pattern, text):
            boxes.append((float(line.get("xMin")), height - float(line.get("yMax")),
                          float(line.get("xMax")), height - float(line.get("yMin"))))
    return boxes


def inside(box, rect) -> bool:
    return rect[0] <= box[0] and rect[1] <= box[1] and box[2] <= rect[2] and box[3] <= rect[3]


def latest_xmp(data: bytes) -> str:
    from pyhanko.pdf_utils.reader import PdfFileReader

    return PdfFileReader(io.BytesIO(data), strict=False).root["/Metadata"].data.decode("utf-8")


# -- the field in the final PDF

def test_field_sits_over_the_penutup_and_kata_pengantar_signature_blocks(final_pdf):
    fields = signature_fields(final_pdf.read_bytes())
    assert set(fields) == {"TTE_Penutup_Budi_Santoso_S_Sos", "TTE_KataPengantar_Budi_Santoso_S_Sos"}
    for name, (page, rect, flags) in fields.items():
        nip = line_boxes(final_pdf, page, rf"^NIP\. {NIP}$")
        assert len(nip) == 1, (name, page)
        assert inside(nip[0], rect), (name, nip, rect)
        assert flags & 4 and not flags & (1 | 2 | 32)  # printed; not invisible, hidden or no-view (PDF/A)
        name_line = line_boxes(final_pdf, page, r"^Budi Santoso, S\.Sos$")
        assert inside(name_line[0], rect)
    penutup_page, rect, _ = fields["TTE_Penutup_Budi_Santoso_S_Sos"]
    assert inside(line_boxes(final_pdf, penutup_page, r"^Ditetapkan di Kota Contoh$")[0], rect)
    assert fields["TTE_KataPengantar_Budi_Santoso_S_Sos"][0] < penutup_page
    text = subprocess.run(["pdftotext", "-layout", str(final_pdf), "-"], capture_output=True, text=True).stdout
    assert "BAB III" in text.split("\f")[penutup_page]  # the Penutup's page, not a Lampiran


def test_only_the_penutup_without_the_kata_pengantar_option_and_the_pdf_stays_pdf_a(tmp_path):
    result = build(FIXTURES / "minimal", tmp_path, pdf=True)
    data = next(p for p in result.written if p.suffix == ".pdf").read_bytes()
    assert list(signature_fields(data)) == ["TTE_Penutup_Budi_Santoso_S_Sos"]
    xmp = latest_xmp(data)
    assert re.search(r'pdfaid:part(="|>)2', xmp) and re.search(r'pdfaid:conformance(="|>)B', xmp)


def test_a_draft_has_no_signature_field(tmp_path):
    result = build(FIXTURES / "minimal", tmp_path, pdf=True, draft=True)
    data = next(p for p in result.written if p.suffix == ".pdf").read_bytes()
    assert signature_fields(data) == {} and b"/AcroForm" not in data


def test_a_pdf_without_the_signature_block_is_a_finding(final_pdf):
    from renstra_gen.tte.field import signature_blocks

    identity = load_content(FIXTURES / "minimal").identity.model_copy(deep=True)
    identity.kepala.nip = "19990101 202001 1 999"
    with pytest.raises(SignatureError, match=r"blok tanda tangan .* tidak ditemukan di PDF"):
        signature_blocks(final_pdf.read_bytes(), identity)


# -- signing and verifying

def test_build_sign_verify_intact_and_valid_with_the_test_root(pdf, p12, root):
    unsigned = pdf.read_bytes()
    r = sign(pdf, p12)
    assert r.exit_code == 0, r.output
    signed = pdf.with_name(pdf.stem + "-ttd.pdf")
    assert f"ditulis: {signed}" in r.output
    assert pdf.read_bytes() == unsigned  # the unsigned PDF is kept as it was
    data = signed.read_bytes()
    assert data.startswith(unsigned)  # incremental: every byte of the prepared PDF is still there
    r = verify(signed, root)
    assert r.exit_code == 0, r.output
    assert r.output.count("utuh: isi yang ditandatangani tidak berubah") == 2
    assert "cakupan: seluruh dokumen\n" in r.output
    assert r.output.count("penanda tangan: Budi Santoso") == 2
    assert r.output.count("penanda tangan tercetak: Budi Santoso, S.Sos, Pembina, NIP. 19800101 200501 1 001") == 2
    assert "sertifikat: sah, berantai ke CA Uji renstra-gen" in r.output
    assert "Hasil: 2 tanda tangan, semuanya utuh dan sah." in r.output
    import hashlib

    assert f"SHA-256 PDF sebelum ditandatangani (isi kode QR): {hashlib.sha256(unsigned).hexdigest()}" in r.output
    assert "belum diisi" not in r.output


def test_signing_keeps_the_pdf_a_identification_and_consistent_metadata(pdf, p12):
    from pyhanko.pdf_utils.reader import PdfFileReader

    assert sign(pdf, p12).exit_code == 0
    data = pdf.with_name(pdf.stem + "-ttd.pdf").read_bytes()
    xmp = latest_xmp(data)
    assert re.search(r'pdfaid:part(="|>)2', xmp) and re.search(r'pdfaid:conformance(="|>)B', xmp)
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    producer = str(reader.trailer_view["/Info"].get_object()["/Producer"])
    assert re.search(rf'pdf:Producer(="|>){re.escape(producer)}', xmp)  # PDF/A: Info and XMP agree
    for name, (page, rect, flags) in signature_fields(data).items():
        assert flags & 4 and not flags & (1 | 2 | 32)
    fonts = [f.get_object() for sig in reader.embedded_signatures
             for f in _appearance_fonts(sig.sig_field["/AP"]["/N"].get_object())]
    cid_fonts = [f["/DescendantFonts"][0].get_object() for f in fonts]
    assert cid_fonts and all("/FontFile2" in d["/FontDescriptor"] and "/CIDToGIDMap" in d for d in cid_fonts)
    # PAdES: a detached CAdES signature
    assert {str(sig.sig_object["/SubFilter"]) for sig in reader.embedded_signatures} == {"/ETSI.CAdES.detached"}


def _appearance_fonts(xobject):
    res = xobject.get("/Resources", {})
    yield from (f for f in res.get("/Font", {}).values())
    for child in res.get("/XObject", {}).values():
        yield from _appearance_fonts(child.get_object())


def test_the_appearance_shows_name_nip_date_and_a_qr_with_the_hash_and_title(pdf, p12):
    import hashlib

    from renstra_gen.tte.sign import qr_payload

    assert sign(pdf, p12, "--bidang", "TTE_Penutup_Budi_Santoso_S_Sos").exit_code == 0
    signed = pdf.with_name(pdf.stem + "-ttd.pdf")
    fields = signature_fields(signed.read_bytes())
    page, rect, _ = fields["TTE_Penutup_Budi_Santoso_S_Sos"]
    # every line of the printed block under it is drawn again: the name with its degree, the rank, the NIP
    stamp = line_boxes(signed, page, r"^(Ditandatangani secara elektronik oleh|Budi Santoso, S\.Sos|Pembina|"
                                     r"NIP\. 19800101.*)$")
    inside_stamp = [b for b in stamp if inside(b, rect)]
    assert len(inside_stamp) >= 4
    ranks = line_boxes(signed, page, r"^Pembina$")
    assert any(inside(b, rect) for b in ranks) and len(ranks) == 2  # the typed block's and the stamp's
    opening = line_boxes(signed, page, r"^(Ditetapkan di Kota Contoh|Pada tanggal 17 Maret 2025)$")  # in the stamp
    assert len(opening) == 2 and all(inside(b, rect) for b in opening)
    # the QR code's text: the title and the SHA-256 of the PDF before signing
    digest = hashlib.sha256(pdf.read_bytes()).hexdigest()
    payload = qr_payload("RENCANA STRATEGIS (RENSTRA) Dinas Kearsipan dan Perpustakaan Kota Contoh 2025-2029", digest)
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(signed.read_bytes()), strict=False)
    sig = next(s for s in reader.embedded_signatures if s.field_name == "TTE_Penutup_Budi_Santoso_S_Sos")
    import qrcode

    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(payload)
    code.make()
    expected = {(r, c) for r, row in enumerate(code.modules) for c, dark in enumerate(row) if dark}
    assert _qr_dark_modules(sig.sig_field["/AP"]["/N"].get_object()) == expected  # exactly that payload's code
    # only the Penutup was signed: the Kata Pengantar's field is still empty, and the check says so
    assert [s.field_name for s in reader.embedded_signatures] == ["TTE_Penutup_Budi_Santoso_S_Sos"]
    r = verify(signed)
    assert "bidang tanda tangan belum diisi: TTE_KataPengantar_Budi_Santoso_S_Sos" in r.output


def _qr_dark_modules(xobject) -> set[tuple[int, int]] | None:
    """The dark modules (row, column) of the QR code drawn in an appearance (one `col row 1 1 re` each)."""
    res = xobject.get("/Resources", {})
    for key, child in res.get("/XObject", {}).items():
        child = child.get_object()
        if key == "/QR":
            return {(int(r), int(c)) for c, r in re.findall(rb"(\d+) (\d+) 1 1 re", child.data)}
        found = _qr_dark_modules(child)
        if found:
            return found
    return None


def test_flipping_one_byte_after_signing_makes_verification_fail(pdf, p12, root):
    assert sign(pdf, p12).exit_code == 0
    signed = pdf.with_name(pdf.stem + "-ttd.pdf")
    data = bytearray(signed.read_bytes())
    # one byte inside the data of a long stream of the signed part (not the keyword of an "endstream")
    starts = [m.end() for m in re.finditer(rb"(?<!end)stream\r?\n", data)]
    at = next(s for s in starts if s > len(data) // 3 and data.index(b"endstream", s) - s > 200) + 100
    data[at] ^= 0x01
    signed.write_bytes(bytes(data))
    r = verify(signed, root)
    assert r.exit_code == 1
    assert "galat: TIDAK UTUH: isi dokumen berubah sesudah ditandatangani" in r.output
    assert "Traceback" not in r.output and r.exception is None or isinstance(r.exception, SystemExit)


def test_bytes_appended_after_the_last_signature_are_reported(pdf, p12, root):
    assert sign(pdf, p12).exit_code == 0
    signed = pdf.with_name(pdf.stem + "-ttd.pdf")
    from renstra_gen.tte.update import open_update, written

    writer = open_update(signed.read_bytes())  # a later, unsigned revision: the title changed
    info = writer.prev.trailer_view.get_value_as_reference("/Info")
    from pyhanko.pdf_utils import generic

    info.get_object()["/Title"] = generic.TextStringObject("Dokumen lain")
    writer.mark_update(info)
    signed.write_bytes(written(writer))
    r = verify(signed, root)
    assert r.exit_code == 1
    assert "galat:" in r.output and "Hasil: " in r.output


def test_verify_without_a_trust_root_or_with_another_root_fails(pdf, p12, tmp_path):
    assert sign(pdf, p12).exit_code == 0
    signed = pdf.with_name(pdf.stem + "-ttd.pdf")
    r = verify(signed)
    assert r.exit_code == 1 and "berikan sertifikat akar dengan --akar" in r.output
    other = make_ca("CA Lain").write_pem(tmp_path / "lain.pem")
    r = verify(signed, other)
    assert r.exit_code == 1 and "sertifikat tidak sah terhadap akar yang diberikan" in r.output


def test_wrong_password_is_a_finding_and_nothing_is_written(pdf, p12):
    r = sign(pdf, p12, password="salah")
    assert r.exit_code == 1
    assert f"Gagal: {p12}: tidak dapat dibuka: kata sandi salah atau berkas bukan sertifikat PKCS#12" in r.output
    assert not pdf.with_name(pdf.stem + "-ttd.pdf").exists()


def test_password_is_read_from_standard_input_when_not_in_the_environment(pdf, p12):
    r = CliRunner().invoke(main, ["tandatangan", str(pdf), "--p12", str(p12)], input=PASSWORD + "\n",
                           env={"RENSTRA_P12_PASSWORD": None})
    assert r.exit_code == 0, r.output
    assert PASSWORD not in r.output


@pytest.mark.parametrize("days, message", [((-400, -5), "kedaluwarsa sejak"), ((5, 400), "baru berlaku mulai")])
def test_an_expired_or_not_yet_valid_certificate_is_refused_when_signing(pdf, ca, tmp_path, days, message):
    cert = make_p12(ca, tmp_path / "lain.p12", "Budi Santoso", valid_days=days)
    r = sign(pdf, cert)
    assert r.exit_code == 1
    assert re.search(rf"Gagal: .*lain\.p12: sertifikat Budi Santoso {message} \d\d-\d\d-\d{{4}}; "
                     "dokumen tidak ditandatangani", r.output), r.output
    assert not pdf.with_name(pdf.stem + "-ttd.pdf").exists()


def test_a_fully_signed_pdf_cannot_be_signed_again(pdf, p12):
    assert sign(pdf, p12).exit_code == 0
    signed = pdf.with_name(pdf.stem + "-ttd.pdf")
    r = sign(signed, p12, "--keluar", str(pdf.with_name("lagi.pdf")))
    assert r.exit_code == 1 and "semua bidang tanda tangan sudah ditandatangani" in r.output


def test_a_signature_made_with_an_expired_certificate_fails_verification(pdf, ca, root, tmp_path):
    """Signed elsewhere (pyHanko directly, which does not refuse), then checked by periksa-ttd."""
    from pyhanko.sign import fields, signers

    from renstra_gen.tte.update import open_update

    expired = make_p12(ca, tmp_path / "lama.p12", "Budi Santoso", valid_days=(-400, -5))
    signer = signers.SimpleSigner.load_pkcs12(str(expired), passphrase=PASSWORD.encode())
    writer = open_update(pdf.read_bytes())
    meta = signers.PdfSignatureMetadata(field_name="TTE_Penutup_Budi_Santoso_S_Sos", md_algorithm="sha256",
                                        subfilter=fields.SigSeedSubFilter.PADES)
    signed = io.BytesIO()
    signers.PdfSigner(meta, signer).sign_pdf(writer, output=signed)
    out = tmp_path / "lama-ttd.pdf"
    out.write_bytes(signed.getvalue())
    r = verify(out, root)
    assert r.exit_code == 1
    assert re.search(r"galat: sertifikat kedaluwarsa sejak \d\d-\d\d-\d{4}", r.output), r.output


def test_a_pdf_without_a_field_is_a_finding(tmp_path, p12):
    result = build(FIXTURES / "minimal", tmp_path, pdf=True, draft=True)
    draft = next(p for p in result.written if p.suffix == ".pdf")
    r = sign(draft, p12)
    assert r.exit_code == 1
    assert "tidak ada bidang tanda tangan kosong" in r.output
    r = verify(draft)
    assert r.exit_code == 1 and "tidak ada tanda tangan elektronik di dokumen ini" in r.output


def test_signing_into_the_unsigned_file_itself_is_refused(pdf, p12):
    before = pdf.read_bytes()
    r = sign(pdf, p12, "--keluar", str(pdf))
    assert r.exit_code == 1 and "berkas keluaran sama dengan masukan" in r.output
    assert pdf.read_bytes() == before


def test_not_a_pdf_is_a_finding(tmp_path, p12, root):
    junk = tmp_path / "bukan.pdf"
    junk.write_bytes(b"bukan pdf")
    for r in (sign(junk, p12), verify(junk, root)):
        assert r.exit_code == 1 and "bukan berkas PDF yang dapat dibaca" in r.output


def test_a_certificate_of_another_person_signs_with_a_warning(pdf, ca, root, tmp_path):
    other = make_p12(ca, tmp_path / "plt.p12", "Siti Aminah")
    r = sign(pdf, other)
    assert r.exit_code == 0
    assert (f"{pdf}: peringatan: nama pada sertifikat (Siti Aminah) berbeda dari nama pada blok tanda tangan "
            "(Budi Santoso, S.Sos)") in r.output
    assert r.output.count("peringatan:") == 1
    signed = pdf.with_name(pdf.stem + "-ttd.pdf")
    # verification names both people and fails: the signer is not the signatory the document prints
    r = verify(signed, root)
    assert r.exit_code == 1, r.output
    assert "penanda tangan: Siti Aminah" in r.output
    assert "penanda tangan tercetak: Budi Santoso, S.Sos, Pembina, NIP. 19800101 200501 1 001" in r.output
    assert r.output.count("galat: penanda tangan (Siti Aminah) bukan orang yang namanya tercetak "
                          "(Budi Santoso, S.Sos); bila memang ditandatangani orang lain (Plt./Plh.), periksa dengan "
                          "--izinkan-penanda-lain") == 2
    assert "Hasil: 2 dari 2 tanda tangan bermasalah." in r.output
    # a deputy signing on purpose: accepted when the verifier says so, and still shown
    r = CliRunner().invoke(main, ["periksa-ttd", str(signed), "--akar", str(root), "--izinkan-penanda-lain"])
    assert r.exit_code == 0, r.output
    assert r.output.count("diizinkan (--izinkan-penanda-lain): penanda tangan (Siti Aminah) bukan orang") == 2
    # the appearance does not put the printed rank and NIP under the other person's name
    fields = signature_fields(signed.read_bytes())
    page, rect, _ = fields["TTE_Penutup_Budi_Santoso_S_Sos"]
    assert [b for b in line_boxes(signed, page, r"^Siti Aminah$") if inside(b, rect)]
    assert len(line_boxes(signed, page, r"^Pembina$")) == 1  # the typed block's only
    assert len(line_boxes(signed, page, r"19800101")) == 1


@pytest.mark.parametrize("printed, certified, same", [
    ("Budi Santoso, S.Sos", "Budi Santoso", True),
    ("Dra. Ratna Wulandari, M.Si", "RATNA WULANDARI", True),
    ("Maria Sabina Mau Taek, SP", "Maria Sabina Mau Taek", True),
    ("Maria Sabina Mau Taek, SP", "Maria Sabina", True),  # a shorter form of the same name
    ("Budi\u00a0Santoso,\u00a0S.Sos", "budi santoso", True),  # printed with no-break spaces
    ("Budi Santoso, S.Sos", "Siti Aminah", False),
    ("Budi Santoso, S.Sos", "Budi", False),  # one word is not enough
    ("Maria Sabina Mau Taek, SP", "Maria Taek", False),  # words out of their place
    ("Budi Santoso", "", False),
])
def test_same_person_ignores_titles_degrees_and_case_but_not_names(printed, certified, same):
    from renstra_gen.tte.sign import same_person

    assert same_person(printed, certified) is same


def test_the_signature_commands_have_indonesian_help_with_an_example():
    for cmd in (["tandatangan"], ["periksa-ttd"]):
        out = CliRunner().invoke(main, cmd + ["--help"]).output
        assert "Contoh:" in out and "Tampilkan bantuan ini lalu keluar." in out
    assert "RENSTRA_P12_PASSWORD" in CliRunner().invoke(main, ["tandatangan", "--help"]).output


@pytest.fixture
def tsa_url(ca):
    """A local RFC 3161 time-stamp server (pyHanko's DummyTimeStamper behind http.server)."""
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    from asn1crypto import tsp
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    from tests.certs import make_tsa

    stamper = DummyTimeStamper(*make_tsa(ca))

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's name
            request = tsp.TimeStampReq.load(self.rfile.read(int(self.headers["Content-Length"])))
            body = stamper.request_tsa_response(request).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/tsr"
    server.shutdown()
    thread.join()


def test_a_time_stamp_server_adds_a_verified_time_stamp(pdf, p12, root, tsa_url):
    r = sign(pdf, p12, "--tsa", tsa_url)
    assert r.exit_code == 0, r.output
    r = verify(pdf.with_name(pdf.stem + "-ttd.pdf"), root)
    assert r.exit_code == 0, r.output
    assert r.output.count("cap waktu: ") == 2


def test_an_unreachable_time_stamp_server_is_a_finding(pdf, p12):
    r = sign(pdf, p12, "--tsa", "http://127.0.0.1:9/tsr")
    assert r.exit_code == 1
    assert "server cap waktu http://127.0.0.1:9/tsr tidak dapat dipakai" in r.output
    assert not pdf.with_name(pdf.stem + "-ttd.pdf").exists()


def test_a_signature_block_whose_lines_wrap_in_its_column_is_found():
    """A long place name (or the "[PANDUAN: ...]" text of a new content set) wraps in the narrow
    signature column; the block is still found, from its first line to the NIP."""
    from renstra_gen.tte.field import Line, Page, find_block

    texts = ["PENUTUP", "Ditetapkan di [PANDUAN: tempat", "penetapan]", "Pada tanggal 2 Januari 2025",
             "Kepala Dinas Contoh", "[PANDUAN: nama kepala", "Perangkat Daerah]", "NIP. [PANDUAN:", "NIP]", "30"]
    lines = [Line(t, 300.0, 100.0 + 14 * i, 450.0, 112.0 + 14 * i) for i, t in enumerate(texts)]
    page = Page(595.0, 842.0, lines)
    block = find_block([page], "Penutup", ["Ditetapkan di [PANDUAN: tempat penetapan]", "Pada tanggal 2 Januari 2025"],
                       "NIP. [PANDUAN: NIP]", from_end=True)
    assert block is not None and block.page == 0
    assert block.rect[3] > 842.0 - 114.0 > block.rect[1]  # from the first wrapped line ...
    assert block.rect[1] < 842.0 - (112.0 + 14 * 8)  # ... down to the NIP's second line
    assert find_block([page], "Penutup", ["Ditetapkan di Atambua"], "NIP. [PANDUAN: NIP]", from_end=True) is None


def test_the_final_renja_pdf_has_the_field_and_is_signed_with_its_attachments(tmp_path, ca, p12, root):
    """The Renja's PDF, like the Renstra's, carries an empty field over the Penutup's signature block
    of its own head of office; signing covers the whole file, attached documents included; signed with
    another office's head's certificate, the check says who is printed and who signed, and fails."""
    from renstra_gen.workflows.build import build_renja

    result = build_renja(FIXTURES / "dp3a", tmp_path, 2026, pdf=True)
    pdf = next(p for p in result.written if p.suffix == ".pdf")
    fields = signature_fields(pdf.read_bytes())
    assert list(fields) == ["TTE_Penutup_Yohanes_Bere_S_Sos_M_AP"]
    page, rect, _ = fields["TTE_Penutup_Yohanes_Bere_S_Sos_M_AP"]
    assert any(inside(box, rect) for box in line_boxes(pdf, page, r"^NIP\. 19780321 200312 1 007$"))
    wrong = shutil.copyfile(pdf, tmp_path / "salah.pdf")
    assert sign(wrong, p12).exit_code == 0  # Budi Santoso, of another office
    r = verify(wrong.with_name("salah-ttd.pdf"), root)
    assert r.exit_code == 1 and ("galat: penanda tangan (Budi Santoso) bukan orang yang namanya tercetak "
                                 "(Yohanes Bere, S.Sos, M.AP)") in r.output, r.output
    r = sign(pdf, make_p12(ca, tmp_path / "kadis.p12", "YOHANES BERE"))
    assert r.exit_code == 0, r.output
    r = verify(pdf.with_name(pdf.stem + "-ttd.pdf"), root)
    assert r.exit_code == 0 and "cakupan: seluruh dokumen\n" in r.output, r.output
    assert ("penanda tangan tercetak: Yohanes Bere, S.Sos, M.AP, Pembina Tingkat I, NIP. 19780321 200312 1 007"
            in r.output)
    draft = build_renja(FIXTURES / "dp3a", tmp_path / "draft", 2026, pdf=True, draft=True)
    assert signature_fields(next(p for p in draft.written if p.suffix == ".pdf").read_bytes()) == {}


def _blank_pdf(path, *fields: str):
    """A one-page PDF with the given empty signature fields (made with pyHanko, no LibreOffice)."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.writer import PdfFileWriter
    from pyhanko.sign import fields as sigfields

    w = PdfFileWriter()
    page = generic.DictionaryObject({
        generic.NameObject("/Type"): generic.NameObject("/Page"),
        generic.NameObject("/MediaBox"): generic.ArrayObject([generic.NumberObject(n) for n in (0, 0, 595, 842)]),
    })
    w.insert_page(page)
    out = io.BytesIO()
    w.write(out)
    for name in fields:
        inc = IncrementalPdfFileWriter(io.BytesIO(out.getvalue()))
        sigfields.append_signature_field(inc, sigfields.SigFieldSpec(name, box=(100, 100, 300, 160)))
        out = io.BytesIO()
        inc.write(out)
    path.write_bytes(out.getvalue())
    return path


def test_an_unsigned_pdf_names_its_empty_signature_fields(tmp_path):
    """periksa-ttd on a PDF not signed yet says which fields wait for a signature (issue 27)."""
    pdf = _blank_pdf(tmp_path / "akhir.pdf", "TTE_Penutup_Budi_Santoso_S_Sos")
    r = verify(pdf)
    assert r.exit_code == 1
    assert (f"{pdf}: tidak ada tanda tangan elektronik di dokumen ini; bidang tanda tangan yang masih kosong: "
            f"TTE_Penutup_Budi_Santoso_S_Sos (tanda tangani dengan aplikasi TTE, atau: renstra tandatangan {pdf} "
            "--p12 BERKAS)") in " ".join(r.output.split())
    bare = verify(_blank_pdf(tmp_path / "draf.pdf"))
    assert bare.exit_code == 1 and "tidak ada pula bidang tanda tangan" in bare.output


def test_the_unsigned_final_pdf_names_both_fields(pdf):
    r = verify(pdf)
    assert r.exit_code == 1 and "bidang tanda tangan yang masih kosong: " in r.output
    assert "TTE_KataPengantar_Budi_Santoso_S_Sos" in r.output and "TTE_Penutup_Budi_Santoso_S_Sos" in r.output
