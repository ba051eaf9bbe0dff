"""Attach level, side, severity and section to each finding.

Each comes from the finding's own sentence first ("L5/S1: There is a left paracentral
protrusion"), and a level from the per-level heading the sentence stands under second.
"""
from bisect import bisect_left, bisect_right
from typing import Callable, Dict, List, Optional, Sequence, Set, Tuple

from spacy.language import Language
from spacy.tokens import Doc

from ..extensions import span_setter
from ..levels import as_disc_levels, is_disc_level
from ..lexicons import attribute_cues, disc_concepts
from ..limits import MAX_CACHED_WORDS
from .base import BatchComponent
from .levels import LevelGroup
from .words import Words, words_of

ATTRIBUTE_DEFAULTS = {"window_before": 5, "window_after": 6, "max_link_tokens": 6}

# Tokens that may stand between a finding and the level it belongs to ("bulge at the L4-L5 level").
LINK_WORDS = {
    "at", "on", "of", "the", "level", "levels", "in", "from", "op", "ter", "hoogte", "van",
    "het", "de", "niveau", "niveaus", "segment", "disc", "discus", "intervertebral", "space",
    "interspace", "both", "beide", "all", "alle", "across", ",", "-", ":", "(", "is", "are",
    "seen", "noted", "present", "identified", "gezien", "aanwezig", "grade", "graad", "type",
    "i", "ii", "iii", "1", "2", "3", "4", "(",
}
# A side or severity word after a finding belongs to it until a new clause begins.
CLAUSE_BREAKS = {
    ",", ";", ".", "with", "and", "en", "met", "causing", "resulting", "which", "die", "dat",
    "waardoor", "but", "maar", "without", "zonder", "or", "of",
}
SEVERITY_RANK = {"mild": 1, "moderate": 2, "severe": 3}
# A paragraph's level topic is looked for among this many level mentions before a finding.
MAX_TOPIC_GROUPS = 30


@Language.factory(
    "spine_attributes",
    requires=["doc.ents", "doc._.level_mentions", "token.is_sent_start"],
    assigns=["span._.levels", "span._.side", "span._.severity", "span._.section"],
    default_config=ATTRIBUTE_DEFAULTS,
)
def make_spine_attributes(
    nlp: Language, name: str, window_before: int, window_after: int, max_link_tokens: int
):
    """Create the component; side and severity cues come from ``lexicons/<lang>/attributes.json``."""
    return SpineAttributes(
        nlp.lang,
        window_before=window_before,
        window_after=window_after,
        max_link_tokens=max_link_tokens,
    )


class SpineAttributes(BatchComponent):
    """Set ``levels``, ``side``, ``severity`` and ``section`` on every entity."""

    def __init__(self, lang: str, *, window_before: int, window_after: int, max_link_tokens: int):
        cues = attribute_cues(lang)
        self.side_words = _invert(cues["side"]["words"])
        self.side_prefixes = _invert(cues["side"].get("prefixes", {}))
        self.severity_words = _invert(cues["severity"]["words"])
        # Word -> its side, "" for none; read once per word (shared by threads: a word's
        # side never changes, so a race only computes it twice).
        self._sides: Dict[str, str] = {}
        self.window_before = window_before
        self.window_after = window_after
        self.max_link_tokens = max_link_tokens
        self.link_words = LINK_WORDS | set(self.side_words) | set(self.severity_words)
        self.disc_concepts = disc_concepts()
        self._set_values = span_setter("levels", "side", "severity", "section")

    def __call__(self, doc: Doc) -> Doc:
        ents = doc.ents
        if not ents:
            return doc
        index = _DocIndex(doc, doc._.level_mentions or [])
        words = index.words
        lowers, sentence_of, section_at = words.lowers, words.sentence, index.section_at
        finding_tokens = {i for ent in ents for i in range(ent.start, ent.end)}
        set_values = self._set_values
        for ent in ents:
            start, end = ent.start, ent.end
            sentence = sentence_of(start)
            near = self._context_words(start, end, finding_tokens, lowers, sentence)
            set_values(
                ent, self.levels_for(start, end, ent.label_, index, sentence),
                self._side(near), self._severity(near), section_at(start),
            )
        return doc

    def levels_for(
        self, start: int, end: int, concept: str, index: "_DocIndex",
        sentence: Optional[Tuple[int, int]] = None,
    ) -> List[str]:
        """The levels of the finding's own sentence, else of the level the paragraph is about.

        A root named by its vertebra ("the left L5 nerve root") gives the level only when
        neither the sentence nor its heading names a disc level. Disc findings read a pair
        of vertebrae as the disc between them.
        """
        is_disc = concept in self.disc_concepts
        levels = self._levels_for(start, end, is_disc, index, sentence or index.words.sentence(start))
        return as_disc_levels(levels) if is_disc else levels

    def _levels_for(
        self, start: int, end: int, is_disc: bool, index: "_DocIndex", sentence: Tuple[int, int]
    ) -> List[str]:
        groups, starts = index.groups, index.starts
        sent_start, sent_end = sentence
        lo, hi = bisect_left(starts, sent_start), bisect_left(starts, sent_end)
        here = bisect_left(starts, start, lo, hi)
        after = before = None
        for k in range(bisect_left(starts, end, lo, hi), hi):
            g = groups[k]
            if not g.is_root and g.end <= sent_end:
                after = g
                break
        for k in range(here - 1, lo - 1, -1):
            g = groups[k]
            if not g.is_root and g.end <= start:
                before = g
                break
        if after and self._linked(index.words.lowers, end, after.start):
            return list(after.levels)
        if before:
            return list(before.levels)
        if after:
            return list(after.levels)
        topic = index.paragraph_topic(start, here, discs_only=is_disc)
        if topic is not None:
            return list(topic.levels)
        nearby = groups[max(lo, here - MAX_TOPIC_GROUPS):min(hi, here + MAX_TOPIC_GROUPS)]
        roots = [g for g in nearby if g.is_root and g.end <= sent_end]
        if roots:
            return list(min(roots, key=lambda g: abs(g.start - start)).levels)
        return []

    def _linked(self, lowers: Sequence[str], start: int, end: int) -> bool:
        return end - start <= self.max_link_tokens and all(
            w in self.link_words or not w.strip() for w in lowers[start:end]
        )

    def _context_words(
        self, start: int, end: int, finding_tokens: Set[int], lowers: Sequence[str],
        sentence: Tuple[int, int],
    ) -> List[str]:
        """Lower-cased words near the finding in its sentence: the finding's own, then the
        nearest before, then after (stopping at another finding or a new clause)."""
        sent_start, sent_end = sentence
        found = list(lowers[start:end])
        i, first = start - 1, max(sent_start, start - self.window_before)
        while i >= first and i not in finding_tokens:
            if lowers[i] in (".", ";"):
                break
            found.append(lowers[i])
            i -= 1
        i, stop = end, min(sent_end, end + self.window_after)
        while i < stop and i not in finding_tokens:
            if lowers[i] in CLAUSE_BREAKS:
                break
            found.append(lowers[i])
            i += 1
        return found

    def _side(self, words: List[str]) -> Optional[str]:
        sides = self._sides
        for word in words:
            side = sides.get(word)
            if side is None:  # a word not seen before: "linksparamediaan" by its prefix
                if len(sides) > MAX_CACHED_WORDS:
                    sides = self._sides = {}
                side = sides[word] = self.side_words.get(word) or next(
                    (side for prefix, side in self.side_prefixes.items() if word.startswith(prefix)), ""
                )
            if side:
                return side
        return None

    def _severity(self, words: List[str]) -> Optional[str]:
        # "mild to moderate stenosis": report the higher grade.
        found = [self.severity_words[w] for w in words if w in self.severity_words]
        return max(found, key=SEVERITY_RANK.__getitem__) if found else None


def _invert(mapping: Dict[str, List[str]]) -> Dict[str, str]:
    return {word.lower(): value for value, words in mapping.items() for word in words}


# Words that may open a sentence about a level: "At L4-L5, ...", "Op niveau L5-S1 ...".
TOPIC_OPENERS = {"at", "on", "level", "op", "niveau", "ter", "hoogte", "van", "in", "the", "het", "de", "-", "*"}


class _DocIndex:
    """What the attributes need of one Doc, worked out once (not once per finding).

    A local per call, never kept on the component: one pipeline serves many threads.
    """

    def __init__(self, doc: Doc, groups: List[LevelGroup]):
        words = self.words = words_of(doc, sentences=True)
        self.groups = groups
        self.starts = [g.start for g in groups]
        # Groups that can be a paragraph's topic wherever the finding is: headings and
        # sentence openings; other groups only for a finding on the same line.
        self.opens_topic = [
            not g.is_root and (g.is_heading or _opens_sentence(words, g)) for g in groups
        ]
        self.is_disc = [g.is_heading or any(is_disc_level(lv) for lv in g.levels) for g in groups]
        self.blank_lines = [i for i in words.line_breaks if words.texts[i].count("\n") >= 2]
        self.section_at = _section_finder(doc)

    def paragraph_topic(self, start: int, here: int, *, discs_only: bool) -> Optional[LevelGroup]:
        """The level the finding's paragraph is about (``here``: groups before the finding).

        That is the last "L4-L5:" heading, sentence opening with a level ("At L4-L5 there is
        ...") or level earlier on the same line, before the finding, unless a blank line or a
        section intervenes. Disc findings only take disc levels ("the S1 body" is no topic).
        """
        groups, words, is_disc = self.groups, self.words, self.is_disc
        # The last candidate (for a disc finding: the last disc candidate, else the last
        # one), looked for backwards from the finding: usually the nearest group.
        last = None
        for k in range(here - 1, max(0, here - MAX_TOPIC_GROUPS) - 1, -1):
            group = groups[k]
            if group.end <= start and (
                self.opens_topic[k] or (not group.is_root and words.same_line(group.end, start))
            ):
                if not discs_only or is_disc[k]:
                    last = k
                    break
                if last is None:
                    last = k
        if last is None:
            return None
        heading = groups[last]
        k = bisect_left(self.blank_lines, heading.end)
        if k < len(self.blank_lines) and self.blank_lines[k] < start:
            return None
        if self.section_at(start) != self.section_at(heading.start):
            return None
        return heading


def _opens_sentence(words: Words, group: LevelGroup) -> bool:
    sent_start = words.sentence(group.start)[0]
    return all(
        w in TOPIC_OPENERS or not w.strip() or w.isdigit() for w in words.lowers[sent_start:group.start]
    )


def _section_finder(doc: Doc) -> Callable[[int], Optional[str]]:
    """Token index -> section category, from spine_sections or medspaCy's Sectionizer."""
    if doc._.section_starts is not None:
        starts: List[Tuple[int, str]] = doc._.section_starts
        positions = [s for s, _ in starts]
        return lambda i: starts[k][1] if (k := bisect_right(positions, i) - 1) >= 0 else None
    if not doc.has_extension("sections") or not doc._.sections:
        return lambda i: None
    return lambda i: doc[i]._.section_category  # medspaCy's Sectionizer (engine="medspacy")
