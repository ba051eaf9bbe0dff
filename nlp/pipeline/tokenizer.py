"""Tokenizer rules for report layout and level notation.

Blank spaCy tokenizers split "L4-L5" (English) and keep "S1-wortel" whole (Dutch); both hide
the level from the analyser, and a split "-" reads as a negation cue to some rule sets.
The tokenizer is registered (``spine_tokenizer.v1``) so that it is built once, with these
rules, instead of being built and then rebuilt: spaCy reloads the thousands of Dutch
abbreviation exceptions on every change to a tokenizer's rules.

It also leaves out the language's exceptions for a plain space, tab and line break. They
give the tokens they would anyway (one token each, found by no prefix, suffix or infix
rule), but spaCy's tokenizer stops caching the words of a text after the first exception it
meets there (one flag for the whole text, spaCy issue #1250), so in a report of several
lines nearly every word was split by its regular expressions again. Without them the
tokenizer is 4-7 times as fast on reports whose words it has seen, and a quarter to a third
faster on the first pass over unseen reports (``benchmarks/throughput.py``).

It tokenizes the reading text of a report (``nlp/pipeline/layout.py``: wrapped lines joined, invisible
characters dropped, Unicode spaces and hyphens made plain) and keeps the text as read and
the offset map with the Doc (``doc._.original_text``, ``doc._.offset_map``), so that
``nlp.load(lang)(text)``, ``pipe`` and ``nlp.analyse`` all analyse the same reading text.
"""
import re
from typing import Callable, List, Optional

import spacy
from spacy.symbols import ORTH
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

from nlp.pipeline.layout import LayoutRules, layout_rules, read
from nlp.pipeline.level_notation import TOKEN_MATCH_RE

# Each rule starts with its literal character and looks behind after it ("\.(?<=\d\.)"
# rather than "(?<=\d)\."): the infix search tries every rule at every character of a
# word, and a literal fails at once where a look-behind is tested first.
EXTRA_INFIXES = (
    # Dictation without a space after the full stop: "stenosis.There", "L4-L5.Geen".
    # In capitals too: "STENOSIS.THERE", "STENOSIS.L4-L5".
    r"\.(?<=[A-Za-z0-9]\.)(?=[A-Z][a-z]|[A-Z]{2}|(?:C|T|Th|D|L|S)\d)",
    # ... and in lower case between two words: "kanaalstenose.protrusie" (abbreviations such
    # as "t.h.v." have one letter a side; web addresses are kept whole by URL_MATCH).
    r"\.(?<=[a-z]{3}\.)(?=[a-z]{3})",
    # ... and after a level: "L4-L5.no stenosis", "L5-S1.geen hernia".
    r"\.(?<=[A-Za-z]\d\.)(?=[a-z]{2})",
    # A level glued to a Dutch word: "S1-wortel", "L4-L5-niveau".
    r"-(?<=[CTLSDh]\d-)(?=[a-zA-Z]{3,})",
    r"-(?<=[CTLSDh]\d\d-)(?=[a-zA-Z]{3,})",
    # Two words joined by a slash: "HNP/wortelcompressie" (levels such as "L5/S1" are kept
    # whole by the token match before infixes are looked for).
    r"/(?<=[^\W\d_]{2}/)(?=[^\W\d_]{2})",
)
# A slash written onto a word before a space: "Discusprotrusie/ extrusie", "HNP/ wortelcompressie".
EXTRA_SUFFIXES = (r"(?<=[^\W\d_]{2})/",)
# Web and mail addresses only with their scheme, "www." or "@": spaCy's own URL rule also
# keeps "stenosis.protrusion" (a missing space after a full stop) whole, as a domain name.
URL_MATCH = re.compile(r"^(?:(?:https?|ftp)://|www\.)\S+$|^[\w.+-]+@[\w-]+\.[\w.-]+$", re.IGNORECASE).match
# Exceptions that only say "this whitespace is one token" (see the module docstring).
WHITESPACE_EXCEPTIONS = {" ", "\t", "\n"}


# A run of non-space characters this long is no word (the longest in the gold reports is under
# 60 characters); it is tokenized in pieces (see SpineTokenizer._tokenize).
LONG_RUN = re.compile(r"\S{256,}")
PIECE = 64

# spaCy never empties its tokenizer's word cache; this one is emptied after this many tokens.
# With the whitespace exceptions gone every new word is cached (about 160 bytes each: 47 MB
# for 300,000 new words, measured), so a run over millions of reports needs a bound.
# 200,000 tokens are about 1,250 reports; filling the cache again costs less than 1% of that.
FLUSH_CACHE_AFTER_TOKENS = 200_000


class SpineTokenizer(Tokenizer):
    """spaCy's Tokenizer over the reading text (``nlp/pipeline/layout.py``), with a bounded word
    cache (see ``FLUSH_CACHE_AFTER_TOKENS``)."""

    tokens_since_flush = 0
    layout: Optional[LayoutRules] = None  # set by make_tokenizer; None: the text as it is

    def __call__(self, string: str):
        reading = read(string, self.layout) if self.layout is not None else None
        if reading is None or not reading.changed:
            doc = self._tokenize(string)
        else:
            doc = self._tokenize(reading.text)
            doc._.original_text = string
            doc._.offset_map = reading.offsets.as_lists()
        self.tokens_since_flush += len(doc)  # a race between threads only delays a flush
        if self.tokens_since_flush > FLUSH_CACHE_AFTER_TOKENS:
            self.tokens_since_flush = 0
            self._flush_cache()
        return doc


    def _tokenize(self, text: str) -> Doc:
        """spaCy's tokenizer, with runs of non-space characters longer than any word cut up.

        spaCy splits the prefixes and suffixes of a chunk one at a time, each time on a new
        copy of the rest: quadratic in the chunk's length ('+' x 16,000: 50 s). A real word is
        never this long, so such a run is tokenized in pieces of ``PIECE`` characters (the
        tokens then end at the cuts; the text is unchanged).
        """
        if LONG_RUN.search(text) is None:
            return Tokenizer.__call__(self, text)
        docs = [Tokenizer.__call__(self, part) for part in _parts(text) if part]
        return Doc.from_docs(docs, ensure_whitespace=False)


def _parts(text: str) -> List[str]:
    """``text`` cut into consecutive parts: the text between long runs, and each long run in
    pieces of at most ``PIECE`` characters."""
    parts, last = [], 0
    for run in LONG_RUN.finditer(text):
        parts.append(text[last:run.start()])
        parts.extend(text[i:min(i + PIECE, run.end())] for i in range(run.start(), run.end(), PIECE))
        last = run.end()
    parts.append(text[last:])
    return parts


@spacy.registry.tokenizers("spine_tokenizer.v1")
def create_spine_tokenizer() -> Callable[[Language], Tokenizer]:
    """The language's own tokenizer plus level notation and dictation rules."""

    def make_tokenizer(nlp: Language) -> Tokenizer:
        defaults = nlp.Defaults
        default_match = defaults.token_match
        if default_match is None:
            # The regex's own match: no Python call for every word the tokenizer splits.
            token_match = TOKEN_MATCH_RE.match
        else:
            def token_match(text: str):
                return TOKEN_MATCH_RE.match(text) or default_match(text)

        tokenizer = SpineTokenizer(
            nlp.vocab,
            rules={k: v for k, v in defaults.tokenizer_exceptions.items() if k not in WHITESPACE_EXCEPTIONS},
            prefix_search=compile_prefix_regex(list(defaults.prefixes or ())).search,
            suffix_search=compile_suffix_regex(list(defaults.suffixes or ()) + list(EXTRA_SUFFIXES)).search,
            infix_finditer=compile_infix_regex(list(defaults.infixes or ()) + list(EXTRA_INFIXES)).finditer,
            token_match=token_match,
            url_match=URL_MATCH,
        )
        tokenizer.layout = layout_rules(nlp.lang)
        for abbreviation in tokenizer.layout.abbreviations:  # "t.h.v. L4-L5": no sentence end
            for form in {abbreviation, abbreviation.capitalize(), abbreviation.upper()}:
                tokenizer.add_special_case(form, [{ORTH: form}])
        return tokenizer

    return make_tokenizer


def blank(lang: str) -> Language:
    """A blank pipeline for ``lang`` with the analyser's tokenizer."""
    return spacy.blank(lang, config={"nlp": {"tokenizer": {"@tokenizers": "spine_tokenizer.v1"}}})

