"""What changed between an earlier and a later report (nlp/second_opinion/compare.py), per
level, in the reader's language: rows, a table, a summary line, Markdown, HTML and a
printable page of its own. Every report and lexicon text in the HTML is escaped; Markdown
special characters are backslash-escaped. Nothing here imports Streamlit::

    rows = comparison_rows(comparison, lang="nl")
    page = comparison_page(comparison, lang="nl")
"""
from __future__ import annotations

import re
from typing import Dict, List, Optional

import pandas as pd

from nlp.explain import explain_finding
from nlp.present.ui_text import language_name, t
from nlp.second_opinion.compare import Comparison, Mention
from nlp.present.render import esc

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


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
    e = esc
    parts = [f"<h2>{e(t('compare.heading', lang))}</h2>",
             f'<p class="small">{e(t("compare.intro", lang))}</p>',
             f"<p>{e(comparison_summary(comparison, lang))}</p>"]
    if not comparison.changes:
        return "".join(parts) + f"<p>{e(t('compare.nothing', lang))}</p>"
    return "".join(parts) + comparison_table_html(comparison, lang)


def comparison_table_html(comparison: Comparison, lang: str) -> str:
    """The comparison's escaped HTML table, a row per entry (class ``c-<change>``)."""
    e = esc
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
    from nlp.present.printing import PRINT_CSS  # printing imports this module (via export)

    e = esc
    title = e(t("compare.heading", lang))
    meta = t("compare.languages", lang, old=language_name(comparison.old.language, lang),
             new=language_name(comparison.new.language, lang))
    return (
        f'<!DOCTYPE html>\n<html lang="{e(lang)}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n<style>\n{PRINT_CSS}\n</style>\n</head>\n<body>\n"
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





def _md(text: object) -> str:
    """Text for Markdown: special characters backslash-escaped, one line."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text or "").split()))
