"""nlp/lexicon/: rule keys that only medspaCy would honour are refused on load.

Both engines must read the same rules the same way (tests/integration/test_engines*.py).
A key medspaCy acts on but the fast engine ignores would make them differ silently, so the
validator refuses it, naming the file, the entry and the key.
"""
import copy

import pytest

from nlp import lexicon as lexicons
from nlp.lexicon import LexiconError, context_rules, section_rules, target_rules


def _serve(monkeypatch, lang: str, name: str, data) -> None:
    """Make ``load_json(lang, name)`` return ``data``; every other file is read as usual."""
    original = lexicons.load_json

    def fake(*parts):
        return copy.deepcopy(data) if parts == (lang, name) else original(*parts)

    monkeypatch.setattr(lexicons, "load_json", fake)


GOOD_TARGET = {"literal": "disc bulge", "category": "disc_bulge"}
GOOD_SECTION = {"literal": "findings:", "category": "findings"}
GOOD_CUE = {"literal": "no", "category": "NEGATED_EXISTENCE", "direction": "FORWARD"}


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_target_rule_with_span_attributes_is_refused(monkeypatch, lang):
    # medspaCy's TargetMatcher would set these on the span; the fast engine would not.
    bad = {"literal": "old fracture", "category": "vertebral_fracture", "attributes": {"is_historical": True}}
    _serve(monkeypatch, lang, "findings.json", {"target_rules": [GOOD_TARGET, bad]})
    with pytest.raises(LexiconError, match=rf"lexicons/{lang}/findings\.json #1: unknown key 'attributes'"):
        target_rules(lang)


@pytest.mark.parametrize("key,value", [("parents", ["findings"]), ("parent_required", True)])
def test_section_rule_with_parents_is_refused(monkeypatch, key, value):
    # Sub-sections exist in medspaCy's Sectionizer only.
    bad = {"literal": "disc levels:", "category": "findings", key: value}
    _serve(monkeypatch, "nl", "sections.json", {"section_rules": [GOOD_SECTION, bad]})
    with pytest.raises(LexiconError, match=rf"lexicons/nl/sections\.json #1: unknown key '{key}'"):
        section_rules("nl")


def test_context_rule_with_on_modifies_is_refused(monkeypatch):
    _serve(monkeypatch, "en", "context.json", {"context_rules": [GOOD_CUE, {**GOOD_CUE, "on_modifies": "f"}]})
    with pytest.raises(LexiconError, match=r"#1: unknown key 'on_modifies'"):
        context_rules("en")


def test_the_keys_both_engines_honour_are_accepted(monkeypatch):
    target = {**GOOD_TARGET, "pattern": [{"LOWER": "bulge"}], "metadata": {"source": "x"}}
    _serve(monkeypatch, "en", "findings.json", {"target_rules": [target]})
    assert target_rules("en") == [target]
    section = {**GOOD_SECTION, "pattern": [{"LOWER": "findings"}], "metadata": {}}
    _serve(monkeypatch, "en", "sections.json", {"section_rules": [section]})
    assert section_rules("en") == [section]


@pytest.mark.parametrize("pattern", ["disc (bulge|protrusion)", [], ["disc"]])
def test_a_pattern_that_is_not_token_specs_is_refused(monkeypatch, pattern):
    # medspaCy would run a string as a regular expression over the text; the fast engine
    # matches token patterns only.
    bad = {"literal": "disc bulge", "category": "disc_bulge", "pattern": pattern}
    _serve(monkeypatch, "en", "findings.json", {"target_rules": [GOOD_TARGET, bad]})
    with pytest.raises(LexiconError, match=r"findings\.json #1: 'pattern' must be a list of token specs"):
        target_rules("en")
