"""Take the guide's screenshots from the real pages: each role's demo account logs in through the login form
in Debian's Chromium (driven by Playwright, never a downloaded browser), in each language, and each task's
page is photographed at 1280 × 800 and stored as a small palette PNG.

Runs in the process that serves the site (`khuyencong guide`, or a test's live server): the pages to open
are found in the same database (`help.selectors`).
"""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Iterable
from pathlib import Path

from django.contrib.auth import get_user_model

from .guide import GUIDES, RoleGuide, screenshot_name
from .selectors import screen_path
from .shots import LANGUAGES

VIEWPORT = {"width": 1280, "height": 800}
COLOURS = 64  # a palette this size keeps text and Bootstrap's colours crisp at a tenth of the RGB size
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
# Elements that change by the second (the toast of unread notifications does not; the clock-like bits do).
HIDE_CSS = ".toast-container { display: none !important; }"


def chromium() -> str:
    found = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if not found:
        raise RuntimeError("Debian's chromium is needed (apt-get install chromium)")
    return found


def optimise(png: bytes) -> bytes:
    """A palette PNG of COLOURS colours, compressed as far as zlib goes."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    small = image.quantize(colors=COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    small.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _log_in(page, base_url: str, username: str, password: str) -> None:
    page.goto(base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("form button.btn-primary")
    page.wait_for_load_state()
    if "/accounts/login/" in page.url:
        raise RuntimeError(f"{username} could not log in at {base_url}")


def capture(
    base_url: str,
    out_dir: Path,
    *,
    roles: Iterable[str] | None = None,
    languages: Iterable[str] = LANGUAGES,
    password: str,
    users: dict[str, str] | None = None,
    log=print,
) -> list[Path]:
    """Screenshots of the tasks of `roles` (guide slugs; all when None) into `out_dir/<language>/`.

    `users` maps a guide's slug to the account to log in as (the demo accounts by default)."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls made here between pages are
    # plain synchronous reads, safe in it.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    wanted = set(roles) if roles else None
    guides: list[RoleGuide] = [g for g in GUIDES if wanted is None or g.slug in wanted]
    unknown = (wanted or set()) - {g.slug for g in GUIDES}
    if unknown:
        raise ValueError(f"no guide for {', '.join(sorted(unknown))}")
    written: list[Path] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium(), headless=True, args=CHROMIUM_ARGS)
        try:
            for guide in guides:
                username = (users or {}).get(guide.slug, guide.demo_user)
                user = get_user_model().objects.get(username=username) if username else None
                for language in languages:
                    written += _capture_role(browser, base_url, out_dir, guide, user, password, language, log)
        finally:
            browser.close()
    return written


def _capture_role(browser, base_url, out_dir, guide, user, password, language, log) -> list[Path]:
    context = browser.new_context(viewport=VIEWPORT, locale="vi-VN", device_scale_factor=1)
    host = base_url.split("//", 1)[1].split("/", 1)[0].split(":")[0]
    context.add_cookies([{"name": "django_language", "value": language, "domain": host, "path": "/"}])
    page = context.new_page()
    page.set_default_timeout(30000)
    written = []
    try:
        if user is not None:
            _log_in(page, base_url, user.username, password)
        folder = out_dir / language
        folder.mkdir(parents=True, exist_ok=True)
        for task in guide.tasks:
            if not task.screen:
                continue
            path = screen_path(task.screen, user)
            if path is None:
                log(f"  {guide.slug}/{task.slug}: no record to show for {task.screen!r}, skipped")
                continue
            response = page.goto(base_url + path, wait_until="networkidle")
            if response is None or response.status != 200:
                raise RuntimeError(
                    f"{path} answered {response.status if response else 'nothing'} ({guide.slug})"
                )
            page.add_style_tag(content=HIDE_CSS)
            target = folder / screenshot_name(guide, task)
            target.write_bytes(optimise(page.screenshot(full_page=False)))
            written.append(target)
            log(f"  {target} ({target.stat().st_size // 1024} KB) ← {path}")
    finally:
        context.close()
    return written
