"""Issuing, signing and accepting signed decisions and certificates (every write audited).

A document is issued once: its PDF is rendered and frozen (bytes and SHA-256 kept), so what is signed,
here or elsewhere, is exactly what was issued. Signing with the organisation's certificate runs as a
background task enqueued on commit (a round's certificates take a while to render); a PDF signed elsewhere
is checked (documents.signing.check_pdf) before it is accepted.
"""

from __future__ import annotations

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from khuyencong.accounts.permissions import can_configure_signatory, can_manage_round
from khuyencong.core.services import apply_fields
from khuyencong.core.uploads import validate_upload
from khuyencong.selection.models import Certificate, Round

from . import signing
from .layout import issuer_for, render_certificate_pdf, render_decision_pdf
from .models import DocumentType, IssuedDocument, Signatory, SignatoryKind, SignatureMethod, SignatureStatus

PDF_ONLY = {".pdf": b"%PDF"}


def _require_manage(user, round_: Round) -> None:
    if not can_manage_round(user, round_):
        raise PermissionDenied(_("Only the round's officers issue and sign its documents."))


def _require_decided(round_: Round) -> None:
    if not round_.decision_no or round_.is_historical:
        raise ValidationError(_("Record the decision first: the documents are issued from it."))


def _certificates(round_: Round):
    return Certificate.objects.filter(result__round=round_, revoked_at__isnull=True).select_related(
        "result__product__establishment"
    )


def _render(doc: IssuedDocument) -> bytes:
    if doc.kind == DocumentType.DECISION:
        return render_decision_pdf(doc.round)
    return render_certificate_pdf(doc.certificate)


def _freeze(doc: IssuedDocument) -> IssuedDocument:
    """Render the document once and keep the bytes it was issued with."""
    if doc.original:
        return doc
    data = _render(doc)
    doc.original.save(f"{doc.file_stem}.pdf", ContentFile(data), save=False)
    doc.original_sha256 = signing.sha256(data)
    doc.save()
    return doc


def _document(round_: Round, certificate: Certificate | None) -> IssuedDocument:
    if certificate is None:
        doc, _created = IssuedDocument.objects.get_or_create(
            round=round_, kind=DocumentType.DECISION, defaults={"number": round_.decision_no}
        )
    else:
        doc, _created = IssuedDocument.objects.get_or_create(
            certificate=certificate,
            defaults={"round": round_, "kind": DocumentType.CERTIFICATE, "number": certificate.number},
        )
    return doc


@transaction.atomic
def issue_document(*, user, round_: Round, certificate: Certificate | None = None) -> IssuedDocument:
    """The decision (certificate=None) or one certificate, issued: its PDF frozen for signing."""
    _require_manage(user, round_)
    _require_decided(round_)
    if certificate is not None and (certificate.result.round_id != round_.pk or certificate.revoked_at):
        raise ValidationError(_("This certificate is not a valid certificate of the round."))
    with set_actor(user):
        return _freeze(_document(round_, certificate))


@transaction.atomic
def request_signing(*, user, round_: Round) -> list[IssuedDocument]:
    """Sign the decision and every certificate of the round with the organisation's certificate: the
    documents are marked "being signed" now, the task renders and signs them after the commit."""
    from .tasks import sign_round_documents

    _require_manage(user, round_)
    _require_decided(round_)
    try:
        signing.signing_key()
    except signing.SigningNotConfigured as exc:
        raise ValidationError(str(exc)) from exc
    docs = [_document(round_, None), *(_document(round_, c) for c in _certificates(round_))]
    pending = [d for d in docs if d.status != SignatureStatus.SIGNED]
    if not pending:
        raise ValidationError(_("Every document of this round is already signed."))
    with set_actor(user):
        for doc in pending:
            doc.status = SignatureStatus.SIGNING
            doc.failure = ""
            doc.save(update_fields=["status", "failure", "updated_at"])
    ids = [d.pk for d in pending]
    transaction.on_commit(lambda: sign_round_documents.enqueue(ids, user.pk))
    return pending


def sign_documents(ids: list[int], user) -> int:
    """The task's work: each document rendered (if not yet) and signed; a failure is recorded on the
    document, the others go on. Returns how many were signed."""
    done = 0
    for doc in IssuedDocument.objects.filter(pk__in=ids).select_related("round", "certificate__result"):
        try:
            with transaction.atomic(), set_actor(user):
                doc = IssuedDocument.objects.select_for_update().get(pk=doc.pk)
                if doc.status == SignatureStatus.SIGNED:
                    continue
                _freeze(doc)
                issuer = issuer_for(SignatoryKind.DECISION, round_=doc.round)
                result = signing.sign_pdf(
                    doc.original.open("rb").read(),
                    reason=f"{doc.get_kind_display()} {doc.number}",
                    location=issuer.place,
                )
                _store_signed(
                    doc,
                    result.data,
                    user,
                    SignatureMethod.KEY,
                    result.signer_name,
                    result.signer_issuer,
                    result.serial,
                    timezone.now(),
                )
                done += 1
        except (signing.SigningNotConfigured, OSError, ValueError) as exc:
            IssuedDocument.objects.filter(pk=doc.pk).update(status=SignatureStatus.FAILED, failure=str(exc))
    return done


def _store_signed(doc, data, user, method, name, issuer, serial, when) -> None:
    doc.signed.save(f"{doc.file_stem}-da-ky.pdf", ContentFile(data), save=False)
    doc.signed_sha256 = signing.sha256(data)
    doc.method = method
    doc.signer_name, doc.signer_issuer, doc.signer_serial = name[:300], issuer[:300], serial[:80]
    doc.signed_at = when
    doc.signed_by = user
    doc.status = SignatureStatus.SIGNED
    doc.failure = ""
    doc.save()


@transaction.atomic
def accept_signed_upload(*, user, document: IssuedDocument, upload) -> IssuedDocument:
    """A PDF the signer signed elsewhere (their own token): accepted only when its signature is intact and
    trusted, covers the whole file, and what it signs is the document issued here, unchanged."""
    document = IssuedDocument.objects.select_for_update().select_related("round").get(pk=document.pk)
    _require_manage(user, document.round)
    if document.status == SignatureStatus.SIGNED:
        raise ValidationError(_("This document is already signed."))
    if not document.original:
        raise ValidationError(_("Download the document to sign first: the upload is checked against it."))
    validate_upload(upload, PDF_ONLY)
    data = upload.read()
    check = signing.check_pdf(data, original=document.original.open("rb").read())
    if not check.ok:
        raise ValidationError([_("The signed PDF is refused:"), *check.problems])
    with set_actor(user):
        _store_signed(
            document,
            data,
            user,
            SignatureMethod.UPLOAD,
            check.signer_name,
            check.signer_issuer,
            check.serial,
            check.signed_at or timezone.now(),
        )
    return document


SIGNATORY_FIELDS = [
    "superior_body",
    "issuing_body",
    "symbol",
    "place_name",
    "decider",
    "authority",
    "title",
    "name",
    "recipients",
    "legal_basis",
]


@transaction.atomic
def save_signatory(*, user, kind: str, province, data: dict) -> Signatory:
    """Who signs an organisation's decisions (and certificates) or reports: its issuing body, place, the
    signer's authority, title and name, "Nơi nhận". Documents already issued keep what they were issued with."""
    province_id = getattr(province, "pk", province)
    if not can_configure_signatory(user, province_id):
        raise PermissionDenied(_("Only the organisation's officers set who signs its documents."))
    if kind not in SignatoryKind.values:
        raise ValidationError({"kind": _("Choose the decision or the report.")})
    errors = {}
    for field in ("issuing_body", "place_name", "title"):
        if not (data.get(field) or "").strip():
            errors[field] = _("This field is required.")
    if errors:
        raise ValidationError(errors)
    signatory = Signatory.objects.select_for_update().filter(
        kind=kind, province_id=province_id, round__isnull=True
    ).first() or Signatory(kind=kind, province_id=province_id)
    with set_actor(user):
        apply_fields(signatory, data, SIGNATORY_FIELDS)
        signatory.save()
    return signatory
