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
