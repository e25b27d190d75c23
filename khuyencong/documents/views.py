"""A round's official documents (issue, sign, upload a signed copy) and the public check of a PDF."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khuyencong.accounts.permissions import can_manage_round
from khuyencong.accounts.ratelimits import rate_limited
from khuyencong.core.forms import flash_form_errors, run_action, run_service
from khuyencong.selection.models import Certificate
from khuyencong.selection.selectors import may_see_results, visible_rounds

from . import selectors, services, signing
from .forms import SignedUploadForm, VerifyPdfForm
from .layout import decision_pdf
from .models import IssuedDocument

MAX_VERIFY_BYTES = 20 * 1024 * 1024


def _round(request, pk):
    return get_object_or_404(visible_rounds(request.user), pk=pk)


def _pdf(data: bytes, name: str, inline: bool = True) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{name}"'
    return response


@login_required
def round_documents(request, pk):
    round_ = _round(request, pk)
    manage = can_manage_round(request.user, round_)
    if not (manage or may_see_results(request.user, round_)):
        raise PermissionDenied
    try:
        signing.signing_key()
        key_configured = True
    except signing.SigningNotConfigured:
        key_configured = False
    rows = selectors.round_documents(round_)
    return render(
        request,
        "documents/round_documents.html",
        {
            "round": round_,
            "rows": rows,
            "all_signed": all(r.document is not None and r.document.is_signed for r in rows),
            "manage": manage,
            "key_configured": key_configured,
            "upload_form": SignedUploadForm(),
        },
    )


@login_required
def decision_file(request, pk):
    round_ = _round(request, pk)
    if not may_see_results(request.user, round_) or not round_.decision_no:
        raise PermissionDenied
    return _pdf(decision_pdf(round_), f"quyet-dinh-{round_.code}.pdf")


@login_required
@require_POST
def issue(request, pk):
    """Freeze the decision (or one certificate) and hand out the PDF to sign elsewhere."""
    round_ = _round(request, pk)
    certificate = None
    if request.POST.get("certificate"):
        certificate = get_object_or_404(Certificate, pk=request.POST["certificate"], result__round=round_)
    doc = run_action(
        request,
        lambda: services.issue_document(user=request.user, round_=round_, certificate=certificate),
        None,
    )
    if doc is None:
        return redirect("documents:round_documents", pk=pk)
    return redirect("documents:original", pk=doc.pk)


@login_required
@require_POST
def sign(request, pk):
    round_ = _round(request, pk)
    run_action(
        request,
        lambda: services.request_signing(user=request.user, round_=round_),
        lambda docs: (
            _("Signing %(n)s document(s) with the organisation's certificate; refresh in a moment.")
            % {"n": len(docs)}
        ),
    )
    return redirect("documents:round_documents", pk=pk)


def _document(request, pk) -> IssuedDocument:
    doc = get_object_or_404(IssuedDocument.objects.select_related("round"), pk=pk)
    if not visible_rounds(request.user).filter(pk=doc.round_id).exists():
        raise PermissionDenied
    return doc


@login_required
def original(request, pk):
    doc = _document(request, pk)
    if not can_manage_round(request.user, doc.round) or not doc.original:
        raise PermissionDenied
    return _pdf(doc.original.open("rb").read(), f"{doc.file_stem}.pdf", inline=False)


@login_required
def signed(request, pk):
    doc = _document(request, pk)
    if not may_see_results(request.user, doc.round) or not doc.is_signed:
        raise PermissionDenied
    return _pdf(doc.signed.open("rb").read(), f"{doc.file_stem}-da-ky.pdf")


@login_required
@require_POST
def upload_signed(request, pk):
    doc = _document(request, pk)
    form = SignedUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        flash_form_errors(request, form, labels=False)
    else:
        run_action(
            request,
            lambda: services.accept_signed_upload(
                user=request.user, document=doc, upload=form.cleaned_data["file"]
            ),
            _("Signed PDF accepted: %(doc)s.") % {"doc": doc},
        )
    return redirect("documents:round_documents", pk=doc.round_id)


@rate_limited("verify")
def verify_pdf(request):
    """Public: is the PDF a buyer holds the genuine signed document? (upload, or its SHA-256)"""
    result = None
    form = VerifyPdfForm(request.POST or None, request.FILES or None) if request.method == "POST" else None
    if form is None and request.GET.get("sha256"):
        form = VerifyPdfForm({"sha256": request.GET["sha256"]})
    if form is None:
        form = VerifyPdfForm()
    elif form.is_valid():
        upload = form.cleaned_data.get("file")
        if upload is not None:
            if upload.size > MAX_VERIFY_BYTES:
                form.add_error("file", _("The file is larger than 20 MB: it is not one of our documents."))
            else:
                result = selectors.verify_pdf(upload.read())
        else:
            digest = form.cleaned_data["sha256"].strip().lower()
            if not selectors.SHA256.match(digest):
                form.add_error("sha256", _("A SHA-256 fingerprint is 64 hexadecimal characters (0–9, a–f)."))
            else:
                result = selectors.verify_sha256(digest)
    status = 200 if result is None or result.genuine else 404 if result.verdict == "unknown" else 200
    response = render(request, "documents/verify_pdf.html", {"form": form, "result": result}, status=status)
    response["Cache-Control"] = "no-store"
    return response


@login_required
def signatories(request):
    """Who signs the organisation's decisions and reports (the officer's province, or the Ministry's agency)."""
    from khuyencong.accounts.permissions import can_configure_signatory

    from .forms import SignatoryForm
    from .layout import issuer_for
    from .models import Signatory, SignatoryKind

    province = request.user.province if getattr(request.user, "province_id", None) else None
    if not can_configure_signatory(request.user, province.pk if province else None):
        raise PermissionDenied
    forms = {}
    for kind, label in SignatoryKind.choices:
        found = Signatory.objects.filter(kind=kind, province=province, round__isnull=True).first()
        issuer = issuer_for(kind, province=province)
        initial = {
            "superior_body": issuer.superior,
            "issuing_body": issuer.body,
            "symbol": issuer.symbol,
            "place_name": issuer.place,
            "decider": issuer.decider,
            "authority": issuer.authority,
            "title": issuer.title,
            "name": issuer.name,
            "recipients": "\n".join(issuer.recipients),
        }
        bound = request.method == "POST" and request.POST.get("kind") == kind
        form = SignatoryForm(
            request.POST if bound else None, instance=found, initial=None if found else initial, prefix=kind
        )
        if kind == SignatoryKind.REPORT:  # a report has no decider nor legal basis
            for name in ("decider", "legal_basis"):
                form.fields.pop(name)
        if bound and form.is_valid():
            saved = run_service(
                request,
                form,
                lambda form=form, kind=kind: services.save_signatory(
                    user=request.user, kind=kind, province=province, data=form.cleaned_data
                ),
                _("Saved: the next documents are issued with these details."),
            )
            if saved:
                return redirect("documents:signatories")
        forms[kind] = {"form": form, "label": label, "configured": found is not None}
    return render(request, "documents/signatories.html", {"forms": forms, "province": province})
