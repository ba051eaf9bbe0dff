"""English finding rules on the wordings of real reports (issue 11): red flags in noun, verb
and predicate forms, anatomy and other organs that name no spine finding, thecal sac rules,
and the finding filter's word lists. Sentences written for these tests."""
from typing import List, Tuple

import pytest

import nlp
from nlp.pipeline.finding_filter import SpineFindingFilter
from nlp.lexicon import coordination


def found(text: str) -> List[Tuple[str, bool]]:
    """(concept, negated) of every finding, in text order."""
    return [(f.concept, f.negated) for f in nlp.analyse(text, lang="en").findings]


def concepts(text: str) -> List[str]:
    return [concept for concept, _ in found(text)]


# --- red flags named in common wordings ----------------------------------------------------
@pytest.mark.parametrize("text", [
    "At L3-L4 the cauda equina nerve roots are compressed by the extrusion.",
    "Marked stenosis at L2-L3 with compression of the cauda.",
    "Compression of the cauda equina nerve roots at L4-L5.",
    "Crowding of the cauda equina roots above the L3-L4 level.",
    "Clumping of the cauda equina at L4-L5.",
    "Nerve root clumping at L3-L4 above the stenosis.",
    "Clumped nerve roots within the thecal sac at L4-L5.",
    "The epidural tumour is encroaching upon the cauda roots at L2.",
    "Bunched and tortuous cauda equina above the L4-L5 narrowing.",
    "Compression of the nerve roots of the cauda equina at L3-L4.",
])
def test_cauda_equina_compression_wordings(text):
    assert ("cauda_equina_compression", False) in found(text)
    assert "nerve_root_compression" not in concepts(text)


@pytest.mark.parametrize("text", [
    "The cauda equina nerve roots are not compressed.",
    "The sequestered fragment does not compress the cauda equina.",
])
def test_cauda_equina_compression_negated(text):
    assert ("cauda_equina_compression", True) in found(text)


@pytest.mark.parametrize("text", [
    "The cauda equina is normal.",
    "Conus medullaris and cauda equina are unremarkable.",
    "The cauda equina nerve roots are unremarkable in appearance.",
])
def test_cauda_equina_anatomy_is_no_finding(text):
    assert found(text) == []


@pytest.mark.parametrize("text", [
    "There is loss of height of the T11 vertebral body.",
    "Collapse of L2 with retropulsion.",
    "The L3 vertebral body is collapsed.",
    "T10 vertebral body height loss of about 40%.",
    "Compression deformities of the T6 and T7 endplates.",
    "Height loss of the T12 vertebral body.",
    "Vertebra plana of T9.",
])
def test_vertebral_height_loss_and_collapse_are_fractures(text):
    assert ("vertebral_fracture", False) in found(text)


def test_vertebral_height_loss_negated_and_disc_height_kept_apart():
    assert found("No loss of vertebral body height.") == [("vertebral_fracture", True)]
    assert concepts("Moderate loss of height at L4-L5.") == ["disc_height_loss"]


@pytest.mark.parametrize("text", [
    "Metastatic carcinoma involving the L3 vertebral body.",
    "Multiple metastases in the thoracic vertebral bodies.",
    "Metastatic deposits at T9 and T11.",
])
def test_metastatic_wordings_are_one_tumour(text):
    assert concepts(text) == ["tumour"]


@pytest.mark.parametrize("text", [
    "Signal change in keeping with myelopaty at C4.",
    "Early myleopathy at C3-C4.",
])
def test_myelopathy_spellings(text):
    assert ("spinal_cord_compression", False) in found(text)


def test_cord_signal_statements():
    assert found("Spinal cord signal is normal.") == []
    assert found("No abnormal spinal cord signal.") == [("spinal_cord_compression", True)]
    assert ("spinal_cord_compression", False) in found(
        "The bulge is deforming the ventral surface of the spinal cord at C5-C6."
    )
    # The fracture and the cord compression stay two findings.
    assert concepts("Burst fracture of T12 with retropulsion and cord compression.") == [
        "vertebral_fracture", "spinal_cord_compression",
    ]


# --- verb and predicate forms, negation outside the finding -------------------------------
@pytest.mark.parametrize("text, concept", [
    ("The right S1 root is compressed.", "nerve_root_compression"),
    ("The protrusion is compressing the traversing left L5 root.", "nerve_root_compression"),
    ("The extrusion is deviating the left S1 root.", "nerve_root_compression"),
    ("Both C7 nerve roots may be affected.", "nerve_root_compression"),
    ("The osteophyte narrows the right lateral recess.", "lateral_recess_stenosis"),
    ("The herniation obliterates the left recess at L5-S1.", "lateral_recess_stenosis"),
    ("The central canal is stenotic at L3-L4.", "spinal_canal_stenosis"),
    ("The spinal canals are narrowed to 9 mm.", "spinal_canal_stenosis"),
    ("The neural foramina are severely narrowed.", "foraminal_stenosis"),
    ("The L3-L4 disc is infected.", "infection"),
    ("The thoracic cord is flattened at T8.", "spinal_cord_compression"),
    ("The conus is compressed by the retropulsed fragment.", "spinal_cord_compression"),
    ("The facet joints are hypertrophied at L4-L5.", "facet_arthropathy"),
    ("The disc L4/L5 is narrower than the adjacent discs.", "disc_height_loss"),
])
def test_predicates_affirmed(text, concept):
    assert (concept, False) in found(text)


@pytest.mark.parametrize("text, concept", [
    ("The right S1 root is not compressed.", "nerve_root_compression"),
    ("The central canal is not stenotic at L3-L4.", "spinal_canal_stenosis"),
    ("The neural foramina are not narrowed.", "foraminal_stenosis"),
    ("The lateral recesses are not narrowed.", "lateral_recess_stenosis"),
    ("The disc spaces are not significantly reduced.", "disc_height_loss"),
    ("The cord is not compressed.", "spinal_cord_compression"),
    ("The facet joints are not hypertrophied.", "facet_arthropathy"),
])
def test_predicates_negated(text, concept):
    assert (concept, True) in found(text)


@pytest.mark.parametrize("text", [
    "The protrusion abuts the right L5 root.",
    "The disc contacts the traversing S1 nerve root.",
    "The bulge touches the exiting L4 root.",
    "There is contact to the emerging L3 nerve root.",
])
def test_contact_is_not_compression(text):
    assert ("nerve_root_contact", False) in found(text)
    assert "nerve_root_compression" not in concepts(text)


def test_contact_but_no_compression():
    assert found("The extrusion abuts but does not compress the left S1 nerve root.") == [
        ("disc_extrusion", False), ("nerve_root_contact", False), ("nerve_root_compression", True),
    ]


# --- thecal sac ----------------------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "Narrowing of the thecal sac at L4-L5.",
    "The thecal sac is narrowed at L3-L4.",
    "Reduced AP diameter of the thecal sac at L2-L3.",
    "Reduced thecal sac diameter at L5-S1.",
    "Compression of the thecal sac by the synovial cyst.",
])
def test_thecal_sac_narrowing_is_canal_stenosis(text):
    assert ("spinal_canal_stenosis", False) in found(text)


@pytest.mark.parametrize("text", [
    "The disc bulge indents the thecal sac at L4-L5.",
    "Effacement of the ventral thecal sac at L5-S1.",
    "The protrusion abuts the thecal sac.",
])
def test_thecal_sac_contact_is_not_stenosis(text):
    assert "spinal_canal_stenosis" not in concepts(text)


# --- other bones and organs ----------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "Old fracture of the left hip.",
    "Healing fracture of the right seventh rib.",
    "A 2 cm mass in the left lobe of the thyroid gland.",
    "Incidental renal mass, ultrasound advised.",
    "Mass at the skull base.",
    "Pulmonary metastases in the right lower lobe.",
    "Degenerative changes of both hip joints.",
    "An enlarged prostate with a mass in the left lobe.",
    "Diffuse marrow infiltration.",
])
def test_findings_outside_the_spine_are_dropped(text):
    assert [c for c in concepts(text) if c in ("vertebral_fracture", "tumour", "degenerative_changes")] == []


def test_spine_finding_next_to_another_bone_is_kept():
    assert concepts("Compression fracture of L1 and fracture of the left tenth rib.") == ["vertebral_fracture"]
    # A cancer named by its organ is of that organ: history, not a spine finding
    # (concepts.md); a spine metastasis in the same report still is one.
    assert concepts("History of prostate carcinoma.") == []
    assert concepts("Known breast carcinoma. Metastasis in L2.") == ["tumour"]


# --- the other concepts' wordings ----------------------------------------------------------
@pytest.mark.parametrize("text, concept", [
    ("There is disk disiccation at L3-L4.", "disc_desiccation"),
    ("Disc sesiccation at L5-S1.", "disc_desiccation"),
    ("The discs show loss of signal on T2-weighted images.", "disc_desiccation"),
    ("The L4-L5 disc is reduced in height.", "disc_height_loss"),
    ("The L2-L3 disc has lost some height.", "disc_height_loss"),
    ("Severe narrowing of the cervical disc space at C6-C7.", "disc_height_loss"),
    ("Degenerative change mainly of the right facet joint at L4-L5.", "facet_arthropathy"),
    ("The L5-S1 facet joints show degenerative changes.", "facet_arthropathy"),
    ("Face arthropathy at L3-L4.", "facet_arthropathy"),
    ("Ligamentum favum thickening at L4-L5.", "ligamentum_flavum_hypertrophy"),
    ("Small bony ridge at C4-C5.", "osteophytes"),
    ("Degenerative spondylolilsthesis at L4-L5.", "spondylolisthesis"),
    ("Neural foraminal narrowing on the left at L4-L5.", "foraminal_stenosis"),
    ("Foraminal compromise at L5-S1.", "foraminal_stenosis"),
    ("IVF narrowing at C5-C6.", "foraminal_stenosis"),
    ("Moderate right forminal narrowing at C6-C7.", "foraminal_stenosis"),
    ("The bulge effaces the perineural fat in both foramina.", "foraminal_stenosis"),
    ("The cyst encroaches upon the lateral part of the right L4-L5 neural foramen.", "foraminal_stenosis"),
    ("Status post decompression at L4-L5.", "postoperative_change"),
])
def test_other_concepts_wordings(text, concept):
    assert (concept, False) in found(text)


def test_facet_and_disc_degeneration_are_not_unspecified_degeneration():
    assert concepts("Degenerative changes of the bilateral facet joints at L3-L4.") == ["facet_arthropathy"]
    assert concepts("Degenerative change in the lower lumbar discs.") == ["disc_degeneration"]
    assert concepts("Degenerative changes at L2-L3.") == ["degenerative_changes"]


def test_uncovertebral_hypertrophy_names_no_osteophytes():
    assert concepts("Uncinate hypertrophy at C5-C6.") == []
    assert concepts("Uncovertebral spurs at C5-C6.") == ["osteophytes"]


@pytest.mark.parametrize("text", [
    "No spinal canal or right foraminal stenosis at L4-L5.",
    "Mild canal/ foraminal stenosis at L3-L4.",
])
def test_coordinated_stenoses(text):
    assert sorted(concepts(text)) == ["foraminal_stenosis", "spinal_canal_stenosis"]


# --- the finding filter's words are data ---------------------------------------------------
@pytest.mark.parametrize("lang", ["en", "nl"])
def test_filter_words_come_from_the_lexicon(lang):
    words = coordination(lang)
    finding_filter = SpineFindingFilter(lang)
    assert finding_filter.trailing == frozenset(words["trailing"])
    assert finding_filter.breaks == frozenset(words["clause_breaks"])


def test_filter_trims_trailing_words_and_starts_predicates_after_the_copula():
    class Rule:
        metadata = {"starts_after": ["is", "not"]}

    lowers = ["the", "canal", "is", "not", "stenotic", "and"]
    finding_filter = SpineFindingFilter("en")
    kept = finding_filter.filter(lowers, [(1, 6, "spinal_canal_stenosis", Rule())])
    assert [(start, end) for start, end, _, _ in kept] == [(4, 5)]


# --- tumour and cauda equina wordings of the real reports (issue 11) -----------------------
@pytest.mark.parametrize("lang, text, expected", [
    ("en", "No epidural disease.", ("tumour", True)),
    ("en", "Epidural spread of disease was not seen.", ("tumour", True)),
    ("en", "Epidural spread of disease is common, but was not seen in the patient illustrated.",
     ("tumour", True)),
    ("en", "There is epidural extension of tumour at T10.", ("tumour", False)),
    ("nl", "Geen epidurale ziekte.", ("tumour", True)),
    ("nl", "Epidurale uitbreiding van de tumor op T10.", ("tumour", False)),
    ("en", "Canal stenosis at L2-L3 with consequent stretching and elongation of lumbar nerve "
           "roots inside the dural sac.", ("cauda_equina_compression", False)),
    ("nl", "Kanaalstenose L2-L3 met uitrekking van de zenuwwortels in de durale zak.",
     ("cauda_equina_compression", False)),
])
def test_tumour_spread_and_stretched_cauda_roots(lang, text, expected):
    found = {(f.concept, f.negated) for f in nlp.analyse(text, lang=lang).findings}
    assert expected in found


@pytest.mark.parametrize("lang, text", [
    # Epidural extension of something else, or without its noun, names no tumour.
    ("en", "Epidural extension of the abscess at L4."),
    ("en", "Bulging disc at L4-L5 with epidural extension."),
    ("en", "Redundant nerve roots above the stenosis at L3-L4."),
    ("nl", "Epidurale uitbreiding van het abces op L4."),
])
def test_epidural_extension_alone_and_redundant_roots_are_no_red_flag(lang, text):
    found = {f.concept for f in nlp.analyse(text, lang=lang).findings}
    assert not found & {"tumour", "cauda_equina_compression"}
