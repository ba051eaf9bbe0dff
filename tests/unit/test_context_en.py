"""English ConText rules (lexicons/en/context.json) on short radiology sentences via nlp.context."""
from __future__ import annotations

import pytest

import nlp

# (sentence, target, qualifier, expected)
CASES = [
    # Pre-negation, and its scope over a list.
    ("No disc extrusion at L4-L5.", "disc extrusion", "negated", True),
    ("No canal stenosis or foraminal narrowing.", "canal stenosis", "negated", True),
    ("No canal stenosis or foraminal narrowing.", "foraminal narrowing", "negated", True),
    ("Protrusion at L4-L5 without nerve root compression.", "Protrusion", "negated", False),
    ("Protrusion at L4-L5 without nerve root compression.", "nerve root compression", "negated", True),
    ("There is no evidence of spondylolysis.", "spondylolysis", "negated", True),
    ("Negative for cord compression.", "cord compression", "negated", True),
    # A descriptive adjective starting the finding is not swallowed by the cue.
    ("No acute fracture.", "acute fracture", "negated", True),
    ("No focal cord signal abnormality.", "focal cord signal abnormality", "negated", True),
    ("No visible fracture.", "fracture", "negated", True),
    # Post-negation.
    ("Cauda equina compression is not seen.", "Cauda equina compression", "negated", True),
    ("Nerve root compression: none.", "Nerve root compression", "negated", True),
    ("The previously described disc extrusion has resolved.", "disc extrusion", "negated", True),
    ("Fracture is excluded.", "Fracture", "negated", True),
    ("Cord compression: not seen.", "Cord compression", "negated", True),
    ("Spondylolisthesis - none.", "Spondylolisthesis", "negated", True),
    ("Low suspicion for discitis.", "discitis", "negated", True),
    # Termination: a negation does not reach past but/however/colon or a positive assertion.
    ("No fracture, but a haemangioma at L2.", "haemangioma", "negated", False),
    ("No fracture; however, a haemangioma is seen at L2.", "haemangioma", "negated", False),
    ("No listhesis and positive for spondylolysis at L5.", "spondylolysis", "negated", False),
    ("MRI LUMBAR SPINE WITHOUT CONTRAST CLINICAL HISTORY: low back pain.", "low back pain", "negated", False),
    ("MRI with and without contrast shows a disc bulge at L4-L5.", "disc bulge", "negated", False),
    ("Disc at L4-L5 without contrast enhancement.", "contrast enhancement", "negated", True),
    ("Contrast was not given secondary to renal failure.", "renal failure", "negated", False),
    # Pseudo-triggers: contain a cue but do not negate.
    ("No change in the disc bulge at L4-L5.", "disc bulge", "negated", False),
    ("No interval change of the L5-S1 protrusion.", "protrusion", "negated", False),
    ("Not only disc degeneration but also facet arthropathy.", "disc degeneration", "negated", False),
    # Uncertainty.
    ("A small disc extrusion cannot be excluded.", "disc extrusion", "uncertain", True),
    ("A small disc extrusion cannot be\nexcluded.", "disc extrusion", "uncertain", True),
    ("The signal change may represent a haemangioma.", "haemangioma", "uncertain", True),
    ("Possible annular fissure at L4-L5.", "annular fissure", "uncertain", True),
    ("Disc extrusion at L4-L5.", "Disc extrusion", "uncertain", False),
    ("No definite disc extrusion.", "disc extrusion", "uncertain", False),
    # Historical.
    ("Status post laminectomy at L4-L5.", "laminectomy", "historical", True),
    ("History of vertebral fracture.", "vertebral fracture", "historical", True),
    ("Disc bulge at L4-L5, compared with the prior study.", "Disc bulge", "historical", False),
    ("Compared with the previous MRI, the disc bulge is larger.", "disc bulge", "historical", False),
    ("Disc bulge at L4-L5.", "Disc bulge", "historical", False),
]


@pytest.mark.parametrize("sentence, target, qualifier, expected", CASES)
def test_context_en(sentence, target, qualifier, expected):
    result = nlp.context(sentence, target, lang="en")
    assert result[qualifier] is expected, (sentence, target, result)


def test_context_unknown_target_raises():
    with pytest.raises(nlp.InputError):
        nlp.context("No fracture.", "haemangioma", lang="en")


def test_rule_key_the_fast_engine_ignores_is_refused(monkeypatch):
    """'on_modifies' is a Python callback in medspaCy: JSON cannot hold it and the fast
    engine does not run it, so the loader refuses a rule that has it (issue 10)."""
    from nlp import lexicon as lexicons

    rule = {"literal": "no", "category": "NEGATED_EXISTENCE", "direction": "FORWARD", "on_modifies": "f"}
    monkeypatch.setattr(lexicons, "load_json", lambda *parts: {"context_rules": [rule]})
    with pytest.raises(lexicons.LexiconError, match="on_modifies"):
        lexicons.context_rules("en")


def test_cues_overlapping_a_finding_are_dropped_as_medspacy_does():
    """The fast engine drops the cues medspaCy's prune_on_target_overlap drops: those whose
    first token or end lies inside a finding (found by bisection, checked by brute force)."""
    import random
    from types import SimpleNamespace as Tokens

    from medspacy.util import tuple_overlaps

    from nlp.pipeline.context import _outside_findings

    rng = random.Random(7)
    for _ in range(2000):
        ents, pos = [], rng.randint(0, 3)
        while pos < 30:
            length = rng.randint(1, 4)
            ents.append(Tokens(start=pos, end=pos + length))
            pos += length + rng.randint(0, 3)
        cues = [Tokens(start=s, end=s + rng.randint(1, 4)) for s in (rng.randint(0, 32) for _ in range(5))]
        expected = [c for c in cues if not any(tuple_overlaps((e.start, e.end), (c.start, c.end)) for e in ents)]
        assert _outside_findings(cues, ents) == expected
