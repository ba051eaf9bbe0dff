"""nlp.compare: written pairs of an earlier and a later report, in English, Dutch and mixed.

Each pair names the entry it is about (concept of the entry, level) and the change expected.
The sentences are written for these tests (no real report text).
"""
from __future__ import annotations

from typing import Dict, List, Optional

import pytest

import nlp
from nlp.second_opinion.compare import BASES, CHANGES, compare_reports
from nlp.report import Finding, Report

# (id, old report, new report, entry concept, level, expected change)
PAIRS = [
    # --- rewording of a disc contour: never new + resolved -------------------------------
    ("en_bulge_to_protrusion", "L4-L5: broad-based disc bulge.", "L4-L5: broad-based disc protrusion.",
     "disc_protrusion", "L4-L5", "reworded"),
    ("en_protrusion_to_herniation", "L5-S1: left paracentral disc protrusion.",
     "L5-S1: left paracentral disc herniation.", "disc_herniation", "L5-S1", "reworded"),
    ("en_hnp_to_extrusion", "HNP L5-S1 on the right.", "Right-sided disc extrusion at L5-S1.",
     "disc_extrusion", "L5-S1", "reworded"),
    ("nl_protrusie_to_hernia", "L4-L5: linkszijdige discusprotrusie.", "L4-L5: linkszijdige discushernia.",
     "disc_herniation", "L4-L5", "reworded"),
    ("nl_bulging_to_protrusie", "Op niveau L3-L4 is er een discusbulging.", "Op niveau L3-L4 is er een discusprotrusie.",
     "disc_protrusion", "L3-L4", "reworded"),
    ("nl_hnp_to_extrusie", "HNP L5-S1 links.", "Extrusie van de discus L5-S1 links.",
     "disc_extrusion", "L5-S1", "reworded"),
    ("mixed_nl_en_reworded", "L4-L5: discusprotrusie rechts.", "L4-L5: right disc herniation.",
     "disc_herniation", "L4-L5", "reworded"),
    ("mixed_en_nl_reworded", "L5-S1: left disc bulge.", "L5-S1: discushernia links.",
     "disc_herniation", "L5-S1", "reworded"),
    ("en_reworded_said_unchanged", "L4-L5: disc protrusion.", "L4-L5: disc herniation, unchanged since 2021.",
     "disc_herniation", "L4-L5", "reworded"),
    # --- the later report's own comparison words win -------------------------------------
    ("en_said_unchanged", "L4-L5: small disc protrusion.", "L4-L5: moderate disc protrusion, unchanged.",
     "disc_protrusion", "L4-L5", "unchanged"),
    ("en_said_increased_reworded", "L5-S1: disc protrusion.", "L5-S1: disc extrusion, increased since the prior study.",
     "disc_extrusion", "L5-S1", "larger"),
    ("en_said_decreased", "L4-L5: disc herniation.", "L4-L5: disc herniation, decreased in size.",
     "disc_herniation", "L4-L5", "smaller"),
    ("en_said_new", "L3-L4: disc bulge.", "L3-L4: new disc protrusion.", "disc_protrusion", "L3-L4", "new"),
    ("en_said_worse_stenosis", "Spinal canal stenosis at L4-L5.", "Spinal canal stenosis at L4-L5, progressed.",
     "spinal_canal_stenosis", "L4-L5", "worse"),
    ("nl_said_toegenomen", "L4-L5: discusprotrusie.", "L4-L5: discusprotrusie, toegenomen sinds het vorige onderzoek.",
     "disc_protrusion", "L4-L5", "larger"),
    ("nl_said_afgenomen_stenose", "Kanaalstenose L3-L4.", "Kanaalstenose L3-L4, afgenomen.",
     "spinal_canal_stenosis", "L3-L4", "better"),
    ("nl_said_ongewijzigd", "L5-S1: lichte foramenstenose links.", "L5-S1: ernstige foramenstenose links, ongewijzigd.",
     "foraminal_stenosis", "L5-S1", "unchanged"),
    ("nl_said_nieuw", "L4-L5: discusbulging.", "L4-L5: nieuw ontstane discushernia.",
     "disc_herniation", "L4-L5", "new"),
    ("mixed_en_nl_said_toegenomen", "Foraminal stenosis on the left at L5-S1.",
     "L5-S1: foramenstenose links, toegenomen.", "foraminal_stenosis", "L5-S1", "worse"),
    ("nl_no_increase_is_unchanged", "Kanaalstenose L4-L5.", "Kanaalstenose L4-L5, geen toename.",
     "spinal_canal_stenosis", "L4-L5", "unchanged"),
    # --- severity and size ---------------------------------------------------------------
    ("en_stenosis_worse", "Mild spinal canal stenosis at L4-L5.", "Severe spinal canal stenosis at L4-L5.",
     "spinal_canal_stenosis", "L4-L5", "worse"),
    ("en_stenosis_better", "Severe foraminal stenosis on the right at L5-S1.",
     "Mild foraminal stenosis on the right at L5-S1.", "foraminal_stenosis", "L5-S1", "better"),
    ("nl_stenose_erger", "Lichte kanaalstenose L3-L4.", "Matige kanaalstenose L3-L4.",
     "spinal_canal_stenosis", "L3-L4", "worse"),
    ("mixed_nl_en_better", "Ernstige kanaalstenose L4-L5.", "Moderate spinal canal stenosis at L4-L5.",
     "spinal_canal_stenosis", "L4-L5", "better"),
    ("en_size_words_larger", "L5-S1: small disc protrusion.", "L5-S1: large disc protrusion.",
     "disc_protrusion", "L5-S1", "larger"),
    ("en_mm_larger", "L4-L5: disc extrusion of 4 mm.", "L4-L5: disc extrusion of 9 mm.",
     "disc_extrusion", "L4-L5", "larger"),
    ("nl_mm_smaller", "L5-S1: discusextrusie van 8 mm.", "L5-S1: discusextrusie van 3 mm.",
     "disc_extrusion", "L5-S1", "smaller"),
    ("en_mm_within_tolerance", "L4-L5: disc protrusion of 4 mm.", "L4-L5: disc protrusion of 5 mm.",
     "disc_protrusion", "L4-L5", "unchanged"),
    # --- new levels, resolved, negation ---------------------------------------------------
    ("en_new_level", "L4-L5: disc bulge.", "L4-L5: disc bulge. L5-S1: disc protrusion.",
     "disc_protrusion", "L5-S1", "new"),
    ("en_negated_then_present", "No spinal canal stenosis at L4-L5.", "Mild spinal canal stenosis at L4-L5.",
     "spinal_canal_stenosis", "L4-L5", "new"),
    ("en_present_then_negated", "Facet arthropathy at L4-L5.", "No facet arthropathy at L4-L5.",
     "facet_arthropathy", "L4-L5", "resolved"),
    ("en_said_resolved", "L5-S1: disc extrusion.", "L5-S1: the disc extrusion has resolved.",
     "disc_extrusion", "L5-S1", "resolved"),
    ("nl_new_level", "L4-L5: discusprotrusie.", "L4-L5: discusprotrusie. L3-L4: discusbulging.",
     "disc_bulge", "L3-L4", "new"),
    ("nl_niet_meer", "Synoviale cyste L4-L5 rechts.", "De synoviale cyste L4-L5 rechts is niet meer zichtbaar.",
     "synovial_cyst", "L4-L5", "resolved"),
    ("nl_geen_then_present", "Geen foramenstenose L5-S1.", "Foramenstenose L5-S1 links.",
     "foraminal_stenosis", "L5-S1", "new"),
    ("mixed_nl_en_resolved", "L3-L4: discusprotrusie.", "L3-L4: no disc herniation.",
     "disc_protrusion", "L3-L4", "resolved"),
    ("en_both_negated", "No fracture.", "No fracture.", "vertebral_fracture", None, "unchanged"),
    ("en_other_side_not_reworded", "L4-L5: left disc protrusion.", "L4-L5: right disc protrusion.",
     "disc_protrusion", "L4-L5", None),  # two entries: checked below
    ("en_otherwise_unchanged_keeps", "L3-L4: disc bulge. L4-L5: disc protrusion.",
     "L4-L5: disc protrusion. Otherwise unchanged.", "disc_bulge", "L3-L4", "unchanged"),
    ("nl_overigens_ongewijzigd", "L3-L4: discusbulging. L4-L5: discusprotrusie.",
     "L4-L5: discusprotrusie. Overigens ongewijzigd beeld.", "disc_bulge", "L3-L4", "unchanged"),
    # --- words that describe the image, not a change -------------------------------------
    ("en_increased_signal_is_no_cue", "Modic type 1 change at L4-L5.",
     "Modic type 1 change at L4-L5 with increased T2 signal.", "modic_change", "L4-L5", "unchanged"),
    ("en_reduced_height_is_no_cue", "Disc height loss at L4-L5.", "Reduced disc height at L4-L5.",
     "disc_height_loss", "L4-L5", "unchanged"),
    ("nl_afname_hoogte_is_no_cue", "Er is een verlaagde discushoogte op niveau L4-L5.",
     "Er is een afname van de discushoogte op niveau L4-L5.", "disc_height_loss", "L4-L5", "unchanged"),
    ("nl_toegenomen_signaal_is_no_cue", "Modic 1 veranderingen L4-L5.",
     "Modic 1 veranderingen L4-L5 met toegenomen signaal op T2.", "modic_change", "L4-L5", "unchanged"),
    ("en_worse_on_the_right_is_one_scan", "Mild foraminal stenosis at L5-S1 on both sides.",
     "Mild foraminal stenosis at L5-S1 on both sides, worse on the right.", "foraminal_stenosis", "L5-S1",
     "unchanged"),
    ("en_reduced_in_height_is_one_scan", "Disc height loss at L3-L4.",
     "Disc height loss at L3-L4: the disc is reduced in height.", "disc_height_loss", "L3-L4", "unchanged"),
    ("nl_groter_dan_links_is_one_scan", "Facetartrose L4-L5 beiderzijds.",
     "Facetartrose L4-L5 beiderzijds, rechts groter dan links.", "facet_arthropathy", "L4-L5", "unchanged"),
    ("en_a_smaller_lesion_is_one_scan", "Haemangioma in L2.",
     "Haemangioma in L2 and a smaller one in L4.", "haemangioma", "L2", "unchanged"),
    ("nl_een_kleinere_is_one_scan", "Discusprotrusie L4-L5.",
     "Discusprotrusie L4-L5 en een kleiner uitpuilende discus L5-S1.", "disc_protrusion", "L4-L5",
     "unchanged"),
    ("en_an_interval_increase_is_a_cue", "L4-L5: disc extrusion.",
     "L4-L5: there is an interval increase in the size of the disc extrusion.", "disc_extrusion", "L4-L5",
     "larger"),
    ("en_larger_than_before_is_a_cue", "L4-L5: disc protrusion.", "L4-L5: disc protrusion, larger than before.",
     "disc_protrusion", "L4-L5", "larger"),
    # --- a finding without a level speaks for the levels the other report names ------------
    ("en_unlevelled_then_levelled", "Multilevel disc degeneration.", "Disc degeneration at L3-L4 and L4-L5.",
     "disc_degeneration", "L4-L5", "unchanged"),
    ("nl_unlevelled_negation_then_present", "Geen kanaalstenose.", "Lichte kanaalstenose op niveau L4-L5.",
     "spinal_canal_stenosis", "L4-L5", "new"),
    ("nl_geen_significante_verandering", "Discusprotrusie L4-L5 links. Discusbulging L5-S1.",
     "Discusprotrusie L4-L5 links. Geen significante verandering ten opzichte van het vorige onderzoek.",
     "disc_bulge", "L5-S1", "unchanged"),
    ("en_no_relevant_change", "L3-L4: disc bulge. L4-L5: disc protrusion.",
     "L4-L5: disc protrusion. No relevant change compared with the previous MRI.",
     "disc_bulge", "L3-L4", "unchanged"),
    ("en_not_mentioned_is_resolved", "L3-L4: disc bulge. L4-L5: disc protrusion.",
     "L4-L5: disc protrusion.", "disc_bulge", "L3-L4", "resolved"),
]


def entries(old: str, new: str) -> List[Dict]:
    return nlp.compare(old, new).to_list()


def entry_for(result: List[Dict], concept: str, level: Optional[str]) -> Dict:
    levels = [level] if level else []
    found = [e for e in result if e["concept"] == concept and e["levels"] == levels]
    assert len(found) == 1, result
    return found[0]


@pytest.mark.parametrize("old,new,concept,level,change",
                         [p[1:] for p in PAIRS if p[5]], ids=[p[0] for p in PAIRS if p[5]])
def test_pair(old, new, concept, level, change):
    assert entry_for(entries(old, new), concept, level)["change"] == change


def test_at_least_thirty_pairs_in_both_languages_and_mixed():
    ids = [p[0] for p in PAIRS]
    assert len(ids) >= 30
    for prefix in ("en_", "nl_", "mixed_"):
        assert sum(i.startswith(prefix) for i in ids) >= 5


def test_unlevelled_finding_is_no_entry_of_its_own():
    result = entries("Multilevel disc degeneration.", "Disc degeneration at L3-L4 and L4-L5.")
    assert [(e["levels"], e["change"]) for e in result] == [(["L3-L4"], "unchanged"),
                                                          (["L4-L5"], "unchanged")]


def test_rewording_is_one_entry_with_both_wordings():
    result = entries("L4-L5: left disc protrusion.", "L4-L5: left disc herniation.")
    assert [e["change"] for e in result] == ["reworded"]
    assert result[0]["old"]["text"] == "disc protrusion"
    assert result[0]["new"]["text"] == "disc herniation"


def test_other_side_is_resolved_and_new_not_reworded():
    result = entries("L4-L5: left disc protrusion.", "L4-L5: right disc protrusion.")
    changes = sorted((e["change"], (e["old"] or e["new"])["side"]) for e in result)
    assert changes == [("new", "right"), ("resolved", "left")]


def test_contract_fields_and_values():
    result = entries("MRI. L4-L5: disc bulge. Mild canal stenosis L4-L5. No fracture.",
                     "MRI. L4-L5: disc protrusion. Severe canal stenosis L4-L5. L5-S1: disc bulge.")
    assert result
    for e in result:
        assert list(e)[:5] == ["concept", "levels", "old", "new", "change"]
        assert e["change"] in CHANGES and e["basis"] in BASES
        assert isinstance(e["levels"], list)
        assert e["old"] is not None or e["new"] is not None
        for side in ("old", "new"):
            if e[side] is not None:
                assert {"concept", "text", "levels", "side", "severity", "negated"} <= set(e[side])
    # one entry per concept (family) and level present in either report
    keys = [(e["concept"], tuple(e["levels"])) for e in result]
    assert len(keys) == len(set(keys))
    assert ("vertebral_fracture", ()) in keys


def test_mixed_languages_use_the_same_concept_ids():
    result = entries("L4-L5: lichte kanaalstenose.", "L4-L5: mild spinal canal stenosis.")
    assert [(e["concept"], e["change"]) for e in result] == [("spinal_canal_stenosis", "unchanged")]
    assert result[0]["old"]["text"] == "kanaalstenose"


def test_entries_ordered_head_to_tail():
    result = entries("L5-S1: disc bulge. C5-C6: disc protrusion. L3-L4: disc bulge.",
                     "L5-S1: disc bulge. C5-C6: disc protrusion. L3-L4: disc bulge.")
    assert [e["levels"] for e in result] == [["C5-C6"], ["L3-L4"], ["L5-S1"]]


def _finding(concept: str, severity: Optional[str] = None, negated: bool = False) -> Finding:
    return Finding(concept=concept, category="common", text=concept, start=0, end=len(concept),
                   levels=["L4-L5"], severity=severity, negated=negated)


def test_reports_built_by_hand_compare_without_the_pipeline():
    old = Report("en", [_finding("disc_bulge", "mild")], text="disc_bulge")
    new = Report("nl", [_finding("disc_extrusion", "severe")], text="disc_extrusion")
    [change] = compare_reports(old, new).changes
    assert (change.concept, change.change, change.basis) == ("disc_extrusion", "larger", "severity")


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_compare_lexicons_validate(lang):
    from nlp.second_opinion.compare import cue_pattern, settings, within_scan_pattern

    conf = settings()
    assert conf["family_of"]["disc_bulge"] == conf["family_of"]["disc_herniation"] == "disc_contour"
    assert set(conf["family_of"]) <= conf["sized"]  # a contour grows or shrinks
    assert cue_pattern(lang).search("x") is None
    assert within_scan_pattern(lang).match(" " + ("links" if lang == "nl" else "left"))


def test_compare_texts_exist_for_every_change_and_basis():
    from nlp.present.ui_text import t

    for lang in ("en", "nl"):
        assert len({t(f"compare.change.{c}", lang) for c in CHANGES}) == len(CHANGES)
        for basis in BASES:
            assert t(f"compare.basis.{basis}", lang, cue="x")


def test_exports_escape_report_text_and_keep_the_table_whole():
    from nlp.present.export import comparison_markdown, comparison_page

    comparison = nlp.compare("L4-L5: disc bulge | <b>x</b>.", "L4-L5: disc protrusion | <b>x</b>.")
    markdown = comparison_markdown(comparison, lang="nl")
    [row] = [line for line in markdown.splitlines() if line.startswith("| L4-L5")]
    assert row.count(" | ") == 5  # six cells: the report's "|" is escaped
    assert "\\|" in row and "Hetzelfde, met een ander woord" in row
    page = comparison_page(comparison, lang="en")
    assert "<b>x</b>" not in page and "&lt;b&gt;x&lt;/b&gt;" in page
    assert 'class="c-reworded"' in page
