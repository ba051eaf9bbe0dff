"""A Doc's words as plain Python lists, read once per Doc and shared by the components.

The components look at words, offsets and sentence bounds hundreds of times per report.
Indexing a Doc (``doc[i]``) makes a new Token object each time, ``Doc.text`` joins every
token again and ``Doc.sents`` makes a Span per sentence; here the same facts are read from
one ``Doc.to_array`` call into lists, once per Doc, and kept in ``doc.user_data`` until the
last component (``spine_repeats``) drops them.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from operator import add
from typing import Dict, List, Optional, Tuple

from spacy.attrs import IDX, ORTH, SENT_START, SPACY
from spacy.tokens import Doc

from nlp.limits import MAX_CACHED_WORDS

KEY = "spine_words"
_BREAKS = re.compile("\n")
_ATTRS = [ORTH, IDX, SPACY]
_SPACE = ("", " ")  # a token's trailing whitespace by its SPACY flag
# Per language, word hash -> (text, lower, is_space, is_punct, like_num): a word's lexical
# facts never change ("like_num" depends on the language: "twee").
_LEXICAL: Dict[str, Dict[int, Tuple[str, str, bool, bool, bool]]] = {}


class Words:
    """The tokens of one Doc as lists indexed like the Doc.

    Attributes:
        orths, texts, lowers: hash, text and lower-cased text of each token.
        idx: character offset of each token; ``idx[len]`` is the length of the text.
        spaces: 1 when a space follows the token, else 0 (spaCy's whitespace is one space
            or none, so line breaks are tokens of their own).
        is_space, is_punct, like_num: spaCy's lexical flags.
        line_breaks: the tokens that hold a line break, in order.
        text: the Doc's text.
    """

    __slots__ = (
        "orths", "texts", "lowers", "idx", "spaces", "is_space", "is_punct", "like_num",
        "line_breaks", "text", "sent_starts",
    )

    def __init__(self, doc: Doc):
        self.orths, idx, self.spaces = doc.to_array(_ATTRS).T.tolist() if len(doc) else ([], [], [])
        facts = _lexical(doc, self.orths)
        self.texts, self.lowers, self.is_space, self.is_punct, self.like_num = (
            zip(*facts) if facts else ((), (), (), (), ())
        )
        self.text = "".join(map(add, self.texts, map(_SPACE.__getitem__, self.spaces)))
        self.idx = idx + [len(self.text)]
        # Line breaks are in space tokens: find them in the text, not token by token.
        starts = self.idx
        self.line_breaks = sorted({bisect_right(starts, m.start()) - 1 for m in _BREAKS.finditer(self.text)})
        # The first token of every sentence; set by spine_sentences or read by words_of.
        self.sent_starts: Optional[List[int]] = None

    def __len__(self) -> int:
        return len(self.texts)

    def end_char(self, i: int) -> int:
        """The character offset just after token ``i``'s text."""
        return self.idx[i] + len(self.texts[i])

    def same_line(self, start: int, end: int) -> bool:
        """True when no line break lies between the start of token ``start`` and token ``end``."""
        return start >= end or bisect_left(self.line_breaks, start) == bisect_left(self.line_breaks, end)

    def sentence(self, i: int) -> Tuple[int, int]:
        """``(start, end)`` of the sentence of token ``i``."""
        starts = self.sent_starts or [0]
        k = bisect_right(starts, i) - 1
        return starts[k], starts[k + 1] if k + 1 < len(starts) else len(self)

    def sentences(self) -> List[Tuple[int, int]]:
        """``(start, end)`` of every sentence, in order."""
        starts = self.sent_starts or [0]
        return list(zip(starts, starts[1:] + [len(self)])) if len(self) else []


def words_of(doc: Doc, *, sentences: bool = False) -> Words:
    """The Doc's :class:`Words`, made on first use and kept with the Doc.

    Args:
        sentences (bool): Also read the sentence starts from the Doc when no component set
            them (a Doc split by another sentence splitter).
    """
    words = doc.user_data.get(KEY)
    if words is None or len(words) != len(doc):
        words = doc.user_data[KEY] = Words(doc)
    if sentences and words.sent_starts is None:
        flags = doc.to_array(SENT_START).tolist() if len(doc) else []
        words.sent_starts = [0] + [i for i, flag in enumerate(flags) if flag == 1 and i > 0]
    return words


def forget_words(doc: Doc) -> None:
    """Drop the Doc's :class:`Words` (the pipeline's last component does, so that the Doc
    leaves the pipeline with only serialisable user data)."""
    doc.user_data.pop(KEY, None)


def _lexical(doc: Doc, orths: List[int]) -> List[Tuple[str, str, bool, bool, bool]]:
    cache = _LEXICAL.setdefault(doc.lang_, {})
    if len(cache) > MAX_CACHED_WORDS:
        cache.clear()

    def learn(orth: int) -> Tuple[str, str, bool, bool, bool]:
        lex = doc.vocab[orth]
        fact = cache[orth] = (lex.orth_, lex.lower_, lex.is_space, lex.is_punct, lex.like_num)
        return fact

    try:  # every word seen before (the usual case): the lookups run in C
        return list(map(cache.__getitem__, orths))
    except KeyError:
        known = cache.get
        return [known(orth) or learn(orth) for orth in orths]  # a fact (a tuple) is never empty
