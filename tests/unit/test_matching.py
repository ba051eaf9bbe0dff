"""nlp/matcher/engine.py: the matcher's pruning equals medspaCy's, and its patterns match as spaCy's do."""
from __future__ import annotations

import random

import pytest
from medspacy.common.util import prune_overlapping_matches
from spacy.matcher import Matcher

from nlp.pipeline.tokenizer import blank
from nlp.matcher.engine import PatternError, TokenPatternMatcher, _any_of, prune_longest


def _random_matches(rng: random.Random, n: int, length: int):
    found = set()
    for _ in range(n):
        start = rng.randrange(length)
        found.add((rng.randrange(5), start, start + rng.randint(1, 5)))
    return sorted(found, key=lambda m: (m[1], m[2], m[0]))


@pytest.mark.parametrize("seed", range(300))
def test_prune_longest_equals_medspacy(seed):
    rng = random.Random(seed)
    matches = _random_matches(rng, rng.randint(0, 25), rng.choice([5, 20, 60]))
    assert prune_longest(list(matches)) == prune_overlapping_matches(list(matches))


def test_prune_longest_keeps_the_longer_of_two_overlapping():
    assert prune_longest([(0, 2, 4), (1, 2, 6), (2, 8, 9)]) == [(1, 2, 6), (2, 8, 9)]


@pytest.fixture(scope="module")
def en():
    return blank("en")


PATTERNS = [
    [{"LOWER": "disc"}, {"LOWER": {"IN": ["bulge", "bulging"]}}],
    [{"LOWER": "no"}, {"LOWER": {"IN": ["significant", "evident"]}, "OP": "?"}, {"LOWER": "stenosis"}],
    [{"LOWER": {"REGEX": "^(mild|moderate)$"}}, {"LOWER": "to", "OP": "?"}, {"LOWER": "severe", "OP": "*"}],
    [{"LOWER": "the", "OP": "?"}, {"LOWER": "left"}, {"LOWER": {"NOT_IN": ["side"]}, "OP": "+"}],
    [{"TEXT": {"REGEX": "^L\\d"}}, {"IS_PUNCT": True, "OP": "{0,2}"}],
    # A repeated anchor followed by one more token: "severe severe stenosis".
    [{"LOWER": "severe", "OP": "+"}, {"LOWER": "stenosis"}, {"LOWER": "at", "OP": "?"}],
    # Specs tested on the word's lexeme, not its text alone.
    [{"LIKE_NUM": True}, {"LOWER": "mm"}],
    [{"IS_DIGIT": True}, {"IS_ALPHA": False, "IS_SPACE": False, "OP": "?"}, {"ORTH": {"IN": ["L5", "S1"]}}],
    [{"LOWER": "stenosis"}, {"IS_SPACE": True, "TEXT": {"REGEX": "\n"}}, {"IS_ALPHA": True}],
    [{"IS_SPACE": False, "TEXT": {"NOT_IN": [".", ";"]}, "OP": "{1,2}"}, {"LOWER": "narrowing"}],
]
TEXTS = [
    "Disc bulge at L4-L5 with no significant stenosis; mild to severe severe narrowing.",
    "The left foraminal narrowing, left side. No stenosis. L5, , S1 disc bulging",
    "moderate to mild; the left; left left left side. no evident evident stenosis",
    "severe severe stenosis at L4-L5; severe stenosis",
    "A 12 mm cyst, 4 , S1 and 5 L5; three mm.\nNo stenosis\nImpression: stenosis\n\nnormal narrowing.",
]


@pytest.mark.parametrize("text", TEXTS)
def test_every_match_equals_spacys_matcher(en, text):
    # Unpruned, our matcher must return every match spaCy's own Matcher returns.
    ours = TokenPatternMatcher(en, [{"literal": str(k), "pattern": p} for k, p in enumerate(PATTERNS)], prune=False)
    theirs = Matcher(en.vocab)
    for k, pattern in enumerate(PATTERNS):
        theirs.add(str(k), [pattern])
    doc = en(text)
    expected = sorted({(int(en.vocab.strings[m]), s, e) for m, s, e in theirs(doc)}, key=lambda m: (m[1], m[2], m[0]))
    assert ours(doc) == expected
    assert ours(doc, doc.to_array("ORTH").tolist()) == expected


def test_pattern_without_a_required_token_is_refused(en):
    with pytest.raises(PatternError):
        TokenPatternMatcher(en, [{"literal": "x", "pattern": [{"LOWER": "a", "OP": "?"}]}])


ANY_OF_PATTERNS = [
    r"^bulg(ing|ed)$", r"^(?i:C|Th|T|L|S)\d{1,2}([-/–](?i:C|Th|T|L|S)?\d{1,2})$", r"stenos", r"^\d+mm$",
]
ANY_OF_WORDS = ["bulging", "bulge", "L4-L5", "l4-l5", "Th12", "stenosis", "canalstenosis", "12mm", "mm", "", "disc"]


@pytest.mark.parametrize("patterns", [ANY_OF_PATTERNS, ANY_OF_PATTERNS[:1], [], ["(?i)disc", r"^\d+mm$"]])
def test_any_of_is_true_exactly_when_one_of_the_regexes_matches(patterns):
    # The last set cannot be joined ("(?i)" must open the whole expression): each is tried.
    import re

    test = _any_of(patterns)
    for word in ANY_OF_WORDS:
        assert bool(test(word)) == any(re.search(p, word) for p in patterns), (patterns, word)
