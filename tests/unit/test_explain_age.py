"""Figures for the person's age (issue 12, defect 7).

Old code: the nearest table age within ten years (ties to the older age), a band or an
overall figure at any age, also for a 12-year-old; no "based on few people"; the
transitional-vertebra headline (36%) outside its own review range (4-30%).
"""
from __future__ import annotations

import pytest

from nlp.explain import explain_finding, prevalence_for
from nlp.lexicon import LANGUAGES, load_yaml
from tests.unit.explain_helpers import finding

PREVALENCE = load_yaml("prevalence.yaml")
FIGURES = PREVALENCE["figures"]


def table(concept: str) -> dict[int, float]:
    entry = FIGURES[concept]
    entry = entry[0] if isinstance(entry, list) else entry
    return {int(k): float(v) for k, v in entry["by_age"].items()}


def all_figures():
    for concept, entry in FIGURES.items():
        for figure in entry if isinstance(entry, list) else [entry]:
            for f in [figure, *(figure.get("also") or [])]:
                yield concept, f


def test_a_tie_is_interpolated_not_rounded_to_the_older_age():
    t = table("disc_bulge")
    assert prevalence_for("disc_bulge", age=35).percent == pytest.approx((t[30] + t[40]) / 2)
    assert prevalence_for("disc_bulge", age=35).age_label == "35"


@pytest.mark.parametrize("age", [21, 44, 45, 58, 79])
def test_ages_between_published_ages_are_interpolated_linearly(age):
    t = table("disc_degeneration")
    below, above = max(k for k in t if k <= age), min(k for k in t if k >= age)
    expected = t[below] if below == above else t[below] + (age - below) / (above - below) * (t[above] - t[below])
    assert prevalence_for("disc_degeneration", age=age).percent == pytest.approx(expected)


@pytest.mark.parametrize("concept", sorted(FIGURES))
@pytest.mark.parametrize("age", [0, 12, 17])
def test_no_figure_under_18(concept, age):
    assert prevalence_for(concept, age=age) is None
    assert explain_finding(finding(concept), age=age).prevalence is None


@pytest.mark.parametrize("concept, age", [
    ("disc_bulge", 85), ("disc_degeneration", 19),     # the table covers 20 to 80
    ("scoliosis", 25), ("scoliosis", 40),             # studied at 41-94
    ("osteophytes", 30), ("osteophytes", 44),         # cohort aged 45 and over
    ("spondylolysis", 90),                            # studied at 20-86
])
def test_no_figure_outside_the_ages_studied(concept, age):
    assert prevalence_for(concept, age=age) is None


@pytest.mark.parametrize("concept, age", [("scoliosis", 45), ("osteophytes", 50), ("spondylolysis", 30)])
def test_a_figure_inside_the_ages_studied(concept, age):
    assert prevalence_for(concept, age=age).percent is not None


def test_a_band_of_a_small_study_says_based_on_few_people():
    prevalence = prevalence_for("disc_herniation", age=45)
    assert prevalence.few_people
    assert "based on few people" in prevalence.sentence("en")
    assert "gebaseerd op weinig mensen" in prevalence.sentence("nl")
    assert not prevalence_for("disc_bulge", age=45).few_people
    assert "few people" not in prevalence_for("disc_bulge", age=45).sentence("en")


def test_few_people_follows_the_threshold_and_the_published_numbers():
    threshold = PREVALENCE["few_people_below"]
    for concept, figure in all_figures():
        p = next((x for x in [prevalence_for(concept)] + (prevalence_for(concept).also if prevalence_for(concept) else [])
                  if x is not None and x.source.key == figure["source"]), None)
        if p is None or "few_people" in figure:
            continue
        assert p.few_people == (figure.get("n") is not None and figure["n"] < threshold), concept


def test_the_transitional_vertebra_headline_lies_within_its_review_range():
    prevalence = prevalence_for("transitional_vertebra", age=50)
    assert prevalence.range == (4.0, 30.0) and prevalence.percent is None
    assert prevalence.source.key == "konin2010"
    assert "between 4 and 30 in 100" in prevalence.sentence("en")
    assert [a.source.key for a in prevalence.also] == ["apazidis2011"]


def test_modic_changes_are_shown_as_depending_on_complaints():
    item = explain_finding(finding("modic_change"), age=50)
    assert item.group == "context" and item.tier == "depends"
    assert "43%" in item.prevalence.note and item.prevalence.percent == 6


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_number_keeps_its_source(lang):
    sources = PREVALENCE["sources"]
    for concept, figure in all_figures():
        source = sources[figure["source"]]
        assert source["authors"] and source["year"] and source["journal"], concept


def test_every_figure_gives_its_number_of_people_or_an_explicit_mark(monkeypatch):
    import copy

    from nlp.explain import data as explain_data
    from nlp.explain import validate_lexicons
    from nlp.lexicon import LexiconError

    for concept, figure in all_figures():
        assert figure.get("n") or "few_people" in figure, concept
    broken = copy.deepcopy(PREVALENCE)
    del broken["figures"]["schmorl_node"]["n"]
    real = explain_data.load_yaml
    monkeypatch.setattr(explain_data, "load_yaml", lambda n: broken if n == "prevalence.yaml" else real(n))
    with pytest.raises(LexiconError, match=r"schmorl_node: give n"):
        validate_lexicons()
