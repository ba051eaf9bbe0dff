"""Sentence boundaries that follow radiology report layout.

Reports are written as lines as much as prose: headings with a colon, one level per line,
numbered conclusions, lines without a final full stop, dictation without spaces after full
stops. A rule-based splitter over the tokens gets these right and costs a fraction of
PyRuSH (medspaCy's default), which also logs every sentence through loguru.
"""

from itertools import compress
from typing import Optional, Sequence, Set

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from ..levels import LEVEL_TOKEN_RE
from .base import BatchComponent
from .words import words_of

SENTENCE_END = {".", "!", "?", ";"}
TRIGGERS = SENTENCE_END | {":"}
# A heading is short: "FINDINGS:", "Klinische gegevens:", "Conclusion:".
MAX_HEADING_TOKENS = 4
BULLETS = {"-", "*", "•", "–", "·", "o"}
# Text wrapped at a fixed width (PDF text, hand-wrapped reports) has no line longer than
# this; a line close to the text's own width may continue on the next line. In text that is
# not wrapped, every line break ends a sentence ("No spondylolisthesis\nimpression").
MAX_WRAP_WIDTH = 110
MIN_WRAP_WIDTH = 40
NEAR_FULL_WIDTH = 0.7


@Language.factory("spine_sentences", assigns=["token.is_sent_start"])
def make_spine_sentences(nlp: Language, name: str) -> "SpineSentences":
    """Create the layout-aware sentence splitter."""
    return SpineSentences()


class SpineSentences(BatchComponent):
    """Set ``token.is_sent_start`` from lines, full stops and headings."""

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        starts = sorted(sentence_starts(doc))
        # One array write: setting token.is_sent_start one by one re-checks the whole Doc
        # each time, which is quadratic in the length of the report.
        flags = numpy.full((len(doc), 1), -1, dtype="int64")
        flags[starts, 0] = 1
        doc.from_array([SENT_START], flags.astype("uint64"))
        words_of(doc).sent_starts = starts
        return doc


def sentence_starts(doc: Doc) -> Set[int]:
    """Indices of the tokens that begin a sentence (sets nothing on ``doc``)."""
    words = words_of(doc)
    texts, idx, is_space = words.texts, words.idx, words.is_space
    starts = {0}
    line_start = 0  # index of the first token of the current line
    wrap_width = _wrap_width(words.text)
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
            prev = _prev_content(is_space, i - 1)
            width = words.end_char(prev) - idx[line_start] if prev is not None else 0
            wrapped = wrap_width is not None and width >= wrap_width
            if text.count("\n") >= 2 or not wrapped or _breaks_line(
                texts[prev] if prev is not None else None, texts[nxt]
            ):
                starts.add(nxt)
            line_start = nxt
            continue
        if text in SENTENCE_END and i + 1 < n:
            nxt = _next_content(is_space, i + 1)
            if nxt is not None and (text == ";" or _can_start(texts[nxt])) and not (
                i - 1 == line_start and words.like_num[i - 1]  # "2. Bulge": a list number
            ):
                starts.add(nxt)
        elif text == ":" and 0 < i - line_start <= MAX_HEADING_TOKENS:
            if not any(LEVEL_TOKEN_RE.match(t) for t in texts[line_start:i]):
                nxt = _next_content(is_space, i + 1)
                if nxt is not None:
                    starts.add(nxt)
    return starts


def _wrap_width(text: str) -> Optional[int]:
    """The shortest line that may have been wrapped, or None when the text is not wrapped."""
    longest = max((len(line) for line in text.splitlines()), default=0)
    if longest > MAX_WRAP_WIDTH or longest < MIN_WRAP_WIDTH:
        return None
    return int(longest * NEAR_FULL_WIDTH)


def _next_content(is_space: Sequence[bool], i: int) -> Optional[int]:
    n = len(is_space)
    while i < n and is_space[i]:
        i += 1
    return i if i < n else None


def _prev_content(is_space: Sequence[bool], i: int) -> Optional[int]:
    while i >= 0 and is_space[i]:
        i -= 1
    return i if i >= 0 else None


def _can_start(text: str) -> bool:
    first = text[0]
    return first.isupper() or first.isdigit() or text in BULLETS or not first.isalpha()


CONTINUING_WORDS = {"and", "or", "with", "en", "of", "met", "the", "de", "het", "a", "een", "van"}


def _breaks_line(prev: Optional[str], nxt: str) -> bool:
    """A line break after a long line ends a sentence unless the next line continues it.

    PDF text and hand-wrapped reports break lines mid-sentence; such a continuation starts
    in lower case after a line that does not end in punctuation.
    """
    if prev is None:
        return True
    if prev in SENTENCE_END or prev == ":" or prev.endswith("."):
        return True
    if nxt[0].islower() and prev not in BULLETS:
        return False
    return prev.lower() not in CONTINUING_WORDS
