"""Measure the English negation rules on a NegEx-style annotated test set.

The NegEx test set (Chapman et al., ``Annotations-1-120.txt``) is a tab-separated file with
the columns ``Report No.``, ``Concept``, ``Sentence`` and ``Negation`` (``Affirmed`` or
``Negated``); the concept is written in upper case inside the sentence. Each row is run
through :func:`nlp.api.context` and only its ``negated`` flag is compared with the label
(uncertain or historical do not count as negated). Negation is the positive class.

The data is not part of this repository: pass its path::

    python -m nlp negex PATH/Annotations-1-120.txt [--errors]
"""
from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Optional, Tuple, Union

from nlp.api import InputError, context
from nlp.evaluation.gold import Counts

LABELS = {"affirmed": False, "negated": True}
_SPACE = re.compile(r"\s+")


@dataclass
class NegexRow:
    """One annotated sentence and, after evaluation, what the rules said about it."""

    line: int  # line number in the file (the header is line 1)
    report: str
    concept: str
    sentence: str
    negated: bool  # the gold label
    predicted: Optional[bool] = None  # None: the concept could not be looked up
    reason: str = ""

    def to_dict(self) -> Dict[str, object]:
        return asdict(self)


@dataclass
class NegexResult(Counts):
    """Confusion counts with negation as the positive class, and the wrong rows.

    Precision, recall and F1 come from :class:`nlp.evaluation.gold.Counts`. Rows whose concept is
    not found in the sentence are not in the four counts: they are counted in ``not_found``
    and listed in ``errors`` with a reason.
    """

    tn: int = 0
    not_found: int = 0
    errors: List[NegexRow] = field(default_factory=list)

    @property
    def evaluated(self) -> int:
        return self.tp + self.fp + self.fn + self.tn

    @property
    def rows(self) -> int:
        return self.evaluated + self.not_found

    @property
    def f(self) -> float:
        return self.f1

    @property
    def accuracy(self) -> float:
        return (self.tp + self.tn) / self.evaluated if self.evaluated else 1.0

    def add(self, row: NegexRow) -> None:
        """Count one evaluated (or not found) row."""
        if row.predicted is None:
            self.not_found += 1
            self.errors.append(row)
            return
        if row.negated and row.predicted:
            self.tp += 1
        elif row.predicted:
            self.fp += 1
            self.errors.append(row)
        elif row.negated:
            self.fn += 1
            self.errors.append(row)
        else:
            self.tn += 1


def read_negex(path: Union[str, Path]) -> Iterator[NegexRow]:
    """The rows of a NegEx annotation file (tab-separated, header line, quoted sentences)."""
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.reader(f, delimiter="\t")
        header = next(reader, None)
        if header is None:
            return
        names = [h.strip().lower() for h in header]
        try:
            cols = [names.index(n) for n in ("report no.", "concept", "sentence", "negation")]
        except ValueError as e:
            raise ValueError(
                f"{path}: expected the columns Report No., Concept, Sentence, Negation, got {header}"
            ) from e
        for values in reader:
            line = reader.line_num
            if not any(v.strip() for v in values):
                continue
            if len(values) < len(header):
                raise ValueError(f"{path}:{line}: expected {len(header)} columns, got {len(values)}")
            report, concept, sentence, label = (values[i] for i in cols)
            key = label.strip().lower()
            if key not in LABELS:
                raise ValueError(f"{path}:{line}: label must be Affirmed or Negated, not {label!r}")
            yield NegexRow(line, report.strip(), concept, sentence, LABELS[key])


def _collapse(text: str) -> Tuple[str, List[int]]:
    """``text`` with each run of whitespace as one space, and the original offset of each char."""
    out: List[str] = []
    offsets: List[int] = []
    for m in re.finditer(r"\s+|\S+", text):
        if m.group().isspace():
            out.append(" ")
            offsets.append(m.start())
        else:
            out.append(m.group())
            offsets.extend(range(m.start(), m.end()))
    return "".join(out), offsets


def find_concept(sentence: str, concept: str) -> Optional[str]:
    """The concept as written in ``sentence`` (its exact substring), or None if absent.

    As NegEx does: the concept is upper-cased in the sentence, so the upper-case occurrence
    is preferred, then any occurrence regardless of case; runs of whitespace are collapsed
    in both for the lookup.
    """
    needle = _SPACE.sub(" ", concept).strip()
    if not needle:
        return None
    hay, offsets = _collapse(sentence)
    start = hay.find(needle.upper())
    if start < 0:
        start = hay.lower().find(needle.lower())
    if start < 0:
        return None
    end = start + len(needle)
    return sentence[offsets[start] : offsets[end - 1] + 1]


ContextFn = Callable[[str, str], Dict[str, bool]]


def evaluate_negex(path: Union[str, Path], context_fn: Optional[ContextFn] = None) -> NegexResult:
    """Run every row of the NegEx file at ``path`` through the English context rules.

    Args:
        path: The annotation file (``Annotations-1-120.txt``).
        context_fn: ``(sentence, target) -> {"negated": ...}``; default ``nlp.context`` (en).
    """
    if context_fn is None:
        context_fn = lambda sentence, target: context(sentence, target, lang="en")  # noqa: E731
    result = NegexResult()
    for row in read_negex(path):
        target = find_concept(row.sentence, row.concept)
        if target is None:
            row.reason = "concept not found in the sentence"
        else:
            try:
                row.predicted = bool(context_fn(row.sentence, target)["negated"])
            except InputError as e:
                row.reason = f"concept not found by context(): {e}"
            else:
                if row.predicted != row.negated:
                    row.reason = "false negation" if row.predicted else "missed negation"
        result.add(row)
    return result


def format_negex(result: NegexResult) -> str:
    """A small table: the confusion counts and the metrics (negation positive)."""
    lines = [
        f"NegEx rows: {result.rows}  evaluated: {result.evaluated}  concept not found: {result.not_found}",
        "                 gold Negated  gold Affirmed",
        f"pred Negated     {result.tp:12d}  {result.fp:13d}",
        f"pred Affirmed    {result.fn:12d}  {result.tn:13d}",
        f"precision {result.precision:.3f}  recall {result.recall:.3f}  "
        f"F {result.f:.3f}  accuracy {result.accuracy:.3f}",
    ]
    return "\n".join(lines)


def cmd_negex(args: argparse.Namespace) -> int:
    """Print the NegEx table, and with ``--errors`` each wrong row as JSON."""
    try:
        result = evaluate_negex(args.path)
    except (OSError, ValueError) as e:
        print(str(e), file=sys.stderr)
        return 2
    print(format_negex(result))
    if args.errors:
        for row in result.errors:
            print(json.dumps(row.to_dict(), ensure_ascii=False))
    return 0


def add_negex_parser(subparsers: "argparse._SubParsersAction") -> argparse.ArgumentParser:
    """Add ``negex PATH [--errors]`` to the command line's subcommands."""
    p = subparsers.add_parser("negex", help="negation accuracy on the NegEx annotated test set")
    p.add_argument("path", metavar="PATH", help="the NegEx annotation file (Annotations-1-120.txt)")
    p.add_argument("--errors", action="store_true", help="also print every wrong row as JSON")
    p.set_defaults(func=cmd_negex)
    return p
