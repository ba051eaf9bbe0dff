"""The README's screenshots of the page: four views, made on purpose (never by a test run).

1. ``docs/page_en_desktop.png``: English lumbar example, desktop (1280 px), age 52.
2. ``docs/page_nl_phone.png``: Dutch lumbar example on a phone (390 px), Dutch page.
3. ``docs/page_neck_phone.png``: English neck example on a phone.
4. ``docs/page_today_nl.png``: a Dutch report with cauda equina compression, the "today" box.

Starts the page (``python -m nlp.page`` on a free port) and the system Chromium
(``/usr/bin/chromium``). Run::

    .venv/bin/python docs/make_screenshots.py
"""
from __future__ import annotations

import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from tests.e2e.test_page_views import CAUDA, DESKTOP, PHONE  # noqa: E402
from tests.streamlit_client import streamlit_server  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
DOCS = REPO_ROOT / "docs"
TIMEOUT_MS = 180_000
# How much of the page each picture shows (the top: urgency, explanations, report).
HEIGHT = {"desktop": 1700, "phone": 2400}


def shot(page, path: Path, kind: str) -> None:
    """The top of the page (Streamlit scrolls inside its main section, so the viewport is
    made as tall as the picture)."""
    width = page.viewport_size["width"]
    page.set_viewport_size({"width": width, "height": HEIGHT[kind]})
    page.wait_for_timeout(1200)
    results = page.locator("h2").filter(has_text="2.").first
    results.scroll_into_view_if_needed()
    page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollBy(0, -20)")
    page.wait_for_timeout(500)
    page.screenshot(path=str(path))
    print(f"wrote {path.relative_to(REPO_ROOT)}")


def open_page(browser, url: str, viewport: dict, lang: str):
    context = browser.new_context(viewport=viewport, is_mobile=viewport is PHONE,
                                  has_touch=viewport is PHONE, locale="en-GB")
    page = context.new_page()
    page.goto(url)
    page.get_by_role("heading", name="Understand your spine MRI report").wait_for(
        timeout=TIMEOUT_MS)
    if lang == "nl":
        page.get_by_text("Nederlands", exact=True).first.click()
        page.get_by_role("heading", name="Begrijp uw MRI-verslag van de rug").wait_for()
    return context, page


def main() -> None:
    from playwright.sync_api import sync_playwright

    with streamlit_server() as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM,
                                             args=["--no-sandbox", "--disable-gpu"])
        base = f"http://127.0.0.1:{server.port}"
        views = [("en_lumbar_1", "en", DESKTOP, "page_en_desktop.png"),
                 ("nl_lumbaal_1", "nl", PHONE, "page_nl_phone.png"),
                 ("en_cervical", "en", PHONE, "page_neck_phone.png")]
        for sample, lang, viewport, name in views:
            context, page = open_page(browser, f"{base}/?sample={sample}", viewport, lang)
            page.locator(".sf-report mark.sf-mark").first.wait_for(timeout=TIMEOUT_MS)
            if viewport is DESKTOP:
                age = page.get_by_label("Your age (optional)")
                age.fill("52")
                age.press("Enter")
                page.locator("svg circle").first.wait_for(timeout=TIMEOUT_MS)
            shot(page, DOCS / name, "desktop" if viewport is DESKTOP else "phone")
            context.close()
        context, page = open_page(browser, base, DESKTOP, "nl")
        page.get_by_label("Tekst van het verslag").fill(CAUDA["nl"])
        page.get_by_role("button", name="Leg mijn verslag uit").click()
        page.locator(".sf-urgency").wait_for(timeout=TIMEOUT_MS)
        shot(page, DOCS / "page_today_nl.png", "desktop")
        context.close()
        browser.close()


if __name__ == "__main__":
    main()
