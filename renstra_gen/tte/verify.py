"""Verifying every electronic signature of a PDF: intact, covering the document, signer, certificate trust."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from renstra_gen.errors import ConversionError, SignatureError
from renstra_gen.tte.field import field_details
from renstra_gen.tte.sign import common_name, same_person
from renstra_gen.system.pesan import os_reason, reason


@dataclass
class SignatureCheck:
    """What was found about one signature: facts to print and problems (any problem fails the check)."""

    field: str
    signer: str = ""
    facts: list[str] = dataclasses.field(default_factory=list)
    problems: list[str] = dataclasses.field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def load_roots(paths: list[Path]) -> list:
    """Trust roots from PEM or DER files (asn1crypto certificates), or a SignatureError naming the file."""
    from pyhanko.keys import load_certs_from_pemder

    roots = []
    for path in paths:
        try:
            roots += list(load_certs_from_pemder([str(path)]))
        except OSError as e:
            raise SignatureError(f"{path}: tidak dapat dibaca ({os_reason(e)})") from e
        except (ValueError, TypeError) as e:
            raise SignatureError(f"{path}: bukan sertifikat PEM/DER") from e
    return roots


def _date(moment: dt.datetime | None) -> str:
    from renstra_gen.numbers import tanggal

    if moment is None:
        return "-"
    return f"{tanggal(moment)} {moment:%H:%M} {moment.tzname() or ''}".strip()


@dataclass
class Verification:
    checks: list[SignatureCheck]  # one per signature, in the order of the document
    empty_fields: list[str]  # signature fields not signed yet
    unsigned_sha256: str | None  # of the PDF before its first signature (what the QR code holds)

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)


def verify_pdf(pdf: bytes, roots: list, what: str = "PDF", *, other_signer: bool = False) -> Verification:
    """Every signature checked; a SignatureError if there is none.

    Each signer is also compared with the signatory printed in the block under the signature's field:
    another person's certificate is a problem, unless `other_signer` (a deputy signing on purpose)."""
    from pyhanko.pdf_utils import misc
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.settings import KeyUsageConstraints
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = list(reader.embedded_signatures)
    except (misc.PdfError, ValueError, KeyError, TypeError) as e:
        raise SignatureError(f"{what}: bukan berkas PDF yang dapat dibaca ({reason(e)})") from e
    if not signatures:
        raise SignatureError(f"{what}: tidak ada tanda tangan elektronik di dokumen ini; " + _unsigned_hint(reader, what))
    usage = KeyUsageConstraints(key_usage={"non_repudiation", "digital_signature"})
    checks = []
    whole = False
    for sig in signatures:
        check = SignatureCheck(sig.field_name)
        checks.append(check)
        context = ValidationContext(trust_roots=list(roots), allow_fetching=False)
        diff_failed = None
        try:
            status = validate_pdf_signature(sig, signer_validation_context=context, key_usage_settings=usage)
        except Exception as e:  # noqa: BLE001 - pyHanko raises many kinds on a damaged file or signature
            diff_failed = e  # often the analysis of the later revisions: check the signature alone
            try:
                status = validate_pdf_signature(sig, signer_validation_context=context, key_usage_settings=usage,
                                                skip_diff=True)
            except Exception as e2:  # noqa: BLE001
                check.problems.append(f"tanda tangan rusak dan tidak dapat diperiksa ({reason(e2)})")
                continue
        cert = status.signing_cert
        check.signer = common_name(cert)
        check.facts.append(f"penanda tangan: {check.signer}")
        _compare_printed(check, reader, pdf, sig.sig_field, other_signer)
        check.facts.append(f"waktu tanda tangan: {_date(status.signer_reported_dt)}")
        if status.timestamp_validity is not None:
            check.facts.append(f"cap waktu: {_date(status.timestamp_validity.timestamp)}")
        if status.intact and status.valid:
            check.facts.append("utuh: isi yang ditandatangani tidak berubah")
        else:
            check.problems.append("TIDAK UTUH: isi dokumen berubah sesudah ditandatangani")
            continue
        try:
            docmdp = sig.docmdp_level
        except Exception:  # noqa: BLE001 - a damaged reference dictionary: no certification to report
            docmdp = None
        if docmdp is not None:
            check.facts.append(f"sertifikasi dokumen (DocMDP) tingkat {docmdp.value}: "
                               f"{_DOCMDP.get(docmdp.value, '')}".rstrip(": "))
        added = later_changes(status)
        if added:
            check.facts.append(f"ditambahkan sesudahnya: {added}")
        if diff_failed is not None and status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
            check.problems.append("perubahan sesudah tanda tangan ini tidak dapat diperiksa: berkas rusak "
                                  f"({type(diff_failed).__name__})")
        elif status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
            whole = True
            check.facts.append("cakupan: seluruh dokumen")
        elif status.docmdp_ok is False:
            check.problems.append("revisi sesudah tanda tangan ini melanggar sertifikasi dokumen (DocMDP): "
                                  "ada isi terlihat yang ditambahkan di luar bidang tanda tangan/isian")
        elif (status.coverage == SignatureCoverageLevel.ENTIRE_REVISION and status.modification_level is not None
              and status.modification_level <= ModificationLevel.FORM_FILLING):
            check.facts.append("cakupan: seluruh dokumen pada saat ditandatangani; sesudahnya hanya "
                               "ditambah tanda tangan/isian formulir")
        else:
            check.problems.append("tidak mencakup seluruh dokumen: ada perubahan isi sesudah ditandatangani")
        until = cert["tbs_certificate"]["validity"]["not_after"].native
        since = cert["tbs_certificate"]["validity"]["not_before"].native
        if not roots:
            check.problems.append("keabsahan sertifikat tidak dapat diperiksa: berikan sertifikat akar dengan --akar")
        elif status.trusted:
            anchor = common_name(status.validation_path.trust_anchor.certificate) if status.validation_path else "-"
            check.facts.append(f"sertifikat: sah, berantai ke {anchor}, berlaku {since:%d-%m-%Y} s/d {until:%d-%m-%Y}")
        elif status.revoked:
            check.problems.append("sertifikat penanda tangan telah dicabut")
        else:
            now = dt.datetime.now(dt.timezone.utc)
            if until < now:
                check.problems.append(f"sertifikat kedaluwarsa sejak {until:%d-%m-%Y}")
            elif since > now:
                check.problems.append(f"sertifikat baru berlaku mulai {since:%d-%m-%Y}")
            else:
                indic = status.trust_problem_indic.name if status.trust_problem_indic else "tanpa rantai"
                check.problems.append(f"sertifikat tidak sah terhadap akar yang diberikan ({indic})")
    if not whole and all(c.ok for c in checks):
        checks[-1].problems.append("tidak ada tanda tangan yang mencakup bagian akhir berkas: "
                                   "ada tambahan sesudah tanda tangan terakhir")
    from pyhanko.sign.fields import enumerate_sig_fields

    return Verification(checks, [name for name, _, _ in enumerate_sig_fields(reader, filled_status=False)],
                        unsigned_digest(reader, pdf, min(sig.signed_revision for sig in signatures)))


def printed_lines(reader, pdf: bytes, field) -> list[str] | None:
    """The lines printed on the page under a signature field's rectangle (the typed signature block:
    the page's own text, not the field's appearance drawn over it), or None when they cannot be read."""
    from pyhanko.pdf_utils import misc

    from renstra_gen.content.pdftext import read_pages

    try:
        rect = [float(v) for v in field["/Rect"]]
        target = field.get_value_as_reference("/P").idnum
        count = int(reader.root["/Pages"]["/Count"])
        index = next((i for i in range(min(count, 10_000))
                      if reader.find_page_for_modification(i)[0].idnum == target), None)
    except (misc.PdfError, ValueError, KeyError, TypeError, AttributeError, IndexError):
        return None
    if index is None:
        return None
    try:
        page, = read_pages(pdf, index + 1, index + 1, failed="blok tanda tangan tidak dapat dibaca")
    except (ConversionError, ValueError):
        return None
    x1, y1, x2, y2 = min(rect[0], rect[2]), min(rect[1], rect[3]), max(rect[0], rect[2]), max(rect[1], rect[3])
    lines = []
    for line in page.lines:
        words = [w for w in line if x1 <= (w.x0 + w.x1) / 2 <= x2 and y1 <= page.height - (w.top + w.bottom) / 2 <= y2]
        if words:
            lines.append(" ".join(" ".join(w.text.replace("\u00a0", " ") for w in words).split()))
    return lines


def _compare_printed(check: SignatureCheck, reader, pdf: bytes, field, other_signer: bool) -> None:
    """The printed signatory beside the certificate's name; another person is a problem unless allowed.

    The field's details (tte/field.py) name the printed signatory, but only what the page really
    prints under the field is believed: the details are trusted as far as the print shows them."""
    lines = printed_lines(reader, pdf, field)
    if not lines:  # a field over no printed text (made by another application): nothing to compare with
        check.facts.append("tidak ada blok tanda tangan tercetak di bawah bidang ini; nama penanda tangan "
                           "tidak dibandingkan")
        return
    printed = " ".join(lines)
    details = field_details(field)
    name = details.get("Nama", "")
    if name and " ".join(name.split()) in printed:
        shown = [name] + [x for x in (details.get("Pangkat"), f"NIP. {details['NIP']}" if details.get("NIP")
                                      else "") if x and x in printed]
        check.facts.append(f"penanda tangan tercetak: {', '.join(shown)}")
        matches = same_person(name, check.signer)
    else:  # a field made elsewhere: the certificate's name must be one of the block's lines
        check.facts.append(f"blok tanda tangan tercetak: {' / '.join(lines)}")
        name = ""
        matches = any(same_person(line, check.signer) for line in lines)
    if matches:
        return
    who = f"({name})" if name else "di blok tanda tangan"
    mismatch = f"penanda tangan ({check.signer}) bukan orang yang namanya tercetak {who}"
    if other_signer:
        check.facts.append(f"diizinkan (--izinkan-penanda-lain): {mismatch}")
    else:
        check.problems.append(mismatch + "; bila memang ditandatangani orang lain (Plt./Plh.), periksa dengan "
                              "--izinkan-penanda-lain")


def _unsigned_hint(reader, what: str) -> str:
    """What an unsigned PDF holds: its empty signature fields (to be signed), or none at all."""
    from pyhanko.pdf_utils import misc
    from pyhanko.sign.fields import enumerate_sig_fields

    try:
        empty = [name for name, _, _ in enumerate_sig_fields(reader, filled_status=False)]
    except (misc.PdfError, ValueError, KeyError, TypeError, AttributeError):
        empty = []
    if not empty:
        return ("tidak ada pula bidang tanda tangan (PDF draf, atau PDF yang tidak dibuat dengan "
                "renstra build --pdf tanpa --draft)")
    fields = ", ".join(empty)
    return (f"bidang tanda tangan yang masih kosong: {fields} (tanda tangani dengan aplikasi TTE, "
            f"atau: renstra tandatangan {what} --p12 BERKAS)")


_DOCMDP = {1: "tidak boleh ada perubahan", 2: "hanya isian formulir dan tanda tangan",
           3: "isian formulir, tanda tangan dan anotasi"}


def later_changes(status) -> str:
    """What pyHanko's difference analysis saw added after a signature, in words ('' if nothing)."""
    from pyhanko.sign.diff_analysis import DiffResult, SuspiciousModification

    diff = getattr(status, "diff_result", None)
    if isinstance(diff, SuspiciousModification):
        return f"perubahan yang tidak diizinkan ({diff})"
    if isinstance(diff, DiffResult):
        fields = sorted(diff.changed_form_fields)
        if fields:
            return "isian/tanda tangan pada bidang " + ", ".join(fields)
    return ""


def unsigned_digest(reader, pdf: bytes, signed_revision: int) -> str | None:
    """SHA-256 of the file as it was before the revision that holds the first signature.

    Incremental updates append to the file, so that file is a prefix: everything up to the
    %%EOF line that ends the previous revision."""
    import hashlib

    if signed_revision < 1:
        return None
    try:
        end = reader.xrefs.get_xref_container_info(signed_revision - 1).end_location
        end = pdf.index(b"%%EOF", end) + 5
    except (ValueError, KeyError, IndexError):
        return None
    end += 2 if pdf[end:end + 2] == b"\r\n" else 1 if pdf[end:end + 1] in (b"\n", b"\r") else 0
    return hashlib.sha256(pdf[:end]).hexdigest()


def verify_file(pdf: Path, roots: list[Path], *, other_signer: bool = False) -> Verification:
    """`renstra periksa-ttd`: check every signature of the PDF at `pdf` against the trust roots in `roots`."""
    try:
        data = Path(pdf).read_bytes()
    except OSError as e:
        raise SignatureError(f"{pdf}: tidak dapat dibaca ({os_reason(e)})") from e
    return verify_pdf(data, load_roots(roots), str(pdf), other_signer=other_signer)
