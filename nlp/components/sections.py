"""Report sections: Klinische gegevens, Verslag, Conclusie; History, Findings, Impression.

Does what medspaCy's ``Sectionizer`` does with ``require_start_line=True`` and the section
rules of ``lexicons/<lang>/sections.json`` (its SectionRule JSON): a title counts at the
start of a line, and its section runs to the next title. medspaCy's component also writes
several attributes on every token, which costs more than finding the titles; this one keeps
the section starts on the Doc (``doc._.section_starts``); the attribute component looks a
finding's section up there by bisection.
"""
import re
from typing import List

from spacy.language import Language
from spacy.tokens import Doc

from ..lexicons import section_rules
from ..matching import TokenPatternMatcher
from .base import BatchComponent
from .words import words_of

# medspaCy's default newline test for "start of a line"
NEWLINE_BEFORE = re.compile(r"[\n\r]+[\s]*$")


@Language.factory("spine_sections", assigns=["doc._.section_starts"])
def make_spine_sections(nlp: Language, name: str):
    """Create the section finder with the section titles of the pipeline's language."""
    return SpineSections(nlp, section_rules(nlp.lang))


class SpineSections(BatchComponent):
    """Find section titles at the start of a line."""

    def __init__(self, nlp: Language, rules: List[dict]):
        self.categories = [rule["category"] for rule in rules]
        self.matcher = TokenPatternMatcher(nlp, rules)

    def __call__(self, doc: Doc) -> Doc:
        words = words_of(doc)
        texts, spaces = words.texts, words.spaces
        doc._.section_starts = [
            (start, self.categories[index])
            for index, start, _ in self.matcher(doc, words.orths)
            if start == 0 or NEWLINE_BEFORE.search(texts[start - 1] + " " * spaces[start - 1])
        ]
        return doc

