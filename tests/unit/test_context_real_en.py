"""English ConText on the wording of real reports (lexicons/en/context.json): hedges that are
not negations, differential diagnoses, where a negation ends, history and what is new.

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
    return finding_states(text, "en")


# A negation cue at the start of a document, a line or after a heading, in any case.
@pytest.mark.parametrize(
    "text",
    [
        "No acute vertebral fracture.",
        "NO acute vertebral fracture.",
        "Without acute vertebral fracture.",
        "Impression: No acute vertebral fracture.",
        "IMPRESSION:\nNo acute vertebral fracture.",
        "Disc bulge at L4-L5.\nNo acute vertebral fracture.",
        # A heading split off as its own sentence does not take "NEGATIVE" from "NEGATIVE FOR".
        "IMPRESSION: NEGATIVE FOR ACUTE VERTEBRAL FRACTURE.",
    ],
)
def test_leading_negation_negates(text):
    assert _analysed(text)["vertebral_fracture"] == "negated"


# Hedges are uncertain, never negated: before and after the finding.
@pytest.mark.parametrize(
    "sentence, target",
    [
        ("Metastatic disease is unlikely.", "Metastatic disease"),
        ("Unlikely to represent a metastasis.", "metastasis"),
        ("A compression fracture is considered unlikely.", "compression fracture"),
        ("A schwannoma is less likely.", "schwannoma"),
        ("An atypical haemangioma is not favoured.", "atypical haemangioma"),
        ("A metastasis is not favored.", "metastasis"),
        ("Root compression is possible.", "Root compression"),
        ("Differential considerations include metastasis or schwannoma.", "schwannoma"),
        ("Considerations include metastasis or schwannoma.", "metastasis"),
        ("The differential diagnosis includes lymphoma.", "lymphoma"),
        ("DD lymphoma.", "lymphoma"),
        ("The appearance raises the possibility of a synovial cyst.", "synovial cyst"),
        ("This would fit the possibility of a synovial cyst.", "synovial cyst"),
        ("Signal features suggest a transitional vertebra.", "transitional vertebra"),
        ("Although not definitive, the narrow canal suggests stenosis.", "stenosis"),
    ],
)
def test_hedge_is_uncertain_not_negated(sentence, target):
    assert _state(nlp.context(sentence, target, lang="en")) == "uncertain"


def test_hedge_reaches_only_nearby_findings():
    """A hedge after its finding does not reach a finding far back in a long sentence."""
    text = "Disc bulge at L4-L5 with mild narrowing of both lateral recesses and foramina, metastasis unlikely."
    assert _state(nlp.context(text, "disc bulge", lang="en")) == "affirmed"
    assert _state(nlp.context(text, "metastasis", lang="en")) == "uncertain"


def test_hedge_word_qualifies_its_noun_phrase():
    """'Probable X ... with Y' far on: the hedge covers X (with its level), not Y."""
    text = "Probable fluid in the left facet joint on the standing images with consequent mild narrowing of the central canal."
    assert _state(nlp.context(text, "fluid", lang="en")) == "uncertain"
    assert _state(nlp.context(text, "narrowing of the central canal", lang="en")) == "affirmed"
    assert _state(nlp.context("Possible small left paracentral disc protrusion at L4-L5.", "disc protrusion")) == "uncertain"


def test_hedge_after_the_finding_ends_its_clause():
    """'compression is likely.' hedges the compression; 'the fracture is likely osteoporotic'
    is sure of the fracture, unsure of its cause."""
    assert _state(nlp.context("Root compression is likely.", "Root compression", lang="en")) == "uncertain"
    assert _state(nlp.context("The L1 fracture is likely osteoporotic.", "fracture", lang="en")) == "affirmed"
    assert _state(nlp.context("The L1 fracture is unlikely to be pathological.", "fracture", lang="en")) == "affirmed"


def test_size_word_is_not_a_hedge():
    """'subtle' says how small a finding is, not how sure the reader is."""
    assert _state(nlp.context("Subtle flattening of the ventral cord.", "flattening of the ventral cord")) == "affirmed"


def test_examination_word_is_not_a_hedge():
    """'MRI evaluation demonstrates X' states X; 'evaluation for X' asks about it."""
    assert _state(nlp.context("MRI evaluation demonstrates a disc herniation.", "disc herniation")) == "affirmed"
    assert _state(nlp.context("MRI evaluation for disc herniation.", "disc herniation")) == "uncertain"


# Where a negation ends.
@pytest.mark.parametrize(
    "text, expected",
    [
        ("No spinal canal stenosis, and a disc protrusion at L4-L5.",
         {"spinal_canal_stenosis": "negated", "disc_protrusion": "affirmed"}),
        ("No spinal canal stenosis and a small disc protrusion at L4-L5.",
         {"spinal_canal_stenosis": "negated", "disc_protrusion": "affirmed"}),
        ("No spinal canal stenosis, but a disc protrusion at L4-L5.",
         {"spinal_canal_stenosis": "negated", "disc_protrusion": "affirmed"}),
        ("No disc herniation or spinal canal stenosis.",
         {"disc_herniation": "negated", "spinal_canal_stenosis": "negated"}),
        ("No significant spinal canal stenosis.", {"spinal_canal_stenosis": "negated"}),
    ],
)
def test_negation_scope(text, expected):
    assert _analysed(text) == expected


def test_negated_subject_ends_at_its_verb():
    """In 'no X is seen in the Y around the Z' only X is negated; the rest says where."""
    text = "No oedema is noted in the marrow around the Schmorl nodes."
    assert _state(nlp.context(text, "oedema", lang="en")) == "negated"
    assert _state(nlp.context(text, "Schmorl nodes", lang="en")) == "affirmed"


def test_agent_of_a_negated_verb_is_affirmed():
    """'not compressed by the protrusion': the compression is denied, the protrusion is there."""
    assert _analysed("The L5 nerve root is not compressed by the disc protrusion.") == {
        "nerve_root_compression": "negated", "disc_protrusion": "affirmed"}


def test_poorly_seen_is_not_absent():
    """'not well seen' says how the finding is depicted, not that it is absent."""
    text = "A fracture of the sacral ala (not well seen on the axial images)."
    assert _state(nlp.context(text, "fracture", lang="en")) == "affirmed"
    assert _state(nlp.context("A fracture line is not seen.", "fracture line", lang="en")) == "negated"


def test_heading_negative_for():
    """'Heading: negative for X' is the forward 'negative for', also when the heading is split off."""
    assert nlp.context("Impression: NEGATIVE FOR FRACTURE.", "FRACTURE", lang="en")["negated"]
    assert nlp.context("Spondylolisthesis: negative.", "Spondylolisthesis", lang="en")["negated"]


# History: previous, known, status post, s/p; but not what is new or acute.
@pytest.mark.parametrize(
    "sentence, target, expected",
    [
        ("S/p discectomy at L5-S1.", "discectomy", "historical"),
        ("s/p laminectomy at L4-L5.", "laminectomy", "historical"),
        ("Known haemangioma in L2.", "haemangioma", "historical"),
        ("Compared to the previous study, the disc herniation is new.", "disc herniation", "affirmed"),
        ("On the previous MRI there was a small disc extrusion at L4-L5.", "disc extrusion", "historical"),
        ("On the previous MRI there was an extrusion, now a new protrusion.", "new protrusion", "affirmed"),
        ("The patient is known to have osteoporosis, and the images show an acute L1 fracture.",
         "fracture", "affirmed"),
    ],
)
def test_history(sentence, target, expected):
    assert _state(nlp.context(sentence, target, lang="en")) == expected


@pytest.mark.parametrize("text, concept", [
    ("Spinal cord compression ruled out.", "spinal_cord_compression"),
    ("Fracture of L5 ruled out.", "vertebral_fracture"),
    ("Spondylitis ruled out; degenerative changes only.", "inflammatory_arthritis"),
    ("Metastasis excluded.", "tumour"),
])
def test_a_telegraphic_ruled_out_negates_its_subject(text, concept):
    assert _analysed(text)[concept] == "negated"


def test_a_telegraphic_ruled_out_does_not_reach_an_earlier_clause():
    assert _analysed("Mild disc bulge at L4-L5, fracture ruled out.") == {
        "disc_bulge": "affirmed", "vertebral_fracture": "negated"}
