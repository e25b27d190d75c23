"""PAdES signatures with pyHanko: sign a PDF with the organisation's PKCS#12 certificate, and check a signed
PDF (intact, covering the whole file, the content the one issued, the signer chaining to a trusted root).

Configuration (settings, from the environment): PDF_SIGNING_P12 and PDF_SIGNING_PASSPHRASE (the
organisation's certificate and key), PDF_TRUST_ROOTS (PEM/DER files of the roots a signer must chain to).
Outside production, with nothing configured, the demo CA (documents.democa) stands in.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from . import democa


class SigningNotConfigured(Exception):
    pass


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _demo_allowed() -> bool:
    return getattr(settings, "PDF_SIGNING_DEMO", False)


def signing_key() -> tuple[Path, bytes]:
    """The PKCS#12 file and passphrase the organisation signs with."""
    path = getattr(settings, "PDF_SIGNING_P12", "")
    if path:
        return Path(path), (getattr(settings, "PDF_SIGNING_PASSPHRASE", "") or "").encode()
    if _demo_allowed():
        _root, p12 = democa.ensure_demo_ca()
        return p12, democa.DEMO_PASSPHRASE.encode()
    raise SigningNotConfigured(
        _("No signing certificate is configured (PDF_SIGNING_P12): sign elsewhere and upload the signed PDF.")
    )


def trust_root_files() -> list[Path]:
    files = [Path(p) for p in getattr(settings, "PDF_TRUST_ROOTS", []) if p]
    if _demo_allowed():
        root = democa.demo_folder() / "root.pem"
        if not files or root.exists():
            files.append(democa.ensure_demo_ca()[0] if not root.exists() else root)
    return files


def _load_cert(path: Path):
    from asn1crypto import pem, x509

    data = path.read_bytes()
    if pem.detect(data):
        _type, _headers, data = pem.unarmor(data)
    return x509.Certificate.load(data)


def _own_roots() -> list:
    """The self-signed roots shipped in the organisation's own PKCS#12 chain: what it signs is trusted
    without listing its CA again in PDF_TRUST_ROOTS."""
    from asn1crypto import x509
    from cryptography.hazmat.primitives.serialization import Encoding, pkcs12

    path = getattr(settings, "PDF_SIGNING_P12", "")
    if not path:
        return []
    try:
        bundle = pkcs12.load_pkcs12(
            Path(path).read_bytes(), (getattr(settings, "PDF_SIGNING_PASSPHRASE", "") or "").encode() or None
        )
    except (OSError, ValueError):
        return []
    return [
        x509.Certificate.load(c.certificate.public_bytes(Encoding.DER))
        for c in bundle.additional_certs
        if c.certificate.issuer == c.certificate.subject
    ]


def trust_roots() -> list:
    return [_load_cert(p) for p in trust_root_files() if p.exists()] + _own_roots()


def describe(cert) -> tuple[str, str, str]:
    """(subject, issuer, serial) of an asn1crypto certificate, as people read them."""
    subject = cert.subject.native.get("common_name") or cert.subject.human_friendly
    issuer = cert.issuer.native.get("common_name") or cert.issuer.human_friendly
    return subject, issuer, format(cert.serial_number, "X")


@dataclass
class SignedResult:
    data: bytes
    signer_name: str
    signer_issuer: str
    serial: str


def sign_pdf(data: bytes, *, reason: str, location: str) -> SignedResult:
    """The PDF with a PAdES signature (an incremental update: the issued bytes stay a prefix)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    p12, passphrase = signing_key()
    try:
        signer = signers.SimpleSigner.load_pkcs12(str(p12), passphrase=passphrase)
    except Exception as exc:  # noqa: BLE001 - pyHanko raises several kinds for a bad file or passphrase
        raise SigningNotConfigured(
            _("The signing certificate %(file)s cannot be opened: %(error)s") % {"file": p12, "error": exc}
        ) from exc
    if signer is None:
        raise SigningNotConfigured(_("The signing certificate %(file)s cannot be opened.") % {"file": p12})
    writer = IncrementalPdfFileWriter(BytesIO(data), strict=False)
    meta = signers.PdfSignatureMetadata(
        field_name="ChuKySo",
        reason=reason,
        location=location,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
    )
    out = signers.sign_pdf(writer, meta, signer=signer)
    subject, issuer, serial = describe(signer.signing_cert)
    return SignedResult(out.getvalue(), subject, issuer, serial)


@dataclass
class SignatureCheck:
    """What a signed PDF's check found. `problems` empty: the signature holds."""

    problems: list[str] = field(default_factory=list)
    signer_name: str = ""
    signer_issuer: str = ""
    serial: str = ""
    signed_at: datetime | None = None
    signatures: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def check_pdf(data: bytes, *, original: bytes | None = None) -> SignatureCheck:
    """Check the last signature of a PDF: readable, signed, intact and valid, covering the whole file, made
    by a certificate that chains to a trusted root; with `original`, the signed content must be exactly those
    bytes with a signature added (nothing else changed)."""
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    result = SignatureCheck()
    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except (PdfReadError, ValueError, KeyError, TypeError, IndexError) as exc:
        result.problems.append(_("The file is not a readable PDF (%(error)s).") % {"error": exc})
        return result
    result.signatures = len(signatures)
    if not signatures:
        result.problems.append(_("The PDF carries no digital signature."))
        return result
    sig = signatures[-1]
    context = ValidationContext(trust_roots=trust_roots(), allow_fetching=False)
    try:
        status = validate_pdf_signature(sig, context)
    except Exception as exc:  # noqa: BLE001 - a malformed signature dictionary raises anything
        result.problems.append(_("The signature cannot be read (%(error)s).") % {"error": exc})
        return result
    result.signer_name, result.signer_issuer, result.serial = describe(status.signing_cert)
    result.signed_at = status.signer_reported_dt
    if not status.intact:
        result.problems.append(
            _("The document was altered after it was signed: the signature no longer matches.")
        )
    elif not status.valid:
        result.problems.append(
            _("The signature is not valid (the signed data does not match the certificate).")
        )
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        result.problems.append(
            _(
                "Something was added to the PDF after it was signed: the signature does not cover the whole file."
            )
        )
    if status.intact and status.valid and not status.trusted:
        result.problems.append(
            _(
                "The signer's certificate (%(subject)s, issued by %(issuer)s) does not chain to a trusted root."
            )
            % {"subject": result.signer_name, "issuer": result.signer_issuer}
        )
    if original is not None and not data.startswith(original):
        result.problems.append(
            _(
                "The signed PDF is not the document issued: sign the PDF downloaded from this system, unchanged."
            )
        )
    elif original is not None and (
        status.modification_level is None or status.modification_level > ModificationLevel.FORM_FILLING
    ):
        result.problems.append(_("The PDF was changed between the issued document and the signature."))
    return result
