"""Programme test data: projects and plans in Cà Mau (96), commune Sông Đốc (32098)."""

import datetime

import factory

from khuyencong.programme.models import Plan, Project
from tests.factories import EstablishmentFactory


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan
        django_get_or_create = ("province_id", "year")

    province_id = 96
    year = 2026
    national_budget = 2_000_000_000
    local_budget = 3_000_000_000


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"DA-T-{n:04d}")
    year = 2026
    title = factory.Sequence(lambda n: f"Đề án thử nghiệm {n}")
    programme = "local"
    activity = "training"
    establishment = factory.SubFactory(EstablishmentFactory)
    province_id = 96
    commune_id = 32098
    total_cost = 800_000_000
    support_requested = 200_000_000
    counterpart = 600_000_000
    status = "proposed"
    # a settled project holds its settled amount (a database constraint)
    support_settled = factory.LazyAttribute(lambda o: o.support_approved if o.status == "settled" else None)
    # accepted and after: the acceptance was recorded; settled: paid in full by a final payment
    acceptance_record = factory.LazyAttribute(
        lambda o: "BB-NT-01" if o.status in ("accepted", "settled") else ""
    )
    support_paid = factory.LazyAttribute(lambda o: o.support_settled if o.status == "settled" else 0)

    @factory.post_generation
    def final_payment(obj, create, extracted, **kwargs):
        if create and obj.status == "settled" and obj.support_settled:
            from khuyencong.programme.models import Disbursement

            Disbursement.objects.create(
                project=obj,
                kind="final",
                amount=obj.support_settled,
                paid_on=obj.settled_date or datetime.date(obj.year, 12, 20),
                reference="UNC-QT",
            )


def certify(establishment, year=2027):
    """A certified selection result for a product of the establishment."""
    from khuyencong.selection.models import Result, Round
    from tests.factories import ProductFactory

    product = ProductFactory(establishment=establishment)
    rnd, _ = Round.objects.get_or_create(
        code=f"R-{year}",
        defaults=dict(year=year, level="province", title=f"Bình chọn {year}", province_id=96),
    )
    return Result.objects.create(
        round=rnd,
        product=product,
        certified=True,
        certificate_no=f"GCN-{product.pk}",
        decision_date=datetime.date(year, 10, 1),
    )


# A budget classification as a province's settlement report uses it (chương 417: the Department; loại 280
# khoản 338: other economic activities; mục 7000 tiểu mục 7049: other professional expenses).
BUDGET = {
    "budget_chapter": "417",
    "budget_type": "280",
    "budget_item": "338",
    "budget_section": "7000",
    "budget_subsection": "7049",
}


def attach_settlement_papers(project, user=None):
    """The acceptance record and the settlement dossier, attached as a settlement needs them."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from khuyencong.programme.models import ProjectDocument

    for kind in ("acceptance", "settlement"):
        doc = ProjectDocument(project=project, kind=kind)
        doc.attach(SimpleUploadedFile(f"{kind}.pdf", b"%PDF-1.4 test"), user)
        doc.save()
    return project
