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
        kept = [span for span in (_trim(ent) for ent in doc.ents) if not _excluded(span)]
        doc.ents = sorted(kept + self._coordinated(doc, kept), key=lambda s: s.start)
        return doc

    def _coordinated(self, doc: Doc, ents: List[Span]) -> List[Span]:
        taken = {i for ent in ents for i in range(ent.start, ent.end)}
        added: List[Span] = []
        for ent in ents:
            if ent.label_ not in self.heads:
                continue
            i = ent.start
            while True:
                j = i
                while j > 0 and doc[j - 1].lower_ in self.conjunctions:
                    j -= 1
                if j == i:
                    break
                found = self._elided_before(doc, j)
                if found is None or any(k in taken for k in range(found[0], j)):
                    break
                start, concept = found
                added.append(Span(doc, start, j, label=concept))
                taken.update(range(start, j))
                i = start
        return added

    def _elided_before(self, doc: Doc, end: int) -> Optional[Tuple[int, str]]:
        for words, concept in self.elided:
            start = end - len(words)
            if start >= 0 and tuple(t.lower_ for t in doc[start:end]) == words:
                return start, concept
        return None


def _trim(ent: Span) -> Span:
    end = ent.end
    while end > ent.start + 1 and ent.doc[end - 1].lower_ in TRAILING:
        end -= 1
    if end == ent.end:
        return ent
    span = Span(ent.doc, ent.start, end, label=ent.label_)
    span._.target_rule = ent._.target_rule
    return span


def _words(metadata: Optional[Dict], key: str) -> Iterable[str]:
    return (metadata or {}).get(key, ())


def _excluded(span: Span) -> bool:
    metadata = getattr(span._.target_rule, "metadata", None)
    if not metadata:
        return False
    doc = span.doc
    nxt = doc[span.end].lower_ if span.end < len(doc) else ""
    prev = doc[span.start - 1].lower_ if span.start > 0 else ""
    if nxt in _words(metadata, "not_followed_by") or prev in _words(metadata, "not_preceded_by"):
        return True
    pattern = metadata.get("not_preceded_by_pattern")
    return bool(pattern and re.search(pattern, prev))
