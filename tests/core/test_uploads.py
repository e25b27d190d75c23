"""Uploads: images written anew by Pillow (no metadata, no polyglot payload), size caps per kind, PDFs served
as attachments that browsers may not sniff into something else."""

from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from khuyencong.core.uploads import clean_image
from khuyencong.registry import services
from tests.factories import ProductFactory, make_user

pytestmark = pytest.mark.django_db

PAYLOAD = b"<html><script>alert(document.cookie)</script></html>PK\x03\x04polyglot"


def jpeg_with_gps_and_a_payload() -> bytes:
    image = Image.new("RGB", (40, 30), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "Camera of the workshop"  # Make
    exif[0x8825] = {1: "N", 2: (9.0, 10.0, 30.0)}  # GPS
    buffer = BytesIO()
    image.save(buffer, format="JPEG", exif=exif.tobytes(), comment=b"<script>x</script>")
    return buffer.getvalue() + PAYLOAD  # bytes after the end of the image: what a polyglot carries


def test_a_photo_is_reencoded_without_metadata_or_payload(settings):
    upload = SimpleUploadedFile("anh.jpg", jpeg_with_gps_and_a_payload(), "image/jpeg")
    cleaned = clean_image(upload)
    data = cleaned.read()
    assert data.startswith(b"\xff\xd8\xff") and b"script" not in data and b"polyglot" not in data
    assert b"Camera of the workshop" not in data
    with Image.open(BytesIO(data)) as image:
        assert image.size == (40, 30) and not image.getexif()


def test_a_stored_product_photo_holds_only_the_pixels(db):
    officer = make_user("province_officer", username="sct96", province_id=96)
    product = ProductFactory()
    upload = SimpleUploadedFile("anh.jpg", jpeg_with_gps_and_a_payload(), "image/jpeg")
    photo = services.add_product_photo(user=officer, product=product, image=upload)
    with photo.image.open("rb") as fh:
        stored = fh.read()
    assert PAYLOAD not in stored and b"Camera of the workshop" not in stored
    assert photo.image.name.endswith(".jpg") and "anh" not in photo.image.name


def test_a_png_keeps_its_transparency_and_loses_its_text_chunks():
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "<script>x</script>")
    buffer = BytesIO()
    Image.new("RGBA", (8, 8), (0, 0, 0, 0)).save(buffer, format="PNG", pnginfo=info)
    cleaned = clean_image(SimpleUploadedFile("a.png", buffer.getvalue() + PAYLOAD, "image/png")).read()
    assert b"script" not in cleaned and PAYLOAD not in cleaned
    with Image.open(BytesIO(cleaned)) as image:
        assert image.mode == "RGBA"


def test_a_broken_image_and_an_oversized_one_are_refused_with_a_reason(settings):
    with pytest.raises(ValidationError) as exc:
        clean_image(SimpleUploadedFile("a.jpg", b"\xff\xd8\xff" + b"junk" * 50, "image/jpeg"))
    assert "không đọc được ảnh" in " ".join(exc.value.messages) or "image could not be read" in " ".join(
        exc.value.messages
    )
    settings.UPLOAD_MAX_BYTES_IMAGE = 1000
    with pytest.raises(ValidationError) as exc:
        clean_image(SimpleUploadedFile("b.jpg", jpeg_with_gps_and_a_payload() + b"x" * 2000, "image/jpeg"))
    assert "MB" in " ".join(exc.value.messages)


def test_a_project_pdf_is_served_as_an_attachment_that_is_not_sniffed(client, db):
    from khuyencong.programme import services as programme
    from tests.programme.factories import ProjectFactory

    officer = make_user("province_officer", username="sct96", province_id=96)
    project = ProjectFactory()
    pdf = SimpleUploadedFile(
        "de-an.pdf", b"%PDF-1.4\n<html><script>x</script></html>\n%%EOF", "application/pdf"
    )
    doc = programme.add_document(user=officer, project=project, kind="proposal", upload=pdf)
    client.force_login(officer)
    response = client.get(reverse("programme:document_download", args=[doc.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
