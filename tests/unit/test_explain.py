"""Tests for nlp/explain/: explanations, prevalence, groups and validation.

Findings are built by hand, so no pipeline is needed; expected figures are read from
``lexicons/prevalence.yaml`` rather than hard-coded. Urgency, region, negation scope,
examples, age and questions (issue 12) have test files of their own (test_explain_*.py).
"""
from __future__ import annotations

import copy

import pytest

from nlp.explain import (
    GROUP_KEYS,
    ExplainedFinding,
    Prevalence,
    ReportExplanation,
    category_info,
    explain_finding,
    explain_report,
    prevalence_for,
    unique_by_concept,
    validate_lexicons,
)
from nlp.explain import data as explain_data
from nlp.lexicon import LANGUAGES, LexiconError, concepts, load_yaml
from nlp.report import Finding, Report

FIGURES = load_yaml("prevalence.yaml")["figures"]
EXPLANATIONS = load_yaml("explanations.yaml")
QUESTIONS = load_yaml("questions.yaml")


def finding(concept: str, start: int = 0, **qualifiers) -> Finding:
    """A hand-made finding of ``concept`` at character ``start``."""
    return Finding(
        concept=concept,
        category=concepts()[concept]["category"],
        text=concept.replace("_", " "),
        start=start,
        end=start + len(concept),
        **qualifiers,
    )


def figure(concept: str) -> dict:
    """The first (lumbar) figure entry of a concept."""
    entry = FIGURES[concept]
    return entry[0] if isinstance(entry, list) else entry


def by_age(concept: str) -> dict[int, float]:
    return {int(k): float(v) for k, v in figure(concept)["by_age"].items()}


def band_percent(concept: str, label: str) -> float:
    return next(b["percent"] for b in figure(concept)["by_age_group"] if b["label"] == label)


@pytest.fixture
def fresh_lexicon():
    """Forget the validated data before and after a test that tampers with it."""
    explain_data.lexicon.cache_clear()
    yield
    explain_data.lexicon.cache_clear()


# ------------------------------------------------------------------- negation ----


@pytest.mark.parametrize("lang", LANGUAGES)
def test_negated_finding_is_ruled_out_with_reassuring_text(lang):
    item = explain_finding(finding("disc_bulge", negated=True), lang=lang, age=52)
    assert item.group == "ruled_out"
    assert item.status == "ruled_out"
    assert item.meaning == EXPLANATIONS["disc_bulge"]["ruled_out"][lang]
    assert item.prevalence is None
    assert item.questions == []
    assert item.status_label == {"en": "not present", "nl": "niet aanwezig"}[lang]


@pytest.mark.parametrize("concept", sorted(concepts()))
def test_no_negated_concept_is_explained_as_present(concept):
    item = explain_finding(finding(concept, negated=True, uncertain=True))
    assert item.group == "ruled_out"
    assert item.meaning != explain_finding(finding(concept)).meaning


def test_negated_attention_finding_gives_no_attention_questions():
    report = Report(language="en", findings=[finding("tumour", negated=True)])
    result = explain_report(report)
    assert [g.key for g in result.groups] == ["ruled_out"]
    assert not set(q["en"] for q in QUESTIONS["attention"]) & set(result.questions)


def test_status_of_uncertain_historical_and_present_findings():
    assert explain_finding(finding("disc_bulge", uncertain=True)).status == "possible"
    assert explain_finding(finding("disc_bulge", hypothetical=True)).status == "possible"
    assert explain_finding(finding("postoperative_change", historical=True)).status == "history"
    present = explain_finding(finding("disc_bulge"))
    assert (present.status, present.status_label) == ("present", "present")
    nl = explain_finding(finding("disc_bulge", uncertain=True), lang="nl")
    assert nl.status_label == "mogelijk"
    assert nl.prevalence is not None


# ----------------------------------------------------------------- prevalence ----


def test_disc_bulge_age_52_is_interpolated_between_50_and_60():
    item = explain_finding(finding("disc_bulge"), age=52)
    prevalence = item.prevalence
    table = by_age("disc_bulge")
    expected = table[50] + 0.2 * (table[60] - table[50])
    assert prevalence.percent == pytest.approx(expected)
    assert prevalence.age == 52
    assert prevalence.age_label == "52"
    assert prevalence.by_age == table
    sentence = prevalence.sentence("en")
    assert f"about {round(expected)} in 100" in sentence
    assert "aged around 52" in sentence
    assert "(Brinjikji et al., 2015)" in sentence
    assert f"ongeveer {round(expected)} op de 100" in prevalence.sentence("nl")


def test_age_far_outside_the_table_gives_no_figure():
    assert prevalence_for("disc_bulge", age=5) is None


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_age_gives_no_percent_and_the_range_in_the_sentence(lang):
    table = by_age("disc_bulge")
    prevalence = prevalence_for("disc_bulge", lang=lang)
    assert prevalence.percent is None
    assert prevalence.age is None and prevalence.age_label is None
    sentence = prevalence.sentence(lang)
    low, high = f"{table[min(table)]:.0f}", f"{table[max(table)]:.0f}"
    per_100 = {"en": "in 100", "nl": "op de 100"}[lang]
    assert f"{low} {per_100}" in sentence and f"{high} {per_100}" in sentence
    assert str(min(table)) in sentence and str(max(table)) in sentence


@pytest.mark.parametrize(
    "age, label, expected_label", [(45, "<60", "under 60"), (70, "60+", "60+")]
)
def test_band_only_figure_picks_the_band_of_the_age(age, label, expected_label):
    prevalence = prevalence_for("disc_herniation", age=age)
    assert prevalence.percent == band_percent("disc_herniation", label)
    assert prevalence.age == age
    assert prevalence.age_label == expected_label
    assert prevalence.by_age == {}
    assert f"about {band_percent('disc_herniation', label):.0f} in 100" in prevalence.sentence("en")


def test_band_only_figure_without_age_lists_every_band():
    prevalence = prevalence_for("disc_herniation", lang="nl")
    assert prevalence.percent is None
    sentence = prevalence.sentence("nl")
    for band in FIGURES["disc_herniation"]["by_age_group"]:
        assert f"{band['percent']:.0f} op de 100" in sentence


def test_band_and_overall_figure_falls_back_to_overall_without_age():
    scoliosis = figure("scoliosis")
    assert prevalence_for("scoliosis").percent == scoliosis["overall"]
    assert prevalence_for("scoliosis", age=45).percent == band_percent("scoliosis", "<60")


def test_overall_figure_ignores_age_and_keeps_source_and_extra_figures():
    prevalence = prevalence_for("disc_extrusion", lang="nl", age=40)
    assert prevalence.percent == FIGURES["disc_extrusion"]["overall"]
    assert prevalence.age is None
    assert prevalence.population == FIGURES["disc_extrusion"]["population"]["nl"]
    assert prevalence.note == FIGURES["disc_extrusion"]["note"]["nl"]
    assert prevalence.without_back_pain is True
    also = prevalence_for("disc_bulge", age=52).also
    assert [a.source.key for a in also] == [a["source"] for a in figure("disc_bulge")["also"]]
    assert also[0].percent == figure("disc_bulge")["also"][0]["overall"]


def test_range_only_figure_sentence():
    konin = prevalence_for("transitional_vertebra")
    low, high = figure("transitional_vertebra")["range"]
    assert konin.range == (low, high)
    assert konin.percent is None
    assert f"between {low} and {high} in 100" in konin.sentence("en")
    assert "(Konin & Walz, 2010)" in konin.sentence("en")


def test_concepts_without_figures_have_no_prevalence():
    assert prevalence_for("tumour") is None
    assert explain_finding(finding("nerve_root_compression"), age=40).prevalence is None


def test_source_citation():
    source = prevalence_for("disc_bulge").source
    assert source.cite().startswith("Brinjikji W, Luetmer PH, Comstock B, et al. (2015). ")
    assert source.cite().endswith("AJNR Am J Neuroradiol 2015;36(4):811-816.")
    assert source.doi == "10.3174/ajnr.A4173"
    assert source.short("nl") == "Brinjikji e.a., 2015"


@pytest.mark.parametrize("concept", sorted(FIGURES))
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("age", [None, 50, 65])
def test_every_figure_gives_a_sentence(concept, lang, age):
    prevalence = prevalence_for(concept, lang=lang, age=age)
    if prevalence is None:           # none for this age (see test_explain_age.py)
        assert age is not None
        return
    for p in [prevalence, *prevalence.also]:
        sentence = p.sentence(lang)
        assert sentence.endswith(").") and str(p.source.year) in sentence
        assert ("in 100" if lang == "en" else "op de 100") in sentence


def test_invalid_arguments():
    with pytest.raises(ValueError):
        prevalence_for("no_such_concept")
    with pytest.raises(ValueError):
        prevalence_for("disc_bulge", lang="de")
    with pytest.raises(ValueError):
        prevalence_for("disc_bulge", age=-1)
    with pytest.raises(ValueError):
        explain_finding(finding("disc_bulge"), lang="fr")


# ------------------------------------------------------------------ languages ----


@pytest.mark.parametrize("concept", sorted(concepts()))
def test_en_and_nl_texts_differ_and_are_not_empty(concept):
    en = explain_finding(finding(concept), lang="en")
    nl = explain_finding(finding(concept), lang="nl")
    for field in ("name", "plain", "meaning"):
        assert getattr(en, field).strip() and getattr(nl, field).strip()
        assert getattr(en, field) != getattr(nl, field)
    assert en.questions and nl.questions and en.questions != nl.questions
    en_out = explain_finding(finding(concept, negated=True), lang="en")
    nl_out = explain_finding(finding(concept, negated=True), lang="nl")
    assert en_out.meaning.strip() and nl_out.meaning.strip() and en_out.meaning != nl_out.meaning


def test_category_info_in_both_languages():
    en, nl = category_info("en"), category_info("nl")
    assert list(en) == list(GROUP_KEYS) == list(nl)
    for key in GROUP_KEYS:
        assert en[key]["label"] != nl[key]["label"]
        assert en[key]["colour"].startswith("#")
        assert en[key]["order"] == nl[key]["order"]


# --------------------------------------------------------------------- report ----


def mixed_report(language: str = "en", age: int | None = 52) -> Report:
    findings = [
        finding("postoperative_change", 0),
        finding("disc_bulge", 10),
        finding("haemangioma", 20),
        finding("tumour", 30, negated=True),
        finding("disc_extrusion", 40),
        finding("cauda_equina_compression", 50, uncertain=True),
        finding("disc_bulge", 60),          # again, in the conclusion
    ]
    return Report(language=language, findings=findings, age=age)


def test_groups_are_ordered_and_only_non_empty():
    result = explain_report(mixed_report())
    assert [g.key for g in result.groups] == list(GROUP_KEYS)
    assert [g.order for g in result.groups] == sorted(g.order for g in result.groups)
    only_common = explain_report(Report(language="en", findings=[finding("disc_bulge")]))
    assert [g.key for g in only_common.groups] == ["common"]


def test_attention_findings_bring_the_attention_questions():
    result = explain_report(mixed_report())
    attention = [q["en"] for q in QUESTIONS["attention"]]
    assert set(attention) <= set(result.questions)
    assert result.questions == result.suggested + result.optional


def test_no_attention_questions_without_attention_findings():
    report = Report(language="nl", findings=[finding("disc_bulge"), finding("scoliosis", 9)])
    result = explain_report(report)
    assert not set(q["nl"] for q in QUESTIONS["attention"]) & set(result.questions)


def test_duplicate_mentions_keep_their_highlights_but_not_their_questions():
    result = explain_report(mixed_report())
    common = next(g for g in result.groups if g.key == "common")
    assert [f.finding.start for f in common.findings] == [10, 60]
    assert len(result.questions) == len(set(result.questions))


def test_report_uses_its_language_and_age_unless_overridden():
    result = explain_report(mixed_report(language="nl", age=52))
    assert result.language == "nl"
    bulge = next(f for f in result.all_findings() if f.finding.concept == "disc_bulge")
    table = by_age("disc_bulge")
    assert bulge.prevalence.percent == pytest.approx(table[50] + 0.2 * (table[60] - table[50]))
    assert bulge.name == EXPLANATIONS["disc_bulge"]["name"]["nl"]
    overridden = explain_report(mixed_report(language="nl", age=52), lang="en", age=80)
    assert overridden.language == "en"
    bulge = next(f for f in overridden.all_findings() if f.finding.concept == "disc_bulge")
    assert bulge.prevalence.percent == by_age("disc_bulge")[80]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_fixed_texts_warnings_and_general_statements(lang):
    result = explain_report(mixed_report(language=lang))
    assert isinstance(result, ReportExplanation)
    assert result.disclaimer and result.privacy and result.message
    assert "\n" not in result.disclaimer
    assert result.warning_symptoms == QUESTIONS["warning_symptoms"]["back"][lang]
    assert result.warning_intro == QUESTIONS["warning_symptoms"]["intro"][lang]
    assert len(result.general) == len(load_yaml("prevalence.yaml")["general"])
    et_al = {"en": "et al.", "nl": "e.a."}[lang]
    assert any(g.endswith(f"(Jensen {et_al}, 1994).") for g in result.general)


def test_all_findings_in_text_order():
    result = explain_report(mixed_report())
    starts = [f.finding.start for f in result.all_findings()]
    assert starts == sorted(starts) and len(starts) == len(mixed_report().findings)


# ------------------------------------------------------------ unique_by_concept ----


def test_unique_by_concept_prefers_present_mentions():
    items = [
        explain_finding(finding("disc_herniation", 0, negated=True)),
        explain_finding(finding("disc_bulge", 5, uncertain=True)),
        explain_finding(finding("disc_herniation", 10)),
        explain_finding(finding("disc_bulge", 15)),
        explain_finding(finding("tumour", 20, negated=True)),
        explain_finding(finding("tumour", 25, negated=True)),
        explain_finding(finding("disc_herniation", 30)),
    ]
    unique = unique_by_concept(items)
    assert [(u.finding.concept, u.finding.start) for u in unique] == [
        ("disc_herniation", 10), ("disc_bulge", 15), ("tumour", 20),
    ]
    assert all(isinstance(u, ExplainedFinding) for u in unique)


def test_unique_groups_drop_ruled_out_concepts_that_are_present_elsewhere():
    report = Report(language="en", findings=[
        finding("disc_herniation", 0, negated=True),
        finding("disc_herniation", 10),
        finding("spinal_canal_stenosis", 20, negated=True),
    ])
    result = explain_report(report)
    assert [g.key for g in result.groups] == ["context", "ruled_out"]
    unique = {g.key: [f.finding.concept for f in g.findings] for g in result.unique_groups()}
    assert unique == {"context": ["disc_herniation"], "ruled_out": ["spinal_canal_stenosis"]}


# ----------------------------------------------------------------- validation ----


def broken(monkeypatch, name: str, change) -> None:
    """Make ``load_yaml(name)`` return a changed deep copy of the real data."""
    data = copy.deepcopy(load_yaml(name))
    change(data)
    real = explain_data.load_yaml
    monkeypatch.setattr(explain_data, "load_yaml", lambda n: data if n == name else real(n))


def test_real_lexicons_are_valid(fresh_lexicon):
    validate_lexicons()


def test_missing_dutch_explanation_is_reported(monkeypatch, fresh_lexicon):
    broken(monkeypatch, "explanations.yaml", lambda d: d["disc_bulge"]["meaning"].pop("nl"))
    with pytest.raises(LexiconError, match=r"explanations\.yaml: disc_bulge\.meaning.*'nl'"):
        validate_lexicons()
    with pytest.raises(LexiconError):
        explain_finding(finding("disc_degeneration"))


def test_concept_without_explanation_is_reported(monkeypatch, fresh_lexicon):
    broken(monkeypatch, "explanations.yaml", lambda d: d.pop("scoliosis"))
    with pytest.raises(LexiconError, match=r"explanations\.yaml: scoliosis"):
        validate_lexicons()


def test_unknown_source_key_is_reported(monkeypatch, fresh_lexicon):
    def change(data):
        data["figures"]["disc_bulge"][0]["also"][0]["source"] = "nobody2099"

    broken(monkeypatch, "prevalence.yaml", change)
    message = r"prevalence\.yaml: figures\.disc_bulge #0\.also #0.*nobody2099"
    with pytest.raises(LexiconError, match=message):
        validate_lexicons()
    with pytest.raises(LexiconError):
        prevalence_for("disc_bulge")


def test_figure_for_unknown_concept_is_reported(monkeypatch, fresh_lexicon):
    broken(monkeypatch, "prevalence.yaml",
           lambda d: d["figures"].__setitem__("slipped_disk", d["figures"]["disc_bulge"]))
    with pytest.raises(LexiconError, match=r"prevalence\.yaml: figures\.slipped_disk"):
        validate_lexicons()


def test_prevalence_is_a_dataclass_with_the_agreed_fields():
    fields = set(Prevalence.__dataclass_fields__)
    assert {"concept", "percent", "age", "age_label", "by_age", "overall", "range",
            "population", "without_back_pain", "note", "source", "also"} <= fields


def test_a_missing_shared_word_is_reported(monkeypatch, fresh_lexicon):
    broken(monkeypatch, "explanations.yaml", lambda d: d["_words"]["region"]["neck"]["limb_side"].pop("left"))
    with pytest.raises(LexiconError, match=r"_words\.region\.neck\.limb_side\.left"):
        validate_lexicons()
