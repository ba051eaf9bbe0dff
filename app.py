"""The patient page: paste, upload or pick a spine MRI report and read what it means.

Run with ``python -m nlp.page`` (``streamlit run app.py`` with privacy guards: nlp/page/serve.py).
This file holds widgets and layout only: reading files,
analysing, explaining, the annotated HTML and the exports all come from ``nlp``. Every text
comes from ``lexicons/ui.yaml`` (via ``nlp.present.ui_text.t``) or the clinical lexicons.

Nothing is stored: the report lives in this browser session's memory only (no
``st.cache_data`` on reports; what a session has read, analysed and rendered is kept in its
own ``st.session_state``, so a rerun of the same report costs nothing). Reading a file and
analysing a text run in a small pool of worker processes with a deadline and a memory limit
(nlp/page/guard.py), so no input can freeze or exhaust the page for other visitors; the
workers hold the two analyser pipelines.
"""
from __future__ import annotations

import functools
import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import streamlit as st

import nlp
from nlp.limits import MAX_AGE
from nlp.explain import Group, ReportExplanation, explain_report
from nlp.inputs.language import detect_language, language_scores, unsupported_language
from nlp.inputs.ocr import MAX_SECONDS as OCR_SECONDS
from nlp.present.widget_state import keep, kept
from nlp.inputs.readers import (
    MAX_BYTES,
    SUPPORTED_EXTENSIONS,
    ReadError,
    read_document,
    read_error_messages,
)
from nlp.page.guard import GuardError, shared_guard
from nlp.present.chart import prevalence_chart_html
from nlp.present.export import (
    COMPARE_CSS,
    Shown,
    comparison_markdown,
    comparison_page,
    comparison_summary,
    comparison_table_html,
    findings_csv,
    findings_json,
    findings_table,
    grouped_findings,
    parse_questions,
    present_concepts,
    questions_markdown,
    suggested_questions,
)
from nlp.present.printing import printable_html
from nlp.present.page_html import (
    PAGE_CSS,
    cards_html,
    explain_column_html,
    findings_table_html,
    footer_html,
    intro_html,
    report_column_html,
    ruled_out_html,
    section_html,
    widget_css,
    urgency_html,
)
from nlp.present.complaints import complaints_section, page_match
from nlp.present.render import annotated_html, legend_html
from nlp.present.ui_text import (
    fixed_text,
    has_text,
    language_from_accept,
    language_name,
    md_escape,
    t,
    tn,
)
from nlp.present.urgency import urgency_view
from nlp.report import Report

LANGUAGES = ("en", "nl")
APP_DIR = Path(__file__).resolve().parent
SAMPLE_DIR = APP_DIR / "sample_reports" / "examples"
# The uploader's own limit; the server refuses larger uploads too (.streamlit/config.toml
# server.maxUploadSize = 5). A report is a few kB, so 5 MB leaves room for PDFs with logos.
UPLOAD_LIMIT_MB = 5
MAX_UPLOAD_BYTES = min(MAX_BYTES, UPLOAD_LIMIT_MB * 1024 * 1024)
# Reading a file may take OCR's own time limit, and a little more for the rest.
READ_SECONDS = OCR_SECONDS + 15
# What the uploader names as readable (photos are read too: nlp.inputs.ocr).
UPLOAD_TYPES = [*(e.lstrip(".").upper() for e in SUPPORTED_EXTENSIONS), "JPG", "PNG"]
# What a session keeps of its reports (st.session_state): the last few renderings.
SESSION_CACHE = 4
# A pasted report is a few thousand characters; this stops a runaway paste.
MAX_PASTE_CHARS = 100_000
# Below this share of Dutch or English marker words a text is probably in neither.
MIN_LANGUAGE_SCORE = 0.02

log = logging.getLogger(__name__)


@dataclass
class ReportInput:
    """The text to analyse and where it came from (a file name, or None when pasted)."""

    text: str
    name: Optional[str] = None

    @property
    def digest(self) -> str:
        """Short fingerprint of the text, to give each report its own widgets."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()[:16]


@dataclass
class Upload:
    """The result of reading an uploaded file: its text, or a message for the person.

    ``ocr`` is True when the text was read from a picture (a photo or a scan): the person
    checks and corrects it before the page explains it.
    """

    text: Optional[str] = None
    error: Optional[str] = None
    ocr: bool = False


@dataclass
class Rendered:
    """One report as the page shows it, in one page language and for one age."""

    report: Report
    explanation: ReportExplanation
    groups: List[Tuple[Group, List[Shown]]]
    urgency: str  # the urgency box (HTML)
    annotated: str  # the report with its findings marked (HTML)
    cards: Dict[str, str]  # group key -> the group's cards or list (HTML)
    age: Optional[int]
    chart: str  # the prevalence chart (SVG and legend, HTML); "" without figures


# ------------------------------------------------------------------ helpers (no widgets) ----


def read_upload(data: bytes, filename: str, lang: str) -> Upload:
    """Turn an uploaded file into report text, or a short message in the page language.

    Args:
        data: The file's bytes.
        filename: The name the browser gave.
        lang: Page language for the message.

    Returns:
        Upload: ``text`` on success, else ``error`` (unsupported type, too large, or the
        reader's own message: empty, scanned PDF, password, damaged ...).
    """
    shown = md_escape(Path(filename or "").name) or read_error_messages()["input_name"][lang]
    # No check of the name's extension: the reader knows a file by its content (a photo
    # named .jpeg or .JPG, a PDF without .pdf) and says what it cannot read.
    if len(data) > MAX_UPLOAD_BYTES:
        return Upload(error=t("errors.too_large", lang, filename=shown, max_mb=UPLOAD_LIMIT_MB))
    try:
        # A photo or scan is read by OCR, seconds a page: its own deadline (ocr caps Tesseract).
        document = shared_guard().run_within(READ_SECONDS, read_document, data, filename)
        return Upload(text=document.text, ocr=document.ocr)
    except ReadError as err:
        err.filename = shown
        return Upload(error=err.message(lang))
    except GuardError as err:
        return Upload(error=t(f"errors.{err.code}", lang))


def sample_files() -> List[Path]:
    """The example reports offered on the page, English first."""
    return sorted(SAMPLE_DIR.glob("*.txt"), key=lambda p: (not p.stem.startswith("en"), p.stem))


def sample_label(stem: str, lang: str) -> str:
    """A friendly name for an example report."""
    return t(f"samples.{stem}", lang) if has_text(f"samples.{stem}") else stem


def browser_language() -> Optional[str]:
    """The page language the browser asks for: ``st.context.locale`` where Streamlit has
    it, else the Accept-Language header; None when it names neither English nor Dutch."""
    locale = getattr(st.context, "locale", None)
    headers = getattr(st.context, "headers", None) or {}
    return language_from_accept(locale) or language_from_accept(headers.get("Accept-Language"))


def analyse(source: ReportInput, lang: str, age: Optional[int]) -> Report:
    """Analyse the report in a guarded worker (nlp/page/guard.py: deadline and memory limit).

    Raises:
        GuardError: when the analysis ran past its deadline or memory limit.
    """
    return shared_guard().run(nlp.analyse, source.text, lang=lang, age=age, source=source.name)


# ------------------------------------------------------------------------------- panels ----


def page_language_panel() -> str:
    """The page language switch. Default: the browser's language, else the report's."""
    state = st.session_state
    if "page_lang" not in state:
        guess = browser_language()
        state["page_lang_follows_report"] = guess is None
        state["page_lang"] = guess or "en"
    if "page_lang_pending" in state:
        state["page_lang"] = state.pop("page_lang_pending")
    # A fixed label in both languages: findable whatever the page language is.
    return st.radio(
        t("app.language_switch", "en"),
        LANGUAGES,
        key="page_lang",
        format_func=lambda code: t(f"language.native_{code}", "en"),
        horizontal=True,
        on_change=lambda: state.update(page_lang_follows_report=False),
    )


def header_panel() -> str:
    """Title and language switch, what the page does, the main message; the page language."""
    title, switch = st.columns([4, 1], vertical_alignment="center")
    with switch:
        lang = page_language_panel()
    with title:
        st.title(t("app.title", lang))
    st.html(intro_html(t("app.intro", lang), fixed_text("message", lang),
                       t("app.not_diagnosis", lang)))
    return lang


def open_sample_link() -> None:
    """On the first run, open ``?sample=<name>`` (a file in sample_reports/examples)."""
    state = st.session_state
    if state.get("sample_link_done"):
        return
    state["sample_link_done"] = True
    stem = st.query_params.get("sample")
    if stem in {path.stem for path in sample_files()}:
        state["kept_source"] = "sample"
        state["kept_sample"] = stem


def input_panel(lang: str) -> Optional[ReportInput]:
    """Paste, upload or pick an example; returns the report text, or None."""
    open_sample_link()
    st.html(section_html(t("input.heading", lang)))
    source = st.radio(
        t("input.source", lang),
        ("paste", "upload", "sample"),
        key=kept("source"),
        on_change=keep,
        args=("source",),
        format_func=lambda key: t(f"input.source_{key}", lang),
        horizontal=True,
    )
    if source == "upload":
        return upload_input(lang)
    if source == "sample":
        return sample_input(lang)
    return paste_input(lang)


def paste_input(lang: str, prefix: str = "", button: bool = True) -> Optional[ReportInput]:
    """A text box for the report and a button; warns when the box is empty.

    ``prefix`` gives the widgets their own keys (the two reports of a comparison);
    ``button`` False leaves the button out (the comparison has one for both).
    """
    text = st.text_area(
        t("input.paste_label", lang),
        key=kept(f"{prefix}paste_text"),
        on_change=keep,
        args=(f"{prefix}paste_text",),
        height=220,
        max_chars=MAX_PASTE_CHARS,
        placeholder=t("input.paste_placeholder", lang),
        help=t("input.paste_help", lang),
    )
    clicked = button and st.button(t("input.button", lang), type="primary", key="explain")
    if not text.strip():
        if clicked:
            st.warning(t("errors.empty", lang), icon=":material/edit_note:")
        return None
    return ReportInput(text)


def upload_input(lang: str, prefix: str = "") -> Optional[ReportInput]:
    """A file picker for .txt, .pdf, .docx and photos; errors as short messages.

    ``prefix`` gives the picker its own key (the two reports of a comparison). Text read
    by OCR from a picture is shown for checking first (:func:`ocr_check`).
    """
    # The uploader's own label and help never change: a new label would make it a new
    # widget and drop the file when the page language is switched. The page shows them.
    st.markdown(f"**{t('input.upload_label', lang)}**")
    st.caption(t("input.upload_help", lang, max_mb=UPLOAD_LIMIT_MB))
    # No ``type=``: Streamlit would refuse another type with an English message of its
    # own; read_upload says it in the page language.
    uploaded = st.file_uploader(
        t("input.upload_widget", "en"), key=f"{prefix}upload", label_visibility="collapsed")
    if uploaded is None:
        return None
    result = session_upload(uploaded.getvalue(), uploaded.name, lang)
    if result.error:
        st.error(result.error, icon=":material/error:")
        return None
    if result.ocr:
        return ocr_check(result.text, uploaded.name, lang, prefix)
    return ReportInput(result.text, uploaded.name)


def session_upload(data: bytes, filename: str, lang: str) -> Upload:
    """``read_upload``, once per file and language in this session (a rerun does not read
    the file again)."""
    key = (hashlib.sha256(data).hexdigest(), filename, lang)
    uploads = st.session_state.setdefault("uploads", {})
    if key not in uploads:
        uploads.clear()  # the last file only
        uploads[key] = read_upload(data, filename, lang)
    return uploads[key]


def ocr_check(text: str, filename: str, lang: str, prefix: str) -> Optional[ReportInput]:
    """Text read from a picture: shown in a box to correct, explained after the button."""
    st.warning(t("uploader.ocr_note", lang), icon=":material/document_scanner:")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    key = f"{prefix}ocr_{digest}"
    checked = st.text_area(t("uploader.ocr_label", lang), key=kept(key, default=text),
                           on_change=keep, args=(key,), height=260, max_chars=MAX_PASTE_CHARS)
    if st.button(t("input.button", lang), type="primary", key=f"{prefix}ocr_explain"):
        st.session_state[f"{key}_ok"] = True
    if not st.session_state.get(f"{key}_ok") or not checked.strip():
        return None
    return ReportInput(checked, filename)


def sample_input(lang: str) -> Optional[ReportInput]:
    """A choice of made-up example reports."""
    files = {path.stem: path for path in sample_files()}
    stem = st.selectbox(
        t("input.sample_label", lang),
        list(files),
        index=None,
        key=kept("sample"),
        on_change=keep,
        args=("sample",),
        format_func=lambda s: sample_label(s, lang),
        placeholder=t("input.sample_placeholder", lang),
        help=t("input.sample_help", lang),
    )
    if stem is None:
        return None
    return ReportInput(files[stem].read_text(encoding="utf-8"), files[stem].name)


def settings_panel(source: ReportInput, lang: str) -> tuple[str, Optional[int]]:
    """The report's language (detected, can be changed) and the optional age."""
    detected = detect_language(source.text)
    left, right = st.columns([2, 1])
    with left:
        key = f"report_lang_{source.digest}"
        report_lang = st.radio(
            t("report_language.label", lang),
            LANGUAGES,
            key=kept(key, default=detected),
            on_change=keep,
            args=(key,),
            format_func=lambda code: language_name(code, lang),
            horizontal=True,
        )
        # One message: a German report is "not Dutch or English", not also "we think Dutch".
        if (
            max(language_scores(source.text).values()) < MIN_LANGUAGE_SCORE
            or unsupported_language(source.text)
        ):
            st.warning(t("report_language.neither", lang), icon=":material/translate:")
        else:
            st.caption(t("report_language.detected", lang,
                         language=language_name(detected, lang)))
    with right:
        age = st.number_input(
            t("age.label", lang),
            min_value=0,
            max_value=MAX_AGE,
            value=None,
            step=1,
            key=kept("age"),
            on_change=keep,
            args=("age",),
            placeholder=t("age.placeholder", lang),
            help=t("age.help", lang),
        )
    return report_lang, (int(age) if age is not None else None)


def follow_report_language(report_lang: str, lang: str) -> None:
    """Switch the page to the report's language when the browser named neither."""
    state = st.session_state
    if state.get("page_lang_follows_report") and report_lang != lang:
        state["page_lang_pending"] = report_lang
        st.rerun()


def results_panel(shown: Rendered, lang: str, ranks: Dict[int, int]) -> None:
    """In the order a person needs (also on a phone, where the columns stack): how urgent,
    what the findings mean, then the annotated report."""
    st.header(t("results.heading", lang))
    cards = sum(len(entries) for group, entries in shown.groups if group.key != "ruled_out")
    ruled_out = sum(len(entries) for group, entries in shown.groups if group.key == "ruled_out")
    counts = [tn("counts.findings", lang, cards)]
    if ruled_out:
        counts.append(tn("counts.ruled_out", lang, ruled_out))
    st.caption(" ".join(counts))
    st.html(shown.urgency)
    left, right = st.columns([10, 11], gap="large")
    with left:  # one block per column: each element is redrawn several times a run
        st.html(explain_column_html(
            t("results.explain_heading", lang),
            [(group, matched_first(shown, group, entries, ranks, lang)
              + (shown.chart if group.key == "common" else ""))
             for group, entries in shown.groups],
            t("results.general_heading", lang), shown.explanation.general))
    with right:
        st.html(report_column_html(t("results.report_heading", lang),
                                   t("results.report_hint", lang),
                                   legend_html(lang, style=False) + shown.annotated))


def matched_first(shown: Rendered, group: Group, entries: List[Shown], ranks: Dict[int, int],
                  lang: str) -> str:
    """The group's cards, those the person's complaints fit first (issue 13); unchanged
    before any complaint is chosen."""
    rank = {id(e): min((ranks.get(id(m), 2) for m in e.mentions), default=2) for e in entries}
    if group.key == "ruled_out" or all(r == 2 for r in rank.values()):
        return shown.cards[group.key]
    ordered = sorted(entries, key=lambda e: rank[id(e)])
    return cards_html(ordered, group.colour, shown.age, lang)


def questions_panel(explanation: ReportExplanation, digest: str, lang: str) -> List[str]:
    """The person's questions: suggested ones to start, editable, more to add.

    Until the person edits the list it follows the page language; once edited, their
    own text is kept (also when the page language changes).
    """
    st.html(section_html(t("questions.heading", lang), intro=t("questions.intro", lang)))
    starter, more = suggested_questions(explanation)
    key = f"questions_{digest}"
    state = st.session_state
    edited = state.get(f"edited_{key}")
    state[key] = edited if edited is not None else "\n".join(starter)
    st.text_area(t("questions.label", lang), key=key, height=260,
                 help=t("questions.help", lang), on_change=questions_edited, args=(key,))
    current = parse_questions(state[key])
    three = explanation.three_questions
    if three is not None:
        st.markdown(f"**{md_escape(three.title)}**\n\n"
                    + "\n".join(f"- {md_escape(q)}" for q in three.questions))
        st.caption(three.source)
        more = more + three.questions
    remaining = [q for q in dict.fromkeys(more) if q not in current]
    if remaining:
        pick_key = f"more_{key}"
        st.multiselect(t("questions.more_label", lang), remaining, key=pick_key,
                       placeholder=t("questions.more_placeholder", lang))
        left, right = st.columns(2)
        with left:
            st.button(t("questions.add_button", lang), key=f"add_{key}",
                      on_click=add_questions, args=(key, pick_key))
        with right:
            st.button(t("questions.reset_button", lang), key=f"reset_{key}",
                      on_click=state.pop, args=(f"edited_{key}", None))
    st.caption(tn("counts.questions", lang, len(current)))
    return current


def questions_edited(key: str) -> None:
    """on_change of the question box: keep the person's own text from now on."""
    st.session_state[f"edited_{key}"] = st.session_state[key]


def add_questions(text_key: str, pick_key: str) -> None:
    """Append the picked suggestions to the question box, then clear the picker."""
    state = st.session_state
    picked = state.get(pick_key) or []
    lines = parse_questions(state.get(text_key, "")) + list(picked)
    state[f"edited_{text_key}"] = "\n".join(dict.fromkeys(lines))
    state[pick_key] = []


def downloads_panel(
    report: Report, explanation: ReportExplanation, questions: Sequence[str], lang: str,
    comparison: Optional[nlp.Comparison] = None,
) -> None:
    """Print page and Markdown for the patient (with the comparison, when two reports were
    compared); CSV and JSON for therapists."""
    st.html(section_html(t("download.heading", lang), intro=t("download.intro", lang)))
    base = t("download.filename", lang)
    left, right = st.columns(2)
    with left:
        st.download_button(
            t("download.html", lang),
            printable_html(report, explanation, questions, lang=lang,
                           comparison=comparison).encode("utf-8"),
            file_name=f"{base}.html", mime="text/html", type="primary",
            help=t("download.html_help", lang), icon=":material/print:",
            use_container_width=True,
        )
    with right:
        st.download_button(
            t("download.markdown", lang),
            questions_markdown(questions, lang=lang, explanation=explanation,
                               comparison=comparison).encode("utf-8"),
            file_name=f"{base}.md", mime="text/markdown", icon=":material/checklist:",
            use_container_width=True,
        )
    st.caption(t("download.therapists", lang))
    table = findings_table(report, explanation)
    left, right = st.columns(2)
    with left:
        st.download_button(t("download.csv", lang), findings_csv(table),
                           file_name=f"{base}.csv", mime="text/csv",
                           icon=":material/table:", use_container_width=True)
    with right:
        st.download_button(t("download.json", lang), findings_json(table, report),
                           file_name=f"{base}.json", mime="application/json",
                           icon=":material/data_object:", use_container_width=True)
    # Drawn on demand: a closed expander's content is redrawn with the page all the same.
    if st.toggle(t("results.show_table", lang), key="show_table"):
        st.html(findings_table_html(explanation, lang))


def footer_panel(lang: str) -> None:
    """The disclaimer and the privacy statement, on every page (one block)."""
    st.html(footer_html([(t("footer.disclaimer_heading", lang), fixed_text("disclaimer", lang)),
                         (t("footer.privacy_heading", lang), fixed_text("privacy", lang))]))


def mode_panel(lang: str) -> str:
    """One report explained, or two reports compared ("one" / "compare")."""
    return st.radio(
        t("compare.mode_label", lang),
        ("one", "compare"),
        key=kept("mode"),
        on_change=keep,
        args=("mode",),
        format_func=lambda key: t("compare.mode_one" if key == "one" else "compare.mode_two", lang),
        horizontal=True,
        help=t("compare.mode_help", lang),
    )


def compare_input_panel(lang: str) -> tuple[Optional[ReportInput], Optional[ReportInput]]:
    """Two inputs side by side (paste or upload each): the earlier and the later report."""
    st.html(section_html(t("input.heading", lang)))
    sources = []
    for column, prefix, heading in zip(st.columns(2, gap="large"), ("old_", "new_"),
                                       ("compare.old_heading", "compare.new_heading")):
        with column:
            st.subheader(t(heading, lang))
            how = st.radio(
                t("input.source", lang),
                ("paste", "upload"),
                key=kept(f"{prefix}source"),
                on_change=keep,
                args=(f"{prefix}source",),
                format_func=lambda key: t(f"input.source_{key}", lang),
                horizontal=True,
            )
            sources.append(upload_input(lang, prefix) if how == "upload"
                           else paste_input(lang, prefix, button=False))
    clicked = st.button(t("compare.button", lang), type="primary", key="compare")
    if clicked and None in sources:
        st.warning(t("compare.need_both", lang), icon=":material/edit_note:")
    return sources[0], sources[1]


def chosen_language(source: ReportInput) -> str:
    """A report's language: as chosen in its settings (the later report has them), else detected."""
    return st.session_state.get(f"kept_report_lang_{source.digest}") or detect_language(source.text)


def compare_section(old: ReportInput, new: ReportInput, lang: str) -> None:
    """What changed between the two reports, per level, and the downloads."""
    try:
        with st.spinner(t("app.working", lang)):
            reports = [analyse(source, chosen_language(source), None) for source in (old, new)]
    except GuardError as err:
        st.error(t(f"errors.{err.code}", lang), icon=":material/timer_off:")
        return
    comparison = nlp.compare(*reports)
    st.header(t("compare.heading", lang))
    st.write(t("compare.intro", lang))
    st.caption(t("compare.languages", lang, old=language_name(reports[0].language, lang),
                 new=language_name(reports[1].language, lang)))
    if not comparison.changes:
        st.warning(t("compare.nothing", lang), icon=":material/search_off:")
        return
    st.markdown(f"**{comparison_summary(comparison, lang)}**")
    st.html(f"<style>{COMPARE_CSS}</style>{comparison_table_html(comparison, lang)}")
    base = t("compare.filename", lang)
    left, right = st.columns(2)
    with left:
        st.download_button(
            t("compare.download_html", lang),
            comparison_page(comparison, lang=lang).encode("utf-8"),
            file_name=f"{base}.html", mime="text/html", type="primary",
            icon=":material/print:", use_container_width=True, key="compare_html",
        )
    with right:
        st.download_button(
            t("compare.download_markdown", lang),
            comparison_markdown(comparison, lang=lang).encode("utf-8"),
            file_name=f"{base}.md", mime="text/markdown", icon=":material/checklist:",
            use_container_width=True, key="compare_md",
        )
    st.divider()
    st.header(t("compare.later_explained", lang))
    report_section(new, lang, comparison)


def report_section(
    source: ReportInput, lang: str, comparison: Optional[nlp.Comparison] = None
) -> None:
    """Everything shown for one report: settings, results, questions, downloads (the
    later report of a comparison: its exports hold the comparison too)."""
    report_lang, age = settings_panel(source, lang)
    follow_report_language(report_lang, lang)
    try:
        with st.spinner(t("app.working", lang)):
            shown = rendered(source, report_lang, age, lang)
    except GuardError as err:
        st.error(t(f"errors.{err.code}", lang), icon=":material/timer_off:")
        return
    if not shown.report.findings:
        st.warning(t("errors.no_findings", lang), icon=":material/search_off:")
        st.caption(t("errors.no_findings_hint", lang))
        return
    match = page_match(shown.report, lang)  # the complaints chosen below reorder the cards
    results_panel(shown, lang, match.ranks)
    # issue 13: complaints and match (nlp/present/complaints.py)
    complaints_section(shown.report, shown.explanation, lang, source.digest, match)

    questions = questions_panel(shown.explanation, source.digest, lang)
    downloads_panel(shown.report, shown.explanation, questions, lang, comparison)


def rendered(source: ReportInput, report_lang: str, age: Optional[int], lang: str) -> Rendered:
    """The report analysed, explained and rendered, once per text, language and age in this
    session (``st.session_state``; no cache shared between sessions)."""
    key = (source.digest, source.name, report_lang, age, lang)
    cache = st.session_state.setdefault("rendered", {})
    if key not in cache:
        report = analyse(source, report_lang, age)
        explanation = explain_report(report, lang=lang, age=age)
        if len(cache) >= SESSION_CACHE:
            cache.pop(next(iter(cache)))
        cache[key] = render(report, explanation, age, lang)
    return cache[key]


def render(report: Report, explanation: ReportExplanation, age: Optional[int],
           lang: str) -> Rendered:
    """The page's HTML of one explained report (escaped, nlp.present)."""
    groups = grouped_findings(explanation)
    cards = {}
    for group, entries in groups:
        if group.key == "ruled_out":
            cards[group.key] = ruled_out_html(entries, present_concepts(explanation),
                                              group.colour, lang)
        else:
            cards[group.key] = cards_html(entries, group.colour, age, lang)
    common = [entries for group, entries in groups if group.key == "common"]
    return Rendered(
        report=report,
        explanation=explanation,
        groups=groups,
        urgency=urgency_html(urgency_view(explanation, lang), lang),
        annotated=annotated_html(report.text, explanation.all_findings(), lang=lang,
                                 style=False),
        cards=cards,
        age=age,
        chart=prevalence_chart_html(common[0], age, lang, style=False) if common else "",
    )


@functools.lru_cache(maxsize=1)  # not st.cache_*: its spinner would come before set_page_config
def page_icon() -> "PIL.Image.Image":  # noqa: F821 (PIL is imported when the icon is drawn)
    """A small document icon in the page's blue, drawn in memory (no file, no download)."""
    from PIL import Image, ImageDraw

    icon = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
    draw = ImageDraw.Draw(icon)
    draw.rounded_rectangle((12, 4, 52, 60), radius=6, fill="#1D5FA8")
    for y in (20, 30, 40):
        draw.line((20, y, 44, y), fill="white", width=4)
    return icon


def main() -> None:
    """The page, top to bottom."""
    st.set_page_config(
        page_title=t("app.page_title", st.session_state.get("page_lang", "en")),
        # Drawn here and served by this server: a ":material/..." or emoji icon makes the
        # browser fetch it from an outside host (fonts.gstatic.com, a CDN), which would tell
        # that host that someone opened the page.
        page_icon=page_icon(),
        layout="wide",
    )
    st.html(PAGE_CSS)
    lang = header_panel()
    css = widget_css(lang, UPLOAD_LIMIT_MB, UPLOAD_TYPES)
    if css:
        st.html(css)
    try:
        if mode_panel(lang) == "compare":
            old, new = compare_input_panel(lang)
            if old is not None and new is not None:
                compare_section(old, new, lang)
        else:
            source = input_panel(lang)
            if source is not None:
                report_section(source, lang)
    except Exception:  # the page shows a short message, never a traceback
        log.exception("Could not explain a report")
        st.error(t("errors.unexpected", lang), icon=":material/error:")
    footer_panel(lang)


if __name__ == "__main__":
    main()
