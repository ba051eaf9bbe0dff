"""English classes found by a second blind sentence batch (tests/sentences/en2.jsonl), each
with sentences written for these tests: a clause after "despite" keeps its polarity, the
question or advice about a finding is hypothetical, contact beside compression, the cord's
half and the conus, telegraphic canal narrowing, and degeneration or signal loss said
without the disc's noun."""
import pytest

import nlp


def found(text: str):
    return [(f.concept, f.negated, f.hypothetical) for f in nlp.analyse(text, lang="en").findings]


def test_a_clause_after_despite_is_not_negated():
    text = "No cord signal change to suggest myelopathy, despite severe canal stenosis at C5-C6."
    assert ("spinal_canal_stenosis", False, False) in found(text)
    assert ("spinal_cord_compression", True, False) in found(text)


@pytest.mark.parametrize("text, concept", [
    ("Please correlate for cauda equina syndrome symptoms.", "cauda_equina_compression"),
    ("A compression fracture was queried by the referrer.", "vertebral_fracture"),
    ("Cauda equina compression should be excluded clinically.", "cauda_equina_compression"),
    ("Cord compression must be urgently excluded in this setting.", "spinal_cord_compression"),
])
def test_question_or_advice_is_hypothetical(text, concept):
    assert (concept, False, True) in found(text) or (concept, True, True) in found(text)
    assert (concept, False, False) not in found(text)


def test_correlate_with_a_stated_finding_keeps_it():
    text = "Large extrusion compressing the cauda equina at L4-L5; correlate with the urinary symptoms."
    assert ("cauda_equina_compression", False, False) in found(text)


@pytest.mark.parametrize("text, expected", [
    ("The left L5 root is in contact with the protrusion.", ("nerve_root_contact", False, False)),
    ("The S1 roots are not in contact with the disc.", ("nerve_root_contact", True, False)),
    ("Extrusion compressing the right S1 root and contacting the left S1 root.",
     ("nerve_root_contact", False, False)),
    ("The osteophyte indents the right hemicord at C4-C5.", ("spinal_cord_compression", False, False)),
    ("Crowding of the cord at C6-C7.", ("spinal_cord_compression", False, False)),
    ("No conus compression.", ("spinal_cord_compression", True, False)),
    ("No cord or conus compression.", ("spinal_cord_compression", True, False)),
    ("Canal narrowed to 8 mm at C5-C6.", ("spinal_canal_stenosis", False, False)),
    ("The L3-L4 disc is degenerate.", ("disc_degeneration", False, False)),
    ("Loss of T2 signal at L5-S1 disc level.", ("disc_desiccation", False, False)),
])
def test_wordings_of_the_second_batch(text, expected):
    assert expected in found(text)


@pytest.mark.parametrize("text, absent", [
    ("No cord or conus compression.", "nerve_root_compression"),
    ("Extrusion compressing the right S1 root and contacting the left S1 root.", None),
    ("Loss of T2 signal in the L2 vertebral body.", "disc_desiccation"),
    ("Small facet joint effusion at L4-L5.", "facet_arthropathy"),
])
def test_near_misses(text, absent):
    concepts = [c for c, _, _ in found(text)]
    if absent is None:  # the contact is not swallowed by the compression before it
        assert concepts.count("nerve_root_compression") == 1 and "nerve_root_contact" in concepts
    else:
        assert absent not in concepts


@pytest.mark.parametrize("text", [
    "Flattening of the ventral cord at C5-C6 without any signal change.",
    "The protrusion presses on the spinal cord, without signal change.",
])
def test_signal_change_named_by_the_cord_before_it(text):
    assert ("spinal_cord_compression", False, False) in found(text)
    assert ("spinal_cord_compression", True, False) in found(text)


@pytest.mark.parametrize("text", [
    "Disc protrusion at L4-L5 with signal change.",
    "Modic changes with marrow signal change.",
    "Signal change.",
])
def test_signal_change_of_other_tissue_or_none_is_no_cord_finding(text):
    assert "spinal_cord_compression" not in [c for c, _, _ in found(text)]


@pytest.mark.parametrize("text, expected", [
    ("The disc material is intimately associated with the descending L5 nerve roots.",
     ("nerve_root_contact", False, False)),
    ("The fragment is closely related to the right S1 root.", ("nerve_root_contact", False, False)),
    ("Pedicle screws at L4 and L5 in good position.", ("postoperative_change", False, False)),
    ("Interbody cage at L5-S1.", ("postoperative_change", False, False)),
])
def test_closeness_is_contact_and_hardware_is_an_operation(text, expected):
    assert expected in found(text)


def test_a_complication_of_hardware_is_no_negated_operation():
    assert "postoperative_change" not in [c for c, _, _ in found("No pedicle screw loosening.")]


@pytest.mark.parametrize("text, expected", [
    ("The thecal sac and the cauda equina are free of compression.", "cauda_equina_compression"),
    ("The cervical cord is free of compression at every level.", "spinal_cord_compression"),
    ("The exiting L5 roots are free of impingement.", "nerve_root_compression"),
])
def test_free_of_compression_is_negated_for_the_structure_named(text, expected):
    assert found(text) == [(expected, True, False)]


def test_free_of_compression_without_a_structure_is_nothing():
    assert found("The thecal sac is free of compression.") == []


def test_two_verb_phrases_share_no_noun():
    """"flattens the thecal sac and effaces the cauda equina": no elided "thecal sac
    stenosis" (concepts.md: flattening or effacement of the thecal sac alone is no stenosis)."""
    text = "The extruded disc flattens the thecal sac and effaces the cauda equina at L2-L3."
    assert "spinal_canal_stenosis" not in [c for c, _, _ in found(text)]
    assert ("cauda_equina_compression", False, False) in found(text)


@pytest.mark.parametrize("text, lang, elided", [
    ("No canal or right foraminal stenosis.", "en", "spinal_canal_stenosis"),
    ("No cord or nerve root compression.", "en", "spinal_cord_compression"),
    ("Geen recessus- of foramenstenose.", "nl", "lateral_recess_stenosis"),
])
def test_noun_heads_still_share_their_noun(text, lang, elided):
    assert (elided, True) in [(f.concept, f.negated) for f in nlp.analyse(text, lang=lang).findings]


@pytest.mark.parametrize("text, concept", [
    ("The cord is no longer compressed.", "spinal_cord_compression"),
    ("The protrusion is no longer seen.", "disc_protrusion"),
    ("The S1 root is no longer contacted.", "nerve_root_contact"),
])
def test_no_longer_negates(text, concept):
    """"no longer": the cord became a nerve root (two words where one was allowed) and "is no
    longer seen" affirmed the protrusion."""
    assert [(c, n) for c, n, _ in found(text)] == [(concept, True)]


@pytest.mark.parametrize("text, expected", [
    ("A fragment pushes on the cauda equina, which is markedly compressed.",
     [("disc_sequestration", False, False), ("cauda_equina_compression", False, False)]),
    ("Contact of the exiting L5 nerve roots but no compression.",
     [("nerve_root_contact", False, False), ("nerve_root_compression", True, False)]),
])
def test_bare_compression_takes_the_structure_before_it(text, expected):
    """A bare "compressed" had always been a nerve root's: "the cauda equina, which is markedly
    compressed" invented a root compression next to the cauda's."""
    assert found(text.replace("A fragment", "A sequestered fragment")) == expected


@pytest.mark.parametrize("text, expected", [
    ("No intramedullary signal abnormality.", [("spinal_cord_compression", True, False)]),
    ("Mild cord compression without myelopathic signal change.",
     [("spinal_cord_compression", False, False), ("spinal_cord_compression", True, False)]),
    ("There is effacement of the CSF around the cord but no cord compression.",
     [("spinal_cord_compression", True, False)]),
    ("Severe canal stenosis with redundant cauda equina nerve roots.", [("spinal_canal_stenosis", False, False)]),
    ("Enhancing L2 lesion, suspicious for metastasis from known renal cell carcinoma.",
     [("tumour", False, False)]),
])
def test_third_batch_classes(text, expected):
    """Cord signal named by 'intramedullary'; CSF effacement around the cord and redundant roots
    are no compression (an invented red flag each); a metastasis 'from' a renal cancer is in
    the spine."""
    assert found(text) == expected


def test_a_second_predicate_ends_the_negation():
    text = "The right S1 root cannot be separately identified and is presumed compressed."
    found_ = [(f.concept, f.negated, f.uncertain) for f in nlp.analyse(text, lang="en").findings]
    assert found_ == [("nerve_root_compression", False, True)]


@pytest.mark.parametrize("text, lang, expected", [
    ("Septic arthritis of the left L4-L5 facet joint.", "en", "infection"),
    ("Septische artritis van het facetgewricht L4-L5 links.", "nl", "infection"),
    ("Facet arthritis at L4-L5.", "en", "facet_arthropathy"),
])
def test_an_infected_facet_joint_is_an_infection(text, lang, expected):
    """'Septic arthritis of the facet joint' was read as facet arthropathy: a missed red flag."""
    assert [f.concept for f in nlp.analyse(text, lang=lang).findings] == [expected]


@pytest.mark.parametrize("text", [
    "Recommend infectious disease and spine surgery consultation.",
    "Please check infection markers.",
])
def test_a_specialty_or_a_test_is_no_infection(text):
    assert found(text) == []


@pytest.mark.parametrize("text, expected", [
    ("No evidence of spinal cord compression or cauda equina compression.",
     [("spinal_cord_compression", True, False), ("cauda_equina_compression", True, False)]),
    ("No compression or crowding of the cauda equina at any level.", [("cauda_equina_compression", True, False)]),
    ("MSCC at T7 from a vertebral body metastasis.", [("spinal_cord_compression", False, False), ("tumour", False, False)]),
    ("Epidural collection at L2-L3, consistent with SEA.", [("infection", False, False)]),
    ("Large disc extursion at L5-S1 causing compresion of the cauda equina.",
     [("disc_extrusion", False, False), ("cauda_equina_compression", False, False)]),
    ("Burst-type injury of L1 with retropulsion.", [("vertebral_fracture", False, False)]),
    ("Fracture clinic follow-up as arranged. No spinal fracture.", [("vertebral_fracture", True, False)]),
    ("MRI WHOLE SPINE - MSCC PROTOCOL", []),
])
def test_fourth_batch_classes(text, expected):
    """A noun ('compression') names its structure through 'of'/'on' only: 'spinal cord
    compression or cauda equina ...' had lost the cord; abbreviations, typos, a burst injury;
    a fracture clinic and an MSCC protocol name no finding."""
    assert found(text) == expected


def test_rather_than_makes_the_other_less_likely():
    found_ = [(f.concept, f.negated, f.uncertain) for f in nlp.analyse(
        "Atypical haemangioma at T7 rather than metastasis.", lang="en").findings]
    assert ("tumour", False, True) in found_


def test_a_differential_with_a_developmental_shape_negates_nothing():
    """'may represent a compression fracture or developmental wedging': the fracture is
    possible, not denied (the 'is developmental' rule needs its copula or hedge)."""
    found_ = [(f.concept, f.negated, f.uncertain) for f in nlp.analyse(
        "Mild anterior wedging of T8, which may represent a compression fracture or developmental wedging.",
        lang="en").findings]
    assert ("vertebral_fracture", False, True) in found_
    assert not any(negated for _, negated, _ in found_)


@pytest.mark.parametrize("text, lang, expected", [
    ("Known myelomalacia at C5-C6 from prior compression.", "en", "spinal_cord_compression"),
    ("Transverse process fratcures on the left at L2 and L3.", "en", "vertebral_fracture"),
    ("Status na spoeddecompressie L4-L5 in 2021.", "nl", "postoperative_change"),
])
def test_fifth_batch_words(text, lang, expected):
    assert {f.concept for f in nlp.analyse(text, lang=lang).findings} == {expected}


@pytest.mark.parametrize("text, lang", [
    ("Endplate oedema at L3-L4, consistent with Modic type 1 change.", "en"),
    ("Eindplaatoedeem L4-L5 passend bij Modic type 1.", "nl"),
])
def test_a_restatement_after_its_level_is_one_finding(text, lang):
    assert [f.concept for f in nlp.analyse(text, lang=lang).findings] == ["modic_change"]
