"""The report as written, with every finding marked: safe HTML for the page and for print.

``annotated_html`` keeps the report's own layout (``white-space: pre-wrap``) and wraps each
finding in a ``<mark>`` in its group's colour. A finding the report rules out is crossed
out and labelled "not present"; a possible one has a dashed border and "possible". Each
mark has a short explanation on hover (``title``) and a numbered link to the same text in
a list under the report, so it also works on a phone (tap) and with a keyboard.

Every piece of report text and every lexicon string is HTML-escaped: a report holding
``<script>`` shows it as text. Nothing here imports Streamlit::

    from nlp.present.render import annotated_html, legend_html

    html = annotated_html(report.text, explanation.all_findings(), lang="nl")
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Dict, List, Sequence, Tuple

from nlp.explain import ExplainedFinding, category_info
from nlp.present.ui_text import severity_label, t

# Colours come from lexicons/categories.yaml; anything that is not a plain hex colour is
# replaced, so a lexicon value can never break out of the style attribute.
_HEX_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
_FALLBACK_COLOUR = "#575757"
# Tint of a mark's background: the group colour at this opacity (two hex digits).
_TINT = "1F"
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
# Statuses drawn differently from a plain "present" finding, with their label key.
_STATUS_TAGS = {
    "ruled_out": "render.not_present",
    "possible": "render.possible",
    "history": "render.history",
}

STYLE = """
<style>
.sf-report{white-space:pre-wrap;overflow-wrap:anywhere;font-family:inherit;
  line-height:1.9;font-size:1rem;margin:0 0 .5rem 0;padding:.75rem 1rem;
  border:1px solid #d9d9d9;border-radius:.5rem;background:#fff;color:#1a1a1a}
.sf-mark{color:inherit;padding:.05em .15em;border-radius:.2em;
  border-bottom:3px solid var(--sf-c);background:var(--sf-bg);cursor:help}
.sf-mark.sf-possible{border:2px dashed var(--sf-c);border-bottom-width:3px}
.sf-mark.sf-history{border-bottom-style:dotted}
.sf-mark.sf-ruled_out{background:transparent;border-bottom:2px solid var(--sf-c)}
.sf-mark.sf-ruled_out .sf-text{text-decoration:line-through;
  text-decoration-color:var(--sf-c);text-decoration-thickness:2px}
.sf-tag{display:inline-block;font-size:.72em;line-height:1.3;font-weight:600;
  color:#fff;background:var(--sf-c);border-radius:.6em;padding:0 .45em;margin-left:.25em;
  vertical-align:.1em;white-space:nowrap;text-decoration:none}
.sf-tag.sf-sev{background:#fff;color:#1a1a1a;border:1.5px solid var(--sf-c)}
.sf-ref{font-size:.75em;font-weight:700;color:var(--sf-c);margin-left:.15em;
  text-decoration:none;vertical-align:super;line-height:0;padding:0 .1em}
.sf-ref:hover,.sf-ref:focus{text-decoration:underline}
.sf-notes{font-size:.9rem;line-height:1.5;margin:.25rem 0 0 0;padding-left:1.8rem}
.sf-notes li{margin:.2rem 0;scroll-margin-top:4.5rem}
.sf-ref{scroll-margin-top:4.5rem}
.sf-notes .sf-group{font-weight:600;color:var(--sf-c)}
.sf-back{font-size:.85em;margin-left:.3em}
.sf-legend{list-style:none;padding:0;margin:.25rem 0;display:flex;flex-wrap:wrap;
  gap:.35rem .9rem;font-size:.9rem}
.sf-legend li{display:flex;align-items:center;gap:.35rem}
.sf-swatch{display:inline-block;width:1.1em;height:1.1em;border-radius:.2em;
  background:var(--sf-bg);border-bottom:3px solid var(--sf-c)}
.sf-visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;
  clip:rect(0 0 0 0);white-space:nowrap}
@media print{.sf-mark{-webkit-print-color-adjust:exact;print-color-adjust:exact}
  .sf-back{display:none}}
</style>
""".strip()


@dataclass
class _Mark:
    """One highlighted stretch of text: a finding, or several findings that overlap."""

    start: int
    end: int
    members: List[Tuple[int, ExplainedFinding]]  # (footnote number, finding)


def esc(value: object) -> str:
    """HTML-escape any value (quotes too, so it is safe inside attributes)."""
    return html.escape("" if value is None else str(value), quote=True)


def safe_colour(colour: object) -> str:
    """``colour`` if it is a ``#rrggbb`` hex colour, else a neutral grey."""
    return colour if isinstance(colour, str) and _HEX_COLOUR.match(colour) else _FALLBACK_COLOUR


def short_explanation(item: ExplainedFinding) -> str:
    """A short explanation of a finding: for a ruled-out finding its reassuring sentence,
    else the first sentence of what it is and the first of what it means."""
    if item.status == "ruled_out":
        return _first_sentence(item.meaning)
    return " ".join(s for s in (_first_sentence(item.plain), _first_sentence(item.meaning)) if s)


def _first_sentence(text: object) -> str:
    text = " ".join(str(text or "").split())
    return _SENTENCE_END.split(text, maxsplit=1)[0] if text else ""


def annotated_html(
    text: str,
    explained_findings: Sequence[ExplainedFinding],
    *,
    lang: str,
    id_prefix: str = "sf",
    notes: bool = True,
    style: bool = True,
) -> str:
    """The report as written, with each finding marked in its group's colour.

    Args:
        text: The report text the findings' offsets refer to.
        explained_findings: Every finding to mark (e.g. ``explanation.all_findings()``).
        lang: Language of the labels and the explanations list ("en" or "nl").
        id_prefix: Prefix of the element ids (footnote anchors), unique on the page.
        notes: Add the numbered list of explanations under the report.
        style: Start with the ``<style>`` block (:data:`STYLE`); False when the page has it
            once for all its blocks (each extra style block costs the browser a restyle).

    Returns:
        str: A ``<style>`` block, a ``<div>`` with the escaped report and its marks, and
        (with ``notes``) an ``<ol>`` of short explanations. Findings whose offsets do not
        fit the text are listed but not marked; overlapping findings share one mark that
        holds the footnote number of each.
    """
    info = category_info(lang)
    prefix = re.sub(r"[^A-Za-z0-9_-]", "", id_prefix) or "sf"
    numbered = _number(text, explained_findings)
    marks = _cluster([(n, item) for n, item in numbered if _fits(text, item)])
    label = esc(t("render.aria_report", lang))
    parts = [STYLE if style else "",
             f'<div class="sf-report" role="document" aria-label="{label}">']
    cursor = 0
    for mark in marks:
        parts.append(esc(text[cursor:mark.start]))
        parts.append(_mark_html(text, mark, info, lang, prefix))
        cursor = mark.end
    parts.append(esc(text[cursor:]))
    parts.append("</div>")
    if notes and numbered:
        parts.append(_notes_html(numbered, text, info, lang, prefix))
    return "".join(parts)


def legend_html(lang: str, *, style: bool = True) -> str:
    """A small legend: each group's colour and label, and the dashed / crossed-out styles.

    Args:
        lang: "en" or "nl".
        style: Start with the ``<style>`` block (see :func:`annotated_html`).

    Returns:
        str: A ``<style>`` block and a ``<ul>``, every text escaped.
    """
    items = []
    for key, meta in category_info(lang).items():
        swatch = _colour_style(meta["colour"])
        items.append(
            f'<li data-group="{esc(key)}"><span class="sf-swatch" style="{swatch}" '
            f'aria-hidden="true"></span>{esc(meta["label"])}</li>'
        )
    grey = _colour_style(_FALLBACK_COLOUR)
    items.append(
        f'<li><mark class="sf-mark sf-possible" style="{grey}">'
        f'<span class="sf-text">abc</span></mark>{esc(t("render.legend_possible", lang))}</li>'
    )
    items.append(
        f'<li><mark class="sf-mark sf-ruled_out" style="{grey}">'
        f'<span class="sf-text">abc</span></mark>{esc(t("render.legend_not_present", lang))}</li>'
    )
    heading = esc(t("render.legend_heading", lang))
    return (f'{STYLE if style else ""}<ul class="sf-legend" aria-label="{heading}">'
            f'{"".join(items)}</ul>')


# --------------------------------------------------------------------------- helpers ----


def _number(
    text: str, items: Sequence[ExplainedFinding]
) -> List[Tuple[int, ExplainedFinding]]:
    """Footnote numbers in reading order (findings without valid offsets come last)."""
    ordered = sorted(
        items,
        key=lambda e: (not _fits(text, e), e.finding.start, -e.finding.end),
    )
    return [(n, item) for n, item in enumerate(ordered, start=1)]


def _fits(text: str, item: ExplainedFinding) -> bool:
    start, end = item.finding.start, item.finding.end
    return isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)


def _cluster(numbered: List[Tuple[int, ExplainedFinding]]) -> List[_Mark]:
    """Merge overlapping findings into one mark each, so every finding is marked once."""
    marks: List[_Mark] = []
    for n, item in numbered:  # already sorted by start
        start, end = item.finding.start, item.finding.end
        if marks and start < marks[-1].end:
            marks[-1].end = max(marks[-1].end, end)
            marks[-1].members.append((n, item))
        else:
            marks.append(_Mark(start, end, [(n, item)]))
    return marks


def _colour_style(colour: object) -> str:
    colour = safe_colour(colour)
    return f"--sf-c:{colour};--sf-bg:{colour}{_TINT}"


def _lead(mark: _Mark, info: Dict[str, Dict]) -> ExplainedFinding:
    """The member that sets the mark's look: a present finding before a ruled-out one,
    then the most important group."""
    def rank(member: Tuple[int, ExplainedFinding]) -> Tuple[bool, int]:
        item = member[1]
        return (item.status == "ruled_out", info.get(item.group, {}).get("order", 99))

    return min(mark.members, key=rank)[1]


def _title(item: ExplainedFinding, info: Dict[str, Dict]) -> str:
    group = info.get(item.group, {}).get("label", "")
    return f"{item.name} ({group}, {item.status_label}): {short_explanation(item)}"


def _mark_html(
    text: str, mark: _Mark, info: Dict[str, Dict], lang: str, prefix: str
) -> str:
    lead = _lead(mark, info)
    style = _colour_style(info.get(lead.group, {}).get("colour"))
    title = "\n".join(_title(item, info) for _, item in mark.members)
    tags = []
    for status in dict.fromkeys(item.status for _, item in mark.members):
        if status in _STATUS_TAGS:
            tags.append(f'<span class="sf-tag">{esc(t(_STATUS_TAGS[status], lang))}</span>')
    # The severity the report gives (issue 12: it was only in the CSV and JSON).
    for severity in dict.fromkeys(item.finding.severity for _, item in mark.members
                                  if item.finding.severity and item.status != "ruled_out"):
        tags.append(f'<span class="sf-tag sf-sev">{esc(severity_label(severity, lang))}</span>')
    refs = "".join(
        f'<a class="sf-ref" id="{prefix}-ref-{n}" href="#{prefix}-note-{n}" '
        f'aria-label="{esc(t("render.ref_label", lang, n=n))}">{n}</a>'
        for n, _ in mark.members
    )
    concepts = " ".join(item.finding.concept for _, item in mark.members)
    numbers = " ".join(str(n) for n, _ in mark.members)
    return (
        f'<mark class="sf-mark sf-{esc(lead.status)}" style="{style}" '
        f'data-group="{esc(lead.group)}" data-concept="{esc(concepts)}" '
        f'data-notes="{numbers}" title="{esc(title)}">'
        f'<span class="sf-text">{esc(text[mark.start:mark.end])}</span>{"".join(tags)}{refs}'
        f"</mark>"
    )


def _notes_html(
    numbered: List[Tuple[int, ExplainedFinding]],
    text: str,
    info: Dict[str, Dict],
    lang: str,
    prefix: str,
) -> str:
    items = []
    first: Dict[Tuple[str, str], int] = {}
    for n, item in numbered:
        meta = info.get(item.group, {})
        style = _colour_style(meta.get("colour"))
        # A concept mentioned again is explained once; later notes point to the first.
        seen = first.setdefault((item.finding.concept, item.status), n)
        if seen == n:
            explanation = esc(short_explanation(item))
        else:
            explanation = (
                f'<a href="#{prefix}-note-{seen}">{esc(t("render.see", lang, n=seen))}</a>'
            )
        back = ""
        if _fits(text, item):
            back = (
                f' <a class="sf-back" href="#{prefix}-ref-{n}">'
                f'↩<span class="sf-visually-hidden"> {esc(t("render.back", lang))}</span></a>'
            )
        items.append(
            f'<li id="{prefix}-note-{n}" value="{n}" style="{style}">'
            f"<strong>{esc(item.name)}</strong> "
            f'(<span class="sf-group">{esc(meta.get("label", ""))}</span>, '
            f"{esc(item.status_label)}): {explanation}{back}</li>"
        )
    heading = esc(t("render.notes_heading", lang))
    return (
        f'<p class="sf-notes-heading"><strong>{heading}</strong></p>'
        f'<ol class="sf-notes" aria-label="{heading}">{"".join(items)}</ol>'
    )
