"""Compression said with a pressing verb (issue 11: red flags in verb forms): "presses on",
"pushes against", "pressure on", "squeezes"; Dutch "drukt op", "duwt tegen", "druk op",
"die op de cauda drukt". Each names the structure pressed on, also when negated. Sentences
written for these tests."""
import pytest

import nlp


def found(text: str, lang: str):
    return [(f.concept, f.negated) for f in nlp.analyse(text, lang=lang).findings]


@pytest.mark.parametrize("lang, text, concept", [
    ("en", "The extrusion presses on the cauda equina at L4-L5.", "cauda_equina_compression"),
    ("en", "A sequestered fragment pressing on the cauda equina nerve roots.", "cauda_equina_compression"),
    ("en", "Pressure on the cauda equina by a large central herniation.", "cauda_equina_compression"),
    ("en", "The fragment squeezes the cauda equina.", "cauda_equina_compression"),
    ("en", "At C5-C6 the protrusion pushes against the spinal cord.", "spinal_cord_compression"),
    ("en", "Osteophytes pressing on the cord at C4-C5.", "spinal_cord_compression"),
    ("en", "The protrusion presses on the right S1 nerve root.", "nerve_root_compression"),
    ("en", "The bulge is pressing against the exiting L4 root.", "nerve_root_compression"),
    ("nl", "Een grote hernia drukt op de cauda equina.", "cauda_equina_compression"),
    ("nl", "Druk op de caudavezels op niveau L3-L4.", "cauda_equina_compression"),
    ("nl", "Hernia L4-L5 die op de cauda equina drukt.", "cauda_equina_compression"),
    ("nl", "De hernia duwt tegen het myelum op C5-C6.", "spinal_cord_compression"),
    ("nl", "De discus drukt op het ruggenmerg.", "spinal_cord_compression"),
    ("nl", "Hernia die op de L5-wortel drukt.", "nerve_root_compression"),
])
def test_pressing_verb_names_the_compressed_structure(lang, text, concept):
    assert (concept, False) in found(text, lang)


@pytest.mark.parametrize("lang, text, concept", [
    ("en", "No pressure on the cord.", "spinal_cord_compression"),
    ("en", "The disc does not press on the cauda equina.", "cauda_equina_compression"),
    ("nl", "Geen druk op het myelum.", "spinal_cord_compression"),
    ("nl", "De hernia drukt niet op de cauda equina.", "cauda_equina_compression"),
])
def test_negated_pressing_is_negated(lang, text, concept):
    assert (concept, True) in found(text, lang)
    assert (concept, False) not in found(text, lang)


@pytest.mark.parametrize("lang, text", [
    ("en", "Blood pressure was normal."),
    ("en", "Pressure."),
    ("nl", "De druk in de buik is normaal."),
])
def test_pressure_alone_is_no_compression(lang, text):
    assert not [c for c, _ in found(text, lang) if c.endswith("_compression")]
