"""Private documents share one model shape and one download door, whose permission accounts/ decides."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from khuyencong.accounts import permissions
from khuyencong.programme import services
from tests.factories import make_user
from tests.programme.factories import ProjectFactory
from tests.selection.factories import make_dossier, make_round

pytestmark = pytest.mark.django_db


def test_an_attached_paper_records_its_name_size_type_and_sender():
    officer = make_user("province_officer")
    doc = services.add_document(
        user=officer,
        project=ProjectFactory(),
        kind="proposal",
        upload=SimpleUploadedFile("Đề xuất.pdf", b"%PDF-1.4 hello"),
    )
    assert (doc.original_name, doc.size, doc.content_type, doc.uploaded_by) == (
        "Đề xuất.pdf",
        14,
        "application/pdf",
        officer,
    )
    assert doc.uploaded_at == doc.created_at
    assert doc.file.name.startswith("projects/") and "Đề xuất" not in doc.file.name


def test_a_project_paper_always_downloads_and_a_dossier_pdf_opens_in_the_browser(client):
    officer = make_user("province_officer")
    doc = services.add_document(
        user=officer,
        project=ProjectFactory(),
        kind="proposal",
        upload=SimpleUploadedFile("de-xuat.pdf", b"%PDF-1.4 hello"),
    )
    client.force_login(officer)
    response = client.get(reverse("programme:document_download", args=[doc.pk]))
    assert response["Content-Disposition"].startswith("attachment;")
    dossier_doc = make_dossier(make_round()).documents.get(kind="registration_form")
    client.force_login(make_user("admin"))
    response = client.get(reverse("selection:document_download", args=[dossier_doc.pk]))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("inline;")


def test_an_archived_paper_is_no_longer_served():
    officer = make_user("province_officer")
    doc = services.add_document(
        user=officer,
        project=ProjectFactory(),
        kind="proposal",
        upload=SimpleUploadedFile("de-xuat.pdf", b"%PDF-1.4 hello"),
    )
    assert permissions.may_download(officer, doc)
    services.archive_document(user=officer, document=doc)
    assert not permissions.may_download(officer, doc)
    assert not permissions.may_download(make_user("province_officer", province_id=92), doc)
