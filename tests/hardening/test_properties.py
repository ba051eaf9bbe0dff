"""Properties of ``nlp.analyse`` over generated text (Hypothesis).

Over arbitrary text (``st.text()``: any code point but surrogates, control characters
included) and over report-like text built from the lexicons (finding terms from the
``literal`` values of ``lexicons/<lang>/findings.json``, level notation, cue words,
headings, punctuation and line breaks):

- ``analyse`` never raises;
- it is deterministic: the same input twice gives the same ``to_dict()``, and a freshly built
  pipeline (``nlp.build``) gives the same as the shared cached one;
- offsets are true: ``report.text[f.start:f.end] == f.text``;
- the layout does not change what is found (concept, negated, uncertain, levels; the
  offsets shift): Windows line ends (``\\r\\n``), extra blank lines where the report
  already has a blank line (between paragraphs, before and after the text), doubled spaces,
  no-break spaces and invisible characters (zero-width, soft hyphen, bidi marks) anywhere,
  and sentences wrapped at any width from 30 (nlp/pipeline/layout.py reads them as one line).

Not a property, by design: a blank line inserted *inside* a paragraph may change levels and
scopes. A blank line ends the level a paragraph is about ("L3.\\nherniation." gives the
herniation level L3, "L3.\\n\\nherniation." none) and ends a wrapped line's continuation.
Nor is wrapping text that has line breaks of its own without full stops: where a line ends
as full as wrapping leaves lines, the wrapped text is the same as that of the lines joined
(tests/regression/test_layout_invariance.py measures this on the gold reports).
See docs/bad_input.md.

Sized for < 60 s on the 2-core machine (``max_examples`` per test below).
"""
from __future__ import annotations

import json
import textwrap
from functools import lru_cache

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import nlp
from nlp.api import analyse
from nlp.pipeline.layout import MIN_WRAP_WIDTH
from nlp.lexicon import lexicon_path
from nlp.report import Report

LANGS = ("en", "nl")

LEVELS = ["L4-L5", "L5-S1", "L5/S1", "L4-5", "C5-C6", "C6-C7", "Th12-L1", "T11-T12", "L3", "S1",
          "L3 tot L5", "L3-L4 and L4-L5"]
CUES = {
    "en": ["no", "No", "possible", "Possible", "not", "without", "no evidence of", "probable",
           "history of", "at", "and", "with", "left", "right", "mild", "severe", "the"],
    "nl": ["geen", "Geen", "mogelijk", "Mogelijk", "niet", "zonder", "waarschijnlijk",
           "status na", "op", "niveau", "en", "met", "links", "rechts", "lichte", "ernstige",
           "de"],
}
HEADINGS = {
    "en": ["FINDINGS:", "IMPRESSION:", "Conclusion:", "CLINICAL HISTORY:", "L4-L5:"],
    "nl": ["Verslag:", "Conclusie:", "Bevindingen:", "Klinische gegevens:", "L4-L5:"],
}
PUNCTUATION = [".", ",", ":", ";", "-", "(", ")", "/", "?", "*", "1."]
ARBITRARY = settings(max_examples=300, deadline=None)
REPORTS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@lru_cache(maxsize=None)
def literals(lang: str) -> list:
    rules = json.loads(lexicon_path(lang, "findings.json").read_text(encoding="utf-8"))
    return sorted({rule["literal"] for rule in rules["target_rules"]})


@lru_cache(maxsize=None)
def fresh_pipeline(lang: str):
    """A new pipeline, not the shared cached one."""
    return nlp.build(lang)


@pytest.fixture(scope="module", autouse=True)
def pipelines(nlp_en, nlp_nl):
    return nlp_en, nlp_nl


def assert_offsets(report: Report) -> None:
    for f in report.findings:
        assert report.text[f.start:f.end] == f.text, f


def what(report: Report) -> list:
    """What the report says, without where: (concept, negated, uncertain, levels)."""
    return [(f.concept, f.negated, f.uncertain, tuple(f.levels)) for f in report.findings]


def check(text: str, lang) -> Report:
    """Analyse twice; the result is the same and its offsets are true."""
    report = analyse(text, lang=lang)
    assert report.text == text
    assert_offsets(report)
    assert analyse(text, lang=lang).to_dict() == report.to_dict()
    return report


# ------------------------------------------------------------------------- strategies ----

langs = st.sampled_from([None, "en", "nl"])
controls = st.characters(categories=["Cc", "Cf", "Zs", "Zl", "Zp"])


def line(lang: str):
    word = st.one_of(
        st.sampled_from(literals(lang)),
        st.sampled_from(literals(lang)).map(str.upper),
        st.sampled_from(LEVELS),
        st.sampled_from(CUES[lang]),
        st.sampled_from(PUNCTUATION),
    )
    words = st.lists(word, min_size=1, max_size=9).map(" ".join)
    ending = st.sampled_from(["", ".", ".", ",", ":", " ;"])
    return st.one_of(
        st.tuples(words, ending).map("".join),
        st.sampled_from(HEADINGS[lang]),
    )


def paragraphs(lang: str):
    """A report as paragraphs of lines (no blank lines inside a paragraph)."""
    return st.lists(st.lists(line(lang), min_size=1, max_size=4), min_size=1, max_size=4)


def layout(paras, *, newline: str = "\n", gap: int = 1, edge: int = 0, blank: str = "") -> str:
    """Lines joined by ``newline``; paragraphs separated by ``gap`` blank lines, each blank
    line holding ``blank`` (spaces or tabs); ``edge`` blank lines before and after."""
    body = (newline + (blank + newline) * gap).join(newline.join(p) for p in paras)
    return (newline * edge) + body + newline + (newline * edge)


# --------------------------------------------------------------------- arbitrary text ----


@ARBITRARY
@given(st.text(), langs)
def test_arbitrary_text(text, lang):
    check(text, lang)


@ARBITRARY
@given(st.text(max_size=4), langs)
def test_short_text(text, lang):
    report = check(text, lang)
    assert len(report.findings) <= 1


@ARBITRARY
@given(
    st.lists(
        st.one_of(controls, st.sampled_from(["disc", "bulge", "L4-L5", "no", "geen", "hernia", " "])),
        max_size=40,
    ).map("".join),
    langs,
)
def test_text_full_of_control_and_invisible_characters(text, lang):
    check(text, lang)


# ---------------------------------------------------------------- report-like text ----


@pytest.mark.parametrize("lang", LANGS)
def test_report_like_text_is_deterministic_and_offsets_true(lang):
    fresh = fresh_pipeline(lang)

    @REPORTS
    @given(paragraphs(lang))
    def run(paras):
        text = layout(paras)
        report = check(text, lang)
        assert Report.from_doc(fresh(text)).to_dict() == report.to_dict()
        auto = check(text, None)
        assert auto.language in LANGS

    run()


@pytest.mark.parametrize("lang", LANGS)
def test_same_findings_in_another_layout(lang):
    @REPORTS
    @given(
        paragraphs(lang),
        st.integers(min_value=2, max_value=4),
        st.integers(min_value=0, max_value=3),
        st.sampled_from(["", " ", "\t", "  \t "]),
    )
    def run(paras, gap, edge, blank):
        base = what(check(layout(paras), lang))
        more_blank_lines = layout(paras, gap=gap, edge=edge, blank=blank)
        windows = layout(paras, newline="\r\n")
        both = layout(paras, newline="\r\n", gap=gap, edge=edge, blank=blank)
        assert what(check(more_blank_lines, lang)) == base, "extra blank lines"
        assert what(check(windows, lang)) == base, "Windows line ends"
        assert what(check(both, lang)) == base, "both"

    run()


LAYOUTS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
INVISIBLE = ["\u200b", "\u00ad", "\u200e", "\u200f", "\u2060", "\ufeff", "\u202a", "\u2066"]


@pytest.mark.parametrize("lang", LANGS)
def test_same_findings_with_invisible_characters_and_other_spaces(lang):
    @LAYOUTS
    @given(paragraphs(lang), st.lists(st.tuples(st.integers(min_value=0), st.sampled_from(INVISIBLE)), max_size=8),
           # One space for one: a doubled space also widens every line, which the line-join
           # rule reads as another layout (tests/regression/test_layout_invariance.py).
           st.sampled_from(["\u00a0", "\u2009", "\u202f", "\t"]))
    def run(paras, marks, space):
        text = layout(paras)
        base = what(check(text, lang))
        chars = list(text)
        for position, mark in sorted(marks, reverse=True):
            chars.insert(position % (len(chars) + 1), mark)
        assert what(check("".join(chars), lang)) == base, "invisible characters"
        assert what(check(text.replace(" ", space), lang)) == base, "other spaces"

    run()


def sentences(lang: str):
    """Sentences of lower-case words from the lexicons, each ending in a full stop. (A
    capitalised word at the start of a line after a line without one is read as a new
    sentence, by design.)"""
    word = st.one_of(
        st.sampled_from(literals(lang)),
        st.sampled_from([lv for lv in LEVELS if " " not in lv]),
        st.sampled_from([c for c in CUES[lang] if c.islower()]),
    )
    sentence = st.lists(word, min_size=1, max_size=10).map(lambda words: " ".join(words) + ".")
    return st.lists(sentence, min_size=1, max_size=6).map(" ".join)


@pytest.mark.parametrize("lang", LANGS)
def test_same_findings_when_a_paragraph_is_wrapped(lang):
    @LAYOUTS
    @given(sentences(lang), st.integers(min_value=30, max_value=100))
    def run(paragraph, width):
        base = what(check(paragraph, lang))
        wrapped = "\n".join(textwrap.wrap(paragraph, width, break_on_hyphens=False, break_long_words=False))
        # Lines this short are not taken for wrapped text (a list of short lines).
        assume(max(map(len, wrapped.split("\n"))) >= MIN_WRAP_WIDTH)
        assert what(check(wrapped, lang)) == base, wrapped
        assert what(check(wrapped.replace("\n", "\r\n"), lang)) == base, "wrapped, Windows line ends"

    run()
