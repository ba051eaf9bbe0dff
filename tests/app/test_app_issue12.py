"""Issue 12 on the page (AppTest): urgency, severity, ruled-out levels, Dutch, messages, counts.

Each test fails on the page before issue 12: one "discuss soon" box for every report, no
severity, negations at other levels dropped, "1 bevindingen", two language messages for a
German report, a count of mentions instead of cards, raw codes and "None" in the table.
"""
from __future__ import annotations

import html
import re
from pathlib import Path
from typing import List

import pytest
from streamlit.testing.v1 import AppTest

import nlp
from nlp.explain import explain_report
from nlp.present.export import questions_markdown, suggested_questions
from nlp.present.printing import printable_html
from nlp.present.page_html import css_string, widget_css
from nlp.present.ui_text import t, tn
from tests.e2e.test_page_views import CAUDA

APP_FILE = str(Path(__file__).resolve().parents[2] / "app.py")
TIMEOUT = 180
GERMAN = ("MRT der Lendenwirbelsäule. Bandscheibenvorfall L5/S1 links mit Kompression der "
          "Nervenwurzel S1. Keine Spinalkanalstenose. Beurteilung: mediolateraler Vorfall.")
# Present at L4-L5, ruled out at L5-S1: both must show.
BOTH_LEVELS = ("MRI lumbar spine.\nL4-L5: Left paracentral disc extrusion compressing the "
               "traversing left L5 nerve root. Severe left foraminal stenosis.\n"
               "L5-S1: No nerve root compression.\n")


@pytest.fixture()
def at() -> AppTest:
    page = AppTest.from_file(APP_FILE, default_timeout=TIMEOUT)
    page.run()
    return page


def paste(page: AppTest, text: str, lang: str = "en") -> AppTest:
    if lang != "en":
        page.radio(key="page_lang").set_value(lang).run()
    page.text_area(key="paste_text").input(text)
    page.button(key="explain").click()
    page.run()
    assert not page.exception, page.exception
    return page


def bodies(page: AppTest) -> List[str]:
    return [element.proto.body for element in page.get("html")]


def urgency_box(page: AppTest) -> str:
    boxes = [b for b in bodies(page) if 'class="sf-urgency' in b]
    assert len(boxes) == 1
    return boxes[0]


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_cauda_equina_report_is_the_today_tier(at, lang):
    paste(at, CAUDA[lang], lang)
    box = urgency_box(at)
    assert 'data-tier="today"' in box and 'role="alert"' in box
    if lang == "nl":
        for route in ("huisarts", "huisartsenpost", "112"):
            assert route in box
    report = nlp.analyse(CAUDA[lang], lang=lang)
    urgency = explain_report(report, lang=lang).urgency
    for phrase in urgency.advice:  # the radiologist's own words, quoted
        if phrase.kind != "informed":
            assert html.escape(" ".join(phrase.text.split()), quote=True) in box
    # the box comes before the explanations and the report
    order = [i for i, b in enumerate(bodies(at)) if 'class="sf-urgency' in b
             or 'class="sf-card"' in b or 'class="sf-report"' in b]
    assert 'class="sf-urgency' in bodies(at)[order[0]]


def test_common_report_is_not_the_today_tier(at):
    paste(at, "MRI lumbar spine. L4-L5: mild disc bulge. Disc desiccation at L5-S1.")
    assert 'data-tier="common"' in urgency_box(at)


@pytest.mark.parametrize("lang,word", [("en", "severe"), ("nl", "ernstig")])
def test_severity_on_the_cards_and_in_the_marks(at, lang, word):
    paste(at, BOTH_LEVELS, lang)
    cards = "".join(b for b in bodies(at) if 'class="sf-card"' in b)
    assert f'<span class="sf-badge sf-sev">{word}</span>' in cards
    report = next(b for b in bodies(at) if 'class="sf-report"' in b)
    assert f'<span class="sf-tag sf-sev">{word}</span>' in report


def test_present_at_one_level_and_ruled_out_at_another_both_show(at):
    paste(at, BOTH_LEVELS)
    page = "".join(bodies(at))
    cards = "".join(re.findall(r'<div class="sf-card".*?</details></div>', page))
    ruled = re.search(r'<ul class="sf-ruled".*?</ul>', page).group(0)
    assert 'data-concept="nerve_root_compression"' in cards
    assert 'data-concept="nerve_root_compression"' in ruled
    assert "level L5-S1" in ruled and "level L4-L5" not in ruled
    assert html.escape(t("results.also_present", "en"), quote=True) in page
    # the Markdown and the print page keep the negation at L5-S1 too
    report = nlp.analyse(BOTH_LEVELS, lang="en")
    explanation = explain_report(report)
    markdown = questions_markdown([], lang="en", explanation=explanation)
    assert re.search(r"nerve root compression.{0,40}level L5\\?-S1", markdown, re.I)
    printed = printable_html(report, explanation, [], lang="en")
    rows = printed[printed.index('<table class="levels">'):printed.index("</table>")]
    l5s1 = rows[rows.index(">L5-S1<"):]
    name = next(i.name for i in explanation.all_findings() if i.concept == "nerve_root_compression")
    assert html.escape(name) in l5s1.split("</tr>")[0]


def test_german_report_gets_one_message(at):
    paste(at, GERMAN)
    lang = at.radio(key="page_lang").value  # the page may follow the report's guess
    captions = [c.value for c in at.caption]
    warnings = [w.value for w in at.warning]
    assert t("report_language.neither", lang) in warnings
    guess = t("report_language.detected", lang, language="@").split("@")[0]
    assert not any(c.startswith(guess) for c in captions)


def test_findings_count_counts_the_cards(at):
    paste(at, (Path(APP_FILE).parent / "sample_reports/examples/en_lumbar_1.txt").read_text())
    cards = sum(b.count('class="sf-card"') for b in bodies(at))
    captions = [c.value for c in at.caption]
    assert tn("counts.findings", "en", cards) in " ".join(captions)


def test_dutch_counts_have_plural_forms(at):
    paste(at, "MRI lumbale wervelkolom.\nOp niveau L4-L5 is er een kleine discusprotrusie.\n",
          "nl")
    captions = " ".join(c.value for c in at.caption)
    assert "We vonden 1 bevinding in uw verslag." in captions
    assert "1 bevindingen" not in captions
    assert t("counts.findings.other", "nl", n=2) == "We vonden 2 bevindingen in uw verslag."


def test_dutch_page_findings_table_has_no_codes_or_none(at):
    paste(at, BOTH_LEVELS, "nl")
    # drawn on demand (page speed): not on the page until the person asks for it
    assert not any('class="sf-table"' in b for b in bodies(at))
    at.toggle(key="show_table").set_value(True).run()
    table = next(b for b in bodies(at) if 'class="sf-table"' in b)
    cells = set(re.findall(r"<td>([^<]*)</td>", table))
    headers = re.findall(r"<th>([^<]*)</th>", table)
    assert "None" not in cells and "nan" not in cells
    codes = {"nerve_root_compression", "disc_extrusion", "foraminal_stenosis", "left",
             "severe", "ruled_out", "present", "attention", "context"}
    assert not cells & codes
    assert headers[0] == t("table.name", "nl")
    assert "ernstig" in cells and "links" in cells


def test_dutch_page_replaces_streamlits_english_widget_texts(at):
    at.radio(key="page_lang").set_value("nl").run()
    css = "".join(b for b in bodies(at) if "stFileUploaderDropzone" in b)
    for key in ("uploader.drop", "uploader.browse", "uploader.apply_enter", "app.running",
                "app.stop"):
        assert css_string(t(key, "nl")) in css
    at.radio(key="page_lang").set_value("en").run()
    assert not any("stFileUploaderDropzone" in b for b in bodies(at))


def test_widget_css_cannot_be_broken_out_of():
    """A text with quotes, a backslash and </style> stays inside its CSS string."""
    assert css_string('a"b\\c</style><script>') == (
        '"a\\000022b\\00005cc\\00003c\\00002fstyle\\00003e\\00003cscript\\00003e"')
    css = widget_css("nl", 5, ["TXT"])
    assert css.count("<") == 2 and css.startswith("<style>") and css.endswith("</style>")
    assert widget_css("en", 5, ["TXT"]) == ""


def test_at_most_seven_suggested_questions_start_the_list(at):
    text = (Path(APP_FILE).parent / "sample_reports/examples/en_lumbar_1.txt").read_text()
    paste(at, text)
    box = next(a for a in at.text_area if (a.key or "").startswith("questions_"))
    starter, _ = suggested_questions(explain_report(nlp.analyse(text, lang="en")))
    assert box.value.splitlines() == starter and 0 < len(starter) <= 7
