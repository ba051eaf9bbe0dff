"""The evaluation's figures that matter most: red-flag recall and precision, invented red
flags and reports with a relevant miss, on a hand-made gold with hand-made predictions whose
right numbers are worked out below; and gold sets side by side (``python -m nlp evaluate``)."""
from __future__ import annotations

import json

import pytest

from nlp.cli import main
from nlp.evaluation.gold import (
    Evaluation, format_summary, format_table, red_flag_concepts, score_report,
)
from nlp.lexicon import category_of
from nlp.report import Finding


def _pred(concept, levels=(), negated=False, uncertain=False, start=0):
    return Finding(concept=concept, category=category_of(concept), text=concept, start=start,
                   end=start + 1, levels=list(levels), negated=negated, uncertain=uncertain)


def _gold(concept, levels=(), negated=False):
    return {"concept": concept, "levels": list(levels), "negated": negated}


# Report a: the fracture is found; the negated tumour is reported as present (a miss and an
# invented red flag); canal stenosis (context, affirmed) is missed: a relevant miss; a negated
# infection reported where gold has none is spurious but not invented; an uncertain cauda
# equina compression that gold lacks is invented; the fracture at L2 does not count for L1.
REPORT_A = (
    {"id": "a", "findings": [
        _gold("vertebral_fracture", ["L1"]), _gold("tumour", negated=True),
        _gold("spinal_canal_stenosis", ["L4-L5"]), _gold("disc_bulge"),
    ]},
    [_pred("vertebral_fracture", ["L1"]), _pred("tumour"), _pred("disc_bulge"),
     _pred("infection", negated=True), _pred("cauda_equina_compression", uncertain=True)],
)
# Report b: cord compression found; the misses are negated (nerve root compression) or common
# (protrusion): not relevant. A fracture at the wrong level is missed and spurious.
REPORT_B = (
    {"id": "b", "findings": [
        _gold("spinal_cord_compression", ["C5-C6"]), _gold("nerve_root_compression", negated=True),
        _gold("disc_protrusion", ["L5-S1"]), _gold("vertebral_fracture", ["T12"]),
    ]},
    [_pred("spinal_cord_compression", ["C5-C6"]), _pred("vertebral_fracture", ["L1"])],
)
# Report c: everything found.
REPORT_C = ({"id": "c", "findings": [_gold("disc_extrusion", ["L4-L5"])]},
            [_pred("disc_extrusion", ["L4-L5"])])


@pytest.fixture()
def evaluation():
    result = Evaluation("en")
    for record, preds in (REPORT_A, REPORT_B, REPORT_C):
        score_report(record, preds, result)
    return result


def test_red_flags_are_the_attention_concepts():
    assert set(red_flag_concepts()) == {
        "cauda_equina_compression", "spinal_cord_compression", "vertebral_fracture", "tumour",
        "infection", "inflammatory_arthritis",
    }


def test_red_flag_recall_and_precision(evaluation):
    rf = evaluation.red_flags
    # gold red flags: fracture L1 (found), tumour negated (missed), cord (found), fracture T12
    # (missed); predicted: fracture L1, tumour, infection, cauda, cord, fracture L1 in b.
    assert (rf.tp, rf.fn, rf.fp) == (2, 2, 4)
    assert rf.recall == pytest.approx(2 / 4)
    assert rf.precision == pytest.approx(2 / 6)


def test_invented_red_flags_count_only_those_not_negated(evaluation):
    # tumour (affirmed), cauda equina (uncertain), fracture L1 in b; not the negated infection
    assert evaluation.invented_red_flags == 3


def test_reports_with_a_relevant_miss(evaluation):
    # a: canal stenosis (context, affirmed) missed; b: the T12 fracture (attention, affirmed)
    # missed; c: nothing missed.
    assert evaluation.reports == 3
    assert evaluation.reports_with_relevant_miss == 2
    assert evaluation.relevant_miss_rate == pytest.approx(2 / 3)


def test_negated_or_common_misses_are_not_relevant():
    result = Evaluation("en")
    record = {"id": "d", "findings": [
        _gold("nerve_root_compression", negated=True), _gold("disc_protrusion"),
        _gold("tumour", negated=True),
    ]}
    score_report(record, [], result)
    assert result.reports_with_relevant_miss == 0
    assert result.red_flags.recall == 0.0  # the negated tumour is a red flag all the same


def test_errors_carry_the_category(evaluation):
    missed = {(e["id"], e["concept"], e["category"]) for e in evaluation.errors if e["kind"] == "missed"}
    assert ("a", "spinal_canal_stenosis", "context") in missed
    assert ("b", "vertebral_fracture", "attention") in missed


def test_format_table_names_what_it_counts(evaluation):
    table = format_table(evaluation)
    assert "red-flag recall      0.500 (2/4" in table
    assert "red-flag precision   0.333 (2/6)" in table
    assert "invented red flags   3" in table
    assert "relevant-miss rate   0.667 (2/3 reports" in table


def test_format_summary_one_row_per_gold_set(evaluation):
    other = Evaluation("en")
    score_report(*REPORT_C, other)
    lines = format_summary("en", [("own/en_dev.jsonl", evaluation), ("real/gold.jsonl", other)])
    rows = {line.split()[0]: line.split()[1:] for line in lines.splitlines()[2:4]}
    # reports, P, R, F1, neg, unc, levels, RF R, RF P, RF inv, rel.miss
    assert rows["own/en_dev.jsonl"][0] == "3"
    assert rows["own/en_dev.jsonl"][7:] == ["0.500", "0.333", "3", "2/3"]
    assert rows["real/gold.jsonl"] == ["1"] + ["1.000"] * 8 + ["0", "0/1"]
    assert "RF inv" in lines and "not negated" in lines


def _write(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_cli_several_gold_files_side_by_side(tmp_path, capsys):
    text = "No fracture. Mild disc bulge at L4-L5."
    gold = [_gold("vertebral_fracture", negated=True), _gold("disc_bulge", ["L4-L5"])]
    one = _write(tmp_path / "one.jsonl", [{"id": "1", "language": "en", "text": text, "findings": gold}])
    two = _write(tmp_path / "two.jsonl", [
        {"id": "2", "language": "en", "text": text, "findings": gold[:1]},
        {"id": "3", "language": "nl", "text": "Geen fractuur.", "findings": gold[:1]},
    ])
    assert main(["evaluate", str(one), str(two)]) == 0
    out = capsys.readouterr().out
    tables = out.strip().split("\n\n")
    assert [t.splitlines()[0] for t in tables] == ["Summary: en", "Summary: nl"]
    en_rows = [line.split()[0] for line in tables[0].splitlines()[2:4]]
    assert en_rows == [f"{tmp_path.name}/one.jsonl", f"{tmp_path.name}/two.jsonl"]
    assert [line.split()[0] for line in tables[1].splitlines()[2:3]] == [f"{tmp_path.name}/two.jsonl"]


def test_hypothetical_findings_are_not_scored():
    """A condition or teaching text ("in rare cases ... cauda equina syndrome") is no finding
    in this patient: not spurious, not an invented red flag; the same finding stated is."""
    record = {"id": "h", "findings": [_gold("disc_herniation", ["L5-S1"])]}
    teaching = Finding(concept="cauda_equina_compression", category="attention", text="CES",
                       start=5, end=8, hypothetical=True)
    stated = Finding(concept="cauda_equina_compression", category="attention", text="CES",
                     start=5, end=8)
    quiet, loud = Evaluation("en"), Evaluation("en")
    score_report(record, [_pred("disc_herniation", ["L5-S1"]), teaching], quiet)
    score_report(record, [_pred("disc_herniation", ["L5-S1"]), stated], loud)
    assert quiet.invented_red_flags == 0 and loud.invented_red_flags == 1
    assert quiet.micro.precision == 1.0 and loud.micro.precision < 1.0
