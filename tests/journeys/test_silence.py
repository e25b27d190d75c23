"""Issue 16, silence: people are told of what they wait for, by e-mail or in the site only, as they choose."""

import datetime

import pytest
from django.utils import timezone

from khuyencong.notifications.models import Notification
from khuyencong.notifications.services import notify
from tests.factories import EstablishmentFactory, ProductFactory, make_user
from tests.selection.factories import make_dossier, make_round

pytestmark = pytest.mark.django_db


def test_the_officers_running_the_round_are_told_when_a_dossier_is_submitted(client):
    from khuyencong.selection import services

    officer = make_user("province_officer", username="sct", email="sct@camau.gov.vn")
    elsewhere = make_user("province_officer", username="ct", province_id=92)
    product = ProductFactory(name="Khô mực một nắng")
    rep = make_user("establishment", establishment=product.establishment)
    dossier = make_dossier(make_round(), product=product)
    services.submit_dossier(user=rep, dossier=dossier)
    notice = Notification.objects.get(user=officer)
    assert notice.kind == "dossier_submitted" and "Khô mực một nắng" in notice.subject
    assert notice.url == f"/selection/dossiers/{dossier.pk}/"
    assert not Notification.objects.filter(user=elsewhere).exists()
    client.force_login(officer)
    assert "Hồ sơ đã nộp: Khô mực một nắng" in client.get("/notifications/").content.decode()


def test_a_representative_is_told_when_a_survey_is_sent_and_reminded_before_it_closes():
    from khuyencong.outreach import services
    from tests.outreach.factories import make_rep, make_survey

    officer = make_user("province_officer", username="sct")
    answered_est, silent_est = EstablishmentFactory(), EstablishmentFactory()
    rep, silent = make_rep(answered_est), make_rep(silent_est)
    closes = timezone.localdate() + datetime.timedelta(days=2)
    survey = make_survey(officer, send=False, title="Khảo sát nhu cầu 2026", closes_on=closes)
    services.send_survey(user=officer, survey=survey)
    for user in (rep, silent):
        notice = Notification.objects.get(user=user, kind="survey")
        assert "Khảo sát nhu cầu 2026" in notice.subject and closes.strftime("%d/%m/%Y") in notice.body
    from khuyencong.outreach.models import Response

    Response.objects.create(survey=survey, establishment=answered_est, submitted_by=rep)
    assert services.send_survey_reminders(days=3) == 1
    assert Notification.objects.filter(user=silent, kind="deadline").count() == 1
    assert not Notification.objects.filter(user=rep, kind="deadline").exists()


def test_in_the_site_only_keeps_the_mail_from_going_out(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    user = make_user("province_officer", username="sct", email="sct@camau.gov.vn")
    client.force_login(user)
    page = client.get("/accounts/profile/").content.decode()
    assert 'data-testid="mail-preference"' in page and "Chỉ trên trang" in page
    with django_capture_on_commit_callbacks(execute=True):
        notify([user], kind="other", subject="Một")
    assert len(mailoutbox) == 1
    response = client.post("/notifications/preferences/", {"by_email": "0"}, follow=True)
    assert "Anh/chị chỉ nhận thông báo trên trang." in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        notify([user], kind="other", subject="Hai")
    assert len(mailoutbox) == 1 and Notification.objects.filter(user=user, subject="Hai").exists()
    # a mail already queued when the user chose "in the site only" is not sent either
    client.post("/notifications/preferences/", {"by_email": "1"})
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify([user], kind="other", subject="Ba")
    client.post("/notifications/preferences/", {"by_email": "0"})
    for callback in callbacks:
        callback()
    assert len(mailoutbox) == 1


def test_the_worker_runs_the_reminders_once_a_day(settings):
    from django.core.cache import caches

    from khuyencong.core import worker

    caches["progress"].clear()
    product = ProductFactory()
    rep = make_user("establishment", establishment=product.establishment)
    make_dossier(
        make_round(registration_closes=timezone.localdate() + datetime.timedelta(days=2)), product=product
    )
    morning = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time(8, 0)))
    dawn = morning.replace(hour=3)
    assert not worker.claim_daily_jobs(dawn)  # before the hour
    assert worker.claim_daily_jobs(morning)
    assert not worker.claim_daily_jobs(morning)  # once a day, whichever worker asks first
    assert worker.run_daily_jobs() >= 1
    assert Notification.objects.filter(user=rep, kind="deadline").exists()
