"""``set_span_values`` writes what ``span._`` reads (it relies on spaCy's storage layout)."""
from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Span

from nlp.pipeline.extensions import SPAN_DEFAULTS, set_span_values, span_setter


def _spans():
    doc = spacy.blank("en")("Mild disc bulge at L4-L5 and left foraminal stenosis.")
    return doc, Span(doc, 1, 3, label="disc_bulge"), Span(doc, 7, 9, label="foraminal_stenosis")


def test_values_set_at_once_read_back_through_underscore():
    doc, bulge, stenosis = _spans()
    set_span_values(bulge, {"levels": ["L4-L5"], "side": None, "severity": "mild", "negated": True})
    assert bulge._.levels == ["L4-L5"]
    assert bulge._.severity == "mild"
    assert bulge._.negated is True
    # A Span made again over the same tokens (as doc.ents does) sees the same values.
    again = Span(doc, 1, 3, label="disc_bulge")
    assert again._.levels == ["L4-L5"]
    # Another span keeps its defaults.
    assert stenosis._.levels == SPAN_DEFAULTS["levels"]
    assert stenosis._.negated is False


def test_values_set_at_once_equal_values_set_one_by_one():
    doc_a, bulge_a, _ = _spans()
    doc_b, bulge_b, _ = _spans()
    values = {"levels": ["L4-L5"], "side": "left", "severity": "moderate", "section": "findings"}
    set_span_values(bulge_a, values)
    for name, value in values.items():
        setattr(bulge_b._, name, value)
    assert doc_a.user_data == doc_b.user_data


def test_span_setter_writes_what_set_span_values_writes():
    doc_a, bulge_a, stenosis_a = _spans()
    doc_b, bulge_b, stenosis_b = _spans()
    values = {"levels": ["L4-L5"], "side": "left", "severity": "moderate", "section": "findings"}
    set_span_values(bulge_a, values)
    set_span_values(stenosis_a, {**values, "side": None})
    setter = span_setter(*values)
    setter(bulge_b, *values.values())
    setter(stenosis_b, ["L4-L5"], None, "moderate", "findings")
    assert doc_a.user_data == doc_b.user_data
    assert bulge_b._.side == "left" and stenosis_b._.side is None and stenosis_b._.levels == ["L4-L5"]


def test_unknown_or_computed_extension_is_refused():
    _, bulge, _ = _spans()
    with pytest.raises(AttributeError):
        set_span_values(bulge, {"no_such_attribute": 1})
    with pytest.raises(AttributeError):
        set_span_values(bulge, {"category": "x"})  # a getter, not a stored value
    with pytest.raises(AttributeError):
        span_setter("levels", "category")
    with pytest.raises(AttributeError):
        span_setter("no_such_attribute")


def test_sections_hold_whatever_is_imported_first():
    """medspaCy registers its own ``Span._.section`` (a getter) on import; imported before the
    analyser, it must not take the place of the analyser's section."""
    import ast
    import subprocess
    import sys

    code = (
        "import medspacy, nlp\n"
        "r = nlp.analyse('FINDINGS:\\nDisc bulge at L4-L5.\\n\\nIMPRESSION:\\nNo stenosis.', lang='en')\n"
        "print([(f.concept, f.section) for f in r.findings])\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    found = dict(ast.literal_eval(done.stdout.strip().splitlines()[-1]))
    assert found["disc_bulge"] == "findings"
    assert found["spinal_canal_stenosis"] == "conclusion"
