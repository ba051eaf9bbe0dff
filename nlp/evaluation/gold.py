"""Evaluate the analyser against gold files (``sample_reports/*.jsonl``).

A predicted finding counts as found (interface.md) when concept and negation match and,
where the gold lists levels, the levels overlap. Pairs are matched one-to-one, nearest span
first. Qualifier accuracy (negation, uncertainty, levels) is measured on the findings that
both sides name: same concept and overlapping span, whatever the qualifiers. Hypothetical
findings (conditions, teaching text) are not scored: no gold annotates them.

What matters most to a reader, counted apart:
- red flags: the concepts of category ``attention`` (lexicons/concepts.yaml). Red-flag recall
  and precision are the micro figures restricted to them (found = concept and negation
  match, levels overlap where gold lists them), so a negated gold red flag ("no fracture")
  counts too, and a red flag reported with the wrong negation is both missed and spurious.
- invented red flags: predicted red flags that are not negated (affirmed, uncertain or
  historical alike) and match no gold finding.
- reports with a relevant miss: reports where at least one gold finding of category
  ``attention`` or ``context`` that is not negated was missed (no predicted finding counts
  as found for it).
"""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

from nlp.api import analyse
from nlp.lexicon import category_of, concepts
from nlp.report import Finding

GOLD_DIR = Path(__file__).resolve().parents[2] / "sample_reports"
RED_FLAG_CATEGORY = "attention"
RELEVANT_CATEGORIES = ("attention", "context")  # a miss of these can change what happens next


@lru_cache(maxsize=None)
def red_flag_concepts() -> Tuple[str, ...]:
    """The concepts of category ``attention``: the findings to discuss with the clinician soon."""
    return tuple(sorted(c for c, e in concepts().items() if e["category"] == RED_FLAG_CATEGORY))


@dataclass
class Counts:
    """True positives, false positives and false negatives."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Accuracy:
    """Share of aligned findings where a qualifier agrees."""

    right: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.total += 1
        self.right += bool(ok)

    @property
    def value(self) -> float:
        return self.right / self.total if self.total else 1.0


@dataclass
class Evaluation:
    """Evaluation of one language."""

    language: str
    reports: int = 0
    per_concept: Dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    negation: Accuracy = field(default_factory=Accuracy)
    uncertainty: Accuracy = field(default_factory=Accuracy)
    levels: Accuracy = field(default_factory=Accuracy)
    invented_red_flags: int = 0  # affirmed red flags predicted that match no gold finding
    reports_with_relevant_miss: int = 0  # see the module docstring
    errors: List[dict] = field(default_factory=list)

    @property
    def micro(self) -> Counts:
        return self._sum(self.per_concept)

    @property
    def red_flags(self) -> Counts:
        """Micro counts over the red-flag concepts only."""
        return self._sum(red_flag_concepts())

    @property
    def relevant_miss_rate(self) -> float:
        """Share of reports with at least one relevant miss (0.0 without reports)."""
        return self.reports_with_relevant_miss / self.reports if self.reports else 0.0

    def _sum(self, names: Iterable[str]) -> Counts:
        total = Counts()
        for name in names:
            c = self.per_concept.get(name) or Counts()
            total.tp, total.fp, total.fn = total.tp + c.tp, total.fp + c.fp, total.fn + c.fn
        return total


def read_gold(paths: Iterable[Path]) -> Iterator[dict]:
    """Gold reports, one JSON object per line."""
    for path in paths:
        with Path(path).open(encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if line.strip():
                    record = json.loads(line)
                    record.setdefault("id", f"{Path(path).name}:{n}")
                    yield record


def gold_files(split: Optional[str] = None, lang: Optional[str] = None) -> List[Path]:
    """The gold files in ``sample_reports/`` (``<lang>_<split>.jsonl``)."""
    pattern = f"{lang or '*'}_{split or '*'}.jsonl"
    return sorted(GOLD_DIR.glob(pattern))


def _overlap(a: Tuple[int, int], b: Tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _distance(gold: dict, pred: Finding) -> int:
    if "start" not in gold:
        return 0
    return abs(gold["start"] - pred.start) + abs(gold.get("end", gold["start"]) - pred.end)


def _counts_as_found(gold: dict, pred: Finding) -> bool:
    if gold["concept"] != pred.concept or bool(gold.get("negated")) != pred.negated:
        return False
    gold_levels = set(gold.get("levels") or [])
    return not gold_levels or bool(gold_levels & set(pred.levels))


def _match(golds: Sequence[dict], preds: Sequence[Finding], fits) -> List[Tuple[int, int]]:
    """One-to-one pairs (gold index, pred index) that ``fits``, nearest span first."""
    candidates = sorted(
        (_distance(g, p), gi, pi)
        for gi, g in enumerate(golds)
        for pi, p in enumerate(preds)
        if fits(g, p)
    )
    used_g, used_p, pairs = set(), set(), []
    for _, gi, pi in candidates:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            pairs.append((gi, pi))
    return pairs


def _aligned(gold: dict, pred: Finding) -> bool:
    if gold["concept"] != pred.concept:
        return False
    if "start" in gold:
        return _overlap((gold["start"], gold["end"]), (pred.start, pred.end))
    return True


def evaluate_report(record: dict, evaluation: Evaluation) -> None:
    """Analyse one gold report and score it into ``evaluation``."""
    report = analyse(record["text"], lang=record.get("language"))
    score_report(record, report.findings, evaluation)


def score_report(record: dict, preds: Sequence[Finding], evaluation: Evaluation) -> None:
    """Score the predicted findings ``preds`` of one gold report into ``evaluation``.

    Hypothetical findings (a condition, teaching text: "in rare cases a hernia can cause a
    cauda equina syndrome") say nothing about this patient and no gold annotates them
    (GOLD.md, concepts.md): they are not scored."""
    golds = record.get("findings", [])
    preds = [pred for pred in preds if not pred.hypothetical]
    found = _match(golds, preds, _counts_as_found)
    matched_g = {gi for gi, _ in found}
    matched_p = {pi for _, pi in found}
    for gi, _ in found:
        evaluation.per_concept[golds[gi]["concept"]].tp += 1
    relevant_miss = False
    for gi, gold in enumerate(golds):
        if gi not in matched_g:
            evaluation.per_concept[gold["concept"]].fn += 1
            evaluation.errors.append({"id": record["id"], "kind": "missed", **_brief(gold)})
            relevant_miss |= _is_relevant(gold)
    for pi, pred in enumerate(preds):
        if pi not in matched_p:
            evaluation.per_concept[pred.concept].fp += 1
            evaluation.errors.append({"id": record["id"], "kind": "spurious", **_brief(pred.to_dict())})
            evaluation.invented_red_flags += _is_red_flag(pred.concept) and not pred.negated
    for gi, pi in _match(golds, preds, _aligned):
        gold, pred = golds[gi], preds[pi]
        evaluation.negation.add(bool(gold.get("negated")) == pred.negated)
        evaluation.uncertainty.add(bool(gold.get("uncertain")) == pred.uncertain)
        if "levels" in gold:
            evaluation.levels.add(set(gold["levels"] or []) == set(pred.levels))
    evaluation.reports_with_relevant_miss += relevant_miss
    evaluation.reports += 1


def _is_red_flag(concept: str) -> bool:
    return category_of(concept) == RED_FLAG_CATEGORY


def _is_relevant(gold: dict) -> bool:
    """A gold finding whose miss matters: attention or context, and not negated."""
    return category_of(gold["concept"]) in RELEVANT_CATEGORIES and not gold.get("negated")


def _brief(finding: dict) -> dict:
    keys = ("concept", "text", "start", "levels", "negated", "uncertain")
    brief = {k: finding.get(k) for k in keys}
    brief["category"] = category_of(finding["concept"])
    return brief


def evaluate(paths: Iterable[Path]) -> Dict[str, Evaluation]:
    """Evaluate every gold report in ``paths``; one Evaluation per language."""
    results: Dict[str, Evaluation] = {}
    for record in read_gold(paths):
        lang = record.get("language") or "en"
        evaluate_report(record, results.setdefault(lang, Evaluation(lang)))
    return results


def evaluate_each(paths: Iterable[Path]) -> Dict[Path, Dict[str, Evaluation]]:
    """Evaluate each gold file on its own (to compare gold sets side by side)."""
    return {Path(path): evaluate([path]) for path in paths}


def format_table(evaluation: Evaluation) -> str:
    """A plain-text table of per-concept and overall figures."""
    rows = [f"Language: {evaluation.language}  reports: {evaluation.reports}",
            f"{'concept':32} {'P':>6} {'R':>6} {'F1':>6} {'TP':>5} {'FP':>5} {'FN':>5}"]
    for concept in sorted(evaluation.per_concept):
        c = evaluation.per_concept[concept]
        rows.append(f"{concept:32} {c.precision:6.3f} {c.recall:6.3f} {c.f1:6.3f} {c.tp:5d} {c.fp:5d} {c.fn:5d}")
    m, rf = evaluation.micro, evaluation.red_flags
    rows.append(f"{'micro':32} {m.precision:6.3f} {m.recall:6.3f} {m.f1:6.3f} {m.tp:5d} {m.fp:5d} {m.fn:5d}")
    for label, accuracy in (("negation accuracy", evaluation.negation),
                            ("uncertainty accuracy", evaluation.uncertainty),
                            ("levels accuracy", evaluation.levels)):
        rows.append(f"{label:20} {accuracy.value:.3f} ({accuracy.right}/{accuracy.total})")
    rows.append(f"red-flag recall      {rf.recall:.3f} ({rf.tp}/{rf.tp + rf.fn}; red flags = category attention)")
    rows.append(f"red-flag precision   {rf.precision:.3f} ({rf.tp}/{rf.tp + rf.fp})")
    rows.append(f"invented red flags   {evaluation.invented_red_flags} (not negated, matching no gold finding)")
    rows.append(
        f"relevant-miss rate   {evaluation.relevant_miss_rate:.3f} ({evaluation.reports_with_relevant_miss}/"
        f"{evaluation.reports} reports missing a gold attention/context finding that is not negated)"
    )
    return "\n".join(rows)


SUMMARY_COLUMNS = (
    ("reports", 7), ("P", 6), ("R", 6), ("F1", 6), ("neg", 6), ("unc", 6), ("levels", 6),
    ("RF R", 6), ("RF P", 6), ("RF inv", 6), ("rel.miss", 9),
)


SUMMARY_LEGEND = (
    "P/R/F1: micro; neg/unc/levels: accuracy on findings both sides name; RF R/P: red-flag "
    "(category attention) recall/precision;\nRF inv: red flags reported, not negated, matching no "
    "gold finding; rel.miss: reports missing a gold attention/context finding that is not negated"
)


def format_summary(language: str, rows: Sequence[Tuple[str, Evaluation]]) -> str:
    """One compact table for ``language``: a row per gold set, the figures that matter most.

    P/R/F1 micro; neg/unc/levels: qualifier accuracy; RF R/P: red-flag recall and
    precision; RF inv: invented red flags; rel.miss: reports with a relevant miss / reports.
    """
    width = max([len("gold")] + [len(name) for name, _ in rows])
    lines = [f"Summary: {language}",
             " ".join([f"{'gold':{width}}"] + [f"{title:>{w}}" for title, w in SUMMARY_COLUMNS])]
    for name, e in rows:
        m, rf = e.micro, e.red_flags
        figures = [f"{e.reports:7d}"] + [
            f"{v:6.3f}" for v in (m.precision, m.recall, m.f1, e.negation.value,
                                  e.uncertainty.value, e.levels.value, rf.recall, rf.precision)
        ] + [f"{e.invented_red_flags:6d}", f"{f'{e.reports_with_relevant_miss}/{e.reports}':>9}"]
        lines.append(" ".join([f"{name:{width}}"] + figures))
    lines.append(SUMMARY_LEGEND)
    return "\n".join(lines)
