"""Certificates: validity set per round in months, expiry told 30 days ahead (mail captured), the catalogue marks
expired certifications, and a product registering again shows its earlier rounds."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from khuyencong.catalogue.selectors import catalogue
from khuyencong.core.months import add_months
from khuyencong.notifications.models import Notification
from khuyencong.selection import services
from khuyencong.selection.models import Certificate, Result
from tests.factories import ProductFactory, make_user

from .factories import assign, full_points, make_dossier, make_round, seat

pytestmark = pytest.mark.django_db


def test_add_months_clamps_to_the_end_of_the_month():
    assert add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert add_months(datetime.date(2027, 1, 31), 13) == datetime.date(2028, 2, 29)
    assert add_months(datetime.date(2025, 7, 15), 36) == datetime.date(2028, 7, 15)
    assert add_months(datetime.date(2025, 12, 10), -36) == datetime.date(2022, 12, 10)


def _certified(officer, months, decided, product=None):
    round_ = make_round(status="scoring", certificate_validity_months=months)
    product = product or ProductFactory(name="Khô cá lóc U Minh")
    dossier = make_dossier(round_, product=product, status="eligible")
    member = seat(round_, role="chair")
    assign(member, dossier)
    services.save_score(
        user=member.user,
        dossier=dossier,
        points=full_points(round_, lambda c: (c.max_points * Decimal("0.9")).quantize(Decimal("0.01"))),
        submit=True,
    )
    services.close_scoring(user=officer, round_=round_)
    services.approve_results(user=officer, round_=round_)
    (cert,) = services.record_decision(
        user=officer, round_=round_, decision_no="15/QĐ-UBND", decision_date=decided, signer="Phó Chủ tịch"
    )
    return cert, dossier


@pytest.fixture
def officer():
    return make_user("province_officer", username="sct", email="sct@example.vn")


def test_the_certificate_is_valid_for_the_rounds_months(officer):
    cert, _d = _certified(officer, 24, datetime.date(2026, 8, 31))
    assert cert.valid_until == datetime.date(2028, 8, 31)
    cert, _d = _certified(officer, 18, datetime.date(2025, 8, 31), product=ProductFactory())
    assert cert.valid_until == datetime.date(2027, 2, 28)


def test_holders_and_officers_are_told_30_days_before_expiry_once(
    officer, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    product = ProductFactory(name="Mật ong rừng U Minh")
    rep = make_user("establishment", establishment=product.establishment, email="mat-ong@example.vn")
    cert, _d = _certified(officer, 36, today - datetime.timedelta(days=100), product=product)
    mail.outbox.clear()
    # 31 days before expiry: nothing yet
    Certificate.objects.filter(pk=cert.pk).update(valid_until=today + datetime.timedelta(days=31))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders")
    assert not Notification.objects.filter(kind="expiry").exists()
    # 30 days before: the representative and the officers are told, by mail too
    Certificate.objects.filter(pk=cert.pk).update(valid_until=today + datetime.timedelta(days=30))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders")
    told = {n.user for n in Notification.objects.filter(kind="expiry")}
    assert told == {rep, officer}
    expiry_mail = [m for m in mail.outbox if cert.number in m.subject]
    assert {m.to[0] for m in expiry_mail} == {"mat-ong@example.vn", "sct@example.vn"}
    assert "Mật ong rừng U Minh" in expiry_mail[0].subject and "hết hiệu lực" in expiry_mail[0].subject
    # the next day's run does not tell them again
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders")
    assert not [m for m in mail.outbox if cert.number in m.subject]


def test_the_catalogue_marks_an_expired_certification(client, officer):
    today = timezone.localdate()
    cert, _d = _certified(officer, 12, today - datetime.timedelta(days=400))
    assert cert.valid_until < today
    (product,) = list(catalogue())
    assert product.cert_valid_until == cert.valid_until
    page = client.get("/catalogue/").content.decode()
    assert 'data-testid="expired"' in page and "chứng nhận đã hết hiệu lực" in page
    detail = client.get(f"/catalogue/{product.pk}/").content.decode()
    assert 'data-testid="cert-expired"' in detail


def test_a_product_registering_again_shows_its_earlier_rounds(client, officer):
    today = timezone.localdate()
    product = ProductFactory(name="Bánh tét lá cẩm")
    rep = make_user("establishment", establishment=product.establishment)
    cert, _old = _certified(officer, 36, today - datetime.timedelta(days=1200), product=product)
    later = make_round(status="registration")
    dossier = services.create_dossier(
        user=rep, round_=later, product=product, data={"summary": "Đăng ký lại"}
    )
    client.force_login(rep)
    page = client.get(f"/selection/dossiers/{dossier.pk}/").content.decode()
    assert 'data-testid="earlier-entries"' in page
    assert cert.number in page and "hết hiệu lực" in page
    assert "Đăng ký lại để được công nhận lại ở cùng cấp." in page
    assert Result.objects.filter(product=product).count() == 1
