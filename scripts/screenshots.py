"""Screenshot pages at desktop and phone widths in Debian's Chromium, logged in as a demo user.

Usage: python scripts/screenshots.py BASE_URL OUTDIR USERNAME PATH [PATH ...]
(USERNAME "-" for anonymous). The demo password is used to log in.
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

DEMO_PASSWORD = "demo-khuyencong"  # khuyencong.core.demo.DEMO_PASSWORD

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]


def main(base: str, outdir: str, username: str, *paths: str) -> None:
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for label, viewport in [("desktop", {"width": 1280, "height": 900}), ("phone", {"width": 390, "height": 844})]:
            context = browser.new_context(viewport=viewport, locale="vi-VN")
            page = context.new_page()
            if username != "-":
                page.goto(base + "/accounts/login/")
                page.fill("#id_username", username)
                page.fill("#id_password", DEMO_PASSWORD)
                page.click("form button.btn-primary")
                page.wait_for_load_state()
            for path in paths:
                page.goto(base + path)
                page.wait_for_load_state("networkidle")
                name = path.strip("/").replace("/", "_").replace("?", "_").replace("=", "-") or "home"
                page.screenshot(path=str(out / f"{name}-{label}.png"), full_page=True)
                print(out / f"{name}-{label}.png")
            context.close()
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
