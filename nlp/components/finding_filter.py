"""Finish the finding matches: exclusions, trimming and coordinated findings.

- A term rule may carry ``metadata`` such as ``{"not_followed_by": ["effect"]}`` ("mass
  effect" is not a tumour) or ``{"not_preceded_by": ["congenital"]}``; the words live with
  the rule in ``lexicons/<lang>/findings.json``.
- Matches lose a trailing conjunction so that the span names the finding only.
- Coordinated findings share one head noun: "no canal or foraminal stenosis", "geen kanaal-
  of foramenstenose" also name canal stenosis (``lexicons/<lang>/coordination.json``).
"""
import re
from typing import Any, Dict, Iterable, List, Optional, Sequence, Set, Tuple

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..extensions import span_setter
from ..lexicons import coordination
from .base import BatchComponent
from .words import words_of

TRAILING = {"or", "and", "nor", "of", "en", "/", ",", "-", "noch"}


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
        # Longest phrases first, as token tuples: ("lateral", "recess") -> concept
        self.elided: List[Tuple[Tuple[str, ...], str]] = sorted(
            ((tuple(words.lower().split()), entry["concept"])
             for entry in rules["elided"] for words in entry["words"]),
            key=lambda item: -len(item[0]),
        )

    def concepts(self) -> Set[str]:
        """The concepts of the findings this filter adds (coordinated findings)."""
        return {concept for _, concept in self.elided}

    def __call__(self, doc: Doc) -> Doc:
        ents = doc.ents
        matches = [(ent.start, ent.end, ent.label_, ent._.target_rule) for ent in ents]
        kept = self.filter(words_of(doc).lowers, matches)
        if kept != matches:
            doc.ents = finding_spans(doc, kept)
        return doc

    def filter(self, lowers: Sequence[str], matches: List[Match]) -> List[Match]:
        """The findings among ``matches`` (in text order), trimmed, plus coordinated ones."""
        kept = [m for m in (_trim(m, lowers) for m in matches) if not _excluded(m, lowers)]
        added = self._coordinated(kept, lowers)
        return sorted(kept + added, key=lambda m: m[0]) if added else kept

    def _coordinated(self, matches: List[Match], lowers: Sequence[str]) -> List[Match]:
        taken = {i for start, end, _, _ in matches for i in range(start, end)}
        added: List[Match] = []
        for start, _, concept, _ in matches:
            if concept not in self.heads:
                continue
            i = start
            while True:
                j = i
                while j > 0 and lowers[j - 1] in self.conjunctions:
                    j -= 1
                if j == i:
                    break
                found = self._elided_before(lowers, j)
                if found is None or any(k in taken for k in range(found[0], j)):
                    break
                elided_start, elided_concept = found
                added.append((elided_start, j, elided_concept, None))
                taken.update(range(elided_start, j))
                i = elided_start
        return added

    def _elided_before(self, lowers: Sequence[str], end: int) -> Optional[Tuple[int, str]]:
        for words, concept in self.elided:
            start = end - len(words)
            if start >= 0 and tuple(lowers[start:end]) == words:
                return start, concept
        return None


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
        spans.append(span)
    return spans


def _trim(match: Match, lowers: Sequence[str]) -> Match:
    start, end, concept, rule = match
    trimmed = end
    while trimmed > start + 1 and lowers[trimmed - 1] in TRAILING:
        trimmed -= 1
    return match if trimmed == end else (start, trimmed, concept, rule)


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
    return bool(pattern and re.search(pattern, prev))
