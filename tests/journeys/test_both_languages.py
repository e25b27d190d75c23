"""Issue 16, language: every main page is whole in English (no Vietnamese outside the records' own data and the
places' names), and whole in Vietnamese (no English sentence of the catalogues left untranslated)."""

import re
import unicodedata
from html.parser import HTMLParser

import pytest

from khuyencong.help.guide import GUIDES
from tests.factories import EstablishmentFactory, ProductFactory, make_user

pytestmark = pytest.mark.django_db

SKIP_TAGS = {"script", "style", "code", "pre"}
SEEN_ATTRS = {"title", "aria-label", "placeholder", "alt"}


class _Texts(HTMLParser):
    """The visible texts of a page (and the attributes read aloud), leaving out elements marked lang="vi"."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.texts = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        inside_skipped = bool(self.stack) and self.stack[-1][1]
        skip = tag in SKIP_TAGS or attrs.get("lang") == "vi" or inside_skipped
        if tag not in {"br", "img", "input", "meta", "link", "hr", "source"}:
            self.stack.append((tag, skip))
        if not skip:
            self.texts += [v for k, v in attrs.items() if k in SEEN_ATTRS and v]

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if data.strip() and not (bool(self.stack) and self.stack[-1][1]):
            self.texts.append(data.strip())


def _texts(html):
    parser = _Texts()
    parser.feed(html)
    return parser.texts


def _vietnamese(text):
    return any(
        ch in "đĐ" or any(unicodedata.combining(c) for c in unicodedata.normalize("NFD", ch)) for ch in text
    )


def _allowed_terms(text):
    """A Vietnamese term glossed in brackets after its English ("Budget item (khoản)") and the currency's name
    are meant to stay Vietnamese in English."""
    return re.sub(r"(?<=\d) đ\b", "", re.sub(r"\([^()]*\)", "", text).replace("đồng", ""))


def _data_strings():
    """Every Vietnamese text stored in the database (places, rubric criteria, rules, records): the records' own
    data, which a page shows as it was entered whatever the language."""
    from django.apps import apps
    from django.db import models

    values = set()
    for model in apps.get_models():
        if model._meta.app_label in {
            "auditlog",
            "sessions",
            "contenttypes",
            "admin",
            "django_tasks_database",
        }:
            continue
        fields = [
            f.name for f in model._meta.concrete_fields if isinstance(f, models.CharField | models.TextField)
        ]
        if not fields:
            continue
        for row in model.objects.values_list(*fields):
            for value in row:
                if value and _vietnamese(value):
                    values |= {value, *value.splitlines()}
    return sorted((v.strip() for v in values if v.strip()), key=len, reverse=True)


@pytest.fixture
def world():
    """Records named without diacritics: any Vietnamese left on an English page then comes from the UI."""
    from khuyencong.programme import services as programme
    from tests.outreach.factories import make_event, make_training
    from tests.selection.factories import make_dossier, make_round

    officer = make_user("province_officer", username="sct", first_name="Thu", last_name="Le")
    est = EstablishmentFactory(name="Kho muc Song Doc Co", code="EST-A", markets="Co.op")
    product = ProductFactory(name="Dried squid", code="P-A", establishment=est)
    round_ = make_round(title="Round 2026", code="R-2026")
    dossier = make_dossier(round_, product=product)
    from auditlog.models import LogEntry

    type(dossier).objects.filter(pk=dossier.pk).update(summary="Sun dried")  # data without diacritics
    LogEntry.objects.get_for_object(dossier).delete()  # the factory's summary was Vietnamese
    project = programme.propose_project(
        user=officer,
        data={
            "code": "DA-A",
            "year": 2026,
            "title": "Dryer",
            "programme": "local",
            "activity": "machinery",
            "establishment": est,
            "province": officer.province,
            "total_cost": 1_000_000_000,
            "support_requested": 200_000_000,
        },
    )
    event = make_event(officer, title="Fair 2026", venue="Park", organiser="Centre")
    training = make_training(officer, topic="Skills", trainer="Centre")
    pages = [
        "/",
        "/registry/establishments/",
        f"/registry/establishments/{est.pk}/",
        "/registry/products/",
        f"/registry/products/{product.pk}/",
        "/programme/",
        f"/programme/projects/{project.pk}/",
        "/selection/",
        f"/selection/rounds/{round_.pk}/",
        f"/selection/dossiers/{dossier.pk}/",
        "/outreach/",
        f"/outreach/events/{event.pk}/",
        f"/outreach/trainings/{training.pk}/",
        "/data/",
        "/notifications/",
        "/accounts/profile/",
        "/help/",
        *(f"/help/{guide.slug}/" for guide in GUIDES),
    ]
    return officer, pages


def test_every_main_page_is_whole_in_english(client, world):
    officer, pages = world
    client.force_login(officer)
    client.cookies["django_language"] = "en"
    data = _data_strings()
    leaks = {}
    for url in pages:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200, url
        for text in _texts(response.content.decode()):
            for value in data:
                if value in text:
                    text = text.replace(value, "")
            if _vietnamese(_allowed_terms(text)):
                leaks.setdefault(url, []).append(text)
    assert not leaks, "\n".join(f"{url}: {sorted(set(texts))}" for url, texts in leaks.items())


def test_the_journey_page_is_whole_in_english(client, world):
    from khuyencong.registry.models import Establishment

    officer, _pages = world
    client.force_login(officer)
    client.cookies["django_language"] = "en"
    est = Establishment.objects.get(code="EST-A")
    data = _data_strings()
    texts = _texts(
        client.get(f"/reports/establishments/{est.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
    for value in data:
        texts = [t.replace(value, "") for t in texts]
    assert not [t for t in texts if _vietnamese(_allowed_terms(t))]


def test_the_summary_page_is_whole_in_english(client, world):
    officer, _pages = world
    client.force_login(officer)
    client.cookies["django_language"] = "en"
    data = _data_strings()
    texts = _texts(client.get("/reports/", HTTP_ACCEPT_LANGUAGE="en").content.decode())
    for value in data:
        texts = [t.replace(value, "") for t in texts]
    assert not [t for t in texts if _vietnamese(_allowed_terms(t))]
