"""Regression bars on the gold reports (``sample_reports/<lang>_<split>.jsonl``).

Runs by default (about 20 s): a change to a lexicon or component that costs accuracy on the
annotated reports fails here.
"""
from __future__ import annotations

import pytest

from nlp.evaluation.gold import evaluate, format_table, gold_files

MIN_MICRO_F1 = 0.95
MIN_NEGATION_ACCURACY = 0.97
LANGS = ["en", "nl"]
# Red-flag recall (category attention; nlp/evaluation/gold.py) as measured on the own gold at the end
# of the session that added it. The misses: en dev "no malignancy" (en_004) and negated cauda
# equina compression (en_010) read without their levels, metastatic disease without its levels
# (en_014), and "mild cord compression, myelopathy is not seen" (en_024), where the
# post-position negation reaches back over the comma and negates the cord compression too (a
# known flip, see the README); en test negated conus compression (en_033), a negated tumour
# read as present (en_036); nl "sacroiliitis, passend bij spondyloartritis" counted once
# (nl_038), caudacompressie at L1 for L2 (nl_040). Raise a bar when a fix lifts the figure.
MIN_RED_FLAG_RECALL = {("dev", "en"): 0.957, ("test", "en"): 0.98, ("dev", "nl"): 1.0, ("test", "nl"): 0.957}


@pytest.fixture(scope="module")
def results():
    """One evaluation per (split, language), computed once for the module."""
    cache = {}

    def get(split, lang):
        if (split, lang) not in cache:
            paths = gold_files(split, lang)
            assert paths, f"no gold file sample_reports/{lang}_{split}.jsonl"
            evaluations = evaluate(paths)
            assert set(evaluations) == {lang}, f"{lang}_{split}.jsonl holds other languages"
            cache[split, lang] = evaluations[lang]
        return cache[split, lang]

    return get


@pytest.mark.parametrize("split", ["test", "dev"])
@pytest.mark.parametrize("lang", LANGS)
def test_gold_micro_f1(results, split, lang):
    evaluation = results(split, lang)
    assert evaluation.reports >= 10
    assert evaluation.micro.tp + evaluation.micro.fn >= 100  # enough gold findings to mean something
    assert evaluation.micro.f1 >= MIN_MICRO_F1, format_table(evaluation)


@pytest.mark.parametrize("split", ["test", "dev"])
@pytest.mark.parametrize("lang", LANGS)
def test_gold_negation_accuracy(results, split, lang):
    evaluation = results(split, lang)
    assert evaluation.negation.total >= 100
    assert evaluation.negation.value >= MIN_NEGATION_ACCURACY, format_table(evaluation)


@pytest.mark.parametrize("split", ["test", "dev"])
@pytest.mark.parametrize("lang", LANGS)
def test_gold_red_flag_recall(results, split, lang):
    evaluation = results(split, lang)
    red_flags = evaluation.red_flags
    assert red_flags.tp + red_flags.fn >= 40  # enough gold red flags to mean something
    assert red_flags.recall >= MIN_RED_FLAG_RECALL[split, lang], format_table(evaluation)
