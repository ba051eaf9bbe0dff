"""The handover page of the complaint flow (nlp/present/handover.py): content, escaping, and
one A4 page when printed by Chromium (skipped without /usr/bin/chromium unless REQUIRE_BROWSER=1)."""
from __future__ import annotations

import dataclasses
import io
import os
import re
import subprocess
from pathlib import Path

import pytest

import nlp
from nlp.explain import explain_report
from nlp.present.handover import finding_rows, handover_html, level_key
from nlp.second_opinion.match import check_complaints

EXAMPLES = Path(__file__).resolve().parents[2] / "sample_reports" / "examples"
CHROMIUM = "/usr/bin/chromium"
S1_LEFT = {"side": "left", "pain": ["low_back", "buttock", "calf"], "numbness": ["sole_outer_foot"],
           "weakness": ["toe_stand"], "red_flags": ["night_pain"]}
C6_RIGHT = {"side": "right", "pain": ["neck", "arm_outer"], "numbness": ["thumb_index"],
            "weakness": ["wrist_lift"], "red_flags": []}


def page(name: str, complaints: dict, lang: str, age=52, questions=None, text=None):
    """The handover of an example report (or ``text``) with ``complaints``, in ``lang``."""
    report = nlp.analyse(text or (EXAMPLES / f"{name}.txt").read_text(encoding="utf-8"), age=age)
    explanation = explain_report(report, lang=lang, age=age)
    checked = check_complaints(complaints)
    result = nlp.match(dataclasses.replace(report, language=lang), checked)
    if questions is None:
        # the match's questions and the page's starter list (nlp.present.export.STARTER_QUESTIONS)
        questions = [r["question"] for r in result["roots"] if r["question"]] + explanation.questions[:8]
    return handover_html(report, explanation, checked, result, questions, lang=lang), report, explanation, result


def test_handover_holds_map_roots_match_selfcheck_findings_and_questions():
    html, *_ = page("en_lumbar_1", S1_LEFT, "en")
    assert "<svg" in html and 'data-area="calf"' in html
    assert re.search(r"<b>S1</b> left.*?L5-S1.*?class=\"match fits\">Fits<", html, re.S)
    assert re.search(r"<b>L4</b> both.*?class=\"match does_not_fit\">Does not fit<", html, re.S)
    assert "Answered yes: night pain that does not ease." in html  # the self-check answer
    assert "See your GP within a few days" in html                 # its tier
    assert "Pain: Low back, Buttock, Calf" in html
    # the figure for the age (52) beside the finding
    assert re.search(r"Disc desiccation \(drier disc\)</td><td></td><td>present</td><td></td>"
                     r"<td>\d+% \(5\d\)</td>", html)
    assert "Brinjikji et al., 2015. AJNR Am J Neuroradiol" in html  # the source of that figure
    assert "My complaints fit the S1 root on the left at L5-S1" in html
    assert "Ruled out in the report: Vertebral fracture" in html
    assert "Lee MWL" in html and "Dermatome maps vary between people" in html
    assert "<script" not in html


def test_findings_by_level_top_of_the_spine_first_one_row_per_level_and_finding():
    _, report, explanation, result = page("en_lumbar_1", S1_LEFT, "en")
    rows = finding_rows(report, explanation, result, "en")
    levels = [r["level"] for r in rows]
    assert levels == sorted(levels, key=level_key)
    assert levels.index("L5-S1") > levels.index("L4-L5")
    keys = [(r["level"], r["finding"]) for r in rows]
    assert len(keys) == len(set(keys))  # the protrusion said three times is one row
    protrusion = next(r for r in rows if r["level"] == "L5-S1" and r["finding"] == "Disc protrusion")
    assert protrusion["side"] == "left" and protrusion["match"] == "Fits"
    assert all(r["status"] != "not present" for r in rows)


def test_level_key_orders_regions():
    assert sorted(["L5-S1", "C5-C6", "Th12-L1", "L4-L5", "", "T4-T5"], key=level_key) == [
        "C5-C6", "T4-T5", "Th12-L1", "L4-L5", "L5-S1", ""]


def test_dutch_handover_is_dutch():
    html, *_ = page("nl_lumbaal_1", {**S1_LEFT, "red_flags": []}, "nl")
    assert '<html lang="nl">' in html and "Overdracht: klachten en MRI-verslag" in html
    assert "Geen alarmsignaal aangevinkt." in html
    assert "Bevindingen per niveau" in html and "Kant: links" in html
    assert "Pain" not in html and "Findings" not in html


def test_cauda_equina_answer_gives_the_today_box():
    html, *_ = page("en_lumbar_1", {**S1_LEFT, "red_flags": ["saddle_numbness"]}, "en")
    assert 'class="tier today"' in html and "Get help today" in html and "112" in html
    assert "numbness in the saddle area" in html


def test_typed_questions_and_report_words_are_escaped():
    evil = '<img src=x onerror="alert(1)"> & <script>alert(2)</script>'
    html, *_ = page("en_lumbar_1", S1_LEFT, "en", questions=[evil])
    assert "<img" not in html and "<script>" not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &lt;script&gt;" in html


def test_no_complaints_and_no_roots_say_so():
    html, *_ = page("", {}, "en", text="MRI lumbar spine. L4-L5: mild disc bulge. No stenosis.\n",
                    questions=[])
    assert "No complaints marked." in html
    assert "names no nerve root" in html
    assert "No questions chosen." in html and "No warning sign ticked." in html


# ------------------------------------------------------------------ printed: one A4 page ----

if os.environ.get("REQUIRE_BROWSER") and not Path(CHROMIUM).exists():
    raise RuntimeError(f"{CHROMIUM} is required (REQUIRE_BROWSER is set) but not installed")


def printed_pages(html: str, tmp_path: Path) -> int:
    from pypdf import PdfReader

    source, pdf = tmp_path / "handover.html", tmp_path / "handover.pdf"
    source.write_text(html, encoding="utf-8")
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                    f"--print-to-pdf={pdf}", source.as_uri()],
                   capture_output=True, timeout=120, check=False)
    return len(PdfReader(io.BytesIO(pdf.read_bytes())).pages)


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is not installed")
@pytest.mark.parametrize("name, complaints, lang", [
    ("en_lumbar_1", S1_LEFT, "en"),
    ("nl_lumbaal_1", S1_LEFT, "nl"),
    ("en_lumbar_2", S1_LEFT, "en"),
    ("nl_lumbaal_2", S1_LEFT, "nl"),
    ("en_cervical", C6_RIGHT, "en"),
    ("nl_cervicaal", C6_RIGHT, "nl"),
    ("en_cervical", C6_RIGHT, "nl"),
])
def test_typical_report_prints_on_one_a4_page(name, complaints, lang, tmp_path):
    html, *_ = page(name, {**complaints, "red_flags": ["saddle_numbness", "night_pain"]}, lang)
    assert "size: A4" in html
    assert printed_pages(html, tmp_path) == 1
