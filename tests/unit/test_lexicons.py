"""Tests for nlp/lexicon/: every lexicon validates, and broken rules are named clearly."""
from __future__ import annotations

import copy
import json
from collections import Counter

import pytest
import yaml

from nlp import lexicon as lexicons
from nlp.lexicon import (
    CONTEXT_CATEGORIES,
    LANGUAGES,
    LEXICON_DIR,
    LexiconError,
    attribute_cues,
    concepts,
    context_rules,
    coordination,
    load_json,
    section_rules,
    target_rules,
)

# The finding catalogue of the spec (concepts.md: id -> category), copied here so that the test
# needs nothing outside the repository; a change of the spec is a change of this table.
SPEC_CONCEPTS = {
    "degenerative_changes": "common", "disc_degeneration": "common", "disc_desiccation": "common",
    "disc_height_loss": "common", "disc_bulge": "common", "disc_protrusion": "common",
    "disc_extrusion": "context", "disc_sequestration": "context", "disc_herniation": "context",
    "annular_fissure": "common", "modic_change": "common", "schmorl_node": "variant",
    "facet_arthropathy": "common", "ligamentum_flavum_hypertrophy": "common", "osteophytes": "common",
    "spondylolisthesis": "common", "spondylolysis": "context", "spinal_canal_stenosis": "context",
    "lateral_recess_stenosis": "context", "foraminal_stenosis": "context", "nerve_root_contact": "context",
    "nerve_root_compression": "context", "cauda_equina_compression": "attention",
    "spinal_cord_compression": "attention", "vertebral_fracture": "attention", "tumour": "attention",
    "infection": "attention", "inflammatory_arthritis": "attention", "haemangioma": "variant",
    "transitional_vertebra": "variant", "perineural_cyst": "variant", "synovial_cyst": "context",
    "scoliosis": "common", "postoperative_change": "postop",
}
CATEGORIES = {"common", "context", "attention", "variant", "postop"}


@pytest.fixture()
def fresh_caches():
    """Clear the cached lexicons before and after a test that feeds them broken data."""
    caches = (attribute_cues, coordination)
    for cached in caches:
        cached.cache_clear()
    yield
    for cached in caches:
        cached.cache_clear()


def _serve(monkeypatch, lang: str, name: str, data) -> None:
    """Make ``load_json(lang, name)`` return ``data``; every other file is read as usual."""
    original = lexicons.load_json

    def fake(*parts):
        if parts == (lang, name):
            return copy.deepcopy(data)
        return original(*parts)

    monkeypatch.setattr(lexicons, "load_json", fake)


# --- the lexicons as shipped --------------------------------------------------------


@pytest.mark.parametrize("path", sorted(LEXICON_DIR.rglob("*.json")), ids=lambda p: str(p.relative_to(LEXICON_DIR)))
def test_lexicons_every_json_file_parses(path):
    with path.open(encoding="utf-8") as f:
        assert json.load(f)


@pytest.mark.parametrize("path", sorted(LEXICON_DIR.rglob("*.yaml")), ids=lambda p: str(p.relative_to(LEXICON_DIR)))
def test_lexicons_every_yaml_file_parses(path):
    with path.open(encoding="utf-8") as f:
        assert yaml.safe_load(f)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_lexicons_every_language_file_validates(lang):
    assert target_rules(lang)
    assert context_rules(lang)
    assert section_rules(lang)
    cues = attribute_cues(lang)
    assert set(cues["side"]["words"]) == {"left", "right", "bilateral", "central"}
    assert set(cues["severity"]["words"]) == {"mild", "moderate", "severe"}
    assert coordination(lang)["heads"]


def test_lexicons_language_neutral_files_validate():
    from nlp.explain import validate_lexicons
    from nlp.inputs.language import marker_words
    from nlp.inputs.readers import read_error_messages
    from nlp.present.ui_text import texts

    validate_lexicons()  # explanations, prevalence, questions, categories, disclaimer
    assert set(marker_words()) == set(LANGUAGES)
    assert read_error_messages()
    assert texts()


def test_lexicons_language_folders_hold_the_same_files():
    files = {lang: sorted(p.name for p in (LEXICON_DIR / lang).iterdir()) for lang in LANGUAGES}
    assert files["en"] == files["nl"]
    assert {"findings.json", "context.json", "sections.json", "attributes.json", "coordination.json"} <= set(files["en"])


def test_lexicons_concepts_have_known_categories():
    data = lexicons.load_yaml("concepts.yaml")
    assert set(data["categories"]) == CATEGORIES
    for concept, entry in concepts().items():
        assert entry["category"] in CATEGORIES, concept
        assert entry.get("levels", "disc") in {"disc", "disc_or_vertebrae", "vertebra", "none"}, concept


def test_lexicons_concepts_match_the_spec():
    assert {c: e["category"] for c, e in concepts().items()} == SPEC_CONCEPTS


@pytest.mark.parametrize("lang", LANGUAGES)
def test_lexicons_every_concept_has_a_finding_rule(lang):
    counts = Counter(rule["category"] for rule in target_rules(lang))
    missing = sorted(set(concepts()) - set(counts))
    assert missing == []


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("category", ["NEGATED_EXISTENCE", "POSSIBLE_EXISTENCE", "HISTORICAL"])
def test_lexicons_context_rules_for_negation_uncertainty_and_history(lang, category):
    rules = [r for r in context_rules(lang) if r["category"] == category]
    assert rules
    # A cue that modifies findings must point somewhere (not only terminate the scope).
    assert any(r.get("direction", "BIDIRECTIONAL") in {"FORWARD", "BACKWARD", "BIDIRECTIONAL"} for r in rules)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_lexicons_rules_load_into_medspacy(lang):
    from medspacy.section_detection import SectionRule
    from medspacy.target_matcher import TargetRule

    from nlp.lexicon import make_context_rule

    assert len([TargetRule.from_dict(r) for r in target_rules(lang)]) == len(target_rules(lang))
    rules = [make_context_rule(r) for r in context_rules(lang)]
    assert len(rules) == len(context_rules(lang))
    # history cues end at "new"/"nu": their terminated_by reaches medspaCy's rule objects
    assert any("CURRENT" in r.terminated_by for r in rules if r.category == "HISTORICAL")
    assert [SectionRule.from_dict(r) for r in section_rules(lang)]


# --- broken rules are named by file and entry ---------------------------------------

GOOD_TARGET = {"literal": "disc bulge", "category": "disc_bulge"}
GOOD_CONTEXT = {"literal": "no", "category": "NEGATED_EXISTENCE", "direction": "FORWARD"}


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(
    "bad,words",
    [
        ({"literal": "x", "category": "disc_bulge", "colour": "red"}, ["unknown key", "'colour'"]),
        ({"literal": "x", "category": "disc_bulgee"}, ["unknown concept", "'disc_bulgee'"]),
        ({"literal": "x", "category": "DISC_BULGE"}, ["unknown concept", "'DISC_BULGE'"]),
        ({"literal": "Disc Bulge", "category": "disc_bulge"}, ["duplicate", "'Disc Bulge'"]),
        ({"category": "disc_bulge", "pattern": [{"LOWER": "x"}]}, ["'literal'"]),
        ({"literal": "x"}, ["'category'"]),
    ],
)
def test_lexicons_broken_finding_rule_names_file_and_entry(monkeypatch, lang, bad, words):
    _serve(monkeypatch, lang, "findings.json", {"target_rules": [GOOD_TARGET, bad]})
    with pytest.raises(LexiconError) as info:
        target_rules(lang)
    message = str(info.value)
    assert f"lexicons/{lang}/findings.json #1" in message
    for word in words:
        assert word in message


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(
    "bad,words",
    [
        ({"literal": "x", "category": "NEGATED"}, ["unknown category", "'NEGATED'"]),
        ({"literal": "x", "category": "negated_existence"}, ["unknown category", "'negated_existence'"]),
        ({"literal": "x", "category": "NEGATED_EXISTENCE", "direction": "FORWARDS"}, ["unknown direction", "'FORWARDS'"]),
        ({"literal": "x", "category": "HISTORICAL", "scope": 3}, ["unknown key", "'scope'"]),
    ],
)
def test_lexicons_broken_context_rule_names_file_and_entry(monkeypatch, lang, bad, words):
    _serve(monkeypatch, lang, "context.json", {"context_rules": [GOOD_CONTEXT, bad]})
    with pytest.raises(LexiconError) as info:
        context_rules(lang)
    message = str(info.value)
    assert f"lexicons/{lang}/context.json #1" in message
    for word in words:
        assert word in message


def test_lexicons_every_context_category_is_accepted(monkeypatch):
    rules = [{"literal": f"cue {i}", "category": c} for i, c in enumerate(sorted(CONTEXT_CATEGORIES))]
    _serve(monkeypatch, "en", "context.json", {"context_rules": rules})
    assert [r["category"] for r in context_rules("en")] == sorted(CONTEXT_CATEGORIES)


def test_lexicons_broken_section_rule_names_file_and_entry(monkeypatch):
    good = {"literal": "Findings:", "category": "findings"}
    _serve(monkeypatch, "nl", "sections.json", {"section_rules": [good, {**good, "title": "x"}]})
    with pytest.raises(LexiconError, match=r"lexicons/nl/sections\.json #1: unknown key 'title'"):
        section_rules("nl")


@pytest.mark.usefixtures("fresh_caches")
@pytest.mark.parametrize("lang", LANGUAGES)
def test_lexicons_coordination_with_unknown_concept(monkeypatch, lang):
    data = {
        "heads": ["spinal_canal_stenosis"],
        "conjunctions": ["or"],
        "elided": [{"words": ["canal"], "concept": "canal_stenosis"}],
    }
    _serve(monkeypatch, lang, "coordination.json", data)
    with pytest.raises(LexiconError) as info:
        coordination(lang)
    assert f"lexicons/{lang}/coordination.json" in str(info.value)
    assert "'canal_stenosis'" in str(info.value)


@pytest.mark.usefixtures("fresh_caches")
def test_lexicons_attributes_without_severity(monkeypatch):
    _serve(monkeypatch, "en", "attributes.json", {"side": {"words": {"left": ["left"]}}})
    with pytest.raises(LexiconError, match=r"lexicons/en/attributes\.json: missing 'severity'"):
        attribute_cues("en")


def test_lexicons_unreadable_json_names_the_file(monkeypatch, tmp_path):
    (tmp_path / "lexicons" / "en").mkdir(parents=True)
    (tmp_path / "lexicons" / "en" / "findings.json").write_text('{"target_rules": [', encoding="utf-8")
    monkeypatch.setattr(lexicons, "LEXICON_DIR", tmp_path / "lexicons")
    with pytest.raises(LexiconError, match=r"lexicons/en/findings\.json: cannot be read as JSON"):
        load_json("en", "findings.json")
    with pytest.raises(LexiconError, match=r"lexicons/en/context\.json: cannot be read as JSON"):
        load_json("en", "context.json")  # missing


def test_lexicons_unsupported_language():
    with pytest.raises(ValueError, match="'de'"):
        target_rules("de")


def test_lexicons_pipeline_is_not_built_from_broken_rules(monkeypatch):
    from nlp.pipeline import build

    _serve(monkeypatch, "en", "findings.json", {"target_rules": [GOOD_TARGET, {"literal": "x", "category": "nope"}]})
    with pytest.raises(LexiconError, match=r"lexicons/en/findings\.json #1: unknown concept 'nope'"):
        build("en")
