"""Dutch findings in the wording of real reports (issue 11, ``lexicons/nl/findings.json`` and
``lexicons/nl/coordination.json``): red flags found in every form and never invented from
anatomy or from another bone or organ, predicates with their negation, coordinated stenoses,
and the spelling variants and compounds of the other concepts.

Every sentence was written for these tests. A case lists the (concept, negated) pairs that the
sentence must give, no more and no fewer. Spine compounds that were found before ("wervelfractuur",
"skeletmetastasen") stand beside the traps as the other side of the narrowed rules.
"""
from typing import List, Tuple

import pytest

import nlp

Found = List[Tuple[str, bool]]


def found(text: str) -> Found:
    """The (concept, negated) pairs of a Dutch text, sorted, each once."""
    report = nlp.analyse(text, lang="nl").to_dict()
    return sorted({(f["concept"], f["negated"]) for f in report["findings"]})


def qualifiers(text: str, concept: str) -> Tuple[bool, bool]:
    """(negated, uncertain) of the one finding of ``concept`` in ``text``."""
    [finding] = [f for f in nlp.analyse(text, lang="nl").to_dict()["findings"] if f["concept"] == concept]
    return finding["negated"], finding["uncertain"]


# Anatomy without a lesion, and a lesion of a bone or organ outside the spine: no finding.
NOTHING = [
    "De cauda equina is normaal van aspect.",
    "Conus medullaris en cauda equina zonder bijzonderheden.",
    "Oude heupfractuur rechts, met prothese.",
    "In de voorgeschiedenis een schedelbasisfractuur.",
    "Polsfractuur links na een val.",
    "Ribfractuur rechts dorsaal.",
    "Bekkenfractuur in 2015.",
    "Collumfractuur links, status na kophalsprothese.",
    "Fractuur van de linker heup.",
    "Fractuur van het bekken.",
    "Bekend met een longcarcinoom.",
    "Massa in de schildklier.",
    "Metastasen in de lever.",
    "Peritonsillair abces.",
    "Normale heupgewrichten zonder degeneratieve afwijkingen.",
    "Osteofyten aan de heupkop.",
    "Gebroken pols.",
    "Wervellichamen van normale hoogte.",
    "Weke delen zwelling paravertebraal.",
    "Diffuse beenmerginfiltratie.",
    "Status na epidurale infiltratie L5-S1.",
    "Status na operatie aan de linker knie.",
    "Infectie van de blaas.",
    "Status na correctie van een navelhernia.",
    "De patiënt wordt geopereerd.",
]


@pytest.mark.parametrize("text", NOTHING)
def test_findings_nl_anatomy_and_other_bones_give_nothing(text):
    assert found(text) == []


RED_FLAGS = [
    # vertebral fracture: compounds of a spine part, words for a collapsed or broken vertebra
    ("Wervelfractuur Th12.", [("vertebral_fracture", False)]),
    ("Wervellichaamfractuur L2.", [("vertebral_fracture", False)]),
    ("Dekplaatfractuur L1 met beenmergoedeem.", [("vertebral_fracture", False)]),
    ("Osteoporotische inzakkingsfractuur L3.", [("vertebral_fracture", False)]),
    ("Compressiefractuur van Th11.", [("vertebral_fracture", False)]),
    ("Impressiefractuur L4.", [("vertebral_fracture", False)]),
    ("Recente L1-fractuur.", [("vertebral_fracture", False)]),
    ("Sacrale insufficiëntiefractuur links.", [("vertebral_fracture", False)]),
    ("Ingezakte wervel L2.", [("vertebral_fracture", False)]),
    ("Gebroken wervel Th12 na een val.", [("vertebral_fracture", False)]),
    ("Zij brak haar rug bij een val van de trap.", [("vertebral_fracture", False)]),
    ("Hoogteverlies van het wervellichaam L1 van circa 25%.", [("vertebral_fracture", False)]),
    ("Hoogteverlies van L2 ten opzichte van het vorige onderzoek.", [("vertebral_fracture", False)]),
    ("Wigvorm van Th8.", [("vertebral_fracture", False)]),
    ("Vertebra plana Th7.", [("vertebral_fracture", False)]),
    ("Fractuurlijn door het wervellichaam L3.", [("vertebral_fracture", False)]),
    ("De wervel is niet gebroken.", [("vertebral_fracture", True)]),
    ("Collaps van de tussenwervelruimte L5-S1.", [("disc_height_loss", False)]),
    ("Parsfractuur L5 links.", [("spondylolysis", False)]),
    # tumour
    ("Gemetastaseerd mammacarcinoom.", [("tumour", False)]),
    ("Uitgezaaide borstkanker.", [("tumour", False)]),
    ("Uitzaaiingen in meerdere wervellichamen.", [("tumour", False)]),
    ("Skeletmetastasen.", [("tumour", False)]),
    ("Wervelmetastasen Th9 en L1.", [("tumour", False)]),
    ("Epidurale tumoruitbreiding op niveau Th10.", [("tumour", False)]),
    ("Ruimte-innemend proces intraduraal op niveau L1.", [("tumour", False)]),
    ("Er zijn geen uitzaaiingen zichtbaar.", [("tumour", True)]),
    # spinal cord
    ("Myelopatie C5-C6.", [("spinal_cord_compression", False)]),
    ("Verdringing van het myelum op niveau C6-C7.", [("spinal_cord_compression", False)]),
    ("Het myelum wordt gecomprimeerd.", [("spinal_cord_compression", False)]),
    ("Het myelum vertoont geen compressie.", [("spinal_cord_compression", True)]),
    ("Geen verdringing van het myelum.", [("spinal_cord_compression", True)]),
    ("De conus wordt gecomprimeerd door het fragment.", [("spinal_cord_compression", False)]),
    ("Geen afwijkend signaal in het myelum.", [("spinal_cord_compression", True)]),
    ("De protrusie vervormt de ventrale zijde van het myelum.", [("disc_protrusion", False), ("spinal_cord_compression", False)]),
    # cauda equina
    ("De caudavezels worden gecomprimeerd.", [("cauda_equina_compression", False)]),
    ("Cauda equina zonder compressie.", [("cauda_equina_compression", True)]),
    ("Klinisch een cauda equina syndroom.", [("cauda_equina_compression", False)]),
    # infection and inflammatory arthritis
    ("Infectieuze spondylitis L2-L3.", [("infection", False)]),
    ("Spondylitis tuberculosa.", [("infection", False)]),
    ("Spondylitis ankylopoetica.", [("inflammatory_arthritis", False)]),
]


@pytest.mark.parametrize("text,expected", RED_FLAGS)
def test_findings_nl_red_flags(text, expected):
    assert found(text) == expected


NERVE_ROOTS = [
    ("Zenuwbeknelling L5 links.", [("nerve_root_compression", False)]),
    ("Zenuwcompressie S1 rechts.", [("nerve_root_compression", False)]),
    ("De L5-wortel wordt gecomprimeerd.", [("nerve_root_compression", False)]),
    ("De S1-wortel links wordt fors gecomprimeerd.", [("nerve_root_compression", False)]),
    ("De hernia comprimeert de L5-wortel links.", [("disc_herniation", False), ("nerve_root_compression", False)]),
    ("Discushernia L5-S1 die de S1-wortel verdringt.", [("disc_herniation", False), ("nerve_root_compression", False)]),
    ("De S1-wortel wordt naar dorsaal verplaatst.", [("nerve_root_compression", False)]),
    ("De wortel wordt niet gecomprimeerd.", [("nerve_root_compression", True)]),
    ("Protrusie die de L5-wortel links niet comprimeert.", [("disc_protrusion", False), ("nerve_root_compression", True)]),
    ("Protrusie L4-L5 die de wortel raakt.", [("disc_protrusion", False), ("nerve_root_contact", False)]),
]


@pytest.mark.parametrize("text,expected", NERVE_ROOTS)
def test_findings_nl_nerve_roots(text, expected):
    assert found(text) == expected


STENOSES = [
    # predicates, negation inside them, the copula left out
    ("Het kanaal is vernauwd.", [("spinal_canal_stenosis", False)]),
    ("Het kanaal wordt niet vernauwd.", [("spinal_canal_stenosis", True)]),
    ("Wervelkanaal niet vernauwd.", [("spinal_canal_stenosis", True)]),
    ("De recessus wordt vernauwd.", [("lateral_recess_stenosis", False)]),
    ("Recessus lateralis links vernauwd.", [("lateral_recess_stenosis", False)]),
    ("De foramina zijn niet vernauwd.", [("foraminal_stenosis", True)]),
    ("Foramina beiderzijds vernauwd.", [("foraminal_stenosis", False)]),
    ("Durale zak vernauwd op niveau L4-L5.", [("spinal_canal_stenosis", False)]),
    ("Smal spinaal kanaal.", [("spinal_canal_stenosis", False)]),
    ("Smal cervicaal kanaal.", [("spinal_canal_stenosis", False)]),
    # active verbs
    ("De osteofyt vernauwt de rechter recessus lateralis.", [("lateral_recess_stenosis", False), ("osteophytes", False)]),
    ("De hernia vernauwt het foramen links.", [("disc_herniation", False), ("foraminal_stenosis", False)]),
    ("De osteofyt vernauwt niet de recessus.", [("lateral_recess_stenosis", True), ("osteophytes", False)]),
    # coordinated stenoses sharing one head noun
    ("Geen recessus- of foramenstenose.", [("foraminal_stenosis", True), ("lateral_recess_stenosis", True)]),
    ("Kanaal- en foramenstenose L4-L5.", [("foraminal_stenosis", False), ("spinal_canal_stenosis", False)]),
    ("Geen kanaal-, recessus- of foramenstenose.",
     [("foraminal_stenosis", True), ("lateral_recess_stenosis", True), ("spinal_canal_stenosis", True)]),
    ("Geen kanaal- of rechter foramenstenose.", [("foraminal_stenosis", True), ("spinal_canal_stenosis", True)]),
    ("Recessus/ foramenstenose L5-S1.", [("foraminal_stenosis", False), ("lateral_recess_stenosis", False)]),
    # the dural sac compressed or of reduced diameter is canal stenosis, its indentation is not
    ("Compressie van de durale zak door de synoviale cyste.", [("spinal_canal_stenosis", False), ("synovial_cyst", False)]),
    ("Verkleinde AP-diameter van de durale zak op niveau L2-L3.", [("spinal_canal_stenosis", False)]),
    ("Impressie van de durale zak.", []),
]


@pytest.mark.parametrize("text,expected", STENOSES)
def test_findings_nl_stenoses(text, expected):
    assert found(text) == expected


VARIANTS = [
    ("Discusuitpuiling L3-L4.", [("disc_bulge", False)]),
    ("Annulair scheurtje L4-L5.", [("annular_fissure", False)]),
    ("Schmorlnoduli in Th11 en Th12.", [("schmorl_node", False)]),
    ("Disco-osteofytair complex C5-C6.", [("osteophytes", False)]),
    ("Verminderd T2-signaal van de discus L4-L5.", [("disc_desiccation", False)]),
    ("Degeneratief veranderde facetgewrichten L4-L5.", [("facet_arthropathy", False)]),
    ("Lichte torsiescoliose.", [("scoliosis", False)]),
    ("Recidiefhernia L4-L5 links.", [("disc_herniation", False)]),
    ("De facetgewrichten zijn gehypertrofieerd.", [("facet_arthropathy", False)]),
    ("Degeneratieve veranderingen van de onderste lumbale disci.", [("disc_degeneration", False)]),
    ("De discusruimtes zijn niet verlaagd.", [("disc_height_loss", True)]),
    ("Vernauwing van de cervicale discusruimte C6-C7.", [("disc_height_loss", False)]),
    # compounds written as two words
    ("Foramen stenose L4-L5 links.", [("foraminal_stenosis", False)]),
    ("Myelum compressie C5-C6.", [("spinal_cord_compression", False)]),
    ("Cauda compressie.", [("cauda_equina_compression", False)]),
    ("Eindplaat oedeem L5-S1.", [("modic_change", False)]),
    ("Annulus scheur L4-L5.", [("annular_fissure", False)]),
    ("Heup fractuur links.", []),
    ("Patiënt is eerder geopereerd op niveau L4-L5.", [("postoperative_change", False)]),
    ("Status na operatie L5-S1 links.", [("postoperative_change", False)]),
    ("Osteosynthesemateriaal L4-S1 in situ.", [("postoperative_change", False)]),
]


@pytest.mark.parametrize("text,expected", VARIANTS)
def test_findings_nl_spelling_variants_and_compounds(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize("text,concept,negated,uncertain", [
    ("Het kanaal is mogelijk licht vernauwd.", "spinal_canal_stenosis", False, True),
    ("De L5-wortel wordt mogelijk gecomprimeerd.", "nerve_root_compression", False, True),
    ("Een hernia die de S1-wortel mogelijk raakt.", "nerve_root_contact", False, True),
    ("De durale zak is niet vernauwd.", "spinal_canal_stenosis", True, False),
])
def test_findings_nl_predicate_hedges_qualify_the_finding(text, concept, negated, uncertain):
    assert qualifiers(text, concept) == (negated, uncertain)


def test_findings_nl_level_after_a_compound_is_the_findings_level():
    # the level is not swallowed into the finding ("discusuitpuiling L3-L4" had no level)
    [finding] = nlp.analyse("Discusuitpuiling L3-L4.", lang="nl").findings
    assert finding.levels == ["L3-L4"]


def test_findings_nl_uncovertebral_joints_name_osteophytes_only_as_spurs():
    # hypertrophy or arthrosis of the uncovertebral joints is no catalogue concept
    assert found("Uncovertebrale hypertrofie C5-C6.") == []
    assert found("Uncovertebrale osteofyten C5-C6 rechts.") == [("osteophytes", False)]


def test_findings_nl_disc_height_loss_is_not_a_fracture():
    assert found("Hoogteverlies van de discus L4-L5.") == [("disc_height_loss", False)]


def test_findings_nl_a_restated_finding_is_one_finding():
    # the same finding named again in brackets, in the same statement
    assert len(nlp.analyse("Perineurale cyste (Tarlov-cyste) op niveau S2.", lang="nl").findings) == 1


def test_findings_nl_findings_joined_by_en_or_met_are_two():
    # each named finding counts, also when both have one concept
    report = nlp.analyse("Ernstige kanaalstenose C4-C5 met myelumcompressie en myelopathie.", lang="nl")
    assert [f.concept for f in report.findings].count("spinal_cord_compression") == 2


@pytest.mark.parametrize("text, concept, levels", [
    ("Het myelum wordt op C4-C5 gecomprimeerd door een osteofyt.", "spinal_cord_compression", ["C4-C5"]),
    ("Het myelum wordt ter hoogte van Th11-Th12 verdrukt door een extrusie.", "spinal_cord_compression", ["T11-T12"]),
    ("Th7-Th8: discushernia die het myelum comprimeert.", "spinal_cord_compression", ["T7-T8"]),
    ("Samengedrukte caudawortels ter hoogte van L4-L5.", "cauda_equina_compression", ["L4-L5"]),
    ("Beknelling van de cauda equina door een sequester op L4-L5.", "cauda_equina_compression", ["L4-L5"]),
    ("Hernia L3-L4 met compresie van de cauda equina.", "cauda_equina_compression", ["L3-L4"]),
])
def test_cord_and_cauda_in_passive_relative_and_adjective_forms(text, concept, levels):
    found = [f for f in nlp.analyse(text, lang="nl").findings if f.concept == concept]
    assert found and not found[0].negated and found[0].levels == levels


@pytest.mark.parametrize("text", [
    "Het myelum wordt op C5-C6 niet gecomprimeerd.",
    "Een hernia die het myelum niet comprimeert.",
])
def test_a_negated_passive_or_relative_clause_is_never_an_affirmed_compression(text):
    found = [f for f in nlp.analyse(text, lang="nl").findings if f.concept == "spinal_cord_compression"]
    assert all(f.negated for f in found)
