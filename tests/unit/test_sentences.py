"""Tests for nlp/pipeline/sentences.py: sentence boundaries for report layout."""
from __future__ import annotations

import pytest

from nlp.pipeline import sentences  # noqa: F401  (registers spine_sentences)
from nlp.pipeline.sentences import sentence_starts
from nlp.pipeline.tokenizer import blank

_PIPELINES: dict = {}


def _nlp(lang: str):
    # spacy.blank("nl") takes seconds (lookup tables): build each language once.
    if lang not in _PIPELINES:
        nlp = blank(lang)
        nlp.add_pipe("spine_sentences")
        _PIPELINES[lang] = nlp
    return _PIPELINES[lang]


def _sents(lang: str, text: str):
    return [s.text.strip() for s in _nlp(lang)(text).sents]


@pytest.mark.parametrize(
    "lang,text,expected",
    [
        ("en", "FINDINGS: There is a disc bulge at L4-L5.", ["FINDINGS:", "There is a disc bulge at L4-L5."]),
        ("en", "Impression: No canal stenosis.", ["Impression:", "No canal stenosis."]),
        ("nl", "BEVINDINGEN: Er is een protrusie L4-L5.", ["BEVINDINGEN:", "Er is een protrusie L4-L5."]),
        ("nl", "Klinische gegevens: rugpijn links.", ["Klinische gegevens:", "rugpijn links."]),
    ],
)
def test_sentences_heading_with_colon_is_its_own_sentence(lang, text, expected):
    assert _sents(lang, text) == expected


@pytest.mark.parametrize(
    "lang,text",
    [
        ("en", "L4-L5: protrusion with mild canal stenosis."),
        ("en", "L5/S1: There is a left paracentral protrusion."),
        ("en", "Th12-L1: normal disc."),
        ("nl", "L4-L5: protrusie met lichte kanaalstenose."),
        ("nl", "Niveau L5-S1: protrusie links."),
    ],
)
def test_sentences_level_heading_stays_with_its_finding(lang, text):
    # The finding after "L4-L5:" must stay in the level's sentence, or it loses its level.
    assert _sents(lang, text) == [text]


def test_sentences_long_lead_in_before_a_colon_is_not_a_heading():
    text = "There is a disc protrusion at the following level: L4-L5."
    assert _sents("en", text) == [text]


@pytest.mark.parametrize(
    "lang,text,expected",
    [
        (
            "en",
            "IMPRESSION:\n1. Disc protrusion at L4-L5.\n2. No canal stenosis.",
            ["IMPRESSION:", "1. Disc protrusion at L4-L5.", "2. No canal stenosis."],
        ),
        (
            "en",
            "IMPRESSION:\n1. Disc protrusion at L4-L5\n2. No canal stenosis",
            ["IMPRESSION:", "1. Disc protrusion at L4-L5", "2. No canal stenosis"],
        ),
        (
            "nl",
            "Conclusie:\n1. Discushernia L5-S1 links.\n2. Geen kanaalstenose.",
            ["Conclusie:", "1. Discushernia L5-S1 links.", "2. Geen kanaalstenose."],
        ),
    ],
)
def test_sentences_numbered_conclusions(lang, text, expected):
    # The list number's full stop belongs to the number, not a sentence end.
    assert _sents(lang, text) == expected


@pytest.mark.parametrize(
    "lang,text,expected",
    [
        ("en", "Normal alignment\nNo spondylolisthesis\nConus normal", ["Normal alignment", "No spondylolisthesis", "Conus normal"]),
        ("nl", "Normale stand\nGeen spondylolisthesis\nConus normaal", ["Normale stand", "Geen spondylolisthesis", "Conus normaal"]),
        ("en", "- Disc bulge at L4-L5\n- No canal stenosis", ["- Disc bulge at L4-L5", "- No canal stenosis"]),
        # a short line is a line of its own, even when the next starts in lower case
        ("nl", "geen spondylolisthesis\nnormale conus", ["geen spondylolisthesis", "normale conus"]),
    ],
)
def test_sentences_lines_without_full_stop_are_separate(lang, text, expected):
    # "No spondylolisthesis" on its own line must not negate the next line's findings.
    assert _sents(lang, text) == expected


@pytest.mark.parametrize(
    "lang,text",
    [
        ("en", "There is a broad-based disc protrusion at L4-L5 which contacts the\ntraversing left L5 nerve root."),
        ("en", "There is a broad-based disc protrusion at L4-L5 with mild narrowing\nof both neural foramina."),
        (
            "en",
            "Mild disc bulge at L4-L5 causing mild narrowing of the left neural foramen without\n"
            "compression of the exiting left L4 nerve root.",
        ),
        ("nl", "Er is een brede discusprotrusie op niveau L4-L5 die contact maakt met de\ntraverserende L5-wortel links."),
    ],
)
def test_sentences_wrapped_line_continues(lang, text):
    # The wrap is a space in the reading text the pipeline analyses (nlp/pipeline/layout.py).
    assert _sents(lang, text) == [text.replace("\n", " ")]


def test_sentences_long_line_followed_by_a_capitalised_line_is_split():
    text = "There is a broad-based disc protrusion at L4-L5 without canal stenosis\nNo foraminal narrowing."
    assert _sents("en", text) == [
        "There is a broad-based disc protrusion at L4-L5 without canal stenosis",
        "No foraminal narrowing.",
    ]


def test_sentences_blank_line_always_ends_a_sentence():
    text = "There is a broad-based disc protrusion at L4-L5 which contacts the\n\ntraversing left L5 nerve root."
    assert len(_sents("en", text)) == 2


@pytest.mark.parametrize(
    "lang,text,expected",
    [
        ("en", "Mild canal stenosis.There is a bulge at L3-L4.", ["Mild canal stenosis.", "There is a bulge at L3-L4."]),
        ("nl", "Lichte kanaalstenose.Er is een bulging L3-L4.", ["Lichte kanaalstenose.", "Er is een bulging L3-L4."]),
        ("en", "Disc bulge L3-L4.L4-L5 protrusion.", ["Disc bulge L3-L4.", "L4-L5 protrusion."]),
        ("nl", "Discusbulging L3-L4.L4-L5 protrusie.", ["Discusbulging L3-L4.", "L4-L5 protrusie."]),
    ],
)
def test_sentences_dictation_without_spaces(lang, text, expected):
    assert _sents(lang, text) == expected


@pytest.mark.parametrize(
    "lang,text,expected",
    [
        ("en", "Disc bulge at L3-L4; no canal stenosis.", ["Disc bulge at L3-L4;", "no canal stenosis."]),
        ("nl", "Discusbulging L3-L4; geen kanaalstenose.", ["Discusbulging L3-L4;", "geen kanaalstenose."]),
    ],
)
def test_sentences_semicolon_ends_a_sentence(lang, text, expected):
    # "no canal stenosis" after the semicolon must not be in the bulge's sentence.
    assert _sents(lang, text) == expected


@pytest.mark.parametrize(
    "text",
    ["The conus ends at L1. Alignment is normal.", "Disc height is 3.5 mm at L4-L5. No stenosis."],
)
def test_sentences_ordinary_prose(text):
    assert len(_sents("en", text)) == 2


def test_sentences_sentence_starts_is_pure_and_matches_the_component():
    nlp = _nlp("en")
    text = "FINDINGS:\nL4-L5: bulge.\nNo stenosis"
    doc = nlp.make_doc(text)
    starts = sentence_starts(doc)
    assert not any(t.is_sent_start for t in doc[1:])  # not set by sentence_starts
    assert [doc[i].text for i in sorted(starts)] == ["FINDINGS", "L4-L5", "No"]
    assert {s.start for s in nlp(text).sents} == starts


def test_sentences_empty_and_whitespace_only_docs():
    assert _sents("en", "") == []
    assert len(list(_nlp("en")("\n\n  \n").sents)) == 1


@pytest.mark.parametrize("text, lang, concept", [
    ("No fracture. mild disc bulge at L4-L5.", "en", "disc_bulge"),
    ("no cord compression. broad-based disc protrusion at C5-C6.", "en", "disc_protrusion"),
    ("Geen fractuur. lichte discusbulging L4-L5.", "nl", "disc_bulge"),
])
def test_a_full_stop_ends_the_negation_before_a_word_in_lower_case(text, lang, concept):
    import nlp

    (finding,) = [f for f in nlp.analyse(text, lang=lang).findings if f.concept == concept]
    assert not finding.negated


@pytest.mark.parametrize("text, lang", [
    ("Differential diagnosis: metastasis or schwannoma.", "en"),
    ("DDx: discitis versus Modic type 1.", "en"),
    ("DD: lymfoom of metastase.", "nl"),
    ("Conclusie: DD: metastase L2.", "nl"),
])
def test_a_hedging_heading_reaches_the_findings_after_it(text, lang):
    """'DD:' is no sentence of its own (run_on_headings in lexicons/<lang>/layout.json): the
    findings of a differential diagnosis are possible, never certain."""
    import nlp

    findings = nlp.analyse(text, lang=lang).findings
    red_flags = [f for f in findings if f.concept in ("tumour", "infection")]
    assert red_flags and all(f.uncertain and not f.negated for f in red_flags)


def test_an_ordinary_heading_still_ends_its_sentence():
    import nlp

    (finding,) = nlp.analyse("No change. FINDINGS: Disc protrusion at L4-L5.", lang="en").findings
    assert not finding.negated and not finding.uncertain


@pytest.mark.parametrize("lang,text", [
    ("en", "No cord compression.. Mild disc bulge at C5-6."),
    ("en", "No cord compression... Mild disc bulge at C5-6."),
    ("en", "No fracture… Disc bulge at L4-L5."),
    ("nl", "Geen myelumcompressie.. Lichte bulging C5-C6."),
])
def test_a_double_full_stop_or_ellipsis_ends_the_negation(lang, text):
    import nlp

    findings = nlp.analyse(text, lang=lang).findings
    assert [f.negated for f in findings] == [True, False]
