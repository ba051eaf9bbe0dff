"""Tests for nlp/evaluation/negex.py: reading a NegEx-style file, concept lookup, counts and metrics."""
from __future__ import annotations

import argparse

import pytest

from nlp.evaluation.negex import (
    NegexResult,
    NegexRow,
    add_negex_parser,
    evaluate_negex,
    find_concept,
    format_negex,
    read_negex,
)

HEADER = "Report No.\tConcept\tSentence\tNegation\n"
ROWS = [
    # report, concept, sentence, label
    ("1", "disc   extrusion", "No DISC   EXTRUSION at L4-L5.", "Negated"),  # TP
    ("1", "fracture", '"There is a FRACTURE of L1, no oedema."', "Affirmed"),  # TN
    ("2", "oedema", "Fracture of L1 without OEDEMA.", "Negated"),  # TP
    ("2", "stenosis", "No change in the STENOSIS at L3-L4.", "Affirmed"),  # TN (pseudo-trigger)
    ("3", "haemangioma", "A lesion at L2.", "Affirmed"),  # concept not found
]


def _write(tmp_path, rows=ROWS):
    path = tmp_path / "annotations.txt"
    path.write_text(HEADER + "".join("\t".join(r) + "\r\n" for r in rows), encoding="utf-8")
    return path


def test_read_negex_parses_quotes_labels_and_lines(tmp_path):
    rows = list(read_negex(_write(tmp_path)))
    assert [r.negated for r in rows] == [True, False, True, False, False]
    assert rows[1].sentence == "There is a FRACTURE of L1, no oedema."
    assert rows[0].line == 2 and rows[0].report == "1"


def test_read_negex_rejects_an_unknown_label(tmp_path):
    path = _write(tmp_path, [("1", "x", "X.", "Maybe")])
    with pytest.raises(ValueError, match="Affirmed or Negated"):
        list(read_negex(path))


def test_find_concept_prefers_upper_case_and_collapses_whitespace():
    assert find_concept("No DISC   EXTRUSION.", "disc extrusion") == "DISC   EXTRUSION"
    assert find_concept("disc bulge; no DISC BULGE", "disc bulge") == "DISC BULGE"
    assert find_concept("Mild  disc\tbulge.", "disc  bulge") == "disc\tbulge"
    assert find_concept("Nothing here.", "bulge") is None


def test_evaluate_counts_and_metrics_with_a_stub(tmp_path):
    # A stub that negates whenever the sentence starts with "No": wrong on row 4, misses row 3.
    calls = []

    def stub(sentence, target):
        calls.append(target)
        return {"negated": sentence.startswith("No"), "uncertain": False, "historical": False}

    result = evaluate_negex(_write(tmp_path), context_fn=stub)
    assert calls == ["DISC   EXTRUSION", "FRACTURE", "OEDEMA", "STENOSIS"]
    assert (result.tp, result.fp, result.fn, result.tn, result.not_found) == (1, 1, 1, 1, 1)
    assert result.precision == pytest.approx(0.5)
    assert result.recall == pytest.approx(0.5)
    assert result.f == pytest.approx(0.5)
    assert result.accuracy == pytest.approx(0.5)
    assert [(e.line, e.reason) for e in result.errors] == [
        (4, "missed negation"),
        (5, "false negation"),
        (6, "concept not found in the sentence"),
    ]
    assert result.errors[2].predicted is None


def test_evaluate_with_the_english_rules(tmp_path):
    result = evaluate_negex(_write(tmp_path))
    assert (result.tp, result.fp, result.fn, result.tn, result.not_found) == (2, 0, 0, 2, 1)
    assert result.f == 1.0 and result.accuracy == 1.0


def test_metrics_of_an_empty_result_and_the_table():
    empty = NegexResult()
    assert empty.precision == 1.0 and empty.recall == 1.0 and empty.accuracy == 1.0
    result = NegexResult()
    for gold, pred in [(True, True), (True, True), (True, False), (False, True), (False, False)]:
        result.add(NegexRow(0, "1", "c", "s", gold, pred))
    assert (result.tp, result.fn, result.fp, result.tn) == (2, 1, 1, 1)
    assert result.f == pytest.approx(2 / 3)
    assert result.accuracy == pytest.approx(0.6)
    table = format_negex(result)
    assert "precision 0.667  recall 0.667  F 0.667  accuracy 0.600" in table


def test_cli_subcommand(tmp_path, capsys):
    parser = argparse.ArgumentParser()
    add_negex_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["negex", str(_write(tmp_path)), "--errors"])
    assert args.func(args) == 0
    out = capsys.readouterr().out
    assert "NegEx rows: 5  evaluated: 4  concept not found: 1" in out
    assert '"reason": "concept not found in the sentence"' in out
