import os
import shutil
import tempfile
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


@pytest.fixture(autouse=True)
def _places_after_flush(request):
    """A transactional test's database was flushed by the one before it (places included): load them again."""
    marker = request.node.get_closest_marker("django_db")
    transactional = marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0]))
    if not (transactional or {"transactional_db", "live_server"} & set(request.fixturenames)):
        return
    request.getfixturevalue("_django_db_helper")
    from khuyencong.geo.models import Province
    from khuyencong.geo.services import load_places

    if not Province.objects.exists():
        load_places()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path_factory):
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
    settings.PRIVATE_MEDIA_ROOT = tmp_path_factory.mktemp("private")
    settings.AXES_ENABLED = False
    settings.RATE_LIMITS_ENABLED = False  # tests of the limits turn them on
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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


def pytest_collection_modifyitems(config, items):
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
