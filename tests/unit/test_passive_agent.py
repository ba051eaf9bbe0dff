"""Dutch passives with their agent between structure and participle ("het myelum wordt door
de hernia gecomprimeerd"): the participle states the compression of the structure before it,
the agent is a finding of its own, and a negation or hedge right before the agent qualifies
the participle, never the agent (issue 11: verb and predicate forms; the context rule
'door de' with ``agent`` and the finding rule with ``after_agent``). Sentences written for
these tests."""
import pytest

import nlp


def found(text: str):
    return {(f.concept, f.negated, f.uncertain) for f in nlp.analyse(text, lang="nl").findings}


@pytest.mark.parametrize("text, concept", [
    ("Het myelum wordt door de hernia gecomprimeerd.", "spinal_cord_compression"),
    ("De cauda equina wordt door de hernia gecomprimeerd.", "cauda_equina_compression"),
    ("De L5-wortel wordt door de hernia gecomprimeerd.", "nerve_root_compression"),
    ("Waarbij het myelum door de discusprotrusie wordt gecomprimeerd.", "spinal_cord_compression"),
    ("Kanaalstenose L2-L3, waarbij de caudawortels op niveau L3-L4 door de stenose worden "
     "samengedrukt.", "cauda_equina_compression"),
])
def test_the_participle_after_the_agent_is_the_compression(text, concept):
    assert (concept, False, False) in found(text)


@pytest.mark.parametrize("text, concept, agent", [
    ("Het myelum wordt niet door de hernia gecomprimeerd.", "spinal_cord_compression", "disc_herniation"),
    ("De L5-wortel wordt niet door de hernia gecomprimeerd.", "nerve_root_compression", "disc_herniation"),
    ("De caudawortels worden niet meer door de hernia samengedrukt.", "cauda_equina_compression",
     "disc_herniation"),
])
def test_a_negation_before_the_agent_negates_the_participle_not_the_agent(text, concept, agent):
    result = found(text)
    assert (concept, True, False) in result
    assert (agent, False, False) in result
    assert (concept, False, False) not in result


def test_a_hedge_before_the_agent_hedges_the_participle():
    result = found("Het myelum wordt mogelijk door de hernia gecomprimeerd.")
    assert ("spinal_cord_compression", False, True) in result
    assert ("disc_herniation", False, False) in result


@pytest.mark.parametrize("text", [
    # The thecal sac or a vertebra is no structure of a red flag; without "door" it is not
    # this passive.
    "De durale zak wordt door de hernia gecomprimeerd.",
    "Het wervellichaam wordt door de metastase gecomprimeerd.",
])
def test_no_compression_finding_without_a_nerve_structure(text):
    concepts = {concept for concept, _, _ in found(text)}
    assert not concepts & {"spinal_cord_compression", "cauda_equina_compression", "nerve_root_compression"}


def test_a_negation_earlier_in_the_sentence_does_not_reach_over_the_agent():
    result = found("Geen myelopathie, het myelum wordt door de hernia gecomprimeerd.")
    assert ("spinal_cord_compression", False, False) in result


def test_touched_but_not_compressed():
    """"Wordt geraakt maar niet gecomprimeerd": the participle after 'maar' is the negated
    compression; a root touched by the agent is root contact."""
    assert ("spinal_cord_compression", True, False) in found("Het myelum wordt geraakt maar niet gecomprimeerd.")
    result = found("De L5-wortel wordt door de hernia geraakt maar niet gecomprimeerd.")
    assert {("nerve_root_contact", False, False), ("nerve_root_compression", True, False)} <= result
    assert "nerve_root_contact" not in {c for c, _, _ in found("Het myelum wordt door de hernia geraakt.")}


@pytest.mark.parametrize("lang, text", [
    ("nl", "Klinische gegevens: pijn rond TH8 rechts, geen myelopathische klachten."),
    ("en", "Clinical details: thoracic pain, no myelopathic symptoms."),
])
def test_myelopathic_complaints_are_no_scan_finding(lang, text):
    assert nlp.analyse(text, lang=lang).findings == []


@pytest.mark.parametrize("text, expected", [
    # a place between the structure and its verb ("in het spinaal kanaal", "in de durale zak")
    ("Er is een extrusie L3-L4 die de caudawortels in het spinaal kanaal volledig afknelt.",
     ("cauda_equina_compression", False, False)),
    # "rest-" compounds: what is left of a compression after surgery
    ("Geen restcompressie van het myelum.", ("spinal_cord_compression", True, False)),
    ("Restcompressie van de cauda equina op L4-L5.", ("cauda_equina_compression", False, False)),
])
def test_place_words_and_rest_compounds(text, expected):
    assert expected in found(text)
