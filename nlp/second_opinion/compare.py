"""Compare an earlier and a later report: what is new, gone, changed or only reworded.

Pure functions over two :class:`~nlp.report.Report` objects (interface.md, "Comparing two
reports")::

    comparison = nlp.compare(old_text, new_text)       # texts or Reports
    comparison.to_list()   # [{"concept", "levels", "old", "new", "change", ...}, ...]

One entry per concept and level present (or said to be absent) in either report. Concept
ids are the same in both languages, so an old Dutch report compares with a new English one.
What decides an entry's change, first match wins:

1. a comparison cue of the later report ("unchanged since 2021", "toegenomen", "new since
   prior": lexicons/<lang>/compare.json) on the finding's clause;
2. present in one report only (absent, or said to be absent, in the other): new / resolved;
   but a finding the later report does not name is "unchanged" when a sentence of it says
   that the rest is ("Otherwise unchanged.", "Overigens ongewijzigd.");
3. present in both: another severity (mild < moderate < severe) makes it worse / better, or
   larger / smaller for sized findings; millimetres make it larger / smaller;
4. another word of the same family (bulge / protrusion / herniation at the same level and
   side: lexicons/compare.yaml) is "reworded"; the same word is "unchanged".
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple, Union

from nlp.pipeline.level_notation import VERTEBRAE
from nlp.lexicon import LexiconError, concepts, load_yaml
from nlp.report import Finding, Report
from nlp.second_opinion.cues import (  # noqa: F401  (cue_pattern, within_scan_pattern: read here too)
    CUE_KINDS, CUE_PRIORITY, cue_pattern, cues, per_sentence, says_all_unchanged, sentences, sizes,
    within_scan_pattern,
)

CHANGES = ("new", "resolved", "unchanged", "larger", "smaller", "worse", "better", "reworded")
# Why an entry has its change (the extra field "basis"): the later report said so; one report
# says it is absent; one report does not mention it; severity words; millimetres; another
# word of a family; the same words; absent in both.
BASES = ("report", "negated", "not_mentioned", "severity", "size", "wording", "same", "absent")
_LEVEL_ORDER = {name: i for i, name in enumerate(VERTEBRAE)}
_CONCEPT_ORDER: Dict[str, int] = {}
ReportLike = Union[Report, str]


# ------------------------------------------------------------------------------ lexicons ----


@lru_cache(maxsize=None)
def settings() -> Dict[str, Any]:
    """``lexicons/compare.yaml``, validated: families, sized concepts, severity order."""
    data = load_yaml("compare.yaml")
    where = "lexicons/compare.yaml"
    known = concepts()
    family_of: Dict[str, str] = {}
    for name, members in (data.get("families") or {}).items():
        for concept in members:
            if concept not in known:
                raise LexiconError(f"{where}: families.{name}: unknown concept {concept!r}.")
            family_of[concept] = name
    sized = set(data.get("sized") or [])
    if sized - set(known):
        raise LexiconError(f"{where}: sized: unknown concepts {sorted(sized - set(known))}.")
    cue_changes = data.get("cue_changes") or {}
    for kind in CUE_KINDS:
        entry = cue_changes.get(kind) or {}
        if not all(entry.get(k) in CHANGES for k in ("sized", "graded")):
            raise LexiconError(f"{where}: cue_changes.{kind} needs 'sized' and 'graded' changes.")
    return {
        "family_of": family_of,
        "sized": frozenset(sized),
        "severity_rank": {s: i for i, s in enumerate(data["severity_order"])},
        "tolerance_mm": float(data.get("size_tolerance_mm", 2)),
        "cue_changes": cue_changes,
    }


# ------------------------------------------------------------------------------- results ----


@dataclass
class Mention:
    """One finding at one level, as the comparison sees it."""

    finding: Finding
    level: Optional[str]
    sentence: str
    size_mm: Optional[float] = None
    cue: Optional[str] = None        # kind of the later report's own comparison cue
    cue_text: Optional[str] = None   # its words as written

    @property
    def present(self) -> bool:
        return not self.finding.negated

    def to_dict(self) -> Dict[str, Any]:
        """The finding's JSON object, with the sentence it stands in and its size."""
        data = self.finding.to_dict()
        data.update(sentence=self.sentence, size_mm=self.size_mm)
        return data


@dataclass
class Change:
    """One entry of a comparison: a concept at a level in the earlier and the later report."""

    concept: str
    levels: List[str]
    old: Optional[Mention]
    new: Optional[Mention]
    change: str
    basis: str
    cue: Optional[str] = None

    def to_dict(self) -> Dict[str, Any]:
        """The entry of interface.md (extra fields: basis, cue)."""
        return {
            "concept": self.concept,
            "levels": list(self.levels),
            "old": self.old.to_dict() if self.old else None,
            "new": self.new.to_dict() if self.new else None,
            "change": self.change,
            "basis": self.basis,
            "cue": self.cue,
        }


@dataclass
class Comparison:
    """Two reports and what changed between them."""

    old: Report
    new: Report
    changes: List[Change] = field(default_factory=list)

    def to_list(self) -> List[Dict[str, Any]]:
        """The JSON of ``python -m nlp compare``: one object per entry."""
        return [change.to_dict() for change in self.changes]


# ----------------------------------------------------------------------------- public API ----


def compare(old: ReportLike, new: ReportLike, *, lang: Optional[str] = None) -> Comparison:
    """Compare an earlier and a later report.

    Args:
        old: The earlier report: a Report, or its text (analysed here).
        new: The later report.
        lang: The language of texts given ("nl"/"en"); None detects each one's own.

    Returns:
        Comparison: ``changes`` ordered by level (head to tail), then by concept.
    """
    from nlp.api import analyse  # the pipelines load only when a text must be analysed

    old_report = old if isinstance(old, Report) else analyse(old, lang=lang, source=None)
    new_report = new if isinstance(new, Report) else analyse(new, lang=lang, source=None)
    return compare_reports(old_report, new_report)


def compare_reports(old: Report, new: Report) -> Comparison:
    """Compare two analysed reports (see :func:`compare`)."""
    old_mentions = mentions(old, with_cues=False)
    new_mentions = mentions(new, with_cues=True)
    whole_report_same = says_all_unchanged(new)
    old_groups, new_groups = _by_key(old_mentions), _by_key(new_mentions)
    _spread_unlevelled(old_groups, new_groups)
    _spread_unlevelled(new_groups, old_groups)
    changes: List[Change] = []
    for key in list(dict.fromkeys([*old_groups, *new_groups])):
        for before, after in _pair_sides(old_groups.get(key, []), new_groups.get(key, [])):
            changes.append(_change(before, after, whole_report_same))
    changes.sort(key=_order)
    return Comparison(old, new, changes)


def mentions(report: Report, *, with_cues: bool) -> List[Mention]:
    """The report's findings, one per level (a finding without a level once), with their
    sentence, size in millimetres and, when ``with_cues``, comparison cue."""
    spans = sentences(report.text)
    members = per_sentence(report.findings, spans)
    sized = sizes(report.text, report.findings, spans, members, settings()["sized"])
    cued = cues(report, spans, members) if with_cues else {}
    where = {index: at for at, held in enumerate(members) for index in held}
    out = []
    for index, finding in enumerate(report.findings):
        if finding.hypothetical:  # "to rule out a fracture" says nothing about either scan
            continue
        start, end = spans[where[index]] if index in where else (finding.start, finding.end)
        sentence = " ".join(report.text[start:end].split())
        cue, cue_text = cued.get(index, (None, None))
        for level in finding.levels or [None]:
            out.append(Mention(finding, level, sentence, sized.get(index), cue, cue_text))
    return out


# ------------------------------------------------------------------------------ deciding ----


def _change(
    old: Optional[Mention], new: Optional[Mention], whole_report_same: Optional[str]
) -> Change:
    """The entry for the best mentions of a concept (family) at a level in each report."""
    conf = settings()
    shown = new if new is not None and (new.present or old is None or not old.present) else old
    assert shown is not None
    concept = shown.finding.concept
    levels = [shown.level] if shown.level else []
    kind = "sized" if concept in conf["sized"] else "graded"
    cue = new.cue if new is not None else None
    cue_text = new.cue_text if new is not None else None

    def entry(change: str, basis: str) -> Change:
        return Change(concept, levels, old, new, change, basis, cue_text)

    old_present = old is not None and old.present
    new_present = new is not None and new.present
    reworded = old_present and new_present and old.finding.concept != new.finding.concept
    if cue is not None:
        change = conf["cue_changes"][cue][kind]
        if change == "unchanged" and reworded:  # "herniation, unchanged" after "protrusion"
            return entry("reworded", "wording")
        return entry(change, "report")
    if not old_present and not new_present:
        return entry("unchanged", "absent" if old and new else "not_mentioned")
    if not old_present:
        return entry("new", "negated" if old is not None else "not_mentioned")
    if new is None and whole_report_same:  # "Otherwise unchanged.": not named, not gone
        return Change(concept, levels, old, new, "unchanged", "report", whole_report_same)
    if not new_present:
        return entry("resolved", "negated" if new is not None else "not_mentioned")
    assert old is not None and new is not None
    step = _severity_step(old, new)
    if step:
        larger, smaller = ("larger", "smaller") if kind == "sized" else ("worse", "better")
        return entry(larger if step > 0 else smaller, "severity")
    if kind == "sized" and old.size_mm is not None and new.size_mm is not None:
        difference = new.size_mm - old.size_mm
        if abs(difference) >= conf["tolerance_mm"]:
            return entry("larger" if difference > 0 else "smaller", "size")
    if reworded:
        return entry("reworded", "wording")
    return entry("unchanged", "same")


def _severity_step(old: Mention, new: Mention) -> int:
    """+1 when the later report names a higher severity, -1 a lower one, 0 otherwise."""
    rank = settings()["severity_rank"]
    before, after = rank.get(old.finding.severity or ""), rank.get(new.finding.severity or "")
    if before is None or after is None or before == after:
        return 0
    return 1 if after > before else -1


# ------------------------------------------------------------------------------ grouping ----

Key = Tuple[str, Optional[str]]


def _group(concept: str) -> str:
    """The family of a concept ("disc_contour"), or the concept itself."""
    return settings()["family_of"].get(concept, concept)


def _by_key(items: Iterable[Mention]) -> Dict[Key, List[Mention]]:
    groups: Dict[Key, List[Mention]] = {}
    for mention in items:
        groups.setdefault((_group(mention.finding.concept), mention.level), []).append(mention)
    return groups


def _spread_unlevelled(these: Dict[Key, List[Mention]], others: Dict[Key, List[Mention]]) -> None:
    """A finding one report names without a level ("multilevel disc degeneration", "no
    stenosis") speaks for each level where only the other report names it, and is then no
    entry of its own (not "resolved" beside "new" at every level)."""
    for group, level in [key for key in these if key[1] is None]:
        if (group, None) in others:
            continue
        levels = [key for key in others if key[0] == group and key[1] is not None]
        if not levels:
            continue
        unlevelled = these.pop((group, None))
        for key in levels:
            these.setdefault(key, [replace(m, level=key[1]) for m in unlevelled])


def _sides(items: Sequence[Mention]) -> set:
    """The sides a report names for a finding (left/right only: both or central fit any)."""
    return {m.finding.side for m in items if m.present and m.finding.side in ("left", "right")}


def _pair_sides(
    old: Sequence[Mention], new: Sequence[Mention]
) -> List[Tuple[Optional[Mention], Optional[Mention]]]:
    """The best mention of each report per entry: one entry, or one per side when the two
    reports name different sides only (left before, right now: resolved and new)."""
    old_sides, new_sides = _sides(old), _sides(new)
    if old_sides and new_sides and not old_sides & new_sides:
        before = [_best([m for m in old if m.finding.side == side]) for side in sorted(old_sides)]
        after = [_best([m for m in new if m.finding.side == side]) for side in sorted(new_sides)]
        return [(m, None) for m in before] + [(None, m) for m in after]
    return [(_best(old), _best(new))]


def _best(items: Sequence[Mention]) -> Optional[Mention]:
    """The mention that speaks for a report: present before absent, a comparison cue, the
    highest severity, the largest size, the first."""
    if not items:
        return None
    rank = settings()["severity_rank"]
    best = max(
        enumerate(items),
        key=lambda pair: (
            pair[1].present,
            CUE_PRIORITY.get(pair[1].cue or "", 0),
            rank.get(pair[1].finding.severity or "", -1),
            pair[1].size_mm or 0.0,
            -pair[0],
        ),
    )[1]
    if best.cue is None:  # a cue on another mention of the same finding still counts
        cued = [m for m in items if m.cue is not None and m.present == best.present]
        if cued:
            top = max(cued, key=lambda m: CUE_PRIORITY[m.cue or ""])
            best = Mention(best.finding, best.level, best.sentence, best.size_mm,
                           top.cue, top.cue_text)
    return best


def _order(change: Change) -> Tuple[int, int, str]:
    if not _CONCEPT_ORDER:
        _CONCEPT_ORDER.update({c: i for i, c in enumerate(concepts())})
    level = change.levels[0] if change.levels else None
    first = re.split(r"[-/]", level)[0] if level else None
    return (_LEVEL_ORDER.get(first or "", len(_LEVEL_ORDER)),
            _CONCEPT_ORDER.get(change.concept, 999),
            level or "")
