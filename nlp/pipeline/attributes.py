"""Attach level, side, severity and section to each finding.

Each comes from the finding's own sentence first ("L5/S1: There is a left paracentral
protrusion"), and a level from the per-level heading the sentence stands under second. A
finding's level is, in this order: a level within it ("Bilateral L5 spondylolysis"), the level
linked to it ("protrusion at the L5-S1 level", also over a wrapped line), the nearest level
before it in its sentence, a level after it not claimed by a finding of another clause, and
last the level its paragraph is about. A root's name ("the L5 nerve root") is no level, and a
vertebra finding said to be absent ("No fracture or metastases.") takes no level from an
earlier sentence. The words involved are data: ``lexicons/<lang>/attributes.json``.
"""
from bisect import bisect_left, bisect_right
from typing import Callable, Dict, List, Optional, Sequence, Set, Tuple

from spacy.language import Language
from spacy.tokens import Doc, Span

from nlp.pipeline.extensions import span_setter
from nlp.pipeline.layout import LIST_ITEM
from nlp.pipeline.level_notation import as_disc_levels, is_disc_level
from nlp.lexicon import attribute_cues, disc_concepts, level_free_concepts, paired_concepts
from nlp.limits import MAX_CACHED_WORDS
from nlp.pipeline.base import BatchComponent
from nlp.pipeline.levels import LevelGroup
from nlp.pipeline.words import Words, words_of

ATTRIBUTE_DEFAULTS = {"window_before": 5, "window_after": 6, "max_link_tokens": 6}

SEVERITY_RANK = {"mild": 1, "moderate": 2, "severe": 3}
# A paragraph's level topic is looked for among this many level mentions before a finding.
MAX_TOPIC_GROUPS = 30
# Findings at most this many words apart are in one clause.
MAX_CLAUSE_GAP = 4
# Words of spread ("multilevel") are looked for this many words before a finding.
SPREAD_WINDOW = 3
# A line that opens with "also" within this many words goes on about the line before it.
CONTINUATION_WINDOW = 4
# A finding's list of levels goes on over this many words ("... on the right and on the left side of C5-C6").
MAX_LIST_GAP = 10


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
        # Words that may stand between a finding and its level ("bulge at the L4-L5 level");
        # a side or severity word after a finding belongs to it until a clause break.
        self.link_words = set(cues["link_words"]) | set(self.side_words) | set(self.severity_words)
        self.clause_breaks = set(cues["clause_breaks"])
        # Words that may open a sentence about a level: "At L4-L5, ...", "Op niveau L5-S1 ...".
        self.topic_openers = set(cues["topic_openers"])
        # "No fracture or metastases.": about the whole spine, not the level named before it
        self.negation_words = set(cues["negation_words"])
        self.negation_breaks = set(cues["negation_breaks"])
        # "No stenosis at any level", "... of the thoracic spine": no one level's finding
        phrases = [tuple(phrase.split()) for phrase in cues["whole_spine_words"]]
        self.whole_spine_words = {p[0] for p in phrases if len(p) == 1}
        self.whole_spine_phrases = [p for p in phrases if len(p) > 1]
        self.spread_words = set(cues["spread_words"])  # "multilevel protrusions"
        self.distributive_words = set(cues["distributive_words"])  # "respectively"
        self.list_words = set(cues["list_words"])  # "and": a list of levels goes on
        self.superlatives = set(cues["superlative_words"])  # "most marked at L4-L5"
        self.relation_words = set(cues["relation_words"])  # "L5 ... relative to S1"
        self.continuation_words = set(cues["continuation_words"])  # "There is also ..."
        # Words between coordinated findings that share a level ("bulges and protrusions at")
        self.coordination_words = set(cues["coordination_words"]) | self.link_words
        self.cause_words = set(cues["cause_words"])  # "compression due to a herniation at L5-S1"
        self.disc_concepts = disc_concepts()
        self.paired_concepts = paired_concepts()
        self.level_free = level_free_concepts()
        self._set_values = span_setter("levels", "side", "severity", "section")

    def __call__(self, doc: Doc) -> Doc:
        ents = doc.ents
        if not ents:
            return doc
        index = _DocIndex(doc, ents, doc._.level_mentions or [], self.topic_openers, self.continuation_words)
        words = index.words
        lowers, sentence_of, section_at = words.lowers, words.sentence, index.section_at
        finding_tokens = {i for ent in ents for i in range(ent.start, ent.end)}
        set_values = self._set_values
        for k, ent in enumerate(ents):
            start, end = ent.start, ent.end
            sentence = sentence_of(start)
            near = self._context_words(start, end, finding_tokens, lowers, sentence)
            set_values(
                ent, self.levels_for(start, end, ent.label_, index, sentence, finding=k),
                self._side(near), self._severity(near), section_at(start),
            )
        return doc

    def levels_for(
        self, start: int, end: int, concept: str, index: "_DocIndex",
        sentence: Optional[Tuple[int, int]] = None, *, finding: Optional[int] = None,
    ) -> List[str]:
        """The levels of the finding's own sentence, else of the level the paragraph is about.

        A root named by its vertebra ("the left L5 nerve root") is no level (the gold
        convention). Disc findings read a pair of vertebrae as the disc between them; those
        that may be of the vertebrae too (concepts.yaml "disc_or_vertebrae": infection) keep
        vertebrae named apart ("osteomyelitis of C5 and C6"), not a range or "L4 L5".
        """
        if concept in self.level_free:
            return []
        sentence = sentence or index.words.sentence(start)
        levels = self._levels_for(start, end, concept, index, sentence, finding)
        if concept in self.paired_concepts or (concept in self.disc_concepts and not _listed(levels, index)):
            return as_disc_levels(levels)
        return levels

    def _levels_for(
        self, start: int, end: int, concept: str, index: "_DocIndex", sentence: Tuple[int, int],
        finding: Optional[int],
    ) -> List[str]:
        is_disc = concept in self.disc_concepts
        groups, starts, lowers = index.groups, index.starts, index.words.lowers
        sent_start, sent_end = sentence
        lo, hi = bisect_left(starts, sent_start), bisect_left(starts, sent_end)
        here = bisect_left(starts, start, lo, hi)
        # "Bilateral L5 spondylolysis", "defect in the L5 pars": a level within the finding
        inside = [g for g in groups[here:bisect_left(starts, end, lo, hi)] if not g.is_root and g.end <= end]
        if inside:
            return [level for g in inside for level in _group_levels(g, is_disc)]
        after = self._group_after(end, index, hi)
        before = next(
            (g for g in reversed(groups[lo:here]) if not g.is_root and g.end <= start), None
        )
        if after is not None and self._linked(lowers, end, after.start, wrapped=True) and not (
            before is not None and self._parallel(lowers, end, after, before, index)
        ):
            levels = self._distributed(after, finding, index, is_disc) + self._more_levels(after, index)
            return levels + self._relative_to(after, index, sent_end) if is_disc else levels
        if after is not None and after.start >= sent_end:
            after = None  # on the next line and not linked: not this finding's
        if before is not None:
            levels = _group_levels(before, is_disc)
            return levels + self._relative_to(before, index, sent_end) if is_disc else levels
        if after is not None and self._reaches(finding, after, index) and not (
            len(after.levels) == 1 and self._spread(lowers, start, end)
        ):
            return self._distributed(after, finding, index, is_disc)
        if self._whole_spine(index, sent_start, sent_end):
            return []
        topic = index.paragraph_topic(start, here, discs_only=is_disc)
        if topic is None:
            return []
        # A vertebra finding said to be absent ("No fracture or metastases.") is absent from
        # the whole spine, unless a heading or a sentence opening ("At L1, ...") names its
        # level or the level's sentence is about the same finding ("Pars defect at L5 on the
        # left. No pars defect on the right.").
        if not is_disc and self._negated(lowers, sent_start, start) and not (
            index.is_topic_opener(topic) or index.names_concept(topic, concept)
        ):
            return []
        # A sentence that opens with its negation after one that named several levels sums up
        # ("Degeneratieve veranderingen C5-6 en C6-7. Geen HNP of myelumcompressie."): it is
        # about the whole spine, as it is when the two stand on separate lines.
        if len(topic.levels) > 1 and not index.is_topic_opener(topic) and self._opens_negated(lowers, sent_start):
            return []
        return _group_levels(topic, is_disc)

    def _parallel(
        self, lowers: Sequence[str], end: int, after: LevelGroup, before: LevelGroup, index: "_DocIndex"
    ) -> bool:
        """"At L1-L2 suspicious for discitis, at L2-L3 Modic type 1": the sentence opened
        with the finding's level and the level after the comma opens the next clause."""
        return "," in lowers[end:after.start] and _opens_sentence(index.words, before, self.topic_openers)

    def _opens_negated(self, lowers: Sequence[str], sent_start: int) -> bool:
        first = next((w for w in lowers[sent_start:sent_start + 3] if w.strip()), "")
        return first in self.negation_words

    def _group_after(self, end: int, index: "_DocIndex", hi: int) -> Optional[LevelGroup]:
        """The first level group after the finding: in its sentence, or the first of the next
        (a wrapped line: "stenosis at\nL2-L3"), not naming a root."""
        groups = index.groups
        for k in range(bisect_left(index.starts, end), min(len(groups), hi + 1)):
            if not groups[k].is_root:
                return groups[k]
        return None

    def _linked(self, lowers: Sequence[str], start: int, end: int, *, wrapped: bool = False) -> bool:
        """Only link words between ``start`` and ``end`` ("bulge at the L4-L5 level"). With
        ``wrapped``, a line break may come after a link word ("sequestered disc at the level of\nL2")."""
        if end - start > self.max_link_tokens:
            return False
        between = lowers[start:end]
        if not all(w in self.link_words or not w.strip() for w in between):
            return False
        breaks = [k for k, w in enumerate(between) if "\n" in w]
        if not breaks:
            return True
        last_word = next((w for w in reversed(between[:breaks[0]]) if w.strip()), "")
        return wrapped and last_word.isalpha()

    def _reaches(self, finding: Optional[int], group: LevelGroup, index: "_DocIndex") -> bool:
        """True when a level written after the finding, not linked to it, is still its level:
        no other finding lies between them, or only findings coordinated with it ("small
        bulges and protrusions, most marked at C3-C4"), not findings of a new clause
        ("disc bulging, few dehydrated at L2-L3")."""
        if finding is None:
            return True
        findings, lowers = index.findings, index.words.lowers
        k = finding
        while k + 1 < len(findings) and findings[k + 1][0] < group.start:
            if not self._same_clause(lowers[findings[k][1]:findings[k + 1][0]]):
                return False
            k += 1
        # "..., most marked at C3-C4": where the last finding named is worst, not the others
        return k == finding or not any(w in self.superlatives for w in lowers[findings[k][1]:group.start])

    def _same_clause(self, gap: Sequence[str]) -> bool:
        """Two findings in one clause: coordinated ("bulges and protrusions"), or a few words
        apart ("transitional vertebra with sacralisation"), not counting words of cause
        ("cauda equina compression due to a large central herniation")."""
        words = [w for w in gap if w.strip()]
        if any(w in self.cause_words for w in words):  # the effect shares its cause's level
            words = [w for w in words if w not in self.cause_words]
        if all(w in self.coordination_words for w in words):
            return True
        return len(words) <= MAX_CLAUSE_GAP

    def _distributed(
        self, group: LevelGroup, finding: Optional[int], index: "_DocIndex", is_disc: bool
    ) -> List[str]:
        """"Bulge and protrusion at L3-L4 and L4-L5 respectively": each finding its own level."""
        lowers = index.words.lowers
        if finding is None or len(group.items) < 2 or group.end >= len(lowers):
            return _group_levels(group, is_disc)
        # "... at L3-L4 and L4-L5 respectively", "... op respectievelijk L3-L4 en L4-L5",
        # "... op L3-L4 respectievelijk L4-L5"
        nxt = next((w for w in lowers[group.end:group.end + 3] if w.strip() and w != ","), "")
        prev = next((w for w in reversed(lowers[max(0, group.start - 2):group.start]) if w.strip()), "")
        inside = lowers[group.start:group.end]  # "... op L4-L5 respectievelijk L5-S1"
        if not {nxt, prev, *inside} & self.distributive_words:
            return _group_levels(group, is_disc)
        findings = index.findings
        first = last = finding
        while last + 1 < len(findings) and findings[last + 1][0] < group.start:
            last += 1
        while first > 0 and self._coordinated(lowers[findings[first - 1][1]:findings[first][0]]):
            first -= 1
        while last > finding and not self._coordinated(lowers[findings[last - 1][1]:findings[last][0]]):
            last -= 1
        chain = last - first + 1
        if chain != len(group.items):
            return _group_levels(group, is_disc)
        return list(group.items[finding - first])

    def _more_levels(self, group: LevelGroup, index: "_DocIndex") -> List[str]:
        """Levels that continue a finding's list after words of side or place: "narrowing at
        C4-C5 and on the left side at C5-C6" (no other finding in between)."""
        k = bisect_left(index.starts, group.end)
        if k >= len(index.groups):
            return []
        nxt = index.groups[k]
        gap = [w for w in index.words.lowers[group.end:nxt.start] if w.strip()]
        starts = index.finding_starts
        if (
            nxt.is_root or len(gap) > MAX_LIST_GAP or not any(w in self.list_words for w in gap)
            or not all(w in self.coordination_words for w in gap)
            or bisect_left(starts, group.end) != bisect_left(starts, nxt.start)
        ):
            return []
        return [level for level in nxt.levels if level not in group.levels]

    def _relative_to(self, group: LevelGroup, index: "_DocIndex", sent_end: int) -> List[str]:
        """The next vertebra of "subluxation of L5 ... with respect to S1", "L4 is displaced
        relative to L5": a pair of vertebrae, read as the disc between them."""
        if len(group.levels) != 1 or is_disc_level(group.levels[0]):
            return []
        k = bisect_left(index.starts, group.end)
        if k >= len(index.groups) or index.groups[k].start >= sent_end:
            return []
        nxt = index.groups[k]
        between = index.words.lowers[group.end:nxt.start]
        if len(nxt.levels) != 1 or self.relation_words.isdisjoint(between):
            return []
        pair = as_disc_levels([group.levels[0], nxt.levels[0]])
        return nxt.levels if len(pair) == 1 and is_disc_level(pair[0]) else []

    def _coordinated(self, gap: Sequence[str]) -> bool:
        return bool(gap) and all(w in self.coordination_words or not w.strip() for w in gap)

    def _negated(self, lowers: Sequence[str], sent_start: int, start: int) -> bool:
        """True when a negation word before the finding in its sentence covers it ("No
        fracture or metastases", "Geen fractuur, geen metastasen"), not across "but"."""
        for w in reversed(lowers[sent_start:start]):
            if w in self.negation_breaks:
                return False
            if w in self.negation_words:
                return True
        return False

    def _spread(self, lowers: Sequence[str], start: int, end: int) -> bool:
        """A finding said to be at many levels ("multilevel disc protrusions", "a congenitally
        narrow canal") is not at one level named after it for another finding (but is at the
        levels of "multilevel degenerative change from L2-L3 to L5-S1")."""
        return any(w in self.spread_words for w in lowers[max(0, start - SPREAD_WINDOW):end])

    def _whole_spine(self, index: "_DocIndex", sent_start: int, sent_end: int) -> bool:
        """True for a sentence about the whole spine ("No stenosis at any level"); once per sentence."""
        known = index.whole_spine.get(sent_start)
        if known is None:
            words = [w for w in index.words.lowers[sent_start:sent_end] if w.strip()]
            known = index.whole_spine[sent_start] = not self.whole_spine_words.isdisjoint(words) or any(
                words[i:i + len(p)] == list(p) for p in self.whole_spine_phrases
                for i, w in enumerate(words) if w == p[0]
            )
        return known

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
            if lowers[i] in self.clause_breaks:
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


def _listed(levels: List[str], index: "_DocIndex") -> bool:
    """True when ``levels`` are those of a group of levels named apart ("C5 and C6")."""
    return any(group.is_list and group.levels == levels for group in index.groups)


def _group_levels(group: LevelGroup, is_disc: bool) -> List[str]:
    """A group's levels for a finding: a vertebra finding at "L5 on S1" is at L5 (the pars
    defects of a listhesis are in the vertebra that slips)."""
    if group.is_pair and not is_disc:
        return list(group.items[0])
    return list(group.levels)


def _invert(mapping: Dict[str, List[str]]) -> Dict[str, str]:
    return {word.lower(): value for value, words in mapping.items() for word in words}


class _DocIndex:
    """What the attributes need of one Doc, worked out once (not once per finding).

    A local per call, never kept on the component: one pipeline serves many threads.
    """

    def __init__(
        self, doc: Doc, ents: Sequence[Span], groups: List[LevelGroup], topic_openers: Set[str],
        continuation_words: Set[str],
    ):
        words = self.words = words_of(doc, sentences=True)
        self.groups = groups
        self.starts = [g.start for g in groups]
        # Groups that can be a paragraph's topic wherever the finding is: headings and
        # sentence openings; other groups only for a finding on the same line.
        self.opens_topic = [
            not g.is_root and (g.is_heading or _opens_sentence(words, g, topic_openers)) for g in groups
        ]
        self.is_disc = [g.is_heading or any(is_disc_level(lv) for lv in g.levels) for g in groups]
        self.blank_lines = [i for i in words.line_breaks if words.texts[i].count("\n") >= 2]
        self.section_at = _section_finder(doc)
        self.findings = [(ent.start, ent.end) for ent in ents]  # token spans, in order
        self.finding_starts = [start for start, _ in self.findings]
        self.labels = [ent.label_ for ent in ents]  # the concept of every finding
        self.whole_spine: Dict[int, bool] = {}  # sentence start -> about the whole spine
        self.continuation_words = continuation_words
        self._group_index = {id(g): k for k, g in enumerate(groups)}

    def _continues(self, group_end: int, start: int) -> bool:
        """True when the finding's line goes on about the line before it, where the level is
        ("Disc bulge at L5-S1.\nThere is also facet hypertrophy. ...")."""
        words, breaks = self.words, self.words.line_breaks
        k = bisect_left(breaks, start)  # line breaks before the finding: k
        if k == 0 or bisect_left(breaks, group_end) != k - 1:
            return False  # the level is not on the line just before
        line_start = breaks[k - 1] + 1
        if "\n\n" in words.texts[breaks[k - 1]]:
            return False  # a blank line: a new paragraph
        opening = [w for w in words.lowers[line_start:start] if w.strip()][:CONTINUATION_WINDOW]
        return not self.continuation_words.isdisjoint(opening)

    def is_topic_opener(self, group: LevelGroup) -> bool:
        """True for a heading or a level that opens its sentence ("At L4-L5, ...")."""
        return self.opens_topic[self._group_index[id(group)]]

    def names_concept(self, group: LevelGroup, concept: str) -> bool:
        """True when the sentence of ``group`` holds a finding of ``concept``."""
        sent_start, sent_end = self.words.sentence(group.start)
        return any(
            label == concept and sent_start <= start < sent_end
            for (start, _), label in zip(self.findings, self.labels)
        )

    def paragraph_topic(self, start: int, here: int, *, discs_only: bool) -> Optional[LevelGroup]:
        """The level the finding's paragraph is about (``here``: groups before the finding).

        That is the last "L4-L5:" heading, sentence opening with a level ("At L4-L5 there is
        ...") or level earlier on the same line, before the finding, unless a blank line or a
        section intervenes. A heading with text on its own line covers that line only.
        Disc findings only take disc levels ("the S1 body" is no topic).
        """
        groups, words, is_disc = self.groups, self.words, self.is_disc
        # The last candidate (for a disc finding: the last disc candidate, else the last
        # one), looked for backwards from the finding: usually the nearest group.
        last = None
        for k in range(here - 1, max(0, here - MAX_TOPIC_GROUPS) - 1, -1):
            group = groups[k]
            if group.end > start or group.is_root:
                continue
            same_line = words.same_line(group.end, start) or self._continues(group.end, start)
            if group.is_heading and group.line_only and not same_line:
                break  # "L5-S1: normal disc." ends the paragraph of any heading before it
            if self.opens_topic[k] or same_line:
                if not discs_only or is_disc[k]:
                    last = k
                    break
                if last is None:
                    last = k
        if last is None:
            return None
        heading = groups[last]
        if not (heading.is_heading and not heading.line_only) and self._new_item_between(heading.end, start):
            return None  # "- L4-L5 protrusion.\n- No discitis.": each item of a list has its own
        k = bisect_left(self.blank_lines, heading.end)
        if k < len(self.blank_lines) and self.blank_lines[k] < start:
            return None
        if self.section_at(start) != self.section_at(heading.start):
            return None
        return heading

    def _new_item_between(self, first: int, last: int) -> bool:
        """True when a line between tokens ``first`` and ``last`` opens a list item ("- ",
        "* ", "2.", "3)": the layout's :data:`~nlp.pipeline.layout.LIST_ITEM`)."""
        words = self.words
        breaks = words.line_breaks
        return any(
            LIST_ITEM.match(words.text, words.idx[b + 1])
            for b in breaks[bisect_left(breaks, first):bisect_left(breaks, last)]
            if b + 1 < last
        )


def _opens_sentence(words: Words, group: LevelGroup, openers: Set[str]) -> bool:
    sent_start = words.sentence(group.start)[0]
    return all(
        w in openers or not w.strip() or w.isdigit() for w in words.lowers[sent_start:group.start]
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
