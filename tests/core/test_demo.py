"""The demo (`khuyencong demo`): it loads, a second run changes nothing, each demo role logs in and sees its
own place's records. The demo is loaded once, by the command, for the module's tests (~30 s a load); what a
test writes is undone after it."""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from tests.conftest import shared_data

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("core-demo")]


def _load_demo():
    call_command("demo", "--no-serve", stdout=open("/dev/null", "w"))


demo = shared_data("demo", _load_demo)


def _counts():
    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m._meta.app_label not in {"sessions", "auditlog", "axes"}
    }


def test_the_demo_loads_and_a_second_run_changes_nothing(demo):
    first = _counts()  # after the command's first run, on the empty database (the shared `demo`)
    assert first["registry.Establishment"] >= 6 and first["accounts.User"] >= 9
    call_command("demo", "--no-serve", stdout=open("/dev/null", "w"))
    assert _counts() == first


def test_every_demo_role_can_log_in_and_sees_the_dashboard(client, demo):
    from khuyencong.core.demo import DEMO_PASSWORD, DEMO_USERS

    for username, *_ in DEMO_USERS:
        assert client.login(username=username, password=DEMO_PASSWORD), username
        assert client.get(reverse("core:home")).status_code == 200
        client.logout()


def test_the_top_bar_shows_unread_notifications(client, demo):
    from khuyencong.core.demo import DEMO_PASSWORD
    from khuyencong.notifications.models import Notification

    user = get_user_model().objects.get(username="coso.khomuc")
    unread = Notification.objects.filter(user=user, read_at__isnull=True).count()
    client.login(username="coso.khomuc", password=DEMO_PASSWORD)
    body = client.get(reverse("core:home")).content.decode()
    assert 'title="Thông báo"' in body
    if unread:
        assert f'data-testid="unread">{unread}<' in body


def test_each_demo_role_sees_exactly_the_establishments_of_its_place(client, demo):
    from khuyencong.core.demo import DEMO_PASSWORD
    from khuyencong.registry.models import Establishment

    live = Establishment.objects.filter(archived_at__isnull=True)
    expected = {
        "admin": live.count(),
        "bo.cuc": live.count(),
        "sct.camau": live.filter(province_id=96).count(),
        "sct.cantho": live.filter(province_id=92).count(),
        "xa.songdoc": live.filter(commune_id=32098).count(),
        "coso.khomuc": 1,
    }
    assert expected["sct.camau"] < expected["bo.cuc"] and 0 < expected["xa.songdoc"] < expected["sct.camau"]
    for username, count in expected.items():
        client.login(username=username, password=DEMO_PASSWORD)
        body = client.get(reverse("registry:establishment_list")).content.decode()
        assert f"{count} cơ sở" in body, username
        client.logout()
    client.login(username="giamkhao1", password=DEMO_PASSWORD)
    assert "0 cơ sở" in client.get(reverse("registry:establishment_list")).content.decode()
