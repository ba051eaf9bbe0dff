"""The page's HTML parts without a page: the chart, the print handover, the urgency view.

Each fails on the page before issue 12: the chart was Vega-Lite (its legend cut on a phone),
the print page had no report text and no findings by level, and a whole-report negation
showed the last level.
"""
from __future__ import annotations

import base64
import html
import re

import nlp
from nlp.explain import explain_report
from nlp.present.chart import prevalence_chart_html
from nlp.present.export import grouped_findings
from nlp.present.printing import printable_html
from nlp.present.page_html import urgency_html
from nlp.present.ui_text import t
from nlp.present.urgency import urgency_view

REPORT = ("MRI lumbar spine. <b>Clinical</b> history: back pain.\n"
          "L4-L5: mild disc bulge. Disc desiccation at L4-L5 and L5-S1.\n"
          "L5-S1: moderate left foraminal stenosis.\nNo fracture. No spondylolisthesis.\n")


def explained(age=None, lang="en"):
    report = nlp.analyse(REPORT, lang="en", age=age)
    return report, explain_report(report, lang=lang, age=age)


def test_chart_is_inline_svg_with_a_wrapping_legend_and_the_age_line():
    _, explanation = explained(age=52)
    common = dict((g.key, s) for g, s in grouped_findings(explanation))["common"]
    chart = prevalence_chart_html(common, 52, "en")
    # the SVG is an image (st.html drops inline <svg>): one data: URL, nothing fetched
    assert "<svg" not in chart and chart.count('<img src="data:image/svg+xml;base64,') == 1
    assert "<script" not in chart and "http" not in chart
    svg = picture(chart)
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"') and svg.count("<svg") == 1
    assert "<script" not in svg and "href" not in svg
    assert 'class="sf-chart-legend"' in chart and "flex-wrap:wrap" in chart
    assert "stroke-dasharray" in svg  # the reader's age
    names = re.findall(r"<li><i [^>]*></i>([^<]*)</li>", chart)
    assert names and all(n in {e.item.name for e in common} for n in names)
    assert all(html.escape(n, quote=True) in re.search(r'alt="([^"]*)"', chart).group(1)
               for n in names)  # the points in words
    assert "stroke-dasharray" not in picture(prevalence_chart_html(common, None, "en"))


def picture(chart: str) -> str:
    """The SVG inside the chart's image."""
    data = re.search(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', chart).group(1)
    return base64.b64decode(data).decode("utf-8")


def test_print_handover_holds_the_marked_report_escaped_and_findings_by_level():
    report, explanation = explained(age=52)
    page = printable_html(report, explanation, ["Is this usual?"], lang="en")
    assert "&lt;b&gt;Clinical&lt;/b&gt;" in page and "<b>Clinical" not in page
    assert page.count('class="sf-mark') == len(report.findings)
    rows = page[page.index('<table class="levels">'):page.index("</table>")]
    levels = re.findall(r'<td class="level">([^<]*)</td>', rows)
    assert levels == ["L4-L5", "L5-S1", t("print.no_level", "en")]  # spine order, then none
    assert "break-after: avoid" in page and "break-inside: avoid" in page
    assert "Is this usual?" in page
    assert t("print.figures_heading", "en") in page


def test_whole_report_negation_gets_no_level():
    report, explanation = explained()
    page = printable_html(report, explanation, [], lang="en")
    rows = page[page.index('<table class="levels">'):page.index("</table>")]
    last = rows[rows.rindex("<tr>"):]
    fracture = next(i for i in explanation.all_findings() if i.concept == "vertebral_fracture")
    assert fracture.finding.levels == [] and fracture.name in last


def test_urgency_box_escapes_and_names_its_tier():
    _, explanation = explained(lang="nl")
    view = urgency_view(explanation, "nl")
    view.recommendations = ['<script>alert("x")</script>']
    box = urgency_html(view, "nl")
    assert "<script>" not in box and "&lt;script&gt;" in box
    assert f'data-tier="{view.tier}"' in box
    assert t(f"urgency.tags.{view.tier}", "nl") in box
