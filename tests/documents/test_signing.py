"""Signing with the organisation's certificate, accepting a PDF signed elsewhere only when it holds, and
telling a buyer whether the PDF they hold is the genuine signed one (page, hash, command line)."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from khuyencong.documents import democa, selectors, services
from khuyencong.documents.models import IssuedDocument
from tests.factories import make_user

from .factories import decided_round, sign_with, stranger_p12

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return make_user("province_officer", username="sct")


def _signed_round(officer):
    round_, cert = decided_round(officer)
    services.request_signing(user=officer, round_=round_)  # the task runs at the commit (here: at once)
    return round_, IssuedDocument.objects.get(certificate=cert)


def test_signing_the_round_signs_the_decision_and_each_certificate(officer):
    round_, doc = _signed_round(officer)
    docs = IssuedDocument.objects.filter(round=round_)
    assert {d.kind for d in docs} == {"decision", "certificate"}
    assert all(d.status == "signed" and d.method == "key" for d in docs)
    assert "Cà Mau" in doc.signer_name and "Demo Root CA" in doc.signer_issuer
    signed = doc.signed.open("rb").read()
    assert signed.startswith(doc.original.open("rb").read())  # an incremental update over what was issued
    assert selectors.verify_pdf(signed).genuine


def test_a_tampered_pdf_is_not_genuine_and_says_why(officer):
    _round, doc = _signed_round(officer)
    signed = doc.signed.open("rb").read()
    at = signed.index(b"/Producer")
    tampered = signed[:at] + signed[at:].replace(b"WeasyPrint", b"WeasyPrinX", 1)
    result = selectors.verify_pdf(tampered)
    assert result.verdict == "altered" and result.document == doc
    assert any(
        "altered after it was signed" in p or "thay đổi sau khi ký" in p for p in result.check.problems
    )


def test_content_added_after_the_signature_is_refused(officer):
    _round, doc = _signed_round(officer)
    signed = doc.signed.open("rb").read()
    result = selectors.verify_pdf(signed + b"\n% one more line\n")
    assert result.verdict == "altered"
    assert result.check.problems


def _issued(officer):
    round_, cert = decided_round(officer)
    doc = services.issue_document(user=officer, round_=round_, certificate=cert)
    return doc, doc.original.open("rb").read()


def test_a_pdf_signed_elsewhere_by_a_trusted_signer_is_accepted(officer):
    doc, original = _issued(officer)
    _root, p12 = democa.ensure_demo_ca()
    signed = sign_with(original, p12, democa.DEMO_PASSPHRASE.encode())
    upload = SimpleUploadedFile("signed.pdf", signed, content_type="application/pdf")
    services.accept_signed_upload(user=officer, document=doc, upload=upload)
    doc.refresh_from_db()
    assert doc.status == "signed" and doc.method == "upload"
    assert selectors.verify_sha256(doc.signed_sha256).genuine


def test_a_pdf_signed_by_an_untrusted_certificate_is_refused(officer, tmp_path):
    doc, original = _issued(officer)
    signed = sign_with(original, stranger_p12(tmp_path), b"x")
    with pytest.raises(ValidationError) as refused:
        services.accept_signed_upload(
            user=officer,
            document=doc,
            upload=SimpleUploadedFile("s.pdf", signed, content_type="application/pdf"),
        )
    assert any("Kẻ giả mạo" in m for m in refused.value.messages)
    doc.refresh_from_db()
    assert doc.status == "issued" and not doc.signed_sha256


def test_a_signed_pdf_of_another_document_is_refused(officer):
    doc, _original = _issued(officer)
    other = services.issue_document(user=officer, round_=doc.round)  # the decision
    _root, p12 = democa.ensure_demo_ca()
    signed = sign_with(other.original.open("rb").read(), p12, democa.DEMO_PASSPHRASE.encode())
    with pytest.raises(ValidationError) as refused:
        services.accept_signed_upload(
            user=officer,
            document=doc,
            upload=SimpleUploadedFile("s.pdf", signed, content_type="application/pdf"),
        )
    assert len(refused.value.messages) == 2  # "refused:" and the reason: not the document issued


def test_an_unsigned_upload_is_refused(officer):
    doc, original = _issued(officer)
    with pytest.raises(ValidationError):
        services.accept_signed_upload(
            user=officer,
            document=doc,
            upload=SimpleUploadedFile("s.pdf", original, content_type="application/pdf"),
        )


def test_only_the_rounds_officers_sign():
    from django.core.exceptions import PermissionDenied

    officer = make_user("province_officer", username="sct")
    round_, _cert = decided_round(officer)
    other = make_user("province_officer", username="ct", province_id=92)
    with pytest.raises(PermissionDenied):
        services.request_signing(user=other, round_=round_)


def test_hash_lookup_tells_genuine_unsigned_and_unknown(officer):
    _round, doc = _signed_round(officer)
    assert selectors.verify_sha256(doc.signed_sha256.upper()).verdict == "genuine"
    assert selectors.verify_sha256(doc.original_sha256).verdict == "unsigned"
    assert selectors.verify_sha256("0" * 64).verdict == "unknown"
    assert selectors.verify_sha256("not a hash").verdict == "unknown"


def test_the_public_page_checks_an_uploaded_pdf_and_a_pasted_hash(client, officer):
    _round, doc = _signed_round(officer)
    signed = doc.signed.open("rb").read()
    page = client.post("/verify/pdf/", {"file": SimpleUploadedFile("gcn.pdf", signed)})
    text = page.content.decode()
    assert page.status_code == 200 and 'id="pdf-verdict"' in text and doc.number in text
    assert doc.signer_name in text
    # the certificate's own verification page gives the signed copy's fingerprint
    page = client.get(f"/verify/{doc.certificate.number}")
    assert doc.signed_sha256 in page.content.decode()
    page = client.get("/verify/pdf/", {"sha256": "f" * 64})
    assert page.status_code == 404
    page = client.post("/verify/pdf/", {"sha256": "xyz"})
    assert page.status_code == 200 and "64" in page.content.decode()


def test_the_public_check_is_rate_limited(client, settings, officer):
    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "verify": "2/m"}
    from django.core.cache import cache

    cache.clear()
    codes = [client.get("/verify/pdf/", {"sha256": "f" * 64}).status_code for _ in range(3)]
    assert codes[-1] == 429


def test_verify_pdf_on_the_command_line_exits_0_only_for_the_genuine_signed_pdf(officer, tmp_path, capsys):
    _round, doc = _signed_round(officer)
    good = tmp_path / "good.pdf"
    good.write_bytes(doc.signed.open("rb").read())
    call_command("verify-pdf", str(good))
    assert doc.number in capsys.readouterr().out
    unsigned = tmp_path / "unsigned.pdf"
    unsigned.write_bytes(doc.original.open("rb").read())
    with pytest.raises(SystemExit) as exit_:
        call_command("verify-pdf", str(unsigned))
    assert exit_.value.code == 1


def test_the_officer_signs_from_the_documents_page_and_uploads_a_signed_copy(client, officer):
    round_, cert = decided_round(officer)
    client.force_login(officer)
    page = client.get(f"/documents/rounds/{round_.pk}/")
    assert page.status_code == 200 and cert.number in page.content.decode()
    response = client.post(f"/documents/rounds/{round_.pk}/issue/", {"certificate": cert.pk})
    doc = IssuedDocument.objects.get(certificate=cert)
    assert response.url == f"/documents/{doc.pk}/issued.pdf"
    original = client.get(response.url).content
    assert original == doc.original.open("rb").read()
    _root, p12 = democa.ensure_demo_ca()
    signed = sign_with(original, p12, democa.DEMO_PASSPHRASE.encode())
    client.post(f"/documents/{doc.pk}/upload/", {"file": SimpleUploadedFile("s.pdf", signed)})
    doc.refresh_from_db()
    assert doc.status == "signed"
    # the certificate's PDF is now the signed one
    assert client.get(f"/selection/certificates/{cert.pk}/pdf/").content == signed
    client.post(f"/documents/rounds/{round_.pk}/sign/")
    assert IssuedDocument.objects.get(round=round_, kind="decision").status == "signed"
    page = client.get(f"/documents/rounds/{round_.pk}/").content.decode()
    assert 'data-testid="all-signed"' in page and 'data-testid="sign-all"' not in page


def test_a_department_signs_with_its_own_pkcs12_and_its_chain_root_is_trusted(officer, settings, tmp_path):
    settings.PDF_SIGNING_DEMO = False
    settings.PDF_SIGNING_P12 = str(stranger_p12(tmp_path))  # the department's own CA, not the demo's
    settings.PDF_SIGNING_PASSPHRASE = "x"
    _round, doc = _signed_round(officer)
    assert doc.signer_name == "Kẻ giả mạo"
    assert selectors.verify_pdf(doc.signed.open("rb").read()).genuine
    settings.PDF_SIGNING_P12 = ""
    with pytest.raises(ValidationError):  # nothing configured in production: sign elsewhere and upload
        services.request_signing(user=officer, round_=_round)
