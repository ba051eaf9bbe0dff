"""Spinal level notation: recognise, normalise and expand.

Pure functions, no spaCy: the tokenizer keeps level notation whole ("L4-L5", "L5/S1",
"Th12-L1") and the level component calls these to turn tokens into normalised levels
(``L4-L5`` for a disc level, ``L5`` for a vertebra or the root named after it).
"""
from __future__ import annotations

import re
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

from nlp.limits import MAX_CACHED_WORDS

# Vertebrae in cranio-caudal order. Thoracic levels are written T, Th or D in reports.
VERTEBRAE: tuple = (
    *(f"C{i}" for i in range(1, 8)),
    *(f"T{i}" for i in range(1, 13)),
    *(f"L{i}" for i in range(1, 6)),
    *(f"S{i}" for i in range(1, 6)),
)
_INDEX = {name: i for i, name in enumerate(VERTEBRAE)}
_REGION_MAX = {"C": 7, "T": 12, "L": 5, "S": 5}

_PART = r"(?:C|Th|T|D|L|S)"
# One token of level notation: L4, L4-L5, L4-5, L4/5, L4/L5, L5S1, L45, Th12-L1, C5–C6.
LEVEL_TOKEN_RE = re.compile(
    rf"^(?P<r1>{_PART})(?P<n1>\d{{1,2}})"
    rf"(?:(?P<sep>[-/–])?(?P<r2>{_PART})?(?P<n2>\d{{1,2}}))?$",
    re.IGNORECASE,
)
# For the tokenizer: the same notation must never be split on "-" or "/" (a split "-"
# reads as a negation cue to some context rule sets).
TOKEN_MATCH_RE = re.compile(
    rf"^{_PART}\d{{1,2}}(?:[-/–]{_PART}?\d{{1,2}})?$", re.IGNORECASE
)


def _region(prefix: str) -> str:
    prefix = prefix.upper()
    return "T" if prefix in ("TH", "D") else prefix


def _vertebra(prefix: str, number: str) -> Optional[str]:
    region = _region(prefix)
    n = int(number)
    if n < 1 or n > _REGION_MAX[region]:
        return None
    return f"{region}{n}"


def parse_level(text: str) -> List[str]:
    """Normalise one piece of level notation.

    Args:
        text (str): A token such as ``"L4-5"``, ``"L5/S1"``, ``"Th12-L1"`` or ``"L45"``.

    Returns:
        List[str]: ``["L4-L5"]`` for a disc level, ``["L4"]`` for a vertebra, the disc
        levels in between for a span such as ``"L3-L5"``, or ``[]`` when ``text`` is not
        level notation.
    """
    m = LEVEL_TOKEN_RE.match(text.strip())
    if not m:
        return []
    r1, n1, sep, r2, n2 = m.group("r1", "n1", "sep", "r2", "n2")
    if n2 is not None and sep is None and r2 is None:
        return []  # "L412": not notation we know
    return _levels_of(r1, n1, r2, n2)


def _levels_of(r1: str, n1: str, r2: Optional[str], n2: Optional[str]) -> List[str]:
    """Levels of notation read as region ``r1`` number ``n1`` [to region ``r2`` number ``n2``]."""
    if n2 is None:
        # "L45" is dictation for L4-L5; a bare "L4" is a vertebra.
        if len(n1) == 2 and _region(r1) != "T" and not n1.startswith("1"):
            first = _vertebra(r1, n1[0])
            second = _vertebra(r1, n1[1])
            return disc_levels_between(first, second) if first and second else []
        single = _vertebra(r1, n1)
        return [single] if single else []
    first = _vertebra(r1, n1)
    second = _vertebra(r2 or r1, n2)
    if not first or not second:
        return []
    return disc_levels_between(first, second)


def disc_levels_between(first: str, last: str) -> List[str]:
    """Disc levels from vertebra ``first`` down to vertebra ``last`` ("L3", "L5" -> L3-L4, L4-L5)."""
    a, b = _INDEX[first], _INDEX[last]
    if a > b:
        a, b = b, a
    if a == b:
        return [first]
    if a < _INDEX["S1"] < b:
        b = _INDEX["S1"]  # the sacrum is fused: a range into it ("L1-S5") has no disc below S1
    return [f"{VERTEBRAE[i]}-{VERTEBRAE[i + 1]}" for i in range(a, b)]


def expand_range(start: Sequence[str], end: Sequence[str]) -> List[str]:
    """Expand "L1-L2 through L4-L5" or "L3 to S1" into every disc level in between.

    Args:
        start (Sequence[str]): Normalised levels of the range's first item.
        end (Sequence[str]): Normalised levels of the range's last item.

    Returns:
        List[str]: The disc levels from the top of ``start`` to the bottom of ``end``.
    """
    if not start or not end:
        return [*start, *end]
    if len(start) == 1 and len(end) == 1 and not is_disc_level(start[0]) and not is_disc_level(end[0]):
        # "L1 t/m L3", "T11 to T12": the vertebrae themselves (a fracture, Schmorl nodes)
        return vertebrae_between(start[0], end[0])
    top = start[0].split("-")[0]
    bottom = end[-1].split("-")[-1]
    if _INDEX[top] >= _INDEX[bottom]:
        return [*start, *end]
    return disc_levels_between(top, bottom)


def is_disc_level(level: str) -> bool:
    """True for a disc level ("L4-L5"), false for a vertebra ("L5")."""
    return "-" in level


def vertebrae_between(first: str, last: str) -> List[str]:
    """Every vertebra from ``first`` to ``last`` ("L1", "L3" -> L1, L2, L3)."""
    a, b = sorted((_INDEX[first], _INDEX[last]))
    return list(VERTEBRAE[a:b + 1])


def as_disc_levels(levels: Sequence[str]) -> List[str]:
    """Read consecutive vertebrae as the disc levels between them.

    "Anterolisthesis of L4 on L5" names vertebrae L4 and L5 but the disc level L4-L5; a
    single vertebra or non-adjacent vertebrae are kept as they are.
    """
    if len(levels) < 2 or any(is_disc_level(lv) for lv in levels):  # not two or more vertebrae
        return list(levels)
    idx = sorted(_INDEX[v] for v in levels)
    if idx != list(range(idx[0], idx[0] + len(idx))):
        return list(levels)
    return disc_levels_between(VERTEBRAE[idx[0]], VERTEBRAE[idx[-1]])


# --- finding notation in running text -------------------------------------------------

# Hyphen, slash, en dash, em dash, non-breaking hyphen, Unicode hyphen: word processors
# and PDFs write "L4-L5" with any of them, with or without spaces ("L3 -L4").
_DASHES = "\\-/\u2013\u2014\u2011\u2010"
_SEP = rf"[ \t]*[{_DASHES}][ \t]*"
# "Th" as a flat character set, not an alternation: a pattern that starts with a set is
# searched for several times faster. "Ch", "Lh" are refused in LevelFinder._accept.
_PART_CASED = r"[CcTtDdLlSs][Hh]?"
# Text read from a scan or PDF writes a digit as a letter ("C4-CS", "C7-TI"): read as a
# digit only where the notation then names one disc between adjacent vertebrae.
_OCR_DIGITS = {"S": "5", "I": "1", "l": "1"}
_NUMBER = r"(?:\d{1,2}|[SIl])"
# "L4-L5", "L4-5", "L-3-L4", "L3 -L4", "L5S1", "L45", "Th12"; no look-behind at its start
# (searched for faster): what may stand before a match is checked in LevelFinder._accept.
NOTATION_RE = re.compile(
    rf"(?P<r1>{_PART_CASED})-?(?P<n1>{_NUMBER})"
    rf"(?:(?P<sep>{_SEP})(?P<r2>{_PART_CASED})?-?(?P<n2>{_NUMBER})"
    rf"|(?P<r2b>{_PART_CASED})(?P<n2b>\d{{1,2}}))?"
    r"(?![0-9A-Za-z])"
)
# "Th 12" with a space (Dutch typed reports): only the two-letter "Th" is read so; a single
# letter and a number apart ("T 2", "L 4 cm") are too often something else.
SPACED_TH_RE = re.compile(r"(?<![A-Za-z])[Tt][Hh][ \t](?P<n1>\d{1,2})(?![0-9A-Za-z]|[.,]\d)")
_WORD_RE = re.compile(r"[A-Za-z]+|[^\sA-Za-z0-9]")
Mention = Tuple[int, int, List[str]]  # start and end character, normalised levels


def word_alternation(words: Iterable[str], *, first: bool = False) -> str:
    """A regex alternation of lower-case words or phrases, longest first, whole words only.

    ``first``: the pattern starts with it, without a look-behind (searched for many times
    faster); the caller checks that no letter stands before the match (:func:`_word_start`).
    """
    escaped = [re.escape(w).replace("\\ ", r"[ \t]+") for w in sorted(set(words), key=len, reverse=True)]
    return ("" if first else r"(?<![a-z])") + "(?:" + "|".join(escaped) + r")(?![a-z])"


def _word_start(text: str, i: int) -> bool:
    """True when no letter or digit stands just before offset ``i``."""
    return i == 0 or not text[i - 1].isalnum()


class LevelFinder:
    """Find spinal levels in a report's text, whatever its notation or tokenization.

    Reads level notation ("L4-L5", "L4 - 5", "L-3-L4", "L4\u2013L5", "Th12"), levels named
    in words (``vertebra_names``: "lumbar vertebra 4/5", "LWK 5/SWK 1"; ``ordinals``: "the
    fifth lumbar vertebra"; ``all_words``: "all lumbar levels") and bare numbers that continue
    a list ("T12, L1, 2, 5", "L3-4, 4-5 and 5-S1"). MRI sequence names ("T2 weighted") are no
    levels.

    Args:
        words (Dict[str, Any]): The validated ``lexicons/<lang>/levels.json``.
    """

    def __init__(self, words: Dict[str, Any]):
        self.sequence_names = set(words["sequence_names"])
        self.sequence_words = set(words["sequence_words"])
        self.sequence_prefixes = tuple(words["sequence_prefixes"])
        self.sequence_before = set(words["sequence_before"])
        joins = "|".join(map(re.escape, words["sequence_joins"]))
        partners = "|".join(re.escape(w) for w in self.sequence_words if w.isalpha() and len(w) > 2)
        # "T1 and T2 weighted", "hypo T1 en hyper STIR": a pair of sequences is read as one; a
        # name joined to a vertebra ("T1 and T2", "T1 en L1") is no sequence.
        brightness = "|".join(map(re.escape, self.sequence_prefixes))  # "hyper STIR"
        self._pair_after = re.compile(
            rf"\s*(?:{joins})\s*(?:(?:{brightness})[a-z]*\s+)?(?:(?P<name>t[12])|{partners})(?![0-9a-z])",
            re.IGNORECASE,
        )
        self._pair_before = re.compile(rf"(?:t[12]|{partners})\s*(?:{joins})\s*$", re.IGNORECASE)
        self._notation: Dict[Tuple[Optional[str], ...], List[str]] = {}  # groups -> levels
        self._names = {name: letter for letter, ns in words["vertebra_names"].items() for name in ns}
        # These patterns run on the lower-cased text (faster than a case-blind search).
        self.names_re = re.compile(
            rf"(?P<name1>{word_alternation(self._names, first=True)})[ \t]*(?P<n1>\d{{1,2}})"
            rf"(?:{_SEP}(?:(?P<name2>{word_alternation(self._names)})[ \t]*)?(?P<n2>\d{{1,2}}))?(?![0-9a-z])"
        )
        self.ordinals: Dict[str, int] = dict(words["ordinals"])
        regions = {adj: letter for letter, adjs in words["ordinal_regions"].items() for adj in adjs}
        self._ordinal_regions = regions
        self.ordinal_re = re.compile(
            rf"(?P<ord>{word_alternation(self.ordinals, first=True)})[ \t]+(?P<adj>{word_alternation(regions)})"
            rf"[ \t]+{word_alternation(words['ordinal_nouns'])}"
        )
        # "at all lumbar levels", "op alle lumbale niveaus": every disc level of the region
        self.region_discs = {
            letter: disc_levels_between(first.split("-")[0], last.split("-")[1])
            for letter, (first, last) in words["region_discs"].items()
        }
        self.all_levels_re = re.compile(
            rf"{word_alternation(words['all_words'], first=True)}[ \t]+(?P<adj>{word_alternation(regions)})"
            rf"[ \t]+{word_alternation(words['all_nouns'])}"
        )
        # Dictation: "L four five", "L five S one", "T twelve" (region letter, numbers in words).
        self.spoken: Dict[str, int] = dict(words["spoken_numbers"])
        spoken = word_alternation(self.spoken)
        self.spoken_re = re.compile(
            rf"(?P<r1>th|[cdlst])[ \t]+(?P<w1>{spoken})"
            rf"(?:[ \t]*[-/]?[ \t]*(?:(?P<r2>th|[cdlst])[ \t]+)?(?P<w2>{spoken}))?"
        )
        joins = [w for w in words["list_words"] if w != "/"]
        self._continuation_starts = {w[0] for w in joins} | set(",&+")
        # "13 tov 14" = L3 relative to L4: typed notes and OCR put a one for a lower-case l.
        # Only two neighbouring lumbar vertebrae joined by a pair word ("tov", "on"): as
        # numbers ("13 on 14") such a pair hardly occurs; "14-15" stays a number range.
        self.typed_one_re = re.compile(
            rf"1(?P<n1>[1-4])[ \t]+{word_alternation(words['typed_one_pair_words'])}[ \t]+1(?P<n2>[2-5])(?![0-9a-z])"
        )
        units = word_alternation(words["number_units"]) if words["number_units"] else "(?!)"
        self.continuation_re = re.compile(
            rf"(?:[ \t]*(?:{word_alternation(joins)}|[,&+]))+[ \t]*"
            rf"(?P<n1>\d{{1,2}})(?:{_SEP}(?P<r2>[cdlst]|th)?(?P<n2>\d{{1,2}}))?"
            rf"(?![0-9a-z]|[.,]\d|[ \t]*(?:{units}|%))"
        )

    def find(self, text: str) -> List[Mention]:
        """Every level mention of ``text`` as ``(start, end, levels)``, in text order."""
        found: List[Mention] = []
        lower = text.lower()
        notation = self._notation
        for m in NOTATION_RE.finditer(text):
            groups = m.groups()  # r1, n1, sep, r2, n2, r2b, n2b
            levels = notation.get(groups)
            if levels is None:  # the same notation recurs in every report: read it once
                if len(notation) > MAX_CACHED_WORDS:
                    notation.clear()
                levels = notation[groups] = _notation_levels(groups)
            start = m.start()
            if not levels or (start and text[start - 1].isalnum() and not _glued(text, start, groups)):
                continue
            if levels[0] in _SEQUENCE_LIKE and groups[0] in "Tt" and self._is_sequence(text, m):
                continue
            found.append((start, m.end(), list(levels)))
        for m in SPACED_TH_RE.finditer(text):
            levels = _levels_of("T", m.group("n1"), None, None)
            if levels:
                found.append((m.start(), m.end(), levels))
        for m in self.names_re.finditer(lower):
            if _word_start(lower, m.start()):
                found.append((m.start(), m.end(), self._named(m)))
        for m in self.ordinal_re.finditer(lower):
            if not _word_start(lower, m.start()):
                continue
            letter = self._ordinal_regions[m.group("adj").lower()]
            vertebra = _vertebra(letter, str(self.ordinals[m.group("ord").lower()]))
            if vertebra:
                found.append((m.start(), m.end(), [vertebra]))
        for m in self.spoken_re.finditer(lower):
            if _word_start(lower, m.start()) and not self._spoken_sequence(lower, m):
                levels = self._spoken_levels(m)
                if levels:
                    found.append((m.start(), m.end(), levels))
        for m in self.typed_one_re.finditer(lower):
            if _word_start(lower, m.start()) and int(m.group("n2")) == int(m.group("n1")) + 1:
                found.append((m.start(), m.end(), [f"L{m.group('n1')}-L{m.group('n2')}"]))
        for m in self.all_levels_re.finditer(lower):
            if not _word_start(lower, m.start()):
                continue
            letter = self._ordinal_regions[m.group("adj").lower()]
            found.append((m.start(), m.end(), list(self.region_discs.get(letter, []))))
        found = sorted(m for m in found if m[2])
        return self._continued(lower, found)

    def _spoken_levels(self, m: "re.Match") -> List[str]:
        """The levels of a dictated notation: "l four five" -> L4-L5, "l five s one" -> L5-S1."""
        n1 = str(self.spoken[m.group("w1")])
        n2 = str(self.spoken[m.group("w2")]) if m.group("w2") else None
        return _levels_of(m.group("r1"), n1, m.group("r2"), n2)

    def _spoken_sequence(self, text: str, m: "re.Match") -> bool:
        """"T two weighted": a sequence, not a vertebra."""
        if m.group("r1") != "t" or m.group("w2") or self.spoken[m.group("w1")] > 2:
            return False
        after = _WORD_RE.search(text, m.end())
        word = after.group() if after else ""
        return bool(word) and (word in self.sequence_words or word.startswith(self.sequence_prefixes))

    def _is_sequence(self, text: str, m: "re.Match") -> bool:
        """"T2 weighted", "on T1", "T1/T2": MRI sequences, not the T1 and T2 vertebrae."""
        parts = [m.group("r1") + m.group("n1")]
        if m.group("n2"):
            parts.append((m.group("r2") or m.group("r1")) + m.group("n2"))
        if not all(p.lower() in self.sequence_names for p in parts):
            return False
        start, end = m.start(), m.end()
        paired = self._pair_after.match(text, end)
        if paired and not paired.group("name"):
            return True  # "T2-hyperintense", "T1 and STIR"
        end = paired.end() if paired else end
        paired = self._pair_before.search(text, max(0, start - 8), start)
        start = paired.start() if paired else start
        after = _WORD_RE.search(text, end)
        nxt = after.group().lower() if after and after.start() - end < 3 else ""
        before = _WORD_RE.findall(text[max(0, start - 12):start])
        prev = before[-1].lower() if before else ""
        return (
            nxt in self.sequence_words or nxt.startswith(self.sequence_prefixes)
            or prev in self.sequence_before
        )

    def _named(self, m: "re.Match") -> List[str]:
        """"lumbar vertebra 4/5" -> L4-L5, "LWK 5/SWK 1" -> L5-S1, "LWK 3" -> L3."""
        first = self._names[_squeeze(m.group("name1"))]
        second = self._names[_squeeze(m.group("name2"))] if m.group("name2") else first
        return _levels_of(first, m.group("n1"), second, m.group("n2"))

    def _continued(self, text: str, mentions: List[Mention]) -> List[Mention]:
        """Add the bare numbers that continue a list: "L1, 2, 5", "L3-4, 4-5 and 5-S1"."""
        result: List[Mention] = []
        for mention in mentions:
            if result and mention[0] < result[-1][1]:
                continue  # inside a mention found another way
            result.append(mention)
            while True:  # the regex allows only list words before the number
                end = result[-1][1]
                if text[end:end + 2].lstrip(" \t")[:1] not in self._continuation_starts:
                    break  # most levels are followed by no list (a quick look first)
                m = self.continuation_re.match(text, end)
                levels = self._continue(result[-1][2], m) if m else []
                if not levels:
                    break
                result.append((m.start("n1"), m.end(), levels))
        return result

    @staticmethod
    def _continue(previous: List[str], m: "re.Match") -> List[str]:
        last = previous[-1].split("-")[-1]
        region = last[0]
        if m.group("n2") is None:
            if is_disc_level(previous[-1]):
                return []  # "L4-L5, 3": a number after a disc level is a measure
            levels = _levels_of(region, m.group("n1"), None, None)
        else:
            if not is_disc_level(previous[-1]):
                return []
            levels = _levels_of(region, m.group("n1"), m.group("r2"), m.group("n2"))
        # a list runs downwards: "L1, 2, 5"; anything else is not a continuation
        if not levels or _INDEX[levels[0].split("-")[0]] <= _INDEX[previous[-1].split("-")[0]]:
            return []
        return levels


# Notation that may name an MRI sequence rather than a vertebra ("T2", "T1/T2").
_SEQUENCE_LIKE = ("T1", "T2", "T1-T2")


def _notation_levels(groups: Tuple[Optional[str], ...]) -> List[str]:
    """The levels of a NOTATION_RE match's groups; [] for "Ch5" and the like."""
    r1, n1, _, r2, n2, r2b, n2b = groups
    if n2 is None:
        r2, n2 = r2b, n2b
    if (len(r1) == 2 and r1[0] not in "Tt") or (r2 and len(r2) == 2 and r2[0] not in "Tt"):
        return []
    return _read_numbers(r1, n1, r2, n2)


def _glued(text: str, start: int, groups: Tuple[Optional[str], ...]) -> bool:
    """Whether notation right after a letter or digit is still a level."""
    before = text[start - 1]
    if before.isdigit():
        return False
    if before.isupper():  # "TT5-6": a doubled region letter (dictation)
        return before == text[start] and (start < 2 or not text[start - 2].isalnum())
    # "hypertrophyL-4-L5": glued to the word before; only full upper-case disc notation
    r1, _, sep, r2, _, r2b, _ = groups
    r2 = r2 or r2b
    return r1[0].isupper() and bool(sep) and bool(r2) and r2[0].isupper()


def _read_numbers(r1: str, n1: str, r2: Optional[str], n2: Optional[str]) -> List[str]:
    """Levels of notation whose numbers may be digits read as letters ("C4-CS" = C4-C5)."""
    if n1.isdigit() and (n2 is None or n2.isdigit()):
        return _levels_of(r1, n1, r2, n2)
    if n2 is None:
        return []
    levels = _levels_of(r1, _OCR_DIGITS.get(n1, n1), r2, _OCR_DIGITS.get(n2, n2))
    if len(levels) != 1 or not is_disc_level(levels[0]):
        return []
    return levels


def _squeeze(name: str) -> str:
    return " ".join(name.lower().split())
