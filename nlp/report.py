"""The analyser's result: ``Report`` and ``Finding``, and the JSON contract of interface.md.

One Finding type, one JSON form; tables, CSV and HTML are derived from it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from spacy.tokens import Doc, Span

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
    def from_span(cls, ent: Span) -> "Finding":
        """Build a Finding from an analysed entity."""
        return cls(
            concept=ent.label_,
            category=ent._.category,
            text=ent.text,
            start=ent.start_char,
            end=ent.end_char,
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

    def to_dict(self) -> Dict[str, Any]:
        """Exactly the JSON object of the command line (interface.md)."""
        return {
            "source": self.source,
            "language": self.language,
            "findings": [f.to_dict() for f in self.findings],
        }

    @classmethod
    def from_doc(
        cls, doc: Doc, *, source: Optional[str] = None, age: Optional[int] = None
    ) -> "Report":
        """Build a Report from a Doc that went through the analyser pipeline."""
        return cls(
            language=doc.lang_,
            findings=[Finding.from_span(ent) for ent in doc.ents],
            text=doc.text,
            source=source,
            age=age,
        )
