"""The complaint flow of the page (issue 13): where it hurts, the match per nerve root, the
red-flag self-check, what next, and the handover page.

``app.py`` calls :func:`complaints_section` once, after the findings are explained. Widgets and
layout only: the match is ``nlp.match``, the picture ``nlp.present.body``, the handover page
``nlp.present.handover``; every text comes from ``lexicons/complaints.yaml``, ``selfcheck.yaml``,
``next_steps.yaml`` or ``match.yaml``. Nothing is stored: the complaints live in this browser
session's widgets only.

The body picture is a small Streamlit component without a build step
(``nlp/present/body_component/``): a tap sends ``{area, side, n}``; the lists below it are the
accessible alternative and hold the same choices.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
import hashlib
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

import streamlit as st
import streamlit.components.v1 as components

import nlp
from nlp.explain import ReportExplanation
from nlp.present.body import KINDS, body_svg
from nlp.present.complaints_text import lexicon, text
from nlp.present.export import parse_questions
from nlp.present.handover import handover_html
from nlp.present.page_html import section_html
from nlp.present.render import esc
from nlp.present.ui_text import md_escape
from nlp.report import Report
from nlp.second_opinion.match import allowed, check_complaints
from nlp.present.widget_state import keep, kept

COMPONENT_DIR = Path(__file__).resolve().parent / "body_component"
CHECKLIST_DIR = Path(__file__).resolve().parent / "checklist_component"
SIDES = ("left", "right", "both")
PICTURE = "cmp_body"          # the picture's key: its last tap, {area, side, n}
TAPS = "cmp_taps"             # the number of the last tap already applied
FLAGS = "cmp_flags"           # the self-check: the warning signs ticked, a list
LEGEND = (("pain", "red"), ("numbness", "blue"), ("both", "violet"))  # near body.yaml's fills
MATCH_COLOURS = {"fits": "green", "partly": "orange", "does_not_fit": "red", "unclear": "gray"}


# ------------------------------------------------------------------ state (no widgets) ----


def _value(key: str, default: Any = None) -> Any:
    return st.session_state.get(f"kept_{key}", default)


def apply_tap(tap: Optional[Dict[str, Any]]) -> None:
    """Toggle the tapped area in the list of the chosen kind (pain or numbness).

    A new area on one side sets the side when none was chosen, and makes it "both" when the
    other side was chosen. The tap number ``n`` tells a new tap from the last one, which the
    picture hands back on every rerun.
    """
    state = st.session_state
    number = tap.get("n") if isinstance(tap, dict) else None
    if not isinstance(number, int) or number <= state.get(TAPS, 0):  # not a tap, or not a new one
        return
    state[TAPS] = number
    area = tap.get("area")
    if area not in allowed("areas"):
        return
    kind = _value("cmp_mark") or "pain"
    chosen = list(_value(f"cmp_{kind}") or [])
    if area in chosen:
        chosen.remove(area)
    else:
        chosen.append(area)
        side, tapped = _value("cmp_side"), tap.get("side")
        if tapped in ("left", "right"):
            state["kept_cmp_side"] = tapped if side is None else (side if side == tapped else "both")
    state[f"kept_cmp_{kind}"] = chosen


def apply_flags(ticked: Any) -> None:
    """Keep each warning sign of the self-check as ticked or not (``ticked``: the list the
    checklist hands back on every run; anything else, or an unknown flag, is ignored)."""
    if not isinstance(ticked, list):
        return
    for flag in allowed("red_flags"):
        st.session_state[f"kept_cmp_flag_{flag}"] = flag in ticked


def current_complaints() -> Dict[str, Any]:
    """The complaints as chosen on the page, checked against the vocabulary of interface.md."""
    flags = [flag for flag in allowed("red_flags") if _value(f"cmp_flag_{flag}")]
    return check_complaints({
        "side": _value("cmp_side"),
        "pain": _value("cmp_pain") or [],
        "numbness": _value("cmp_numbness") or [],
        "weakness": _value("cmp_weakness") or [],
        "red_flags": flags,
    })


def match_in(report: Report, complaints: Dict[str, Any], lang: str) -> Dict[str, Any]:
    """``nlp.match`` with its sentences in the page language (the report may be in the other)."""
    return nlp.match(dataclasses.replace(report, language=lang), complaints)


# A finding's place among the cards of its group once complaints are chosen: fits first.
MATCH_RANKS = {"fits": 0, "partly": 1}


@dataclass(frozen=True)
class PageMatch:
    """The complaints chosen on the page and their match, found once per run: the finding
    cards (``ranks``: ``id(finding) -> 0`` fits, ``1`` partly) and the flow share it."""

    complaints: Dict[str, Any]
    result: Dict[str, Any]
    ranks: Dict[int, int]


def page_match(report: Report, lang: str) -> PageMatch:
    """The last tap on the picture and the self-check applied, then the complaints and
    their match."""
    apply_tap(st.session_state.get(PICTURE))
    apply_flags(st.session_state.get(FLAGS))
    complaints = current_complaints()
    result = match_in(report, complaints, lang)
    chosen = any(complaints.get(k) for k in ("side", "pain", "numbness", "weakness"))
    ranks = {
        id(finding): MATCH_RANKS[data["match"]]
        for finding, data in zip(report.findings, result["findings"])
        if chosen and data.get("match") in MATCH_RANKS
    }
    return PageMatch(complaints, result, ranks)


# ------------------------------------------------------------------------------- panels ----


def complaints_section(
    report: Report, explanation: ReportExplanation, lang: str, digest: str, match: PageMatch
) -> None:
    """The whole flow, below the explained findings: complaints, the match (``match``, from
    :func:`page_match`), the self-check, what next and the handover page."""
    st.html(section_html(text("heading", lang), intro=text("intro", lang)))
    complaints_panel(lang)
    match_box = st.container()
    selfcheck_panel(lang)
    with match_box:
        chosen = match_panel(match.result, report, explanation, lang, digest)
    tier_panel(match.result, explanation, lang)
    next_steps_panel(report, match.result, lang)
    own = parse_questions(st.session_state.get(f"questions_{digest}", ""))
    handover_panel(report, explanation, match.complaints, match.result,
                   list(dict.fromkeys(chosen + own)), lang)


def complaints_panel(lang: str) -> None:
    """Side, the body picture and the lists of places and movements."""
    side_box = st.container()
    st.radio(text("mark_as", lang), KINDS, key=kept("cmp_mark", default="pain"), on_change=keep,
             args=("cmp_mark",), format_func=lambda k: text(f"kinds.{k}", lang), horizontal=True)
    marked = {kind: _value(f"cmp_{kind}") or [] for kind in KINDS}
    picture, lists = st.columns([1, 1], gap="large")
    with picture:
        st.caption(text("picture_hint", lang))
        body_picker(body_svg(marked, _value("cmp_side"), lang, interactive=True))
        st.caption(" ".join(f":{colour}[■] {text(f'legend.{kind}', lang)}" for kind, colour in LEGEND))
    with side_box:
        st.radio(text("side", lang), SIDES, index=None, key=kept("cmp_side"), on_change=keep,
                 args=("cmp_side",), format_func=lambda s: text(f"sides.{s}", lang), horizontal=True)
    with lists:
        for kind, vocabulary in (("pain", "areas"), ("numbness", "areas"), ("weakness", "movements")):
            st.multiselect(
                text(f"{kind}_label", lang), allowed(vocabulary), key=kept(f"cmp_{kind}"),
                on_change=keep, args=(f"cmp_{kind}",),
                format_func=lambda v, table=vocabulary: text(f"{table}.{v}", lang),
                placeholder=text("choose_movement" if kind == "weakness" else "choose", lang))
        tables = lexicon("dermatomes")
        st.caption(f"{tables['caveat'][lang]} {text('dermatome_note', lang)}: {tables['sources']['lee2008']}")


def body_picker(svg: str) -> None:
    """The tappable picture (its taps are applied at the start of the next run)."""
    picker = components.declare_component("body_picker", path=str(COMPONENT_DIR))
    picker(svg=svg, taps=st.session_state.get(TAPS, 0), key=PICTURE, default=None)


def match_panel(
    result: Dict[str, Any], report: Report, explanation: ReportExplanation, lang: str, digest: str
) -> List[str]:
    """The match per root, the findings that fit first; returns the questions kept."""
    roots = result["roots"]
    hint = text("no_complaints", lang) if roots and not _any_complaint() else ""
    st.html(section_html(text("match_heading", lang), level=3, hint=hint))
    if not roots:
        st.info(text("no_roots", lang), icon=":material/info:")
        return []
    fitting = matched_names(result, report, explanation, ("fits", "partly"))
    if fitting:
        st.markdown(f"**{text('matched_findings', lang)}:** " + md_escape("; ".join(fitting)))
    for root in roots:
        with st.container(border=True):
            name = (text("root_title", lang, root=root["root"], side=_side(root["side"], lang)).strip()
                    if root["root"] else text("root_unknown", lang))
            label = text(f"matches.{root['match']}", lang)
            levels = ", ".join(root["levels"])
            st.markdown(f"**{md_escape(name)}** · {md_escape(levels)} · "
                        f":{MATCH_COLOURS[root['match']]}[**{label}**]\n\n{md_escape(root['why'])}")
    return questions_checklist([r["question"] for r in roots if r["question"]], lang, digest)


def questions_checklist(questions: Sequence[str], lang: str, digest: str) -> List[str]:
    """One checkbox per question of the match, ticked to start with; returns the ticked ones.
    (Checkboxes, not a multiselect: a question is a whole sentence and must be readable.)"""
    questions = list(dict.fromkeys(questions))
    if not questions:
        return []
    st.markdown(f"**{text('questions_label', lang)}**")
    st.caption(text("questions_help", lang))
    keys = {q: f"cmp_q_{digest}_{hashlib.sha256(q.encode('utf-8')).hexdigest()[:12]}" for q in questions}
    return [q for q in questions if st.checkbox(md_escape(q), value=True, key=keys[q])]


def _any_complaint() -> bool:
    return bool(_value("cmp_side") or any(_value(f"cmp_{k}") for k in ("pain", "numbness", "weakness")))


def _side(side: Optional[str], lang: str) -> str:
    """"on the left", "aan beide kanten" (match.yaml's words for a root's side)."""
    return lexicon("match")["labels"][lang]["root_sides"].get(side or "", "")


def matched_names(
    result: Dict[str, Any], report: Report, explanation: ReportExplanation, matches: Sequence[str]
) -> List[str]:
    """Plain names of the findings whose match is one of ``matches``, best match first."""
    names = {id(item.finding): item.name for item in explanation.all_findings()}
    pairs = list(zip(report.findings, result["findings"]))
    found = [names[id(finding)] for match in matches for finding, data in pairs
             if data.get("match") == match and id(finding) in names]
    return list(dict.fromkeys(found))


def selfcheck_panel(lang: str) -> None:
    """One checkbox per warning sign, the cauda equina group first: native checkboxes in one
    small component (``checklist_component/``), not a Streamlit checkbox each, which the
    browser would redraw several times per page run. The answers are applied at the start
    of the next run (:func:`apply_flags`)."""
    st.html(section_html(text("selfcheck_heading", lang), level=3,
                         hint=text("selfcheck_intro", lang)))
    questions = lexicon("selfcheck")["questions"]
    flags = allowed("red_flags")
    checklist = components.declare_component("checklist", path=str(CHECKLIST_DIR))
    checklist(items=[{"key": flag, "label": questions[flag][lang]} for flag in flags],
              checked=[flag for flag in flags if _value(f"cmp_flag_{flag}")],
              label=text("selfcheck_heading", lang), key=FLAGS, default=None)


def tier_panel(result: Dict[str, Any], explanation: ReportExplanation, lang: str) -> None:
    """What to do now: today, within days, or when to get help (never "all is well")."""
    level = result["urgency"]
    advice = lexicon("match")["advice"][level or "none"][lang]
    # the advice of a tier starts with what to do ("Get help today: ..."), so no heading of its own
    lines = [f"**{advice}**"] if level else [f"**{text('tier_none', lang)}**", advice]
    if level:
        lines.append("\n".join(f"- {a}" for a in lexicon("selfcheck")["actions"][level][lang]))
    concepts = [r for r in result["urgency_reasons"] if r not in allowed("red_flags")]
    if concepts:
        names = {item.concept: item.name for item in explanation.all_findings()}
        lines.append(text("from_report", lang, names="; ".join(names.get(c, c) for c in concepts)))
    body = "\n\n".join(lines)
    if level == "today":
        st.error(body, icon=":material/emergency:")
    elif level == "days":
        st.warning(body, icon=":material/schedule:")
    else:
        st.info(body, icon=":material/info:")


def next_steps_panel(report: Report, result: Dict[str, Any], lang: str) -> None:
    """Where the person may be on the Dutch care route, the usual course, a second opinion."""
    data = lexicon("next_steps")
    st.html(section_html(text("next_heading", lang), level=3))
    steps = {step["id"]: step for step in data["route"]}
    where = st.radio(data["where_label"][lang], list(steps), key=kept("cmp_route", default="result"),
                     on_change=keep, args=("cmp_route",), horizontal=True,
                     format_func=lambda s: steps[s]["name"][lang])
    # One block for the texts below the choice: the browser redraws every element per run.
    st.html(next_steps_html(data, where, "cervical" in (getattr(report, "regions", None) or []), lang))
    if any(root["match"] == "does_not_fit" for root in result["roots"]):
        st.warning(data["second_opinion"]["mismatch"][lang], icon=":material/compare_arrows:")


def next_steps_html(data: Dict[str, Any], where: str, neck: bool, lang: str) -> str:
    """The chosen step and the usual next one, the usual course and when a second opinion
    makes sense, each with its source (escaped HTML; texts of ``next_steps.yaml``)."""
    sources = data["sources"]
    steps = {step["id"]: step for step in data["route"]}
    order = list(steps)
    step = steps[where]
    parts = [f"<p>{esc(step['text'][lang])}</p>"]
    following = order[order.index(where) + 1:]
    if following:
        after = steps[following[0]]
        parts.append(f"<p><strong>{esc(data['next_label'][lang])}:</strong> "
                     f"{esc(after['name'][lang])}. {esc(after['text'][lang])}</p>")
    parts.append(_source(" · ".join(sources[s] for s in _keys(step["source"]))))
    course = data["course"]
    parts.append(f"<p><strong>{esc(course['heading'][lang])}</strong><br>{esc(course['text'][lang])}</p>")
    if neck:
        parts.append(f"<p>{esc(course['neck_note'][lang])}</p>")
    parts.append(_source(sources[course["source"]]))
    second = data["second_opinion"]
    parts.append(f"<p><strong>{esc(second['heading'][lang])}</strong></p>"
                 f"<ul>{''.join(f'<li>{esc(item)}</li>' for item in second['items'][lang])}</ul>")
    parts.append(_source(sources[second["source"]]))
    return f'<div class="sf-next">{"".join(parts)}</div>'


def _source(cite: str) -> str:
    return f'<p class="sf-src">{esc(cite)}</p>'


def _keys(source: Any) -> List[str]:
    return list(source) if isinstance(source, list) else [source]


def handover_panel(
    report: Report, explanation: ReportExplanation, complaints: Dict[str, Any],
    result: Dict[str, Any], questions: Sequence[str], lang: str,
) -> None:
    """The one-page handover: a download, and a preview."""
    st.html(section_html(text("handover_heading", lang), level=3,
                         intro=text("handover_intro", lang)))
    page = handover_html(report, explanation, complaints, result, questions, lang=lang)
    st.download_button(text("handover_button", lang), page.encode("utf-8"),
                       file_name=f"{text('handover_filename', lang)}.html", mime="text/html",
                       icon=":material/print:", type="primary", key="cmp_handover")
    # On demand: a frame in a closed expander is loaded and laid out with every page.
    if st.toggle(text("handover_preview", lang), key="cmp_preview"):
        components.html(page, height=1150, scrolling=True)
