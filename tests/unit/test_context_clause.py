"""A cue that looks back stops at the clause before it (nlp/pipeline/context.py, ClauseScope).

"Mild cord compression, myelopathy is not seen" once came out with the compression negated:
a post-position negation reached back over the comma into the clause before. Both engines
must keep the earlier clause affirmed, and still negate a list ("A, B or C is not seen").
"""
import pytest

import nlp

# (language, text, [(concept, negated), ...] in text order)
CASES = [
    ("en", "Mild cord compression, myelopathy is not seen.",
     [("spinal_cord_compression", False), ("spinal_cord_compression", True)]),
    ("en", "Disc protrusion at L4-L5, nerve root compression is not seen.",
     [("disc_protrusion", False), ("nerve_root_compression", True)]),
    ("en", "Severe canal stenosis, fracture is not identified.",
     [("spinal_canal_stenosis", False), ("vertebral_fracture", True)]),
    ("en", "Fracture, listhesis or mass lesion is not seen.",
     [("vertebral_fracture", True), ("spondylolisthesis", True), ("tumour", True)]),
    ("en", "Disc herniation, not seen.", [("disc_herniation", True)]),
    ("nl", "Lichte myelumcompressie, myelopathie wordt niet gezien.",
     [("spinal_cord_compression", False), ("spinal_cord_compression", True)]),
    ("nl", "Protrusie L4-L5, wortelcompressie wordt niet gezien.",
     [("disc_protrusion", False), ("nerve_root_compression", True)]),
    ("nl", "Fractuur, listhesis of tumor wordt niet gezien.",
     [("vertebral_fracture", True), ("spondylolisthesis", True), ("tumour", True)]),
]


@pytest.mark.parametrize("lang,text,expected", CASES)
def test_fast_engine_keeps_the_earlier_clause(lang, text, expected):
    report = nlp.analyse(text, lang=lang)
    assert [(f.concept, f.negated) for f in report.findings] == expected


@pytest.fixture(scope="module")
def medspacy_engines():
    return {lang: nlp.build(lang, engine="medspacy") for lang in ("en", "nl")}


@pytest.mark.parametrize("lang,text,expected", CASES)
def test_medspacy_engine_agrees(medspacy_engines, lang, text, expected):
    doc = medspacy_engines[lang](text)
    assert [(e.label_, bool(e._.negated)) for e in doc.ents] == expected


def test_the_clause_words_are_read_from_the_lexicon():
    from nlp.lexicon import backward_scope

    for lang in ("en", "nl"):
        scope = backward_scope(lang)
        assert "," in scope["breaks"] and scope["list_words"]


@pytest.mark.parametrize("lang, text, hedged, kept", [
    ("nl", "Discusextrusie L5-S1 met compressie van de S1-wortel re, een sequester is niet uit te sluiten.",
     "disc_sequestration", "nerve_root_compression"),
    ("nl", "Protrusie L4-L5 met compressie van de L5-wortel, een extrusie is niet uit te sluiten.",
     "disc_extrusion", "nerve_root_compression"),
])
def test_a_two_way_cue_after_a_comma_keeps_to_its_clause(lang, text, hedged, kept):
    """'..., een sequester is niet uit te sluiten' hedges the sequester, not the compression of
    the clause before the comma (the clause check now also guards cues that look both ways)."""
    found = {f.concept: f.uncertain for f in nlp.analyse(text, lang=lang).findings}
    assert found[hedged] is True and found[kept] is False
