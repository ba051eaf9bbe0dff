"""Find the findings: the finding rules of ``lexicons/<lang>/findings.json`` on a Doc.

Does what medspaCy's ``TargetMatcher`` does with the same rules (its TargetRule JSON), with
the faster :class:`~nlp.matcher.engine.TokenPatternMatcher`, and then what ``spine_finding_filter``
does, before any Span is made; the pipeline can be built with either (``nlp.build(lang,
engine="medspacy")``: TargetMatcher, then spine_finding_filter) and the benchmark compares them.
"""
from typing import List

from medspacy.target_matcher import TargetRule
from spacy.language import Language
from spacy.tokens import Doc

from nlp.lexicon import target_rules
from nlp.matcher.engine import TokenPatternMatcher
from nlp.pipeline.base import BatchComponent
from nlp.pipeline.finding_filter import SpineFindingFilter, finding_spans
from nlp.pipeline.words import words_of


@Language.factory("spine_findings", assigns=["doc.ents", "span._.target_rule"])
def make_spine_findings(nlp: Language, name: str):
    """Create the finding matcher with the rules of the pipeline's language."""
    return SpineFindings(nlp, [TargetRule.from_dict(rule) for rule in target_rules(nlp.lang)])


class SpineFindings(BatchComponent):
    """Set ``doc.ents`` to the findings: the matches of the finding rules, longest first where
    they overlap, finished by the finding filter (exclusions, trimming, coordination)."""

    def __init__(self, nlp: Language, rules: List[TargetRule]):
        self.rules = rules
        self.matcher = TokenPatternMatcher(
            nlp, [{"literal": r.literal, "pattern": r.pattern} for r in rules]
        )
        self.finding_filter = SpineFindingFilter(nlp.lang)
        # Every concept a finding can have, as its hash in the pipeline's StringStore.
        concepts = {r.category for r in rules} | self.finding_filter.concepts()
        self.labels = {concept: nlp.vocab.strings.add(concept) for concept in concepts}

    def __call__(self, doc: Doc) -> Doc:
        rules = self.rules
        # The filter works on plain tuples: no Span is made for a match it drops or trims.
        matches = [
            (start, end, rules[index].category, rules[index])
            for index, start, end in self.matcher(doc, words_of(doc).orths)
        ]
        # set_ents takes the Spans as they are (the doc.ents setter makes each one again).
        doc.set_ents(finding_spans(doc, self.finding_filter.finish(doc, matches), self.labels))
        return doc
