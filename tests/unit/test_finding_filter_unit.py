"""nlp/pipeline/finding_filter.py on hand-made matches: exclusions, trimming, coordinated
findings, findings outside the spine, and the referrer's question (both languages).

``SpineFindingFilter.filter`` takes lower-cased words and (start, end, concept, rule)
matches, so each rule of the filter is tested apart from the finding rules that feed it.
"""
from types import SimpleNamespace

import pytest

from nlp.pipeline import load
from nlp.pipeline.finding_filter import SpineFindingFilter
from nlp.report import Report


@pytest.fixture(scope="module")
def en():
    return SpineFindingFilter("en")


@pytest.fixture(scope="module")
def nl():
    return SpineFindingFilter("nl")


def _rule(**metadata):
    return SimpleNamespace(metadata=metadata)


def _spans(matches):
    return [(start, end, concept) for start, end, concept, _ in matches]


def test_a_trailing_conjunction_is_trimmed(en):
    words = "canal stenosis and".split()
    assert _spans(en.filter(words, [(0, 3, "spinal_canal_stenosis", None)])) == [(0, 2, "spinal_canal_stenosis")]


def test_a_finding_keeps_its_last_word_even_if_it_is_a_trailing_word(en):
    # Never trimmed to nothing: at least one word stays.
    assert _spans(en.filter(["and"], [(0, 1, "disc_bulge", None)])) == [(0, 1, "disc_bulge")]


def test_starts_after_keeps_the_negation_outside_the_finding(en):
    words = "the canal is not stenotic".split()
    rule = _rule(starts_after=["is", "not"])
    assert _spans(en.filter(words, [(1, 5, "spinal_canal_stenosis", rule)])) == [(4, 5, "spinal_canal_stenosis")]


@pytest.mark.parametrize(
    "words,match,metadata",
    [
        ("mass effect on the sac".split(), (0, 1), {"not_followed_by": ["effect"]}),
        ("congenital narrowing of the canal".split(), (1, 2), {"not_preceded_by": ["congenital"]}),
        ("post-traumatic fracture".split(), (1, 2), {"not_preceded_by_pattern": "^post-"}),
    ],
)
def test_a_rule_excludes_its_match_by_the_words_around_it(en, words, match, metadata):
    matches = [(*match, "tumour", _rule(**metadata))]
    assert en.filter(words, matches) == []
    # The same words without the rule's exclusion: kept.
    assert _spans(en.filter(words, [(*match, "tumour", _rule())])) == [(*match, "tumour")]


def test_coordinated_english_stenoses_share_their_head(en):
    words = "no canal or foraminal stenosis".split()
    found = _spans(en.filter(words, [(3, 5, "foraminal_stenosis", None)]))
    assert found == [(1, 2, "spinal_canal_stenosis"), (3, 5, "foraminal_stenosis")]


def test_coordinated_dutch_stenoses_share_their_head(nl):
    words = ["geen", "kanaal-", "of", "foramenstenose"]
    found = _spans(nl.filter(words, [(3, 4, "foraminal_stenosis", None)]))
    assert found == [(1, 2, "spinal_canal_stenosis"), (3, 4, "foraminal_stenosis")]


def test_a_word_of_another_finding_is_not_taken_twice(en):
    words = "canal or foraminal stenosis".split()
    matches = [(0, 1, "tumour", None), (2, 4, "foraminal_stenosis", None)]
    assert _spans(en.filter(words, matches)) == [(0, 1, "tumour"), (2, 4, "foraminal_stenosis")]


def test_a_fracture_of_the_hip_is_outside_the_spine(en, nl):
    assert en.filter("fracture of the left hip".split(), [(0, 1, "vertebral_fracture", None)]) == []
    assert nl.filter("fractuur van de linker heup".split(), [(0, 1, "vertebral_fracture", None)]) == []
    # A level nearer than the organ keeps it in the spine.
    kept = en.filter("fracture of l1 and of the left hip".split(), [(0, 1, "vertebral_fracture", None)])
    assert _spans(kept) == [(0, 1, "vertebral_fracture")]


@pytest.mark.parametrize(
    "lang,text",
    [
        ("en", "Clinical question: disc herniation?\n\nFindings: no disc herniation."),
        ("nl", "Vraagstelling: hernia?\n\nVerslag: geen hernia."),
    ],
)
def test_the_referrers_question_is_no_finding(lang, text):
    doc = load(lang)(text)
    report = Report.from_doc(doc)
    # One finding, in the report's own words after the question, and negated there.
    assert [(f.concept, f.negated) for f in report.findings] == [("disc_herniation", True)]
    assert report.findings[0].start > text.index("\n\n")
    assert report.question
