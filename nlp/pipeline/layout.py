"""The reading text of a report: its words as meant, apart from how they were laid out.

Text from PDFs, portals and word processors carries layout that must not change what a
report says: lines wrapped at a fixed width ("no nerve root\\ncompression."), words
hyphenated at a line end ("degenera-\\ntive"), invisible characters (soft hyphens,
zero-width spaces, bidi marks before "No"), no-break spaces and hyphens ("L4\\u2011L5"),
doubled spaces, extra blank lines and Windows line ends. :func:`read` turns the text as read into a reading
text that the pipeline analyses, with an :class:`OffsetMap` back to the original, so that
every offset shown to a user refers to the text as read (as medspaCy's preprocessor does).

Every change is a deletion, a one-for-one replacement or (in a misspelt red-flag word) one
letter put back, so the map is a short list of runs (the offset changes only there). Each
line break either stays (a real break: the sentence splitter ends a sentence there) or is a
wrap (it becomes a space, or goes with a line-end hyphen). The words that decide are data:
``lexicons/<lang>/layout.json`` (words that cannot end a sentence, coordinating words after a
hyphen) and the section titles of ``lexicons/<lang>/sections.json``.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from string import ascii_lowercase, ascii_uppercase
from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, FrozenSet, List, Optional, Sequence, Tuple

from nlp.lexicon import check_language, load_json, section_rules
from nlp.pipeline.level_notation import word_alternation

# Characters that only steer display: soft hyphen, zero-width space/non-joiner/joiner, word
# joiner and invisible operators, BOM, left-to-right/right-to-left and Arabic letter marks,
# bidi embeddings/overrides/isolates, Mongolian vowel separator; C0/C1 controls other than
# line ends and tabs (NUL from broken extractions).
_DROP = (
    "\u00ad\u200b-\u200f\u2060-\u2064\ufeff\u061c\u180e\u202a-\u202e\u2066-\u2069"
    "\x00-\x08\x0e-\x1b\x1f\x7f\x80-\x84\x86-\x9f"
)
# Terminal colour and cursor codes ("\x1b[31m") pasted from a console: invisible as a whole.
_ANSI_ESCAPE = r"\x1b\[[0-?]*[ -/]*[@-~]"
# Deleted in the first pass: invisible characters and the "\r" of "\r\n". (Possessive
# quantifiers here and below made the search several times slower; the runs have no
# backtracking to avoid.) A text with none of these characters is not searched twice.
_DELETE = re.compile(f"{_ANSI_ESCAPE}|[{_DROP}]+|\r(?=[{_DROP}]*\n)")
_MAY_DELETE = re.compile(f"[{_DROP}\r]")
# One-for-one: Unicode spaces and tabs -> " ", hyphens and minus -> "-" (levels "L4–L5"),
# other line ends (lone "\r", vertical tab, form feed, Unicode separators) -> "\n".
_TRANSLATE = str.maketrans(
    {
        **dict.fromkeys(map(ord, "\t\u00a0\u1680\u202f\u205f\u3000"), " "),
        **{c: " " for c in range(0x2000, 0x200B)},
        **dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2212\ufe63\uff0d"), "-"),
        **dict.fromkeys(map(ord, "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"), "\n"),
    }
)
_NEEDS_TRANSLATION = re.compile(
    "[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\u2010-\u2013\u2212\ufe63\uff0d"
    "\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]"
)
# Second pass: spaces beyond the first of a run, and every space at a line's edge.
_EXTRA_SPACES = re.compile(r"(?<= ) +| +(?=\n)|(?<=\n) +|^ +| +$")
_EXTRA_BLANK_LINES = re.compile(r"(?<=\n\n)\n+")

# A list item at the start of a line: "- ", "• ", "1.", "2)", "a)", "(3)" (also read by the
# attribute component: a list item's level is its own, nlp/pipeline/attributes.py).
LIST_ITEM = re.compile(r"[-*•·▪►]\s|\d{1,2}[.)](?:\s|$)|[a-z]\)\s|\(\d{1,2}\)\s")
# What starts a block of its own on the next line: a list item, a heading or level label
# ("Findings:", "L4-L5:", "Niveau L5-S1:" in its first four words), a level label with a
# dash ("L4-5 - mild bulge").
_LEVEL = r"(?:C|Th|T|D|L|S)\d{1,2}(?:[-/](?:C|Th|T|D|L|S)?\d{1,2})?"
_BLOCK_START = re.compile(
    rf"(?:{LIST_ITEM.pattern}"
    r"|[^\W\da-z](?:\S*\s){0,3}?\S*:(?:\s|$)"
    rf"|{_LEVEL}\s+-\s)"
)
# A line in capitals with a word of three letters or more: a heading ("MRI LUMBAR SPINE").
_CAPS_WORD = re.compile(r"[^\W\d_]{3}")
MAX_CAPS_HEADING = 40
# Lines this short are not taken for wrapped text (a list of short lines without full stops).
MIN_WRAP_WIDTH = 25
# A question mark glued to the word after it ("L1 lesion ?metastasis", "?discitis") asks about
# that word; it becomes the inverted mark, one character for one, which the tokenizer splits off
# and the context rules read as a hedge on what follows (a "?" after a word stays a question).
QUERY_MARK = "\u00bf"
_GLUED_QUERY = re.compile(r"(?:(?<=[\s(\[,;:/])|^)\?(?=[^\W\d_])")
# Words long enough to be checked for a misspelling (see _respell).
_LONG_WORD = re.compile(r"[^\W\d_]{5,}")
# Words this long are also read through one letter left out or put in ("metatstasis",
# "inzakingsfractuur"); shorter ones have too many real neighbours ("cauda" / "caudal").
MIN_EDIT_LENGTH = 7
# Wrapped text: lines as full as the longest are at least one in this many undecided breaks.
MIN_WRAPPED_SHARE = 5
# A line followed by one in lower case is wrapped when it is this full: in PDF text wrapped
# by the width of proportional letters, a full line holds fewer characters than another.
NEARLY_FULL = 0.85

REAL, SPACE, GLUE, DEHYPHENATE = range(4)
_TRAILING_PUNCTUATION = ".,;:!?)]'\""
SENTENCE_END = frozenset(".!?;:")


@dataclass(frozen=True)
class LayoutRules:
    """The words that decide about line breaks, for one language."""

    continuing: FrozenSet[str]
    continuing_start: FrozenSet[str]
    continuing_start_in_capitals: FrozenSet[str]  # in lower case, for a text in capitals
    coordinating: FrozenSet[str]
    capitalised: Tuple[str, ...]  # eponyms; a word starting with one is no sentence start
    section_title: "re.Pattern[str]"
    run_on_headings: FrozenSet[str]  # used by the sentence splitter: "DD:" hedges what follows
    abbreviations: FrozenSet[str] = frozenset()  # one token each, their full stop no sentence end
    page_marker: Optional["re.Pattern[str]"] = None  # "Page 1 of 2": a line of page furniture
    page_words: Optional["re.Pattern[str]"] = None  # "Accession", "vervolg": furniture next to it
    # A misspelt word that matters ("fracutre", "metatstasis" -> the word meant), lower case.
    misspelt: Optional[Dict[str, str]] = None


@lru_cache(maxsize=None)
def layout_rules(lang: str) -> LayoutRules:
    """The layout rules of ``lang`` (``lexicons/<lang>/layout.json`` and section titles)."""
    data = load_json(check_language(lang), "layout.json")
    titles = sorted(
        {rule["literal"].lower().rstrip(":").strip() for rule in section_rules(lang)}, key=len, reverse=True
    )
    return LayoutRules(
        continuing=frozenset(w.lower() for w in data["continuing"]),
        continuing_start=frozenset(data["continuing_start"]),
        continuing_start_in_capitals=frozenset(data.get("continuing_start_in_capitals", ())),
        capitalised=tuple(data["capitalised"]),
        coordinating=frozenset(w.lower() for w in data["coordinating"]),
        section_title=re.compile(rf"(?:{'|'.join(map(re.escape, titles))})(?::|$)", re.IGNORECASE),
        run_on_headings=frozenset(w.lower() for w in data.get("run_on_headings", ())),
        abbreviations=frozenset(data.get("abbreviations", ())),
        page_marker=re.compile(data["page_marker"], re.IGNORECASE) if "page_marker" in data else None,
        page_words=re.compile(word_alternation(data["page_words"])) if data.get("page_words") else None,
        misspelt=_misspellings(data.get("typo_targets", ()), data.get("not_typos", ())) or None,
    )


def _misspellings(targets: Sequence[str], real_words: Sequence[str] = ()) -> Dict[str, str]:
    """Misspellings of ``targets`` mapped to the word meant: two neighbouring letters swapped,
    and in words of ``MIN_EDIT_LENGTH`` letters or more one letter left out or put in. Only
    inside the word: a changed first or last letter is more often another word or another
    form ("foramina", "protrusions"). A spelling that is a target or one of ``real_words``
    ("factuur" is no "fractuur"), or a misspelling of two targets, is left alone."""
    wanted = {t.lower() for t in targets}
    known = wanted | {w.lower() for w in real_words}
    meant: Dict[str, Optional[str]] = {}
    for target in wanted:
        for typo in _typos(target):
            if typo not in known:
                meant[typo] = target if meant.get(typo, target) == target else None
    return {typo: target for typo, target in meant.items() if target is not None}


def _typos(word: str) -> List[str]:
    """The misspellings of ``word`` that :func:`_misspellings` reads as meant."""
    typos = [word[:i] + word[i + 1] + word[i] + word[i + 2:] for i in range(len(word) - 1) if word[i] != word[i + 1]]
    if len(word) >= MIN_EDIT_LENGTH:
        typos += [word[:i] + word[i + 1:] for i in range(1, len(word) - 1)]
        typos += [word[:i] + c + word[i:] for i in range(1, len(word)) for c in ascii_lowercase]
    return typos


class OffsetMap:
    """Offsets of the reading text -> offsets of the original text, and back.

    ``starts[k]`` is where the k-th run of kept characters begins in the reading text,
    ``origins[k]`` where it begins in the original; within a run the offsets move together.
    """

    __slots__ = ("starts", "origins", "length")

    def __init__(self, starts: List[int], origins: List[int], length: int):
        self.starts, self.origins, self.length = starts, origins, length

    def to_original(self, i: int, *, end: bool = False) -> int:
        """The original offset of reading offset ``i``; ``end`` for an exclusive end, which
        then stays just after its last character (not after characters deleted behind it)."""
        if end and i > 0:
            return self.to_original(i - 1) + 1
        k = bisect_right(self.starts, i) - 1
        return self.origins[k] + i - self.starts[k]

    def to_reading(self, i: int) -> int:
        """The reading offset of original offset ``i`` (of the next kept character when
        the one at ``i`` was deleted)."""
        k = bisect_right(self.origins, i) - 1
        run_end = self.starts[k + 1] if k + 1 < len(self.starts) else self.length
        return min(self.starts[k] + i - self.origins[k], run_end)

    def as_lists(self) -> Tuple[List[int], List[int], int]:
        """Plain lists, to keep with a Doc (its user data must stay serialisable)."""
        return self.starts, self.origins, self.length


def _delete(text: str, spans: Sequence[Tuple[int, int]], runs: OffsetMap) -> Tuple[str, OffsetMap]:
    """``text`` without the (sorted, disjoint) ``spans``, and ``runs`` composed with the deletion."""
    pieces: List[str] = []
    starts: List[int] = []
    origins: List[int] = []
    old_starts, old_origins = runs.starts, runs.origins
    kept = 0  # length of the new text so far
    at = 0
    for s, e in [*spans, (len(text), len(text))]:
        if s > at:
            pieces.append(text[at:s])
            # The kept piece [at, s) of the old text may span several old runs.
            k = bisect_right(old_starts, at) - 1
            starts.append(kept)
            origins.append(old_origins[k] + at - old_starts[k])
            k += 1
            while k < len(old_starts) and old_starts[k] < s:
                starts.append(kept + old_starts[k] - at)
                origins.append(old_origins[k])
                k += 1
            kept += s - at
        at = e
    if not starts:
        starts, origins = [0], [runs.to_original(len(text), end=True) if text else 0]
    return "".join(pieces), OffsetMap(starts, origins, kept)


@dataclass
class Reading:
    """The reading text and its offset map back to ``original``."""

    text: str
    original: str
    offsets: OffsetMap

    @property
    def changed(self) -> bool:
        return self.text is not self.original


def read(text: str, rules: LayoutRules) -> Reading:
    """The reading text of ``text`` (see the module docstring). Linear in the text's length."""
    runs = OffsetMap([0], [0], len(text))
    reading = text
    joins: List[int] = []  # line breaks that join for sure (a sentence across a page end)
    if _MAY_DELETE.search(reading):
        deletions = [m.span() for m in _DELETE.finditer(reading)]
        if deletions:
            reading, runs = _delete(reading, deletions, runs)
    if _NEEDS_TRANSLATION.search(reading):
        reading = reading.translate(_TRANSLATE)
    if "?" in reading:  # "?discitis": a query of the word it is glued to, not a sentence end
        reading = _GLUED_QUERY.sub(QUERY_MARK, reading)
    if _has_extra_spaces(reading):
        reading, runs = _delete(reading, [m.span() for m in _EXTRA_SPACES.finditer(reading)], runs)
    if rules.page_marker is not None and "\n" in reading and rules.page_marker.search(reading):
        furniture, joins = _page_furniture(reading, rules, _Casing(reading))
        if furniture:
            reading, runs = _delete(reading, furniture, runs)
    if "\n\n\n" in reading:  # one blank line says what several say
        reading, runs = _delete(reading, [m.span() for m in _EXTRA_BLANK_LINES.finditer(reading)], runs)
    if "\n" in reading:
        reading, runs = _unwrap(reading, rules, runs, text, joins)
    if rules.misspelt:  # after the unwrapping: a misspelt word may be hyphenated at a line end
        reading, runs = _respell(reading, rules.misspelt, runs)
    if reading == text:
        return Reading(text, text, runs)
    return Reading(reading, text, runs)


def _page_furniture(text: str, rules: LayoutRules, casing: "_Casing") -> Tuple[List[Tuple[int, int]], List[int]]:
    """The spans of page headers and footers inside ``text`` (copied from a PDF), and where a
    sentence goes on across them (offsets after the spans are deleted).

    Furniture is each line with a page number, the furniture lines next to it (see
    :func:`_is_furniture`) and the blank lines around them. The text on both sides then meets
    at one line break; it is a space when the line before ends without a sentence end and the
    line after starts in lower case ("moderate cord" / "compression."): a sentence broken by
    the page end. Else :func:`_unwrap` decides as for any other break."""
    lines = text.split("\n")
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    furniture = set()
    for i, line in enumerate(lines):
        if rules.page_marker.search(line):
            furniture.add(i)
            furniture.update(_furniture_near(lines, i, -1, rules, casing))
            furniture.update(_furniture_near(lines, i, 1, rules, casing))
    spans: List[Tuple[int, int]] = []
    joins: List[int] = []
    deleted = 0
    i = 0
    while i < len(lines):
        if i not in furniture:
            i += 1
            continue
        first = i
        while first > 0 and not lines[first - 1].strip():
            first -= 1
        last = i
        while last + 1 < len(lines) and (last + 1 in furniture or not lines[last + 1].strip()):
            last += 1
        i = last + 1
        if first == 0:  # a header at the top: up to the first line of text
            start, end = 0, starts[i] if i < len(lines) else len(text)
        elif i == len(lines):  # a footer at the end, with the line break before it
            start, end = starts[first] - 1, len(text)
        else:  # between two lines of text: one line break stays
            start, end = starts[first] - 1, starts[i] - 1
            before, after = lines[first - 1].rstrip(), lines[i].lstrip()
            if before[-1:] not in SENTENCE_END and after[:1].islower():
                joins.append(start - deleted)
        spans.append((start, end))
        deleted += end - start
    return spans, joins


# Lines of page furniture looked for on each side of a page number.
MAX_FURNITURE_LINES = 3


def _furniture_near(lines: List[str], i: int, step: int, rules: LayoutRules, casing: "_Casing") -> List[int]:
    found, j = [], i + step
    while 0 <= j < len(lines) and len(found) < MAX_FURNITURE_LINES:
        if lines[j].strip():
            if not _is_furniture(lines[j], rules, casing):
                break
            found.append(j)
        j += step
    return found


def _is_furniture(line: str, rules: LayoutRules, casing: "_Casing") -> bool:
    """A page number, a page word ("Accession #", "Datum onderzoek") or, in a report not
    written in capitals, a line in capitals that is no section title ("MRI LUMBAR SPINE")."""
    stripped = line.strip()
    if rules.page_marker.search(stripped):
        return True
    if rules.page_words is not None and rules.page_words.search(stripped.lower()):
        return True
    return (
        not casing.upper and stripped.isupper() and bool(_CAPS_WORD.search(stripped))
        and not rules.section_title.match(stripped)
    )


def _respell(text: str, meant: Dict[str, str], runs: OffsetMap) -> Tuple[str, OffsetMap]:
    """``text`` with each misspelt word spelt as meant: a swap letter for letter in the word's
    own case, a letter too many deleted, a missing one put back (the letter before it in the
    text stands for it in the offsets). Words are looked up one by one: a pattern of all
    spellings took 0.4 ms a report, this 0.03 ms."""
    fixes = [m for m in _LONG_WORD.finditer(text) if m.group().lower() in meant]
    if not fixes:
        return text, runs
    chars = list(text)
    extra: List[Tuple[int, int]] = []  # letters too many
    missing: List[Tuple[int, str]] = []  # (position, letter) put back before the position
    for match in fixes:
        word, right = match.group(), meant[match.group().lower()]
        if len(word) == len(right):
            chars[match.start():match.end()] = _in_case_of(word, right)
            continue
        at = next((i for i, (a, b) in enumerate(zip(word.lower(), right)) if a != b), len(right))
        if len(word) > len(right):
            extra.append((match.start() + at, match.start() + at + 1))
        else:
            missing.append((match.start() + at, _in_case_of(word, right[at])))
    text = "".join(chars)
    if extra:
        text, runs = _delete(text, extra, runs)
        missing = [(p - sum(1 for s, _ in extra if s < p), letter) for p, letter in missing]
    if missing:
        text, runs = _insert(text, missing, runs)
    return text, runs


def _in_case_of(word: str, right: str) -> str:
    """``right`` (lower case) in the case of ``word``: all capitals, a capital first, or lower."""
    if word.isupper():
        return right.upper()
    if word[0].isupper() and len(right) == len(word):
        return right.capitalize()
    return right


def _insert(text: str, letters: Sequence[Tuple[int, str]], runs: OffsetMap) -> Tuple[str, OffsetMap]:
    """``text`` with each letter put in before its (sorted, inner) position, and ``runs``
    composed: the new letter maps to the original of the character before it."""
    entries = {}
    for start, origin in zip(runs.starts, runs.origins):
        entries[start + sum(1 for p, _ in letters if p <= start)] = origin
    pieces, at = [], 0
    for done, (p, letter) in enumerate(letters):
        pieces += [text[at:p], letter]
        at = p
        entries[p + done] = runs.to_original(p - 1)
        entries[p + done + 1] = runs.to_original(p)
    pieces.append(text[at:])
    starts = sorted(entries)
    return "".join(pieces), OffsetMap(starts, [entries[s] for s in starts], len(text) + len(letters))


def _has_extra_spaces(text: str) -> bool:
    """A quick test (substring searches run in C) before the regular expression."""
    return "  " in text or " \n" in text or "\n " in text or text[:1] == " " or text[-1:] == " "


def _unwrap(
    text: str, rules: LayoutRules, runs: OffsetMap, original: str, joins: Sequence[int] = ()
) -> Tuple[str, OffsetMap]:
    """Join the lines that wrap: their "\\n" becomes a space, or goes with a line-end hyphen.
    ``original``: the text as given (``runs`` maps into it); ``joins``: offsets of line breaks
    known to join (a sentence across a page end)."""
    lines = text.split("\n")
    widths = _laid_out_widths(lines, runs, original)
    actions = line_actions(lines, rules, _Casing(text), widths, frozenset(joins))
    if not actions:
        return text, runs
    chars = list(text) if any(a == SPACE for _, a in actions) else None
    deletions = []
    for pos, action in actions:
        if action == SPACE:
            chars[pos] = " "
        elif action == GLUE:
            deletions.append((pos, pos + 1))
        elif action == DEHYPHENATE:
            deletions.append((pos - 1, pos + 1))
    if chars is not None:
        text = "".join(chars)
    if deletions:
        text, runs = _delete(text, deletions, runs)
    return text, runs


def _laid_out_widths(lines: List[str], runs: OffsetMap, original: str) -> Optional[List[int]]:
    """Each line's width in the text as read (a wrapper counted doubled spaces, not invisible
    characters), or None when no character was deleted."""
    if len(runs.starts) == 1:
        return None
    widths = []
    start = 0
    for line in lines:
        end = start + len(line)
        if line:
            first, last = runs.to_original(start), runs.to_original(end, end=True)
            invisible = sum(b - a for a, b in (m.span() for m in _DELETE.finditer(original, first, last)))
            widths.append(last - first - invisible)
        else:
            widths.append(0)
        start = end + 1
    return widths


class _Casing:
    """Whether a text is written in capitals (worked out only when a rule asks)."""

    __slots__ = ("text", "_upper")

    def __init__(self, text: str):
        self.text, self._upper = text, None

    @property
    def upper(self) -> bool:
        if self._upper is None:
            letters = self.text.upper()
            self._upper = letters == self.text or _mostly_upper(self.text)
        return self._upper


def _mostly_upper(text: str) -> bool:
    """Four capitals to a small letter or more (ASCII letters, counted in C)."""
    return sum(map(text.count, ascii_uppercase)) > 4 * sum(map(text.count, ascii_lowercase))


def line_actions(
    lines: List[str], rules: LayoutRules, casing: _Casing, widths: Optional[List[int]] = None,
    joins: FrozenSet[int] = frozenset(),
) -> List[Tuple[int, int]]:
    """``(offset of the "\\n", action)`` for every line break that is not a real break.

    Args:
        widths: how long each line was as laid out (with the spaces collapsed since); by
            default, as long as it is.
        joins: offsets of line breaks that join whatever the width (a sentence broken by
            page furniture, see :func:`_page_furniture`).
    """
    widths = widths or list(map(len, lines))
    undecided: List[Tuple[int, int, str, str, bool]] = []
    actions: List[Tuple[int, int]] = []
    width = max(widths)
    full = 0  # line breaks of any kind after a line as full as the width test asks
    pos = -1
    for i, (a, b) in enumerate(zip(lines, lines[1:])):
        pos += len(a) + 1
        if not a or not b:
            continue  # a blank line: a real break
        action = SPACE if pos in joins and a[-1] != "-" else _decide(
            a, b, rules, casing, heads_paragraph=i == 0 or not lines[i - 1]
        )
        full += _full(widths[i], b, width)
        if action is None:
            undecided.append((pos, widths[i], a, b, i + 2 == len(lines) or not lines[i + 2]))
        elif action != REAL:
            actions.append((pos, action))
    if undecided and width >= MIN_WRAP_WIDTH and _looks_wrapped(full, len(undecided), len(lines) - lines.count("")):
        actions.extend(_by_width(undecided, width, rules, casing))
        actions.sort()
    return actions


def _decide(a: str, b: str, rules: LayoutRules, casing: _Casing, heads_paragraph: bool = False) -> Optional[int]:
    """The action for the break between lines ``a`` and ``b``, or None when only the text's
    width can tell (see :func:`_by_width`). ``heads_paragraph``: ``a`` is the first line of
    its paragraph, where a line in capitals is a heading ("MRI LUMBAR SPINE")."""
    last = a[-1]
    if last == "-" and len(a) > 1 and a[-2] != " ":
        return _after_hyphen(a[-2], b, rules, casing)
    if last == "," or a[a.rfind(" ") + 1:].lower() in rules.continuing:
        return SPACE
    first = _first_word(b)
    if first in rules.continuing_start:  # in lower case: "root / with mild narrowing"
        return SPACE
    if casing.upper and first.lower() in rules.continuing_start_in_capitals:  # "CROWDING / OF THE"
        return SPACE
    if _BLOCK_START.match(b) or rules.section_title.match(b):
        return REAL
    if heads_paragraph and _caps_heading(a) and not casing.upper:
        return REAL
    # Also after a full stop: a wrap there ends a sentence all the same, but the line goes on
    # (a level named earlier on a line holds for the rest of it).
    return None


def _after_hyphen(before: str, b: str, rules: LayoutRules, casing: _Casing) -> int:
    """A line ending in a hyphen: "L4-\\nL5" and "L5-\\nwortel" glue, "degenera-\\ntive"
    loses its hyphen, "recessus-\\nof foramenstenose" keeps it before the next word."""
    if before.isdigit():
        return GLUE
    if before.isalpha() and b[0].isalpha():
        if _first_word(b).lower() in rules.coordinating:
            return SPACE
        return DEHYPHENATE if b[0].islower() or casing.upper else GLUE
    return SPACE


def _by_width(
    undecided: List[Tuple[int, int, str, str, bool]], width: int, rules: LayoutRules, casing: _Casing
) -> List[Tuple[int, int]]:
    """Wraps among the undecided breaks of a wrapped text, by the width test of greedy
    wrapping (:func:`_full`). A next line that starts with a capitalised word ("No ...",
    "Conus ...", but not a name such as "Schmorl") after a line without a sentence end is a
    new sentence even then, unless the text is written in capitals. A next line in lower case
    after a line without a sentence end needs its line only nearly full (``NEARLY_FULL``)
    when it reads as prose going on: it ends a sentence or its paragraph goes on. The last line
    of a paragraph without a sentence end is a list item ("..., geen wortelcompressie" then
    "degeneratieve discopathie L4-5 en L5/S1").
    """
    nearly = int(width * NEARLY_FULL)
    return [
        (pos, SPACE) for pos, a_width, a, b, b_ends_paragraph in undecided
        if (_full(a_width, b, width) and (
            a[-1] in SENTENCE_END or not _starts_sentence(_first_word(b), rules) or casing.upper
        )) or (
            b[0].islower() and a[-1] not in SENTENCE_END and _full(a_width, b, nearly)
            and (b.rstrip(")]'\"")[-1:] in SENTENCE_END or not b_ends_paragraph)
        )
    ]


def _starts_sentence(word: str, rules: LayoutRules) -> bool:
    """"No", "Conus": a capital and then small letters (not "MRI", "L5", "Th12", "M.",
    "Modic")."""
    word = word.rstrip(_TRAILING_PUNCTUATION)
    rest = word[1:]
    # An eponym may open a compound: "Schmorlnoduli", "Tarlovcyste" are no sentence start either.
    return word[:1].isupper() and rest.isalpha() and rest.islower() and not word.startswith(rules.capitalised)


def _full(a_width: int, b: str, width: int) -> bool:
    """Greedy wrapping ends a line (``a_width`` long) where the next word would not fit."""
    return a_width + 1 + len(_first_word(b)) > width


def _looks_wrapped(full: int, undecided: int, lines: int) -> bool:
    """Wrapped text has several lines as full as the longest (``full`` of them); in text
    that is not, the longest line is full alone. A text of two lines (``lines`` with words)
    cannot tell: taken as wrapped."""
    if full >= 2:
        return full * MIN_WRAPPED_SHARE >= undecided
    return full == 1 and lines == 2


def _first_word(line: str) -> str:
    space = line.find(" ")
    return line if space < 0 else line[:space]


def _caps_heading(line: str) -> bool:
    return len(line) <= MAX_CAPS_HEADING and line.isupper() and bool(_CAPS_WORD.search(line))


def original_of(doc) -> Tuple[str, Optional[OffsetMap]]:
    """The text a Doc was made from and the map of its offsets to it (None: the same text)."""
    original = doc._.original_text
    if original is None:
        return doc.text, None
    return original, OffsetMap(*doc._.offset_map)
