"""Tests for nlp/inputs/language.py: Dutch or English from marker words."""
from __future__ import annotations

import pytest
import yaml

from nlp.inputs import language
from nlp.inputs.language import detect_language, language_scores, marker_words
from nlp.lexicon import LEXICON_DIR, LexiconError

NL_LONG = """MRI lumbale wervelkolom

Klinische gegevens: sinds 3 maanden lage rugpijn met uitstraling naar het linker been.

Bevindingen: normale stand van de lumbale wervelkolom. Geen fracturen. Discusdegeneratie
L4-L5 en L5-S1 met hoogteverlies. Op niveau L4-L5 een discushernia links paramediaan met
compressie van de L5 wortel links. Op niveau L5-S1 een lichte discusprotrusie zonder
wortelcompressie. Geen kanaalstenose. Conus medullaris op normale hoogte.

Conclusie: hernia nuclei pulposi L4-L5 links met compressie van de L5 wortel.
"""

EN_LONG = """MRI lumbar spine

Clinical history: low back pain radiating to the left leg for 3 months.

Findings: normal alignment of the lumbar spine. No fracture. Disc degeneration at L4-L5
and L5-S1 with loss of disc height. At L4-L5 there is a left paracentral disc extrusion
compressing the traversing left L5 nerve root. At L5-S1 a mild disc bulge without nerve
root compression. No spinal canal stenosis. The conus medullaris ends at a normal level.

Impression: L4-L5 herniation with compression of the left L5 nerve root.
"""


@pytest.mark.parametrize(
    "text",
    [
        "Discushernia L4-L5 links.",
        "Geen stenose.",
        "Hernia nuclei pulposi L5-S1 rechts met compressie van de S1 wortel",
        "Spondylolisthesis L5-S1 graad 1 met vernauwing van de foramina.",
        "Ligamentum flavum hypertrofie ter hoogte van L4-L5.",
        "Conclusie: geen afwijkingen.",
        "Lichte discusprotrusie L3-L4 zonder wortelcompressie.",
        "Status na laminectomie L4, geen recidief hernia.",
        NL_LONG,
        NL_LONG * 200,
    ],
    ids=lambda text: text[:40],
)
def test_language_dutch(text):
    assert detect_language(text) == "nl"


@pytest.mark.parametrize(
    "text",
    [
        "Disc bulge at L4-L5.",
        "No stenosis.",
        "Ligamentum flavum hypertrophy at L4-L5",
        "Spondylolisthesis of L5 on S1 with foraminal narrowing.",
        "Hernia nuclei pulposi at L5-S1 on the right.",
        "Impression: unremarkable examination.",
        "Mild disc protrusion L3-L4 without nerve root compression.",
        "Status post laminectomy L4, no recurrent herniation.",
        EN_LONG,
        EN_LONG * 200,
    ],
    ids=lambda text: text[:40],
)
def test_language_english(text):
    assert detect_language(text) == "en"


@pytest.mark.parametrize(
    "text",
    ["", "   \n", "L4-L5 L5-S1", "Hernia nuclei pulposi L5-S1.", "12 mm", "Spondylolisthesis"],
)
def test_language_no_evidence_is_english(text):
    assert detect_language(text) == "en"
    assert language_scores(text) == {"en": 0.0, "nl": 0.0}


def test_language_scores_are_shares():
    scores = language_scores("Discushernia L4-L5 links.")
    assert set(scores) == {"en", "nl"}
    assert scores["en"] == 0.0
    assert 0.0 < scores["nl"] <= 1.0


def test_language_scores_dutch_higher_for_dutch_text():
    scores = language_scores(NL_LONG)
    assert scores["nl"] > 0.2 > scores["en"]


def test_language_scores_low_for_other_languages():
    """German shares a few words with Dutch, but scores far below a Dutch report."""
    scores = language_scores("Bandscheibenvorfall im Segment LWK 4/5 mit Kompression der Wurzel.")
    assert max(scores.values()) < language_scores(NL_LONG)["nl"] / 2


def test_language_case_and_diacritics():
    assert detect_language("GEEN HERNIA. RECHTSZIJDIGE PROTRUSIE.") == "nl"
    assert detect_language("Geëxtrudeerde hernia op niveau L5-S1.") == "nl"


def test_language_latin_terms_decide_nothing():
    words = marker_words()
    for term in ("hernia", "nuclei", "pulposi", "ligamentum", "flavum", "spondylolisthesis",
                 "stenosis", "discus", "lumbalis", "l4", "l5", "s1"):
        assert term not in words["nl"] and term not in words["en"]


def test_language_lexicon_lists_disjoint():
    words = marker_words()
    assert words["nl"] and words["en"]
    assert not words["nl"] & words["en"]


@pytest.mark.parametrize(
    "lexicon, message",
    [
        ({"nl": ["de", "the"], "en": ["the"]}, "in both"),
        ({"nl": ["de"], "en": ["the", "hernia"], "neutral": ["hernia"]}, "neutral"),
        ({"nl": ["de"], "en": ["The"]}, "lower-case word"),
        ({"nl": ["ter hoogte"], "en": ["the"]}, "lower-case word"),
        ({"nl": ["de"]}, "non-empty list"),
        (["de", "the"], "mapping"),
    ],
)
def test_language_lexicon_errors(monkeypatch, lexicon, message):
    monkeypatch.setattr(language, "load_yaml", lambda name: lexicon)
    marker_words.cache_clear()
    try:
        with pytest.raises(LexiconError, match=message):
            marker_words()
    finally:
        marker_words.cache_clear()


def test_language_lexicon_file_is_plain_yaml():
    """YAML 1.1 reads bare no/on/off as booleans: every entry must stay a string."""
    data = yaml.safe_load((LEXICON_DIR / "language.yaml").read_text(encoding="utf-8"))
    for key in ("nl", "en", "neutral"):
        assert all(isinstance(word, str) for word in data[key])
