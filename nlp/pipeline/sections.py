"""Report sections: Klinische gegevens, Verslag, Conclusie; History, Findings, Impression.

Does what medspaCy's ``Sectionizer`` does with ``require_start_line=True`` and the section
rules of ``lexicons/<lang>/sections.json`` (its SectionRule JSON): a title counts at the
start of a line, and its section runs to the next title. medspaCy's component also writes
several attributes on every token, which costs more than finding the titles; this one keeps
the section starts on the Doc (``doc._.section_starts``); the attribute component looks a
finding's section up there by bisection.

The referrer's question is no finding of the report (concepts.md): :func:`question_spans`
finds it, for either engine, in the first paragraph after a ``question`` title ("Vraagstelling:",
"Clinical question:"), and in the clauses of a ``history`` paragraph ("Indication:",
"Klinische gegevens:") that hold a question cue (``question_cues`` in sections.json: "?cord
compression", "Query myelopathy", "Verdenking caudasyndroom"). The rest of a history paragraph
stays: it states facts ("status post L4-L5 fusion", "known myeloma"). A question quoted in
running text counts too: after an opener (``question_openers``: "met als vraag", "the question
was") up to its "?".
"""
import re
from functools import lru_cache
from typing import Iterator, List, Tuple

from spacy.language import Language
from spacy.tokens import Doc

from nlp.lexicon import LexiconError, load_json, section_rules
from nlp.matcher.engine import TokenPatternMatcher
from nlp.pipeline.base import BatchComponent
from nlp.pipeline.layout import QUERY_MARK
from nlp.pipeline.words import words_of

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


QUESTION, HISTORY = "question", "history"
# A referral paragraph ends at the first blank line after its first words: the report's own
# text often follows without a title ("Indication: ...\n\nThere is ...").
BLANK_LINE = re.compile(r"\n[ \t\r]*\n")
FIRST_WORD = re.compile(r"\S")
# Clauses of a history paragraph end at , ; : and a line end, and at . ! ? right after a word
# when a space or the end follows ("HNP? Fractuur?"); "? cord compression" opens its clause.
CLAUSE_END = re.compile(r"[,;:\n]|(?<=[^\s,;:.?!])[.?!](?=\s|$)")
# A question quoted in running text: after an opener ("met als vraag", "the question was"), its
# words up to a "?" in the same sentence, with a closing quote ("... vraag 'compressie?'").
INLINE_QUESTION = re.compile(r"[\s:]*([^\n.!?]{1,120}\?['’\"”]?)")
# The end of the sentence that holds a question mark: the "?" itself ("HNP?"), or the next
# sentence end or line end after it ("?cauda equina syndrome.", read with QUERY_MARK).
SENTENCE_END_AFTER = re.compile(r"[.!?](?=\s|$)|\n")
# A title within a line, after a sentence end: "Vraagstelling: HNP? Conclusie: geen HNP." ends
# the question at "Conclusie:" (titles count at the start of a line only, as in medspaCy).
INLINE_TITLE = re.compile(r"(?<=[.?!])[ \t]+([^\W\d_][^\W\d_ ]*(?: [^\W\d_]+){0,3}):")


def question_spans(doc: Doc) -> List[Tuple[int, int]]:
    """Character spans of ``doc.text`` that are the referrer's question (see the module doc),
    in text order and apart."""
    text, cues = doc.text, question_cues(doc.lang_)
    spans, referral = [], []
    for title, start, end, category in _referral_paragraphs(doc):
        referral.append((title, end))
        if category == QUESTION:
            spans.append(_trim(text, start, _question_end(text, start, end)))
        else:
            spans.extend(_trim(text, s, e) for s, e in _clauses(text, start, end) if cues.search(text, s, e))
    spans.extend(_inline_questions(text, question_openers(doc.lang_), referral))
    return _merge([(s, e) for s, e in spans if s < e])


@lru_cache(maxsize=None)
def question_cues(lang: str) -> "re.Pattern[str]":
    """The cues that make a clause of a history paragraph a question ("?", "query", "verdenking"),
    and the reading text's mark of a question mark glued to a word ("?cord compression")."""
    words = _word_regex(lang, "question_cues")
    return re.compile(f"{re.escape(QUERY_MARK)}|{words.pattern}", words.flags)


def question_openers(lang: str) -> "re.Pattern[str]":
    """The words that open a question quoted in running text ("met als vraag", "question")."""
    return _word_regex(lang, "question_openers")


@lru_cache(maxsize=None)
def _word_regex(lang: str, key: str) -> "re.Pattern[str]":
    """One regex of a word list of sections.json; word edges must not run on ("dd", not "add")."""
    words = load_json(lang, "sections.json").get(key, [])
    if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
        raise LexiconError(f"lexicons/{lang}/sections.json: '{key}' must be a list of words.")
    alternatives = [
        ("(?<!\\w)" if w[0].isalnum() else "") + re.escape(w) + ("(?!\\w)" if w[-1].isalnum() else "")
        for w in sorted(words, key=len, reverse=True)
    ]
    return re.compile("|".join(alternatives) or "(?!)", re.IGNORECASE)


def _section_titles(doc: Doc) -> List[Tuple[int, str]]:
    """(character offset, category) of each section title, from either engine."""
    if doc._.section_starts is not None:
        return sorted((doc[i].idx, category) for i, category in doc._.section_starts)
    if doc.has_extension("sections") and doc._.sections:  # medspaCy's Sectionizer
        return sorted((doc[s.title_start].idx, s.category) for s in doc._.sections if s.category)
    return []


def _referral_paragraphs(doc: Doc) -> Iterator[Tuple[int, int, int, str]]:
    """(title start, start, end, category) of the text after each history or question title,
    up to the next title or the first blank line after its first words."""
    text, titles = doc.text, _section_titles(doc)
    for n, (start, category) in enumerate(titles):
        if category not in (QUESTION, HISTORY):
            continue
        end = titles[n + 1][0] if n + 1 < len(titles) else len(text)
        body = _after_title(text, start)
        first = FIRST_WORD.search(text, body, end)
        blank = BLANK_LINE.search(text, first.start(), end) if first else None
        end = blank.start() if blank else end
        yield start, body, _before_inline_title(text, body, end, doc.lang_), category


def _before_inline_title(text: str, start: int, end: int, lang: str) -> int:
    """The end of a referral paragraph at a title within a line that opens another part of
    the report ("... HNP? Conclusie: geen HNP."); a question or history title goes on."""
    referral = _referral_titles(lang)
    for match in INLINE_TITLE.finditer(text, start, end):
        if match.group(1).lower() not in referral:
            return match.start(1)
    return end


@lru_cache(maxsize=None)
def _referral_titles(lang: str) -> frozenset:
    """The question and history titles of ``lang`` in lower case, without their colon."""
    return frozenset(
        rule["literal"].lower().rstrip(":").strip()
        for rule in section_rules(lang) if rule["category"] in (QUESTION, HISTORY)
    )


def _question_end(text: str, start: int, end: int) -> int:
    """Where the question of a question paragraph ends: after the sentence of its last "?"
    when sentences without one follow on its line ("Vraagstelling: HNP? Lichte facetartrose
    L4-L5." goes on with the report); the whole paragraph when it holds no "?"."""
    last = max(text.rfind("?", start, end), text.rfind(QUERY_MARK, start, end))
    if last < 0:
        return end
    after = SENTENCE_END_AFTER.search(text, last, end)
    return after.end() if after else end


def _after_title(text: str, start: int) -> int:
    """Where the words after a title start: after its colon, else after its line."""
    line_end = text.find("\n", start)
    line_end = len(text) if line_end < 0 else line_end
    colon = text.find(":", start, line_end)
    return colon + 1 if colon >= 0 else line_end


def _clauses(text: str, start: int, end: int) -> Iterator[Tuple[int, int]]:
    for match in CLAUSE_END.finditer(text, start, end):
        yield start, match.end()
        start = match.end()
    yield start, end


def _inline_questions(
    text: str, openers: "re.Pattern[str]", referral: List[Tuple[int, int]]
) -> Iterator[Tuple[int, int]]:
    """Questions quoted in running text; not in a referral paragraph (its title holds "vraag")."""
    for opener in openers.finditer(text):
        if any(start <= opener.start() < end for start, end in referral):
            continue
        question = INLINE_QUESTION.match(text, opener.end())
        if question:
            yield question.start(1), question.end(1)


def _merge(spans: List[Tuple[int, int]]) -> List[Tuple[int, int]]:
    """Spans in text order, overlapping ones joined."""
    merged: List[Tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _trim(text: str, start: int, end: int) -> Tuple[int, int]:
    """The span without surrounding blanks and clause separators."""
    while start < end and (text[start].isspace() or text[start] in ",;:"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:"):
        end -= 1
    return start, end
