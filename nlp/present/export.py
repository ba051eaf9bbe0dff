"""What the page lets people take home: questions, a printable page, a findings table.

- ``questions_markdown``: the questions as a Markdown checklist (with a short summary).
- ``printable_html``: one self-contained HTML page for A4 paper: the questions as a
  checklist with boxes, the findings by group, the warning symptoms and the disclaimer.
- ``comparison_rows`` / ``comparison_markdown`` / ``comparison_html``: what changed between
  an earlier and a later report (nlp/second_opinion/compare.py), per level, in the reader's language; the
  Markdown and the printable page take a comparison too.
- ``findings_table``: one row per finding, every field of the JSON contract plus the group,
  name, status and published prevalence, for physiotherapists; ``findings_csv`` and
  ``findings_json`` turn it into bytes.

Every report and lexicon text in the HTML is escaped. Nothing here imports Streamlit::

    explanation = explain_report(report, lang="nl", age=52)
    page = printable_html(report, explanation, explanation.questions, lang="nl")
"""
from __future__ import annotations

import html
import io
import json
import re
from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

import pandas as pd

from nlp.present.cells import defuse
from nlp.second_opinion.compare import Comparison, Mention
from nlp.explain import ExplainedFinding, Group, ReportExplanation, explain_finding
from nlp.present.render import safe_colour
from nlp.report import FINDING_FIELDS, Finding, Report
from nlp.present.ui_text import language_name, t

# The page starts with this many suggested questions; the rest can be added one by one.
STARTER_QUESTIONS = 8
TABLE_COLUMNS = (
    *FINDING_FIELDS,
    "hypothetical",
    "group",
    "group_label",
    "name",
    "status",
    "prevalence_percent",
    "prevalence_age",
    "prevalence_population",
    "prevalence_source",
)
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
_BULLET = re.compile(r"^\s*(?:[-*•]\s+|\d+[.)]\s+|\[[ xX]?\]\s*|-\s*\[[ xX]?\]\s*)+")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


@dataclass
class Shown:
    """One entry of a group as the page shows it: a concept and all its mentions."""

    item: ExplainedFinding
    mentions: List[Finding]


# --------------------------------------------------------------------------- questions ----


def suggested_questions(
    explanation: ReportExplanation, *, limit: int = STARTER_QUESTIONS
) -> Tuple[List[str], List[str]]:
    """The questions the page starts with, and the further suggestions.

    Args:
        explanation: The report's explanation; its questions are already in priority order
            (questions about findings to discuss soon first).
        limit: How many questions the list starts with.

    Returns:
        Tuple[List[str], List[str]]: (starter list, more suggestions).
    """
    questions = list(explanation.questions)
    return questions[:limit], questions[limit:]


def parse_questions(text: str) -> List[str]:
    """The questions of a text box: one per line, without bullets or numbers, no blanks.

    Args:
        text: What the person typed, e.g. ``"- [ ] Is this normal?\\n\\n2. Why?"``.

    Returns:
        List[str]: ``["Is this normal?", "Why?"]``, in the typed order, duplicates removed.
    """
    lines = (_BULLET.sub("", line).strip() for line in (text or "").splitlines())
    return list(dict.fromkeys(line for line in lines if line))


def questions_markdown(
    questions: Sequence[str],
    *,
    lang: str,
    explanation: Optional[ReportExplanation] = None,
    comparison: Optional[Comparison] = None,
) -> str:
    """The questions as a Markdown checklist, with the findings and the disclaimer.

    Args:
        questions: The questions in the person's order.
        lang: "en" or "nl".
        explanation: When given, a short list of the findings by group, the warning
            symptoms and the disclaimer are added.
        comparison: When given, what changed since an earlier report, after the questions.

    Returns:
        str: Markdown text ending in a newline.
    """
    lines = [f"# {t('export.title', lang)}", "", f"_{t('export.made_with', lang)}_", ""]
    lines += [f"## {t('export.questions', lang)}", ""]
    lines += [f"- [ ] {_md(q)}" for q in questions] or [t("export.no_questions", lang)]
    if comparison is not None:
        lines += ["", *comparison_markdown_lines(comparison, lang, level=2)]
    if explanation is not None:
        lines += ["", f"## {t('export.findings', lang)}"]
        for group, shown in grouped_findings(explanation):
            lines += ["", f"### {_md(group.label)}", ""]
            for entry in shown:
                lines.append(f"- **{_md(entry.item.name)}** ({_md(entry.item.status_label)}): "
                             f"{_md(quotes_text(entry.mentions, lang))}")
        lines += ["", f"## {t('warning.heading', lang)}", "", _md(explanation.warning_intro), ""]
        lines += [f"- {_md(s)}" for s in explanation.warning_symptoms]
        lines += ["", f"## {t('footer.disclaimer_heading', lang)}", "", _md(explanation.disclaimer)]
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------------ groups ----


def grouped_findings(explanation: ReportExplanation) -> List[Tuple[Group, List[Shown]]]:
    """The groups as shown: one entry per concept, each with every mention of it.

    Args:
        explanation: The report's explanation.

    Returns:
        List[Tuple[Group, List[Shown]]]: the non-empty groups in display order; a concept
        present anywhere is not also listed as ruled out (see ``unique_groups``).
    """
    full = {group.key: group for group in explanation.groups}
    out = []
    for group in explanation.unique_groups():
        members = full[group.key].findings
        shown = [
            Shown(item, [m.finding for m in members if m.finding.concept == item.finding.concept])
            for item in group.findings
        ]
        out.append((group, shown))
    return out


def where_text(finding: Finding, lang: str) -> str:
    """Level and side of a finding, e.g. "level L5-S1, left" (empty when unknown)."""
    parts = []
    if finding.levels:
        parts.append(t("results.level", lang, levels=", ".join(finding.levels)))
    side_key = f"side.{finding.side}" if finding.side else ""
    if side_key:
        try:
            parts.append(t(side_key, lang))
        except KeyError:
            parts.append(str(finding.side))
    return ", ".join(parts)


def quotes_text(mentions: Sequence[Finding], lang: str) -> str:
    """The mentions as quotes: “text” (level L4-L5, left); … each distinct one once."""
    seen = []
    for finding in mentions:
        where = where_text(finding, lang)
        quote = f"“{' '.join(finding.text.split())}”" + (f" ({where})" if where else "")
        if quote not in seen:
            seen.append(quote)
    return "; ".join(seen)


def prevalence_table(shown: Sequence[Shown]) -> pd.DataFrame:
    """Published prevalence by age in people without back pain, for a chart.

    Only figures from populations without back pain are included, so the chart's title
    ("in people without back pain") holds for every line.

    Args:
        shown: Entries of a group (see :func:`grouped_findings`).

    Returns:
        pandas.DataFrame: columns ``finding`` (plain name), ``age`` and ``percent``, one
        row per finding and table age; empty when no finding has an age table.
    """
    rows = [
        {"finding": entry.item.name, "age": age, "percent": percent}
        for entry in shown
        if entry.item.prevalence is not None and entry.item.prevalence.without_back_pain
        for age, percent in sorted(entry.item.prevalence.by_age.items())
    ]
    return pd.DataFrame(rows, columns=["finding", "age", "percent"])


# ------------------------------------------------------------------------ printable HTML ----

_PRINT_CSS = """
@page { size: A4; margin: 16mm 16mm 18mm 16mm; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { font-family: "Segoe UI", "Helvetica Neue", Arial, "Noto Sans", sans-serif;
  font-size: 11.5pt; line-height: 1.45; color: #111; background: #fff;
  max-width: 180mm; margin: 0 auto; padding: 8mm 0; }
h1 { font-size: 19pt; line-height: 1.2; margin: 0 0 2mm 0; }
h2 { font-size: 14pt; margin: 7mm 0 2mm 0; padding-bottom: 1mm; border-bottom: 1.5px solid #111;
  break-after: avoid; page-break-after: avoid; }
h3 { font-size: 12pt; margin: 4mm 0 1mm 0; padding-left: 3mm; border-left: 5px solid var(--c);
  break-after: avoid; page-break-after: avoid; }
p { margin: 1mm 0 2mm 0; }
.meta, .small { font-size: 9.5pt; color: #444; }
.message { font-size: 12pt; }
.checklist { list-style: none; padding: 0; margin: 2mm 0; }
.checklist li { display: flex; gap: 3mm; align-items: flex-start; padding: 1.6mm 0;
  border-bottom: 1px dotted #999; break-inside: avoid; page-break-inside: avoid; }
.box { flex: 0 0 auto; width: 4.2mm; height: 4.2mm; margin-top: .7mm; border: 1.4px solid #111;
  border-radius: .6mm; }
.notes-line { border-bottom: 1px dotted #999; height: 8mm; }
.finding { margin: 1mm 0 3mm 3mm; break-inside: avoid; page-break-inside: avoid; }
.finding .name { font-weight: 700; }
.status { font-size: 9.5pt; font-weight: 600; color: #fff; background: var(--c);
  border-radius: 2mm; padding: 0 1.6mm; white-space: nowrap;
  -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.quote { font-style: italic; }
.warning { border: 1.5px solid #9C1F11; border-radius: 2mm; padding: 2mm 4mm; margin: 3mm 0;
  break-inside: avoid; page-break-inside: avoid; }
.warning ul { margin: 1mm 0 0 0; padding-left: 5mm; }
.sources { font-size: 9pt; color: #333; padding-left: 5mm; }
.compare { width: 100%; border-collapse: collapse; font-size: 10pt; margin: 2mm 0; }
.compare th, .compare td { border-bottom: 1px solid #999; padding: 1.2mm 1.6mm; text-align: left;
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
    """A complete, self-contained HTML page that prints well on A4 paper.

    Args:
        report: The analysed report (for its language and the age used).
        explanation: Its explanation, in ``lang``.
        questions: The person's questions, in their order.
        lang: "en" or "nl".
        comparison: When given, what changed since an earlier report, after the questions.

    Returns:
        str: An HTML5 document with inline CSS (``@page { size: A4 }``), no scripts and
        no external resources; every text escaped.
    """
    e = _esc
    body = [
        f"<h1>{e(t('export.title', lang))}</h1>",
        f'<p class="meta">{e(t("export.made_with", lang))}</p>',
        f'<p class="message">{e(explanation.message)}</p>',
    ]
    meta = [t("export.report_language", lang, language=language_name(report.language, lang))]
    age = report.age
    if age is not None:
        meta.append(t("export.age", lang, age=age))
    body.append(f'<p class="meta">{e(" ".join(meta))}</p>')

    body.append(f"<h2>{e(t('export.questions', lang))}</h2>")
    if questions:
        items = "".join(
            f'<li><span class="box" aria-hidden="true"></span><span>{e(q)}</span></li>'
            for q in questions
        )
        body.append(f'<ul class="checklist">{items}</ul>')
    else:
        body.append(f"<p>{e(t('export.no_questions', lang))}</p>")
    body.append(f'<p class="small">{e(t("export.answers", lang))}</p>')
    body.append('<div class="notes-line"></div>' * 4)
    if comparison is not None:
        body.append(comparison_html(comparison, lang))

    body.append(f"<h2>{e(t('export.findings', lang))}</h2>")
    sources: Dict[str, str] = {}
    for group, shown in grouped_findings(explanation):
        colour = safe_colour(group.colour)
        body.append(f'<section style="--c:{colour}"><h3>{e(group.label)}</h3>')
        body.append(f'<p class="small">{e(group.intro)}</p>')
        for entry in shown:
            body.append(_finding_html(entry, lang, sources))
        body.append("</section>")

    body.append('<div class="warning">')
    body.append(f"<h2>{e(t('warning.heading', lang))}</h2><p>{e(explanation.warning_intro)}</p>")
    body.append("<ul>" + "".join(f"<li>{e(s)}</li>" for s in explanation.warning_symptoms))
    body.append("</ul></div>")

    body.append(f"<h2>{e(t('footer.disclaimer_heading', lang))}</h2>")
    body.append(f"<p>{e(explanation.disclaimer)}</p>")
    if sources:
        body.append(f"<h2>{e(t('export.sources', lang))}</h2>")
        body.append('<ol class="sources">' + "".join(f"<li>{e(c)}</li>" for c in sources.values())
                    + "</ol>")
    title = e(t("export.title", lang))
    return (
        f'<!DOCTYPE html>\n<html lang="{e(lang)}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n<style>\n{_PRINT_CSS}\n</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


def _finding_html(entry: Shown, lang: str, sources: Dict[str, str]) -> str:
    e = _esc
    item = entry.item
    parts = [
        '<div class="finding">',
        f'<p><span class="name">{e(item.name)}</span> '
        f'<span class="status">{e(item.status_label)}</span></p>',
        f'<p class="small"><span>{e(t("export.quote", lang))}:</span> '
        f'<span class="quote">{e(quotes_text(entry.mentions, lang))}</span></p>',
    ]
    if item.status != "ruled_out":
        parts.append(f"<p>{e(item.plain)}</p>")
    parts.append(f"<p>{e(item.meaning)}</p>")
    if item.prevalence is not None:
        sentence = item.prevalence.sentence(lang)
        if sentence:
            parts.append(f"<p><em>{e(sentence)}</em></p>")
        sources.setdefault(item.prevalence.source.key, item.prevalence.source.cite())
    parts.append("</div>")
    return "".join(parts)


# -------------------------------------------------------------------------- comparison ----

# Longest sentence shown as a report's wording; longer ones are cut around the finding.
WORDING_CHARS = 180
COMPARISON_COLUMNS = ("level", "finding", "change", "why", "old", "new")


def comparison_rows(comparison: Comparison, lang: str) -> List[Dict[str, str]]:
    """The comparison in plain words, one row per entry (per level, head to tail).

    Args:
        comparison: From :func:`nlp.second_opinion.compare.compare`.
        lang: The reader's language ("en" or "nl"), whatever the reports' languages.

    Returns:
        List[Dict[str, str]]: keys :data:`COMPARISON_COLUMNS`: the level, the finding's
        plain name, the change, why we say so, and each report's wording (its sentence).
    """
    rows = []
    for change in comparison.changes:
        shown = change.new if change.new is not None and change.new.present else (
            change.old if change.old is not None else change.new)
        rows.append({
            "level": ", ".join(change.levels) or t("compare.no_level", lang),
            "finding": explain_finding(shown.finding, lang=lang).name if shown else change.concept,
            "change": t(f"compare.change.{change.change}", lang),
            "why": t(f"compare.basis.{change.basis}", lang, cue=change.cue or ""),
            "old": _wording(change.old, lang),
            "new": _wording(change.new, lang),
            "kind": change.change,
        })
    return rows


def comparison_headers(lang: str) -> Dict[str, str]:
    """Column titles of :func:`comparison_rows` in ``lang``."""
    return {key: t(f"compare.column_{key}", lang) for key in COMPARISON_COLUMNS}


def comparison_table(comparison: Comparison, lang: str) -> pd.DataFrame:
    """The comparison as a table with titled columns, for the page."""
    headers = comparison_headers(lang)
    rows = comparison_rows(comparison, lang)
    return pd.DataFrame([{headers[k]: row[k] for k in COMPARISON_COLUMNS} for row in rows],
                        columns=list(headers.values()))


def comparison_summary(comparison: Comparison, lang: str) -> str:
    """One line: how many entries changed, stayed the same, or only changed wording."""
    kinds = [change.change for change in comparison.changes]
    same, reworded = kinds.count("unchanged"), kinds.count("reworded")
    return t("compare.summary", lang, changed=len(kinds) - same - reworded, same=same,
             reworded=reworded)


# The comparison table on the page (st.html): the print CSS of .compare, and a colour mark
# per change so a change stands out from "the same".
COMPARE_CSS = """
.compare { width: 100%; border-collapse: collapse; font-size: 0.95rem; margin: 0.5rem 0; }
.compare th, .compare td { border-bottom: 1px solid #ccc; padding: 0.4rem 0.5rem;
  text-align: left; vertical-align: top; }
.compare th { background: #f3f5f8; }
.compare .change { font-weight: 700; white-space: nowrap; border-left: 5px solid #8a8a8a; }
.compare .c-new .change, .compare .c-larger .change, .compare .c-worse .change {
  border-left-color: #B3261E; }
.compare .c-resolved .change, .compare .c-smaller .change, .compare .c-better .change {
  border-left-color: #1E7B34; }
.compare .c-reworded .change { border-left-color: #1D5FA8; }
""".strip()


def comparison_markdown_lines(comparison: Comparison, lang: str, *, level: int = 1) -> List[str]:
    """The comparison as Markdown lines: a heading, the intro and a table."""
    headers = comparison_headers(lang)
    lines = [f"{'#' * level} {t('compare.heading', lang)}", "",
             _md(t("compare.intro", lang)), "", _md(comparison_summary(comparison, lang)), ""]
    rows = comparison_rows(comparison, lang)
    if not rows:
        return lines + [_md(t("compare.nothing", lang))]
    lines.append("| " + " | ".join(_md(headers[k]) for k in COMPARISON_COLUMNS) + " |")
    lines.append("|" + "---|" * len(COMPARISON_COLUMNS))
    for row in rows:
        lines.append("| " + " | ".join(_md(row[k]) for k in COMPARISON_COLUMNS) + " |")
    return lines


def comparison_markdown(comparison: Comparison, *, lang: str) -> str:
    """The comparison as a Markdown document (``python -m nlp compare --format md``)."""
    return "\n".join(comparison_markdown_lines(comparison, lang)) + "\n"


def comparison_html(comparison: Comparison, lang: str) -> str:
    """The comparison as an escaped HTML section (heading, intro, table) for the print page."""
    e = _esc
    parts = [f"<h2>{e(t('compare.heading', lang))}</h2>",
             f'<p class="small">{e(t("compare.intro", lang))}</p>',
             f"<p>{e(comparison_summary(comparison, lang))}</p>"]
    if not comparison.changes:
        return "".join(parts) + f"<p>{e(t('compare.nothing', lang))}</p>"
    return "".join(parts) + comparison_table_html(comparison, lang)


def comparison_table_html(comparison: Comparison, lang: str) -> str:
    """The comparison's escaped HTML table, a row per entry (class ``c-<change>``)."""
    e = _esc
    headers = comparison_headers(lang)
    head = "".join(f"<th>{e(headers[k])}</th>" for k in COMPARISON_COLUMNS)
    body = "".join(
        f'<tr class="c-{e(row["kind"])}">'
        + "".join(f'<td class="{k}">{e(row[k])}</td>' for k in COMPARISON_COLUMNS) + "</tr>"
        for row in comparison_rows(comparison, lang)
    )
    return f'<table class="compare"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def comparison_page(comparison: Comparison, *, lang: str) -> str:
    """A self-contained printable A4 page of the comparison alone, every text escaped."""
    e = _esc
    title = e(t("compare.heading", lang))
    meta = t("compare.languages", lang, old=language_name(comparison.old.language, lang),
             new=language_name(comparison.new.language, lang))
    return (
        f'<!DOCTYPE html>\n<html lang="{e(lang)}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n<style>\n{_PRINT_CSS}\n</style>\n</head>\n<body>\n"
        f"<h1>{e(t('export.title', lang))}</h1>\n"
        f'<p class="meta">{e(t("export.made_with", lang))} {e(meta)}</p>\n'
        + comparison_html(comparison, lang)
        + "\n</body>\n</html>\n"
    )


def _wording(mention: Optional[Mention], lang: str) -> str:
    """A report's words for an entry: its sentence (cut around the finding when long),
    marked "(not present)" when negated; "(not mentioned)" without a mention."""
    if mention is None:
        return t("compare.not_mentioned", lang)
    sentence = mention.sentence
    if len(sentence) > WORDING_CHARS:
        words = " ".join(mention.finding.text.split())
        at = max(sentence.find(words), 0)
        start = max(0, min(at - WORDING_CHARS // 3, len(sentence) - WORDING_CHARS))
        sentence = ("…" if start else "") + sentence[start:start + WORDING_CHARS].strip() + "…"
    quote = f"“{sentence}”"
    return f"{quote} {t('compare.absent', lang)}" if not mention.present else quote


# ------------------------------------------------------------------------------- table ----


def findings_table(report: Report, explanation: ReportExplanation) -> pd.DataFrame:
    """One row per finding of the report, in report order, with its explanation.

    Args:
        report: The analysed report.
        explanation: Its explanation (its language sets ``group_label`` and ``name``).

    Returns:
        pandas.DataFrame: columns :data:`TABLE_COLUMNS`: every field of the JSON contract
        (``levels`` as a list), ``hypothetical``, the group key and label, the plain name,
        the status, and the prevalence figure for the age with its population and source.
    """
    by_id = {id(item.finding): item for item in _all_items(explanation)}
    by_key = {_key(item.finding): item for item in _all_items(explanation)}
    labels = {group.key: group.label for group in explanation.groups}
    rows = []
    for finding in report.findings:
        item = by_id.get(id(finding)) or by_key.get(_key(finding))
        row: Dict[str, Any] = finding.to_dict()
        row["levels"] = list(finding.levels)
        prevalence = item.prevalence if item else None
        row.update(
            group=item.group if item else None,
            group_label=labels.get(item.group) if item else None,
            name=item.name if item else None,
            status=item.status if item else None,
            prevalence_percent=prevalence.percent if prevalence else None,
            prevalence_age=prevalence.age_label if prevalence else None,
            prevalence_population=prevalence.population if prevalence else None,
            prevalence_source=prevalence.source.cite() if prevalence else None,
        )
        rows.append(row)
    table = pd.DataFrame(rows, columns=list(TABLE_COLUMNS))
    table["prevalence_percent"] = table["prevalence_percent"].astype("float64")
    return table


def findings_csv(table: pd.DataFrame) -> bytes:
    """The findings table as CSV bytes (UTF-8 with BOM, so spreadsheets read ë and é).

    Lists are joined with "; ". Text cells are defused (:mod:`nlp.present.cells`): a spreadsheet
    shows them instead of running them as a formula.
    """
    out = table.copy()
    out["levels"] = out["levels"].map(lambda v: "; ".join(v) if isinstance(v, list) else v)
    for column in out.columns:
        if out[column].dtype == object:
            out[column] = out[column].map(defuse)
    buffer = io.StringIO()
    out.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue().encode("utf-8-sig")


def findings_json(table: pd.DataFrame, report: Optional[Report] = None) -> bytes:
    """The findings table as JSON bytes: ``{"source", "language", "age", "findings": [...]}``.

    Missing values are ``null``; ``levels`` stays a list.
    """
    records = []
    for record in table.to_dict(orient="records"):
        records.append({k: _plain(v) for k, v in record.items()})
    data = {
        "source": report.source if report else None,
        "language": report.language if report else None,
        "age": report.age if report else None,
        "findings": records,
    }
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


# ----------------------------------------------------------------------------- helpers ----


def _all_items(explanation: ReportExplanation) -> Iterable[ExplainedFinding]:
    return (item for group in explanation.groups for item in group.findings)


def _key(finding: Finding) -> Tuple[str, int, int, bool]:
    return (finding.concept, finding.start, finding.end, finding.negated)


def _plain(value: Any) -> Any:
    """A table cell as a JSON value (NaN -> None, numpy scalars -> Python)."""
    if isinstance(value, list):
        return value
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value.item() if hasattr(value, "item") else value


def _esc(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _md(text: object) -> str:
    """Text for Markdown: special characters backslash-escaped, one line."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text or "").split()))
