import os
import shutil
import tempfile
import threading
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls there are safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database starts with Vietnam's places (the geo data migration loads them with the schema;
    loaded here only when the migrations did not run, e.g. `--nomigrations`)."""
    from khuyencong.geo.models import Province
    from khuyencong.geo.services import load_places

    with django_db_blocker.unblock():
        if not Province.objects.exists():
            load_places()
    _flush_by_delete_after_a_transactional_test()


def _flush_by_delete_after_a_transactional_test():
    """After a transactional test Django empties every table with one TRUNCATE; on PostgreSQL that takes 1.5 s
    (5 s on a busy machine) for ~95 tables, as each table gets new files. DELETE with the foreign keys
    deferred empties the same tables in ~0.1 s. Only the test framework's flush is changed: a flush the
    application runs (a forced restore) still truncates."""
    from django.db.backends.postgresql.operations import DatabaseOperations
    from django.test import TransactionTestCase

    if getattr(TransactionTestCase._fixture_teardown, "flushes_by_delete", False):
        return
    truncate, teardown = DatabaseOperations.sql_flush, TransactionTestCase._fixture_teardown
    in_teardown = threading.local()

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if not getattr(in_teardown, "active", False) or reset_sequences or allow_cascade or not tables:
            return truncate(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        return ["SET CONSTRAINTS ALL DEFERRED", *(f"DELETE FROM {self.quote_name(t)}" for t in tables)]

    def fixture_teardown(self):
        in_teardown.active = True
        try:
            return teardown(self)
        finally:
            in_teardown.active = False

    fixture_teardown.flushes_by_delete = True
    DatabaseOperations.sql_flush = sql_flush
    TransactionTestCase._fixture_teardown = fixture_teardown


@pytest.fixture(autouse=True)
def _places_after_flush(request):
    """A transactional test's database was flushed by the one before it (places included): load them again."""
    marker = request.node.get_closest_marker("django_db")
    transactional = marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0]))
    if not (transactional or {"transactional_db", "live_server"} & set(request.fixturenames)):
        return
    request.getfixturevalue("_django_db_helper")
    from khuyencong.geo.models import Province

    if not Province.objects.exists():
        _load_places_again()


_places_rows: dict = {}  # each geo model's rows as load_places() made them, kept by the first reload


def _load_places_again():
    """The places as load_places() makes them: by load_places() the first time (~1 s), then the same rows
    inserted in bulk (~0.2 s), since a flushed database needs them before each transactional test."""
    from django.core.management.color import no_style
    from django.db import connection

    from khuyencong.geo.models import Commune, LegacyDistrict, LegacyProvince, Province, Region
    from khuyencong.geo.services import load_places

    models = [Region, Province, Commune, LegacyProvince, LegacyDistrict]  # in the order of their keys
    if not _places_rows:
        load_places()
        _places_rows.update({model: list(model.objects.values()) for model in models})
        return
    for model in models:
        model.objects.bulk_create([model(**row) for row in _places_rows[model]], batch_size=1000)
    with connection.cursor() as cursor:  # the regions' ids were given: the next one follows them
        for sql in connection.ops.sequence_reset_sql(no_style(), [Region]):
            cursor.execute(sql)


TEST_SETTINGS = {
    "AXES_ENABLED": False,
    "RATE_LIMITS_ENABLED": False,  # tests of the limits turn them on
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
}
_shared_media: list[tuple[str, dict]] = []  # (fixture name, its media settings) of the shared data alive now


@pytest.fixture(autouse=True)
def _media_root(request, settings, tmp_path_factory):
    shared = [media for name, media in _shared_media if name in request.fixturenames]
    if shared:  # the module's shared data wrote its files there: the tests asking for it read them
        settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT = (
            shared[-1]["MEDIA_ROOT"],
            shared[-1]["PRIVATE_MEDIA_ROOT"],
        )
    else:
        settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
        settings.PRIVATE_MEDIA_ROOT = tmp_path_factory.mktemp("private")
    for name, value in TEST_SETTINGS.items():
        setattr(settings, name, value)


def shared_data(name, build):
    """A module-scoped fixture `name` whose value is `build()`, run once for the module's tests instead of once per
    test (an expensive setup: the demo, an imported history). The data is written inside an outer
    transaction rolled back after the module's last test; each test's own transaction is a savepoint inside
    it, so what a test writes is still undone before the next one. The tests asking for it must not be
    transactional. Under xdist each worker that runs some of the module's tests builds it once (the suite does
    not use `--dist loadgroup`: see pyproject.toml)."""

    @pytest.fixture(scope="module", name=name)
    def fixture(django_db_setup, django_db_blocker, tmp_path_factory):
        from django.db import connection, transaction
        from django.test.utils import override_settings

        media = {
            "MEDIA_ROOT": tmp_path_factory.mktemp("media"),
            "PRIVATE_MEDIA_ROOT": tmp_path_factory.mktemp("private"),
        }
        with override_settings(**media, **TEST_SETTINGS):
            with django_db_blocker.unblock():
                outer = transaction.atomic()
                outer.__enter__()
                try:
                    with pytest.MonkeyPatch.context() as patch:  # as `_commit_hooks_at_once` does for a test
                        patch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())
                        value = build()
                except BaseException:
                    transaction.set_rollback(True)
                    outer.__exit__(None, None, None)
                    raise
            _shared_media.append((name, media))
            try:
                yield value
            finally:
                _shared_media.remove((name, media))
                with django_db_blocker.unblock():
                    transaction.set_rollback(True)
                    outer.__exit__(None, None, None)
                    assert not connection.in_atomic_block

    return fixture


@pytest.fixture(autouse=True)
def _commit_hooks_at_once(request, monkeypatch):
    """A test runs in a transaction that never commits: run at once what its commit would start (tasks
    enqueued with transaction.on_commit, which the suite's backend runs in the request), as production
    does outside a transaction. Tests asking for `django_capture_on_commit_callbacks` keep Django's."""
    if {"django_capture_on_commit_callbacks", "transactional_db", "live_server"} & set(request.fixturenames):
        return
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request made in English (LocaleMiddleware activates the
    language for the thread and leaves it) must not turn the next test's messages English."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Cached counts and reports belong to one test's data (the database is rolled back, the cache is not)."""
    from django.core.cache import caches

    from khuyencong.catalogue import services as catalogue_services
    from khuyencong.catalogue import views as catalogue_views

    for alias in ("default", "progress"):
        caches[alias].clear()
    from khuyencong.core import counts

    counts.forget_seen_version()  # each worker process's memory of the cache, cleared with it
    catalogue_services.forget_seen_version()
    catalogue_views._LOCAL_PAGES.clear()
    catalogue_views._FRAMES.clear()  # the verification page's frame, rendered once per language
    yield


def pytest_report_header(config):
    if not CHROMIUM:
        return "*** Chromium not found (apt-get install chromium): the browser tests (e2e) are SKIPPED ***"
    return f"browser tests: Debian's Chromium at {CHROMIUM}"


@pytest.hookimpl(trylast=True)  # after pytest-django's order: tests without the database last
def pytest_collection_modifyitems(config, items):
    # the long tests marked `early` (none uses the test database) first: run last, one of them (minutes on a
    # busy machine) ended the run alone on one worker while the other had nothing left to do
    items[:] = sorted(items, key=lambda item: item.get_closest_marker("early") is None)
    if CHROMIUM:
        return
    skip = pytest.mark.skip(
        reason="Debian's chromium is not installed (apt-get install chromium): browser tests skipped"
    )
    for item in items:
        if "e2e" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM:
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    page.base_url = live_server.url
    yield page
    context.close()


@pytest.fixture
def login(page):
    """Log in through the real form."""

    def do_login(username, password="pw-test-123"):
        page.goto(page.base_url + "/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("form button.btn-primary")
        page.wait_for_load_state()
        return page

    return do_login


@pytest.fixture
def screenshot_dir():
    path = Path(os.environ.get("SCREENSHOT_DIR", tempfile.gettempdir())) / "khuyencong-shots"
    path.mkdir(parents=True, exist_ok=True)
    return path


# Factories exposed as fixtures for convenience
from tests.factories import *  # noqa: E402,F401,F403
