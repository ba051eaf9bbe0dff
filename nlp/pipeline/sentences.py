"""Sentence boundaries that follow radiology report layout.

Reports are written as lines as much as prose: headings with a colon, one level per line,
numbered conclusions, lines without a final full stop, dictation without spaces after full
stops. A rule-based splitter over the tokens gets these right and costs a fraction of
PyRuSH (medspaCy's default), which also logs every sentence through loguru.

The Doc holds the reading text (``nlp/pipeline/layout.py``): lines that were only wrapped are
already joined, so every line break left ends a sentence.
"""

from itertools import compress
from typing import FrozenSet, Optional, Sequence, Set

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from nlp.pipeline.layout import layout_rules
from nlp.pipeline.level_notation import LEVEL_TOKEN_RE
from nlp.pipeline.base import BatchComponent
from nlp.pipeline.words import words_of

# Also a double full stop or an ellipsis ("No cord compression.. Mild bulge"): spaCy keeps
# those as one token, and a negation must not reach over them into the next sentence.
SENTENCE_END = {".", "!", "?", ";", "..", "...", "....", "…", "?.", "?!", "!!", "??"}
TRIGGERS = SENTENCE_END | {":"}
# A heading is short: "FINDINGS:", "Klinische gegevens:", "Conclusion:".
MAX_HEADING_TOKENS = 4


@Language.factory("spine_sentences", assigns=["token.is_sent_start"])
def make_spine_sentences(nlp: Language, name: str) -> "SpineSentences":
    """Create the layout-aware sentence splitter."""
    return SpineSentences(layout_rules(nlp.lang).run_on_headings)


class SpineSentences(BatchComponent):
    """Set ``token.is_sent_start`` from lines, full stops and headings."""

    def __init__(self, run_on_headings: FrozenSet[str] = frozenset()) -> None:
        self.run_on_headings = run_on_headings

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        starts = sorted(sentence_starts(doc, self.run_on_headings))
        # One array write: setting token.is_sent_start one by one re-checks the whole Doc
        # each time, which is quadratic in the length of the report.
        flags = numpy.full((len(doc), 1), -1, dtype="int64")
        flags[starts, 0] = 1
        doc.from_array([SENT_START], flags.astype("uint64"))
        words_of(doc).sent_starts = starts
        return doc


def sentence_starts(doc: Doc, run_on_headings: FrozenSet[str] = frozenset()) -> Set[int]:
    """Indices of the tokens that begin a sentence (sets nothing on ``doc``).

    ``run_on_headings``: headings whose colon does not end the sentence ("DD: lymfoom").
    """
    words = words_of(doc)
    texts, is_space = words.texts, words.is_space
    starts = {0}
    line_start = 0  # index of the first token of the current line
    n = len(texts)
    # Only line breaks (spaCy keeps them in space tokens; a token's own whitespace is one
    # space at most), sentence-final punctuation and colons can start a sentence.
    triggers = sorted(words.line_breaks + list(compress(range(n), map(TRIGGERS.__contains__, texts))))
    for i in triggers:
        text = texts[i]
        if is_space[i]:
            nxt = _next_content(is_space, i + 1)
            if nxt is None:
                continue
            starts.add(nxt)
            line_start = nxt
            continue
        if text in SENTENCE_END and i + 1 < n:
            # Also before a word in lower case: dictated reports go on so ("No fracture. mild
            # bulge"), and a negation must not reach into the next sentence. Abbreviations
            # ("approx.", "e.g.") keep their full stop inside one token, so they never get here.
            nxt = _next_content(is_space, i + 1)
            if nxt is not None and not (
                i - 1 == line_start and words.like_num[i - 1]  # "2. Bulge": a list number
            ):
                starts.add(nxt)
        elif text == ":" and 0 < i - line_start <= MAX_HEADING_TOKENS:
            if not any(LEVEL_TOKEN_RE.match(t) for t in texts[line_start:i]) and not (
                run_on_headings and _heading_words(words.lowers, is_space, i) in run_on_headings
            ):
                nxt = _next_content(is_space, i + 1)
                if nxt is not None:
                    starts.add(nxt)
    return starts


def _heading_words(lowers: Sequence[str], is_space: Sequence[bool], colon: int) -> str:
    """The words before a colon, back to the line start or an earlier colon ("conclusie: dd")."""
    words = []
    i = colon - 1
    while i >= 0 and lowers[i] != ":" and "\n" not in lowers[i]:
        if not is_space[i]:
            words.append(lowers[i])
        i -= 1
    return " ".join(reversed(words))


def _next_content(is_space: Sequence[bool], i: int) -> Optional[int]:
    n = len(is_space)
    while i < n and is_space[i]:
        i += 1
    return i if i < n else None

