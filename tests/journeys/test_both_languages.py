"""Issue 16, language: every main page is whole in English (no Vietnamese outside the records' own data and the
places' names), and whole in Vietnamese (no English word of the interface left untranslated)."""

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
    """The visible texts of a page (and the attributes read aloud), leaving out elements marked in the other
    language (lang="vi" on an English page, lang="en" on a Vietnamese one)."""

    def __init__(self, other="vi"):
        super().__init__(convert_charrefs=True)
        self.stack, self.texts, self.other = [], [], other

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        inside_skipped = bool(self.stack) and self.stack[-1][1]
        skip = tag in SKIP_TAGS or (attrs.get("lang") or "").startswith(self.other) or inside_skipped
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


def _texts(html, other="vi"):
    parser = _Texts(other)
    parser.feed(html)
    return parser.texts


def _vietnamese(text):
    return any(
        ch in "đĐ" or any(unicodedata.combining(c) for c in unicodedata.normalize("NFD", ch)) for ch in text
    )


def _allowed_terms(text):
    """A Vietnamese term glossed in brackets after its English ("Budget item (khoản)"), quoted as a document
    prints it ("“Nơi nhận”"), a document symbol ("QĐ-UBND") and the currency's name are meant to stay Vietnamese
    in English."""
    text = re.sub(r"“[^”]*”", "", text)
    text = re.sub(r"\b[A-ZĐ]+(?:[-/][A-ZĐ0-9]+)+\b", "", text)
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
    # the newer areas: a province's batch to a region round, a round with results and an appeal lodged
    from khuyencong.selection import services as selection
    from tests.selection.test_appeals import _approved_round
    from tests.selection.test_levels import _submitted_batch

    batch = _submitted_batch(officer)
    approved, appealed, rep, _secretary = _approved_round(officer)
    selection.lodge_appeal(user=rep, dossier=appealed, grounds="Criterion c1 left out the food safety paper")
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
        "/reports/",
        f"/reports/establishments/{est.pk}/",
        "/programme/plans/",
        "/programme/rules/",
        "/programme/settlement/",
        "/programme/targets/",
        "/registry/villages/",
        "/registry/artisans/",
        "/national/",
        f"/selection/batches/{batch.pk}/",
        f"/selection/rounds/{batch.round_id}/",
        f"/selection/rounds/{approved.pk}/",
        f"/selection/rounds/{approved.pk}/results/",
        f"/selection/dossiers/{appealed.pk}/",
        "/documents/signatories/",
        "/verify/pdf/",
        "/catalogue/",
        "/places/",
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


# Words that read the same in both languages: acronyms, formats, brands and units a Vietnamese page writes as they are
SHARED_WORDS = {
    "api", "csv", "pdf", "xlsx", "qr", "ocop", "email", "e-mail", "id", "ok", "url", "sha", "html", "json",
    "totp", "vnd", "cnnt", "kc", "online", "website", "internet", "zalo", "excel", "token", "logo", "admin",
}  # fmt: skip


def _english_words() -> set[str]:
    """The words of the interface's English (every msgid of the catalogues), less any word the Vietnamese
    translations also use ("email", "PDF", "x"), less the acronyms both languages share: a word of this set on a
    Vietnamese page is English the catalogues translate somewhere, left untranslated here."""
    from pathlib import Path

    import polib

    root = Path(__file__).resolve().parents[2] / "khuyencong"
    english, vietnamese = set(), set()
    for path in root.rglob("locale/vi/LC_MESSAGES/django.po"):
        for entry in polib.pofile(str(path)):
            english |= _words(entry.msgid) | _words(entry.msgid_plural or "")
            vietnamese |= _words(entry.msgstr) | {w for v in entry.msgstr_plural.values() for w in _words(v)}
    return {w for w in (english | DATES) - vietnamese - SHARED_WORDS if len(w) > 1}


# English dates a page could print untranslated (a date filter outside the active language)
DATES = set(
    "jan feb mar apr jun jul aug sep sept oct nov dec january february march april june july august september "
    "october november december monday tuesday wednesday thursday friday saturday sunday ago".split()
)


def _words(text: str) -> set[str]:
    text = re.sub(r"%\([a-z_]+\)[sd]|\{\{[^}]*\}\}|\{[a-z_]+\}|<[^>]*>", " ", text)
    return {w.lower() for w in re.findall(r"\w+(?:-\w+)*", text) if w.isascii() and not w.isdigit()}


def _all_data_strings():
    """Every text stored in the database, in whatever language: on a Vietnamese page the records named in
    English ("Dryer", "Fair 2026") are data, not interface."""
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
        fields = [  # not the coded choices ("settled", "draft"): the page shows their labels
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField) and not f.choices
        ]
        for row in model.objects.values_list(*fields) if fields else []:
            for value in row:
                if value and len(value) > 1:
                    values |= {value, *value.splitlines()}
    return sorted((v.strip() for v in values if v.strip()), key=len, reverse=True)


def _english_leaks(text: str, data: list[str], english: set[str]) -> set[str]:
    for value in data:
        if value in text:
            text = re.sub(rf"(?<!\w){re.escape(value)}(?!\w)", " ", text)
    text = re.sub(r"\S+@\S+|https?://\S+|\b[A-Z0-9]+(?:[-_/.][A-Z0-9]+)+\b", " ", text)  # addresses, codes
    return {w for w in re.findall(r"\w+(?:-\w+)*", text) if w.isascii() and w.lower() in english}


def test_every_main_page_is_whole_in_vietnamese(client, world):
    officer, pages = world
    client.force_login(officer)
    client.cookies["django_language"] = "vi"
    data, english = _all_data_strings(), _english_words()
    assert {"settled", "show", "next", "review"} <= english  # the detector knows the interface's English
    leaks = {}
    for url in pages:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="vi")
        assert response.status_code == 200, url
        for text in _texts(response.content.decode(), other="en"):
            words = _english_leaks(text, data, english)
            if words:
                leaks.setdefault(url, []).append(f"{text!r} ({', '.join(sorted(words))})")
    assert not leaks, f"{sum(map(len, leaks.values()))} English texts:\n" + "\n".join(
        f"{url}: {sorted(set(texts))}" for url, texts in leaks.items()
    )
