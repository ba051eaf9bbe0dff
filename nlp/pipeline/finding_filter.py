"""Finish the finding matches: exclusions, trimming and coordinated findings.

- A term rule may carry ``metadata`` such as ``{"not_followed_by": ["effect"]}`` ("mass
  effect" is not a tumour) or ``{"not_preceded_by": ["congenital"]}``; the words live with
  the rule in ``lexicons/<lang>/findings.json``.
- A rule for a predicate ("the canal is not stenotic") may carry ``{"starts_after": ["is",
  "not"]}``: the finding starts after the last of these words, so that a negation cue in
  the sentence ("not") stays outside the finding and can qualify it.
- Matches lose a trailing conjunction so that the span names the finding only.
- Coordinated findings share one head noun: "no canal or foraminal stenosis", "geen kanaal-
  of foramenstenose" also name canal stenosis; a finding named again in the same clause
  ("metastatic disease/marrow infiltration") is one finding.
- A finding of a bone or organ outside the spine ("fracture of the left hip", "thyroid
  mass") is not a spine finding; nor is one in a report of another part of the body (it
  names such a bone or organ and no spine word or level at all).
The words of the last three live in ``lexicons/<lang>/coordination.json``.
"""
import re
from bisect import bisect_left
from typing import Any, Dict, FrozenSet, Iterable, List, Optional, Sequence, Set, Tuple

from spacy.language import Language
from spacy.tokens import Doc, Span

from nlp.pipeline.extensions import set_span_values, span_setter
from nlp.lexicon import coordination
from nlp.pipeline.base import BatchComponent
from nlp.pipeline.sections import question_spans
from nlp.pipeline.words import words_of

# A finding before it becomes a Span: (start, end, concept, the TargetRule that found it).
Match = Tuple[int, int, str, Any]


@Language.factory("spine_finding_filter", requires=["doc.ents"], assigns=["doc.ents"])
def make_spine_finding_filter(nlp: Language, name: str):
    """Create the filter for finding matches (``spine_findings`` applies it itself; this
    component is for pipelines that find with medspaCy's TargetMatcher)."""
    return SpineFindingFilter(nlp.lang)


class SpineFindingFilter(BatchComponent):
    """Apply each rule's exclusions, trim matches and add coordinated findings."""

    def __init__(self, lang: str):
        rules = coordination(lang)
        self.heads = set(rules["heads"])
        self.conjunctions = set(rules["conjunctions"])
        self.glued = frozenset(rules.get("glued", ()))
        # Words between a conjunction and its head: "canal or right foraminal stenosis".
        self.modifiers = set(rules.get("modifiers", ()))
        self.trailing = frozenset(rules["trailing"])
        self.breaks = frozenset(rules["clause_breaks"])
        self.level = re.compile(rules["level_pattern"])
        self.outside = _OutsideSpine(rules.get("outside_spine", {}), self.breaks, self.level)
        # Longest phrases first, as token tuples: ("lateral", "recess") -> concept
        self.elided: List[Tuple[Tuple[str, ...], str]] = sorted(
            ((tuple(words.lower().split()), entry["concept"])
             for entry in rules["elided"] for words in entry["words"]),
            key=lambda item: -len(item[0]),
        )
        self.longest = max((len(words) for words, _ in self.elided), default=0)
        self.head_openers = {words[0] for words, _ in self.elided} | self.modifiers
        structures = rules.get("named_by_structure", {})
        self.structures: Dict[str, Dict[str, str]] = structures.get("concepts", {})
        self.structure_links = self.conjunctions | set(structures.get("links", ()))
        self.ellipsis = _Ellipsis(rules.get("elliptic_negation", {}), self.level)
        joined = rules.get("joined_structures", {})
        self.joined_structures: Dict[str, str] = joined.get("structures", {})
        self.joined_concepts = frozenset(self.joined_structures.values())
        self.structure_joins = frozenset(joined.get("joins", ()))
        self.determiners = frozenset(joined.get("determiners", ()))

    def concepts(self) -> Set[str]:
        """The concepts of the findings this filter adds (coordinated findings)."""
        return {concept for _, concept in self.elided}

    def __call__(self, doc: Doc) -> Doc:
        ents = doc.ents
        matches = [(ent.start, ent.end, ent.label_, ent._.target_rule) for ent in ents]
        kept = self.finish(doc, matches)
        if kept != matches:
            doc.ents = finding_spans(doc, kept)
        return doc

    def finish(self, doc: Doc, matches: List[Match]) -> List[Match]:
        """:meth:`filter`, then without the words of the referrer's question ("Vraagstelling:
        HNP?"), which are no findings of the report (concepts.md); the question's character
        spans are kept in ``doc._.question_spans`` for the Report."""
        words = words_of(doc)
        kept = self.filter(words.lowers, matches)
        asked = doc._.question_spans = question_spans(doc)
        if not asked:
            return kept
        starts = [start for start, _ in asked]
        idx = words.idx
        return [m for m in kept if not _overlaps(idx[m[0]], idx[m[1]], asked, starts)]

    def filter(self, lowers: Sequence[str], matches: List[Match]) -> List[Match]:
        """The findings among ``matches`` (in text order), trimmed, plus coordinated ones."""
        # Only a report with a finding a report of another body part takes away is read whole.
        elsewhere = any(m[2] in self.outside.report_concepts for m in matches) and self.outside.whole_text(lowers)
        kept = [
            m for m in (_referred(_trim(m, lowers, self.trailing), lowers, self.breaks) for m in matches)
            if m is not None and not _excluded(m, lowers)
            and not (elsewhere and m[2] in self.outside.report_concepts) and not self.outside.holds(m, lowers)
        ]
        if any(m[2] in self.structures for m in kept):
            kept = self._named_by_structure(kept, lowers)
        if self.joined_structures:
            kept = [part for m in kept for part in self._split_joined(m, lowers)]
        added = [
            *self._coordinated(kept, lowers), *self.ellipsis.findings(kept, lowers), *self._joined_before(kept, lowers)
        ]
        return sorted(kept + added, key=lambda m: m[0]) if added else kept

    def _named_by_structure(self, matches: List[Match], lowers: Sequence[str]) -> List[Match]:
        """An unspecified finding takes the concept of the structure its sentence names
        ("signs of degeneration and dehydration of the L3-L4 discs", "all discs show loss of
        signal, consistent with degeneration": disc degeneration; concepts.md: degenerative
        changes are those not named as disc or facet). The nearest structure word within
        :data:`STRUCTURE_REACH` words and the sentence decides. Another finding on the way
        ends the look ("degeneration with a bulging of the disc"), unless only conjunctions
        and links stand between: "degeneration and dehydration of the discs", "all discs
        show loss of signal, consistent with degeneration"."""
        taken = {i: k for k, (start, end, _, _) in enumerate(matches) for i in range(start, end)}
        named = []
        for k, match in enumerate(matches):
            words = self.structures.get(match[2])
            concept = words and self._nearest_structure(k, matches, lowers, words, taken)
            named.append((match[0], match[1], concept, match[3]) if concept else match)
        return named

    def _nearest_structure(
        self, k: int, matches: List[Match], lowers: Sequence[str], words: Dict[str, str],
        taken: Dict[int, int],
    ) -> Optional[str]:
        start, end = matches[k][0], matches[k][1]
        found = []  # (distance, after first, concept)
        for step, first in ((1, end), (-1, start - 1)):
            joined = True  # only conjunctions and links so far between this finding and the next
            i = first
            while 0 <= i < len(lowers) and abs(i - first) < STRUCTURE_REACH:
                word = lowers[i]
                if word in self.breaks or "\n" in word:
                    break
                other = taken.get(i)
                if other is not None and other != k:
                    if not joined:
                        break
                    i = (matches[other][1] if step > 0 else matches[other][0] - 1)
                    continue
                if word in words:
                    found.append((abs(i - first), step < 0, words[word]))
                    break
                joined = joined and word in self.structure_links
                i += step
        return min(found)[2] if found else None

    def _split_joined(self, match: Match, lowers: Sequence[str]) -> List[Match]:
        """A compression of two structures joined by a conjunction ("compression of the cord
        and cauda equina") as two findings, split at the conjunction: the words before it name
        the first structure's compression, the rest the match's own."""
        start, end, concept, rule = match
        structures = self.joined_structures
        if concept not in self.joined_concepts:
            return [match]
        for i in range(start, end - 1):
            other = structures.get(lowers[i])
            if other is None or other == concept:
                continue
            j = i + 1
            while j < end and structures.get(lowers[j]) == other:  # "cauda equina"
                j += 1
            if j < end - 1 and lowers[j] in self.structure_joins and any(
                structures.get(word) == concept for word in lowers[j + 1:end]
            ):
                return [(start, j, other, None), (j + 1, end, concept, rule)]
        return [match]

    def _joined_before(self, matches: List[Match], lowers: Sequence[str]) -> List[Match]:
        """The first of two joined structures before a participle that names the second ("the
        cord and cauda equina are not compressed"): the first structure's word, a finding
        that takes the participle's qualifiers (:class:`SharedQualifiers`)."""
        added: List[Match] = []
        for start, end, concept, rule in matches:
            if concept not in self.joined_concepts:
                continue
            first = self._structure_joined_before(lowers, start, concept)
            if first is not None:
                added.append((first, first + 1, self.joined_structures[lowers[first]], SharedQualifiers(start)))
        return added

    def _structure_joined_before(self, lowers: Sequence[str], start: int, concept: str) -> Optional[int]:
        """The index of another structure's word joined to the structure of ``concept`` that
        stands before ``start`` in its clause ("cord" in "the cord and cauda equina are ...")."""
        structures = self.joined_structures
        i = next((k for k in range(start - 1, max(start - 1 - MAX_ANTECEDENT_DISTANCE, -1), -1)
                  if structures.get(lowers[k]) == concept or lowers[k] in self.breaks), None)
        if i is None or structures.get(lowers[i]) != concept:
            return None
        while i > 0 and structures.get(lowers[i - 1]) == concept:  # "cauda equina"
            i -= 1
        i -= 1
        while i >= 0 and lowers[i] in self.determiners:
            i -= 1
        if i < 1 or lowers[i] not in self.structure_joins:
            return None
        i -= 1
        while i >= 0 and lowers[i] in self.determiners:
            i -= 1
        other = structures.get(lowers[i]) if i >= 0 else None
        return i if other is not None and other != concept else None

    def _coordinated(self, matches: List[Match], lowers: Sequence[str]) -> List[Match]:
        taken = {i for start, end, _, _ in matches for i in range(start, end)}
        added: List[Match] = []
        for start, end, concept, _ in matches:
            if concept not in self.heads or not self._noun_head(lowers, start, end):
                continue
            i = start
            while i > 0 and lowers[i - 1] in self.modifiers:
                i -= 1
            while True:
                j = i
                while j > 0 and lowers[j - 1] in self.conjunctions:
                    j -= 1
                if j == i:
                    self._add_glued(lowers, i, taken, added)
                    break
                found = self._elided_before(lowers, j)
                if found is None or any(k in taken for k in range(found[0], j)):
                    break
                elided_start, elided_concept = found
                added.append((elided_start, j, elided_concept, None))
                taken.update(range(elided_start, j))
                i = elided_start
        return added

    def _noun_head(self, lowers: Sequence[str], start: int, end: int) -> bool:
        """A head that can share its noun: one word ("foramenstenose") or one that starts with
        a modifier ("foraminal stenosis", "nerve root compression"). A verb phrase ("flattens
        the thecal sac and effaces the cauda equina") shares nothing with the words before."""
        return end - start == 1 or lowers[start] in self.head_openers

    def _add_glued(self, lowers: Sequence[str], end: int, taken: Set[int], added: List[Match]) -> None:
        """The elided words with the conjunction written onto them ("canal/ foraminal")."""
        if end == 0 or end - 1 in taken or lowers[end - 1][-1:] not in self.glued:
            return
        # The words just before the head, the last one without its conjunction.
        first = max(0, end - self.longest)
        tail = [*lowers[first:end - 1], lowers[end - 1][:-1]]
        found = self._elided_before(tail, len(tail))
        if found is not None and not any(k in taken for k in range(first + found[0], end)):
            added.append((first + found[0], end, found[1], None))
            taken.update(range(first + found[0], end))

    def _elided_before(self, lowers: Sequence[str], end: int) -> Optional[Tuple[int, str]]:
        for words, concept in self.elided:
            start = end - len(words)
            if start >= 0 and tuple(lowers[start:end]) == words:
                return start, concept
        return None


def _overlaps(start: int, end: int, spans: List[Tuple[int, int]], starts: List[int]) -> bool:
    """True when [start, end) overlaps one of ``spans`` (sorted, apart; ``starts`` their starts)."""
    i = bisect_left(starts, end)  # spans[:i] start before the range ends
    return i > 0 and spans[i - 1][1] > start


def finding_spans(doc: Doc, matches: List[Match], labels: Optional[Dict[str, int]] = None) -> List[Span]:
    """The findings as entity Spans, each with its rule on ``span._.target_rule``.

    Args:
        labels: concept -> its hash in the Doc's StringStore, when the caller has them (a
            Span made with a hash does not look the string up).
    """
    set_rule = span_setter("target_rule")  # medspaCy's TargetMatcher sets it too
    labels = labels or {}
    spans = []
    for start, end, concept, rule in matches:
        span = Span(doc, start, end, label=labels.get(concept, concept))
        if rule is not None:
            set_rule(span, rule)
            if rule is ELLIPTIC_NEGATION:  # its own words deny it: no cue outside to read
                set_span_values(span, {"negated": True})
        spans.append(span)
    return spans


def _trim(match: Match, lowers: Sequence[str], trailing: FrozenSet[str]) -> Match:
    """The match without trailing conjunctions, and starting after its rule's
    ``starts_after`` words (the copula and negation of a predicate)."""
    start, end, concept, rule = match
    trimmed = end
    while trimmed > start + 1 and lowers[trimmed - 1] in trailing:
        trimmed -= 1
    first = start
    after = _words(getattr(rule, "metadata", None), "starts_after")
    if after:
        last = max((i for i in range(start, trimmed - 1) if lowers[i] in after), default=None)
        first = start if last is None else last + 1
    return match if (first, trimmed) == (start, end) else (first, trimmed, concept, rule)


class _OutsideSpine:
    """Tells a finding of a bone or organ outside the spine: one of the ``words`` ("hip",
    "thyroid") within ``before`` words before it or ``after`` words after it, in the same
    clause and with no spine word or level nearer ("fracture of L1 and of the left hip").
    A cancer named by its organ ("known prostate carcinoma") is of that organ too: the
    patient's history, not a finding of the spine (concepts.md)."""

    def __init__(self, rules: Dict[str, Any], breaks: FrozenSet[str], level: "re.Pattern[str]"):
        self.concepts = frozenset(rules.get("concepts", ()))
        # Of a report of another part of the body: not a tumour ("history of prostate cancer.
        # No bone metastases." is about the skeleton, the spine among it).
        self.report_concepts = frozenset(rules.get("report_concepts", ()))
        self.words = frozenset(rules.get("words", ()))
        self.anchors = frozenset(rules.get("spine_words", ()))
        self.level = level
        self.before, self.after = rules.get("before", 0), rules.get("after", 0)
        self.stops = breaks | frozenset(rules.get("stop_words", ()))
        # "metastase van het niercelcarcinoom": after a metastasis the organ is its origin
        origin = rules.get("origin", {})
        self.origin_words = frozenset(origin.get("words", ()))
        self.origin_terms = tuple(origin.get("term_starts", ()))

    def holds(self, match: Match, lowers: Sequence[str]) -> bool:
        start, end, concept, _ = match
        if concept not in self.concepts:
            return False
        before = range(start - 1, max(start - 1 - self.before, -1), -1)
        after = range(end, min(end + self.after, len(lowers)))
        stops = self.stops
        if self.origin_terms and lowers[end - 1].startswith(self.origin_terms):
            stops = stops | self.origin_words
        return self._first_is_organ(before, lowers, self.stops) or self._first_is_organ(after, lowers, stops)

    def whole_text(self, lowers: Sequence[str]) -> bool:
        """A report of another part of the body: it names a bone or organ outside the spine
        and no spine word or level anywhere (a hip X-ray pasted by mistake: its "no
        osteophytes" says nothing of the spine)."""
        names_elsewhere = False
        for word in lowers:
            if word in self.anchors or self.level.match(word):
                return False
            names_elsewhere = names_elsewhere or word in self.words
        return names_elsewhere

    def _first_is_organ(self, indices: Iterable[int], lowers: Sequence[str], stops: FrozenSet[str]) -> bool:
        for i in indices:
            word = lowers[i]
            if word in stops or word in self.anchors or self.level.match(word):
                return False
            if word in self.words:
                return True
        return False


class SharedQualifiers:
    """The rule of a structure joined to another before their participle ("the cord and cauda
    equina are not compressed"): after ConText the finding takes the negation, uncertainty,
    history and hypothesis of the participle's finding, which starts at token ``partner``."""

    literal = "joined structure"
    metadata: Dict[str, Any] = {}

    def __init__(self, partner: int):
        self.partner = partner


class _EllipticRule:
    """The rule of a finding left out after its level ("op C4-C5 zonder"): it negates itself."""

    literal = "elliptic negation"
    metadata = {"negated": True}


ELLIPTIC_NEGATION = _EllipticRule()
# How far back (in words, within the sentence) the finding an ellipsis leaves out is looked for.
MAX_ELLIPSIS_REACH = 25


class _Ellipsis:
    """A finding left out after a level that denies it: "myelopathy at C3-4 but none at
    C4-5", "op C5-C6 compressie van het myelum, op C4-C5 zonder". The level's finding is the
    last finding before it in the sentence, negated (``elliptic_negation`` in
    coordination.json: the words before the level, or after it before the clause ends)."""

    def __init__(self, rules: Dict[str, Any], level: "re.Pattern[str]"):
        before = rules.get("before_level", {})
        self.denials = frozenset(before.get("words", ()))
        self.after = frozenset(rules.get("after_level", ()))
        self.clause_ends = frozenset(rules.get("clause_ends", ()))
        self.sentence_ends = frozenset(rules.get("sentence_ends", ()))
        self.list_words = frozenset(rules.get("list_words", ()))
        self.level = level
        # "but" + "none" + "at": the three words before a denied level
        self._denials_before = {
            (j, d, p) for j in before.get("joins", ()) for d in self.denials for p in before.get("places", ())
        }

    def findings(self, kept: List[Match], lowers: Sequence[str]) -> List[Match]:
        """The negated findings the ellipses of ``lowers`` leave out, one per ellipsis."""
        if not kept or not (self.denials or self.after):
            return []
        taken = {i for start, end, _, _ in kept for i in range(start, end)}
        found: List[Match] = []
        for start, end in self._spans(lowers):
            if any(i in taken for i in range(start, end)):
                continue
            concept = self._left_out(kept, lowers, start)
            if concept is not None:
                found.append((start, end, concept, ELLIPTIC_NEGATION))
                taken.update(range(start, end))
        return found

    def _spans(self, lowers: Sequence[str]) -> Iterable[Tuple[int, int]]:
        n = len(lowers)
        for i, word in enumerate(lowers):
            if not self.level.match(word):
                continue
            # "but none at C4-5 or C5-6", "maar niet op C4-C5"
            if i >= 3 and (lowers[i - 3], lowers[i - 2], lowers[i - 1]) in self._denials_before:
                yield i - 2, self._list_end(lowers, i)
            # "op C4-C5 zonder.", "L2 en L3 geen." (the clause ends after the denying word)
            elif i + 1 < n and lowers[i + 1] in self.after and (
                i + 2 == n or lowers[i + 2] in self.clause_ends or "\n" in lowers[i + 2]
            ):
                yield self._list_start(lowers, i), i + 2

    def _list_start(self, lowers: Sequence[str], i: int) -> int:
        """The first level of the list that ends with level ``i`` ("L2 en L3")."""
        while i >= 2 and lowers[i - 1] in self.list_words and self.level.match(lowers[i - 2]):
            i -= 2
        return i

    def _list_end(self, lowers: Sequence[str], i: int) -> int:
        """The end of the list of levels that starts with level ``i`` ("C4-5 or C5-6")."""
        while i + 2 < len(lowers) and lowers[i + 1] in self.list_words and self.level.match(lowers[i + 2]):
            i += 2
        return i + 1

    def _left_out(self, kept: List[Match], lowers: Sequence[str], start: int) -> Optional[str]:
        """The concept of the last finding before ``start``, in the ellipsis' own clause or
        the one before it ("op C5-C6 compressie van het myelum, op C4-C5 zonder"); none
        when that clause names something else ("L1-L2 met vocht in de discus, L2-L3 zonder")."""
        before = [m for m in kept if m[1] <= start]
        if not before:
            return None
        last = before[-1]
        gap = lowers[last[1]:start]
        if len(gap) > MAX_ELLIPSIS_REACH or any(w in self.sentence_ends or "\n\n" in w for w in gap):
            return None
        ends = [i for i in range(last[0], start) if lowers[i] in self.clause_ends]
        return last[2] if len(ends) <= 1 else None


# How far back a pronoun's structure word is looked for ("contacts the left S1 nerve root but
# does not compress it"), within the sentence.
MAX_ANTECEDENT_DISTANCE = 15


def _referred(match: Match, lowers: Sequence[str], breaks: FrozenSet[str]) -> Optional[Match]:
    """A match whose rule names its object by a pronoun ("does not compress it") or not at
    all ("flattening of the cord without signal change") takes the concept of the nearest
    structure word before it (the rule's ``antecedents``: "conus" -> spinal cord
    compression); without one in its sentence it is no finding (or keeps its own concept,
    with ``keeps_concept``), and a word that maps to null ("disc protrusion with signal
    change") names no finding. With ``requires_between`` one of those words must stand
    between (the agent's "door", or "maar" of "wordt geraakt maar niet gecomprimeerd"); a word of
    ``owners`` just before the structure word names the structure's owner instead."""
    start, end, concept, rule = match
    metadata = getattr(rule, "metadata", None) or {}
    antecedents = metadata.get("antecedents")
    if not antecedents:
        return match
    # A passive participle ("het myelum wordt door de hernia gecomprimeerd") needs its agent
    # word between it and the structure, or it is not this rule's passive.
    required = frozenset(metadata.get("requires_between", ()))
    seen = not required
    for i in range(start - 1, max(start - 1 - MAX_ANTECEDENT_DISTANCE, -1), -1):
        word = lowers[i]
        if word in breaks or "\n" in word:  # the clause breaks of coordination.json
            break
        seen = seen or word in required
        if word in antecedents:
            named = _owner(lowers, i, metadata.get("owners", {})) or antecedents[word]
            return None if named is None or not seen else (start, end, named, rule)
    # "... nerve root; compression is possible": a rule may keep its own concept without one
    return match if metadata.get("keeps_concept") else None


# How far before a structure word the word naming its owner may stand ("cauda equina nerve roots").
MAX_OWNER_DISTANCE = 2


def _owner(lowers: Sequence[str], i: int, owners: Dict[str, str]) -> Optional[str]:
    """The concept of a structure named by its owner just before it: the roots of "the cauda
    equina nerve roots are clumped and compressed" are the cauda equina's (``owners``)."""
    for k in range(i - 1, max(i - 1 - MAX_OWNER_DISTANCE, -1), -1):
        if lowers[k] in owners:
            return owners[lowers[k]]
    return None


# How far an unspecified finding looks for the structure that names it, within its sentence.
STRUCTURE_REACH = 15


def _words(metadata: Optional[Dict], key: str) -> Iterable[str]:
    return (metadata or {}).get(key, ())


def _excluded(match: Match, lowers: Sequence[str]) -> bool:
    start, end, _, rule = match
    metadata = getattr(rule, "metadata", None)
    if not metadata:
        return False
    nxt = lowers[end] if end < len(lowers) else ""
    prev = lowers[start - 1] if start > 0 else ""
    if nxt in _words(metadata, "not_followed_by") or prev in _words(metadata, "not_preceded_by"):
        return True
    pattern = metadata.get("not_preceded_by_pattern")
    if pattern and re.search(pattern, prev):
        return True
    near = metadata.get("not_in_sentence_with")
    return bool(near) and _in_sentence(lowers, start, end, frozenset(near["words"]), frozenset(near["unless_between"]))


# How far around a finding its sentence is searched for a word that takes the finding away.
SENTENCE_REACH = 40


def _in_sentence(lowers: Sequence[str], start: int, end: int, words: FrozenSet[str], denials: FrozenSet[str]) -> bool:
    """True when one of ``words`` stands in the sentence of the match ("wedging ... in keeping
    with Scheuermann disease": a wedge of growth, no fracture), with none of ``denials``
    between ("wedging of T12, no features of Scheuermann disease" stays a fracture)."""
    for step, first in ((-1, start - 1), (1, end)):
        i = first
        while 0 <= i < len(lowers) and abs(i - first) < SENTENCE_REACH:
            word = lowers[i]
            if word == "." or "\n\n" in word or word in denials:
                break
            if word in words:
                return True
            i += step
    return False
