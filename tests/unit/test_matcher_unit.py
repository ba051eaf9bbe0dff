"""nlp/matcher/engine.py: of rules matching the same tokens, the one medspaCy lists first wins.

medspaCy keeps the first of two equally long overlapping matches, in the order its matchers
list them: spaCy's Matcher (token patterns) in the order its state machine completes them,
then the PhraseMatcher (literal rules). That order is not the order of the rules.
"""
import pytest
from medspacy.common.medspacy_matcher import MedspacyMatcher
from medspacy.target_matcher import TargetRule

from nlp.matcher.engine import TokenPatternMatcher
from nlp.pipeline.tokenizer import blank

# Both match "is x"; spaCy's Matcher completes the second first (its first element is
# required; the first rule's is optional and its state is carried on later).
OPTIONAL_FIRST = [{"LOWER": "is", "OP": "?"}, {"LOWER": "x"}]
REQUIRED_FIRST = [{"LOWER": "is"}, {"LOWER": "y", "OP": "?"}, {"LOWER": "x"}]


@pytest.fixture(scope="module")
def en():
    return blank("en")


def _medspacy_winners(en, rules, text):
    matcher = MedspacyMatcher(en)
    matcher.add([TargetRule(r["literal"], r["literal"], pattern=r.get("pattern")) for r in rules])
    doc = en(text)
    return [(en.vocab.strings[key], start, end) for key, start, end in matcher(doc)]


@pytest.mark.parametrize("order", [(0, 1), (1, 0)])
def test_tied_matches_follow_spacys_order_not_the_rules(en, order):
    patterns = [OPTIONAL_FIRST, REQUIRED_FIRST]
    rules = [{"literal": f"rule{k}", "pattern": patterns[k]} for k in order]
    text = "a is x"
    ours = TokenPatternMatcher(en, rules)(en(text))
    theirs = _medspacy_winners(en, rules, text)
    # The rule with the required first word wins, whichever comes first in the lexicon.
    winner = order.index(1)
    assert ours == [(winner, 1, 3)]
    assert [(label.rsplit("_", 1)[0], s, e) for label, s, e in theirs] == [(f"rule{order[winner]}", 1, 3)]


def test_a_token_pattern_wins_over_a_literal_on_the_same_words(en):
    # medspaCy lists the PhraseMatcher's matches after the Matcher's.
    rules = [{"literal": "is x"}, {"literal": "pattern", "pattern": [{"LOWER": "is"}, {"LOWER": "x"}]}]
    assert TokenPatternMatcher(en, rules)(en("a is x")) == [(1, 1, 3)]
    assert [label for label, _, _ in _medspacy_winners(en, rules, "a is x")] == ["pattern_1"]


def test_unpruned_matches_keep_rule_order(en):
    rules = [{"literal": "a", "pattern": OPTIONAL_FIRST}, {"literal": "b", "pattern": REQUIRED_FIRST}]
    assert TokenPatternMatcher(en, rules, prune=False)(en("a is x")) == [(0, 1, 3), (1, 1, 3), (0, 2, 3)]
