"""A compressing verb with a pronoun object ("contacts the conus but does not compress it")
names the structure said before it: the rule's ``antecedents`` in findings.json, resolved by
the finding filter (both engines). Once a ruled-out cord compression was simply missed."""
import pytest

import nlp

CASES = [
    ("en", "The retropulsed bone contacts the conus but does not overtly compress it.",
     [("spinal_cord_compression", True)]),
    ("en", "Disc material approaches the right S1 root without compressing it.",
     [("nerve_root_contact", False), ("nerve_root_compression", True)]),
    ("en", "The disc bulge does not compress it.", [("disc_bulge", False)]),  # no structure named
    ("nl", "Het fragment raakt de S1-wortel maar comprimeert deze niet.",
     [("nerve_root_contact", False), ("nerve_root_compression", True)]),
    ("nl", "De hernia ligt tegen de L5-wortel aan zonder deze te comprimeren.",
     [("disc_herniation", False), ("nerve_root_contact", False), ("nerve_root_compression", True)]),
]


@pytest.mark.parametrize("lang,text,expected", CASES)
def test_the_pronoun_takes_the_structure_before_it(lang, text, expected):
    assert [(f.concept, f.negated) for f in nlp.analyse(text, lang=lang).findings] == expected


@pytest.mark.parametrize("lang,text,expected", CASES[:2] + CASES[3:4])
def test_medspacy_engine_agrees(lang, text, expected):
    doc = nlp.build(lang, engine="medspacy")(text)
    assert [(e.label_, bool(e._.negated)) for e in doc.ents] == expected
