"""The print page: a handover on at most two A4 pages for a typical report.

What a person hands to their doctor or physiotherapist: how urgent the report is (and what
the radiologist advised), the chosen questions, the findings by level in a table, the
figures for the person's age with their sources, and the report as written with its
findings marked. Headings never end a page (``break-after: avoid``); rows, boxes and
questions are never split (``break-inside: avoid``). Checked by printing to PDF in
Chromium (tests/e2e/test_page_issue12.py).

Every report and lexicon text is HTML-escaped; the page has no scripts and no outside
resources. Nothing here imports Streamlit::

    page = printable_html(report, explanation, questions, lang="nl")
"""
from __future__ import annotations

import re
from typing import Dict, Optional, Sequence, Tuple

from nlp.explain import ReportExplanation
from nlp.present.export import comparison_html, grouped_findings
from nlp.present.render import annotated_html, esc, safe_colour
from nlp.present.ui_text import has_text, language_name, severity_label, t
from nlp.present.urgency import tier_colour, urgency_body_html, urgency_view
from nlp.report import Report
from nlp.second_opinion.compare import Comparison

# Spine order of a level's first segment: C before T before L before S.
_REGION_ORDER = {"C": 0, "T": 1, "L": 2, "S": 3}
_LEVEL = re.compile(r"^([CTLS])(\d+)")

PRINT_CSS = """
@page { size: A4; margin: 10mm 12mm 11mm 12mm; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { font-family: "Segoe UI", "Helvetica Neue", Arial, "Noto Sans", sans-serif;
  font-size: 9.5pt; line-height: 1.35; color: #111; background: #fff;
  max-width: 184mm; margin: 0 auto; padding: 0; }
h1 { font-size: 15pt; line-height: 1.2; margin: 0 0 1mm 0; }
h2 { font-size: 11.5pt; margin: 4mm 0 1.5mm 0; padding-bottom: .6mm; border-bottom: 1.2px solid #111;
  break-after: avoid; page-break-after: avoid; }
h3 { font-size: 10.5pt; margin: 0 0 1mm 0; break-after: avoid; page-break-after: avoid; }
p { margin: .6mm 0 1.2mm 0; }
.meta, .small { font-size: 8.5pt; color: #444; }
.urgency { border: 1.5px solid var(--c); border-left-width: 4mm; border-radius: 1.5mm;
  padding: 1.5mm 3mm; margin: 2mm 0; break-inside: avoid; page-break-inside: avoid;
  -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.urgency h3 { color: var(--c); }
.urgency ul { margin: .5mm 0 .8mm 0; padding-left: 5mm; }
.urgency ul.symptoms { columns: 2; column-gap: 6mm; }
.urgency ul.symptoms li { break-inside: avoid; }
.urgency blockquote { margin: .5mm 0; padding-left: 2mm; border-left: 2px solid var(--c);
  font-style: italic; }
.checklist { list-style: none; padding: 0; margin: 1mm 0; columns: 1; }
.checklist li { display: flex; gap: 2.5mm; align-items: flex-start; padding: 1mm 0;
  border-bottom: 1px dotted #999; break-inside: avoid; page-break-inside: avoid; }
.box { flex: 0 0 auto; width: 3.6mm; height: 3.6mm; margin-top: .4mm; border: 1.2px solid #111;
  border-radius: .5mm; }
table.levels { width: 100%; border-collapse: collapse; font-size: 8.5pt; line-height: 1.25; margin: 1mm 0; }
table.levels th, table.levels td { border-bottom: 1px solid #bbb; padding: .6mm 1.2mm;
  text-align: left; vertical-align: top; }
table.levels thead { display: table-header-group; }
table.levels tr { break-inside: avoid; page-break-inside: avoid; }
table.levels td.level { font-weight: 700; white-space: nowrap; }
table.levels td.status { white-space: nowrap; }
.dot { display: inline-block; width: 2.4mm; height: 2.4mm; border-radius: 50%;
  background: var(--c); margin-right: 1mm; -webkit-print-color-adjust: exact;
  print-color-adjust: exact; }
.figures { margin: 1mm 0; padding-left: 5mm; }
.figures li { break-inside: avoid; page-break-inside: avoid; }
.keep { break-inside: avoid; page-break-inside: avoid; }
body .sf-report { line-height: 1.32; font-size: 8.6pt; padding: 1.2mm 2.5mm; margin: 1mm 0;
  border-color: #999; }
body .sf-report .sf-tag { font-size: .68em; padding: 0 .3em; }
body .sf-report .sf-ref { display: none; }
body .sf-mark { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.fine { font-size: 7.8pt; color: #333; }
.sources { font-size: 7.5pt; color: #333; padding-left: 5mm; margin: 1mm 0; }
.compare { width: 100%; border-collapse: collapse; font-size: 8.8pt; margin: 1mm 0; }
.compare th, .compare td { border-bottom: 1px solid #999; padding: .8mm 1.2mm; text-align: left;
  vertical-align: top; }
.compare tr { break-inside: avoid; page-break-inside: avoid; }
.compare .change { font-weight: 700; white-space: nowrap; }
@media screen { body { padding: 8mm 4mm; } }
@media print { a { color: inherit; text-decoration: none; } }
""".strip()


def printable_html(
    report: Report,
    explanation: ReportExplanation,
    questions: Sequence[str],
    *,
    lang: str,
    comparison: Optional[Comparison] = None,
) -> str:
    """A complete, self-contained HTML page for A4 paper: the handover of one report.

    Args:
        report: The analysed report (its text, language and the age used).
        explanation: Its explanation, in ``lang``.
        questions: The person's chosen questions, in their order.
        lang: "en" or "nl".
        comparison: When given, what changed since an earlier report, after the questions.

    Returns:
        str: An HTML5 document with inline CSS (``@page { size: A4 }``), no scripts and no
        outside resources; every text escaped.
    """
    e = esc
    meta = [t("export.report_language", lang, language=language_name(report.language, lang))]
    if report.age is not None:
        meta.append(t("export.age", lang, age=report.age))
    body = [
        f"<h1>{e(t('export.title', lang))}</h1>",
        f'<p class="meta">{e(t("export.made_with", lang))} {e(" ".join(meta))}</p>',
        _urgency(explanation, lang),
        _questions(questions, lang),
    ]
    if comparison is not None:
        body.append(comparison_html(comparison, lang))
    body.append(_levels_table(explanation, lang))
    sources: Dict[str, str] = {}
    body.append(_figures(explanation, lang, sources))
    body.append(f"<h2>{e(t('print.report_heading', lang))}</h2>")
    body.append(annotated_html(report.text, explanation.all_findings(), lang=lang,
                               id_prefix="print", notes=False))
    body.append(f'<p class="fine keep"><strong>{e(t("footer.disclaimer_heading", lang))}:'
                f"</strong> {e(explanation.disclaimer)}</p>")
    if sources:
        body.append(f'<div class="keep"><h3>{e(t("export.sources", lang))}</h3>'
                    '<ol class="sources">'
                    + "".join(f"<li>{e(c)}</li>" for c in sources.values()) + "</ol></div>")
    title = e(t("export.title", lang))
    return (
        f'<!DOCTYPE html>\n<html lang="{e(lang)}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n<style>\n{PRINT_CSS}\n</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


# ----------------------------------------------------------------------------- parts ----


def _urgency(explanation: ReportExplanation, lang: str) -> str:
    view = urgency_view(explanation, lang)
    return (f'<div class="urgency" data-tier="{esc(view.tier)}" style="--c:{tier_colour(view.tier)}">'
            f"{urgency_body_html(view, lang)}</div>")


def _questions(questions: Sequence[str], lang: str) -> str:
    e = esc
    head = f"<h2>{e(t('export.questions', lang))}</h2>"
    if not questions:
        return head + f"<p>{e(t('export.no_questions', lang))}</p>"
    items = "".join(f'<li><span class="box" aria-hidden="true"></span><span>{e(q)}</span></li>'
                    for q in questions)
    return head + f'<ul class="checklist">{items}</ul>'


def _levels_table(explanation: ReportExplanation, lang: str) -> str:
    """The findings by level in spine order: a row per level with what the report finds
    there (side and severity added) and what it rules out there. A finding without a level
    gets a row of its own ("no level given"): the page never invents a scope."""
    e = esc
    colours = {group.key: safe_colour(group.colour) for group in explanation.groups}
    # level -> column -> (colour, name) -> details (side, severity, status), each once
    rows: Dict[str, Dict[str, Dict[Tuple[str, str], Dict[str, None]]]] = {}
    for item in explanation.all_findings():
        finding = item.finding
        column = "ruled_out" if item.status == "ruled_out" else "found"
        details = [] if item.status in ("present", "ruled_out") else [item.status_label]
        if finding.side and has_text(f"side.{finding.side}"):
            details.append(t(f"side.{finding.side}", lang))
        if column == "found" and finding.severity:
            details.append(severity_label(finding.severity, lang))
        name = (colours.get(item.group, "#575757"), item.name)
        for level in finding.levels or [""]:
            cell = rows.setdefault(level, {"found": {}, "ruled_out": {}})[column]
            cell.setdefault(name, {}).update(dict.fromkeys(details))
    head = "".join(f"<th>{e(t(f'print.col_{c}', lang))}</th>"
                   for c in ("level", "found", "ruled_out"))
    body = "".join(
        f'<tr><td class="level">{e(level or t("print.no_level", lang))}</td>'
        f'<td>{_cell(cells["found"])}</td><td>{_cell(cells["ruled_out"])}</td></tr>'
        for level, cells in sorted(rows.items(), key=lambda r: _level_key([r[0]] if r[0] else []))
    )
    return (f"<h2>{e(t('print.levels_heading', lang))}</h2>"
            f'<table class="levels"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>')


def _cell(names: Dict[Tuple[str, str], Dict[str, None]]) -> str:
    """The findings of one table cell: a coloured dot, the name and its details."""
    e = esc
    return "<br>".join(
        f'<span class="dot" style="--c:{colour}"></span>{e(name)}'
        + (f" ({e(', '.join(details))})" if details else "")
        for (colour, name), details in names.items()
    )


def _figures(explanation: ReportExplanation, lang: str, sources: Dict[str, str]) -> str:
    """How common each present finding is, for the person's age, with its source."""
    e = esc
    items = []
    for group, shown in grouped_findings(explanation):
        for entry in shown:
            prevalence = entry.item.prevalence
            if entry.item.status == "ruled_out" or prevalence is None:
                continue
            sentence = prevalence.sentence(lang)
            if sentence:
                items.append(f"<li><strong>{e(entry.item.name)}:</strong> {e(sentence)}</li>")
                sources.setdefault(prevalence.source.key, prevalence.source.cite())
    if not items:
        return ""
    return (f'<div class="keep"><h2>{e(t("print.figures_heading", lang))}</h2>'
            f'<ul class="figures">{"".join(items)}</ul></div>')


def _level_key(levels: Sequence[str]) -> Tuple[int, int, int]:
    """Spine order of a finding's first level; findings without a level come last."""
    match = _LEVEL.match(levels[0]) if levels else None
    if match is None:
        return (1, 0, 0)
    return (0, _REGION_ORDER[match.group(1)], int(match.group(2)))

