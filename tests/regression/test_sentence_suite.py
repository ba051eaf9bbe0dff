"""Bars on the sentence suites written blind to the rules (``tests/sentences/``).

The texts and their gold were written by helpers that saw only the finding catalogue, never
the lexicons (see tests/sentences/README.md), so these figures say how the rules do on
wordings nobody tuned them to: the first batch (``en.jsonl``, ``nl.jsonl``), a second one
written later by other helpers (``en2.jsonl``, ``nl2.jsonl``) and a third of whole reports
(``en3.jsonl``, ``nl3.jsonl``; its even-numbered half was never read to fix rules), and a
fourth that stresses red flags and their traps (``en4.jsonl``, ``nl4.jsonl``; likewise), and a
fifth of red flags in many wordings (``en5.jsonl``, ``nl5.jsonl``; likewise); ``nl6.jsonl``, 60
Dutch red flags, was read whole to fix rules; a seventh of whole reports as copied from a PDF
(``en7.jsonl``, ``nl7.jsonl``: hard line breaks, hyphens, page headers inside sentences; its
even-numbered half held out); an eighth of red flags in short excerpts, with traps
(``en8.jsonl``, ``nl8.jsonl``; likewise); a ninth of dictated, telegram, comparison and
mixed-level fragments (``en9.jsonl``, ``nl9.jsonl``; likewise); a tenth of whole reports in
many countries' templates and red-flag excerpts with traps (``en10.jsonl``, ``nl10.jsonl``;
likewise). Red flags are held hardest: a
missed cauda equina or cord compression, fracture, tumour or infection is the error that
harms a reader most.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from nlp.evaluation.gold import evaluate, format_table

SUITE = Path(__file__).resolve().parents[1] / "sentences"
# (file, language): the suites and their sizes.
SUITES = (
    ("en.jsonl", "en"), ("nl.jsonl", "nl"), ("en2.jsonl", "en"), ("nl2.jsonl", "nl"),
    ("en3.jsonl", "en"), ("nl3.jsonl", "nl"), ("en4.jsonl", "en"), ("nl4.jsonl", "nl"),
    ("en5.jsonl", "en"), ("nl5.jsonl", "nl"), ("nl6.jsonl", "nl"), ("en7.jsonl", "en"), ("nl7.jsonl", "nl"),
    ("en8.jsonl", "en"), ("nl8.jsonl", "nl"), ("en9.jsonl", "en"), ("nl9.jsonl", "nl"),
    ("en10.jsonl", "en"), ("nl10.jsonl", "nl"), ("en11.jsonl", "en"), ("nl11.jsonl", "nl"),
)
MIN_REPORTS = {
    "en.jsonl": 250, "nl.jsonl": 250, "en2.jsonl": 160, "nl2.jsonl": 160, "en3.jsonl": 40, "nl3.jsonl": 40,
    "en4.jsonl": 100, "nl4.jsonl": 100, "en5.jsonl": 80, "nl5.jsonl": 80,
    "nl6.jsonl": 60, "en7.jsonl": 30, "nl7.jsonl": 30,
    "en8.jsonl": 100, "nl8.jsonl": 100, "en9.jsonl": 100, "nl9.jsonl": 100,
    "en10.jsonl": 60, "nl10.jsonl": 60, "en11.jsonl": 60, "nl11.jsonl": 60,
}
MIN_RED_FLAGS = 65
# As measured (README, "Evaluation"). First batch at the start of the session that added it:
# F1 0.867 en / 0.847 nl, red-flag recall 0.882 / 0.843, 29 / 36 invented red flags. Second
# batch when it arrived: F1 0.912 en / 0.911 nl, red-flag recall 0.923 / 0.881, 18 / 14
# invented. Third batch (40 whole reports a language) on arrival: F1 0.947 / 0.956, red-flag
# recall 0.924 / 0.960, 14 / 10 invented. Fourth (red flags and traps, 100 a language) on
# arrival: F1 0.853 / 0.837, red-flag recall 0.818 / 0.837, 13 / 17 invented. Raise a bar when
# a fix lifts the figure. Fifth (80 red-flag texts a language) on arrival: F1 0.922 / 0.875,
# red-flag recall 0.945 / 0.876, 9 / 12 invented. (Dutch invented bars of the second and fifth
# batch one higher since "myelopathiesignaal" is read: a restatement of a compression those
# annotators count once.) Seventh (30 PDF-like reports a language) on arrival: F1 0.932 / 0.929,
# red-flag recall 0.935 / 0.940, 18 / 17 invented. Eighth (100 red-flag excerpts a language) on
# arrival: F1 0.872 / 0.873, red-flag recall 0.853 / 0.848, 20 / 11 invented. Ninth (100 dictated,
# telegram, comparison and mixed-level fragments a language) on arrival: F1 0.743 / 0.843,
# red-flag recall 0.750 / 0.901, 34 / 25 invented. Tenth (30 whole reports and 30 red-flag
# excerpts a language) on arrival: F1 0.907 / 0.902, red-flag recall 0.897 / 0.889, 29 / 24
# invented, Dutch negation accuracy 0.957. Eleventh (40 follow-up, post-operative, oncology,
# trauma, infection, neck, thoracic and lumbar reports and 20 hard excerpts a language) on
# arrival: F1 0.902 / 0.867, red-flag recall 0.886 / 0.786, 20 / 26 invented.
MIN_MICRO_F1 = {
    "en.jsonl": 0.99, "nl.jsonl": 0.98,
    "en2.jsonl": 0.945, "nl2.jsonl": 0.975, "en3.jsonl": 0.955, "nl3.jsonl": 0.965,
    "en4.jsonl": 0.9, "nl4.jsonl": 0.895, "en5.jsonl": 0.925, "nl5.jsonl": 0.9,
    "nl6.jsonl": 0.98, "en7.jsonl": 0.935, "nl7.jsonl": 0.95,
    "en8.jsonl": 0.94, "nl8.jsonl": 0.945, "en9.jsonl": 0.89, "nl9.jsonl": 0.88,
    "en10.jsonl": 0.915, "nl10.jsonl": 0.91, "en11.jsonl": 0.905, "nl11.jsonl": 0.875,
}
MIN_RED_FLAG_RECALL = {
    "en.jsonl": 1.0, "nl.jsonl": 0.99,
    "en2.jsonl": 0.985, "nl2.jsonl": 0.975, "en3.jsonl": 0.955, "nl3.jsonl": 0.965,
    "en4.jsonl": 0.905, "nl4.jsonl": 0.94, "en5.jsonl": 0.955, "nl5.jsonl": 0.92,
    "nl6.jsonl": 1.0, "en7.jsonl": 0.955, "nl7.jsonl": 0.97,
    "en8.jsonl": 0.955, "nl8.jsonl": 0.92, "en9.jsonl": 0.9, "nl9.jsonl": 0.95,
    "en10.jsonl": 0.93, "nl10.jsonl": 0.935, "en11.jsonl": 0.905, "nl11.jsonl": 0.825,
}
# One more in en, en2, nl2, en3, en5, en7, nl7 since "T2 hyperintense cord signal" and "cord
# hyperintensity" are read: "T2 hyperintensity in the cord at C4 may represent early myelopathy"
# is one uncertain finding to these annotators, a signal change seen and a possible myelopathy
# to the analyser (and to the own gold, en_036): merging them would also downgrade "active
# sacroiliitis, suggestive of spondyloarthritis" (en_040), a certain finding, so they stay two.
# nl7, nl9, nl10, en11, nl11 one to four more since cord contusion and intramedullary oedema are
# read and "compression of the conus or cauda equina" names both: cord findings these annotators
# write at vertebra levels ("from C3 to C5" as C3, C4, C5) or count once with an "and"-joined one.
MAX_INVENTED_RED_FLAGS = {
    "en.jsonl": 3, "nl.jsonl": 6,
    "en2.jsonl": 13, "nl2.jsonl": 6, "en3.jsonl": 9, "nl3.jsonl": 9,
    "en4.jsonl": 10, "nl4.jsonl": 10, "en5.jsonl": 11, "nl5.jsonl": 10,
    "nl6.jsonl": 0, "en7.jsonl": 17, "nl7.jsonl": 14,
    # en8: 10 since misspelt red-flag words are read (en8-086 "CES ... which is compresing the
    # cauda equnia": its annotator counts the statement once, the analyser now twice as it
    # does with the words spelt right)
    "en8.jsonl": 10, "nl8.jsonl": 6, "en9.jsonl": 20, "nl9.jsonl": 23,
    "en10.jsonl": 26, "nl10.jsonl": 21, "en11.jsonl": 18, "nl11.jsonl": 27,
}
# The third batch's gold has no character offsets, so a qualifier is compared between any two
# findings of one concept in a report (a whole report holds many): a looser figure.
MIN_NEGATION_ACCURACY = {
    "en3.jsonl": 0.975, "nl3.jsonl": 0.975, "nl4.jsonl": 0.975, "nl5.jsonl": 0.975, "en7.jsonl": 0.975,
    # en4-049: "no evidence ... of an epidural collection, the L3-4 discitis is progressing" now
    # keeps the discitis affirmed (it was a flipped negation); without offsets the gold's negated
    # "collection" (an infection to its annotator, no catalogue word) is compared with it: 0.979
    "en4.jsonl": 0.975,
    # the ninth: dictation without punctuation lets a negation run into the next clause
    "en9.jsonl": 0.955, "nl9.jsonl": 0.955,
    # the tenth, Dutch: a negation far from its finding in a whole report
    "nl10.jsonl": 0.96,
    # the eleventh (follow-up reports): "resolved", "no longer seen" are negated and historical
    # to its annotators, and no offsets pair a qualifier with its own mention
    "en11.jsonl": 0.955, "nl11.jsonl": 0.93,
}
MIN_NEGATION_ACCURACY_DEFAULT = 0.98


@pytest.fixture(scope="module")
def results():
    cache = {}

    def get(name, lang):
        if name not in cache:
            evaluations = evaluate([SUITE / name])
            assert set(evaluations) == {lang}
            cache[name] = evaluations[lang]
        return cache[name]

    return get


@pytest.mark.parametrize("name, lang", SUITES)
def test_suite_is_large_enough(results, name, lang):
    evaluation = results(name, lang)
    assert evaluation.reports >= MIN_REPORTS[name]
    assert evaluation.red_flags.tp + evaluation.red_flags.fn >= MIN_RED_FLAGS


@pytest.mark.parametrize("name, lang", SUITES)
def test_suite_micro_f1(results, name, lang):
    evaluation = results(name, lang)
    assert evaluation.micro.f1 >= MIN_MICRO_F1[name], format_table(evaluation)


@pytest.mark.parametrize("name, lang", SUITES)
def test_suite_red_flags_found(results, name, lang):
    evaluation = results(name, lang)
    missed = [e for e in evaluation.errors if e["kind"] == "missed" and e["category"] == "attention"]
    assert evaluation.red_flags.recall >= MIN_RED_FLAG_RECALL[name], missed


@pytest.mark.parametrize("name, lang", SUITES)
def test_suite_red_flags_not_invented(results, name, lang):
    evaluation = results(name, lang)
    invented = [
        e for e in evaluation.errors
        if e["kind"] == "spurious" and e["category"] == "attention" and not e["negated"]
    ]
    assert evaluation.invented_red_flags <= MAX_INVENTED_RED_FLAGS[name], invented


@pytest.mark.parametrize("name, lang", SUITES)
def test_suite_negation(results, name, lang):
    evaluation = results(name, lang)
    bar = MIN_NEGATION_ACCURACY.get(name, MIN_NEGATION_ACCURACY_DEFAULT)
    assert evaluation.negation.value >= bar, format_table(evaluation)
