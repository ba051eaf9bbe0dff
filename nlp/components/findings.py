"""Find the findings: the finding rules of ``lexicons/<lang>/findings.json`` on a Doc.

Does what medspaCy's ``TargetMatcher`` does with the same rules (its TargetRule JSON), with
the faster :class:`~nlp.matching.TokenPatternMatcher`; the pipeline can be built with either
(``nlp.build(lang, engine="medspacy")``) and the benchmark compares them.
"""
from typing import List

from medspacy.target_matcher import TargetRule
from spacy.language import Language
from spacy.tokens import Doc, Span

from ..extensions import set_span_values
from ..lexicons import target_rules
from ..matching import TokenPatternMatcher
from .words import words_of


@Language.factory("spine_findings", assigns=["doc.ents", "span._.target_rule"])
def make_spine_findings(nlp: Language, name: str):
    """Create the finding matcher with the rules of the pipeline's language."""
    return SpineFindings(nlp, [TargetRule.from_dict(rule) for rule in target_rules(nlp.lang)])


class SpineFindings:
    """Set ``doc.ents`` to the matches of the finding rules, longest first where they overlap."""

    def __init__(self, nlp: Language, rules: List[TargetRule]):
        self.rules = rules
        self.matcher = TokenPatternMatcher(
            nlp, [{"literal": r.literal, "pattern": r.pattern} for r in rules]
        )

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for index, start, end in self.matcher(doc, words_of(doc).orths):
            rule = self.rules[index]
            span = Span(doc, start, end, label=rule.category)
            set_span_values(span, {"target_rule": rule})
            spans.append(span)
        doc.ents = spans
        return doc
