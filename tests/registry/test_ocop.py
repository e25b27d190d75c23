"""OCOP ratings beside the CNNT certification: recorded by an officer with their rules, shown, filtered in the
catalogue, told before expiry, exported and imported back."""

import datetime
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from khuyencong.catalogue.selectors import catalogue
from khuyencong.interchange import exporters
from khuyencong.interchange.services import import_file
from khuyencong.notifications.services import send_reminders
from khuyencong.registry import services
from khuyencong.registry.models import OcopRating
from khuyencong.selection.models import Result
from tests.factories import ProductFactory, make_user
from tests.selection.factories import make_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return make_user("province_officer", username="sct", email="sct@example.vn")


def _rating(officer, product, stars, decided, number=None, **extra):
    return services.record_ocop_rating(
        user=officer,
        product=product,
        data={"stars": stars, "decision_no": number or f"{stars}/QĐ-UBND", "decision_date": decided, **extra},
    )


def test_an_officer_records_a_rating_its_level_and_validity_follow(officer):
    product = ProductFactory(establishment__province_id=96)
    rating = _rating(officer, product, 4, datetime.date(2025, 3, 31))
    assert rating.level == "province" and rating.valid_until == datetime.date(2028, 3, 31)
    assert LogEntry.objects.get_for_object(rating).filter(actor=officer).exists()
    five = _rating(officer, product, 5, datetime.date(2025, 6, 1), number="99/QĐ-BNN")
    assert five.level == "central"


def test_the_rules_are_refused_with_their_reasons(officer):
    product = ProductFactory(establishment__province_id=96)
    with pytest.raises(ValidationError) as exc:
        _rating(officer, product, 5, datetime.date(2025, 1, 1), level="province")
    assert "trung ương" in exc.value.message_dict["level"][0]
    with pytest.raises(ValidationError) as exc:
        _rating(officer, product, 4, datetime.date(2025, 1, 1), score=Decimal("65"))
    assert "65 điểm" in exc.value.message_dict["score"][0]
    with pytest.raises(ValidationError) as exc:
        _rating(officer, product, 3, timezone.localdate() + datetime.timedelta(days=1))
    assert "decision_date" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _rating(officer, product, 3, datetime.date(2025, 1, 1), valid_until=datetime.date(2029, 1, 1))
    assert "36" in exc.value.message_dict["valid_until"][0]
    _rating(officer, product, 3, datetime.date(2025, 1, 1), number="7/QĐ")
    with pytest.raises(ValidationError):
        _rating(officer, product, 4, datetime.date(2025, 2, 1), number="7/QĐ")
    rep = make_user("establishment", establishment=product.establishment)
    with pytest.raises(PermissionDenied):
        _rating(rep, product, 4, datetime.date(2025, 2, 1), number="8/QĐ")


def test_the_database_holds_the_star_and_level_rules(officer):
    product = ProductFactory()
    base = dict(product=product, decision_no="x", decision_date=datetime.date(2025, 1, 1))
    for bad in (
        {"stars": 6, "level": "province", "valid_until": datetime.date(2026, 1, 1)},
        {"stars": 5, "level": "province", "valid_until": datetime.date(2026, 1, 1)},
        {"stars": 4, "level": "province", "valid_until": datetime.date(2024, 1, 1)},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            OcopRating.objects.create(**base, **bad)


def test_the_product_page_shows_and_records_it(client, officer):
    product = ProductFactory(establishment__province_id=96, name="Khô cá bổi")
    client.force_login(officer)
    response = client.post(
        f"/registry/products/{product.pk}/ocop/",
        {"stars": "4", "decision_no": "1234/QĐ-UBND", "decision_date": "2025-05-20"},
    )
    assert response.status_code == 302
    page = client.get(f"/registry/products/{product.pk}/").content.decode()
    assert "1234/QĐ-UBND" in page and "20/05/2028" in page and "★★★★" in page and "còn hiệu lực" in page


def _certified_product(name, year=2025):
    product = ProductFactory(name=name, establishment__province_id=96)
    round_ = make_round(status="decided", year=year, is_historical=True)
    Result.objects.create(round=round_, product=product, score=80, certified=True, decision_no="1/QĐ")
    return product


def test_the_catalogue_filters_by_ocop_stars(client, officer):
    today = timezone.localdate()
    four = _certified_product("Mắm ba khía Rạch Gốc")
    three = _certified_product("Bánh bò thốt nốt")
    lapsed = _certified_product("Rượu dừa Năm Căn")
    _certified_product("Chiếu lác Thới Bình")  # no OCOP
    _rating(officer, four, 4, today - datetime.timedelta(days=100))
    _rating(officer, three, 3, today - datetime.timedelta(days=100))
    _rating(officer, lapsed, 5, today - datetime.timedelta(days=40 * 31))  # 40 months ago: lapsed
    assert {p.name for p in catalogue(ocop_stars=3)} == {"Mắm ba khía Rạch Gốc", "Bánh bò thốt nốt"}
    assert {p.name for p in catalogue(ocop_stars=4)} == {"Mắm ba khía Rạch Gốc"}
    assert len(list(catalogue())) == 4
    page = client.get("/catalogue/?ocop=4").content.decode()
    assert "Mắm ba khía Rạch Gốc" in page and "Bánh bò thốt nốt" not in page and "OCOP 4★" in page
    assert "Rượu dừa Năm Căn" not in client.get("/catalogue/?ocop=5").content.decode()


def test_the_holder_is_told_30_days_before_the_rating_expires(officer, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    product = ProductFactory(establishment__province_id=96, name="Tôm khô Rạch Gốc")
    rep = make_user("establishment", establishment=product.establishment, email="tom@example.vn")
    rating = _rating(officer, product, 4, today - datetime.timedelta(days=900))
    OcopRating.objects.filter(pk=rating.pk).update(valid_until=today + datetime.timedelta(days=30))
    with django_capture_on_commit_callbacks(execute=True):
        send_reminders(today=today)
    sent = [m for m in mail.outbox if "OCOP" in m.subject]
    assert {m.to[0] for m in sent} == {"tom@example.vn", "sct@example.vn"}
    assert "Tôm khô Rạch Gốc" in sent[0].subject
    assert rep.notifications.filter(kind="expiry").count() == 1


def test_ocop_columns_round_trip_through_the_product_file(officer, tmp_path):
    admin = make_user("admin", username="root")
    product = ProductFactory(code="SP-OC-1", establishment__province_id=96)
    plain = ProductFactory(code="SP-OC-2", establishment__province_id=96)
    _rating(officer, product, 4, datetime.date(2025, 2, 28), number="88/QĐ-UBND")
    for fmt in ("xlsx", "csv"):
        target = tmp_path / f"p.{fmt}"
        exporters.export("products", exporters.queryset_for("products", admin), str(target), fmt)
        # unchanged on the way back
        report = import_file(user=admin, kind="products", path=str(target))
        assert report.ok and report.unchanged == 2 and report.updated == 0, [str(e) for e in report.errors]
    # lost ratings come back from the file, with the same stars, level, decision and validity
    OcopRating.objects.all().delete()
    report = import_file(user=admin, kind="products", path=str(tmp_path / "p.xlsx"))
    assert report.ok and report.updated == 1, [str(e) for e in report.errors]
    (back,) = OcopRating.objects.all()
    assert (back.product, back.stars, back.level, back.decision_no) == (product, 4, "province", "88/QĐ-UBND")
    assert (back.decision_date, back.valid_until) == (datetime.date(2025, 2, 28), datetime.date(2028, 2, 28))
    assert not plain.ocop_ratings.exists()


def test_a_bad_ocop_cell_is_refused_by_row_and_column(tmp_path):
    admin = make_user("admin", username="root")
    product = ProductFactory(code="SP-OC-3", establishment__province_id=96)
    path = tmp_path / "bad.csv"
    path.write_text(
        "Mã sản phẩm,Mã cơ sở,Tên sản phẩm,Nhóm sản phẩm,Số sao OCOP,Cấp đánh giá OCOP,Số quyết định OCOP,"
        "Ngày quyết định OCOP\n"
        f"SP-OC-3,{product.establishment.code},{product.name},{product.group},5,Tỉnh,12/QĐ,01/03/2025\n",
        encoding="utf-8",
    )
    report = import_file(user=admin, kind="products", path=str(path))
    assert not report.ok
    (error,) = report.errors
    assert error.row == 2 and error.column == "Cấp đánh giá OCOP" and "trung ương" in error.message
    assert not OcopRating.objects.exists()


def test_the_effectiveness_report_counts_certified_products_holding_ocop_stars(officer):
    from khuyencong.reports import selectors as reports

    today = timezone.localdate()
    a = _certified_product("Khô cá khoai", year=today.year)
    b = _certified_product("Ba khía muối", year=today.year)
    _certified_product("Mật ong U Minh", year=today.year)
    ProductFactory(name="Không được công nhận", establishment__province_id=96)
    _rating(officer, a, 4, today - datetime.timedelta(days=30))
    _rating(officer, a, 3, today - datetime.timedelta(days=800), number="cũ")  # the best one counts
    _rating(officer, b, 5, today - datetime.timedelta(days=40 * 31))  # lapsed
    uncertified = ProductFactory(establishment__province_id=96)
    _rating(officer, uncertified, 5, today - datetime.timedelta(days=10))  # not CNNT-certified: not counted
    place = reports.place_for("96")
    period = reports.Period(today.year, today.year)
    figures = reports.certified_with_ocop(place, period)
    assert (figures["certified"], figures["with_ocop"]) == (3, 1)
    assert figures["share"] == Decimal("33.3")
    assert {r["stars"]: r["products"] for r in figures["by_stars"]} == {3: 0, 4: 1, 5: 0}
