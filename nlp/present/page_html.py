"""The page's own HTML blocks: the urgency box, the finding cards, the ruled-out list, the
two result columns, section headings, the intro and the closing notes, CSS.

Streamlit's browser side redraws every element of the page several times per run (a new
run, its status, its end), and a Streamlit header or message box costs about three times a
block of HTML: one ``st.html`` block per column or section keeps the browser's work small
(issue 12: a warm result in under half a second). Every report and lexicon text
is HTML-escaped; CSS text (the Dutch file uploader) is escaped for CSS strings. Nothing here
imports Streamlit::

    html = cards_html(shown, age=52, lang="nl")
"""
from __future__ import annotations

from typing import Iterable, List, Optional, Sequence, Tuple

from nlp.explain import Group, ReportExplanation
from nlp.present.export import Shown, findings_display_table, quotes_text
from nlp.present.chart import CHART_CSS
from nlp.present.render import STYLE, esc, safe_colour
from nlp.present.ui_text import severity_label, t
from nlp.present.urgency import UrgencyView, tier_colour, urgency_body_html

# Streamlit's header is 3.75rem high: a note-number target scrolls to just below it.
_CSS = """
<style>
.sf-notes li,.sf-report .sf-ref,.sf-card,.sf-urgency,.sf-sec h2,.sf-sec h3,.sf-col h3{scroll-margin-top:4.5rem}
.sf-urgency{border:2px solid var(--sf-c);border-left-width:.6rem;border-radius:.5rem;
  padding:.6rem 1rem;margin:.25rem 0 .75rem 0;background:var(--sf-bg);color:#1a1a1a}
.sf-urgency h3{margin:0 0 .3rem 0;padding:0;font-size:1.25rem;line-height:1.3;color:var(--sf-c)}
.sf-urgency p{margin:.25rem 0}
.sf-urgency ul{margin:.2rem 0 .3rem 0;padding-left:1.3rem}
.sf-urgency blockquote{margin:.3rem 0;padding:.1rem .6rem;border-left:3px solid var(--sf-c);
  font-style:italic;background:#fff8}
.sf-urgency summary{cursor:pointer;color:#1D5FA8}
.sf-tier{display:inline-block;font-size:.8rem;font-weight:700;text-transform:uppercase;
  letter-spacing:.04em;color:#fff;background:var(--sf-c);border-radius:.3rem;padding:0 .4rem;
  margin-bottom:.2rem}
.sf-card{border:1px solid #d9d9d9;border-left:.35rem solid var(--sf-c);border-radius:.5rem;
  padding:.5rem .8rem;margin:0 0 .6rem 0;background:#fff;color:#1a1a1a;line-height:1.5}
.sf-card p{margin:.25rem 0}
.sf-card .sf-where,.sf-card .sf-small{font-size:.88rem;color:#505050}
.sf-badge{display:inline-block;font-size:.78rem;font-weight:600;border-radius:.6em;
  padding:0 .5em;margin-left:.3em;border:1px solid var(--sf-c);color:#1a1a1a;
  vertical-align:.1em;white-space:nowrap}
.sf-sev{background:var(--sf-c);color:#fff;border-color:var(--sf-c)}
.sf-card details summary{cursor:pointer;font-size:.9rem;color:#1D5FA8}
.sf-table-wrap{overflow-x:auto}
.sf-table{border-collapse:collapse;font-size:.875rem;width:100%}
.sf-table th,.sf-table td{border-bottom:1px solid #ddd;padding:.25rem .4rem;text-align:left;
  vertical-align:top}
.sf-ruled{list-style:none;padding:0;margin:0}
.sf-ruled li{margin:0 0 .5rem 0;padding-left:.6rem;border-left:3px solid var(--sf-c);
  line-height:1.5}
.sf-ruled .sf-where{font-size:.88rem;color:#505050}
.sf-col h3,.sf-sec h3{font-size:1.75rem;font-weight:600;line-height:1.2;margin:0;padding:.5rem 0 1rem 0}
.sf-sec h2{font-size:2.25rem;font-weight:600;line-height:1.2;margin:0;padding:1rem 0}
.sf-sec p{margin:0 0 .5rem 0}
.sf-info{display:flex;gap:.75rem;align-items:flex-start;background:rgba(28,131,225,.1);
  color:#004280;border-radius:.5rem;padding:1rem;margin:1rem 0}
.sf-info svg{flex:none;margin-top:.15rem}.sf-info p{margin:0}
.sf-col h3.sf-group{border-bottom:.2rem solid var(--sf-c);padding-bottom:.35rem;margin-top:1rem}
.sf-col .sf-hint,.sf-sec .sf-hint{font-size:.875rem;color:#505050;margin:0 0 .5rem 0}
.sf-col details.sf-general{margin:1rem 0;border:1px solid #d9d9d9;border-radius:.5rem;
  padding:.5rem .8rem}
.sf-col details.sf-general summary{cursor:pointer}
.sf-next p{margin:.35rem 0}
.sf-next ul{margin:.2rem 0 .3rem 0;padding-left:1.3rem}
.sf-src{font-size:.875rem;color:#505050}
.sf-footer hr{margin:2rem 0 .5rem 0;border:none;border-top:1px solid #d9d9d9}
</style>
""".strip()
# Every style of the page's blocks, sent once per page run: a style block in each HTML block
# made the browser restyle the page once per block.
PAGE_CSS = _CSS + STYLE + CHART_CSS

# Urgency colours: red for today, then orange, blue, green (contrast >= 4.5 on white).
# A tint of the tier colour behind the box text.
_TINT = "14"


def urgency_html(view: UrgencyView, lang: str) -> str:
    """The report's urgency tier as a box: what to do, why, the radiologist's words,
    whether a clinician was told, and the warning signs."""
    colour = tier_colour(view.tier)
    parts = [
        f'<section class="sf-urgency sf-urgency-{esc(view.tier)}" data-tier="{esc(view.tier)}"'
        f' style="--sf-c:{colour};--sf-bg:{colour}{_TINT}"'
        f' role="{"alert" if view.emergency else "region"}"'
        f' aria-label="{esc(t("urgency.label", lang))}">',
        f'<span class="sf-tier">{esc(t("urgency.label", lang))}: '
        f'{esc(t(f"urgency.tags.{view.tier}", lang))}</span>',
        urgency_body_html(view, lang),
    ]
    if view.general:
        parts.append(f"<details><summary>{esc(t('urgency.general', lang))}</summary>"
                     f"<p>{esc(view.general_intro)}</p><ul>{_items(view.general)}</ul></details>")
    parts.append("</section>")
    return "".join(parts)


def cards_html(shown: Sequence[Shown], colour: str, age: Optional[int], lang: str) -> str:
    """The finding cards of one group: name, status, severity, where, meaning, figure."""
    style = f"--sf-c:{safe_colour(colour)}"
    return "".join(_card(entry, style, age, lang) for entry in shown)


def ruled_out_html(shown: Sequence[Shown], present: Iterable[str], colour: str,
                   lang: str) -> str:
    """What the report rules out, each with its level; a finding that is present at
    another level says so (both are shown, issue 12)."""
    present = set(present)
    items = []
    for entry in shown:
        also = ""
        if entry.item.concept in present:
            also = f' <em>{esc(t("results.also_present", lang))}</em>'
        items.append(
            f'<li data-concept="{esc(entry.item.concept)}"><strong>{esc(entry.item.name)}</strong>'
            f' <span class="sf-where">{esc(quotes_text(entry.mentions, lang))}</span><br>'
            f"{esc(entry.item.meaning)}{also}</li>"
        )
    return (f'<ul class="sf-ruled" style="--sf-c:{safe_colour(colour)}">{"".join(items)}'
            "</ul>")


def intro_html(intro: str, message: str, note: str) -> str:
    """What the page does, its main message in a blue box, and "not a diagnosis": one
    block (a Streamlit message box is among the dearest elements to redraw)."""
    icon = ('<svg aria-hidden="true" viewBox="0 0 24 24" width="20" height="20"><circle cx="12"'
            ' cy="12" r="10" fill="none" stroke="currentColor" stroke-width="2"/><path d="M12 11v6'
            'M12 7v.5" stroke="currentColor" stroke-width="2" stroke-linecap="round"/></svg>')
    return (f'<div class="sf-sec sf-intro"><p>{esc(intro)}</p>'
            f'<div class="sf-info" role="note">{icon}<p>{esc(message)}</p></div>'
            f'<p class="sf-hint">{esc(note)}</p></div>')


def section_html(heading: str, *, level: int = 2, intro: str = "", hint: str = "") -> str:
    """A section's heading (``<h2>`` or ``<h3>``), its intro and a small hint as one block:
    a Streamlit header costs the browser about three times a block of HTML on every run
    (measured with Chromium, Streamlit 1.40)."""
    tag = f"h{2 if level == 2 else 3}"
    parts = [f'<div class="sf-sec"><{tag}>{esc(heading)}</{tag}>']
    if intro:
        parts.append(f"<p>{esc(intro)}</p>")
    if hint:
        parts.append(f'<p class="sf-hint">{esc(hint)}</p>')
    return "".join(parts) + "</div>"


def explain_column_html(heading: str, groups: Sequence[Tuple[Group, str]],
                        general_heading: str, general: Sequence[str]) -> str:
    """What the findings mean, as one block: per group a heading in its colour, the
    group's intro and its cards (``groups``: the group and its HTML); then what research
    says in general, folded. One ``st.html`` for the column instead of three Streamlit
    elements per group: the browser redraws every element of the page several times per
    run (issue 12, speed)."""
    parts = [f'<div class="sf-col"><h3>{esc(heading)}</h3>']
    for group, body in groups:
        parts.append(f'<h3 class="sf-group" data-group="{esc(group.key)}"'
                     f' style="--sf-c:{safe_colour(group.colour)}">{esc(group.label)}</h3>'
                     f"<p>{esc(group.intro)}</p>{body}")
    if general:
        parts.append(f'<details class="sf-general"><summary>{esc(general_heading)}</summary>'
                     f"<ul>{_items(general)}</ul></details>")
    parts.append("</div>")
    return "".join(parts)


def report_column_html(heading: str, hint: str, body: str) -> str:
    """The report as written, as one block: heading, how to read it, and ``body`` (the
    legend and the marked report, already escaped)."""
    return (f'<div class="sf-col"><h3>{esc(heading)}</h3><p class="sf-hint">{esc(hint)}</p>'
            f"{body}</div>")


def footer_html(sections: Sequence[Tuple[str, str]]) -> str:
    """The page's closing notes (heading, text), below a rule, as one block."""
    body = "".join(f"<h3>{esc(heading)}</h3><p>{esc(text)}</p>" for heading, text in sections)
    return f'<footer class="sf-col sf-footer"><hr>{body}</footer>'


def findings_table_html(explanation: ReportExplanation, lang: str) -> str:
    """The findings as a plain HTML table in the page language (no codes, no "None"): far
    lighter for the browser than Streamlit's data grid, and it wraps on a phone."""
    table = findings_display_table(explanation, lang)
    head = "".join(f"<th>{esc(c)}</th>" for c in table.columns)
    rows = "".join("<tr>" + "".join(f"<td>{esc(v)}</td>" for v in row) + "</tr>"
                   for row in table.itertuples(index=False))
    return (f'<div class="sf-table-wrap"><table class="sf-table"><thead><tr>{head}</tr></thead>'
            f"<tbody>{rows}</tbody></table></div>")


def widget_css(lang: str, max_mb: int, types: Sequence[str]) -> str:
    """CSS that shows Streamlit's own widget texts in ``lang``: the file uploader, the
    "Press Enter to apply" hints, "Running..." and its "Stop" (Streamlit 1.40 has them in English
    only). The English text is hidden (font-size 0) and the page's text shown after it.
    Empty for English."""
    if lang == "en":
        return ""
    zone = "[data-testid=stFileUploaderDropzoneInstructions]>div:last-child"
    hint = "[data-testid=InputInstructions]"
    replaced = {
        f"{zone}>span": (t("uploader.drop", lang), "1rem"),
        f"{zone}>small": (t("uploader.limit", lang, max_mb=max_mb, types=", ".join(types)),
                          ".875rem"),
        "[data-testid=stFileUploaderDropzone] button": (t("uploader.browse", lang), ".875rem"),
        "[data-testid=stFileUploaderFileErrorMessage]": (
            t("uploader.too_large", lang, max_mb=max_mb), ".875rem"),
        hint: (t("uploader.apply_enter", lang), ".75rem"),
        f"[data-testid=stTextArea] {hint}": (t("uploader.apply_ctrl_enter", lang), ".75rem"),
        "[data-testid=stStatusWidget] label": (t("app.running", lang), ".875rem"),
        "[data-testid=stStatusWidget] button": (t("app.stop", lang), ".875rem"),
    }
    rules = [",".join(replaced) + "{font-size:0!important}"]
    for selector, (text, size) in replaced.items():
        rules.append(f"{selector}::after{{content:{css_string(text)};font-size:{size}}}")
    return "<style>" + "".join(rules) + "</style>"


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string: every character but letters, digits and spaces as
    a hex escape, so no text can end the string, the rule or the ``<style>`` element."""
    out = []
    for char in text:
        if char.isascii() and (char.isalnum() or char == " "):
            out.append(char)
        else:
            out.append(f"\\{ord(char):06x}")
    return '"' + "".join(out) + '"'


# ----------------------------------------------------------------------------- helpers ----


def _items(texts: Iterable[str]) -> str:
    return "".join(f"<li>{esc(text)}</li>" for text in texts)


def _card(entry: Shown, style: str, age: Optional[int], lang: str) -> str:
    item = entry.item
    badges = [f'<span class="sf-badge">{esc(item.status_label)}</span>']
    for label in _severities(entry, lang):
        badges.append(f'<span class="sf-badge sf-sev">{esc(label)}</span>')
    parts = [
        f'<div class="sf-card" data-concept="{esc(item.concept)}" style="{style}">',
        f"<p><strong>{esc(item.name)}</strong>{''.join(badges)}</p>",
        f'<p class="sf-where">{esc(t("results.where", lang, quotes=quotes_text(entry.mentions, lang)))}</p>',
        f"<p>{esc(item.meaning)}</p>",
    ]
    if item.example:
        parts.append(f'<p class="sf-small">{esc(item.example)}</p>')
    prevalence = item.prevalence
    sentence = prevalence.sentence(lang) if prevalence is not None else ""
    if sentence:
        parts.append(f"<p><strong>{esc(t('results.how_common', lang))}</strong> {esc(sentence)}</p>")
        if age is None and prevalence.by_age:
            parts.append(f'<p class="sf-small">{esc(t("results.no_age_hint", lang))}</p>')
    details = [f"<p>{esc(item.plain)}</p>"]
    if prevalence is not None:
        if prevalence.note:
            details.append(f'<p class="sf-small">{esc(t("results.note", lang, note=prevalence.note))}</p>')
        details.append(f'<p class="sf-small">{esc(t("results.source", lang, cite=prevalence.source.cite()))}</p>')
    parts.append(f"<details><summary>{esc(t('results.what_is_it', lang))}</summary>"
                 f"{''.join(details)}</details></div>")
    return "".join(parts)


def _severities(entry: Shown, lang: str) -> List[str]:
    """The severities the report gives this finding, mildest first, each once."""
    order = ("mild", "moderate", "severe")
    found = {m.severity for m in entry.mentions if m.severity and not m.negated}
    return [severity_label(s, lang) for s in sorted(found, key=lambda s: (
        order.index(s) if s in order else len(order), s))]
