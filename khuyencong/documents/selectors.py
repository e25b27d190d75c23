"""Reads of the document register: a round's documents, and what a PDF someone holds is."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from khuyencong.catalogue.selectors import certificate_status
from khuyencong.selection.models import Certificate, Round

from . import signing
from .models import DocumentType, IssuedDocument, SignatureStatus

SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass
class Row:
    label: str
    number: str
    certificate: Certificate | None
    document: IssuedDocument | None


def round_documents(round_: Round) -> list[Row]:
    """The decision, then each certificate of the round, with its issued document when there is one."""
    docs = {
        (d.kind, d.certificate_id): d
        for d in IssuedDocument.objects.filter(round=round_).select_related("signed_by")
    }
    rows = [Row("decision", round_.decision_no, None, docs.get((DocumentType.DECISION, None)))]
    certificates = Certificate.objects.filter(result__round=round_).select_related("result__product")
    for cert in certificates.order_by("number"):
        rows.append(
            Row(cert.result.product.name, cert.number, cert, docs.get((DocumentType.CERTIFICATE, cert.pk)))
        )
    return rows


@dataclass
class PdfVerification:
    """What a PDF is. `verdict`: genuine (the signed document as registered, signature holding), unsigned
    (the document as issued, without its signature), altered (our document, but its signature or content
    does not hold), unknown (not a document of this register)."""

    verdict: str
    sha256: str
    document: IssuedDocument | None = None
    check: signing.SignatureCheck | None = None

    @property
    def genuine(self) -> bool:
        return self.verdict == "genuine"

    @property
    def certificate_status(self) -> str:
        """valid / expired / revoked for a certificate; "" for a decision."""
        doc = self.document
        if doc is None or doc.certificate is None:
            return ""
        return certificate_status(doc.certificate)


def _registered(q: Q) -> IssuedDocument | None:
    return (
        IssuedDocument.objects.filter(q)
        .select_related("round", "certificate__result__product__establishment")
        .first()
    )


def _first_revision_hashes(data: bytes) -> list[str]:
    """Hashes of the file as it stood before its first incremental update (the document as issued, when a
    signature was added to it), with the end-of-line variants a writer may leave after %%EOF."""
    at = data.find(b"%%EOF")
    if at < 0:
        return []
    end = at + len(b"%%EOF")
    return list({signing.sha256(data[: end + n]) for n in (0, 1, 2)})


def verify_sha256(digest: str) -> PdfVerification:
    """A hash pasted by a buyer: the signed PDF as registered, or the document as issued (unsigned)."""
    digest = (digest or "").strip().lower()
    if not SHA256.match(digest):
        return PdfVerification("unknown", digest)
    doc = _registered(Q(signed_sha256=digest, status=SignatureStatus.SIGNED))
    if doc is not None:
        return PdfVerification("genuine", digest, doc)
    doc = _registered(Q(original_sha256=digest))
    if doc is not None:
        return PdfVerification("unsigned", digest, doc)
    return PdfVerification("unknown", digest)


def verify_pdf(data: bytes) -> PdfVerification:
    """A PDF a buyer holds: genuine only when it is the signed document registered here byte for byte and
    its signature still holds (intact, whole file, trusted signer)."""
    digest = signing.sha256(data)
    found = verify_sha256(digest)
    if found.verdict == "genuine":
        found.check = signing.check_pdf(data)
        if not found.check.ok:
            found.verdict = "altered"
        return found
    if found.verdict == "unsigned":
        return found
    hashes = _first_revision_hashes(data)
    doc = _registered(Q(original_sha256__in=hashes)) if hashes else None
    if doc is not None:
        # our document with a signature that is not the registered one: say what does not hold
        check = signing.check_pdf(data)
        if check.ok:
            check.problems.append(_("This signed copy is not the one registered for the document."))
        return PdfVerification("altered", digest, doc, check)
    return PdfVerification(
        "unknown", digest, None, signing.check_pdf(data) if data.startswith(b"%PDF") else None
    )
