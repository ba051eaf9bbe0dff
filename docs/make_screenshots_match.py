"""Make the README's screenshots of the complaint flow (issue 13): docs/match.png (the body
picture and the match per root) and docs/handover.png (the one-page handover).

Run from the repository root: ``.venv/bin/python docs/make_screenshots_match.py``. It serves the
page on a free local port (``python -m nlp.page``), opens the English lumbar example in the
system Chromium, gives the age 52, taps the left calf (pain) and the left sole (numbness), ticks one self-check
answer and downloads the handover page. Tests never run this: it writes tracked files.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.streamlit_client import streamlit_server  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
PICTURE = 'iframe[title="nlp.present.complaints.body_picker"]'
CHECKLIST = 'iframe[title="nlp.present.complaints.checklist"]'  # the self-check
WIDTH = 1280


def tap(page, area: str, side: str, expect: str) -> None:
    page.frame_locator(PICTURE).locator(f'[data-area="{area}"][data-side="{side}"]').click()
    page.get_by_text(expect).first.wait_for(timeout=60_000)


def main() -> None:
    from playwright.sync_api import sync_playwright

    with streamlit_server() as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": WIDTH, "height": 900}, accept_downloads=True)
        page.goto(f"http://127.0.0.1:{server.port}/?sample=en_lumbar_1")
        heading = page.get_by_role("heading", name="Do the findings match your complaints?")
        heading.wait_for(timeout=120_000)
        age = page.get_by_label("Your age (optional)")
        age.fill("52")
        age.press("Enter")
        page.wait_for_timeout(3000)
        heading.wait_for(timeout=60_000)
        tap(page, "calf", "left", "pain in the calf")
        page.get_by_text("Numbness or tingling", exact=True).first.click()
        tap(page, "sole_outer_foot", "left", "numbness or tingling under the foot")
        page.frame_locator(CHECKLIST).get_by_text("Pain at night that does not get less").click()
        page.get_by_text("See your GP within a few days").first.wait_for(timeout=60_000)
        page.wait_for_timeout(1500)
        height = page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollHeight")
        page.set_viewport_size({"width": WIDTH, "height": height})
        page.wait_for_timeout(1500)
        top = heading.bounding_box()["y"] - 16
        bottom = page.get_by_role("heading", name="Warning signs: a self-check").bounding_box()["y"] - 8
        page.screenshot(path=str(REPO / "docs" / "match.png"),
                        clip={"x": 0, "y": top, "width": WIDTH, "height": bottom - top})
        with page.expect_download() as info:
            page.get_by_role("button", name="Handover page (HTML, A4)").click()
        with tempfile.TemporaryDirectory() as folder:
            saved = Path(folder) / "handover.html"
            info.value.save_as(str(saved))
            sheet = browser.new_page(viewport={"width": 794, "height": 1123})  # A4 at 96 dpi
            sheet.goto(saved.as_uri())
            sheet.screenshot(path=str(REPO / "docs" / "handover.png"), full_page=True)
        browser.close()
    print("wrote docs/match.png and docs/handover.png")


if __name__ == "__main__":
    main()
