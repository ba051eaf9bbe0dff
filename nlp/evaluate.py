"""Evaluate the analyser against gold files (``sample_reports/*.jsonl``).

A predicted finding counts as found (interface.md) when concept and negation match and,
where the gold lists levels, the levels overlap. Pairs are matched one-to-one, nearest span
first. Qualifier accuracy (negation, uncertainty, levels) is measured on the findings that
both sides name: same concept and overlapping span, whatever the qualifiers.
"""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

from .analyse import analyse
from .report import Finding

GOLD_DIR = Path(__file__).resolve().parent.parent / "sample_reports"


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
    errors: List[dict] = field(default_factory=list)

    @property
    def micro(self) -> Counts:
        total = Counts()
        for c in self.per_concept.values():
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
    """Score one gold report into ``evaluation``."""
    report = analyse(record["text"], lang=record.get("language"))
    golds, preds = record.get("findings", []), report.findings
    found = _match(golds, preds, _counts_as_found)
    matched_g = {gi for gi, _ in found}
    matched_p = {pi for _, pi in found}
    for gi, _ in found:
        evaluation.per_concept[golds[gi]["concept"]].tp += 1
    for gi, gold in enumerate(golds):
        if gi not in matched_g:
            evaluation.per_concept[gold["concept"]].fn += 1
            evaluation.errors.append({"id": record["id"], "kind": "missed", **_brief(gold)})
    for pi, pred in enumerate(preds):
        if pi not in matched_p:
            evaluation.per_concept[pred.concept].fp += 1
            evaluation.errors.append({"id": record["id"], "kind": "spurious", **_brief(pred.to_dict())})
    for gi, pi in _match(golds, preds, _aligned):
        gold, pred = golds[gi], preds[pi]
        evaluation.negation.add(bool(gold.get("negated")) == pred.negated)
        evaluation.uncertainty.add(bool(gold.get("uncertain")) == pred.uncertain)
        if "levels" in gold:
            evaluation.levels.add(set(gold["levels"] or []) == set(pred.levels))
    evaluation.reports += 1


def _brief(finding: dict) -> dict:
    keys = ("concept", "text", "start", "levels", "negated", "uncertain")
    return {k: finding.get(k) for k in keys}


def evaluate(paths: Iterable[Path]) -> Dict[str, Evaluation]:
    """Evaluate every gold report in ``paths``; one Evaluation per language."""
    results: Dict[str, Evaluation] = {}
    for record in read_gold(paths):
        lang = record.get("language") or "en"
        evaluate_report(record, results.setdefault(lang, Evaluation(lang)))
    return results


def format_table(evaluation: Evaluation) -> str:
    """A plain-text table of per-concept and overall figures."""
    rows = [f"Language: {evaluation.language}  reports: {evaluation.reports}",
            f"{'concept':32} {'P':>6} {'R':>6} {'F1':>6} {'TP':>5} {'FP':>5} {'FN':>5}"]
    for concept in sorted(evaluation.per_concept):
        c = evaluation.per_concept[concept]
        rows.append(f"{concept:32} {c.precision:6.3f} {c.recall:6.3f} {c.f1:6.3f} {c.tp:5d} {c.fp:5d} {c.fn:5d}")
    m = evaluation.micro
    rows.append(f"{'micro':32} {m.precision:6.3f} {m.recall:6.3f} {m.f1:6.3f} {m.tp:5d} {m.fp:5d} {m.fn:5d}")
    rows.append(f"negation accuracy    {evaluation.negation.value:.3f} ({evaluation.negation.right}/{evaluation.negation.total})")
    rows.append(f"uncertainty accuracy {evaluation.uncertainty.value:.3f} ({evaluation.uncertainty.right}/{evaluation.uncertainty.total})")
    rows.append(f"levels accuracy      {evaluation.levels.value:.3f} ({evaluation.levels.right}/{evaluation.levels.total})")
    return "\n".join(rows)
