"""The page, run headless with Streamlit's AppTest: flows, language switches, age, errors.

AppTest (Streamlit 1.40) cannot drive ``st.file_uploader``: the upload handler
``app.read_upload`` is tested directly here, and a real upload in tests/e2e.
"""
from __future__ import annotations

import base64
import html
import re
from pathlib import Path
from typing import Dict, List

import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1 import app_test as app_test_module

import app
import nlp
from nlp.explain import explain_report
from nlp.present.export import (
    findings_csv,
    findings_json,
    findings_table,
    parse_questions,
    questions_markdown,
)
from nlp.present.printing import printable_html
from nlp.inputs.readers import ReadError
from nlp.present.ui_text import language_from_accept, md_escape, page_language, t, texts
from tests.fixtures import make_docx, make_pdf

REPO_ROOT = Path(__file__).resolve().parents[2]
APP_FILE = str(REPO_ROOT / "app.py")
EXAMPLES = REPO_ROOT / "sample_reports" / "examples"
# The first run builds both pipelines (a few seconds each); later runs are fast.
TIMEOUT = 180
NOT_A_REPORT = "Shopping list: apples, bread, milk and a birthday card for Anna."


def example(name: str) -> str:
    return (EXAMPLES / name).read_text(encoding="utf-8")


class RecordingStorage(MemoryMediaFileStorage):
    """The in-memory media storage of AppTest, kept so tests can read downloads."""

    latest: "RecordingStorage | None" = None

    def __init__(self, endpoint: str) -> None:
        super().__init__(endpoint)
        RecordingStorage.latest = self


@pytest.fixture()
def at(monkeypatch) -> AppTest:
    """A fresh page (new session) whose download buttons can be read."""
    monkeypatch.setattr(app_test_module, "MemoryMediaFileStorage", RecordingStorage)
    page = AppTest.from_file(APP_FILE, default_timeout=TIMEOUT)
    page.run()
    assert not page.exception
    return page


def paste(page: AppTest, text: str) -> AppTest:
    page.text_area(key="paste_text").input(text)
    page.button(key="explain").click()
    page.run()
    assert not page.exception, page.exception
    return page


def html_bodies(page: AppTest) -> List[str]:
    return [element.proto.body for element in page.get("html")]


def main_html_bodies(page: AppTest) -> List[str]:
    """The HTML blocks of the page's main area, in page order. In Streamlit 1.45 (not 1.40) an
    ``st.html`` of ``<style>`` only goes to the page's event container, listed after the
    main area: ``html_bodies`` then ends with the page's CSS, not with its last block."""
    return [element.proto.body for element in page.main.get("html")]


def report_html(page: AppTest) -> str:
    bodies = [b for b in html_bodies(page) if 'class="sf-report"' in b]
    assert len(bodies) == 1
    return bodies[0]


def page_html(page: AppTest) -> str:
    return "\n".join(html_bodies(page))


def markdown_text(page: AppTest) -> str:
    return "\n".join(m.value for m in page.markdown)


def downloads(page: AppTest) -> Dict[str, bytes]:
    """Label -> bytes of every download button on the page."""
    storage = RecordingStorage.latest
    out = {}
    for button in page.get("download_button"):
        name = button.proto.url.rsplit("/", 1)[-1]
        out[button.proto.label] = storage.get_file(name).content
    return out


def questions_box(page: AppTest):
    boxes = [a for a in page.text_area if (a.key or "").startswith("questions_")]
    assert len(boxes) == 1
    return boxes[0]


def section_headings(page: AppTest) -> List[str]:
    """The page's section headings in page order: Streamlit headers and the ``<h2>`` of the
    page's own blocks (a section heading and its intro are one block, for speed)."""
    out: List[str] = []

    def walk(node) -> None:
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            for key in sorted(children):
                walk(children[key])
        elif node.type == "header":
            out.append(node.value)
        elif node.type == "html":
            out.extend(html.unescape(h) for h in re.findall(r"<h2>([^<]*)</h2>", node.proto.body))

    walk(page.main)
    return out


def footer_headings(page: AppTest) -> List[str]:
    """The headings of the closing notes (one block, the last of the page)."""
    last = main_html_bodies(page)[-1]
    assert last.startswith('<footer class="sf-col sf-footer">')
    return [html.unescape(h) for h in re.findall(r"<h3>([^<]*)</h3>", last)]


def group_headings(page: AppTest) -> List[str]:
    """The group headings of "what the findings mean", in page order (the ``<h3>`` of the
    page's own block: one ``st.html`` for the column, not a Streamlit subheader each)."""
    return [html.unescape(h) for body in html_bodies(page)
            for h in re.findall(r'<h3 class="sf-group"[^>]*>([^<]*)</h3>', body)]


# ---------------------------------------------------------------------------- flows ----


def test_app_starts_without_a_report(at):
    assert at.title[0].value == t("app.title", "en")
    assert section_headings(at) == [t("input.heading", "en")]
    assert not at.header  # a block of HTML, cheaper for the browser than a Streamlit header
    assert footer_headings(at) == [t("footer.disclaimer_heading", "en"),
                                   t("footer.privacy_heading", "en")]
    assert not at.error and not at.warning


def test_app_paste_flow_english(at):
    text = example("en_lumbar_1.txt")
    paste(at, text)
    headers = section_headings(at)
    order = [headers.index(t(k, "en")) for k in ("input.heading", "results.heading",
                                                  "questions.heading", "download.heading")]
    assert order == sorted(order)
    report = nlp.analyse(text, lang="en")
    markup = report_html(at)
    assert markup.count('class="sf-ref"') == len(report.findings)
    assert "not present" in markup
    heads = group_headings(at)
    for label in ("Depends on your complaints", "Common in people without pain", "Ruled out"):
        assert label in heads
    order = [heads.index(label) for label in
             ("Depends on your complaints", "Common in people without pain", "Ruled out")]
    assert order == sorted(order)
    # the page's speed (issue 12): all cards in one block, the report's styles sent once
    assert len([b for b in html_bodies(at) if 'class="sf-card"' in b]) == 1
    assert "<style>" not in markup and sum("<style>" in b for b in html_bodies(at)) == 1
    fracture = next(i for i in explain_report(report).all_findings()
                    if i.concept == "vertebral_fracture")
    assert html.escape(fracture.meaning, quote=True) in page_html(at)  # ruled out
    assert parse_questions(questions_box(at).value)  # the starter questions are there
    assert not at.error


def test_app_paste_flow_dutch_follows_the_report_language(at):
    """Without a browser language, the page takes the Dutch report's language."""
    paste(at, example("nl_lumbaal_1.txt"))
    assert at.radio(key="page_lang").value == "nl"
    assert at.title[0].value == t("app.title", "nl")
    assert t("results.heading", "nl") in [h.value for h in at.header]
    assert "Uitgesloten" in group_headings(at)
    assert "niet aanwezig" in report_html(at)
    report_radio = [r for r in at.radio if (r.key or "").startswith("report_lang_")][0]
    assert report_radio.value == "nl"


def test_app_sample_flow(at):
    at.radio(key="source").set_value("sample").run()
    assert at.selectbox(key="sample").value is None
    at.selectbox(key="sample").set_value("en_cervical").run()
    assert not at.exception
    report = nlp.analyse(example("en_cervical.txt"), lang="en")
    assert report_html(at).count('class="sf-ref"') == len(report.findings)
    assert "Depends on your complaints" in group_headings(at)


def test_app_sample_link_opens_the_sample(monkeypatch):
    """The README's link (?sample=nl_lumbaal_1) opens that sample, analysed, at once."""
    monkeypatch.setattr(app_test_module, "MemoryMediaFileStorage", RecordingStorage)
    page = AppTest.from_file(APP_FILE, default_timeout=TIMEOUT)
    page.query_params["sample"] = "nl_lumbaal_1"
    page.run()
    assert not page.exception
    assert page.radio(key="source").value == "sample"
    assert page.selectbox(key="sample").value == "nl_lumbaal_1"
    report = nlp.analyse(example("nl_lumbaal_1.txt"), lang="nl")
    assert report_html(page).count('class="sf-ref"') == len(report.findings)


def test_app_sample_link_ignores_unknown_names(monkeypatch):
    monkeypatch.setattr(app_test_module, "MemoryMediaFileStorage", RecordingStorage)
    page = AppTest.from_file(APP_FILE, default_timeout=TIMEOUT)
    page.query_params["sample"] = "../../etc/passwd"
    page.run()
    assert not page.exception
    assert page.radio(key="source").value == "paste"


def test_app_sample_labels_are_friendly(at):
    at.radio(key="source").set_value("sample").run()
    box = at.selectbox(key="sample")
    assert t("samples.en_lumbar_1", "en") in box.options
    assert set(box.options) >= {t(f"samples.{p.stem}", "en") for p in EXAMPLES.glob("*.txt")}


# ------------------------------------------------------------------------ languages ----


def test_app_report_language_override(at):
    """Choosing the other report language re-analyses with that language's pipeline."""
    text = example("en_lumbar_1.txt")
    paste(at, text)
    radio = [r for r in at.radio if (r.key or "").startswith("report_lang_")][0]
    assert radio.value == "en"
    english = report_html(at).count('class="sf-ref"')
    radio.set_value("nl").run()
    assert not at.exception
    dutch = nlp.analyse(text, lang="nl")
    after = [b for b in html_bodies(at) if 'class="sf-report"' in b]
    count = after[0].count('class="sf-ref"') if after else 0
    assert count == len(dutch.findings) != english
    assert at.radio(key="page_lang").value == "nl"  # no browser language: follows


def test_app_page_language_switch_is_independent(at):
    at.radio(key="page_lang").set_value("nl").run()
    assert at.title[0].value == t("app.title", "nl")
    assert at.button(key="explain").label == t("input.button", "nl")
    # an English report keeps the Dutch page once the person chose it
    paste(at, example("en_lumbar_1.txt"))
    assert at.radio(key="page_lang").value == "nl"
    assert "Hangt af van uw klachten" in group_headings(at)
    report_radio = [r for r in at.radio if (r.key or "").startswith("report_lang_")][0]
    assert report_radio.value == "en"
    assert "niet aanwezig" in report_html(at)
    at.radio(key="page_lang").set_value("en").run()
    assert at.title[0].value == t("app.title", "en")
    assert "Depends on your complaints" in group_headings(at)


def test_app_language_switch_keeps_report(at):
    paste(at, example("nl_cervicaal.txt"))
    at.radio(key="page_lang").set_value("en").run()
    assert at.radio(key="page_lang").value == "en"
    assert "Ruled out" in group_headings(at)
    assert "not present" in report_html(at)


# ------------------------------------------------------------------------------- age ----


def _figure(age, concept: str = "disc_bulge") -> str:
    """The figure sentence the page should show for ``concept`` of en_lumbar_1 at ``age``."""
    report = nlp.analyse(example("en_lumbar_1.txt"), lang="en", age=age)
    item = next(i for i in explain_report(report).all_findings() if i.concept == concept)
    return html.escape(item.prevalence.sentence("en"), quote=True)


def test_app_age_changes_the_figure(at):
    at.radio(key="source").set_value("sample").run()
    at.selectbox(key="sample").set_value("en_lumbar_1").run()
    assert _figure(None) in page_html(at)
    assert t("results.no_age_hint", "en") in page_html(at)
    at.number_input(key="age").set_value(30).run()
    assert _figure(30) in page_html(at) and _figure(30) != _figure(None)
    at.number_input(key="age").set_value(70).run()
    assert _figure(70) in page_html(at) and _figure(30) not in page_html(at)
    chart = chart_svg(at)
    assert "stroke-dasharray" in chart and t("chart.your_age", "en") in chart  # the age line


def test_app_chart_without_age_has_no_marker(at):
    """The chart is an SVG picture (no Vega-Lite: it cost the browser most of a warm result)."""
    at.radio(key="source").set_value("sample").run()
    at.selectbox(key="sample").set_value("en_lumbar_1").run()
    assert not at.get("arrow_vega_lite_chart")
    chart = chart_svg(at)
    assert "<polyline" in chart and "stroke-dasharray" not in chart


def chart_svg(page: AppTest) -> str:
    """The SVG of the page's chart (an image with a data: URL: st.html drops inline SVG)."""
    block = next(b for b in html_bodies(page) if 'class="sf-chart"' in b)
    data = re.search(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', block).group(1)
    return base64.b64decode(data).decode("utf-8")


# ---------------------------------------------------------------------------- errors ----


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_app_empty_input_message(at, lang):
    at.radio(key="page_lang").set_value(lang).run()
    at.button(key="explain").click().run()
    assert [w.value for w in at.warning] == [t("errors.empty", lang)]
    assert not at.exception and not at.error


def test_app_whitespace_only_input_is_empty(at):
    paste(at, "   \n\t  ")
    assert [w.value for w in at.warning] == [t("errors.empty", "en")]


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_app_no_findings_message(at, lang):
    at.radio(key="page_lang").set_value(lang).run()
    paste(at, NOT_A_REPORT)
    assert t("errors.no_findings", lang) in [w.value for w in at.warning]
    assert not at.get("download_button")
    assert not at.exception


def test_app_no_findings_english_wording(at):
    paste(at, NOT_A_REPORT)
    assert "No spine MRI findings found; is this an MRI report?" in [w.value for w in at.warning]


def test_app_unexpected_error_shows_a_short_message_not_a_traceback(at, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("internal detail that must not be shown")

    monkeypatch.setattr(nlp, "analyse", broken)
    paste(at, example("en_lumbar_1.txt"))
    assert [e.value for e in at.error] == [t("errors.unexpected", "en")]
    assert not at.exception
    shown = "\n".join(m.value for m in at.markdown) + "\n".join(e.value for e in at.error)
    assert "internal detail" not in shown and "Traceback" not in shown
    assert footer_headings(at) == [t("footer.disclaimer_heading", "en"),
                                   t("footer.privacy_heading", "en")]


def test_app_markup_in_report_is_escaped(at):
    text = example("en_lumbar_1.txt") + "\n<script>alert(1)</script><img src=x onerror=alert(1)>"
    paste(at, text)
    markup = report_html(at)
    assert "<script" not in markup and "<img" not in markup
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in markup


# --------------------------------------------------------------------------- exports ----


def test_app_exports_are_built_by_the_export_functions(at):
    text = example("en_lumbar_2.txt")
    paste(at, text)
    at.number_input(key="age").set_value(74).run()
    box = questions_box(at)
    box.input(box.value + "\nMy own question about <walking>?").run()
    questions = parse_questions(questions_box(at).value)
    assert questions[-1] == "My own question about <walking>?"

    report = nlp.analyse(text, lang="en", age=74)
    explanation = explain_report(report, lang="en", age=74)
    table = findings_table(report, explanation)
    files = downloads(at)
    assert files[t("download.html", "en")].decode() == printable_html(
        report, explanation, questions, lang="en")
    assert files[t("download.markdown", "en")].decode() == questions_markdown(
        questions, lang="en", explanation=explanation)
    assert files[t("download.csv", "en")] == findings_csv(table)
    assert files[t("download.json", "en")] == findings_json(table, report)
    page = files[t("download.html", "en")].decode()
    assert "My own question about &lt;walking&gt;?" in page
    assert explanation.disclaimer.split(".")[0] in page


def test_app_add_suggested_questions(at):
    paste(at, example("en_lumbar_1.txt"))
    before = parse_questions(questions_box(at).value)
    picker = [m for m in at.multiselect if (m.key or "").startswith("more_")][0]
    extra = picker.options[0]
    picker.select(extra).run()
    [b for b in at.button if (b.key or "").startswith("add_")][0].click().run()
    after = parse_questions(questions_box(at).value)
    assert after == before + [extra]
    [b for b in at.button if (b.key or "").startswith("reset_")][0].click().run()
    assert parse_questions(questions_box(at).value) == before


def test_app_questions_follow_page_language_until_edited(at):
    at.radio(key="page_lang").set_value("nl").run()
    paste(at, example("en_lumbar_1.txt"))
    report = nlp.analyse(example("en_lumbar_1.txt"), lang="en")
    suggested = {lang: explain_report(report, lang=lang).suggested for lang in ("en", "nl")}
    assert parse_questions(questions_box(at).value) == suggested["nl"]
    at.radio(key="page_lang").set_value("en").run()
    assert parse_questions(questions_box(at).value) == suggested["en"]
    box = questions_box(at)
    box.input("My own first question?\n" + box.value).run()
    at.radio(key="page_lang").set_value("nl").run()
    kept = parse_questions(questions_box(at).value)
    assert kept[:2] == ["My own first question?", suggested["en"][0]]
    assert at.text_area(key="paste_text").value == example("en_lumbar_1.txt")


def test_app_shows_disclaimer_warning_symptoms_and_privacy(at):
    paste(at, example("en_lumbar_1.txt"))
    boxes = [b for b in html_bodies(at) if 'class="sf-urgency' in b]
    assert len(boxes) == 1
    explanation = explain_report(nlp.analyse(example("en_lumbar_1.txt")))
    for sign in explanation.urgency.warning_signs + explanation.warning_symptoms:
        assert html.escape(sign, quote=True) in boxes[0]
    text = main_html_bodies(at)[-1]  # the closing notes
    assert "It does not make a diagnosis" in text
    assert "Nothing is stored" in text
    intro = next(b for b in html_bodies(at) if 'class="sf-sec sf-intro"' in b)  # one block
    assert f'<p class="sf-hint">{t("app.not_diagnosis", "en")}</p>' in intro
    assert "An MRI shows structure, not pain." in intro
    assert not any("An MRI shows structure" in i.value for i in at.info)


def test_app_attention_report_shows_urgency_before_the_findings(at):
    paste(at, example("en_lumbar_2.txt"))
    assert "Needs attention" in group_headings(at)
    bodies = html_bodies(at)
    urgency = next(i for i, b in enumerate(bodies) if 'class="sf-urgency' in b)
    assert 'data-tier="today"' in bodies[urgency]  # cauda equina compression
    assert urgency < next(i for i, b in enumerate(bodies) if 'class="sf-card"' in b)


# ---------------------------------------------------------------------- upload handler ----


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_read_upload_pdf(lang):
    result = app.read_upload(make_pdf(["MRI LWK", "L5-S1: discushernia links."]), "v.pdf", lang)
    assert result.error is None
    assert "discushernia" in result.text


def test_read_upload_docx():
    result = app.read_upload(make_docx(["L4-L5: disc bulge."]), "report.docx", "en")
    assert result.error is None and "disc bulge" in result.text


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_read_upload_scanned_pdf_uses_the_reader_message(lang):
    result = app.read_upload(make_pdf([]), "scan.pdf", lang)
    assert result.text is None
    assert result.error == ReadError("scanned_pdf", "scan\\.pdf").message(lang)


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_read_upload_unsupported_type(lang):
    """A program is refused by its content, in the page language (a photo is read by OCR)."""
    result = app.read_upload(b"MZ\x90\x00" + bytes(200), "setup.exe", lang)
    assert result.text is None
    assert result.error == ReadError("binary", "setup\\.exe").message(lang)


def test_read_upload_renamed_image_uses_reader_message():
    result = app.read_upload(b"\x89PNG\r\n\x1a\n....", "report.pdf", "en")
    assert result.error == ReadError("not_pdf", "report\\.pdf").message("en")


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_read_upload_too_large(lang):
    data = b"a" * (app.MAX_UPLOAD_BYTES + 1)
    result = app.read_upload(data, "big.txt", lang)
    assert result.error == t("errors.too_large", lang, filename="big\\.txt",
                             max_mb=app.UPLOAD_LIMIT_MB)


def test_read_upload_empty_file():
    result = app.read_upload(b"   ", "empty.txt", "nl")
    assert result.error == ReadError("empty", "empty\\.txt").message("nl")


def test_read_upload_escapes_markdown_in_the_file_name():
    result = app.read_upload(b"", "[click](javascript:alert(1)).txt", "en")
    assert "[click](javascript" not in result.error
    assert "\\[click\\]\\(javascript\\:alert" in result.error


def test_upload_limit_matches_server_config():
    config = (REPO_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8")
    assert re.search(rf"^maxUploadSize\s*=\s*{app.UPLOAD_LIMIT_MB}\s*$", config, re.M)
    assert re.search(r'^showErrorDetails\s*=\s*"none"\s*$', config, re.M)
    assert re.search(r"^gatherUsageStats\s*=\s*false\s*$", config, re.M)
    assert re.search(r"^enableXsrfProtection\s*=\s*true\s*$", config, re.M)


# ------------------------------------------------------------------------- page texts ----


@pytest.mark.parametrize(
    "header, expected",
    [
        ("nl-NL,nl;q=0.9,en-US;q=0.8,en;q=0.7", "nl"),
        ("en-GB,en;q=0.9,nl;q=0.8", "en"),
        ("de-DE,de;q=0.9,nl;q=0.5,en;q=0.4", "nl"),
        ("de-DE", None),
        ("", None),
        (None, None),
        ("*", None),
        ("en;q=0.2, nl;q=0.8", "nl"),
        ("garbage;;,q=", None),
    ],
)
def test_language_from_accept(header, expected):
    assert language_from_accept(header) == expected


def test_page_language_prefers_browser_then_report():
    assert page_language(locale="nl-BE") == "nl"
    assert page_language(accept_language="en-US", report_language="nl") == "en"
    assert page_language(accept_language="fr-FR", report_language="nl") == "nl"
    assert page_language() == "en"


def test_ui_texts_exist_in_both_languages_and_fill_in():
    entries = texts()
    assert len(entries) > 50
    for key, entry in entries.items():
        assert entry["en"].strip() and entry["nl"].strip(), key
        placeholders = [set(re.findall(r"{(\w+)}", entry[lang])) for lang in ("en", "nl")]
        assert placeholders[0] == placeholders[1], key
    with pytest.raises(KeyError, match="no text"):
        t("no.such.key", "en")


def test_ui_text_keys_used_in_app_exist():
    """Every t("...") key written in app.py and nlp/ is in lexicons/ui.yaml."""
    sources = [REPO_ROOT / "app.py", *sorted((REPO_ROOT / "nlp").rglob("*.py"))]
    keys = set()
    for path in sources:
        keys |= set(re.findall(r'\bt\(\s*"([a-z_]+\.[a-z_.]+)"', path.read_text(encoding="utf-8")))
    assert keys and keys <= set(texts()), keys - set(texts())


def test_md_escape_neutralises_markdown():
    assert md_escape("**bold** [x](javascript:alert(1)) $x$ :red[y]") == (
        "\\*\\*bold\\*\\* \\[x\\]\\(javascript\\:alert\\(1\\)\\) \\$x\\$ \\:red\\[y\\]"
    )
