"""Finish the finding matches: exclusions, trimming and coordinated findings.

- A term rule may carry ``metadata`` such as ``{"not_followed_by": ["effect"]}`` ("mass
  effect" is not a tumour) or ``{"not_preceded_by": ["congenital"]}``; the words live with
  the rule in ``lexicons/<lang>/findings.json``.
- Matches lose a trailing conjunction so that the span names the finding only.
- Coordinated findings share one head noun: "no canal or foraminal stenosis", "geen kanaal-
  of foramenstenose" also name canal stenosis (``lexicons/<lang>/coordination.json``).
"""
import re
from typing import Dict, Iterable, List, Optional, Tuple

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..lexicons import coordination
from .words import words_of

TRAILING = {"or", "and", "nor", "of", "en", "/", ",", "-", "noch"}


@Language.factory("spine_finding_filter", requires=["doc.ents"], assigns=["doc.ents"])
def make_spine_finding_filter(nlp: Language, name: str):
    """Create the filter for finding matches."""
    return SpineFindingFilter(nlp.lang)


class SpineFindingFilter:
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

    def __call__(self, doc: Doc) -> Doc:
        lowers = words_of(doc).lowers
        ents = doc.ents
        kept = [span for span in (_trim(ent, lowers) for ent in ents) if not _excluded(span, lowers)]
        added = self._coordinated(doc, kept, lowers)
        if added or len(kept) != len(ents) or any(a is not b for a, b in zip(kept, ents)):
            doc.ents = sorted(kept + added, key=lambda s: s.start)
        return doc

    def _coordinated(self, doc: Doc, ents: List[Span], lowers: List[str]) -> List[Span]:
        taken = {i for ent in ents for i in range(ent.start, ent.end)}
        added: List[Span] = []
        for ent in ents:
            if ent.label_ not in self.heads:
                continue
            i = ent.start
            while True:
                j = i
                while j > 0 and lowers[j - 1] in self.conjunctions:
                    j -= 1
                if j == i:
                    break
                found = self._elided_before(lowers, j)
                if found is None or any(k in taken for k in range(found[0], j)):
                    break
                start, concept = found
                added.append(Span(doc, start, j, label=concept))
                taken.update(range(start, j))
                i = start
        return added

    def _elided_before(self, lowers: List[str], end: int) -> Optional[Tuple[int, str]]:
        for words, concept in self.elided:
            start = end - len(words)
            if start >= 0 and tuple(lowers[start:end]) == words:
                return start, concept
        return None


def _trim(ent: Span, lowers: List[str]) -> Span:
    end = ent.end
    while end > ent.start + 1 and lowers[end - 1] in TRAILING:
        end -= 1
    if end == ent.end:
        return ent
    span = Span(ent.doc, ent.start, end, label=ent.label_)
    span._.target_rule = ent._.target_rule
    return span


def _words(metadata: Optional[Dict], key: str) -> Iterable[str]:
    return (metadata or {}).get(key, ())


def _excluded(span: Span, lowers: List[str]) -> bool:
    metadata = getattr(span._.target_rule, "metadata", None)
    if not metadata:
        return False
    nxt = lowers[span.end] if span.end < len(lowers) else ""
    prev = lowers[span.start - 1] if span.start > 0 else ""
    if nxt in _words(metadata, "not_followed_by") or prev in _words(metadata, "not_preceded_by"):
        return True
    pattern = metadata.get("not_preceded_by_pattern")
    return bool(pattern and re.search(pattern, prev))
