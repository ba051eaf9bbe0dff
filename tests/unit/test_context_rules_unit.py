"""ConTextRule keys the lexicons may use, honoured alike by both engines: allowed_types,
excluded_types, max_targets, max_scope, terminated_by, and TERMINATE and PSEUDO cues.

The shipped lexicons use only some of them, so a rule set made for this test is served in
their place; each rule's effect is asserted, and both engines must give the same.
"""
import pytest

from nlp.pipeline import build
from nlp.report import Report


def _cue(word, category, direction="FORWARD", **keys):
    return {"literal": word, "category": category, "direction": direction, "pattern": [{"LOWER": word}], **keys}


RULES = [
    _cue("no", "NEGATED_EXISTENCE", allowed_types=["tumour"]),
    _cue("without", "NEGATED_EXISTENCE", excluded_types=["tumour"]),
    _cue("possible", "POSSIBLE_EXISTENCE", max_targets=1),
    _cue("previous", "HISTORICAL", max_scope=2),
    _cue("known", "HISTORICAL", terminated_by=["CURRENT"]),
    _cue("new", "CURRENT", "PSEUDO"),
    _cue("excluded", "NEGATED_EXISTENCE", "BACKWARD"),
    _cue("however", "TERMINATE", "TERMINATE"),
]


@pytest.fixture(scope="module")
def engines():
    patch = pytest.MonkeyPatch()
    patch.setattr("nlp.pipeline.context.context_rules", lambda lang: [dict(rule) for rule in RULES])
    try:
        yield build("en"), build("en", engine="medspacy")
    finally:
        patch.undo()


def _states(nlp, text):
    return [
        (f.concept, f.negated, f.uncertain, f.historical) for f in Report.from_doc(nlp(text)).findings
    ]


@pytest.mark.parametrize(
    "text,expected",
    [
        # allowed_types: "no" negates tumours only.
        ("No fracture or tumour.", [("vertebral_fracture", False, False, False), ("tumour", True, False, False)]),
        # excluded_types: "without" negates all but tumours.
        ("Without fracture or tumour.",
         [("vertebral_fracture", True, False, False), ("tumour", False, False, False)]),
        # max_targets 1: the nearest finding only.
        ("Possible tumour, fracture and disc bulge.",
         [("tumour", False, True, False), ("vertebral_fracture", False, False, False),
          ("disc_bulge", False, False, False)]),
        # max_scope 2: two words on.
        ("Previous fracture, disc bulge.", [("vertebral_fracture", False, False, True), ("disc_bulge", False, False, False)]),
        # terminated_by: a CURRENT cue ends the history cue's scope.
        ("Known fracture and new tumour.", [("vertebral_fracture", False, False, True), ("tumour", False, False, False)]),
        ("Known fracture and tumour.", [("vertebral_fracture", False, False, True), ("tumour", False, False, True)]),
        # TERMINATE: ends the scope of the cues before and after it.
        ("Without fracture however disc bulge.",
         [("vertebral_fracture", True, False, False), ("disc_bulge", False, False, False)]),
        ("Fracture however disc bulge excluded.",
         [("vertebral_fracture", False, False, False), ("disc_bulge", True, False, False)]),
    ],
)
def test_rule_keys_are_honoured_by_both_engines(engines, text, expected):
    fast, medspacy = engines
    assert _states(medspacy, text) == expected
    assert _states(fast, text) == expected
