"""Which of overlapping matches medspaCy keeps: the longest, and of rules matching the same
tokens the one its matchers list first. The fast matcher (nlp/matcher/engine.py) takes the
same choices, so both engines qualify the same findings with the same cues.
"""
from __future__ import annotations

from operator import itemgetter
from typing import Any, Dict, List, Optional, Sequence, Tuple

from spacy.tokens import Doc

from nlp.limits import MAX_CACHED_WORDS

_BY_START_END = itemgetter(1, 2)


def prune_longest(matches: List[Tuple[int, int, int]]) -> List[Tuple[int, int, int]]:
    """medspaCy's ``prune_overlapping_matches`` (strategy "longest"), step for step.

    The same passes and the same choices, without its list.pop(0) and recursion: of two
    overlapping neighbours in (start, end) order the longer is kept (the first when equally
    long) and the match after them is compared next; passes repeat until one removes
    nothing. ``tests/unit/test_matching.py`` compares both on random matches.
    """
    while True:
        ordered = sorted(matches, key=_BY_START_END)
        count = len(ordered)
        if not count:
            return matches
        pruned = []
        current, k = ordered[0], 1
        while True:
            if k == count:
                pruned.append(current)
                break
            following = ordered[k]
            k += 1
            _, a_start, a_end = current
            _, b_start, b_end = following
            if a_start <= b_start < a_end or a_start < b_end <= a_end:  # medspaCy's tuple_overlaps
                pruned.append(following if b_end - b_start > a_end - a_start else current)
                if k == count:
                    break
                current = ordered[k]
                k += 1
            else:
                pruned.append(current)
                current = following
        if len(pruned) == count:
            return pruned
        matches = pruned


class TieOrder:
    """The order in which medspaCy lists matches of different rules over the same tokens.

    Of two equally long overlapping matches medspaCy keeps the first (``prune_longest``),
    so for matches over the same tokens ("is uitgesloten": the rule "is afwezig" with a scope
    of 3 words and "kan worden uitgesloten" without a limit) its order decides which rule
    qualifies the findings. medspaCy's order is that of its matchers: spaCy's ``Matcher``
    (token-pattern rules) in the order its state machine completes them, which is not the
    order of the rules, then the ``PhraseMatcher`` (literal rules). That order depends only on
    the matched tokens and the token after them, so spaCy's Matcher with just the tied rules,
    on just those tokens, gives it; tied matches are rare, and each order is kept for reuse.
    """

    def __init__(self, vocab, token_patterns: Sequence[Optional[list]]):
        self.vocab = vocab
        self.token_patterns = token_patterns
        self._matchers: Dict[Tuple[int, ...], Any] = {}
        self._orders: Dict[Tuple[Tuple[int, ...], Tuple[int, ...]], Tuple[int, ...]] = {}

    def order(
        self, doc: Doc, orths: List[int], matches: List[Tuple[int, int, int]]
    ) -> List[Tuple[int, int, int]]:
        """``matches`` (sorted by start, end and rule) with each run of tied matches in
        medspaCy's order."""
        if len(set(map(_BY_START_END, matches))) == len(matches):
            return matches  # no two over the same tokens (the usual case), checked in C
        result: List[Tuple[int, int, int]] = []
        k, n = 0, len(matches)
        while k < n:
            j = k + 1
            while j < n and matches[j][1:] == matches[k][1:]:
                j += 1
            if j - k == 1:
                result.append(matches[k])
            else:
                _, start, end = matches[k]
                rules = tuple(index for index, _, _ in matches[k:j])
                result += [(index, start, end) for index in self._tied(doc, orths, rules, start, end)]
            k = j
        return result

    def _tied(self, doc: Doc, orths: List[int], rules: Tuple[int, ...], start: int, end: int) -> Tuple[int, ...]:
        patterned = tuple(r for r in rules if self.token_patterns[r] is not None)
        phrases = tuple(r for r in rules if self.token_patterns[r] is None)
        if len(patterned) < 2:
            return patterned + phrases
        key = (patterned, tuple(orths[start:end + 1]))
        order = self._orders.get(key)
        if order is None:
            if len(self._orders) > MAX_CACHED_WORDS:
                self._orders.clear()
            found = [
                int(self.vocab.strings[match_id])
                for match_id, s, e in self._matcher(patterned)(doc[start:min(end + 1, len(doc))])
                if s == 0 and e == end - start
            ]
            # Every tied rule matched these tokens: spaCy lists each (the rest, if any, last).
            order = self._orders[key] = tuple(dict.fromkeys(found + list(patterned)))
        return order + phrases

    def _matcher(self, rules: Tuple[int, ...]):
        matcher = self._matchers.get(rules)
        if matcher is None:
            from spacy.matcher import Matcher

            matcher = self._matchers[rules] = Matcher(self.vocab)
            for rule in rules:  # in the rules' order, as medspaCy adds them
                matcher.add(str(rule), [self.token_patterns[rule]])
        return matcher
