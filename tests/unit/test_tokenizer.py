"""Tests for nlp/pipeline/tokenizer.py: level notation and dictation on a blank pipeline."""
from __future__ import annotations

import pytest
import spacy
from spacy.tokenizer import Tokenizer

from nlp.pipeline.levels import find_mentions
import nlp
from nlp.pipeline.tokenizer import blank
from nlp.pipeline.layout import original_of

LANGS = ["en", "nl"]


_TOKENIZERS = {}


def _tokenizer(lang):
    # spacy.blank("nl") takes seconds (lookup tables): build each language once.
    if lang not in _TOKENIZERS:
        _TOKENIZERS[lang] = blank(lang)
    return _TOKENIZERS[lang]


@pytest.fixture(params=LANGS)
def tokenizer(request):
    return _tokenizer(request.param)


@pytest.fixture()
def nl_tokenizer():
    return _tokenizer("nl")


def _texts(nlp, text):
    return [t.text for t in nlp(text)]


@pytest.mark.parametrize(
    "level", ["L4-L5", "L5/S1", "Th12-L1", "L4-5", "L4/5", "C5-C6", "C5/C6", "C5–C6", "T12-L1", "D12-L1"]
)
def test_tokenizer_keeps_level_notation_whole(tokenizer, level):
    # The reading text has a plain hyphen for the en dash (nlp/pipeline/layout.py).
    expected = level.replace("–", "-")
    assert _texts(tokenizer, f"Protrusion at {level} left.") == ["Protrusion", "at", expected, "left", "."]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("(L4-L5)", ["(", "L4-L5", ")"]),
        ("L4-L5:", ["L4-L5", ":"]),
        ("L5/S1,", ["L5/S1", ","]),
        ("Th12-L1.", ["Th12-L1", "."]),
    ],
)
def test_tokenizer_splits_punctuation_around_a_level(tokenizer, text, expected):
    assert _texts(tokenizer, text) == expected


def test_tokenizer_blank_pipeline_splits_levels_without_the_rules():
    # The reason for the component: the blank English tokenizer breaks the level apart.
    blank = spacy.blank("en")
    assert "L4-L5" not in _texts(blank, "Protrusion at L4-L5 left.")
    assert "L4-L5" in _texts(_tokenizer("en"), "Protrusion at L4-L5 left.")


@pytest.mark.parametrize(
    "text,first,second",
    [
        ("Mild canal stenosis.There is a bulge.", "stenosis", "There"),
        ("Geen kanaalstenose.Er is een bulging.", "kanaalstenose", "Er"),
    ],
)
def test_tokenizer_splits_dictation_glued_at_a_full_stop(tokenizer, text, first, second):
    words = _texts(tokenizer, text)
    i = words.index(first)
    assert words[i + 1:i + 3] == [".", second]


@pytest.mark.parametrize(
    "text,second",
    [("Protrusion at L4-L5.No stenosis.", "No"), ("Protrusie L4-L5.Geen stenose.", "Geen")],
)
def test_tokenizer_splits_dictation_glued_to_a_level(tokenizer, text, second):
    doc = tokenizer(text)
    words = [t.text for t in doc]
    dot = words.index(".")
    assert words[dot + 1] == second
    # the level before the full stop is still read as the L4-L5 disc
    assert [levels for start, _, levels in find_mentions(doc) if start < dot] == [["L4-L5"]]


def test_tokenizer_splits_two_levels_glued_at_a_full_stop(tokenizer):
    doc = tokenizer("Bulge at L5-S1.L3-4 normal.")
    words = [t.text for t in doc]
    assert "." in words
    dot = words.index(".")
    # Nothing on the left of the full stop belongs with the right, and both levels stay
    # readable: L5-S1 before the stop, the L3-L4 disc after it.
    assert all("." not in w for w in words[:dot])
    mentions = [(start < dot, levels) for start, end, levels in find_mentions(doc)]
    assert mentions == [(True, ["L5-S1"]), (False, ["L3-L4"])]


def test_tokenizer_dutch_splits_a_level_glued_to_the_root(nl_tokenizer):
    assert _texts(nl_tokenizer, "Compressie van de S1-wortel links.") == [
        "Compressie", "van", "de", "S1", "-", "wortel", "links", ".",
    ]


@pytest.mark.parametrize("text,level", [("L5-wortel", "L5"), ("L4-L5-niveau", "L4-L5"), ("Th12-wervel", "Th12")])
def test_tokenizer_dutch_splits_other_level_compounds(nl_tokenizer, text, level):
    words = _texts(nl_tokenizer, text)
    assert words[0] == level
    assert words[1] == "-"


@pytest.mark.parametrize("text", ["e.g. No", "Dr. Smith", "3.5 mm", "1.2 cm"])
def test_tokenizer_does_not_split_ordinary_full_stops_as_dictation(tokenizer, text):
    # Abbreviations and numbers keep their full stop.
    assert "." not in _texts(tokenizer, text)


WHITESPACE_TEXTS = [
    "Disc bulge.\nNo stenosis.",
    "FINDINGS:\n\n  Disc bulge at L4-L5.\n\n\nImpression:\tnormal",
    "Geen hernia.\r\nGeen stenose.\r\n",
    "Two  spaces,\tone tab\t\tand \n a line break with spaces around it \n",
    "\n\nStarts and ends with blank lines\n\n",
    "Non-breaking\u00a0space and a literal \\n and \\t in dictation",
    " \t \n ",
]


_WITH_EXCEPTIONS = {}


def _with_whitespace_exceptions(lang):
    if lang not in _WITH_EXCEPTIONS:
        nlp = blank(lang)
        rules = dict(nlp.tokenizer.rules)
        rules.update({w: [{65: w}] for w in (" ", "\t", "\n")})  # 65: ORTH
        nlp.tokenizer.rules = rules
        _WITH_EXCEPTIONS[lang] = nlp
    return _WITH_EXCEPTIONS[lang]


@pytest.mark.parametrize("text", WHITESPACE_TEXTS)
def test_tokenizer_without_whitespace_exceptions_gives_the_same_tokens(tokenizer, text):
    # The analyser's tokenizer drops the exceptions for " ", "\t" and "\n" (they stop spaCy's
    # word cache); with them put back, every token and its trailing space must be the same.
    # Tokenized as given (spaCy's Tokenizer.__call__, without the reading text of
    # nlp/pipeline/layout.py, which would collapse most of this whitespace first) and as read.
    with_exceptions = _with_whitespace_exceptions(tokenizer.lang)
    assert {" ", "\t", "\n"} & set(tokenizer.tokenizer.rules) == set()
    for tokenize in (Tokenizer.__call__, lambda tok, t: tok(t)):
        ours, theirs = tokenize(tokenizer.tokenizer, text), tokenize(with_exceptions.tokenizer, text)
        assert [(t.text, t.whitespace_) for t in ours] == [(t.text, t.whitespace_) for t in theirs]
    assert Tokenizer.__call__(tokenizer.tokenizer, text).text == text
    assert original_of(tokenizer(text))[0] == text


def test_tokenizer_empties_its_word_cache_after_a_bound_and_tokenizes_the_same(monkeypatch):
    import nlp.pipeline.tokenizer as module

    monkeypatch.setattr(module, "FLUSH_CACHE_AFTER_TOKENS", 10)
    tokenizer = blank("en").tokenizer
    assert isinstance(tokenizer, module.SpineTokenizer)
    text = "Disc bulge at L4-L5.\nNo canal stenosis (mild)."
    first = [(t.text, t.whitespace_) for t in tokenizer(text)]
    counts = []
    for _ in range(5):
        assert [(t.text, t.whitespace_) for t in tokenizer(text)] == first
        counts.append(tokenizer.tokens_since_flush)
    # 14 tokens a text: every call passes the bound of 10 and empties the cache.
    assert len(first) > 10 and counts == [0] * 5
    monkeypatch.setattr(module, "FLUSH_CACHE_AFTER_TOKENS", 1000)
    tokenizer(text)
    tokenizer(text)
    assert tokenizer.tokens_since_flush == 2 * len(first)


@pytest.mark.parametrize("run", ["+" * 1000, "=" * 300 + "-" * 300, "x" * 5000])
def test_a_run_longer_than_any_word_is_tokenized_in_pieces(run):
    """spaCy splits a chunk's affixes one at a time, quadratic in its length; a run of 256 or
    more non-space characters is cut into pieces of at most 64 (nlp/pipeline/tokenizer.py)."""
    import nlp

    text = "No fracture. " + run + " Disc protrusion at L4-L5."
    doc = nlp.load("en").make_doc(text)
    assert doc.text == text
    assert max(len(token.text) for token in doc) <= 64
    found = {(f.concept, f.negated) for f in nlp.analyse(text, lang="en").findings}
    assert ("vertebral_fracture", True) in found and any(c == "disc_protrusion" for c, _ in found)


@pytest.mark.parametrize("lang,text,expected", [
    # A slash between or after words joins two findings ("a/ b" of issue 11); levels stay whole.
    ("nl", "Geen HNP/wortelcompressie.", [("disc_herniation", True), ("nerve_root_compression", True)]),
    ("nl", "Geen HNP/ wortelcompressie.", [("disc_herniation", True), ("nerve_root_compression", True)]),
    ("nl", "Discusprotrusie/ extrusie L5-S1.", [("disc_protrusion", False), ("disc_extrusion", False)]),
    ("en", "No herniation/ nerve root compression.", [("disc_herniation", True), ("nerve_root_compression", True)]),
])
def test_a_slash_after_a_word_separates_two_findings(lang, text, expected):
    import nlp

    assert [(f.concept, f.negated) for f in nlp.analyse(text, lang=lang).findings] == expected


def test_a_level_with_a_slash_stays_one_token():
    tokens = [t.text for t in blank("nl")("L5/S1 en/of HNP/ wortel")]
    assert tokens == ["L5/S1", "en", "/", "of", "HNP", "/", "wortel"]


def test_dutch_abbreviations_are_no_sentence_end():
    import nlp

    text = "Discusprotrusie t.h.v. L4-L5 en niv. L5-S1."
    assert [(f.concept, f.levels) for f in nlp.analyse(text, lang="nl").findings] == [
        ("disc_protrusion", ["L4-L5", "L5-S1"])]
    assert "t.h.v." in [t.text for t in blank("nl")(text)]


@pytest.mark.parametrize("text, lang, concepts", [
    ("ernstige kanaalstenose.protrusie L4-L5", "nl", {("spinal_canal_stenosis", False), ("disc_protrusion", False)}),
    ("severe stenosis.protrusion at L4-L5", "en", {("spinal_canal_stenosis", False), ("disc_protrusion", False)}),
    ("Disc bulge at L4-L5.no stenosis", "en", {("disc_bulge", False), ("spinal_canal_stenosis", True)}),
    ("Hernia L5-S1.geen wortelcompressie", "nl", {("disc_herniation", False), ("nerve_root_compression", True)}),
])
def test_a_missing_space_after_a_full_stop_in_lower_case_ends_the_sentence(text, lang, concepts):
    """spaCy's URL rule kept "stenosis.protrusion" whole as a domain name: both findings were
    lost, and "L4-L5.no stenosis" affirmed the stenosis."""
    found = {(f.concept, f.negated) for f in nlp.analyse(text, lang=lang).findings}
    assert found == concepts


@pytest.mark.parametrize("address", ["www.radiologie.nl", "https://example.org/a.b", "a.b@example.nl"])
def test_web_and_mail_addresses_stay_whole(address):
    assert [t.text for t in nlp.load("en").make_doc(f"see {address} today")] == ["see", address, "today"]
