"""What the page lets people take home: questions, a printable page, a findings table.

- ``questions_markdown``: the questions as a Markdown checklist (with a short summary).
- ``printable_html``: the print page, a handover on at most two A4 pages
  (:mod:`nlp.present.printing`).
- ``comparison_rows`` / ``comparison_markdown`` / ``comparison_html``: what changed between
  an earlier and a later report (:mod:`nlp.present.comparison_export`, re-exported here); the
  Markdown and the printable page take a comparison too.
- ``findings_table``: one row per finding, every field of the JSON contract plus the group,
  name, status and published prevalence, for physiotherapists; ``findings_csv`` and
  ``findings_json`` turn it into bytes.

Every report and lexicon text in the HTML is escaped. Nothing here imports Streamlit::

    explanation = explain_report(report, lang="nl", age=52)
    page = printable_html(report, explanation, explanation.questions, lang="nl")
"""
from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

import pandas as pd

from nlp.present.cells import defuse
from nlp.present.comparison_export import (  # noqa: F401  (callers import them from here)
    COMPARE_CSS,
    COMPARISON_COLUMNS,
    comparison_headers,
    comparison_html,
    comparison_markdown,
    comparison_markdown_lines,
    comparison_page,
    comparison_rows,
    comparison_summary,
    comparison_table,
    comparison_table_html,
)
from nlp.second_opinion.compare import Comparison
from nlp.explain import ExplainedFinding, Group, ReportExplanation
from nlp.report import FINDING_FIELDS, Finding, Report
from nlp.present.ui_text import has_text, severity_label, t
from nlp.present.urgency import urgency_view

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
    explanation: ReportExplanation, *, limit: Optional[int] = None
) -> Tuple[List[str], List[str]]:
    """The questions the page starts with, and the further suggestions.

    Args:
        explanation: The report's explanation; its questions are already in priority order
            (``suggested``, at most 7 specific ones, then ``optional``).
        limit: How many questions the list starts with; None: the suggested ones.

    Returns:
        Tuple[List[str], List[str]]: (starter list, more suggestions).
    """
    questions = list(explanation.questions)
    limit = len(explanation.suggested) if limit is None else limit
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
    if explanation is not None:
        lines += _urgency_markdown(explanation, lang)
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
        view = urgency_view(explanation, lang)
        lines += ["", f"## {t('warning.heading', lang)}", "", _md(view.symptoms_intro), ""]
        lines += [f"- {_md(s)}" for s in view.symptoms]
        if view.general:
            lines += ["", _md(view.general_intro), ""] + [f"- {_md(s)}" for s in view.general]
        lines += ["", f"## {t('footer.disclaimer_heading', lang)}", "", _md(explanation.disclaimer)]
    return "\n".join(lines) + "\n"


def _urgency_markdown(explanation: ReportExplanation, lang: str) -> List[str]:
    """How urgent the report is: the tier's words, why, and the radiologist's own words."""
    view = urgency_view(explanation, lang)
    lines = [f"## {_md(view.heading)}", "", _md(view.advice), ""]
    if view.reasons:
        lines += [f"{t('urgency.reasons', lang)} {_md('; '.join(view.reasons))}", ""]
    for quote in view.recommendations:
        lines += [f"{t('urgency.radiologist', lang)} “{_md(quote)}”", ""]
    if view.informed:
        lines += [_md(view.informed), ""]
    return lines


# ------------------------------------------------------------------------------ groups ----


def grouped_findings(explanation: ReportExplanation) -> List[Tuple[Group, List[Shown]]]:
    """The groups as shown: one entry per concept, each with every mention of it.

    Args:
        explanation: The report's explanation.

    Returns:
        List[Tuple[Group, List[Shown]]]: the non-empty groups in display order. A concept
        present anywhere is listed once, in its group; what the report rules out is listed
        too, also when the concept is present at another level (issue 12: "present at
        L4-L5, ruled out at L5-S1" shows both). Ruled-out mentions with different wording
        (one per level, from nlp.explain) are separate entries.
    """
    full = {group.key: group for group in explanation.groups}
    out = []
    for group in explanation.unique_groups():
        if group.key == "ruled_out":
            continue
        members = full[group.key].findings
        shown = [
            Shown(item, [m.finding for m in members if m.finding.concept == item.finding.concept])
            for item in group.findings
        ]
        out.append((group, shown))
    if "ruled_out" in full:
        out.append((full["ruled_out"], _ruled_out_entries(full["ruled_out"].findings)))
    return out


def _ruled_out_entries(items: Sequence[ExplainedFinding]) -> List[Shown]:
    """One entry per concept and wording, with the mentions that share it."""
    entries: Dict[Tuple[str, str], Shown] = {}
    for item in items:
        key = (item.finding.concept, item.meaning)
        if key in entries:
            entries[key].mentions.append(item.finding)
        else:
            entries[key] = Shown(item, [item.finding])
    return list(entries.values())


def present_concepts(explanation: ReportExplanation) -> List[str]:
    """The concepts the report gives as present, possible or known from before."""
    return list(dict.fromkeys(item.finding.concept for item in _all_items(explanation)
                              if item.status != "ruled_out"))


def where_text(finding: Finding, lang: str) -> str:
    """Level, side and severity of a finding, e.g. "level L5-S1, left, severe" (empty when
    unknown). A finding without a level gets none: the page never invents a scope."""
    parts = []
    if finding.levels:
        parts.append(t("results.level", lang, levels=", ".join(finding.levels)))
    side_key = f"side.{finding.side}" if finding.side else ""
    if side_key:
        parts.append(t(side_key, lang) if has_text(side_key) else str(finding.side))
    if finding.severity and not finding.negated:
        parts.append(severity_label(finding.severity, lang))
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


DISPLAY_COLUMNS = ("name", "levels", "side", "severity", "status", "group", "quote")


def findings_display_table(explanation: ReportExplanation, lang: str) -> pd.DataFrame:
    """The findings as the page's table shows them: words in ``lang``, no codes, no "None".

    Args:
        explanation: The report's explanation (in ``lang``).
        lang: "en" or "nl".

    Returns:
        pandas.DataFrame: one row per mention in report order; the column names are the
        page's headings (``table.<column>`` in lexicons/ui.yaml); empty cells are "".
    """
    labels = {group.key: group.label for group in explanation.groups}
    rows = []
    for item in explanation.all_findings():
        finding = item.finding
        side_key = f"side.{finding.side}" if finding.side else ""
        rows.append({
            "name": item.name,
            "levels": ", ".join(finding.levels),
            "side": (t(side_key, lang) if has_text(side_key) else finding.side) if side_key else "",
            "severity": "" if finding.negated else severity_label(finding.severity, lang),
            "status": item.status_label,
            "group": labels.get(item.group, ""),
            "quote": " ".join(finding.text.split()),
        })
    table = pd.DataFrame(rows, columns=list(DISPLAY_COLUMNS)).fillna("")
    return table.rename(columns={c: t(f"table.{c}", lang) for c in DISPLAY_COLUMNS})


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



def _md(text: object) -> str:
    """Text for Markdown: special characters backslash-escaped, one line."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text or "").split()))
