"""Find spinal level notation and group it: "L3-L4 and L4-L5", "L1-L2 through L4-L5".

Sets ``doc._.level_mentions``: a list of :class:`LevelGroup`, in text order (the attribute
component attaches them to findings), and ``doc._.regions``: the spine regions the report is
about. The words around the notation are data: ``lexicons/<lang>/levels.json``.
"""
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Dict, Iterable, List, Optional, Set, Tuple

from spacy.language import Language
from spacy.tokens import Doc

from nlp.pipeline.level_notation import LevelFinder, expand_range, is_disc_level
from nlp.lexicon import SPINE_REGIONS, level_words
from nlp.pipeline.base import BatchComponent
from nlp.pipeline.words import Words, words_of

_REGION_OF_LETTER = dict(zip("CTLS", SPINE_REGIONS))
# A disc level across a junction ("T12-L1", "L5-S1") is in both regions; it names a region
# only when nothing else in the report does, and then the region above the sacrum.
_JUNCTIONS = {"C7-T1": ("cervical",), "T12-L1": ("thoracic", "lumbar"), "L5-S1": ("lumbar",)}

if not Doc.has_extension("regions"):
    Doc.set_extension("regions", default=None)


@dataclass
class LevelGroup:
    """One or more level mentions that belong together."""

    start: int  # first token
    end: int  # token after the last
    levels: List[str] = field(default_factory=list)
    is_root: bool = False  # "the L5 nerve root", "de S1-wortel": names a root, not a disc
    is_heading: bool = False  # "L4-L5:" at the start of a line
    line_only: bool = False  # a heading with text after it on its line covers that line only
    is_pair: bool = False  # "L4 on L5", "L4 ten opzichte van L5": a vertebra and the next
    is_list: bool = False  # "C5 and C6", "Th8 en Th9": levels named apart, joined by list words
    items: List[List[str]] = field(default_factory=list)  # the levels of each list item


class LevelWords:
    """The words of ``lexicons/<lang>/levels.json`` as sets, and the language's finder."""

    def __init__(self, lang: str):
        words: Dict[str, Any] = level_words(lang)
        self.finder = LevelFinder(words)
        self.list_words: Set[str] = set(words["list_words"])
        self.range_words: Set[str] = set(words["range_words"])
        self.pair_words: Set[str] = set(words["pair_words"])
        self.joining = self.list_words | self.range_words | self.pair_words
        # "and" words: a range word between two levels joined by one of these is no range
        self.and_words = self.list_words - {"/", "+"}
        self.root_words: Set[str] = set(words["root_words"])
        self.root_suffixes = tuple(words["root_suffixes"])
        # Words that name the root of a level after them only ("wortelcompressie L5 links"):
        # a level before them stays a level ("fractuur L1 zonder wortelcompressie").
        self.root_before_words: Set[str] = self.root_words | set(words["root_before_words"])
        self.place_before_words: Set[str] = set(words["place_before_words"])
        self.heading_prefixes: Set[str] = set(words["heading_prefixes"])
        self.heading_words: Set[str] = self.heading_prefixes | set(words["heading_words"])
        self.region_words = RegionWords(words["region_words"])


@lru_cache(maxsize=None)
def words_for(lang: str) -> LevelWords:
    """The level words of ``lang`` (built once; read-only, shared by threads)."""
    return LevelWords(lang)


class RegionWords:
    """The region words of a language ("cervical", "LWK", "halswervel*": a trailing ``*``
    matches any ending), found in a report's lower-cased text by one regex."""

    def __init__(self, region_words: Dict[str, List[str]]):
        self.exact: Dict[str, Set[str]] = {}
        self.stems: List[Tuple[str, str]] = []
        for region, phrases in region_words.items():
            for phrase in phrases:
                if phrase.endswith("*"):
                    self.stems.append((phrase[:-1], region))
                else:
                    self.exact.setdefault(phrase, set()).add(region)
        parts = [re.escape(p).replace("\\ ", r"\s+") for p in self.exact]
        parts += [re.escape(stem) + r"\w*" for stem, _ in self.stems]
        parts.sort(key=len, reverse=True)
        # No look-behind at the start (searched for much faster); checked in ``regions``.
        self.pattern = re.compile("(?:" + "|".join(parts) + r")(?!\w)") if parts else None

    def regions(self, text: str) -> Set[str]:
        """The regions whose words ``text`` holds."""
        found: Set[str] = set()
        if self.pattern is None:
            return found
        lower = text.lower()
        for m in self.pattern.finditer(lower):
            start = m.start()
            if start and (lower[start - 1].isalnum() or lower[start - 1] in "-_"):
                continue
            word = " ".join(m.group().split())
            found.update(self.exact.get(word, ()))
            found.update(region for stem, region in self.stems if word.startswith(stem))
        return found


@Language.factory("spine_levels", assigns=["doc._.level_mentions", "doc._.regions"])
def make_spine_levels(nlp: Language, name: str):
    """Create the level-notation component; its words come from ``lexicons/<lang>/levels.json``."""
    return SpineLevels(nlp.lang)


class SpineLevels(BatchComponent):
    """Find and group level notation; name the report's spine regions."""

    def __init__(self, lang: str):
        self.words = words_for(lang)

    def __call__(self, doc: Doc) -> Doc:
        groups = group_mentions(doc, find_mentions(doc, self.words), self.words)
        doc._.level_mentions = groups
        doc._.regions = regions_of(words_of(doc).text, groups, self.words)
        return doc


def find_mentions(doc: Doc, words: Optional[LevelWords] = None) -> List[Tuple[int, int, List[str]]]:
    """Level mentions as ``(start token, end token, levels)``; "L4 - L5" written with spaces is one.

    Found in the text, not token by token: tokenizers split "L-3-L4", "L3 -L4" or
    "LWK 4/5" in many ways. Mentions within one token ("L4-L5/L5-S1") are one mention.
    """
    words = words or words_for(doc.lang_)
    text_words = words_of(doc)
    starts = text_words.idx
    mentions: List[Tuple[int, int, List[str]]] = []
    for start_char, end_char, levels in words.finder.find(text_words.text):
        start = bisect_right(starts, start_char) - 1
        end = max(bisect_left(starts, end_char, start + 1, len(text_words)), start + 1)
        if mentions and start < mentions[-1][1]:
            last = mentions[-1]
            mentions[-1] = (last[0], max(last[1], end), last[2] + levels)
        else:
            mentions.append((start, end, levels))
    return mentions


def _between_is(words: Words, start: int, end: int, allowed: Set[str]) -> bool:
    return all(words.lowers[k] in allowed or words.is_space[k] for k in range(start, end))


def group_mentions(
    doc: Doc, mentions: Iterable[Tuple[int, int, List[str]]], words: Optional[LevelWords] = None
) -> List[LevelGroup]:
    """Join mentions separated only by list or range words (or nothing: "L4 L5") into groups."""
    words = words or words_for(doc.lang_)
    tokens = words_of(doc)
    groups: List[LevelGroup] = []
    for start, end, levels in mentions:
        last: Optional[LevelGroup] = groups[-1] if groups else None
        if last is not None and _joins(tokens, last, start, words):
            between = set(tokens.lowers[last.end:start])
            if between & words.pair_words and not between & (words.list_words | words.range_words):
                last.levels = _dedupe(last.levels + levels)
                last.items.append(list(levels))
                last.is_pair = True
            elif between & words.range_words and not between & words.and_words:
                last.levels = _dedupe(expand_range(last.levels, levels))
                last.items[-1] = _dedupe(expand_range(last.items[-1], levels))
            else:
                last.levels = _dedupe(last.levels + levels)
                last.items.append(list(levels))
                last.is_list = bool(between & words.list_words)
            last.end = end
            continue
        groups.append(LevelGroup(start, end, list(levels), items=[list(levels)]))
    for group in groups:
        group.is_root = _names_root(tokens.lowers, group, words)
        group.is_heading, group.line_only = _heading(tokens, group, words)
    return groups


def _joins(tokens: Words, last: LevelGroup, start: int, words: LevelWords) -> bool:
    gap = start - last.end
    if gap == 0:  # "L4 L5": two vertebrae written next to each other
        return tokens.spaces[start - 1] == 1
    return gap <= 4 and _between_is(tokens, last.end, start, words.joining)


def _dedupe(levels: List[str]) -> List[str]:
    return list(dict.fromkeys(levels))


def _names_root(lowers, group: LevelGroup, words: LevelWords) -> bool:
    # Plain loops: this runs for every level mention of every report.
    for level in group.levels:
        if is_disc_level(level):
            return False
    for word in lowers[group.end:group.end + 3]:
        if word in words.root_words or (words.root_suffixes and word.endswith(words.root_suffixes)):
            return True
    if group.start and lowers[group.start - 1] in words.place_before_words:
        return False  # "the roots from L3 to L5": where the roots are, not which
    for word in lowers[max(0, group.start - 2):group.start]:
        if word in words.root_before_words:
            return True
    return False


def _heading(tokens: Words, group: LevelGroup, words: LevelWords) -> Tuple[bool, bool]:
    """``(is_heading, line_only)`` for a level that opens a line followed by a colon or dash
    ("L4-L5: ...", "L4-L5 and L5-S1:"); a few words may come first ("Adjacent level L3-L4:",
    "Niveau L5-S1:"). A heading with text after it on its line covers that line only.
    """
    texts, lowers = tokens.texts, tokens.lowers
    i, count = group.start - 1, 0
    while i >= 0 and "\n" not in texts[i]:
        if lowers[i] not in words.heading_prefixes and not tokens.is_punct[i]:
            count += 1
            if count > 2:
                return False, False
        i -= 1
    j = group.end
    while j < len(texts) and lowers[j] in words.heading_words:
        j += 1
    if j >= len(texts) or "\n" in texts[j]:
        return True, False
    if texts[j] not in {":", "-", "\u2013", ")"}:
        return False, False
    k = j + 1
    while k < len(texts) and texts[k].isspace() and "\n" not in texts[k]:
        k += 1
    return True, k < len(texts) and "\n" not in texts[k]


def regions_of(text: str, groups: List[LevelGroup], words: LevelWords) -> List[str]:
    """The spine regions a report is about, in cranio-caudal order.

    From its levels (a root's name is no level) and its region words ("MRI CERVICAL SPINE",
    "MRI LWK", "thoracale wervelkolom"). A junction disc level counts only when nothing else
    names a region.
    """
    found: Set[str] = set()
    junctions: Set[str] = set()
    for group in groups:
        if group.is_root:
            continue
        for level in group.levels:
            if level in _JUNCTIONS:
                junctions.update(_JUNCTIONS[level])
            else:
                found.update(_REGION_OF_LETTER[v[0]] for v in level.split("-"))
    found.update(words.region_words.regions(text))
    if not found:
        found = junctions
    return [region for region in SPINE_REGIONS if region in found]

