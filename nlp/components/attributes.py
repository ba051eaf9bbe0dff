"""Attach level, side, severity and section to each finding.

Each comes from the finding's own sentence first ("L5/S1: There is a left paracentral
protrusion"), and a level from the per-level heading the sentence stands under second.
"""
from bisect import bisect_left, bisect_right
from typing import Dict, Iterable, List, NamedTuple, Optional, Sequence, Set

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..levels import as_disc_levels
from ..lexicons import attribute_cues, concepts
from .levels import LevelGroup
from .sections import section_at

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


class SpineAttributes:
    """Set ``levels``, ``side``, ``severity`` and ``section`` on every entity."""

    def __init__(self, lang: str, *, window_before: int, window_after: int, max_link_tokens: int):
        cues = attribute_cues(lang)
        self.side_words = _invert(cues["side"]["words"])
        self.side_prefixes = _invert(cues["side"].get("prefixes", {}))
        self.severity_words = _invert(cues["severity"]["words"])
        self._prefix_sides: Dict[str, Optional[str]] = {}
        self.window_before = window_before
        self.window_after = window_after
        self.max_link_tokens = max_link_tokens

    def __call__(self, doc: Doc) -> Doc:
        groups: List[LevelGroup] = doc._.level_mentions or []
        finding_tokens = {i for ent in doc.ents for i in range(ent.start, ent.end)}
        # Span.sent scans the Doc on every call; look sentences up once per Doc instead.
        # (A local, not an attribute: one pipeline serves many threads.)
        sents = _SentenceIndex(doc)
        starts = [g.start for g in groups]
        for ent in doc.ents:
            levels = self.levels_for(ent, groups, sents, starts)
            if self._is_disc_concept(ent):
                levels = as_disc_levels(levels)
            ent._.levels = levels
            words = self._context_words(ent, finding_tokens, sents)
            ent._.side = self._side(words)
            ent._.severity = self._severity(words)
            ent._.section = _section_of(ent)
        return doc

    def levels_for(
        self, ent: Span, groups: Sequence[LevelGroup], sents: Optional["_SentenceIndex"] = None,
        starts: Optional[List[int]] = None,
    ) -> List[str]:
        """The levels of the finding's own sentence, else of the level the paragraph is about.

        A root named by its vertebra ("the left L5 nerve root") gives the level only when
        neither the sentence nor its heading names a disc level.
        """
        sents = sents or _SentenceIndex(ent.doc)
        starts = starts if starts is not None else [g.start for g in groups]
        sent = sents.of(ent.start)
        lo, hi = bisect_left(starts, sent.start), bisect_left(starts, sent.end)
        here = bisect_left(starts, ent.start, lo, hi)
        after = _first(g for g in groups[bisect_left(starts, ent.end, lo, hi):hi]
                       if not g.is_root and g.end <= sent.end)
        before = _first(g for g in reversed(groups[lo:here]) if not g.is_root and g.end <= ent.start)
        if after and self._linked(sents, ent.end, after.start):
            return list(after.levels)
        if before:
            return list(before.levels)
        if after:
            return list(after.levels)
        before_ent = groups[max(0, here - MAX_TOPIC_GROUPS):here]
        topic = _paragraph_topic(ent, before_ent, sents, discs_only=self._is_disc_concept(ent))
        if topic is not None:
            return list(topic.levels)
        nearby = groups[max(lo, here - MAX_TOPIC_GROUPS):min(hi, here + MAX_TOPIC_GROUPS)]
        roots = [g for g in nearby if g.is_root and g.end <= sent.end]
        if roots:
            return list(min(roots, key=lambda g: abs(g.start - ent.start)).levels)
        return []

    @staticmethod
    def _is_disc_concept(ent: Span) -> bool:
        return concepts()[ent.label_].get("levels", "disc") == "disc"

    def _linked(self, sents: "_SentenceIndex", start: int, end: int) -> bool:
        return end - start <= self.max_link_tokens and all(
            w in LINK_WORDS or w in self.side_words or w in self.severity_words or not w.strip()
            for w in sents.lowers[start:end]
        )

    def _side_of(self, word: str) -> Optional[str]:
        if word in self.side_words:
            return self.side_words[word]
        if word not in self._prefix_sides:  # "linksparamediaan": read once per word
            self._prefix_sides[word] = next(
                (side for prefix, side in self.side_prefixes.items() if word.startswith(prefix)), None
            )
        return self._prefix_sides[word]

    def _context_words(
        self, ent: Span, finding_tokens: Set[int], sents: "_SentenceIndex"
    ) -> List[str]:
        """Lower-cased words near the finding in its sentence: the finding's own, then the
        nearest before, then after (stopping at another finding or a new clause)."""
        lowers, sent = sents.lowers, sents.of(ent.start)
        words = lowers[ent.start:ent.end]
        i = ent.start - 1
        while i >= max(sent.start, ent.start - self.window_before) and i not in finding_tokens:
            if lowers[i] in (".", ";"):
                break
            words.append(lowers[i])
            i -= 1
        i = ent.end
        while i < min(sent.end, ent.end + self.window_after) and i not in finding_tokens:
            if lowers[i] in CLAUSE_BREAKS:
                break
            words.append(lowers[i])
            i += 1
        return words

    def _side(self, words: List[str]) -> Optional[str]:
        for word in words:
            side = self._side_of(word)
            if side:
                return side
        return None

    def _severity(self, words: List[str]) -> Optional[str]:
        # "mild to moderate stenosis": report the higher grade.
        found = [self.severity_words[w] for w in words if w in self.severity_words]
        return max(found, key=SEVERITY_RANK.__getitem__) if found else None


def _first(items: Iterable[LevelGroup]) -> Optional[LevelGroup]:
    return next(iter(items), None)


def _invert(mapping: Dict[str, List[str]]) -> Dict[str, str]:
    return {word.lower(): value for value, words in mapping.items() for word in words}


# Words that may open a sentence about a level: "At L4-L5, ...", "Op niveau L5-S1 ...".
TOPIC_OPENERS = {"at", "on", "level", "op", "niveau", "ter", "hoogte", "van", "in", "the", "het", "de", "-", "*"}


class _Bounds(NamedTuple):
    start: int
    end: int


class _SentenceIndex:
    """Sentence bounds of a token by bisection over the sentence starts of one Doc."""

    def __init__(self, doc: Doc):
        self.bounds = [_Bounds(sent.start, sent.end) for sent in doc.sents]
        self.starts = [b.start for b in self.bounds]
        self.text = doc.text  # Doc.text joins every token again on each call
        # Words as plain strings, read once: indexing a Doc creates a Token object each time.
        self.lowers = [t.lower_ for t in doc]

    def of(self, i: int) -> _Bounds:
        return self.bounds[bisect_right(self.starts, i) - 1]


def _opens_sentence(doc: Doc, group: LevelGroup, sents: "_SentenceIndex") -> bool:
    sent_start = sents.of(group.start).start
    return all(
        w in TOPIC_OPENERS or not w.strip() or w.isdigit() for w in sents.lowers[sent_start:group.start]
    )


def _paragraph_topic(
    ent: Span, groups: Sequence[LevelGroup], sents: _SentenceIndex, *, discs_only: bool
) -> Optional[LevelGroup]:
    """The level the finding's paragraph is about.

    That is the last "L4-L5:" heading, sentence opening with a level ("At L4-L5 there is
    ...") or level earlier on the same line, before the finding, unless a blank line or a
    section intervenes. Disc findings only take disc levels ("the S1 body" is no topic).
    """
    doc = ent.doc
    candidates = [
        g for g in groups
        if g.end <= ent.start
        and not g.is_root
        and (g.is_heading or _opens_sentence(doc, g, sents) or _same_line(doc, sents.text, g.end, ent.start))
    ]
    discs = [g for g in candidates if g.is_heading or any("-" in lv for lv in g.levels)]
    if discs_only and discs:
        candidates = discs
    if not candidates:
        return None
    heading = candidates[-1]
    between = doc[heading.end:ent.start]
    if any(t.text.count("\n") + t.whitespace_.count("\n") >= 2 for t in between):
        return None
    if _section_of(ent) != _section_of(doc[heading.start:heading.end]):
        return None
    return heading


def _same_line(doc: Doc, text: str, start: int, end: int) -> bool:
    if start >= end:
        return True
    stop = doc[end].idx if end < len(doc) else len(text)
    return "\n" not in text[doc[start].idx:stop]


def _section_of(span: Span) -> Optional[str]:
    doc = span.doc
    if doc._.section_starts is not None:
        return section_at(doc, span.start)
    if not doc.has_extension("sections") or not doc._.sections:
        return None
    return span[0]._.section_category  # medspaCy's Sectionizer (engine="medspacy")
