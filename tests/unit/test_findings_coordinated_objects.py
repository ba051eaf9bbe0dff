"""A compressing verb with two objects names both: "compresses the thecal sac and the cauda
equina" is a cauda equina compression (once missed in both languages: the words between the
verb and the second object were more than the rule allowed)."""
import pytest

import nlp

CASES = [
    ("en", "The extrusion compresses the thecal sac and the cauda equina.", "cauda_equina_compression"),
    ("en", "The extrusion compresses the thecal sac and the spinal cord.", "spinal_cord_compression"),
    ("en", "The protrusion displaces the thecal sac and the traversing left L5 nerve root.", "nerve_root_compression"),
    ("nl", "De extrusie comprimeert de durale zak en de cauda equina.", "cauda_equina_compression"),
    ("nl", "Forse stenose met compressie van de durale zak en het myelum.", "spinal_cord_compression"),
]


@pytest.mark.parametrize("lang,text,concept", CASES)
def test_the_second_object_is_found_affirmed(lang, text, concept):
    findings = [f for f in nlp.analyse(text, lang=lang).findings if f.concept == concept]
    assert findings and not any(f.negated or f.uncertain for f in findings)


@pytest.mark.parametrize("lang,text", [
    ("en", "No compression of the thecal sac and the cauda equina."),
    ("nl", "Geen compressie van de durale zak en de cauda equina."),
])
def test_a_negated_verb_negates_both_objects(lang, text):
    cauda = [f for f in nlp.analyse(text, lang=lang).findings if f.concept == "cauda_equina_compression"]
    assert cauda and all(f.negated for f in cauda)


def test_two_cord_findings_joined_by_and_stay_two():
    text = "Severe canal stenosis at C3/4 with cord compression and cord signal change."
    cord = [f.text for f in nlp.analyse(text, lang="en").findings if f.concept == "spinal_cord_compression"]
    assert cord == ["cord compression", "cord signal change"]
