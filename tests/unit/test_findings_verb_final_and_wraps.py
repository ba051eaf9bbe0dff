"""Dutch subordinate clauses put the verb last ("een hernia die de cauda equina comprimeert"),
and PDF text breaks lines inside a phrase ("the traversing right L4\\nnerve root"). Both once
lost the finding; a red flag among them (the cauda equina)."""
import pytest

import nlp

CASES = [
    ("nl", "Hernia L4-L5 die de cauda equina comprimeert.", "cauda_equina_compression", False),
    ("nl", "Hernia L4-L5 die de cauda equina niet comprimeert.", "cauda_equina_compression", True),
    ("nl", "Grote extrusie L3-L4 die de caudavezels fors verdringt.", "cauda_equina_compression", False),
    ("nl", "Hernia L4-L5 die de uittredende L4-wortel raakt.", "nerve_root_contact", False),
    ("nl", "Hernia L4-L5 die de linker L5-wortel comprimeert.", "nerve_root_compression", False),
    # line breaks inside the phrase, as PDF text extraction leaves them
    ("en", "Disc herniation at L3-4,\nindenting\nthecal sac minimally abutting the traversing right L4\nnerve root :\n",
     "nerve_root_contact", False),
    ("nl", "Hernia L4-L5 die de uittredende\nL4-wortel raakt.", "nerve_root_contact", False),
    ("en", "Large extrusion at L4-L5 compressing the\ncauda equina.", "cauda_equina_compression", False),
]


@pytest.mark.parametrize("lang,text,concept,negated", CASES)
def test_found_with_its_polarity(lang, text, concept, negated):
    found = [(f.negated, f.levels) for f in nlp.analyse(text, lang=lang).findings if f.concept == concept]
    assert found and all(n == negated for n, _ in found)
    assert all(levels for _, levels in found)  # the level of the finding's own sentence
