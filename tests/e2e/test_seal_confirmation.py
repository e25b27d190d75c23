"""Sealing a score sheet cannot be undone, so the browser asks first: dismissing keeps the draft, accepting seals."""

import datetime

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _setup():
    from django.utils import timezone

    from khuyencong.geo.services import load_places
    from khuyencong.selection.demo import rubric
    from khuyencong.selection.models import Assignment, CouncilMember, Dossier, Round
    from tests.factories import ProductFactory, make_user

    load_places()
    today = timezone.localdate()
    round_ = Round.objects.create(
        code="CM-SEAL",
        year=today.year,
        level="province",
        province_id=96,
        rubric=rubric(),
        status="scoring",
        title="Bình chọn thử niêm phong",
        scoring_closes=today + datetime.timedelta(days=5),
    )
    product = ProductFactory(name="Mắm tôm chà")
    dossier = Dossier.objects.create(
        round=round_,
        product=product,
        establishment=product.establishment,
        status="eligible",
        summary="Mắm tôm truyền thống",
    )
    member = CouncilMember.objects.create(
        round=round_, user=make_user("judge", username="gk1"), role="member"
    )
    Assignment.objects.create(member=member, dossier=dossier)
    return dossier


def test_sealing_asks_for_confirmation_and_dismissing_keeps_the_sheet_open(page, login):
    from khuyencong.selection.models import Criterion, Score

    dossier = _setup()
    login("gk1")
    page.goto(f"{page.base_url}/selection/dossiers/{dossier.pk}/score/")
    for c in Criterion.objects.filter(rubric=dossier.round.rubric):
        page.fill(f"#c_{c.pk}", str(int(c.max_points)))
    dialogs = []

    def dismiss(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.get_by_role("button", name="Nộp và niêm phong").click()
    expect(page.get_by_role("button", name="Nộp và niêm phong")).to_be_visible()
    assert dialogs and "Sau đó không thể sửa" in dialogs[0]
    assert not Score.objects.filter(dossier=dossier, submitted_at__isnull=False).exists()
    expect(page.get_by_test_id("sealed")).to_have_count(0)

    page.once("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="Nộp và niêm phong").click()
    page.wait_for_url(f"**/selection/dossiers/{dossier.pk}/")
    expect(page.locator(".alert-success")).to_contain_text("niêm phong")
    assert len(dialogs) == 2
    assert Score.objects.get(dossier=dossier).submitted_at is not None
