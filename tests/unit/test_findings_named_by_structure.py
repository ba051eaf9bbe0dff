"""Unspecified degeneration takes the structure its sentence names (concepts.md: degenerative
changes are those not named as disc or facet), through the whole analyser. Sentences written
for these tests."""
import pytest

import nlp
from nlp.lexicon import LexiconError, coordination


def concepts(text: str, lang: str):
    return [f.concept for f in nlp.analyse(text, lang=lang).findings]


@pytest.mark.parametrize("lang, text, expected", [
    ("en", "Signs of degeneration and dehydration of the L3-L4 discs.", "disc_degeneration"),
    ("en", "All lumbar discs show loss of T2 signal, consistent with degeneration.", "disc_degeneration"),
    ("en", "The L5-S1 disc shows degenerative changes.", "disc_degeneration"),
    ("en", "Both facet joints at L4-L5 show degenerative change.", "facet_arthropathy"),
    ("nl", "De disci L4-L5 en L5-S1 tonen degeneratieve veranderingen.", "disc_degeneration"),
    ("nl", "De discus L4-L5 is gedegenereerd.", "disc_degeneration"),
    ("nl", "De facetgewrichten L4-L5 zijn gedegenereerd.", "facet_arthropathy"),
])
def test_named_structure_decides(lang, text, expected):
    found = concepts(text, lang)
    assert expected in found and "degenerative_changes" not in found


@pytest.mark.parametrize("lang, text", [
    ("en", "Degenerative changes of the lumbar spine."),
    ("en", "Multilevel degeneration with disc bulges at L3-L4 and L4-L5."),   # "disc" of the bulge
    ("en", "Degeneration with a bulging of the disc."),                         # another finding between
    ("en", "Normal disc height. Degenerative changes at L4-L5."),               # another sentence
    ("nl", "Degeneratieve veranderingen van de wervelkolom."),
    ("nl", "Degeneratie met een bulging van de discus L4-L5."),
])
def test_unspecified_stays_unspecified(lang, text):
    found = concepts(text, lang)
    assert "degenerative_changes" in found and "disc_degeneration" not in found


def test_structure_names_unknown_concept_refused(monkeypatch):
    import nlp.lexicon as lexicon

    real = lexicon.load_json

    def patched(lang, name):
        data = real(lang, name)
        if name == "coordination.json":
            data = {**data, "named_by_structure": {"concepts": {"degenerative_changes": {"disc": "disk_rot"}}}}
        return data

    monkeypatch.setattr(lexicon, "load_json", patched)
    coordination.cache_clear()
    try:
        with pytest.raises(LexiconError, match="disk_rot"):
            coordination("en")
    finally:
        coordination.cache_clear()
