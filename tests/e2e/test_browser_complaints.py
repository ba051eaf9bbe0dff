"""The complaint flow in Chromium (issue 13): tap the body picture on a desktop and on a Dutch phone,
see the match, the today tier of the self-check, and print the handover page on one A4 page.

One server for the module (``tests.streamlit_client.streamlit_server``); the system Chromium
(``/usr/bin/chromium``), skipped without it unless REQUIRE_BROWSER=1. Screenshots go to
``tests/e2e/artifacts/`` (ignored by git); the README's are made by docs/make_screenshots_match.py.
"""
from __future__ import annotations

import io
import os
from pathlib import Path

import pytest


ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
FIRST_RENDER_MS = 120_000
RENDER_MS = 60_000
PICTURE = 'iframe[title="nlp.present.complaints.body_picker"]'
CHECKLIST = 'iframe[title="nlp.present.complaints.checklist"]'  # the self-check
HEADING = {"en": "Do the findings match your complaints?", "nl": "Passen de bevindingen bij uw klachten?"}

if os.environ.get("REQUIRE_BROWSER") and not Path(CHROMIUM).exists():
    raise RuntimeError(f"{CHROMIUM} is required (REQUIRE_BROWSER is set) but not installed")

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is not installed"),
]


# server, playwright and browser: tests/e2e/conftest.py (one server for every browser test)


@pytest.fixture(scope="module")
def dutch_browser(playwright):
    """A Dutch browser: the language flag reaches the websocket handshake the page reads."""
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, "--accept-lang=nl-NL,nl"])
    yield chromium
    chromium.close()


def open_example(page, server: str, lang: str = "en") -> None:
    page.goto(f"{server}/?sample=en_lumbar_1")
    page.get_by_role("heading", name=HEADING[lang]).wait_for(timeout=FIRST_RENDER_MS)


def area(page, name: str, side: str):
    return page.frame_locator(PICTURE).locator(f'[data-area="{name}"][data-side="{side}"]')


def test_desktop_tap_match_today_tier_and_handover_on_one_page(server, browser, tmp_path):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    try:
        open_example(page, server)
        area(page, "calf", "left").click()
        page.get_by_text("belongs to the S1 root").wait_for(timeout=RENDER_MS)
        assert area(page, "calf", "left").get_attribute("aria-pressed") == "true"
        assert area(page, "calf", "right").get_attribute("aria-pressed") == "false"
        assert page.get_by_text("Fits", exact=True).first.is_visible()
        # the list holds the tap too (the accessible alternative)
        assert page.locator('[data-baseweb="tag"]', has_text="Calf").count() == 1

        page.frame_locator(CHECKLIST).get_by_text("A numb feeling around the anus").click()
        page.get_by_text("Get help today").first.wait_for(timeout=RENDER_MS)
        assert page.get_by_text("out-of-hours GP service").first.is_visible()
        page.screenshot(path=str(ARTIFACTS / "complaints_desktop.png"))

        with page.expect_download() as info:
            page.get_by_role("button", name="Handover page (HTML, A4)").click()
        saved = tmp_path / "handover.html"
        info.value.save_as(str(saved))
        html = saved.read_text(encoding="utf-8")
        assert 'class="match fits">Fits<' in html and 'class="tier today"' in html
        printed = context.new_page()
        printed.goto(saved.as_uri())
        pdf = printed.pdf(prefer_css_page_size=True)
        from pypdf import PdfReader

        assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    finally:
        context.close()


def test_dutch_phone_tap_shows_the_match_and_the_handover_preview(server, dutch_browser):
    """On a Dutch phone (390 x 844) an English report is matched in Dutch."""
    context = dutch_browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        open_example(page, server, "nl")
        target = area(page, "sole_outer_foot", "left")
        target.scroll_into_view_if_needed()
        target.tap()
        page.get_by_text("hoort bij de S1-wortel").wait_for(timeout=RENDER_MS)
        assert area(page, "sole_outer_foot", "left").get_attribute("aria-pressed") == "true"
        assert page.get_by_text("Past", exact=True).first.is_visible()
        overflow = page.evaluate(
            "() => document.querySelector('[data-testid=stMain]').scrollWidth - window.innerWidth")
        assert overflow <= 1
        assert page.locator(PICTURE).bounding_box()["width"] <= 390
        page.get_by_text("Toon het overdrachtsblad").click()
        preview = page.frame_locator("iframe[srcdoc]").last
        preview.get_by_text("Overdracht: klachten en MRI-verslag").wait_for(timeout=RENDER_MS)
        assert preview.locator("td.match.fits").count() == 1
        page.screenshot(path=str(ARTIFACTS / "complaints_phone_nl.png"))
    finally:
        context.close()
