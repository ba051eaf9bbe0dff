"""ConText on the findings: negated, uncertain, historical, hypothetical.

This is medspaCy's ConText algorithm (``medspacy.context``), with the same rules (its
ConTextRule JSON in ``lexicons/<lang>/context.json``) and the same decisions, step for step:
cue matches pruned to the longest; a cue's scope is its sentence in its direction, clipped
to the rule's ``max_scope``; cues of the same category and terminators limit each other's
scope (with medspaCy's own overlap test); a cue that starts or ends inside a finding is then
dropped (medspaCy's ``prune_on_target_overlap``, as ``nlp.build(engine="medspacy")`` sets it:
"geen acute" does not negate "acute wervelfractuur", nor anything else); every other cue
modifies every finding in its scope that it does not overlap, up to ``max_targets``. What
differs is speed: cues are found with :class:`~nlp.matcher.engine.TokenPatternMatcher` and the
scopes are plain integers.
``tests/integration/test_engines.py`` checks both give the same result on every gold report.
"""
from bisect import bisect_left, bisect_right
from typing import Dict, List, Optional, Sequence, Tuple

from medspacy.util import tuple_overlaps
from spacy.language import Language
from spacy.tokens import Doc, Span

from nlp.pipeline.extensions import set_span_values
from nlp.lexicon import backward_scope, context_rules, make_context_rule
from nlp.matcher.engine import TokenPatternMatcher
from nlp.pipeline.base import BatchComponent
from nlp.pipeline.words import words_of

# ConText categories -> the span attributes of interface.md.
CONTEXT_ATTRIBUTES = {
    "NEGATED_EXISTENCE": {"negated": True},
    "POSSIBLE_EXISTENCE": {"uncertain": True},
    "HISTORICAL": {"historical": True},
    "HYPOTHETICAL": {"hypothetical": True},
}


@Language.factory(
    "spine_context",
    requires=["doc.ents", "token.is_sent_start"],
    assigns=["span._.negated", "span._.uncertain", "span._.historical", "span._.hypothetical"],
)
def make_spine_context(nlp: Language, name: str):
    """Create ConText with the rules of the pipeline's language."""
    return SpineContext(nlp, rules_for(nlp.lang))


def rules_for(lang: str) -> list:
    """The ConTextRules of ``lang`` for both engines: every cue that looks back, forward or
    both ways ("..., een sequester is niet uit te sluiten") gets the clause check of
    :class:`ClauseScope` as its ``on_modifies``, which medspaCy's ConText and
    :func:`_modifies` both call."""
    clause = ClauseScope(lang)
    rules = [make_context_rule(rule) for rule in context_rules(lang)]
    for rule in rules:
        if rule.direction.upper() in ("BACKWARD", "BIDIRECTIONAL", "FORWARD"):
            rule.on_modifies = clause
    return rules


class ClauseScope:
    """A cue before its finding does not reach the subject of a new clause after a comma
    ("Whilst there is no evidence of an epidural collection, the L3-4 discitis is
    progressing"). A cue that looks back does not reach a finding of an earlier clause: "mild cord
    compression, myelopathy is not seen" negates the myelopathy only. A comma between the
    finding and the cue ends the reach when words stand between it and the cue, unless a list
    word is one of them ("fracture, listhesis or mass is not seen": a list, all three negated;
    "obstruction, resolved": the cue's own comma). A relative clause between two commas is
    reached over ("a fracture, which was suspected clinically, is not seen"). Words are data:
    ``backward_scope`` in lexicons/<lang>/context.json."""

    def __init__(self, lang: str) -> None:
        scope = backward_scope(lang)
        self.breaks, self.list_words = scope["breaks"], scope["list_words"]
        self.relative_words, self.resuming_verbs = scope["relative_words"], scope["resuming_verbs"]
        self.subject_openers = scope["subject_openers"]

    def __call__(self, target: Span, modifier, span_between: Optional[Span]) -> bool:
        if modifier.start < target.end:
            return self._reaches_forward(words_of(target.doc).lowers[modifier.end:target.start])
        between = words_of(target.doc).lowers[target.end:modifier.start]
        last_break = self._last_break(between)
        after = between[last_break + 1:]
        # "X, resolved." / "hernia, unlikely": the cue itself follows the comma (no clause of its own)
        return last_break < 0 or not after or any(word in self.list_words for word in after)

    def _reaches_forward(self, between: Sequence[str]) -> bool:
        """A cue before the finding does not reach the subject of a new clause after a comma
        ("Whilst there is no evidence of an epidural collection, the L3-4 discitis is
        progressing"), unless a list word makes it part of a list ("no fracture, infection or
        the ...")."""
        last_break = self._last_break(between)
        after = [w for w in between[last_break + 1:] if w.strip()]
        return not (
            last_break >= 0 and after and after[0] in self.subject_openers
            and not any(word in self.list_words for word in after)
        )

    def _last_break(self, between: Sequence[str]) -> int:
        """The last clause break, not counting a relative clause closed by a break of its own
        when the main clause's verb follows it: "Een spondylodiscitis, waaraan werd gedacht,
        is niet aantoonbaar" negates it; "cord compression, which is new, myelopathy is not
        seen" does not. A comma inside brackets is a list's ("a tumour (ependymoma,
        astrocytoma) is less likely")."""
        bracketed = _bracketed(between)
        last, k = -1, 0
        while k < len(between):
            if between[k] in self.breaks and not bracketed[k]:
                opener = next((w for w in between[k + 1:] if w.strip()), "")
                close = next((i for i in range(k + 1, len(between)) if between[i] in self.breaks), None)
                resumes = close is not None and next((w for w in between[close + 1:] if w.strip()), "")
                if opener in self.relative_words and resumes in self.resuming_verbs:
                    k = close + 1  # the relative clause, closed, and the main clause's verb after it
                    continue
                last = k
            k += 1
        return last


def _bracketed(words: Sequence[str]) -> List[bool]:
    """Whether each word stands inside brackets; a ")" without its "(" closes brackets opened
    before the words (a finding inside them: "(ependymoma, astrocytoma) is less likely")."""
    inside, opened = [False] * len(words), []
    for k, word in enumerate(words):
        if word == "(":
            opened.append(k)
        elif word == ")":
            start = opened.pop() if opened else 0
            inside[start:k] = [True] * (k - start)
    return inside


class _Cue:
    """One matched cue: its rule, position and (mutable) scope.

    ``agent_reach``: where the scope would end but for the agent of a passive right after the
    cue ("het myelum wordt niet | door de hernia | gecomprimeerd"): the agent's findings are
    outside the scope, the participle after the agent (a rule with ``after_agent``) is inside."""

    __slots__ = (
        "rule", "start", "end", "scope_start", "scope_end", "direction", "category", "agent_reach",
        "closed_at",
    )

    def __init__(self, rule, direction: str, category: str, start: int, end: int, sent: Tuple[int, int]):
        self.rule, self.start, self.end = rule, start, end
        self.direction, self.category = direction, category
        self.scope_start, self.scope_end = _scope(direction, start, end, sent, rule.max_scope)
        self.agent_reach: Optional[int] = None
        # A terminator opening a relative clause: the clause break that closes it, if any.
        self.closed_at: Optional[int] = None


def _scope(direction: str, start: int, end: int, sent: Tuple[int, int], max_scope: Optional[int]):
    if direction == "FORWARD":
        lo, hi = end, sent[1]
        if max_scope is not None and hi - lo > max_scope:
            hi = end + max_scope
    elif direction == "BACKWARD":
        lo, hi = sent[0], start
        if max_scope is not None and hi - lo > max_scope:
            lo = start - max_scope
    else:  # BIDIRECTIONAL, and TERMINATE and PSEUDO cues, as in medspaCy
        lo, hi = sent
        if max_scope is not None:
            lo = max(lo, start - max_scope) if start - lo > max_scope else lo
            hi = min(hi, end + max_scope) if hi - end > max_scope else hi
    return lo, hi


class SpineContext(BatchComponent):
    """Set the context attributes of every entity from the cues in its sentence."""

    def __init__(self, nlp: Language, rules: Sequence):
        self.rules = list(rules)
        self.matcher = TokenPatternMatcher(
            nlp, [{"literal": r.literal, "pattern": r.pattern} for r in self.rules]
        )
        # Per rule: the rule, its direction and category in medspaCy's upper case.
        self._rule_info = [(r, r.direction.upper(), r.category.upper()) for r in self.rules]
        self.breaks = backward_scope(nlp.lang)["breaks"]

    def __call__(self, doc: Doc) -> Doc:
        # A cue's scope never leaves its sentence, so cues and findings are handled per
        # sentence: linear in the length of the report, not quadratic.
        words = words_of(doc, sentences=True)
        bounds, starts = words.sentences(), words.sent_starts or [0]
        cues_by_sent = self.find_cues(doc, words.orths, bounds, starts)
        ents_by_sent: Dict[int, List[Span]] = {}
        if cues_by_sent:
            for ent in doc.ents:
                ents_by_sent.setdefault(bisect_right(starts, ent.start) - 1, []).append(ent)
        for sent, cues in cues_by_sent.items():
            ents = [e for k in (sent - 1, sent, sent + 1) for e in ents_by_sent.get(k, ())]
            if not ents:
                continue
            self._close_relative_clauses(cues, words.lowers, bounds[sent][1])
            _limit_scopes(cues)
            ends = [e.end for e in ents]
            for cue in _outside_findings(cues, ents):
                attributes = CONTEXT_ATTRIBUTES.get(cue.category)
                if not attributes:
                    continue
                for ent in _targets(cue, ents, ends):
                    set_span_values(ent, attributes)
        return doc

    def _close_relative_clauses(self, cues: List[_Cue], lowers: Sequence[str], sent_end: int) -> None:
        """Mark where a relative clause opened by a terminator (``relative`` in its metadata)
        is closed by a clause break: a cue after it still looks back over it ("a fracture,
        which was suspected clinically, is not seen")."""
        for cue in cues:
            if cue.direction == "TERMINATE" and (cue.rule.metadata or {}).get("relative"):
                cue.closed_at = next(
                    (i for i in range(cue.end, sent_end) if lowers[i] in self.breaks), None
                )

    def find_cues(
        self, doc: Doc, orths: List[int], bounds: List[Tuple[int, int]], starts: List[int]
    ) -> Dict[int, List[_Cue]]:
        """The cues of ``doc`` by sentence, in text order, each with its sentence scope."""
        by_sent: Dict[int, List[_Cue]] = {}
        info = self._rule_info
        for index, start, end in self.matcher(doc, orths):
            k = bisect_right(starts, start) - 1
            rule, direction, category = info[index]
            by_sent.setdefault(k, []).append(_Cue(rule, direction, category, start, end, bounds[k]))
        return by_sent


# A sentence with more cues than this compares each cue with this many neighbours only:
# the same result for any real sentence, and linear time for a pathological one.
MAX_CUE_NEIGHBOURS = 25


def _limit_scopes(cues: List[_Cue]) -> None:
    """Cues of one category, and terminators, end each other's scope (medspaCy's update_scopes)."""
    for i in range(len(cues) - 1):
        for j in range(i + 1, min(len(cues), i + 1 + MAX_CUE_NEIGHBOURS)):
            _limit(cues[i], cues[j])
            _limit(cues[j], cues[i])


# How many words may stand between a cue and the agent of its passive ("niet meer door").
AGENT_GAP = 1


def _limit(cue: _Cue, other: _Cue) -> None:
    if cue.direction == "TERMINATE" or not _ends(cue, other):
        return
    forward = cue.direction in ("FORWARD", "BIDIRECTIONAL") and other.start > cue.start
    if forward and cue.agent_reach is not None and cue.scope_end < other.start < cue.agent_reach:
        cue.agent_reach = other.start  # a cue or clause end after the agent ends the reach too
    if not tuple_overlaps((cue.scope_start, cue.scope_end), (other.scope_start, other.scope_end)):
        return
    if forward:
        if cue.agent_reach is None and _is_agent(other) and 0 <= other.start - cue.end <= AGENT_GAP:
            cue.agent_reach = cue.scope_end
        cue.scope_end = min(cue.scope_end, other.start)
    if cue.direction in ("BACKWARD", "BIDIRECTIONAL") and other.end < cue.end:
        if other.closed_at is not None and other.closed_at < cue.start:
            return  # a closed relative clause between: the cue looks back over it
        cue.scope_start = max(cue.scope_start, other.end)


def _ends(cue: _Cue, other: _Cue) -> bool:
    """Whether ``other`` ends ``cue``'s scope: a terminator, a cue of its category or of a
    category it is ``terminated_by`` (with the same allowed and excluded types)."""
    if (
        other.direction != "TERMINATE"
        and other.category not in cue.rule.terminated_by
        and other.category != cue.category
    ):
        return False
    return cue.category != other.category or (
        cue.rule.allowed_types == other.rule.allowed_types
        and cue.rule.excluded_types == other.rule.excluded_types
    )


def _is_agent(cue: _Cue) -> bool:
    return cue.direction == "TERMINATE" and bool((cue.rule.metadata or {}).get("agent"))


def _after_agent(ent: Span) -> bool:
    rule = ent._.target_rule
    return bool(rule is not None and (getattr(rule, "metadata", None) or {}).get("after_agent"))


def _outside_findings(cues: List[_Cue], ents: Sequence[Span]) -> List[_Cue]:
    """The cues that neither start nor end inside a finding (medspaCy's pruning on target
    overlap, after the scopes are limited: a dropped cue still ended the others' scopes).

    medspaCy's test, ``tuple_overlaps((ent.start, ent.end), (cue.start, cue.end))``, holds
    when the cue's first token or its end lies inside a finding. ``ents`` are in text order
    and do not overlap: bisection finds the one finding each can lie in.
    """
    starts = [e.start for e in ents]
    return [
        cue for cue in cues
        if not (_inside(cue.start, starts, ents) or _ends_inside(cue.end, starts, ents))
    ]


def _inside(token: int, starts: List[int], ents: Sequence[Span]) -> bool:
    k = bisect_right(starts, token) - 1  # the last finding starting at or before the token
    return k >= 0 and token < ents[k].end


def _ends_inside(end: int, starts: List[int], ents: Sequence[Span]) -> bool:
    k = bisect_left(starts, end) - 1  # the last finding starting before the end
    return k >= 0 and end <= ents[k].end


def _modifies(cue: _Cue, ent: Span) -> bool:
    # A cue inside a finding never qualifies it. medspaCy's overlap test (tuple_overlaps)
    # misses a cue that lies strictly inside the finding ("NO" in "lungs show NO opacities"
    # as one span); a plain interval test does not (measured on NegEx: F 0.953 -> 0.985).
    if cue.start < ent.end and ent.start < cue.end:
        return False
    if cue.direction in ("TERMINATE", "PSEUDO"):
        return False
    label = ent.label_.upper()
    # The cue stands in for medspaCy's modifier span (only its start and end are read).
    if cue.rule.on_modifies is not None and not cue.rule.on_modifies(ent, cue, None):
        return False
    if cue.rule.allowed_types is not None and label not in cue.rule.allowed_types:
        return False
    if cue.rule.allowed_types is None and cue.rule.excluded_types is not None and label in cue.rule.excluded_types:
        return False
    if tuple_overlaps((cue.scope_start, cue.scope_end), (ent.start, ent.end)):
        return True
    reach = cue.agent_reach
    return reach is not None and cue.scope_end <= ent.start < reach and _after_agent(ent)


def _targets(cue: _Cue, ents: Sequence[Span], ends: Sequence[int]) -> List[Span]:
    """The findings a cue modifies: the nearest ``max_targets`` of those in its scope.

    ``ents`` are in text order and do not overlap, so their ends are sorted: bisection
    finds the first one that can reach into the scope.
    """
    targets = []
    scope_end = max(cue.scope_end, cue.agent_reach or 0)
    for ent in ents[bisect_right(ends, cue.scope_start):]:
        if ent.start >= scope_end:
            break
        if _modifies(cue, ent):
            targets.append(ent)
    limit = cue.rule.max_targets
    if limit is not None and len(targets) > limit:
        targets.sort(key=lambda t: min(abs(cue.start - t.end), abs(t.start - cue.end)))
        targets = targets[:limit]
    return targets
