"""Levels as real reports write them, through the whole analyser (``nlp.analyse``).

Gold convention (dev_reports/GOLD.md): discs as ``L4-L5``, vertebrae as ``L1``, ranges expanded
to each disc level, empty when the text states no level; a nerve root's name is no level.
Every sentence here is written for these tests.
"""
from __future__ import annotations

from typing import Dict, List

import pytest

import nlp
from nlp.pipeline.levels import words_for
from nlp.lexicon import LexiconError, attribute_cues, level_words, load_json
from nlp.report import Finding


def _findings(text: str, lang: str) -> List[Finding]:
    report = nlp.analyse(text, lang=lang)
    assert report.language == lang
    return report.findings


def _one(text: str, lang: str, concept: str) -> Finding:
    found = [f for f in _findings(text, lang) if f.concept == concept]
    assert len(found) == 1, f"expected one {concept} in {text!r}, got {found}"
    return found[0]


def _levels(text: str, lang: str) -> Dict[str, List[str]]:
    return {f.concept: f.levels for f in _findings(text, lang)}


# --- ranges: every disc level in between ----------------------------------------------


@pytest.mark.parametrize(
    "lang,text,concept,levels",
    [
        ("en", "Facet arthropathy L2-L5.", "facet_arthropathy", ["L2-L3", "L3-L4", "L4-L5"]),
        ("en", "Disc bulges from L3-L4 through L5-S1.", "disc_bulge", ["L3-L4", "L4-L5", "L5-S1"]),
        ("nl", "Facetartrose L3 tot L5.", "facet_arthropathy", ["L3-L4", "L4-L5"]),
        ("en", "Disc desiccation from L3 to S1.", "disc_desiccation", ["L3-L4", "L4-L5", "L5-S1"]),
        ("en", "Small disc bulges C3-C7.", "disc_bulge", ["C3-C4", "C4-C5", "C5-C6", "C6-C7"]),
        # the region letter written once: a list of bare numbers goes on in its region
        ("en", "Disc bulges at L3-4, 4-5 and 5-S1.", "disc_bulge", ["L3-L4", "L4-L5", "L5-S1"]),
        ("nl", "Discusbulging L3-4, 4-5 en 5-S1.", "disc_bulge", ["L3-L4", "L4-L5", "L5-S1"]),
        ("en", "Schmorl nodes at T11, 12 and L1.", "schmorl_node", ["T11", "T12", "L1"]),
        # every level of a region, in words
        ("en", "Disc desiccation at all lumbar levels.", "disc_desiccation", ["L1-L2", "L2-L3", "L3-L4", "L4-L5", "L5-S1"]),
        ("nl", "Discopathie op alle lumbale niveaus.", "disc_degeneration", ["L1-L2", "L2-L3", "L3-L4", "L4-L5", "L5-S1"]),
    ],
)
def test_levels_real_ranges(lang, text, concept, levels):
    assert _one(text, lang, concept).levels == levels


def test_levels_real_a_number_after_a_level_that_measures_is_no_level():
    # "L4, 8 mm": the 8 is a size; a list only runs downwards in its region
    assert _one("Haemangioma in L4, 8 mm.", "en", "haemangioma").levels == ["L4"]


# --- "respectively" -------------------------------------------------------------------


@pytest.mark.parametrize(
    "lang,text",
    [
        ("en", "Disc bulge and disc protrusion at L3-L4 and L4-L5 respectively."),
        ("nl", "Discusbulging en discusprotrusie op respectievelijk L3-L4 en L4-L5."),
        ("nl", "Discusbulging en discusprotrusie op L3-L4 en L4-L5, respectievelijk."),
    ],
)
def test_levels_real_respectively_gives_each_finding_its_level(lang, text):
    assert _levels(text, lang) == {"disc_bulge": ["L3-L4"], "disc_protrusion": ["L4-L5"]}


def test_levels_real_respectively_with_one_finding_keeps_both_levels():
    # one finding, two grades: nothing to distribute
    f = _one("Moderate and severe canal stenosis at L3-L4 and L4-L5 respectively.", "en", "spinal_canal_stenosis")
    assert f.levels == ["L3-L4", "L4-L5"]


# --- a heading with two levels --------------------------------------------------------


@pytest.mark.parametrize(
    "lang,text",
    [
        ("en", "Findings:\nNormal alignment.\n\nL4-5 and L5-S1:\nMild disc bulges.\nNo canal stenosis.\n"),
        ("nl", "Verslag:\nNormale stand.\n\nNiveaus L4-L5 en L5-S1:\nLichte discusbulging.\nGeen kanaalstenose.\n"),
    ],
)
def test_levels_real_heading_with_two_levels_passes_both_on(lang, text):
    findings = _findings(text, lang)
    assert [f.concept for f in findings] == ["disc_bulge", "spinal_canal_stenosis"]
    assert all(f.levels == ["L4-L5", "L5-S1"] for f in findings)


# --- notation variants ----------------------------------------------------------------


@pytest.mark.parametrize(
    "lang,text,concept,levels",
    [
        ("en", "Disc bulge at L-3-L4.", "disc_bulge", ["L3-L4"]),
        ("en", "Disc protrusion at L3 -L4.", "disc_protrusion", ["L3-L4"]),
        ("en", "Disc bulge at C3 -C4.", "disc_bulge", ["C3-C4"]),
        ("nl", "Discusprotrusie C3 -C4 rechts.", "disc_protrusion", ["C3-C4"]),
        ("en", "Disc bulge at L4 L5.", "disc_bulge", ["L4-L5"]),
        ("nl", "Discusprotrusie L4 L5 links.", "disc_protrusion", ["L4-L5"]),
        ("en", "Disc protrusion L4/5.", "disc_protrusion", ["L4-L5"]),
        ("en", "Disc protrusion L4\u2013L5.", "disc_protrusion", ["L4-L5"]),
        ("nl", "Discusprotrusie L4\u2013L5.", "disc_protrusion", ["L4-L5"]),
        ("en", "Compression fracture of Th12.", "vertebral_fracture", ["T12"]),
        ("nl", "Inzakkingsfractuur D12.", "vertebral_fracture", ["T12"]),
        ("en", "Disc bulge at the L4-5 level.", "disc_bulge", ["L4-L5"]),
        # levels in words
        ("en", "Fracture of the fifth lumbar vertebra.", "vertebral_fracture", ["L5"]),
        ("nl", "Fractuur van de vijfde lumbale wervel.", "vertebral_fracture", ["L5"]),
        ("en", "Disc prolapse in lumbar vertebra 4/5.", "disc_herniation", ["L4-L5"]),
        ("nl", "Discusprotrusie LWK 4-5 links.", "disc_protrusion", ["L4-L5"]),
        # scanned text: a digit read as a letter, where it names one disc
        ("en", "At C4-CS there is a small disc bulge.", "disc_bulge", ["C4-C5"]),
        ("en", "Disc bulge at C7-TI.", "disc_bulge", ["C7-T1"]),
    ],
)
def test_levels_real_notation_variants(lang, text, concept, levels):
    assert _one(text, lang, concept).levels == levels


@pytest.mark.parametrize(
    "lang,text,found",
    [
        # glued to the word before (dictation without a space): only full disc notation
        ("en", "mild facet hypertrophyL-4-L5 and", [("L-4-L5", ["L4-L5"])]),
        ("nl", "facetartroseL4-L5 links", [("L4-L5", ["L4-L5"])]),
        ("en", "a volume of 4 mL2 and", []),
        # a doubled region letter
        ("en", "herniation of the TT5-6 disc", [("T5-6", ["T5-T6"])]),
        ("en", "T1and T2 weighted images", []),
    ],
)
def test_levels_real_finder_reads_notation_in_running_text(lang, text, found):
    finder = words_for(lang).finder
    assert [(text[start:end], levels) for start, end, levels in finder.find(text)] == found


@pytest.mark.parametrize("text", ["Sagittal T1 and T2 weighted images show a disc bulge.", "Disc bulge, dark on T2."])
def test_levels_real_sequence_names_stay_no_levels(text):
    assert _one(text, "en", "disc_bulge").levels == []


# --- a negation of the whole spine -----------------------------------------------------


@pytest.mark.parametrize(
    "lang,text",
    [
        ("en", "Mild disc bulge at L4-L5. No fracture or metastases."),
        ("nl", "Lichte discusbulging L4-L5. Geen aanwijzingen voor fractuur of metastasen."),
    ],
)
def test_levels_real_whole_report_negation_takes_no_level(lang, text):
    findings = {f.concept: f for f in _findings(text, lang)}
    assert findings["disc_bulge"].levels == ["L4-L5"]
    for concept in ("vertebral_fracture", "tumour"):
        assert findings[concept].negated
        assert findings[concept].levels == []


@pytest.mark.parametrize(
    "lang,text",
    [
        ("en", "Mild disc bulge at L4-L5. No canal stenosis at any level."),
        ("nl", "Lichte discusbulging L4-L5. Geen kanaalstenose op de overige niveaus."),
    ],
)
def test_levels_real_statement_about_all_levels_takes_no_level(lang, text):
    assert _one(text, lang, "spinal_canal_stenosis").levels == []


@pytest.mark.parametrize(
    "lang,text",
    [
        ("en", "Pars defect of L5 on the left. No pars defect on the right."),
        ("nl", "Parsdefect L5 links. Rechts geen parsdefect."),
    ],
)
def test_levels_real_negation_of_the_same_finding_keeps_its_level(lang, text):
    assert [f.levels for f in _findings(text, lang) if f.concept == "spondylolysis"] == [["L5"], ["L5"]]


# --- the level attached to the finding --------------------------------------------------


@pytest.mark.parametrize(
    "lang,text,concept,levels",
    [
        ("en", "Marrow oedema at L4 and a defect in the L5 pars interarticularis.", "spondylolysis", ["L5"]),
        ("nl", "Beenmergoedeem in L4 en spondylolyse L5 links.", "spondylolysis", ["L5"]),
        ("en", "Degenerative changes at L3-L4 and L4-L5 with a left protrusion at L5-S1.", "disc_protrusion", ["L5-S1"]),
        ("nl", "Degeneratieve veranderingen L3-L4 en L4-L5 met een protrusie links op L5-S1.", "disc_protrusion", ["L5-S1"]),
        # a level on the next line of a wrapped sentence
        ("en", "Findings:\nThere is a large sequestered disc fragment at the level of\nL3-L4 with compression of the thecal sac.\nNo fracture.\n",
         "disc_sequestration", ["L3-L4"]),
    ],
)
def test_levels_real_attached_level_wins(lang, text, concept, levels):
    assert _one(text, lang, concept).levels == levels


@pytest.mark.parametrize(
    "lang,text",
    [
        ("en", "Disc bulging at several levels, with dehydration of the discs at L2-L3 and L3-L4."),
        ("nl", "Discusbulging op meerdere niveaus, met daarnaast uitdroging van de disci L2-L3 en L3-L4."),
    ],
)
def test_levels_real_a_level_of_another_clause_is_not_taken(lang, text):
    # the levels belong to the desiccation named with them, not to the bulging before it
    assert _levels(text, lang) == {"disc_bulge": [], "disc_desiccation": ["L2-L3", "L3-L4"]}


@pytest.mark.parametrize(
    "lang,text",
    [
        ("en", "Mild spondylosis and small disc bulges, with mild canal stenosis, most marked at C5-C6."),
        ("nl", "Lichte spondylose en kleine discusbulging, met lichte kanaalstenose, het meest uitgesproken op C5-C6."),
    ],
)
def test_levels_real_most_marked_at_is_the_last_findings_level(lang, text):
    # where the stenosis is worst; the other findings are not said to be there only
    got = _levels(text, lang)
    assert got["spinal_canal_stenosis"] == ["C5-C6"]
    assert got["osteophytes"] == got["disc_bulge"] == []


@pytest.mark.parametrize(
    "lang,text",
    [
        ("en", "Mild disc bulge at L4-L5.\nThere is multilevel mild facet arthropathy."),
        ("nl", "Lichte discusbulging L4-L5.\nMultisegmentale facetartrose."),
    ],
)
def test_levels_real_multilevel_finding_takes_no_level_from_elsewhere(lang, text):
    assert _one(text, lang, "facet_arthropathy").levels == []


@pytest.mark.parametrize(
    "lang,text,concept,levels",
    [
        # a multilevel finding is not at the one level of the finding named after it ...
        ("en", "Multilevel disc bulges and a protrusion at L4-L5.", "disc_bulge", []),
        ("nl", "Een aangeboren nauw spinaal kanaal en een discushernia C5-C6.", "spinal_canal_stenosis", []),
        # ... but it is at the levels it is said to span
        ("en", "Multilevel degenerative change from L2-L3 to L4-L5.", "degenerative_changes", ["L2-L3", "L3-L4", "L4-L5"]),
        ("nl", "Multisegmentale degeneratieve veranderingen L3-L4 t/m L5-S1.", "degenerative_changes", ["L3-L4", "L4-L5", "L5-S1"]),
    ],
)
def test_levels_real_multilevel_finding(lang, text, concept, levels):
    assert _one(text, lang, concept).levels == levels


@pytest.mark.parametrize(
    "lang,text",
    [
        ("en", "Grade 1 anterolisthesis of L5 on S1 with bilateral pars defects."),
        ("nl", "Anterolisthesis graad 1 van L5 ten opzichte van S1 met spondylolyse beiderzijds."),
    ],
)
def test_levels_real_vertebra_finding_of_a_listhesis_is_at_the_slipped_vertebra(lang, text):
    got = _levels(text, lang)
    assert got == {"spondylolisthesis": ["L5-S1"], "spondylolysis": ["L5"]}


@pytest.mark.parametrize(
    "lang,text",
    [
        ("en", "Findings:\nNormal alignment. The conus is normal.\nDisc desiccation and a broad disc bulge at L5-S1.\n"
               "There is also mild facet hypertrophy. Mild bilateral foraminal narrowing.\n\nImpression:\nNormal.\n"),
        ("nl", "Verslag:\nNormale stand. De conus is normaal.\nDiscusdegeneratie en een brede bulging L5-S1.\n"
               "Daarnaast lichte facetartrose. Lichte foramenstenose beiderzijds.\n\nConclusie:\nNormaal.\n"),
    ],
)
def test_levels_real_a_line_that_goes_on_with_also_keeps_the_level(lang, text):
    got = _levels(text, lang)
    assert got["facet_arthropathy"] == got["foraminal_stenosis"] == ["L5-S1"]


@pytest.mark.parametrize(
    "lang,text,levels",
    [
        ("en", "Minimal subluxation of the L4 vertebral body forwards with respect to the L5 body.", ["L4-L5"]),
        ("nl", "Anterolisthesis van de L4 wervel ten opzichte van de L5 wervel.", ["L4-L5"]),
    ],
)
def test_levels_real_listhesis_relative_to_the_next_vertebra_is_a_disc_level(lang, text, levels):
    assert _one(text, lang, "spondylolisthesis").levels == levels


@pytest.mark.parametrize(
    "lang,text",
    [
        ("en", "Moderate foraminal narrowing of C4-C5 on the right and on the left side of C5-C6."),
        ("nl", "Matige foramenstenose C4-C5 rechts en aan de linkerzijde C5-C6."),
    ],
)
def test_levels_real_a_list_of_levels_goes_on_after_a_side(lang, text):
    assert _one(text, lang, "foraminal_stenosis").levels == ["C4-C5", "C5-C6"]


def test_levels_real_coordinated_findings_share_the_level():
    assert _levels("Small disc bulges and protrusions at C5-C6.", "en") == {
        "disc_bulge": ["C5-C6"], "disc_protrusion": ["C5-C6"],
    }


@pytest.mark.parametrize(
    "lang,text",
    [("en", "Compression of the left L5 nerve root."), ("nl", "Compressie van de L5-wortel links.")],
)
def test_levels_real_root_names_are_no_levels(lang, text):
    assert _one(text, lang, "nerve_root_compression").levels == []


def test_levels_real_scoliosis_has_no_level():
    assert _one("Mild scoliosis with its apex at L2-L3.", "en", "scoliosis").levels == []


# --- "of": a clause break in Dutch ("or"), a preposition in English ---------------------


@pytest.mark.parametrize(
    "lang,text",
    [
        ("en", "Foraminal narrowing of moderate degree on the left at L4-L5."),
        ("nl", "Foramenstenose van matige graad links op niveau L4-L5."),
    ],
)
def test_levels_real_of_keeps_side_and_severity(lang, text):
    f = _one(text, lang, "foraminal_stenosis")
    assert (f.levels, f.side, f.severity) == (["L4-L5"], "left", "moderate")


def test_levels_real_dutch_of_still_ends_a_clause():
    # "of" (= or) starts a new clause: the side after it is not the first finding's
    findings = {f.concept: f for f in _findings("Geen kanaalstenose of foramenstenose rechts L4-L5.", "nl")}
    assert findings["spinal_canal_stenosis"].side is None


def test_levels_real_word_lists_are_per_language():
    # the Dutch "of" (or) breaks a clause in Dutch only; "en" (and) joins levels in Dutch only
    assert "of" in attribute_cues("nl")["clause_breaks"]
    assert "of" not in attribute_cues("en")["clause_breaks"]
    assert "en" in words_for("nl").list_words and "en" not in words_for("en").list_words


def test_levels_real_level_lexicon_is_validated(monkeypatch):
    data = dict(load_json("en", "levels.json"), list_wrods=[","])
    monkeypatch.setattr("nlp.lexicon.load_json", lambda *parts: data)
    level_words.cache_clear()
    try:
        with pytest.raises(LexiconError, match="unknown key 'list_wrods'"):
            level_words("en")
    finally:
        level_words.cache_clear()


# --- the report's regions ---------------------------------------------------------------


@pytest.mark.parametrize(
    "lang,text,regions",
    [
        ("en", "MRI CERVICAL SPINE\n\nFindings:\nNormal alignment. Mild disc bulge at C5-C6.\n", ["cervical"]),
        ("nl", "MRI CWK\n\nVerslag:\nNormale stand. Lichte discusbulging.\n", ["cervical"]),
        ("en", "MRI THORACIC SPINE\n\nFindings:\nSmall disc protrusion.\n", ["thoracic"]),
        ("nl", "MRI thoracale wervelkolom\n\nVerslag:\nKleine protrusie Th7-Th8.\n", ["thoracic"]),
        ("en", "Findings:\nDisc bulge at L4-L5.\n", ["lumbar"]),
        ("nl", "MRI LWK\n\nVerslag:\nDiscusbulging.\n", ["lumbar"]),
        ("en", "Findings:\nCompression fracture of T12. Disc bulge at L4-L5.\n", ["thoracic", "lumbar"]),
        ("nl", "Verslag:\nInzakkingsfractuur Th12. Discusbulging L4-L5. Tarlov-cyste in het sacrum.\n", ["thoracic", "lumbar", "sacral"]),
        # a junction level alone names the region above it; a root's name is no level
        ("en", "Findings:\nProtrusion at L5-S1 touching the S1 nerve root.\n", ["lumbar"]),
        ("en", "No abnormality. Normal alignment.", []),
        ("nl", "Geen afwijkingen. Normale stand.", []),
    ],
)
def test_levels_real_regions(lang, text, regions):
    report = nlp.analyse(text, lang=lang)
    assert report.regions == regions
    data = report.to_dict()
    assert data["regions"] == regions
    assert list(data)[:3] == ["source", "language", "findings"]  # the interface fields first


def test_a_range_into_the_sacrum_has_no_disc_below_s1():
    from nlp.pipeline.level_notation import expand_range

    assert expand_range(["L1"], ["S5"]) == ["L1", "L2", "L3", "L4", "L5", "S1", "S2", "S3", "S4", "S5"]
    assert expand_range(["L1-L2"], ["S4-S5"]) == ["L1-L2", "L2-L3", "L3-L4", "L4-L5", "L5-S1"]
    assert expand_range(["L4-L5"], ["L5-S1"]) == ["L4-L5", "L5-S1"]


# --- a one typed for a lower-case l: "13 tov 14" = L3 relative to L4 ----------------------
@pytest.mark.parametrize("text, lang, levels", [
    ("Graad 1 anteropositie 13 tov 14 te zien.", "nl", ["L3-L4"]),
    ("Graad 1 anterolisthesis 14 t.o.v. 15.", "nl", ["L4-L5"]),
    ("Grade 1 anterolisthesis 14 on 15.", "en", ["L4-L5"]),
])
def test_lumbar_pair_typed_with_a_one(text, lang, levels):
    assert _one(text, lang, "spondylolisthesis").levels == levels


@pytest.mark.parametrize("text, lang", [
    ("Anterolisthesis, 13 van 14 patiënten.", "nl"),   # a count, no pair word of levels
    ("Anterolisthesis 13 tov 15.", "nl"),              # not neighbours
    ("Anterolisthesis of 14-15 mm.", "en"),            # a measure
])
def test_numbers_that_are_no_typed_levels(text, lang):
    assert _one(text, lang, "spondylolisthesis").levels == []


@pytest.mark.parametrize("text, lang, level", [
    ("Fractuur dekplaat Th 12 zonder achterwandbetrokkenheid.", "nl", ["T12"]),
    ("Wedge fracture of Th 8.", "en", ["T8"]),
])
def test_th_written_with_a_space(text, lang, level):
    assert _one(text, lang, "vertebral_fracture").levels == level


def test_th_with_a_space_needs_a_vertebra_number():
    assert _one("Fracture with 12 mm height loss.", "en", "vertebral_fracture").levels == []
