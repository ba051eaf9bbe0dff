"""A token-pattern matcher for the analyser's rules, fast where spaCy's Matcher is slow.

The finding and context rules use many ``{"LOWER": {"REGEX": ...}}`` and ``{"IN": [...]}``
token specs. spaCy's Matcher evaluates each of them in Python for every token of every Doc
(measured: about 60 ms per report for the finding rules alone). Token specs only look at the
token's text, so this matcher evaluates each spec once per distinct word, caches the set of
specs a word satisfies, and then runs the patterns from the tokens that can start them.

It reads the same rules (medspaCy's TargetRule / ConTextRule ``literal`` + ``pattern``) and
returns the same matches as medspaCy's matcher: every match of every pattern, with
overlapping matches pruned to the longest exactly as medspaCy's ``prune_overlapping_matches`` does
(nlp/matcher/prune.py).
``tests/integration/test_engines.py`` checks that the whole pipeline gives identical results
with either matcher on every gold report.
"""
from __future__ import annotations

import json
import re
from itertools import compress
from math import inf
from functools import partial
from operator import attrgetter, eq, itemgetter
from typing import Any, Callable, Dict, FrozenSet, Iterable, List, NamedTuple, Optional, Sequence, Tuple

from spacy.language import Language
from spacy.lexeme import Lexeme
from spacy.tokens import Doc

from nlp.limits import MAX_CACHED_WORDS
# prune_longest is read from here too (tests/unit/test_matching.py).
from nlp.matcher.prune import TieOrder, prune_longest  # noqa: F401

# Lexical attributes a token spec may test (they depend on the word only), read in C.
_LEXICAL = {
    "ORTH": attrgetter("orth_"),
    "TEXT": attrgetter("orth_"),
    "LOWER": attrgetter("lower_"),
    "IS_SPACE": attrgetter("is_space"),
    "IS_PUNCT": attrgetter("is_punct"),
    "IS_DIGIT": attrgetter("is_digit"),
    "IS_ALPHA": attrgetter("is_alpha"),
    "LIKE_NUM": attrgetter("like_num"),
}
_QUANTIFIER = re.compile(r"^\{(\d*)(?:(,)(\d*))?\}$")

Element = Tuple[int, int, float]  # (spec id, min repeats, max repeats)


class Plan(NamedTuple):
    """How one pattern is matched from a token that satisfies its anchor element."""

    need: FrozenSet[int]  # the other specs it needs: none of them in a Doc, no attempt
    after: Tuple[int, ...]  # all one-token from the anchor on: the specs after the anchor
    prefix: Tuple[int, ...]  # else: the one-token specs right after a one-token anchor
    walk_forward: Optional[Tuple[Element, ...]]  # else: the elements walked forwards
    skip: int  # 1: the forward walk starts after the anchor, 0: at it
    before: Optional[Tuple[int, ...]]  # all one-token before the anchor: their specs, nearest first
    walk_backward: Optional[Tuple[Element, ...]]  # else: the elements walked backwards
    index: int  # the rule


# Sort keys of (rule index, start, end) matches.
_BY_START_END_RULE = itemgetter(1, 2, 0)
# The parts of a word's cached (specs, anchored patterns).
_SPECS, _ANCHORED = itemgetter(0), itemgetter(1)


class PatternError(ValueError):
    """A token pattern uses a key or operator this matcher does not support."""


def _value_tests(value) -> List[Callable[[Any], Any]]:
    """The tests a value must pass (each returns something true or false); built-in
    callables where there is one, as a new word is tested against every spec."""
    if not isinstance(value, dict):
        return [partial(eq, value)]
    tests: List[Callable[[Any], Any]] = []
    for op, arg in value.items():
        if op == "IN":
            tests.append(frozenset(arg).__contains__)
        elif op == "NOT_IN":
            banned = frozenset(arg)
            tests.append(lambda v, banned=banned: v not in banned)
        elif op == "REGEX":
            tests.append(re.compile(arg).search)
        else:
            raise PatternError(f"Unsupported value operator {op!r} (supported: IN, NOT_IN, REGEX).")
    return tests


def _text_spec(spec: dict) -> Optional[Tuple[str, str, Any]]:
    """How a spec on the word's text alone is answered, else None (tested one by one).

    ``("LOWER"|"ORTH", "words", frozenset)`` for ``{"LOWER": "disc"}`` or ``{"LOWER": {"IN":
    [...]}}``: one dictionary lookup per new word; ``(..., "regex", pattern)`` for one REGEX: one
    search. Testing a new word against every spec cost about 0.4 ms with the finding rules.
    """
    keys = [key for key in spec if key != "OP"]
    if len(keys) != 1 or keys[0] not in ("LOWER", "ORTH", "TEXT"):
        return None
    attr, value = "LOWER" if keys[0] == "LOWER" else "ORTH", spec[keys[0]]
    if isinstance(value, str):
        return attr, "words", frozenset([value])
    if isinstance(value, dict) and set(value) == {"IN"} and all(isinstance(v, str) for v in value["IN"]):
        return attr, "words", frozenset(value["IN"])
    if isinstance(value, dict) and set(value) == {"REGEX"}:
        return attr, "regex", re.compile(value["REGEX"])
    return None


def _spec_test(spec: dict) -> Callable[[Lexeme], bool]:
    checks = []  # (read the attribute, test its value)
    for key, value in spec.items():
        if key == "OP":
            continue
        if key not in _LEXICAL:
            raise PatternError(f"Unsupported token attribute {key!r} (supported: {', '.join(_LEXICAL)}).")
        checks += [(_LEXICAL[key], test) for test in _value_tests(value)]

    def test(lex: Lexeme) -> bool:
        for read, check in checks:
            if not check(read(lex)):
                return False
        return True

    return test


def _repeats(op: Optional[str]) -> Tuple[int, float]:
    if op is None:
        return 1, 1
    fixed = {"?": (0, 1), "*": (0, inf), "+": (1, inf)}
    if op in fixed:
        return fixed[op]
    m = _QUANTIFIER.match(op)
    if not m:
        raise PatternError(f"Unsupported operator {op!r} (supported: ?, *, +, {{n,m}}).")
    low, comma, high = m.groups()
    low_n = int(low) if low else 0
    if comma is None:
        return low_n, low_n
    return low_n, int(high) if high else inf


class TokenPatternMatcher:
    """Match token patterns and phrases; results as ``(rule index, start, end)``.

    Args:
        nlp (Language): Its tokenizer turns phrase literals into token sequences.
        rules (Sequence[dict]): Dicts with ``literal`` and an optional ``pattern`` (a list of
            token specs); a rule without a pattern matches its literal, lower-cased.
        prune (bool): Keep only the longest of overlapping matches (as medspaCy does).
    """

    def __init__(self, nlp: Language, rules: Sequence[dict], *, prune: bool = True):
        self.vocab = nlp.vocab
        self.prune = prune
        self._spec_ids: Dict[str, int] = {}
        self._spec_tests: List[Callable[[Lexeme], bool]] = []
        # Specs answered by lookup: lower-cased word -> spec ids, exact word -> spec ids.
        self._by_lower: Dict[str, List[int]] = {}
        self._by_orth: Dict[str, List[int]] = {}
        # Regex specs on the word's lower-cased or exact text, searched on it directly:
        # "LOWER"|"ORTH" -> [(spec id, compiled regex)].
        self._regexes: Dict[str, List[Tuple[int, re.Pattern]]] = {"LOWER": [], "ORTH": []}
        self._tested: List[int] = []  # the other specs, tested one by one
        self.patterns: List[Tuple[int, Tuple[Element, ...]]] = []
        self._token_patterns: List[Optional[list]] = []  # None: a phrase (literal) rule
        for index, rule in enumerate(rules):
            pattern = rule.get("pattern")
            self._token_patterns.append(pattern)
            if pattern is None:
                words = [t.lower_ for t in nlp.make_doc(rule["literal"].lower())]
                pattern = [{"LOWER": w} for w in words]
            elif not isinstance(pattern, list):
                raise PatternError(f"Rule {rule['literal']!r}: only token patterns (lists) are supported.")
            self.patterns.append((index, tuple(self._element(spec) for spec in pattern)))
        self._ties = TieOrder(self.vocab, self._token_patterns)
        # Most new words match none of the regex specs: one search of them all says so.
        self._any_regex = {
            attr: _any_of([regex.pattern for _, regex in regexes]) for attr, regexes in self._regexes.items()
        }
        # How common each spec's words are: a pattern is anchored on its rarest required token.
        self._commonness = self._spec_commonness(nlp.Defaults.stop_words)
        self._anchors = [self._anchor(elements) for _, elements in self.patterns]
        self._plans = [self._plan(p) for p in range(len(self.patterns))]
        self._starts = self._index_starts()
        self._cache: Dict[int, Tuple[FrozenSet[int], Tuple[Plan, ...]]] = {}

    def _element(self, spec: dict) -> Element:
        key = json.dumps({k: v for k, v in spec.items() if k != "OP"}, sort_keys=True)
        if key not in self._spec_ids:
            spec_id = self._spec_ids[key] = len(self._spec_tests)
            self._spec_tests.append(_spec_test(spec))
            answer = _text_spec(spec)
            if answer is None:
                self._tested.append(spec_id)
            elif answer[1] == "regex":
                self._regexes[answer[0]].append((spec_id, answer[2]))
            else:
                index = self._by_lower if answer[0] == "LOWER" else self._by_orth
                for word in answer[2]:
                    index.setdefault(word, []).append(spec_id)
        low, high = _repeats(spec.get("OP"))
        return self._spec_ids[key], low, high

    def _spec_commonness(self, common_words: Iterable[str]) -> List[int]:
        """Per spec, how many of the language's stop words satisfy it.

        Specs tested one by one (``IS_SPACE``, ``NOT_IN``, ...) count as matching them all.
        """
        counts = [0] * len(self._spec_tests)
        for spec in self._tested:
            counts[spec] = len(self._spec_tests) + 1
        for word in common_words:
            for spec in set(self._text_specs(word.lower(), word.lower())):
                counts[spec] += 1
        return counts

    def _text_specs(self, lower: str, text: str) -> List[int]:
        """The specs on the word's text alone that a word satisfies (with repeats)."""
        found = [*self._by_lower.get(lower, ()), *self._by_orth.get(text, ())]
        for attr, word in (("LOWER", lower), ("ORTH", text)):
            if self._any_regex[attr](word):
                found += [i for i, regex in self._regexes[attr] if regex.search(word)]
        return found

    def _anchor(self, elements: Sequence[Element]) -> Optional[int]:
        """The pattern's rarest required element (the first of equally rare ones).

        "as well as any" is anchored on "well", not on "as": every "as" in a report would
        start a match attempt of every pattern that begins with it.
        """
        required = [k for k, (_, low, _) in enumerate(elements) if low > 0]
        return min(required, key=lambda k: self._commonness[elements[k][0]], default=None)

    def _plan(self, p: int) -> "Plan":
        """How pattern ``p`` is matched from a token that satisfies its anchor."""
        index, elements = self.patterns[p]
        anchor = self._anchors[p]
        if anchor is None:  # every element optional: rare; refuse rather than match everywhere
            raise PatternError(f"Pattern {p} has no required token; give it at least one.")
        # The specs the pattern cannot match without, besides the anchor's own.
        need = frozenset(spec for spec, low, _ in elements if low > 0) - {elements[anchor][0]}
        forward, backward = elements[anchor:], elements[anchor - 1::-1] if anchor else ()
        fixed_forward, fixed_backward = _fixed(forward), _fixed(backward)
        after = prefix = ()
        walk_forward, skip = None, 0
        if fixed_forward is not None:
            after = fixed_forward[1:]
        elif forward[0][1:] == (1, 1):
            # After an anchor of exactly one token the walk starts at the next token, and the
            # one-token elements there are checked first (most attempts fail on that token).
            walk_forward, skip = forward[1:], 1
            prefix = _fixed_prefix(walk_forward)
        else:  # a repeated anchor ("severe+") walks from itself
            walk_forward = forward
        before = fixed_backward if backward and fixed_backward is not None else None
        walk_backward = backward if backward and fixed_backward is None else None
        return Plan(need, after, prefix, walk_forward, skip, before, walk_backward, index)

    def _index_starts(self) -> Dict[int, List["Plan"]]:
        """Spec id -> the plans of the patterns anchored on that spec.

        A pattern is anchored on its rarest required token (see ``_anchor``): only tokens
        that satisfy an anchor start any work, and the elements before it are matched
        backwards from there. Rare domain words anchor most patterns, so few tokens do.
        """
        starts: Dict[int, List[Plan]] = {}
        for (_, elements), anchor, plan in zip(self.patterns, self._anchors, self._plans):
            starts.setdefault(elements[anchor][0], []).append(plan)
        return starts

    def _lookup(self, orth: int) -> Tuple[FrozenSet[int], Tuple["Plan", ...]]:
        """The specs a word satisfies and the patterns it anchors, computed once per word."""
        entry = self._cache.get(orth)
        if entry is None:
            if len(self._cache) > MAX_CACHED_WORDS:
                self._cache.clear()
            lex, tests = self.vocab[orth], self._spec_tests
            specs = frozenset(
                [*self._text_specs(lex.lower_, lex.orth_), *(i for i in self._tested if tests[i](lex))]
            )
            anchored = tuple(plan for spec in sorted(specs) for plan in self._starts.get(spec, ()))
            entry = self._cache[orth] = (specs, anchored)
        return entry

    def __call__(self, doc: Doc, orths: Optional[List[int]] = None) -> List[Tuple[int, int, int]]:
        """All matches in ``doc``, pruned to the longest where they overlap.

        Args:
            doc (Doc): The Doc to match.
            orths (Optional[List[int]]): The Doc's ORTH hashes, when the caller has them.
        """
        if orths is None:
            orths = doc.to_array("ORTH").tolist()
        try:  # every word seen before (the usual case): the lookups run in C
            lookups = list(map(self._cache.__getitem__, orths))
        except KeyError:
            cached = self._cache.get
            lookups = [cached(orth) or self._lookup(orth) for orth in orths]
        # map() with itemgetter runs in C: no Python step per token.
        token_specs = list(map(_SPECS, lookups))
        present: Optional[FrozenSet[int]] = None
        found = set()
        for i in compress(range(len(lookups)), map(_ANCHORED, lookups)):
            for need, after, prefix, walk_forward, skip, before, walk_backward, index in lookups[i][1]:
                if need:
                    if present is None:
                        present = frozenset().union(*set(token_specs))
                    if not need <= present:
                        continue  # a token the pattern needs is nowhere in this Doc
                # The anchor and what follows, forwards from i; the tokens before it, backwards.
                if walk_forward is None:
                    if after and not _fits(after, token_specs, i + 1, 1):
                        continue
                    ends: Sequence[int] = (i + 1 + len(after),)
                else:
                    if prefix and not _fits(prefix, token_specs, i + 1, 1):
                        continue
                    ends = _walk(walk_forward, token_specs, i + skip, 1)
                    if not ends:
                        continue
                if before is not None:
                    if not _fits(before, token_specs, i - 1, -1):
                        continue
                    starts: Sequence[int] = (i - len(before),)
                elif walk_backward is not None:
                    starts = _walk(walk_backward, token_specs, i, -1)
                else:
                    starts = (i,)
                # Every match holds its anchor: each start is at most i, each end after i.
                found.update([(index, start, end) for start in starts for end in ends])
        matches = sorted(found, key=_BY_START_END_RULE)
        if self.prune and matches:
            # Of rules matching the same tokens the first in medspaCy's order wins.
            matches = prune_longest(self._ties.order(doc, orths, matches))
        return matches


def _any_of(patterns: Sequence[str]) -> Callable[[str], bool]:
    """A test that is true when any of the regular expressions finds a match in a text:
    one search of their alternation (or, should they not combine, each in turn)."""
    if not patterns:
        return lambda text: False
    try:
        return re.compile("|".join(f"(?:{pattern})" for pattern in patterns)).search
    except re.error:  # e.g. a global inline flag ("(?i)") inside one of them
        searches = [re.compile(pattern).search for pattern in patterns]
        return lambda text: any(search(text) for search in searches)


def _fixed(elements: Sequence[Element]) -> Optional[Tuple[int, ...]]:
    """The spec ids when every element is exactly one token, else None."""
    if all(low == 1 and high == 1 for _, low, high in elements):
        return tuple(spec for spec, _, _ in elements)
    return None


def _fixed_prefix(elements: Sequence[Element]) -> Tuple[int, ...]:
    """The spec ids of the one-token elements a pattern part starts with."""
    prefix = []
    for spec, low, high in elements:
        if low != 1 or high != 1:
            break
        prefix.append(spec)
    return tuple(prefix)


def _fits(specs: Tuple[int, ...], token_specs: List[FrozenSet[int]], i: int, step: int) -> bool:
    """True when the tokens from ``i`` on (``step`` 1: forwards, -1: backwards) satisfy ``specs``."""
    last = i + step * (len(specs) - 1)
    if last < 0 or last >= len(token_specs):
        return False
    for spec in specs:
        if spec not in token_specs[i]:
            return False
        i += step
    return True


def _walk(elements: Sequence[Element], token_specs: List[FrozenSet[int]], i: int, step: int):
    """Positions reachable by matching ``elements`` from position ``i``.

    ``step`` 1 matches forwards (returns end positions); -1 matches the elements, given in
    reverse, backwards from ``i`` (returns start positions).
    """
    n = len(token_specs)
    offset = 0 if step > 0 else -1  # the token consumed next from position pos
    frontier = [i]
    for spec, low, high in elements:
        if low == 1 and high == 1:  # one token: the common case, without the repeat loop
            reached = [pos + step for pos in frontier if 0 <= pos + offset < n and spec in token_specs[pos + offset]]
            if not reached:
                return ()
            frontier = reached
            continue
        reached = []
        for pos in frontier:
            if low == 0:
                reached.append(pos)
            count = 0
            j = pos + offset
            while count < high and 0 <= j < n and spec in token_specs[j]:
                count += 1
                j += step
                if count >= low:
                    reached.append(j - offset)
        if not reached:
            return ()
        frontier = reached if len(reached) == 1 else list(dict.fromkeys(reached))
    return frontier
