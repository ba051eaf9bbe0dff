"""At most seven specific questions, the rest optional, and the 3 questions (issue 12,
defect 8).

Old code: a typical report gave about 41 questions, several "is this usual for my age?"
(which the page answers with the figure) and pronoun-only ones ("Is it pressing on a
nerve?") that mean nothing on paper.
"""
from __future__ import annotations

import re

import pytest

from nlp.explain import MAX_SUGGESTED, explain_report, three_questions
from nlp.lexicon import LANGUAGES
from tests.unit.explain_helpers import at, report

TEXT = ("L3-L4: disc bulge. L4-L5: disc bulge, facet arthropathy and disc desiccation. "
        "L5-S1: right paracentral disc extrusion compressing the traversing right S1 nerve root, "
        "with an annular fissure and loss of disc height. Modic type 2 changes at L5-S1. "
        "Right foraminal narrowing at L5-S1.")


def typical(lang: str = "en", age: int | None = 45):
    """The report (written in English) explained in ``lang``."""
    return explain_report(report(TEXT, [
        at(TEXT, "disc bulge", "disc_bulge", levels=["L3-L4"]),
        at(TEXT, "facet arthropathy", "facet_arthropathy", levels=["L4-L5"]),
        at(TEXT, "disc desiccation", "disc_desiccation", levels=["L4-L5"]),
        at(TEXT, "disc extrusion", "disc_extrusion", levels=["L5-S1"], side="right"),
        at(TEXT, "compressing the traversing right S1 nerve root", "nerve_root_compression",
           levels=["L5-S1"], side="right"),
        at(TEXT, "annular fissure", "annular_fissure", levels=["L5-S1"]),
        at(TEXT, "loss of disc height", "disc_height_loss", levels=["L5-S1"]),
        at(TEXT, "Modic type 2 changes", "modic_change", levels=["L5-S1"]),
        at(TEXT, "foraminal narrowing", "foraminal_stenosis", levels=["L5-S1"], side="right"),
    ], age=age, regions=["lumbar"]), lang=lang)


def words(question: str) -> set[str]:
    return set(re.findall(r"\w+", question.split(": ", 1)[-1].lower()))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_at_most_seven_suggested_and_the_rest_optional(lang):
    result = typical(lang)
    assert 0 < len(result.suggested) <= MAX_SUGGESTED == 7
    assert result.optional
    assert not set(result.suggested) & set(result.optional)
    assert result.questions == result.suggested + result.optional


@pytest.mark.parametrize("lang, words_", [
    ("en", ["right", "L5-S1", "S1 nerve root"]), ("nl", ["rechts", "L5-S1", "S1-zenuwwortel"]),
])
def test_suggested_questions_name_level_side_and_root(lang, words_):
    first = typical(lang).suggested[0]
    for word in words_:
        assert word in first


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_near_duplicates(lang):
    result = typical(lang)
    bags = [words(q) for q in result.questions]
    for i, a in enumerate(bags):
        for b in bags[i + 1:]:
            assert len(a & b) / len(a | b) < 0.6


@pytest.mark.parametrize("lang, pronoun", [
    ("en", r"^(Is|Does|Could|Can|Will) (it|this|they)\b"),
    ("nl", r"^(Is|Kan|Drukt|Moet|Heeft|Wordt) (het|hij|dit|ze)\b"),
])
def test_no_pronoun_only_question_on_paper(lang, pronoun):
    for question in typical(lang).questions:
        assert not re.search(pronoun, question), question   # a finding's own question is labelled


@pytest.mark.parametrize("lang, age_word", [("en", "my age"), ("nl", "mijn leeftijd")])
def test_no_age_question_when_the_page_shows_the_figure_for_the_age(lang, age_word):
    with_age = typical(lang, age=45)
    assert any(i.prevalence and i.prevalence.age == 45 for i in with_age.all_findings())
    assert not any(age_word in q for q in with_age.questions)
    without_age = typical(lang, age=None)
    assert any(age_word in q for q in without_age.questions)


def test_the_three_questions_in_dutch_and_english():
    nl = three_questions("nl")
    assert nl.title == "3 goede vragen"
    assert nl.questions == ["Wat zijn mijn mogelijkheden?",
                            "Wat zijn de voordelen en nadelen van die mogelijkheden?",
                            "Wat betekent dat in mijn situatie?"]
    assert "Patiëntenfederatie" in nl.source and "Federatie Medisch Specialisten" in nl.source
    en = three_questions("en")
    assert en.questions[0] == "What are my options?" and "Ask 3 Questions" in en.source
    assert typical("nl").three_questions == nl


def test_a_repeated_finding_is_asked_about_once_with_its_side():
    text = "L5-S1: disc extrusion. Conclusion: left disc extrusion at L5-S1."
    result = explain_report(report(text, [
        at(text, "disc extrusion", "disc_extrusion", levels=["L5-S1"]),
        at(text, "left disc extrusion", "disc_extrusion", levels=["L5-S1"], side="left"),
    ]))
    about = [q for q in result.questions if "extrusion" in q and ":" not in q]
    assert about == ["Does the disc extrusion on the left at L5-S1 fit with where I feel my complaints?"]
    shown = [i for g in result.unique_groups() for i in g.findings]
    assert [(i.concept, i.side_label) for i in shown] == [("disc_extrusion", "left")]
