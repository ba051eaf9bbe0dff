"""Find spinal level notation and group it: "L3-L4 and L4-L5", "L1-L2 through L4-L5".

Sets ``doc._.level_mentions``: a list of :class:`LevelGroup`, in text order. The attribute
component attaches them to findings.
"""
from dataclasses import dataclass, field
from typing import Iterable, List, Optional, Sequence, Set, Tuple

from spacy.language import Language
from spacy.tokens import Doc

from ..levels import LEVEL_TOKEN_RE, expand_range, is_disc_level, parse_level
from ..limits import MAX_CACHED_WORDS
from .base import BatchComponent
from .words import Words, words_of

# Words that join level mentions into one group; the range words expand the levels between.
LIST_WORDS = {",", "and", "en", "&", "or", "of", "as", "well", "+", "/"}
RANGE_WORDS = {"through", "thru", "to", "till", "until", "t/m", "tot", "met", "-", "–", "tm"}
# "anterolisthesis of L4 on L5", "L4 ten opzichte van L5": a pair of vertebrae
PAIR_WORDS = {"on", "over", "upon", "op", "ten", "opzichte", "van", "t.o.v.", "tov", "t.o.v"}
# "T2 signal": an MRI sequence, not the second thoracic vertebra.
SEQUENCE_WORDS = {
    "signal", "weighted", "weighting", "hyperintense", "hypointense", "hyperintensity",
    "hypointensity", "sequence", "sequences", "image", "images", "imaging", "stir", "flair",
    "tse", "fse", "fs", "fatsat", "sagittal", "axial", "gewogen", "signaal", "signaalintensiteit",
    "hyperintens", "hypointens", "opnamen", "opname", "beelden", "sequentie", "sequenties",
    "and", "en", "/", "-", "+", "w", "wi",
}
SEQUENCE_NAMES = {"t1", "t2"}
ROOT_WORDS = {"root", "roots", "nerve", "wortel", "zenuwwortel", "wortels", "radix", "zenuw"}
HEADING_PREFIXES = {"level", "niveau", "at", "op", "disc", "discus", "segment", "interspace"}
HEADING_WORDS = HEADING_PREFIXES | {"level", "levels", "niveaus"}
JOINING_WORDS = LIST_WORDS | RANGE_WORDS | PAIR_WORDS


@dataclass
class LevelGroup:
    """One or more level mentions that belong together."""

    start: int  # first token
    end: int  # token after the last
    levels: List[str] = field(default_factory=list)
    is_root: bool = False  # "the L5 nerve root", "de S1-wortel": names a root, not a disc
    is_heading: bool = False  # "L4-L5:" at the start of a line


@Language.factory("spine_levels", assigns=["doc._.level_mentions"])
def make_spine_levels(nlp: Language, name: str):
    """Create the level-notation component."""
    return SpineLevels()


class SpineLevels(BatchComponent):
    """Find and group level notation."""

    def __call__(self, doc: Doc) -> Doc:
        doc._.level_mentions = group_mentions(doc, find_mentions(doc))
        return doc


def _is_sequence(lowers: Sequence[str], i: int) -> bool:
    if lowers[i] not in SEQUENCE_NAMES:
        return False
    nxt = lowers[i + 1] if i + 1 < len(lowers) else ""
    prev = lowers[i - 1] if i > 0 else ""
    return nxt in SEQUENCE_WORDS or nxt.startswith(("weight", "gewog", "hyper", "hypo")) or prev in {
        "on", "op", "/", "and", "en"
    }


def find_mentions(doc: Doc) -> List[Tuple[int, int, List[str]]]:
    """Level mentions as ``(start, end, levels)``; "L4 - L5" written with spaces is one."""
    words = words_of(doc)
    texts, lowers = words.texts, words.lowers
    mentions: List[Tuple[int, int, List[str]]] = []
    n, done = len(texts), 0
    for i in _level_tokens(texts):
        if i < done or _is_sequence(lowers, i):
            continue
        text, end = texts[i], i + 1
        # "L4", "-", "5" or "L4", "/", "L5": one piece of notation split by the tokenizer.
        if (
            end + 1 < n
            and texts[end] in {"-", "/", "–"}
            and LEVEL_TOKEN_RE.match(text + "-" + texts[end + 1])
            and len(parse_level(text + "-" + texts[end + 1])) >= 1
            and "-" not in text
        ):
            text = text + "-" + texts[end + 1]
            end += 2
        levels = parse_level(text)
        if levels:
            mentions.append((i, end, levels))
        done = end
    return mentions


# Words known to be level notation or not: most words of a report recur in the next one.
_LEVEL_WORDS: Set[str] = set()
_OTHER_WORDS: Set[str] = set()


def _level_tokens(texts: Sequence[str]) -> List[int]:
    """Indices of the tokens written like level notation ("L4-L5", "S1", "Th12")."""
    level, other = _LEVEL_WORDS, _OTHER_WORDS
    if len(other) > MAX_CACHED_WORDS:
        other.clear()
    found = []
    for i, text in enumerate(texts):
        if text in other:
            continue
        if text not in level:
            if not LEVEL_TOKEN_RE.match(text):
                other.add(text)
                continue
            level.add(text)
        found.append(i)
    return found


def _between_is(words: Words, start: int, end: int, allowed: Set[str]) -> bool:
    return all(words.lowers[k] in allowed or words.is_space[k] for k in range(start, end))


def group_mentions(doc: Doc, mentions: Iterable[Tuple[int, int, List[str]]]) -> List[LevelGroup]:
    """Join mentions separated only by list or range words into groups."""
    words = words_of(doc)
    groups: List[LevelGroup] = []
    for start, end, levels in mentions:
        last: Optional[LevelGroup] = groups[-1] if groups else None
        if last is not None and 0 < start - last.end <= 4 and _between_is(words, last.end, start, JOINING_WORDS):
            between = set(words.lowers[last.end:start])
            if between & PAIR_WORDS and not between & (LIST_WORDS | RANGE_WORDS):
                last.levels = _dedupe(last.levels + levels)
            elif between & RANGE_WORDS and not between & {",", "and", "en", "&"}:
                last.levels = _dedupe(expand_range(last.levels, levels))
            else:
                last.levels = _dedupe(last.levels + levels)
            last.end = end
            continue
        groups.append(LevelGroup(start, end, list(levels)))
    for group in groups:
        group.is_root = _names_root(words.lowers, group)
        group.is_heading = _is_heading(words, group)
    return groups


def _dedupe(levels: List[str]) -> List[str]:
    return list(dict.fromkeys(levels))


def _names_root(lowers: Sequence[str], group: LevelGroup) -> bool:
    # Plain loops: this runs for every level mention of every report.
    for level in group.levels:
        if is_disc_level(level):
            return False
    for word in lowers[group.end:group.end + 3]:
        if word in ROOT_WORDS or word.endswith("wortel"):
            return True
    for word in lowers[max(0, group.start - 2):group.start]:
        if word in ROOT_WORDS:
            return True
    return False


def _is_heading(words: Words, group: LevelGroup) -> bool:
    """A level that opens a line and is followed by a colon or dash ("L4-L5: ...").

    A few words may come first ("Adjacent level L3-L4:", "Niveau L5-S1:").
    """
    texts, lowers = words.texts, words.lowers
    i, count = group.start - 1, 0
    while i >= 0 and "\n" not in texts[i]:
        if lowers[i] not in HEADING_PREFIXES and not words.is_punct[i]:
            count += 1
            if count > 2:
                return False
        i -= 1
    j = group.end
    while j < len(texts) and lowers[j] in HEADING_WORDS:
        j += 1
    if j >= len(texts) or "\n" in texts[j]:
        return True
    return texts[j] in {":", "-", "–", ")"}
