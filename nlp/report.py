"""The analyser's result: ``Report`` and ``Finding``, and the JSON contract of interface.md.

One Finding type, one JSON form; tables, CSV and HTML are derived from it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

from spacy.tokens import Doc, Span

from nlp.pipeline.layout import OffsetMap, original_of

# The fields of interface.md, in order. They may not change; extra fields are welcome.
FINDING_FIELDS = (
    "concept", "category", "text", "start", "end", "section", "levels", "side", "severity",
    "negated", "uncertain", "historical",
)


@dataclass
class Finding:
    """One finding in a report, with its qualifiers."""

    concept: str
    category: str
    text: str
    start: int
    end: int
    section: Optional[str] = None
    levels: List[str] = field(default_factory=list)
    side: Optional[str] = None
    severity: Optional[str] = None
    negated: bool = False
    uncertain: bool = False
    historical: bool = False
    hypothetical: bool = False

    @property
    def present(self) -> bool:
        """True when the report says the finding is there (not negated)."""
        return not self.negated

    def to_dict(self) -> Dict[str, Any]:
        """The finding's JSON object (interface.md fields first)."""
        # Plain attribute reads: dataclasses.asdict deep-copies and costs ~0.1 ms a finding.
        data = {k: getattr(self, k) for k in FINDING_FIELDS}
        data["levels"] = list(self.levels)
        data["hypothetical"] = self.hypothetical
        return data

    @classmethod
    def from_span(cls, ent: Span, original: Optional[Tuple[str, Optional[OffsetMap]]] = None) -> "Finding":
        """Build a Finding from an analysed entity.

        Args:
            original: the text the Doc was made from and the map of the Doc's offsets to it
                (``nlp.pipeline.layout.original_of(doc)``); the finding's offsets and text refer to
                that text. Read from ``ent.doc`` when not given.
        """
        text, offsets = original if original is not None else original_of(ent.doc)
        start, end = ent.start_char, ent.end_char
        if offsets is not None:
            start, end = offsets.to_original(start), offsets.to_original(end, end=True)
        return cls(
            concept=ent.label_,
            category=ent._.category,
            text=text[start:end],
            start=start,
            end=end,
            section=ent._.section,
            levels=list(ent._.levels or []),
            side=ent._.side,
            severity=ent._.severity,
            negated=bool(ent._.negated),
            uncertain=bool(ent._.uncertain) and not ent._.negated,
            historical=bool(ent._.historical),
            hypothetical=bool(ent._.hypothetical),
        )


@dataclass
class Report:
    """The analysis of one report."""

    language: str
    findings: List[Finding]
    text: str = field(repr=False, default="")
    source: Optional[str] = None
    age: Optional[int] = None
    # The referrer's question ("HNP L4-L5 links?"), as written; its words are no findings.
    question: Optional[str] = None
    # The spine regions the report is about ("cervical", "thoracic", "lumbar", "sacral"),
    # cranio-caudal, from its levels and region words (doc._.regions, set by spine_levels).
    regions: List[str] = field(default_factory=list)

    def to_dict(self) -> Dict[str, Any]:
        """The JSON object of the command line (interface.md fields first)."""
        return {
            "source": self.source,
            "language": self.language,
            "findings": [f.to_dict() for f in self.findings],
            "question": self.question,
            "regions": list(self.regions),
        }

    @classmethod
    def from_doc(
        cls, doc: Doc, *, source: Optional[str] = None, age: Optional[int] = None
    ) -> "Report":
        """Build a Report from a Doc that went through the analyser pipeline."""
        original = original_of(doc)  # offsets users see refer to the text as read
        return cls(
            language=doc.lang_,
            findings=[Finding.from_span(ent, original) for ent in doc.ents],
            text=original[0],
            source=source,
            age=age,
            question=_question_text(doc._.question_spans or [], original),
            regions=list(getattr(doc._, "regions", None) or []),
        )


def _question_text(spans: List[Tuple[int, int]], original: Tuple[str, Optional[OffsetMap]]) -> Optional[str]:
    """The question's words in the text as read, its parts joined by a space; None without."""
    text, offsets = original
    if offsets is not None:
        spans = [(offsets.to_original(s), offsets.to_original(e, end=True)) for s, e in spans]
    return " ".join(text[s:e] for s, e in spans) or None
