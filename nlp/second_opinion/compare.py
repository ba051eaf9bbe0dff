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
from bisect import bisect_right
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Dict, FrozenSet, Iterable, List, Optional, Sequence, Tuple, Union

from nlp.pipeline.level_notation import VERTEBRAE
from nlp.lexicon import LANGUAGES, LexiconError, concepts, load_json, load_yaml
from nlp.report import Finding, Report

CHANGES = ("new", "resolved", "unchanged", "larger", "smaller", "worse", "better", "reworded")
CUE_KINDS = ("unchanged", "increased", "decreased", "new", "resolved")
# Words that look like a cue but describe the image ("increased T2 signal"): matched (the
# longest cue wins at a place) and then ignored. Optional in a cue file.
PSEUDO = "pseudo"
# Why an entry has its change (the extra field "basis"): the later report said so; one report
# says it is absent; one report does not mention it; severity words; millimetres; another
# word of a family; the same words; absent in both.
BASES = ("report", "negated", "not_mentioned", "severity", "size", "wording", "same", "absent")
# Priority of a cue when the mentions of one finding carry several: a change beats "unchanged".
_CUE_PRIORITY = {"resolved": 4, "new": 3, "increased": 2, "decreased": 2, "unchanged": 1}
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)|\n+")
_CLAUSE_BREAK = re.compile(r"[,;:]|\s[-–]\s")
_MM = re.compile(r"(\d+(?:[.,]\d+)?)\s*(?:x\s*\d+(?:[.,]\d+)?\s*)?(mm|cm)\b", re.IGNORECASE)
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


@lru_cache(maxsize=None)
def cue_pattern(lang: str) -> "re.Pattern[str]":
    """One regular expression of the comparison cues of ``lang``; group names are the kinds."""
    cues = load_json(lang, "compare.json").get("cues") or {}
    alternatives: List[Tuple[int, str]] = []
    for kind in (*CUE_KINDS, PSEUDO):
        words = cues.get(kind, [] if kind == PSEUDO else None)
        if not isinstance(words, list) or (not words and kind != PSEUDO):
            raise LexiconError(
                f"lexicons/{lang}/compare.json: cues.{kind} must be a list of words.")
        for phrase in words:
            body = r"\s+".join(re.escape(part) for part in phrase.split())
            alternatives.append((len(phrase), f"(?P<{kind}_{len(alternatives)}>{body})"))
    # The longest cue first: at one place "no increase" wins over "increase".
    alternatives.sort(key=lambda item: -item[0])
    return re.compile(r"(?<!\w)(?:" + "|".join(a for _, a in alternatives) + r")(?!\w)",
                      re.IGNORECASE)


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
    whole_report_same = _says_all_unchanged(new)
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
    sentences = _sentences(report.text)
    members = _per_sentence(report.findings, sentences)
    sizes = _sizes(report.text, report.findings, sentences, members)
    cues = _cues(report, sentences, members) if with_cues else {}
    where = {index: at for at, held in enumerate(members) for index in held}
    out = []
    for index, finding in enumerate(report.findings):
        if finding.hypothetical:  # "to rule out a fracture" says nothing about either scan
            continue
        start, end = sentences[where[index]] if index in where else (finding.start, finding.end)
        sentence = " ".join(report.text[start:end].split())
        cue, cue_text = cues.get(index, (None, None))
        for level in finding.levels or [None]:
            out.append(Mention(finding, level, sentence, sizes.get(index), cue, cue_text))
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
            _CUE_PRIORITY.get(pair[1].cue or "", 0),
            rank.get(pair[1].finding.severity or "", -1),
            pair[1].size_mm or 0.0,
            -pair[0],
        ),
    )[1]
    if best.cue is None:  # a cue on another mention of the same finding still counts
        cued = [m for m in items if m.cue is not None and m.present == best.present]
        if cued:
            top = max(cued, key=lambda m: _CUE_PRIORITY[m.cue or ""])
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


# -------------------------------------------------------------------------- text reading ----

Span = Tuple[int, int]


def _sentences(text: str) -> List[Span]:
    """Sentence spans: split after . ! ? and at line ends."""
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _sentence_at(offset: int, sentences: Sequence[Span]) -> Optional[int]:
    """Index of the sentence holding ``offset`` (binary search: reports can be long)."""
    at = bisect_right(sentences, (offset, len(sentences) and sentences[-1][1] + 1)) - 1
    return at if at >= 0 and sentences[at][0] <= offset < sentences[at][1] else None


def _per_sentence(findings: Sequence[Finding], sentences: Sequence[Span]) -> List[List[int]]:
    """The indices of the findings starting in each sentence."""
    members: List[List[int]] = [[] for _ in sentences]
    for index, finding in enumerate(findings):
        at = _sentence_at(finding.start, sentences)
        if at is not None:
            members[at].append(index)
    return members


def _clauses(text: str, start: int, end: int) -> List[Span]:
    """The clauses of a sentence: split at , ; : and a free-standing dash."""
    spans, begin = [], start
    for match in _CLAUSE_BREAK.finditer(text, start, end):
        spans.append((begin, match.start()))
        begin = match.end()
    spans.append((begin, end))
    return spans


def _sizes(
    text: str, findings: Sequence[Finding], sentences: Sequence[Span], members: List[List[int]]
) -> Dict[int, float]:
    """Millimetres of a sized finding: each measure goes to the nearest finding of its
    sentence; a finding with several keeps the largest."""
    sized = settings()["sized"]
    out: Dict[int, float] = {}
    for match in _MM.finditer(text):
        at = _sentence_at(match.start(), sentences)
        if at is None:
            continue
        offset = match.start()
        near = [(min(abs(findings[i].start - offset), abs(findings[i].end - offset)), i)
                for i in members[at] if not findings[i].negated]
        if not near:
            continue
        index = min(near)[1]
        if findings[index].concept not in sized:
            continue
        value = float(match.group(1).replace(",", "."))
        value *= 10 if match.group(2).lower() == "cm" else 1
        out[index] = max(out.get(index, 0.0), value)
    return out


@lru_cache(maxsize=None)
def within_scan_pattern(lang: str) -> "re.Pattern[str]":
    """Words after a cue that make it describe one scan ("worse on the right", "reduced in
    height"): ``not_followed_by`` of lexicons/<lang>/compare.json."""
    words = load_json(lang, "compare.json").get("not_followed_by") or []
    if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
        raise LexiconError(
            f"lexicons/{lang}/compare.json: not_followed_by must be a list of words.")
    longest_first = sorted(words, key=len, reverse=True)
    body = "|".join(r"\s+".join(map(re.escape, w.split())) for w in longest_first)
    return re.compile(rf"\s+(?:{body})(?!\w)" if body else r"(?!)", re.IGNORECASE)


@lru_cache(maxsize=None)
def attributive(lang: str) -> Tuple["re.Pattern[str]", FrozenSet[str]]:
    """An article right before a comparative ("a smaller similar lesion") compares with
    something else in the same scan: ``comparative_not_after`` of lexicons/<lang>/compare.json
    (the articles, and the comparatives it holds for)."""
    data = load_json(lang, "compare.json").get("comparative_not_after") or {}
    words, comparatives = data.get("words") or [], data.get("comparatives") or []
    if not all(isinstance(w, str) and w for w in [*words, *comparatives]):
        raise LexiconError(f"lexicons/{lang}/compare.json: comparative_not_after needs "
                           "'words' and 'comparatives' as lists of words.")
    longest_first = sorted(words, key=len, reverse=True)
    body = "|".join(r"\s+".join(map(re.escape, w.split())) for w in longest_first)
    pattern = re.compile(rf"(?<!\w)(?:{body})\s+$" if body else r"(?!)", re.IGNORECASE)
    return pattern, frozenset(" ".join(c.lower().split()) for c in comparatives)


def _within_scan(text: str, lang: str, match: "re.Match[str]", end: int) -> bool:
    """True when a cue describes one scan: "worse on the right", "a larger disc bulge"."""
    if within_scan_pattern(lang).match(text, match.end(), end):
        return True
    article, comparatives = attributive(lang)
    words = " ".join(match.group(0).lower().split())
    before = text[max(0, match.start() - 12):match.start()]
    return words in comparatives and bool(article.search(before))


def _cue_matches(text: str, lang: str, start: int, end: int) -> List[Tuple[int, str, str]]:
    """(offset, kind, words) of each comparison cue between start and end."""
    out = []
    for match in cue_pattern(lang).finditer(text, start, end):
        kind = next(name for name, value in match.groupdict().items() if value is not None)
        kind = kind.rsplit("_", 1)[0]
        if kind == PSEUDO or _within_scan(text, lang, match, end):
            continue
        out.append((match.start(), kind, " ".join(match.group(0).split())))
    return out


def _cues(
    report: Report, sentences: Sequence[Span], in_sentence: List[List[int]]
) -> Dict[int, Tuple[str, str]]:
    """The comparison cue of each finding (by index): a cue belongs to the findings of its
    clause, else of the nearest clause before it with findings, else of the next one."""
    lang = report.language if report.language in LANGUAGES else "en"
    text = report.text
    out: Dict[int, Tuple[str, str]] = {}
    for (start, end), held in zip(sentences, in_sentence):
        cues = _cue_matches(text, lang, start, end)
        if not cues:
            continue
        clauses = _clauses(text, start, end)
        members = [[i for i in held if cs <= report.findings[i].start < ce] for cs, ce in clauses]
        for offset, kind, words in cues:
            at = next(i for i, (cs, ce) in enumerate(clauses) if cs <= offset <= ce)
            for index in _owners(members, at):
                held = out.get(index)
                if held is None or _CUE_PRIORITY[kind] > _CUE_PRIORITY[held[0]]:
                    out[index] = (kind, words)
    return out


def _owners(members: Sequence[Sequence[int]], at: int) -> Sequence[int]:
    if members[at]:
        return members[at]
    for i in range(at - 1, -1, -1):
        if members[i]:
            return members[i]
    return next((m for m in members[at + 1:] if m), [])


def _says_all_unchanged(report: Report) -> Optional[str]:
    """The cue of a sentence without findings that says nothing else changed ("Otherwise
    unchanged."), or None. It keeps a finding the report does not name from "resolved"."""
    lang = report.language if report.language in LANGUAGES else "en"
    sentences = _sentences(report.text)
    for (start, end), held in zip(sentences, _per_sentence(report.findings, sentences)):
        if held:
            continue
        cues = _cue_matches(report.text, lang, start, end)
        if cues and {kind for _, kind, _ in cues} == {"unchanged"}:
            return cues[0][2]
    return None
