"""Generic statements (issue 11; spec: generic, teaching and hypothetical sentences are not
findings): teaching text about a disease in general, a term being defined, what a finding
could be mistaken for. The finding is kept but marked hypothetical, so it raises no urgency
and is not scored; the same finding stated of this patient stays affirmed. Sentences
written for these tests."""
import pytest

import nlp
from nlp.explain.urgency import report_urgency


def qualifiers(text: str, lang: str, concept: str):
    found = [f for f in nlp.analyse(text, lang=lang).findings if f.concept == concept]
    assert found, f"{concept} not found in {text!r}"
    return [(f.hypothetical, f.negated) for f in found]


@pytest.mark.parametrize("lang, text, concept", [
    ("en", "In rare cases a herniated disc can shift and cause the so-called cauda equina syndrome.",
     "cauda_equina_compression"),
    ("en", "In some cases the vertebral body collapses after a fracture.", "vertebral_fracture"),
    ("en", "Sacroiliitis in patients with psoriatic arthritis is often asymmetric.", "inflammatory_arthritis"),
    ("en", "Vertebral fractures are frequent in people with osteoporosis.", "vertebral_fracture"),
    ("en", "Without the T1 images this could be mistaken for an acute fracture.", "vertebral_fracture"),
    ("en", "The lesion is a haemangioma mimicking a metastasis.", "tumour"),
    ("nl", "In zeldzame gevallen kan een hernia een zogenaamd caudasyndroom geven.", "cauda_equina_compression"),
    ("nl", "Bij patiënten met osteoporose komen wervelfracturen vaak voor.", "vertebral_fracture"),
    ("nl", "Dit kan worden aangezien voor een verse fractuur.", "vertebral_fracture"),
    ("nl", "In sommige gevallen drukt een hernia op de cauda equina.", "cauda_equina_compression"),
    # what a disease usually or often looks like, in the present tense of a general truth
    ("en", "Whereas with ankylosing spondylitis it is usually symmetric.", "inflammatory_arthritis"),
    ("en", "Disc bulges are often asymptomatic.", "disc_bulge"),
    ("nl", "Bij de ziekte van Bechterew is het meestal symmetrisch.", "inflammatory_arthritis"),
    ("nl", "Discusprotrusies zijn vaak zonder klachten.", "disc_protrusion"),
])
def test_generic_statement_is_hypothetical(lang, text, concept):
    assert all(hypothetical for hypothetical, _ in qualifiers(text, lang, concept))


@pytest.mark.parametrize("lang, text, concept", [
    ("en", "Large extrusion at L5-S1 compressing the cauda equina.", "cauda_equina_compression"),
    ("en", "In this patient there is an acute fracture of L1.", "vertebral_fracture"),
    ("en", "In a patient with known cancer, a metastasis at L3 cannot be excluded.", "tumour"),
    ("nl", "Grote hernia L5-S1 met compressie van de cauda equina.", "cauda_equina_compression"),
    ("nl", "Bij een patiënt met bekende kanker is een metastase in L3 niet uitgesloten.", "tumour"),
    # likened to others, still this patient's finding
    ("en", "Mild disc bulges at L4-L5, as are often seen at this age.", "disc_bulge"),
    ("nl", "Lichte discusbulging L4-L5, zoals vaak op deze leeftijd.", "disc_bulge"),
])
def test_the_same_finding_stated_of_this_patient_is_not_hypothetical(lang, text, concept):
    assert not any(hypothetical for hypothetical, _ in qualifiers(text, lang, concept))


def test_teaching_text_raises_no_urgency():
    text = ("Small disc bulge at L4-L5. In rare cases a herniated disc can shift and cause the "
            "so-called cauda equina syndrome.")
    report = nlp.analyse(text, lang="en")
    assert report_urgency(report).tier != "today"
    stated = nlp.analyse("Small disc bulge at L4-L5 compressing the cauda equina.", lang="en")
    assert report_urgency(stated).tier == "today"


@pytest.mark.parametrize("sentence, target", [
    ("Dit kan zowel degeneratie als een trauma zijn.", "degeneratie"),
    ("De afwijking kan zowel een hemangioom als een metastase zijn.", "metastase"),
])
def test_kan_zowel_names_possibilities(sentence, target):
    assert nlp.context(sentence, target, lang="nl")["uncertain"]


@pytest.mark.parametrize("lang, text", [
    ("en", "Fracture of L1, indistinguishable from a metastasis."),
    ("en", "Fracture of L1, which cannot be distinguished from a metastasis."),
    ("en", "Fracture of L1, not distinguishable from metastasis."),
    ("nl", "Fractuur L1, niet te onderscheiden van een metastase."),
    ("nl", "Fractuur van L1, niet goed te onderscheiden van een metastase."),
])
def test_a_differential_hedges_the_other_and_negates_neither(lang, text):
    """"Not distinguishable from a metastasis": the metastasis is possible, the fracture stays
    present (the 'not' cue had negated the metastasis, the Dutch 'niet te zien' the fracture)."""
    found = {(f.concept, f.negated, f.uncertain) for f in nlp.analyse(text, lang=lang).findings}
    assert ("vertebral_fracture", False, False) in found
    assert ("tumour", False, True) in found
