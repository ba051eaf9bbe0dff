"""The real page in Chromium: upload a PDF, see the marks, the groups and the questions.

Starts ``streamlit run app.py`` on a free port and drives it with Playwright, using the
system Chromium (``/usr/bin/chromium``; Playwright's own browsers are not installed).
Screenshots go to ``tests/e2e/artifacts/`` (untracked): a test run never changes a tracked
file. The README's pictures come from ``docs/make_screenshots.py``.

Run: ``.venv/bin/python -m pytest tests/e2e -q`` (skipped only without /usr/bin/chromium).
"""
from __future__ import annotations

import html as html_module
from pathlib import Path

import pytest

import nlp
from nlp.explain import explain_report
from tests.e2e.conftest import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS

REPO_ROOT = Path(__file__).resolve().parents[2]
# The first analysis in a fresh server builds the pipelines (several seconds).
FIRST_RENDER_MS = 120_000
RENDER_MS = 60_000

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is not installed"),
]

# A report as a hospital PDF would have it.
REPORT_LINES = [
    "MRI LUMBAR SPINE",
    "Clinical history: Low back pain radiating to the left leg.",
    "Findings:",
    "Disc desiccation at L4-L5 and L5-S1.",
    "L4-L5: Mild diffuse disc bulge and mild facet arthropathy. No canal stenosis.",
    "L5-S1: Left paracentral disc protrusion compressing the traversing left S1 nerve root.",
    "No fracture.",
    "Impression: Left paracentral disc protrusion at L5-S1.",
]


@pytest.fixture(scope="module")
def dutch_browser(playwright):
    """Chromium set up like a Dutch browser (Accept-Language nl-NL on every request).

    Playwright's ``locale`` does not reach the WebSocket handshake that Streamlit reads
    the header from, so the browser's own language flag is used.
    """
    chromium = playwright.chromium.launch(
        executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, "--accept-lang=nl-NL,nl"])
    yield chromium
    chromium.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB",
                                  accept_downloads=True)
    page = context.new_page()
    yield page
    context.close()


def full_screenshot(page, path: Path) -> None:
    """A screenshot of the whole page (Streamlit scrolls inside its main section)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    height = page.evaluate(
        "() => Math.max(document.querySelector('[data-testid=stMain]').scrollHeight, 600)")
    page.set_viewport_size({"width": size["width"], "height": height})
    page.wait_for_timeout(800)
    page.screenshot(path=str(path))
    page.set_viewport_size(size)


def upload(page, name: str, data: bytes, mime: str) -> None:
    page.get_by_text("Upload a file", exact=True).click()
    page.locator('input[type="file"]').set_input_files(
        files=[{"name": name, "mimeType": mime, "buffer": data}])


def expected_report(pdf: bytes):
    from nlp.inputs.readers import read_bytes

    return nlp.analyse(read_bytes(pdf, "mri.pdf"))


def test_browser_upload_pdf_shows_marks_groups_and_questions(server, page):
    from tests.fixtures import make_pdf

    pdf = make_pdf(REPORT_LINES)
    page.goto(server)
    page.get_by_role("heading", name="Understand your spine MRI report").wait_for()
    upload(page, "mri-report.pdf", pdf, "application/pdf")
    page.locator(".sf-report mark.sf-mark").first.wait_for(timeout=FIRST_RENDER_MS)

    report = expected_report(pdf)
    refs = page.locator(".sf-report a.sf-ref")
    assert refs.count() == len(report.findings) > 5
    marked = page.locator(".sf-report mark.sf-mark .sf-text").all_inner_texts()
    assert marked == [f.text for f in sorted(report.findings, key=lambda f: f.start)]
    negated = page.locator(".sf-report mark.sf-ruled_out")
    assert negated.count() == sum(f.negated for f in report.findings) > 0
    assert "not present" in negated.first.inner_text()
    assert page.locator(".sf-report mark.sf-mark").first.get_attribute("title")

    for group in ("Depends on your complaints", "Common in people without pain", "Ruled out"):
        assert page.get_by_role("heading", name=group, exact=True).first.is_visible()
    questions = page.get_by_label("My questions (one per line)")
    assert questions.input_value().splitlines() == explain_report(report).suggested
    assert page.locator(".sf-urgency").is_visible()  # how urgent, with the warning signs

    # with an age, the figures and the chart are for that age
    page.get_by_label("Your age (optional)").fill("52")
    page.get_by_label("Your age (optional)").press("Enter")
    aged = explain_report(nlp.analyse(report.text, lang="en", age=52))
    figure = next(i.prevalence.sentence("en") for i in aged.all_findings() if i.prevalence)
    page.locator(".sf-card").filter(has_text=figure).first.wait_for(timeout=RENDER_MS)
    assert page.get_by_text("The grey line marks your age.").is_visible()
    full_screenshot(page, ARTIFACTS / "upload_pdf_en.png")


def test_browser_markup_in_a_report_never_runs(server, page):
    """<script> and <img onerror> in an uploaded report show as text and never run."""
    text = (
        "MRI lumbar spine. L4-L5: disc bulge.\n"
        "<script>window.__xss = 1</script> <img src=x onerror=\"window.__xss = 2\">\n"
        "No fracture <b>bold?</b>\n"
    )
    page.goto(server)
    upload(page, "report.txt", text.encode("utf-8"), "text/plain")
    page.locator(".sf-report mark.sf-mark").first.wait_for(timeout=FIRST_RENDER_MS)
    page.wait_for_timeout(500)
    assert page.evaluate("() => window.__xss") is None
    shown = page.locator(".sf-report").inner_text()
    assert "<script>window.__xss = 1</script>" in shown
    assert '<img src=x onerror="window.__xss = 2">' in shown
    assert page.locator(".sf-report img, .sf-report script, .sf-report b").count() == 0


def test_browser_page_language_switch_keeps_the_upload(server, page):
    from tests.fixtures import make_pdf

    page.goto(server)
    upload(page, "mri-report.pdf", make_pdf(REPORT_LINES), "application/pdf")
    page.locator(".sf-report mark.sf-mark").first.wait_for(timeout=RENDER_MS)
    count = page.locator(".sf-report a.sf-ref").count()
    page.get_by_text("Nederlands", exact=True).click()
    page.get_by_role("heading", name="Begrijp uw MRI-verslag van de rug").wait_for()
    page.get_by_role("heading", name="Hangt af van uw klachten", exact=True).first.wait_for(
        timeout=RENDER_MS)
    assert page.locator(".sf-report a.sf-ref").count() == count
    assert "niet aanwezig" in page.locator(".sf-report").inner_text()
    questions = page.get_by_label("Mijn vragen (één per regel)")
    report = expected_report(make_pdf(REPORT_LINES))
    assert questions.input_value().splitlines() == explain_report(report, lang="nl").suggested


def test_browser_footnote_link_leads_to_the_explanation(server, page):
    page.goto(server)
    page.get_by_text("Try an example", exact=True).click()
    page.get_by_text("Choose an example").click()
    page.get_by_role("option", name="Lower back, English (1): disc protrusion").click()
    first = page.locator(".sf-report a.sf-ref").first
    first.wait_for(timeout=RENDER_MS)
    target = first.get_attribute("href")
    first.click()
    note = page.locator(target)
    note.wait_for()
    assert note.is_visible()
    assert "the report says" in note.inner_text().lower()  # the first finding is ruled out


def test_browser_scanned_pdf_shows_a_short_message(server, page):
    from tests.fixtures import make_pdf

    page.goto(server)
    upload(page, "scan.pdf", make_pdf([]), "application/pdf")
    alert = page.get_by_text("looks like a scanned PDF")
    alert.wait_for(timeout=RENDER_MS)
    assert page.locator(".sf-report").count() == 0
    assert "Traceback" not in page.content()


def test_browser_download_print_page(server, page):
    page.goto(server)
    page.get_by_text("Try an example", exact=True).click()
    page.get_by_text("Choose an example").click()
    page.get_by_role("option", name="Neck, English").click()
    page.locator(".sf-report mark.sf-mark").first.wait_for(timeout=RENDER_MS)
    with page.expect_download() as info:
        page.get_by_role("button", name="Print page (HTML, A4)").click()
    path = ARTIFACTS / "print_page_en.html"
    info.value.save_as(str(path))
    html = path.read_text(encoding="utf-8")
    assert "size: A4" in html
    neck = (REPO_ROOT / "sample_reports" / "examples" / "en_cervical.txt").read_text("utf-8")
    first = explain_report(nlp.analyse(neck, lang="en")).suggested[0]
    assert html_module.escape(first, quote=True) in html
    assert "does not make a diagnosis" in html


def test_browser_phone_width_stacks_without_sideways_scrolling(server, dutch_browser):
    """On a Dutch phone the page opens in Dutch and the two columns stack, explanations first."""
    context = dutch_browser.new_context(viewport={"width": 390, "height": 844},
                                        is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(server)
        page.get_by_role("heading", name="Begrijp uw MRI-verslag van de rug").wait_for()
        page.get_by_text("Voorbeeld proberen", exact=True).click()
        page.get_by_text("Kies een voorbeeld").click()
        page.get_by_role("option", name="Onderrug, Nederlands (1): hernia").click()
        page.locator(".sf-report mark.sf-mark").first.wait_for(timeout=RENDER_MS)
        report = page.locator(".sf-report").bounding_box()
        explain = page.get_by_role("heading", name="Wat de bevindingen betekenen").bounding_box()
        # columns stacked, in the order a person needs: the explanations, then the report
        assert explain["y"] < report["y"] and abs(explain["x"] - report["x"]) < 40
        overflow = page.evaluate(
            "() => document.querySelector('[data-testid=stMain]').scrollWidth - window.innerWidth")
        assert overflow <= 1
        full_screenshot(page, ARTIFACTS / "phone_nl.png")
    finally:
        context.close()


def test_browser_sends_nothing_to_another_host(server, page):
    """The page, its icon, fonts and an analysed example load only from the page's own server."""
    from urllib.parse import urlsplit

    own = urlsplit(server).hostname
    hosts = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).hostname))
    page.goto(f"{server}/?sample=en_lumbar_1")
    page.locator(".sf-report mark.sf-mark").first.wait_for(timeout=FIRST_RENDER_MS)
    page.get_by_label("Your age (optional)").fill("52")  # the chart too
    page.get_by_label("Your age (optional)").press("Enter")
    page.wait_for_timeout(2000)  # late requests: favicon, fonts, chart
    assert hosts - {own, None} == set(), f"requests to other hosts: {sorted(hosts - {own, None})}"
    assert page.evaluate("() => document.querySelector(\"link[rel='shortcut icon']\").href").startswith(server)


def test_browser_compare_an_uploaded_and_a_pasted_report(server, page):
    """Compare mode: the earlier report uploaded (Dutch), the later one pasted (English);
    the table per level shows rewording, a worse stenosis, a resolved and a new finding."""
    old = ("MRI lumbale wervelkolom.\nL4-L5: kleine linkszijdige discusprotrusie. Lichte "
           "kanaalstenose.\nL5-S1: discusbulging. Geen foramenstenose.\n")
    new = ("MRI lumbar spine.\nL4-L5: left paracentral disc herniation. Moderate spinal canal "
           "stenosis, increased since the prior study.\nL5-S1: new right foraminal stenosis. "
           "No disc bulge.\n")
    page.goto(server)
    page.get_by_text("Compare two reports", exact=True).click()
    page.get_by_role("heading", name="Earlier report").wait_for()
    page.get_by_text("Upload a file", exact=True).first.click()
    page.locator('input[type="file"]').set_input_files(
        files=[{"name": "mri-2021.txt", "mimeType": "text/plain", "buffer": old.encode("utf-8")}])
    box = page.get_by_label("Report text")
    box.fill(new)
    page.get_by_role("button", name="Compare the reports").click()
    table = page.locator("table.compare")
    table.wait_for(timeout=FIRST_RENDER_MS)
    rows = table.locator("tbody tr")
    assert rows.count() == 4
    changes = table.locator("tbody td.change").all_inner_texts()
    assert changes == ["The same, in other words", "More severe", "Gone", "New"]
    first = rows.first.inner_text()
    assert "discusprotrusie" in first and "disc herniation" in first
    assert "increased" in rows.nth(1).inner_text()
    assert page.get_by_text("Earlier report in Dutch, later report in English.").is_visible()
    full_screenshot(page, ARTIFACTS / "compare_en.png")
