"""Exports: printable A4 page, Markdown questions, the findings table as CSV and JSON."""
from __future__ import annotations

import csv
import html
import io
import json
import re

import pytest

from nlp.explain import explain_report
from nlp.present.export import (
    TABLE_COLUMNS,
    findings_csv,
    findings_json,
    findings_table,
    grouped_findings,
    parse_questions,
    prevalence_table,
    questions_markdown,
    suggested_questions,
)
from nlp.present.printing import printable_html
from nlp.report import FINDING_FIELDS, Finding, Report
from nlp.present.ui_text import t

TEXT = (
    "L4-L5: disc bulge and facet arthropathy left.\n"
    "L5-S1: =HYPERLINK(\"x\") cauda equina compression. No fracture.\n"
    "Possible annular fissure. <script>alert(1)</script>"
)


def at(phrase: str, concept: str, category: str, **extra) -> Finding:
    start = TEXT.index(phrase)
    return Finding(concept, category, phrase, start, start + len(phrase), **extra)


@pytest.fixture()
def report() -> Report:
    findings = [
        at("disc bulge", "disc_bulge", "common", levels=["L4-L5"], section="findings"),
        at("facet arthropathy", "facet_arthropathy", "common", levels=["L4-L5"], side="left"),
        at('=HYPERLINK("x") cauda equina compression', "cauda_equina_compression",
           "attention", levels=["L5-S1"], severity="severe"),
        at("fracture", "vertebral_fracture", "attention", negated=True),
        at("annular fissure", "annular_fissure", "common", uncertain=True),
    ]
    return Report(language="en", findings=findings, text=TEXT, source="r.txt", age=52)


@pytest.fixture()
def explanation(report):
    return explain_report(report, lang="en", age=52)


QUESTIONS = ["Is this normal at 52?", "What about <script>alert(9)</script>?", "Ça va & co?"]


# ------------------------------------------------------------------------------ printable ----


def test_printable_html_is_a_complete_a4_page(report, explanation):
    page = printable_html(report, explanation, QUESTIONS, lang="en")
    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="en">' in page and "</html>" in page
    assert '<meta charset="utf-8">' in page
    assert re.search(r"@page\s*{\s*size:\s*A4", page)
    assert "<script" not in page.lower()
    assert "http://" not in page and "https://" not in page  # self-contained


def test_printable_html_holds_questions_as_checklist_and_escaped(report, explanation):
    page = printable_html(report, explanation, QUESTIONS, lang="en")
    assert page.count('<span class="box"') == len(QUESTIONS)
    assert "Is this normal at 52?" in page
    assert "What about &lt;script&gt;alert(9)&lt;/script&gt;?" in page
    assert "Ça va &amp; co?" in page
    positions = [page.index(q) for q in ("Is this normal at 52?", "What about", "Ça va")]
    assert positions == sorted(positions)


def test_printable_html_holds_disclaimer_urgency_and_levels(report, explanation):
    """The print page is a handover (issue 12): urgency with its warning signs, the findings
    by level in spine order (ruled out ones too), the disclaimer."""
    page = printable_html(report, explanation, QUESTIONS, lang="en")
    assert explanation.disclaimer.replace("'", "&#x27;") in page
    urgency = explanation.urgency
    assert f'data-tier="{urgency.tier}"' in page
    for symptom in urgency.warning_signs or explanation.warning_symptoms:
        assert symptom.replace("'", "&#x27;") in page or symptom in page
    rows = page[page.index('<table class="levels">'):page.index("</table>")]
    assert rows.index(">L4-L5<") < rows.index(">L5-S1<")
    for item in explanation.all_findings():
        assert html.escape(item.name, quote=True) in rows


def test_printable_html_escapes_report_quotes(report, explanation):
    page = printable_html(report, explanation, [], lang="en")
    assert "=HYPERLINK(&quot;x&quot;) cauda equina compression" in page
    assert t("export.no_questions", "en") in page


def test_printable_html_in_dutch(report):
    explanation = explain_report(report, lang="nl", age=52)
    page = printable_html(report, explanation, ["Is dit normaal?"], lang="nl")
    assert '<html lang="nl">' in page
    assert t("export.title", "nl") in page
    assert "Is dit normaal?" in page
    assert t("export.age", "nl", age=52) in page


def test_printable_html_lists_prevalence_sources(report, explanation):
    page = printable_html(report, explanation, QUESTIONS, lang="en")
    assert "Brinjikji" in page
    assert t("export.sources", "en") in page


# ------------------------------------------------------------------------------ markdown ----


def test_questions_markdown_is_a_checklist_in_order():
    text = questions_markdown(["First?", "Second?"], lang="en")
    assert text.startswith(f"# {t('export.title', 'en')}")
    lines = [line for line in text.splitlines() if line.startswith("- [ ]")]
    assert lines == ["- [ ] First?", "- [ ] Second?"]
    assert text.endswith("\n")


def test_questions_markdown_with_explanation_adds_findings_and_disclaimer(explanation):
    text = questions_markdown(QUESTIONS, lang="en", explanation=explanation)
    assert f"## {t('footer.disclaimer_heading', 'en')}" in text
    assert explanation.disclaimer.split(".")[0] in text
    assert "### Needs attention" in text
    assert "\\<script\\>" in text  # markup is escaped in Markdown too
    assert "<script>" not in text


def test_questions_markdown_dutch_without_questions():
    text = questions_markdown([], lang="nl")
    assert t("export.no_questions", "nl") in text
    assert t("export.questions", "nl") in text


# ------------------------------------------------------------------------------ questions ----


def test_parse_questions_strips_bullets_blanks_and_duplicates():
    typed = "- [ ] Is this normal?\n\n  2. Why me?  \n* Is this normal?\n[x] Done?\n1) Next?\n"
    assert parse_questions(typed) == ["Is this normal?", "Why me?", "Done?", "Next?"]
    assert parse_questions("") == []


def test_suggested_questions_splits_in_priority_order(explanation):
    starter, more = suggested_questions(explanation, limit=3)
    assert starter + more == explanation.questions
    assert len(starter) == 3
    # a finding to discuss soon puts its questions first
    assert starter[0] == explanation.questions[0]


# --------------------------------------------------------------------------------- table ----


def test_findings_table_has_every_field_and_one_row_per_finding(report, explanation):
    table = findings_table(report, explanation)
    assert list(table.columns) == list(TABLE_COLUMNS)
    assert set(FINDING_FIELDS) <= set(table.columns)
    assert {"group", "name", "prevalence_percent", "prevalence_source"} <= set(table.columns)
    assert len(table) == len(report.findings)
    for row, finding in zip(table.to_dict(orient="records"), report.findings):
        for field in FINDING_FIELDS:
            assert row[field] == getattr(finding, field), field


def test_findings_table_adds_group_name_status_and_prevalence(report, explanation):
    table = findings_table(report, explanation).set_index("concept")
    assert table.loc["vertebral_fracture", "group"] == "ruled_out"
    assert table.loc["vertebral_fracture", "status"] == "ruled_out"
    assert table.loc["annular_fissure", "status"] == "possible"
    assert table.loc["disc_bulge", "name"] == "Disc bulge"
    assert table.loc["disc_bulge", "prevalence_percent"] == 61.8  # Brinjikji 60 at 50, 69 at 60: age 52
    assert table.loc["disc_bulge", "prevalence_source"].startswith("Brinjikji W")
    assert table.loc["cauda_equina_compression", "group"] == "attention"


def test_findings_csv_columns_escaping_and_bom(report, explanation):
    data = findings_csv(findings_table(report, explanation))
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert list(rows[0]) == list(TABLE_COLUMNS)
    assert len(rows) == len(report.findings)
    by_concept = {row["concept"]: row for row in rows}
    assert by_concept["disc_bulge"]["levels"] == "L4-L5"
    assert by_concept["disc_bulge"]["start"] == str(report.findings[0].start)
    # a cell that a spreadsheet would run as a formula is defused
    assert by_concept["cauda_equina_compression"]["text"].startswith("'=HYPERLINK")


def test_findings_json_round_trips_the_contract(report, explanation):
    data = json.loads(findings_json(findings_table(report, explanation), report))
    assert data["language"] == "en" and data["source"] == "r.txt" and data["age"] == 52
    contract = report.to_dict()["findings"]
    assert len(data["findings"]) == len(contract)
    for row, expected in zip(data["findings"], contract):
        assert {k: row[k] for k in expected} == expected
    fracture = [r for r in data["findings"] if r["concept"] == "vertebral_fracture"][0]
    assert fracture["prevalence_percent"] is None


def test_findings_table_of_an_empty_report():
    report = Report(language="nl", findings=[], text="")
    table = findings_table(report, explain_report(report))
    assert table.empty and list(table.columns) == list(TABLE_COLUMNS)
    assert json.loads(findings_json(table, report))["findings"] == []


# -------------------------------------------------------------------------------- groups ----


def test_grouped_findings_merges_mentions_of_a_concept():
    text = "Disc bulge at L4-L5. Disc bulge at L5-S1. No disc bulge at L3-L4."
    findings = [
        Finding("disc_bulge", "common", "Disc bulge", 0, 10, levels=["L4-L5"]),
        Finding("disc_bulge", "common", "Disc bulge", 21, 31, levels=["L5-S1"]),
        Finding("disc_bulge", "common", "disc bulge", 45, 55, levels=["L3-L4"], negated=True),
    ]
    explanation = explain_report(Report("en", findings, text=text))
    groups = grouped_findings(explanation)
    # present at L4-L5 and L5-S1, ruled out at L3-L4: both show (issue 12)
    assert [g.key for g, _ in groups] == ["common", "ruled_out"]
    (entry,) = groups[0][1]
    assert [m.levels for m in entry.mentions] == [["L4-L5"], ["L5-S1"]]
    (ruled_out,) = groups[1][1]
    assert [m.levels for m in ruled_out.mentions] == [["L3-L4"]]


def test_prevalence_table_has_the_age_tables(report, explanation):
    shown = dict((g.key, s) for g, s in grouped_findings(explanation))["common"]
    table = prevalence_table(shown)
    assert list(table.columns) == ["finding", "age", "percent"]
    bulge = table[table["finding"] == "Disc bulge"]
    assert dict(zip(bulge["age"], bulge["percent"]))[50] == 60.0


def test_one_csv_cell_rule_for_command_line_and_batch():
    from nlp.present.cells import csv_cell, restore

    assert csv_cell(["L4-L5", "L5-S1"]) == "L4-L5;L5-S1"
    assert csv_cell(None) == ""
    assert csv_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)" and restore(csv_cell("=x")) == "=x"
    assert csv_cell(True) is True
