"""Wordings of red flags and root findings written elsewhere: a space-occupying lesion is a
tumour, a common misspelling of spondylodiscitis is still an infection, a Dutch soft-tissue
mass compound is a mass, and "zonder verdringing" rules out a displaced root."""
import pytest

import nlp


@pytest.mark.parametrize("lang,text,concept,negated", [
    ("en", "No space-occupying lesion.", "tumour", True),
    ("en", "No space occupying lesion is seen.", "tumour", True),
    ("en", "Spondylodicitis at L3-L4.", "infection", False),
    ("nl", "Er is een spondylodicitis L3-L4.", "infection", False),
    ("nl", "Wekedelenmassa uitgaande van het corpus L2.", "tumour", False),
    ("nl", "Tegen de S1-wortel aan liggende protrusie, zonder verdringing.", "nerve_root_compression", True),
])
def test_the_wording_is_found_with_its_polarity(lang, text, concept, negated):
    found = [f.negated for f in nlp.analyse(text, lang=lang).findings if f.concept == concept]
    assert found == [negated]
