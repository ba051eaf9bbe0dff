"""The page's comparison mode, run headless with Streamlit's AppTest: two pasted reports
(an old Dutch one and a new English one), the table per level in the reader's language, the
downloads; the page language switch; a missing report.

AppTest (Streamlit 1.40) cannot drive ``st.file_uploader``: uploads go through
``app.read_upload`` (tested in tests/app/test_app.py) and a real upload in tests/e2e.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1 import app_test as app_test_module

from nlp.present.ui_text import t
from tests.app.test_app import RecordingStorage, downloads

APP_FILE = str(Path(__file__).resolve().parents[2] / "app.py")
TIMEOUT = 180
PRINT_LABEL, MARKDOWN_LABEL = t("download.html", "en"), t("download.markdown", "en")
OLD_NL = ("MRI lumbale wervelkolom.\nL4-L5: kleine linkszijdige discusprotrusie. Lichte "
          "kanaalstenose.\nL5-S1: discusbulging. Geen foramenstenose.\n")
NEW_EN = ("MRI lumbar spine.\nL4-L5: left paracentral disc herniation. Moderate spinal canal "
          "stenosis.\nL5-S1: new right foraminal stenosis <b>x</b>. No disc bulge.\n")


@pytest.fixture()
def at(monkeypatch) -> AppTest:
    monkeypatch.setattr(app_test_module, "MemoryMediaFileStorage", RecordingStorage)
    page = AppTest.from_file(APP_FILE, default_timeout=TIMEOUT)
    page.run()
    assert not page.exception
    return page


def compare_mode(page: AppTest) -> AppTest:
    page.radio(key="mode").set_value("compare").run()
    assert not page.exception, page.exception
    return page


def table_html(page: AppTest) -> str:
    bodies = [e.proto.body for e in page.get("html") if 'class="compare"' in e.proto.body]
    assert len(bodies) == 1
    return bodies[0]


def test_compare_two_pasted_reports_table_downloads_and_language(at):
    compare_mode(at)
    assert at.text_area(key="old_paste_text") and at.text_area(key="new_paste_text")
    at.text_area(key="old_paste_text").input(OLD_NL)
    at.text_area(key="new_paste_text").input(NEW_EN)
    at.button(key="compare").click().run()
    assert not at.exception, at.exception
    assert "What changed between the two reports" in [h.value for h in at.header]
    html = table_html(at)
    rows = html.split("<tr")[2:]
    assert len(rows) == 4
    assert "c-reworded" in rows[0] and "discusprotrusie" in rows[0] and "disc herniation" in rows[0]
    assert "More severe" in rows[1] and "Gone" in rows[2] and "New" in rows[3]
    # report text is escaped, never markup
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html
    captions = " ".join(c.value for c in at.caption)
    assert "Earlier report in Dutch, later report in English." in captions

    files = {label: data.decode("utf-8") for label, data in downloads(at).items()}
    page, markdown = files["Comparison to print"], files["Comparison (Markdown)"]
    assert page.startswith("<!DOCTYPE html>") and '<table class="compare">' in page
    assert "<b>x</b>" not in page
    assert "| L4-L5 |" in markdown and "The same, in other words" in markdown
    # the later report is explained below, and its own exports hold the comparison
    assert "The later report explained" in [h.value for h in at.header]
    assert '<table class="compare">' in files[PRINT_LABEL]
    assert "| L5-S1 | Foraminal stenosis" in files[MARKDOWN_LABEL]

    # the reader's language: the page language, whatever the reports' languages
    at.radio(key="page_lang").set_value("nl").run()
    assert not at.exception, at.exception
    html = table_html(at)
    assert "Hetzelfde, met een ander woord" in html and "Erger" in html and "Verdwenen" in html
    assert at.text_area(key="new_paste_text").value == NEW_EN  # the texts stay


def test_compare_asks_for_both_reports(at):
    compare_mode(at)
    at.text_area(key="old_paste_text").input(OLD_NL)
    at.button(key="compare").click().run()
    assert not at.exception
    assert [w.value for w in at.warning] == ["Add both reports to compare them."]
    assert not [e for e in at.get("html") if 'class="compare"' in e.proto.body]


def test_one_report_mode_is_unchanged(at):
    assert at.radio(key="mode").value == "one"
    assert at.text_area(key="paste_text") is not None
    assert not at.get("download_button")
