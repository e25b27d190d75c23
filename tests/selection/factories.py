"""Selection test data: the demo rubric (100 points), rounds in any state, dossiers with their documents."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from khuyencong.selection import demo
from khuyencong.selection.models import Assignment, CouncilMember, Dossier, DossierDocument, Round
from tests.factories import ProductFactory, make_user

PDF = b"%PDF-1.4\n%test\n"


def pdf_upload(name="form.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def png_upload(name="photo.png"):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (1, 2, 3)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


_seq = [0]


def make_round(status="registration", **kwargs) -> Round:
    _seq[0] += 1
    today = timezone.localdate()
    defaults = dict(
        code=f"T-{_seq[0]}-{today.year}",
        year=today.year,
        level="province",
        province_id=96,
        title=f"Vòng thử {_seq[0]}",
        rubric=demo.rubric(),
        status=status,
        registration_opens=today - datetime.timedelta(days=10),
        registration_closes=today + datetime.timedelta(days=10),
    )
    defaults.update(kwargs)
    return Round.objects.create(**defaults)


def make_dossier(round_, product=None, status="draft", with_documents=True, **kwargs) -> Dossier:
    product = product or ProductFactory()
    dossier = Dossier.objects.create(
        round=round_,
        product=product,
        establishment=product.establishment,
        status=status,
        summary="Sản phẩm truyền thống",
        **kwargs,
    )
    if with_documents:
        for kind, upload in (("registration_form", pdf_upload()), ("photo", png_upload())):
            doc = DossierDocument(dossier=dossier, kind=kind, original_name=upload.name, size=upload.size)
            doc.file.save(upload.name, upload, save=False)
            doc.save()
    return dossier


def seat(round_, role="member", user=None, **user_kwargs) -> CouncilMember:
    user = user or make_user("judge", **user_kwargs)
    return CouncilMember.objects.create(round=round_, user=user, role=role)


def assign(member, *dossiers):
    for d in dossiers:
        Assignment.objects.get_or_create(member=member, dossier=d)


def full_points(round_, value_for=lambda c: c.max_points):
    return {c.pk: str(value_for(c)) for c in round_.rubric.criteria.all()}
