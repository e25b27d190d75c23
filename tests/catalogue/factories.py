"""Selection records for catalogue and API tests (the selection app's own factories may differ)."""

import datetime

import factory

from khuyencong.selection.models import Certificate, Result, Round
from tests.factories import ProductFactory


class RoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Round

    code = factory.Sequence(lambda n: f"R-{n:04d}")
    year = 2024
    level = "province"
    title = factory.LazyAttribute(lambda r: f"Bình chọn sản phẩm CNNT tiêu biểu {r.year}")
    province_id = 96


class ResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Result

    round = factory.SubFactory(RoundFactory)
    product = factory.SubFactory(ProductFactory)
    score = 82
    certified = True
    decision_no = factory.Sequence(lambda n: f"{n}/QĐ-UBND")
    decision_date = datetime.date(2024, 10, 15)


class CertificateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certificate

    result = factory.SubFactory(ResultFactory)
    number = factory.Sequence(lambda n: f"GCN-{n:04d}/2024")
    issued_on = datetime.date(2024, 10, 20)
    valid_until = datetime.date(2027, 10, 20)
    signer = "Phó Chủ tịch UBND tỉnh"


def certified_product(
    *, name="Bánh phồng tôm Năm Căn", level="province", year=2024, number=None, **product_kwargs
):
    """A product with a certified result and its certificate."""
    product = ProductFactory(name=name, **product_kwargs)
    round_ = RoundFactory(level=level, year=year, province_id=None if level in ("region", "national") else 96)
    result = ResultFactory(round=round_, product=product)
    cert = CertificateFactory(result=result, **({"number": number} if number else {}))
    return product, cert
