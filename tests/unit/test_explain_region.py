"""The report's spine region decides figures and words (issue 12, defect 2).

Old code: a neck report got lumbar figures (Brinjikji 2015 pooled lumbar studies only),
"people without back pain", leg examples and "back pain with fever".
"""
from __future__ import annotations

import pytest

from nlp.explain import explain_finding, explain_report, finding_regions, prevalence_for
from nlp.lexicon import LANGUAGES, load_yaml
from tests.unit.explain_helpers import at, finding, report

FIGURES = load_yaml("prevalence.yaml")["figures"]


def neck_report(lang: str = "en"):
    text = "MRI cervical spine. C5-C6: right disc herniation compressing the right C6 nerve root. Disc bulge C4-C5."
    return report(text, [
        at(text, "disc herniation", "disc_herniation", levels=["C5-C6"], side="right"),
        at(text, "compressing the right C6 nerve root", "nerve_root_compression", levels=["C5-C6"], side="right"),
        at(text, "Disc bulge", "disc_bulge", levels=["C4-C5"]),
    ], lang=lang, age=45, regions=["cervical"])


def test_regions_come_from_the_levels_else_from_the_report():
    assert finding_regions(["C5-C6"]) == ["cervical"]
    assert finding_regions(["L5-S1"]) == ["lumbar"]
    assert finding_regions(["T7-T8", "L1-L2"]) == ["thoracic", "lumbar"]
    assert finding_regions([], ["cervical"]) == ["cervical"]
    assert finding_regions([]) == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_neck_bulge_gets_the_neck_figure_and_never_a_lumbar_one(lang):
    bulge = next(i for i in explain_report(neck_report(lang)).all_findings() if i.concept == "disc_bulge")
    assert bulge.prevalence.source.key == "nakashima2015"
    assert bulge.prevalence.percent == 87.6
    assert bulge.prevalence.regions == ["cervical"]
    sentence = bulge.prevalence.sentence(lang)
    assert ("neck" if lang == "en" else "nek") in sentence
    assert "Nakashima" in sentence and "Brinjikji" not in sentence


def test_lumbar_findings_keep_the_lumbar_figures():
    assert prevalence_for("disc_bulge", age=50, regions=["lumbar"]).source.key == "brinjikji2015"
    assert prevalence_for("disc_bulge", age=50, regions=["cervical"]).source.key == "nakashima2015"


@pytest.mark.parametrize("concept", ["disc_degeneration", "disc_protrusion", "facet_arthropathy",
                                     "spondylolisthesis", "disc_herniation", "modic_change"])
def test_a_neck_finding_without_a_neck_source_gets_no_figure(concept):
    assert prevalence_for(concept, age=50, regions=["cervical"]) is None
    assert explain_finding(finding(concept, levels=["C5-C6"]), age=50).prevalence is None


def test_cord_compression_in_the_neck_has_its_neck_figure():
    prevalence = prevalence_for("spinal_cord_compression", age=50, regions=["cervical"])
    assert prevalence.percent == 5.3 and prevalence.source.key == "nakashima2015"
    assert prevalence_for("spinal_cord_compression", age=50, regions=["thoracic"]) is None


def test_a_thoracic_finding_gets_no_lumbar_figure():
    assert explain_finding(finding("disc_bulge", levels=["T7-T8"]), age=50).prevalence is None


def test_every_figure_names_the_regions_of_its_population():
    for concept, entry in FIGURES.items():
        for figure in entry if isinstance(entry, list) else [entry]:
            for f in [figure, *(figure.get("also") or [])]:
                assert f["regions"], concept
                if f["source"].startswith("brinjikji2015"):
                    assert f["regions"] == ["lumbar"]


@pytest.mark.parametrize("lang, neck, back", [("en", ["neck pain"], ["back pain"]),
                                              ("nl", ["nekpijn", "nekklachten"], ["rugpijn", "rugklachten"])])
def test_neck_texts_speak_of_the_neck(lang, neck, back):
    result = explain_report(neck_report(lang))
    bulge = next(i for i in result.all_findings() if i.concept == "disc_bulge")
    assert any(w in bulge.meaning for w in neck) and not any(w in bulge.meaning for w in back)
    assert result.area == "neck"
    warnings = " ".join(result.warning_symptoms)
    assert ("Neck pain with fever" if lang == "en" else "Nekpijn met koorts") in warnings
    assert ("Back pain" if lang == "en" else "Rugpijn") not in warnings
    assert result.general == []      # the general statements come from lumbar studies


@pytest.mark.parametrize("lang, limb, leg", [("en", "right arm", "leg"), ("nl", "rechterarm", "been")])
def test_neck_examples_use_the_arm_and_the_c_root(lang, limb, leg):
    result = explain_report(neck_report(lang))
    root = next(i for i in result.all_findings() if i.concept == "nerve_root_compression")
    assert root.roots == ["C6"]
    assert limb in root.example and "C6" in root.example and leg not in root.example


def test_a_lumbar_report_keeps_back_wording():
    text = "L4-L5: disc bulge."
    result = explain_report(report(text, [at(text, "disc bulge", "disc_bulge", levels=["L4-L5"])],
                                   regions=["lumbar"]))
    assert result.area == "back"
    assert "back pain" in result.all_findings()[0].meaning
    assert any("Back pain with fever" in s for s in result.warning_symptoms)


def test_an_unlevelled_finding_of_a_lumbosacral_report_keeps_the_lumbar_figure():
    assert finding_regions([], ["lumbar", "sacral"]) == ["lumbar"]
    text = "Degenerative disc disease."
    item = explain_report(report(text, [at(text, "Degenerative disc disease", "disc_degeneration")],
                                 age=50, regions=["lumbar", "sacral"])).all_findings()[0]
    assert item.prevalence.source.key == "brinjikji2015"


def test_an_unlevelled_finding_of_a_whole_spine_report_gets_no_one_region_figure():
    assert prevalence_for("disc_degeneration", age=50, regions=["cervical", "lumbar"]) is None


def test_the_low_back_statements_are_left_out_of_a_thoracic_report():
    text = "T7-T8: disc bulge."
    thoracic = explain_report(report(text, [at(text, "disc bulge", "disc_bulge", levels=["T7-T8"])],
                                     regions=["thoracic"]))
    assert thoracic.general == [] and thoracic.area == "back"
    lumbar = explain_report(report(text, [finding("disc_bulge", levels=["L4-L5"])], regions=["lumbar"]))
    assert lumbar.general
