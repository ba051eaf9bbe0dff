"""One finding per concept and statement: a restatement is not a second finding.

Radiologists name a finding again in other words within one statement: "compression fracture
(wedge fracture)", "perineural cyst (Tarlov cyst)", "HIZ, consistent with an annular fissure".
The real-report gold counts such a statement once (one finding per concept, negation and
level set per statement), and so does the page. This component runs after ConText, so that
each mention was qualified on its own and only mentions that say the same thing are merged:
a mention that differs in negation, uncertainty or history from the one before it, or names
another level, stays a finding of its own ("mild cord compression, myelopathy is not seen").

The words that keep two mentions apart (conjunctions, turning words) and the gap are data:
``repeats`` in ``lexicons/<lang>/coordination.json``.
"""

import re
from typing import List, Sequence, Tuple

from spacy.language import Language
from spacy.tokens import Doc, Span

from nlp.lexicon import coordination
from nlp.pipeline.base import BatchComponent
from nlp.pipeline.extensions import set_span_values
from nlp.pipeline.finding_filter import SharedQualifiers
from nlp.pipeline.words import forget_words, words_of


@Language.factory("spine_repeats", assigns=["doc.ents"])
def make_spine_repeats(nlp: Language, name: str) -> "SpineRepeats":
    """Create the component that merges restated findings."""
    return SpineRepeats(nlp.lang)


class SpineRepeats(BatchComponent):
    """Drop a finding that restates the finding just before it in the same statement."""

    def __init__(self, lang: str) -> None:
        rules = coordination(lang)
        repeats = rules.get("repeats", {})
        self.max_gap = repeats.get("max_gap", -1)
        self.stops = frozenset(rules["clause_breaks"]) | frozenset(repeats.get("stop_words", ()))
        self.same_levels_words = frozenset(repeats.get("same_levels_words", ()))
        self.relative_words = frozenset(repeats.get("relative_words", ()))
        self.max_relative_gap = max(self.max_gap, repeats.get("max_relative_gap", -1))
        self.level = re.compile(rules["level_pattern"])

    def __call__(self, doc: Doc) -> Doc:
        ents = doc.ents
        _share_qualifiers(ents)
        if self.max_gap >= 0 and len(ents) > 1:
            kept = self.without_repeats(list(ents), words_of(doc).lowers)
            if len(kept) != len(ents):
                doc.ents = kept
        forget_words(doc)  # the last component: the Doc leaves with serialisable user data only
        return doc

    def without_repeats(self, ents: List[Span], lowers: Sequence[str]) -> List[Span]:
        kept: List[Span] = []
        for ent in ents:
            if kept and self._restates(kept[-1], ent, lowers):
                if not kept[-1]._.levels and ent._.levels:
                    kept[-1] = ent  # the later mention carries the level
                continue
            kept.append(ent)
        return kept

    def _restates(self, before: Span, after: Span, lowers: Sequence[str]) -> bool:
        # Cheapest tests first: most neighbouring findings differ in concept or stand apart.
        if before.label != after.label or after.start - before.end > self.max_relative_gap:
            return False
        gap = lowers[before.end:after.start]
        if any(word in self.stops for word in gap) or not _same_qualifiers(before, after):
            return False
        levels_before, levels_after = before._.levels, after._.levels
        if len(gap) > self.max_gap:
            # ", which would indicate Y": a relative clause restates its antecedent further off
            relative = any(word in self.relative_words for word in gap)
            return relative and set(levels_before) == set(levels_after)
        if any(word in self.same_levels_words for word in gap):
            # "X (L5-S1) with Y": one finding only when both name the same levels (or none)
            return set(levels_before) == set(levels_after)
        if any(self.level.match(word) for word in gap):
            return False
        return not (levels_before and levels_after and set(levels_before) != set(levels_after))


def _share_qualifiers(ents: Sequence[Span]) -> None:
    """A structure joined to another before their participle ("the cord and cauda equina are
    not compressed") takes the participle finding's qualifiers, as ConText set them."""
    by_start = None
    for ent in ents:
        rule = ent._.target_rule
        if isinstance(rule, SharedQualifiers):
            by_start = by_start or {e.start: e for e in ents}
            partner = by_start.get(rule.partner)
            if partner is not None:
                set_span_values(ent, dict(zip(_QUALIFIER_NAMES, _qualifiers(partner))))


_QUALIFIER_NAMES = ("negated", "uncertain", "historical", "hypothetical")


def _qualifiers(ent: Span) -> Tuple[bool, ...]:
    return (bool(ent._.negated), bool(ent._.uncertain), bool(ent._.historical), bool(ent._.hypothetical))


def _same_qualifiers(before: Span, after: Span) -> bool:
    """Same negation, uncertainty, history and hypothesis; two negated mentions need not
    agree on uncertainty ("no high signal in the cord to suggest cord oedema": the hedge
    "suggest" reads under the negation, one statement)."""
    a, b = _qualifiers(before), _qualifiers(after)
    if a[0] and b[0]:
        return a[2:] == b[2:]
    return a == b
