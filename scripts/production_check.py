"""Fetch the main page of every area of a running site in Chromium and check what a production site must do.

    .venv/bin/python scripts/production_check.py http://127.0.0.1:18100 [--password demo-khuyencong]
        [--admin-password PW] [--screenshots DIR] [--proxy-https]

For each page: the answer is 200, the Bootstrap stylesheet loads (and applies), no console error and no
uncaught script error; on every HTML answer the security headers are present (HSTS, X-Content-Type-Options,
Content-Security-Policy, X-Frame-Options, Referrer-Policy). Logged-in areas are fetched as the demo officers
(the demo data must be loaded). With --proxy-https every request carries `X-Forwarded-Proto: https`, as nginx
sends it in front of the site (SECURE_PROXY_SSL_HEADER). Exits 1 and lists every problem when one fails.
Uses Debian's /usr/bin/chromium (never downloads a browser).
"""

import argparse
import shutil
import sys
from pathlib import Path

PUBLIC = ["/catalogue/", "/accounts/login/", "/api/v1/docs", "/verify/pdf/", "/help/", "/help/judge/"]
# (user, pages): the main page of each area, as the demo user who works there.
LOGGED_IN = [
    ("sct.camau", ["/", "/registry/establishments/", "/registry/products/", "/programme/", "/selection/",
                   "/outreach/", "/reports/", "/data/", "/places/", "/programme/rules/",
                   "/programme/settlement/", "/programme/targets/", "/national/", "/registry/villages/",
                   "/registry/artisans/", "/documents/signatories/", "/national/import-allocation/"]),
    ("cuc.khuyencong", ["/national/consolidation/", "/selection/"]),
    ("admin", ["/admin/"]),
]
HEADERS = {
    "strict-transport-security": "max-age=",
    "x-content-type-options": "nosniff",
    "content-security-policy": "default-src",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
}


def check_headers(url: str, headers: dict[str, str], https: bool) -> list[str]:
    problems = []
    for name, expected in HEADERS.items():
        if name == "strict-transport-security" and not https:
            continue
        value = headers.get(name)
        if value is None or expected not in value:
            problems.append(f"{url}: header {name} is {value!r}, expected it to contain {expected!r}")
    return problems


def check_page(page, base: str, path: str, https: bool, shots: Path | None, label: str) -> list[str]:
    problems: list[str] = []
    console: list[str] = []
    stylesheets: list[tuple[str, int]] = []
    failed: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: console.append(f"uncaught: {e}"))
    page.on("response", lambda r: stylesheets.append((r.url, r.status)) if r.request.resource_type == "stylesheet"
            else None)
    page.on("response", lambda r: failed.append(f"{r.url} answered {r.status}") if r.status >= 400 else None)
    url = base + path
    response = page.goto(url, wait_until="networkidle")
    if response is None or response.status != 200:
        return [f"{url}: status {response.status if response else 'none'} (expected 200)"]
    problems += check_headers(url, response.headers, https)
    bootstrap = [(u, s) for u, s in stylesheets if "bootstrap" in u and u.endswith(".css")]
    if not bootstrap and "/admin/" not in path and "/api/v1/docs" not in path:
        problems.append(f"{url}: the Bootstrap stylesheet was not requested")
    problems += [f"{url}: stylesheet {u} answered {s}" for u, s in stylesheets if s != 200]
    if bootstrap:
        # Bootstrap sets the body's font to its system stack: the stylesheet is not only fetched but applied.
        applied = page.evaluate("getComputedStyle(document.body).getPropertyValue('--bs-body-font-family')")
        if not applied.strip():
            problems.append(f"{url}: the Bootstrap stylesheet did not apply")
    problems += [f"{url}: console error: {text}" for text in console]
    problems += [f"{url}: {text}" for text in failed]
    if shots:
        name = (label + path).strip("/").replace("/", "_") or "home"
        page.screenshot(path=str(shots / f"{name}.png"), full_page=False)
    return problems


def login(page, base: str, username: str, password: str) -> list[str]:
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("form button.btn-primary")
    page.wait_for_load_state()
    if "/accounts/login/" in page.url:
        return [f"login as {username} failed (still on {page.url})"]
    return []


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("base_url")
    parser.add_argument("--password", default="demo-khuyencong", help="the demo users' password")
    parser.add_argument("--admin-password", help="the password of `admin` when it is not the demo's "
                        "(created by the README's createsuperuser before the demo was loaded)")
    parser.add_argument("--screenshots", type=Path)
    parser.add_argument("--proxy-https", action="store_true", help="send X-Forwarded-Proto: https (behind nginx)")
    args = parser.parse_args()
    base = args.base_url.rstrip("/")
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if args.screenshots:
        args.screenshots.mkdir(parents=True, exist_ok=True)

    from playwright.sync_api import sync_playwright

    problems: list[str] = []
    checked = 0
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, headless=True,
                                     args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        extra = {"X-Forwarded-Proto": "https"} if args.proxy_https else {}
        for user, paths in [(None, PUBLIC), *LOGGED_IN]:
            context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900},
                                          extra_http_headers=extra)
            page = context.new_page()
            page.set_default_timeout(30000)
            if user:
                password = args.admin_password if user == "admin" and args.admin_password else args.password
                failed = login(page, base, user, password)
                problems += failed
                if failed:
                    context.close()
                    continue
            for path in paths:
                page = context.new_page()
                page.set_default_timeout(30000)
                problems += check_page(page, base, path, args.proxy_https, args.screenshots, user or "public")
                checked += 1
                page.close()
            context.close()
        browser.close()
    for problem in problems:
        print(f"!! {problem}")
    print(f"{checked} pages checked in Chromium, {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
