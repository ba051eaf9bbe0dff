"""Examples filled from the finding's own level, side and root; severity labels (issue 12,
defects 5 and 6).

Old code: root and extrusion texts always said "left S1 / L5-S1 / left leg"; the
severity was only in the CSV and JSON.
"""
from __future__ import annotations

import re

import pytest

from nlp.explain import explain_finding, explain_report
from nlp.lexicon import LANGUAGES, concepts, load_yaml
from tests.unit.explain_helpers import at, finding, report

EXPLANATIONS = load_yaml("explanations.yaml")


def right_s1(lang: str = "en"):
    text = "L5-S1: right paracentral disc extrusion compressing the traversing right S1 nerve root."
    return report(text, [
        at(text, "disc extrusion", "disc_extrusion", levels=["L5-S1"], side="right"),
        at(text, "compressing the traversing right S1 nerve root", "nerve_root_compression",
           levels=["L5-S1"], side="right"),
    ], lang=lang, regions=["lumbar"])


@pytest.mark.parametrize("lang, words", [
    ("en", ["right S1 nerve root", "L5-S1", "the right leg"]),
    ("nl", ["rechter S1-zenuwwortel", "L5-S1", "het rechterbeen"]),
])
def test_a_right_s1_compression_reads_about_the_right_leg(lang, words):
    items = explain_report(right_s1(lang)).all_findings()
    root = next(i for i in items if i.concept == "nerve_root_compression")
    assert root.roots == ["S1"]
    for word in words:
        assert word in root.example
    for item in items:
        for text in (item.meaning, item.example or ""):
            assert not re.search(r"\bleft\b|\blinker|linkerbeen", text)


def test_the_extrusion_example_names_its_own_side_level_and_root():
    extrusion = next(i for i in explain_report(right_s1()).all_findings() if i.concept == "disc_extrusion")
    assert extrusion.example.startswith("In your report the extrusion is on the right at L5-S1")
    assert "right S1 nerve root" in extrusion.example and "the right leg" in extrusion.example


def test_an_example_is_left_out_when_the_side_or_level_is_unknown():
    assert explain_finding(finding("nerve_root_compression")).example is None
    assert explain_finding(finding("disc_extrusion", levels=["L4-L5"])).example is None
    no_root = explain_finding(finding("nerve_root_compression", levels=["L4-L5"], side="left"))
    assert no_root.example == ("In your report a nerve root is compressed on the left at L4-L5. "
                               "That would fit pain, tingling or numbness in the left leg.")


@pytest.mark.parametrize("concept", sorted(concepts()))
@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_text_carries_a_fixed_side_or_root(concept, lang):
    entry = EXPLANATIONS[concept]
    for key in ("plain", "meaning"):
        assert not re.search(r"\b(left|right|linker|rechter)\b.*\b[LS][1-5]\b", entry[key][lang])


@pytest.mark.parametrize("severity, en, nl", [("mild", "mild", "licht"), ("moderate", "moderate", "matig"),
                                              ("severe", "severe", "ernstig"), (None, "", "")])
def test_severity_label_in_both_languages(severity, en, nl):
    assert explain_finding(finding("spinal_canal_stenosis", severity=severity)).severity_label == en
    assert explain_finding(finding("spinal_canal_stenosis", severity=severity), lang="nl").severity_label == nl


def test_where_and_side_labels():
    item = explain_finding(finding("foraminal_stenosis", levels=["L4-L5", "L5-S1"], side="bilateral"), lang="nl")
    assert item.where == "L4-L5 en L5-S1" and item.side_label == "beide kanten"
    assert item.phrase == "de vernauwde zenuwuitgang aan beide kanten op L4-L5 en L5-S1"
