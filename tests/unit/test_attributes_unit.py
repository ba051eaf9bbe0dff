"""nlp/pipeline/attributes.py: side and severity from the words near a finding, levels from
its sentence, in both languages. The words come from lexicons/<lang>/attributes.json."""
import pytest

from nlp.pipeline import load


def _attrs(lang, text):
    return [(ent.label_, ent._.side, ent._.severity, list(ent._.levels)) for ent in load(lang)(text).ents]


@pytest.mark.parametrize(
    "lang,text,expected",
    [
        ("en", "Severe left foraminal stenosis at L4-L5.", [("foraminal_stenosis", "left", "severe", ["L4-L5"])]),
        ("nl", "Ernstige linker foramenstenose L4-L5.", [("foraminal_stenosis", "left", "severe", ["L4-L5"])]),
        # After the finding, up to a clause break: "matig" after the comma is not its grade.
        ("en", "Foraminal stenosis at L5-S1 on the right.", [("foraminal_stenosis", "right", None, ["L5-S1"])]),
        ("nl", "Foramenstenose L5-S1 rechts, matig.", [("foraminal_stenosis", "right", None, ["L5-S1"])]),
        ("en", "Foraminal stenosis at L5-S1, moderate, on the right.", [("foraminal_stenosis", None, None, ["L5-S1"])]),
    ],
)
def test_side_severity_and_level_of_a_finding(lang, text, expected):
    assert _attrs(lang, text) == expected


@pytest.mark.parametrize(
    "lang,text",
    [("en", "Mild to moderate canal stenosis at L4-L5."), ("nl", "Lichte tot matige kanaalstenose L4-L5.")],
)
def test_of_two_grades_the_higher_is_reported(lang, text):
    assert [severity for _, _, severity, _ in _attrs(lang, text)] == ["moderate"]


@pytest.mark.parametrize(
    "lang,text",
    [
        # The side and grade of the first finding do not pass over the second finding.
        ("en", "Severe left foraminal stenosis and disc bulge at L4-L5."),
        ("nl", "Ernstige linker foramenstenose en discusbulging L4-L5."),
    ],
)
def test_words_before_one_finding_are_not_anothers(lang, text):
    first, second = _attrs(lang, text)
    assert first[1:3] == ("left", "severe")
    assert second[1:3] == (None, None)


@pytest.mark.parametrize(
    "lang,text",
    [
        # A new sentence starts a new clause: its side word is not the first finding's.
        ("en", "Disc bulge at L3-L4. Left-sided facet arthropathy at L4-L5."),
        ("nl", "Discusbulging L3-L4. Links facetartrose L4-L5."),
    ],
)
def test_side_does_not_cross_a_sentence(lang, text):
    first, second = _attrs(lang, text)
    assert first[1] is None and first[3] == ["L3-L4"]
    assert second[1] == "left" and second[3] == ["L4-L5"]


@pytest.mark.parametrize("lang,text", [("en", "Mild scoliosis at L2."), ("nl", "Lichte scoliose ter hoogte van L2.")])
def test_a_level_free_concept_gets_no_level(lang, text):
    assert _attrs(lang, text) == [("scoliosis", None, "mild", [])]


def test_a_word_with_a_side_prefix_gives_its_side():
    # Dutch writes a side onto the next word ("linksparamediane"): the prefixes in attributes.json.
    assert [side for _, side, _, _ in _attrs("nl", "Linksparamediane discusprotrusie L5-S1.")] == ["left"]
