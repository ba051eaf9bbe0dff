"""Find spinal level notation and group it: "L3-L4 and L4-L5", "L1-L2 through L4-L5".

Sets ``doc._.level_mentions``: a list of :class:`LevelGroup`, in text order. The attribute
component attaches them to findings.
"""
from dataclasses import dataclass, field
from typing import Iterable, List, Optional, Tuple

from spacy.language import Language
from spacy.tokens import Doc

from ..levels import LEVEL_TOKEN_RE, expand_range, parse_level

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


class SpineLevels:
    """Find and group level notation."""

    def __call__(self, doc: Doc) -> Doc:
        doc._.level_mentions = group_mentions(doc, find_mentions(doc))
        return doc


def _is_sequence(doc: Doc, i: int) -> bool:
    if doc[i].lower_ not in SEQUENCE_NAMES:
        return False
    nxt = doc[i + 1].lower_ if i + 1 < len(doc) else ""
    prev = doc[i - 1].lower_ if i > 0 else ""
    return nxt in SEQUENCE_WORDS or nxt.startswith(("weight", "gewog", "hyper", "hypo")) or prev in {
        "on", "op", "/", "and", "en"
    }


def find_mentions(doc: Doc) -> List[Tuple[int, int, List[str]]]:
    """Level mentions as ``(start, end, levels)``; "L4 - L5" written with spaces is one."""
    mentions: List[Tuple[int, int, List[str]]] = []
    i, n = 0, len(doc)
    while i < n:
        token = doc[i]
        if not LEVEL_TOKEN_RE.match(token.text) or _is_sequence(doc, i):
            i += 1
            continue
        end, text = i + 1, token.text
        # "L4", "-", "5" or "L4", "/", "L5": one piece of notation split by the tokenizer.
        if (
            end + 1 < n
            and doc[end].text in {"-", "/", "–"}
            and LEVEL_TOKEN_RE.match(text + "-" + doc[end + 1].text)
            and len(parse_level(text + "-" + doc[end + 1].text)) >= 1
            and "-" not in text
        ):
            text = text + "-" + doc[end + 1].text
            end += 2
        levels = parse_level(text)
        if levels:
            mentions.append((i, end, levels))
        i = end
    return mentions


def _between_is(doc: Doc, start: int, end: int, words: set) -> bool:
    return all(t.lower_ in words or t.is_space for t in doc[start:end])


def group_mentions(doc: Doc, mentions: Iterable[Tuple[int, int, List[str]]]) -> List[LevelGroup]:
    """Join mentions separated only by list or range words into groups."""
    groups: List[LevelGroup] = []
    for start, end, levels in mentions:
        last: Optional[LevelGroup] = groups[-1] if groups else None
        if last is not None and 0 < start - last.end <= 4 and _between_is(
            doc, last.end, start, LIST_WORDS | RANGE_WORDS | PAIR_WORDS
        ):
            between = {t.lower_ for t in doc[last.end:start]}
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
        group.is_root = _names_root(doc, group)
        group.is_heading = _is_heading(doc, group)
    return groups


def _dedupe(levels: List[str]) -> List[str]:
    return list(dict.fromkeys(levels))


def _names_root(doc: Doc, group: LevelGroup) -> bool:
    if any("-" in level for level in group.levels):
        return False
    after = [t.lower_ for t in doc[group.end:group.end + 3]]
    before = [t.lower_ for t in doc[max(0, group.start - 2):group.start]]
    return any(w in ROOT_WORDS or w.endswith("wortel") for w in after[:3]) or any(
        w in ROOT_WORDS for w in before
    )


def _is_heading(doc: Doc, group: LevelGroup) -> bool:
    """A level that opens a line and is followed by a colon or dash ("L4-L5: ...").

    A few words may come first ("Adjacent level L3-L4:", "Niveau L5-S1:").
    """
    i, words = group.start - 1, 0
    while i >= 0 and not ("\n" in doc[i].text or "\n" in doc[i].whitespace_):
        if doc[i].lower_ not in HEADING_PREFIXES and not doc[i].is_punct:
            words += 1
            if words > 2:
                return False
        i -= 1
    j = group.end
    while j < len(doc) and doc[j].lower_ in HEADING_PREFIXES | {"level", "levels", "niveaus"}:
        j += 1
    if j >= len(doc) or "\n" in doc[j].text:
        return True
    return doc[j].text in {":", "-", "–", ")"} or "\n" in doc[j - 1].whitespace_
