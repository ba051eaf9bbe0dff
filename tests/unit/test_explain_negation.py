"""Ruled-out findings say where and exactly what was ruled out (issue 12, defect 3).

Old code: "no nerve root compromise at L5-S1" read "the report says no nerve root is
compressed" next to a card with the L5 root compressed at L4-L5; "no cord signal
abnormality" read "the spinal cord is not compressed"; a concept present somewhere lost
its ruled-out mentions at other levels.
"""
from __future__ import annotations

import pytest

from nlp.explain import explain_finding, explain_report
from nlp.lexicon import load_yaml
from tests.unit.explain_helpers import at, finding, report

EXPLANATIONS = load_yaml("explanations.yaml")

TEXT = ("L4-L5: right paracentral extrusion compressing the traversing right L5 nerve root. "
        "L5-S1: no nerve root compromise. No fracture.")


def mixed():
    return report(TEXT, [
        at(TEXT, "extrusion", "disc_extrusion", levels=["L4-L5"], side="right"),
        at(TEXT, "compressing the traversing right L5 nerve root", "nerve_root_compression",
           levels=["L4-L5"], side="right"),
        at(TEXT, "nerve root compromise", "nerve_root_compression", levels=["L5-S1"], negated=True),
        at(TEXT, "fracture", "vertebral_fracture", negated=True),
    ], regions=["lumbar"])


@pytest.mark.parametrize("lang, expected", [
    ("en", "At L5-S1, the report says no nerve root is compressed."),
    ("nl", "Ter hoogte van L5-S1: volgens het verslag wordt er geen zenuwwortel samengedrukt."),
])
def test_a_ruled_out_statement_names_its_level(lang, expected):
    item = explain_finding(finding("nerve_root_compression", negated=True, levels=["L5-S1"]), lang=lang)
    assert item.meaning == expected
    assert item.where == "L5-S1"


def test_several_levels_are_all_named():
    item = explain_finding(finding("disc_herniation", negated=True, levels=["L1-L2", "L2-L3", "L3-L4"]))
    assert item.meaning.startswith("At L1-L2, L2-L3 and L3-L4, the report says")
    nl = explain_finding(finding("disc_herniation", negated=True, levels=["L1-L2", "L2-L3"]), lang="nl")
    assert nl.meaning.startswith("Ter hoogte van L1-L2 en L2-L3:")


def test_a_negation_without_a_level_invents_no_scope():
    item = explain_finding(finding("vertebral_fracture", negated=True))
    assert item.meaning == EXPLANATIONS["vertebral_fracture"]["ruled_out"]["en"]
    assert item.where == ""


def test_present_at_one_level_and_ruled_out_at_another_both_show():
    result = explain_report(mixed())
    shown = [(g.key, i.concept, i.where) for g in result.unique_groups() for i in g.findings]
    assert ("context", "nerve_root_compression", "L4-L5") in shown
    assert ("ruled_out", "nerve_root_compression", "L5-S1") in shown
    assert ("ruled_out", "vertebral_fracture", "") in shown


def test_a_ruled_out_mention_at_the_level_where_it_is_present_is_not_shown():
    text = "L4-L5: disc herniation. L4-L5: no disc herniation on the left."
    result = explain_report(report(text, [
        at(text, "disc herniation", "disc_herniation", levels=["L4-L5"]),
        at(text, "no disc herniation", "disc_herniation", levels=["L4-L5"], negated=True),
    ]))
    shown = [(i.concept, i.status) for g in result.unique_groups() for i in g.findings]
    assert shown == [("disc_herniation", "present")]


def test_a_ruled_out_mention_without_level_is_dropped_when_present_elsewhere():
    text = "L4-L5: disc herniation. No disc herniation."
    result = explain_report(report(text, [
        at(text, "disc herniation", "disc_herniation", levels=["L4-L5"]),
        at(text, "No disc herniation", "disc_herniation", negated=True),
    ]))
    assert [i.status for g in result.unique_groups() for i in g.findings] == ["present"]


@pytest.mark.parametrize("words", ["cord signal abnormality", "myelopathy", "myelopathie",
                                   "signaalverandering in het myelum"])
def test_no_cord_signal_change_is_not_read_as_no_cord_compression(words):
    item = explain_finding(at(words, words, "spinal_cord_compression", levels=["C5-C6"], negated=True))
    assert "not compressed" not in item.meaning
    assert "itself" in item.meaning and item.meaning.startswith("At C5-C6,")
    plain = explain_finding(finding("spinal_cord_compression", negated=True))
    assert plain.meaning == EXPLANATIONS["spinal_cord_compression"]["ruled_out"]["en"]
