"""The nerve roots a report touches: named ones ("the traversing left L5 root", "S1-wortel
rechts") and those a disc finding reaches by its level and position (issue 13).

The rules (which root a level reaches from which position) are data in
``lexicons/roots.yaml``; the position and role words per language in
``lexicons/<lang>/roots.yaml``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Dict, List, Optional, Pattern, Sequence, Tuple

from nlp.lexicon import load_yaml
from nlp.report import Finding, Report

# How strongly the report says a root is involved: a named compression beats a named
# contact beats a disc that can reach the root.
HOW_ORDER = ("compressed", "touched", "reached")
# Characters around a root-finding to look in for the root's name ("compressie van de
# wortel, S1 rechts"): a few words, never past a clause break.
NAME_WINDOW = 45


@dataclass
class RootHit:
    """One nerve root the report bears on, with the findings that say so."""

    root: Optional[str]          # "L5"; None when the report names a root but not which one
    side: Optional[str]          # left | right | both | central | None
    levels: List[str] = field(default_factory=list)
    concepts: List[str] = field(default_factory=list)
    findings: List[int] = field(default_factory=list)  # indices into report.findings
    how: str = "reached"         # compressed | touched | reached
    finding_text: str = ""       # the wording of the first finding, for the sentence
    uncertain: bool = False      # every finding behind it is only possible

    def add(self, other: "RootHit") -> None:
        """Fold another hit on the same root into this one."""
        self.levels += [lv for lv in other.levels if lv not in self.levels]
        self.concepts += [c for c in other.concepts if c not in self.concepts]
        self.findings += [i for i in other.findings if i not in self.findings]
        if HOW_ORDER.index(other.how) < HOW_ORDER.index(self.how):
            self.how, self.finding_text = other.how, other.finding_text
        self.uncertain = self.uncertain and other.uncertain


@lru_cache(maxsize=None)
def rules() -> dict:
    """lexicons/roots.yaml."""
    return load_yaml("roots.yaml")


@lru_cache(maxsize=None)
def _words(lang: str) -> Dict[str, Any]:
    """Compiled words of one language: positions and roles (name -> pattern), the words
    that make "T2" a sequence ("not_a_root"), and the clause breaks."""
    data = load_yaml(f"{lang}/roots.yaml")

    def alternation(words: Sequence[str]) -> Pattern:
        # Longest first, so "far lateral" wins over "lateral"; whole words only.
        body = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
        return re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE)

    return {
        "positions": {name: alternation(words) for name, words in data["positions"].items()},
        "roles": {name: alternation(words) for name, words in data["root_roles"].items()},
        "not_a_root": alternation(data["not_a_root_before"]),
        "breaks": re.compile("|".join(re.escape(b) for b in data["clause_breaks"])),
    }


def _root_names(text: str, lang: str) -> List[str]:
    """Root names ("L5", "S1", "C6") in ``text``, in order, without levels ("L4-L5") and
    sequences ("T2-weighted")."""
    pattern = re.compile(rules()["root_pattern"])
    names: List[str] = []
    for m in pattern.finditer(text):
        name = f"{m.group(1).upper()}{m.group(2)}"
        if _words(lang)["not_a_root"].match(text[m.end():].lstrip()):
            continue
        if name not in names:
            names.append(name)
    return names


def _clause(text: str, start: int, end: int, lang: str) -> Tuple[int, int]:
    """The clause around text[start:end]: from the last break before to the first after."""
    breaks = _words(lang)["breaks"]
    before = [m.end() for m in breaks.finditer(text, 0, start)]
    after = breaks.search(text, end)
    return (before[-1] if before else 0), (after.start() if after else len(text))


def _own_window(report: Report, index: int) -> Tuple[int, int]:
    """The part of a finding's clause that belongs to it: not past a neighbouring finding."""
    finding = report.findings[index]
    lo, hi = _clause(report.text, finding.start, finding.end, report.language)
    for other in report.findings:
        if other is finding:
            continue
        if lo <= other.end <= finding.start:
            lo = max(lo, other.end)
        if finding.end <= other.start <= hi:
            hi = min(hi, other.start)
    return lo, hi


def _region(level: str) -> Optional[str]:
    """"lumbar" or "cervical" for a disc level that has root rules, else None."""
    for region in ("lumbar", "cervical"):
        if level in rules()[region]["levels"]:
            return region
    return None


def _reached(level: str, position: str) -> List[str]:
    """The roots a finding at ``level`` in ``position`` reaches (roots.yaml)."""
    region = _region(level)
    if region is None:
        return []
    rule = rules()[region]
    return [rule["levels"][level][role] for role in ("traversing", "exiting")
            if position in rule.get(role, []) and role in rule["levels"][level]]


def candidates(levels: List[str]) -> List[str]:
    """Every root a finding at ``levels`` may reach, whatever its position (roots.yaml)."""
    roots: List[str] = []
    for level in levels:
        region = _region(level)
        if region:
            roots += [r for r in rules()[region]["levels"][level].values() if r not in roots]
    return sorted(roots, key=_root_order)


def _root_order(root: str) -> Tuple[int, int]:
    return ("CTLS".index(root[0]), int(root[1:]))


def _side(finding: Finding) -> Optional[str]:
    return rules()["sides"].get(finding.side) if finding.side else None


def _present(finding: Finding) -> bool:
    return not finding.negated and not finding.hypothetical


def _disc_hits(report: Report, index: int) -> List[RootHit]:
    """Roots a disc or stenosis finding reaches by its level and the position words near it."""
    finding = report.findings[index]
    fixed = rules()["position_concepts"].get(finding.concept)
    if fixed:
        positions = [fixed]
    else:
        lo, hi = _own_window(report, index)
        window = report.text[lo:hi]
        positions = [name for name, pattern in _words(report.language)["positions"].items() if pattern.search(window)]
    hits = []
    for level in finding.levels:
        for position in positions:
            side = _side(finding) or ("central" if position == "central" else None)
            for root in _reached(level, position):
                hits.append(RootHit(root, side, [level], [finding.concept], [index], "reached",
                                    finding.text, finding.uncertain))
    return hits


def _named(report: Report, index: int) -> List[str]:
    """Root names of a root finding: in its words, else just after, else just before."""
    finding = report.findings[index]
    names = _root_names(finding.text, report.language)
    if names:
        return names
    lo, hi = _own_window(report, index)
    after = report.text[finding.end:min(hi, finding.end + NAME_WINDOW)]
    before = report.text[max(lo, finding.start - NAME_WINDOW):finding.start]
    return _root_names(after, report.language) or _root_names(before, report.language)[-1:]


def _by_role(report: Report, index: int) -> List[str]:
    """Roots a root finding means by a role word ("the exiting root") and its level."""
    finding = report.findings[index]
    lo, _ = _own_window(report, index)
    words = report.text[lo:finding.end]
    roots = []
    for role, pattern in _words(report.language)["roles"].items():
        if pattern.search(words):
            for level in finding.levels:
                region = _region(level)
                root = rules()[region]["levels"][level].get(role) if region else None
                if root and root not in roots:
                    roots.append(root)
    return roots


def _root_hits(report: Report, index: int, disc_hits: List[RootHit]) -> List[RootHit]:
    """Roots a nerve_root_* finding names or means; failing that, the roots a disc finding
    at its level reaches; failing that, one root whose name the report does not give."""
    finding = report.findings[index]
    how = rules()["root_concepts"][finding.concept]
    side = _side(finding) or _side_at(report, finding.levels)
    names = _named(report, index) or _by_role(report, index)
    if not names:
        names = [h.root for h in disc_hits
                 if set(h.levels) & set(finding.levels) and (side is None or h.side in (side, None, "central"))]
    names = list(dict.fromkeys(names)) or [None]
    return [RootHit(name, side, list(finding.levels), [finding.concept], [index], how,
                    finding.text, finding.uncertain) for name in names]


def _side_at(report: Report, levels: List[str]) -> Optional[str]:
    """The side of a present finding at one of ``levels`` (a root finding often has none)."""
    for f in report.findings:
        if _present(f) and f.side and set(f.levels) & set(levels):
            return _side(f)
    return None


def find_roots(report: Report) -> List[RootHit]:
    """Every root the report bears on, one entry per root and side, in report order."""
    reach = set(rules()["disc_concepts"]) | set(rules()["position_concepts"])
    disc_hits: List[RootHit] = []
    root_hits: List[RootHit] = []
    for i, f in enumerate(report.findings):
        if _present(f) and f.concept in reach:
            disc_hits += _disc_hits(report, i)
    for i, f in enumerate(report.findings):
        if _present(f) and f.concept in rules()["root_concepts"]:
            root_hits += _root_hits(report, i, disc_hits)
    return _merge(sorted(root_hits + disc_hits, key=lambda h: min(h.findings)))


def _merge(hits: List[RootHit]) -> List[RootHit]:
    """One hit per root and side; a hit without a side, or a central disc's reach, folds
    into a hit with a side on the same root and level (the side was said once, for the disc
    or for the root)."""
    merged: Dict[Tuple[Optional[str], Optional[str]], RootHit] = {}
    for hit in hits:
        key = (hit.root, hit.side)
        if key in merged:
            merged[key].add(hit)
        else:
            merged[key] = hit
    for (root, side), hit in list(merged.items()):
        loose = side is None or (side == "central" and hit.how == "reached")
        if not loose or root is None:
            continue
        sided = [h for (r, s), h in merged.items()
                 if r == root and s not in (None, "central") and set(h.levels) & set(hit.levels)]
        if sided:
            for h in sided:
                h.add(hit)
            del merged[(root, side)]
    return list(merged.values())
