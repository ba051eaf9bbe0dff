"""Level, side and severity of findings, through the whole analyser (``nlp.analyse``)."""
from __future__ import annotations

from typing import List

import pytest

import nlp
from nlp.report import Finding


def _findings(text: str, lang: str) -> List[Finding]:
    report = nlp.analyse(text, lang=lang)
    assert report.language == lang
    for f in report.findings:
        assert text[f.start:f.end] == f.text
    return report.findings


def _one(text: str, lang: str, concept: str) -> Finding:
    found = [f for f in _findings(text, lang) if f.concept == concept]
    assert len(found) == 1, f"expected one {concept} in {text!r}, got {found}"
    return found[0]


# --- the finding's own sentence -------------------------------------------------------


@pytest.mark.parametrize(
    "lang,text,concept,levels,side",
    [
        ("en", "L5/S1: There is a left paracentral protrusion.", "disc_protrusion", ["L5-S1"], "left"),
        ("en", "L4-5: Disc bulge.", "disc_bulge", ["L4-L5"], None),
        ("en", "L45: Disc bulge.", "disc_bulge", ["L4-L5"], None),
        ("nl", "L5-S1: protrusie links paramediaan.", "disc_protrusion", ["L5-S1"], "left"),
        ("nl", "Discushernia L4-L5 links.", "disc_herniation", ["L4-L5"], "left"),
        ("en", "Disc herniation L4-L5 left.", "disc_herniation", ["L4-L5"], "left"),
        ("en", "Severe right foraminal stenosis at Th12-L1.", "foraminal_stenosis", ["T12-L1"], "right"),
        ("en", "Central disc protrusion at C5-6.", "disc_protrusion", ["C5-C6"], "central"),
    ],
)
def test_level_attachment_level_and_side_in_the_sentence(lang, text, concept, levels, side):
    f = _one(text, lang, concept)
    assert f.levels == levels
    assert f.side == side
    assert not f.negated


@pytest.mark.parametrize(
    "lang,text,expected",
    [
        (
            "en",
            "Disc bulge at L3-L4 and protrusion at L4-L5.",
            {"disc_bulge": ["L3-L4"], "disc_protrusion": ["L4-L5"]},
        ),
        (
            "nl",
            "Discusbulging L3-L4 en protrusie L4-L5.",
            {"disc_bulge": ["L3-L4"], "disc_protrusion": ["L4-L5"]},
        ),
        (
            "nl",
            "Discusbulging op niveau L3-L4 en een protrusie op niveau L4-L5.",
            {"disc_bulge": ["L3-L4"], "disc_protrusion": ["L4-L5"]},
        ),
        (
            "en",
            "Disc bulge at L4-5 and L5/S1 with bilateral foraminal narrowing at L5-S1.",
            {"disc_bulge": ["L4-L5", "L5-S1"], "foraminal_stenosis": ["L5-S1"]},
        ),
    ],
)
def test_level_attachment_each_finding_its_own_level(lang, text, expected):
    got = {f.concept: f.levels for f in _findings(text, lang)}
    assert got == expected


@pytest.mark.parametrize(
    "lang,text",
    [
        ("en", "No significant canal stenosis at L1-L2 through L4-L5. At L5-S1 moderate canal stenosis."),
        ("en", "No significant canal stenosis from L1-L2 to L4-L5. Moderate canal stenosis at L5-S1."),
        ("nl", "Geen significante kanaalstenose op de niveaus L1-L2 t/m L4-L5. Op niveau L5-S1 matige kanaalstenose."),
    ],
)
def test_level_attachment_negated_range_and_affirmed_level(lang, text):
    stenoses = [f for f in _findings(text, lang) if f.concept == "spinal_canal_stenosis"]
    assert len(stenoses) == 2
    negated, affirmed = stenoses
    assert negated.negated
    assert negated.levels == ["L1-L2", "L2-L3", "L3-L4", "L4-L5"]
    assert not affirmed.negated
    assert affirmed.levels == ["L5-S1"]
    assert affirmed.severity == "moderate"


@pytest.mark.parametrize(
    "lang,text,levels",
    [
        ("en", "Grade 1 anterolisthesis of L4 on L5.", ["L4-L5"]),
        ("en", "Anterolisthesis of L5 on S1.", ["L5-S1"]),
        ("en", "Retrolisthesis of L3 on L4.", ["L3-L4"]),
        ("nl", "Anterolisthesis van L4 op L5.", ["L4-L5"]),
        ("nl", "Anterolisthesis L4 ten opzichte van L5.", ["L4-L5"]),
    ],
)
def test_level_attachment_listhesis_of_one_vertebra_on_the_next_is_a_disc_level(lang, text, levels):
    assert _one(text, lang, "spondylolisthesis").levels == levels


@pytest.mark.parametrize(
    "lang,text,concept",
    [
        ("nl", "Op de niveaus L3-L4 t/m L5-S1 discusprotrusie.", "disc_protrusion"),
        ("nl", "Op de niveaus L3-L4 t/m L5-S1 is er sprake van degeneratieve discopathie.", "disc_degeneration"),
        ("nl", "Discusbulging L3-L4, L4-L5 en L5-S1.", "disc_bulge"),
        ("en", "Disc bulges at L3-L4, L4-L5 and L5-S1.", "disc_bulge"),
        ("en", "Facet arthropathy from L3-L4 to L5-S1.", "facet_arthropathy"),
    ],
)
def test_level_attachment_several_levels(lang, text, concept):
    assert _one(text, lang, concept).levels == ["L3-L4", "L4-L5", "L5-S1"]


def test_level_attachment_negated_range_in_dutch():
    f = _one("Op de niveaus L3-L4 t/m L5-S1 geen kanaalstenose.", "nl", "spinal_canal_stenosis")
    assert f.negated
    assert f.levels == ["L3-L4", "L4-L5", "L5-S1"]


@pytest.mark.parametrize(
    "lang,text,concept,levels",
    [
        ("nl", "Schmorlse noduli L1 t/m L3.", "schmorl_node", ["L1", "L2", "L3"]),
        ("en", "Schmorl nodes L1 to L3.", "schmorl_node", ["L1", "L2", "L3"]),
        ("en", "Schmorl nodes in L1 through L3.", "schmorl_node", ["L1", "L2", "L3"]),
        # two adjacent vertebrae of a vertebra finding are not the disc between them
        ("en", "Schmorl's nodes at T11 and T12.", "schmorl_node", ["T11", "T12"]),
        ("nl", "Schmorlse noduli Th11 en Th12.", "schmorl_node", ["T11", "T12"]),
        ("en", "Compression fractures of T12 and L1.", "vertebral_fracture", ["T12", "L1"]),
        ("en", "Compression fracture of L1.", "vertebral_fracture", ["L1"]),
        ("nl", "Inzakkingsfractuur van L1.", "vertebral_fracture", ["L1"]),
        ("nl", "Hemangioom in L2.", "haemangioma", ["L2"]),
    ],
)
def test_level_attachment_vertebra_findings_keep_vertebrae(lang, text, concept, levels):
    assert _one(text, lang, concept).levels == levels


# --- the level the paragraph is about ------------------------------------------------


@pytest.mark.parametrize(
    "lang,text",
    [
        ("en", "L4-L5:\nMild disc bulge.\nNo stenosis."),
        ("nl", "L4-L5:\nLichte discusbulging.\nGeen kanaalstenose."),
    ],
)
def test_level_attachment_heading_layout(lang, text):
    findings = _findings(text, lang)
    assert [f.concept for f in findings] == ["disc_bulge", "spinal_canal_stenosis"]
    bulge, stenosis = findings
    assert bulge.levels == ["L4-L5"] and not bulge.negated and bulge.severity == "mild"
    assert stenosis.levels == ["L4-L5"] and stenosis.negated


def test_level_attachment_next_heading_takes_over():
    text = (
        "L4-L5:\nMild disc bulge.\nNo stenosis.\n"
        "L5-S1:\nLeft paracentral protrusion.\nMild left foraminal narrowing."
    )
    got = [(f.concept, f.levels) for f in _findings(text, "en")]
    assert got == [
        ("disc_bulge", ["L4-L5"]),
        ("spinal_canal_stenosis", ["L4-L5"]),
        ("disc_protrusion", ["L5-S1"]),
        ("foraminal_stenosis", ["L5-S1"]),
    ]


def test_level_attachment_heading_does_not_reach_into_the_conclusion():
    text = "L4-L5:\nMild disc bulge.\n\nConclusion:\nNo canal stenosis."
    stenosis = _one(text, "en", "spinal_canal_stenosis")
    assert stenosis.levels == []
    assert stenosis.section == "conclusion"


@pytest.mark.parametrize(
    "lang,text,concept",
    [
        ("en", "L5-S1:\nLeft paracentral disc protrusion which compresses the traversing left S1 nerve root.", "nerve_root_compression"),
        ("en", "L5-S1: Left paracentral disc extrusion impinging on the traversing left S1 nerve root.", "nerve_root_compression"),
        ("en", "L5-S1:\nLeft paracentral disc extrusion.\nThe traversing left S1 nerve root is compressed.", "nerve_root_compression"),
        ("en", "At L5-S1 there is a left paracentral disc extrusion. The traversing left S1 nerve root is compressed.", "nerve_root_compression"),
        ("en", "Findings:\nL5-S1: Left paracentral protrusion contacting the left S1 nerve root.", "nerve_root_contact"),
        ("nl", "Niveau L5-S1:\nDiscusprotrusie links paramediaan met compressie van de traverserende S1-wortel links.", "nerve_root_compression"),
        ("nl", "L5-S1: protrusie met compressie van de S1-wortel links.", "nerve_root_compression"),
    ],
)
def test_level_attachment_root_under_a_disc_heading_takes_the_disc_level(lang, text, concept):
    # The S1 root traverses the L5-S1 disc: the finding is at L5-S1, not at the S1 vertebra.
    f = _one(text, lang, concept)
    assert f.levels == ["L5-S1"]
    assert f.side == "left"


@pytest.mark.parametrize(
    "lang,text",
    [("nl", "Compressie van de S1-wortel links."), ("en", "Compression of the left S1 nerve root.")],
)
def test_level_attachment_root_alone_gives_no_level(lang, text):
    # A root is named after a vertebra but is no level (the gold convention, GOLD.md): the
    # S1 root may be compressed at L4-L5 or at L5-S1.
    f = _one(text, lang, "nerve_root_compression")
    assert f.levels == []
    assert f.side == "left"


# --- side and severity ---------------------------------------------------------------


@pytest.mark.parametrize(
    "lang,text,concept,side,severity",
    [
        ("nl", "Protrusie L4-L5 rechts.", "disc_protrusion", "right", None),
        ("nl", "Discushernia L5-S1 links.", "disc_herniation", "left", None),
        ("nl", "Beiderzijds foramenstenose L5-S1.", "foraminal_stenosis", "bilateral", None),
        ("nl", "Facetartrose beiderzijds L4-L5 en L5-S1.", "facet_arthropathy", "bilateral", None),
        ("nl", "Rechtsparamediane discusprotrusie L4-L5.", "disc_protrusion", "right", None),
        ("nl", "Mediane discusprotrusie L4-L5.", "disc_protrusion", "central", None),
        ("nl", "Matige kanaalstenose L4-L5.", "spinal_canal_stenosis", None, "moderate"),
        ("nl", "Ernstige foramenstenose L5-S1 links.", "foraminal_stenosis", "left", "severe"),
        ("nl", "Lichte discusbulging L3-L4.", "disc_bulge", None, "mild"),
        ("nl", "Geringe discusbulging L2-L3.", "disc_bulge", None, "mild"),
        ("nl", "Licht tot matige kanaalstenose L4-L5.", "spinal_canal_stenosis", None, "moderate"),
        ("nl", "Matige tot ernstige foramenstenose rechts L5-S1.", "foraminal_stenosis", "right", "severe"),
        ("en", "Mild to moderate canal stenosis at L4-L5.", "spinal_canal_stenosis", None, "moderate"),
        ("en", "Moderate to severe right foraminal stenosis at L5-S1.", "foraminal_stenosis", "right", "severe"),
        ("en", "Severe right foraminal stenosis at L4-L5.", "foraminal_stenosis", "right", "severe"),
        ("en", "Bilateral foraminal narrowing at L5-S1.", "foraminal_stenosis", "bilateral", None),
        ("en", "Bilateral facet arthropathy at L4-L5 and L5-S1.", "facet_arthropathy", "bilateral", None),
        ("en", "Minimal disc bulge at L2-L3.", "disc_bulge", None, "mild"),
        ("en", "Central disc protrusion at L4-L5.", "disc_protrusion", "central", None),
    ],
)
def test_level_attachment_side_and_severity(lang, text, concept, side, severity):
    f = _one(text, lang, concept)
    assert (f.side, f.severity) == (side, severity)


def test_level_attachment_side_of_one_finding_does_not_leak_to_the_next_clause():
    findings = {f.concept: f for f in _findings("Protrusion at L4-L5 without nerve root compression but with left foraminal stenosis.", "en")}
    assert findings["foraminal_stenosis"].side == "left"
    assert findings["disc_protrusion"].side is None


@pytest.mark.parametrize(
    "lang,text,concept,levels,side",
    [
        ("en", "Disc protrusion at L5-S1 on the right.", "disc_protrusion", ["L5-S1"], "right"),
        ("en", "Foraminal stenosis at L4-L5 on the left.", "foraminal_stenosis", ["L4-L5"], "left"),
        ("nl", "Foramenstenose op niveau L4-L5 aan de linkerzijde.", "foraminal_stenosis", ["L4-L5"], "left"),
    ],
)
def test_level_attachment_side_after_the_level(lang, text, concept, levels, side):
    f = _one(text, lang, concept)
    assert f.levels == levels
    assert f.side == side


@pytest.mark.parametrize(
    "lang,text,concept,levels",
    [
        ("en", "Clumping of the cauda equina nerve roots from L3 to L5.", "cauda_equina_compression", ["L3-L4", "L4-L5"]),
        ("en", "Compression of the nerve roots between L4 and L5.", "nerve_root_compression", ["L4-L5"]),
        ("nl", "Klontering van de caudawortels vanaf L3 tot L5.", "cauda_equina_compression", ["L3-L4", "L4-L5"]),
    ],
)
def test_level_attachment_roots_from_one_level_to_another_are_placed_not_named(lang, text, concept, levels):
    # "roots from L3 to L5" says where the roots are; "the L5 root" names one (no level).
    assert _one(text, lang, concept).levels == levels


@pytest.mark.parametrize(
    "lang,text,concept",
    [
        ("nl", "Lichte degeneratieve veranderingen C5-6 en C6-7 met bulging. Geen HNP of myelumcompressie.", "spinal_cord_compression"),
        ("en", "Mild degenerative change at C5-6 and C6-7 with disc bulging. No herniation or cord compression.", "spinal_cord_compression"),
    ],
)
def test_level_attachment_a_negation_after_several_levels_sums_up(lang, text, concept):
    # The same as when the negation stands on a line of its own (a wrap at the full stop).
    assert _one(text, lang, concept).levels == []
    assert _one(text.replace(". ", ".\n"), lang, concept).levels == []


def test_level_attachment_a_negation_after_one_level_goes_on_about_it():
    text = "Mild loss of disc signal at L4-L5 with a posterior annular tear. No protrusion."
    assert _one(text, "en", "disc_protrusion").levels == ["L4-L5"]


@pytest.mark.parametrize(
    "lang,text,concept,levels",
    [
        # dictation writes levels in words
        ("en", "there are degenerative changes at L four five and L five S one", "degenerative_changes", ["L4-L5", "L5-S1"]),
        ("en", "acute burst fracture of T twelve with retropulsion", "vertebral_fracture", ["T12"]),
        ("en", "intradural mass at the T ten eleven level", "tumour", ["T10-T11"]),
        ("nl", "hernia op niveau L vier vijf links", "disc_herniation", ["L4-L5"]),
        ("nl", "fractuur van Th twaalf", "vertebral_fracture", ["T12"]),
    ],
)
def test_level_attachment_spoken_levels(lang, text, concept, levels):
    assert _one(text, lang, concept).levels == levels


def test_level_attachment_a_spoken_sequence_name_is_no_level():
    assert _one("Sagittal T two weighted images show a disc bulge.", "en", "disc_bulge").levels == []


@pytest.mark.parametrize("lang, text, concept, levels", [
    # Parallel clauses: the sentence opens with the finding's level; ", at <level>" opens the
    # next clause and is not the finding's (blind suite 9: "op X ..., op Y ...").
    ("en", "At L1-L2 appearances suspicious for early discitis, at L2-L3 in keeping with Modic "
           "type 1 change.", "infection", ["L1-L2"]),
    ("nl", "Op L1-L2 beeld verdacht voor vroege spondylodiscitis, op L2-L3 passend bij Modic "
           "type 1.", "infection", ["L1-L2"]),
    ("nl", "Op C5-C6 subtiel intramedullair signaal, mogelijk vroege myelopathie, op C6-C7 "
           "myelum normaal.", "spinal_cord_compression", ["C5-C6"]),
    # Without an opening level the level after the comma is still the finding's.
    ("en", "Disc bulge, at L4-L5.", "disc_bulge", ["L4-L5"]),
])
def test_parallel_clauses_keep_their_own_opening_level(lang, text, concept, levels):
    found = [f.levels for f in nlp.analyse(text, lang=lang).findings if f.concept == concept]
    assert found == [levels]


@pytest.mark.parametrize("lang, text, levels", [
    # Spondylitis is of vertebrae (Romanus lesions at their corners): two vertebrae named are
    # two levels, not the disc between them (concepts.yaml: levels vertebra).
    ("en", "Corner inflammatory lesions at the anterior superior corners of L2 and L3, in keeping "
           "with spondylitis.", ["L2", "L3"]),
    ("nl", "Romanus-laesies aan de voorste hoeken van L2 en L3, passend bij spondylitis.", ["L2", "L3"]),
])
def test_spondylitis_is_at_its_vertebrae(lang, text, levels):
    found = [f.levels for f in nlp.analyse(text, lang=lang).findings if f.concept == "inflammatory_arthritis"]
    assert found == [levels]


@pytest.mark.parametrize("lang, text, levels", [
    # Infection may be of the vertebrae: two named apart stay two vertebrae ...
    ("en", "Vertebral osteomyelitis of C5 and C6.", ["C5", "C6"]),
    ("nl", "Osteomyelitis van Th9 en Th10.", ["T9", "T10"]),
    # ... while a disc level, a range or a dictated pair is the disc level(s), as before.
    ("en", "Discitis at L4-5.", ["L4-L5"]),
    ("en", "Epidural abscess from T8 to T11.", ["T8-T9", "T9-T10", "T10-T11"]),
    ("nl", "Epiduraal abces L3 L4.", ["L3-L4"]),
])
def test_infection_of_vertebrae_named_apart(lang, text, levels):
    found = [f.levels for f in nlp.analyse(text, lang=lang).findings if f.concept == "infection"]
    assert found == [levels]


def test_a_disc_finding_still_reads_two_vertebrae_as_its_disc():
    found = [f.levels for f in nlp.analyse("Disc bulge at L4 and L5.", lang="en").findings]
    assert found == [["L4-L5"]]
