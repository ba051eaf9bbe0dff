"""Dutch ConText rules (lexicons/nl/context.json): negation and its scope, hedges that are not
negations, differential diagnoses, history and what is new.

Sentences written for this test; via ``nlp.context`` (any target) and ``nlp.analyse``
(catalogue findings, with their own spans).
"""
from __future__ import annotations

from typing import Dict

import pytest

import nlp
from tests.fixtures import finding_states, qualifier_state


def _state(result: Dict[str, bool]) -> str:
    return qualifier_state(result)


def _analysed(text: str) -> Dict[str, str]:
    return finding_states(text, "nl")


# A negation cue at the start of a document, a line or after a heading, in any case, also
# before a finding that starts with a descriptive adjective ("acute wervelfractuur").
@pytest.mark.parametrize(
    "text",
    [
        "Geen acute wervelfractuur.",
        "GEEN acute wervelfractuur.",
        "Zonder acute wervelfractuur.",
        "Er is geen acute wervelfractuur.",
        "Conclusie: Geen acute wervelfractuur.",
        "Conclusie:\nGeen acute wervelfractuur.",
        "Discusprotrusie L4-L5.\nGeen nieuwe wervelfractuur.",
    ],
)
def test_leading_negation_negates(text):
    assert _analysed(text)["vertebral_fracture"] == "negated"


@pytest.mark.parametrize(
    "sentence, target",
    [
        ("Geen duidelijke wortelcompressie.", "wortelcompressie"),
        ("Zonder tekenen van wortelcompressie.", "wortelcompressie"),
        ("Een fractuur is uitgesloten.", "fractuur"),
        ("Een hernia is afwezig.", "hernia"),
        ("Een fractuur is niet aangetoond.", "fractuur"),
        ("Het kanaal wordt niet vernauwd.", "vernauwd"),
        ("Geen hernia of kanaalstenose.", "kanaalstenose"),
        # The cue does not swallow a descriptive adjective of the finding.
        ("Geen acute wervelfractuur.", "acute wervelfractuur"),
        ("Geen nieuwe hernia.", "nieuwe hernia"),
        # Verb-final "niet" negates the verb before it.
        ("De protrusie comprimeert de wortel niet.", "comprimeert de wortel"),
    ],
)
def test_negated(sentence, target):
    assert _state(nlp.context(sentence, target, lang="nl")) == "negated"


# Hedges are uncertain, never negated: before and after the finding.
@pytest.mark.parametrize(
    "sentence, target",
    [
        ("Een metastase is onwaarschijnlijk.", "metastase"),
        ("Onwaarschijnlijk een metastase.", "metastase"),
        ("Een schwannoom is minder waarschijnlijk.", "schwannoom"),
        ("Een metastase lijkt niet waarschijnlijk.", "metastase"),
        ("Wortelcompressie is mogelijk.", "Wortelcompressie"),
        ("Differentiaal diagnostisch een schwannoom.", "schwannoom"),
        ("Differentiaaldiagnose lymfoom of metastase.", "metastase"),
        ("DD lymfoom.", "lymfoom"),
        ("dd metastase.", "metastase"),
        ("Hoewel niet definitief, past het beeld bij een stenose.", "stenose"),
    ],
)
def test_hedge_is_uncertain_not_negated(sentence, target):
    assert _state(nlp.context(sentence, target, lang="nl")) == "uncertain"


def test_hedge_after_the_finding_ends_its_clause():
    """'compressie is waarschijnlijk.' hedges the compression; 'de fractuur is waarschijnlijk
    osteoporotisch' is sure of the fracture, unsure of its cause."""
    assert _state(nlp.context("Wortelcompressie is waarschijnlijk.", "Wortelcompressie", lang="nl")) == "uncertain"
    assert _state(nlp.context("De fractuur L1 is waarschijnlijk osteoporotisch.", "fractuur", lang="nl")) == "affirmed"
    assert _state(nlp.context("De fractuur L1 is onwaarschijnlijk pathologisch.", "fractuur", lang="nl")) == "affirmed"


def test_place_and_examination_words_are_not_hedges():
    """'ter hoogte van' names a place; 'evaluatie van de wervelkolom toont X' states X;
    'ter uitsluiting van X' asks about X: the question, not a finding (hypothetical)."""
    text = "Intramedullair signaal ter hoogte van C5-C6, passend bij myelopathie."
    assert _state(nlp.context(text, "myelopathie", lang="nl")) == "affirmed"
    assert _state(nlp.context("Evaluatie van de wervelkolom toont een hernia.", "hernia", lang="nl")) == "affirmed"
    (asked,) = nlp.analyse("Ter uitsluiting van een fractuur.", lang="nl").findings
    assert asked.hypothetical and not asked.negated


def test_hedge_word_qualifies_its_noun_phrase():
    """'Mogelijk X ... met Y' far on: the hedge covers X (with its level), not Y."""
    text = "Mogelijk vocht in het linker facetgewricht op de staande opnamen met als gevolg een lichte vernauwing van het kanaal."
    assert _state(nlp.context(text, "vocht", lang="nl")) == "uncertain"
    assert _state(nlp.context(text, "vernauwing van het kanaal", lang="nl")) == "affirmed"
    assert _state(nlp.context("Mogelijk kleine linker paramediane discusprotrusie L4-L5.", "discusprotrusie", lang="nl")) == "uncertain"


# Where a negation ends; verb-final "niet" negates the verb, not the nouns of the clause.
@pytest.mark.parametrize(
    "text, expected",
    [
        ("Geen kanaalstenose, wel een protrusie L4-L5.",
         {"spinal_canal_stenosis": "negated", "disc_protrusion": "affirmed"}),
        ("Geen kanaalstenose, maar een protrusie L4-L5.",
         {"spinal_canal_stenosis": "negated", "disc_protrusion": "affirmed"}),
        ("Geen kanaalstenose, en een protrusie L4-L5.",
         {"spinal_canal_stenosis": "negated", "disc_protrusion": "affirmed"}),
        ("Geen kanaalstenose en een kleine protrusie L4-L5.",
         {"spinal_canal_stenosis": "negated", "disc_protrusion": "affirmed"}),
        ("Geen hernia of kanaalstenose.",
         {"disc_herniation": "negated", "spinal_canal_stenosis": "negated"}),
        ("De protrusie comprimeert de wortel niet.",
         {"disc_protrusion": "affirmed", "nerve_root_compression": "negated"}),
    ],
)
def test_negation_scope(text, expected):
    assert _analysed(text) == expected


def test_verb_final_niet_negates_the_verb_not_the_subject():
    assert _state(nlp.context("De hernia raakt de wortel niet.", "raakt de wortel", lang="nl")) == "negated"
    assert _state(nlp.context("De hernia raakt de wortel niet.", "hernia", lang="nl")) == "affirmed"
    assert _state(nlp.context("Er is een hernia die de wortel niet raakt.", "hernia", lang="nl")) == "affirmed"


def test_agent_of_a_negated_verb_is_affirmed():
    """'niet gecomprimeerd door de protrusie': the compression is denied, the protrusion is there."""
    assert _analysed("De L5-wortel wordt niet gecomprimeerd door de protrusie.") == {
        "nerve_root_compression": "negated", "disc_protrusion": "affirmed"}


def test_poorly_seen_is_not_absent():
    text = "Een fractuur van de sacrale vleugel, niet goed zichtbaar op de axiale opnamen."
    assert _state(nlp.context(text, "fractuur", lang="nl")) == "affirmed"


# History: status na, eerder, bekend, s/p; but not what is new or acute.
@pytest.mark.parametrize(
    "sentence, target, expected",
    [
        ("Status na laminectomie L4-L5.", "laminectomie", "historical"),
        ("S/p discectomie L5-S1.", "discectomie", "historical"),
        ("Eerdere discectomie L5-S1.", "discectomie", "historical"),
        ("Bekend hemangioom in L2.", "hemangioom", "historical"),
        ("Vergeleken met het vorig onderzoek is de hernia nieuw.", "hernia", "affirmed"),
        ("Op het vorige onderzoek werd een kleine protrusie beschreven.", "protrusie", "historical"),
        ("Op het vorige onderzoek was er wel compressie van de S1-wortel.", "compressie", "historical"),
        ("Ten opzichte van het vorige onderzoek een nieuwe hernia L4-L5.", "hernia", "affirmed"),
        ("Bekend met osteoporose, nu een acute fractuur van L1.", "fractuur", "affirmed"),
        ("Bekend met osteoporose en een acute fractuur van L1.", "fractuur", "affirmed"),
    ],
)
def test_history(sentence, target, expected):
    assert _state(nlp.context(sentence, target, lang="nl")) == expected


def test_a_post_position_uitgesloten_negates_its_subject_only():
    assert _analysed("Fractuur van L5 uitgesloten.") == {"vertebral_fracture": "negated"}
    assert _analysed("Lichte bulging L4-L5, fractuur uitgesloten.") == {
        "disc_bulge": "affirmed", "vertebral_fracture": "negated"}
