"""An effect named before its cause shares the cause's level: "cauda equina compression due to
a large central disc herniation at L5-S1" (words of cause: ``cause_words`` in
lexicons/<lang>/attributes.json). Once the effect, a red flag, came out without a level."""
import pytest

import nlp


@pytest.mark.parametrize("lang,text,concept,level", [
    ("en", "Cauda equina compression due to a large central disc herniation at L5-S1.", "cauda_equina_compression", "L5-S1"),
    ("en", "Cord compression secondary to a broad disc osteophyte complex at C5-C6.", "spinal_cord_compression", "C5-C6"),
    ("nl", "Caudasyndroom op basis van een grote mediane hernia L5-S1.", "cauda_equina_compression", "L5-S1"),
    ("nl", "Myelumcompressie ten gevolge van een brede discusprotrusie C5-C6.", "spinal_cord_compression", "C5-C6"),
])
def test_the_effect_takes_the_level_of_its_cause(lang, text, concept, level):
    levels = [f.levels for f in nlp.analyse(text, lang=lang).findings if f.concept == concept]
    assert levels == [[level]]


def test_without_a_word_of_cause_a_long_gap_keeps_levels_apart():
    text = "Mild cord compression is seen in this patient with a large disc herniation at C5-C6."
    cord = [f.levels for f in nlp.analyse(text, lang="en").findings if f.concept == "spinal_cord_compression"]
    assert cord == [[]]


@pytest.mark.parametrize("text", [
    "Extrusie en protrusie op L4-L5 respectievelijk L5-S1.",
    "Extrusie en protrusie op respectievelijk L4-L5 en L5-S1.",
])
def test_respectievelijk_between_the_levels_distributes_them(text):
    found = [(f.concept, f.levels) for f in nlp.analyse(text, lang="nl").findings]
    assert found == [("disc_extrusion", ["L4-L5"]), ("disc_protrusion", ["L5-S1"])]
