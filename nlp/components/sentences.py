"""Sentence boundaries that follow radiology report layout.

Reports are written as lines as much as prose: headings with a colon, one level per line,
numbered conclusions, lines without a final full stop, dictation without spaces after full
stops. A rule-based splitter over the tokens gets these right and costs a fraction of
PyRuSH (medspaCy's default), which also logs every sentence through loguru.
"""

from typing import Iterable

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Token

from ..levels import LEVEL_TOKEN_RE

SENTENCE_END = {".", "!", "?", ";"}
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


class SpineSentences:
    """Set ``token.is_sent_start`` from lines, full stops and headings."""

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        # One array write: setting token.is_sent_start one by one re-checks the whole Doc
        # each time, which is quadratic in the length of the report.
        flags = numpy.full((len(doc), 1), -1, dtype="int64")
        flags[sorted(sentence_starts(doc)), 0] = 1
        doc.from_array([SENT_START], flags.astype("uint64"))
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        for doc in docs:
            yield self(doc)


def sentence_starts(doc: Doc) -> set:
    """Indices of the tokens that begin a sentence (pure: reads ``doc`` only)."""
    starts = {0}
    line_start = 0  # index of the first token of the current line
    wrap_width = _wrap_width(doc.text)
    n = len(doc)
    for i, token in enumerate(doc):
        text = token.text
        if token.is_space or "\n" in token.whitespace_:
            nxt = _next_content(doc, i + 1)
            if nxt is None:
                continue
            newlines = text.count("\n") + token.whitespace_.count("\n")
            if "\n" in text or "\n" in token.whitespace_:
                prev = token if not token.is_space else _prev_content(doc, i - 1)
                width = prev.idx + len(prev) - doc[line_start].idx if prev is not None else 0
                wrapped = wrap_width is not None and width >= wrap_width
                if newlines >= 2 or not wrapped or _breaks_line(prev, doc[nxt]):
                    starts.add(nxt)
                line_start = nxt
            continue
        if text in SENTENCE_END and i + 1 < n:
            nxt = _next_content(doc, i + 1)
            if nxt is not None and (text == ";" or _can_start(doc[nxt])) and not _is_list_number(
                doc, i, line_start
            ):
                starts.add(nxt)
        elif text == ":" and 0 < i - line_start <= MAX_HEADING_TOKENS:
            head = doc[line_start:i]
            if not any(LEVEL_TOKEN_RE.match(t.text) for t in head):
                nxt = _next_content(doc, i + 1)
                if nxt is not None:
                    starts.add(nxt)
    return starts


def _wrap_width(text: str):
    """The shortest line that may have been wrapped, or None when the text is not wrapped."""
    longest = max((len(line) for line in text.splitlines()), default=0)
    if longest > MAX_WRAP_WIDTH or longest < MIN_WRAP_WIDTH:
        return None
    return int(longest * NEAR_FULL_WIDTH)


def _next_content(doc: Doc, i: int):
    while i < len(doc) and doc[i].is_space:
        i += 1
    return i if i < len(doc) else None


def _prev_content(doc: Doc, i: int):
    while i >= 0 and doc[i].is_space:
        i -= 1
    return doc[i] if i >= 0 else None


def _can_start(token: Token) -> bool:
    first = token.text[0]
    return first.isupper() or first.isdigit() or token.text in BULLETS or not first.isalpha()


def _breaks_line(prev: Token, nxt: Token) -> bool:
    """A line break after a long line ends a sentence unless the next line continues it.

    PDF text and hand-wrapped reports break lines mid-sentence; such a continuation starts
    in lower case after a line that does not end in punctuation.
    """
    if prev is None:
        return True
    if prev.text in SENTENCE_END or prev.text == ":" or prev.text.endswith("."):
        return True
    first = nxt.text[0]
    if first.islower() and prev.text not in BULLETS:
        return False
    if prev.text.lower() in {"and", "or", "with", "en", "of", "met", "the", "de", "het", "a", "een", "van", "of"}:
        return False
    return True


def _is_list_number(doc: Doc, i: int, line_start: int) -> bool:
    """A full stop after a list number ("2. Bulge") belongs to the number, not a sentence end."""
    return i - 1 == line_start and doc[i - 1].like_num
