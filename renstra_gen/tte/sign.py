"""Signing the prepared PDF with a PKCS#12 certificate: a PAdES baseline signature in each empty field.

The visible appearance (appearance.py) shows the block's opening lines and position, who signed
(the certificate's name), the NIP from the field, the signing date, and a QR code holding the
document's title and the SHA-256 of the PDF as it was before signing (the unsigned file, kept
beside the signed one).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import textwrap
from dataclasses import dataclass
from pathlib import Path

from renstra_gen.errors import SignatureError
from renstra_gen.tte.appearance import stamp_style
from renstra_gen.tte.field import field_details
from renstra_gen.system.pesan import os_reason

WRAP = 34  # characters per line of the position (jabatan) in the appearance


@dataclass
class Signed:
    pdf: bytes
    fields: list[str]
    signer: str
    warnings: list[str]


def load_p12(path: Path, password: str | None):
    """The signer in a PKCS#12 file, or a SignatureError (unreadable, wrong password, expired, not yet valid)."""
    from cryptography.hazmat.primitives.serialization import pkcs12
    from pyhanko.sign.signers import SimpleSigner

    from renstra_gen.tte.p12guard import BoundError, check_bounds, within_time

    try:
        data = Path(path).read_bytes()
    except OSError as e:
        raise SignatureError(f"{path}: tidak dapat dibaca ({os_reason(e)})") from e
    try:  # bounded work before OpenSSL sees the file: an iteration cap, then a timed trial
        check_bounds(data)
        within_time(data, password.encode() if password else None)
    except BoundError as e:  # a hostile file: a finding naming it
        from renstra_gen.errors import ContentError, Source, error

        raise ContentError([error(Source(str(path)), f"sertifikat {e}")]) from None
    try:
        _, cert, _ = pkcs12.load_key_and_certificates(data, password.encode() if password else None)
    except ValueError as e:
        raise SignatureError(f"{path}: tidak dapat dibuka: kata sandi salah atau berkas bukan sertifikat PKCS#12") from e
    if cert is None:
        raise SignatureError(f"{path}: tidak berisi sertifikat penanda tangan")
    now = dt.datetime.now(dt.timezone.utc)
    name = common_name(cert)
    if cert.not_valid_after_utc < now:
        raise SignatureError(f"{path}: sertifikat {name} kedaluwarsa sejak {cert.not_valid_after_utc:%d-%m-%Y}; "
                             "dokumen tidak ditandatangani")
    if cert.not_valid_before_utc > now:
        raise SignatureError(f"{path}: sertifikat {name} baru berlaku mulai {cert.not_valid_before_utc:%d-%m-%Y}; "
                             "dokumen tidak ditandatangani")
    return SimpleSigner.load_pkcs12_data(data, other_certs=[], passphrase=password.encode() if password else None)


def common_name(cert) -> str:
    """The subject's common name of a `cryptography` or `asn1crypto` certificate."""
    if hasattr(cert, "subject") and hasattr(cert.subject, "native"):  # asn1crypto
        return str(cert.subject.native.get("common_name", "")) or cert.subject.human_friendly
    from cryptography.x509.oid import NameOID

    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(names[0].value) if names else cert.subject.rfc4514_string()


def appearance_lines(signer: str, details: dict[str, str], when: dt.datetime) -> tuple[str, str]:
    """The lines above the QR code (the block's opening and the position) and below it (who signed, when)."""
    from renstra_gen.numbers import tanggal

    top = [line for line in details.get("Pembuka", "").split("\n") if line]
    if details.get("Jabatan"):
        top += textwrap.wrap(details["Jabatan"], WRAP)
    bottom = ["Ditandatangani secara elektronik oleh"]
    printed = details.get("Nama", "")
    if printed and same_person(printed, signer):
        # the signatory printed in the block signed: every line of the block as printed (name with its
        # degrees, rank, NIP), since the appearance is drawn over them
        bottom += [printed] + [line for line in (details.get("Pangkat"),) if line]
        if details.get("NIP"):
            bottom.append(f"NIP. {details['NIP']}")
    else:
        # another person signed (or the field carries no printed details): only who really signed; the
        # printed rank and NIP are another person's and are not repeated under this name
        bottom.append(signer)
    bottom.append(f"{tanggal(when)}, {when:%H:%M} {when.tzname() or ''}".strip())
    return "\n".join(top) or " ", "\n".join(bottom)


def qr_payload(title: str, digest: str) -> str:
    return f"{title}\nSHA-256: {digest}"


def document_title(writer) -> str:
    title = writer.document_meta_view.title
    if title:
        return str(title)
    info = writer.prev.trailer_view.get("/Info")
    return str(info.get_object().get("/Title", "")) if info is not None else ""


def empty_fields(writer) -> list[tuple[str, object]]:
    from pyhanko.sign.fields import enumerate_sig_fields

    return [(name, ref.get_object()) for name, _, ref in enumerate_sig_fields(writer, filled_status=False)]


def sign_pdf(pdf: bytes, p12: Path, password: str | None, *, field: str | None = None, tsa: str | None = None,
             what: str = "PDF") -> Signed:
    """Sign every empty signature field of `pdf` (or only `field`) with the certificate in `p12`."""
    from pyhanko.sign import fields, signers
    from pyhanko.sign.timestamps import HTTPTimeStamper
    from pyhanko.sign.timestamps.common_utils import TimestampRequestError

    from renstra_gen.tte.update import open_update, written

    signer = load_p12(p12, password)
    name = common_name(signer.signing_cert)
    writer = open_update(pdf, what)
    todo = empty_fields(writer)
    if field is not None:
        todo = [(n, f) for n, f in todo if n == field]
        if not todo:
            names = ", ".join(n for n, _ in empty_fields(writer)) or "tidak ada"
            raise SignatureError(f"{what}: tidak ada bidang tanda tangan kosong bernama {field} (yang ada: {names})")
    if not todo:
        from pyhanko.sign.fields import enumerate_sig_fields

        if any(True for _ in enumerate_sig_fields(writer, filled_status=True)):
            raise SignatureError(f"{what}: semua bidang tanda tangan sudah ditandatangani")
        raise SignatureError(f"{what}: tidak ada bidang tanda tangan kosong; susun PDF akhir dengan "
                             "`renstra build --pdf` (tanpa --draft) atau tambahkan bidang tanda tangan")
    from pyhanko.sign.fields import enumerate_sig_fields

    # the first signature certifies the document (DocMDP level 2: later revisions may only fill the
    # form and sign), so that a later revision drawing anything outside a field fails verification
    certify = not any(True for _ in enumerate_sig_fields(writer, filled_status=True))
    title = document_title(writer)
    digest = hashlib.sha256(pdf).hexdigest()
    warnings = []
    style = stamp_style()
    timestamper = HTTPTimeStamper(tsa) if tsa else None
    current = pdf
    for index, (field_name, field_obj) in enumerate(todo):
        details = field_details(field_obj)
        typed = details.get("Nama", "")
        if typed and not same_person(typed, name) and not warnings:
            warnings.append(f"nama pada sertifikat ({name}) berbeda dari nama pada blok tanda tangan ({typed})")
        if index:
            writer = open_update(current, what)
        when = dt.datetime.now().astimezone()
        first = certify and index == 0
        meta = signers.PdfSignatureMetadata(
            field_name=field_name, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
            name=name, reason=f"Penetapan dokumen ({details.get('Bagian') or field_name})",
            certify=first, docmdp_permissions=fields.MDPPerm.FILL_FORMS)
        pdf_signer = signers.PdfSigner(meta, signer, timestamper=timestamper, stamp_style=style)
        try:
            top, bottom = appearance_lines(name, details, when)
            current = _sign_once(pdf_signer, writer, {"atas": top, "bawah": bottom, "url": qr_payload(title, digest)})
        except TimestampRequestError as e:
            raise SignatureError(f"server cap waktu {tsa} tidak dapat dipakai ({e}); dokumen tidak ditandatangani") from e
    return Signed(current, [n for n, _ in todo], name, warnings)


def _sign_once(pdf_signer, writer, params) -> bytes:
    from pyhanko.pdf_utils import misc
    from pyhanko.sign.general import SigningError

    out = io.BytesIO()
    try:
        pdf_signer.sign_pdf(writer, output=out, appearance_text_params=params)
    except (SigningError, misc.PdfError) as e:
        raise SignatureError(f"penandatanganan gagal: {e}") from e
    return out.getvalue()


def person_key(name: str) -> str:
    """A personal name without its titles and case, for comparing.

    'Budi Santoso, S.Sos' -> 'budi santoso'; 'Dra. Ratna Wulandari, M.Si' -> 'ratna wulandari';
    'dr. H. ANDI' -> 'andi'. Degrees after the name follow a comma; titles before it end with a period."""
    words = name.replace("\u00a0", " ").split(",")[0].lower().split()
    while len(words) > 1 and words[0].endswith("."):
        words.pop(0)
    return " ".join(words)


def same_person(a: str, b: str) -> bool:
    """Whether two printed or certified names name one person (titles, degrees and case aside).

    A certificate may carry the name in capitals and without degrees, and one of the two may leave out
    a name ('Maria Sabina Mau Taek' and 'Maria Sabina Taek' do not match; 'Maria Sabina' does): at least
    two whole words of the shorter, in order and adjacent, not letters."""
    ka, kb = person_key(a).split(), person_key(b).split()
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    short, long = sorted((ka, kb), key=len)
    return len(short) >= 2 and any(long[i:i + len(short)] == short for i in range(len(long) - len(short) + 1))


def signed_path(pdf: Path) -> Path:
    """Where the signed copy goes by default: `x.pdf` -> `x-ttd.pdf` beside it."""
    return pdf.with_name(f"{pdf.stem}-ttd.pdf")


def sign_file(pdf: Path, p12: Path, password: str | None, out: Path | None = None, *, field: str | None = None,
              tsa: str | None = None) -> tuple[Path, Signed]:
    """`renstra tandatangan`: sign `pdf` into `out` (written atomically); the unsigned file is left as it is."""
    from renstra_gen.system.atomic import write_atomically

    target = Path(out) if out else signed_path(Path(pdf))
    if target.resolve() == Path(pdf).resolve():
        raise SignatureError(f"{target}: berkas keluaran sama dengan masukan; PDF yang belum ditandatangani "
                             "harus tetap disimpan, pilih nama lain dengan --keluar")
    try:
        data = Path(pdf).read_bytes()
    except OSError as e:
        raise SignatureError(f"{pdf}: tidak dapat dibaca ({os_reason(e)})") from e
    signed = sign_pdf(data, p12, password, field=field, tsa=tsa, what=str(pdf))
    # a link in the target's place is replaced (never written through); the copy keeps the input's mode
    write_atomically({target: signed.pdf}, replace_links=True, mode=os.stat(pdf).st_mode & 0o777)
    return target, signed
