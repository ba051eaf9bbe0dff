"""Drop or trim finding matches that the term rules alone cannot rule out.

A term rule may carry ``metadata`` such as ``{"not_followed_by": ["effect"]}`` ("mass effect"
is not a tumour) or ``{"not_preceded_by": ["congenital"]}``; the words live with the rule in
``lexicons/<lang>/findings.json``. Coordinated matches ("canal or" in "no canal or foraminal
stenosis") lose their trailing conjunction so that the span names the finding only.
"""
from typing import Iterable, Optional

from spacy.language import Language
from spacy.tokens import Doc, Span

TRAILING = {"or", "and", "nor", "of", "en", "/", ",", "-", "noch"}


@Language.factory("spine_finding_filter", requires=["doc.ents"], assigns=["doc.ents"])
def make_spine_finding_filter(nlp: Language, name: str):
    """Create the filter for finding matches."""
    return SpineFindingFilter()


class SpineFindingFilter:
    """Apply each rule's exclusions and trim coordinated matches."""

    def __call__(self, doc: Doc) -> Doc:
        kept = [span for span in (self._trim(ent) for ent in doc.ents) if span is not None]
        doc.ents = [span for span in kept if not _excluded(span)]
        return doc


    @staticmethod
    def _trim(ent: Span) -> Optional[Span]:
        end = ent.end
        while end > ent.start + 1 and ent.doc[end - 1].lower_ in TRAILING:
            end -= 1
        if end == ent.end:
            return ent
        span = Span(ent.doc, ent.start, end, label=ent.label_)
        span._.target_rule = ent._.target_rule
        return span


def _words(metadata: Optional[dict], key: str) -> Iterable[str]:
    return (metadata or {}).get(key, ())


def _excluded(span: Span) -> bool:
    rule = span._.target_rule
    metadata = getattr(rule, "metadata", None)
    if not metadata:
        return False
    doc = span.doc
    nxt = doc[span.end].lower_ if span.end < len(doc) else ""
    prev = doc[span.start - 1].lower_ if span.start > 0 else ""
    return nxt in _words(metadata, "not_followed_by") or prev in _words(metadata, "not_preceded_by")
