"""The fast matcher engine gives exactly what medspaCy's TargetMatcher + ConText give.

``nlp.build(lang)`` finds findings and context cues with nlp/matching.py (same rules, about
four times faster); this checks the claim of identical results on every gold report.
"""
import pytest

from nlp.evaluate import gold_files, read_gold
from nlp.pipeline import build
from nlp.report import Report


@pytest.fixture(scope="module", params=["en", "nl"])
def engines(request):
    lang = request.param
    return lang, build(lang), build(lang, engine="medspacy")


def test_engines_identical_on_gold(engines):
    """Every finding, with every qualifier, is the same whichever engine runs."""
    lang, fast, medspacy = engines
    texts = [record["text"] for record in read_gold(gold_files(None, lang))]
    assert len(texts) >= 40
    for fast_doc, slow_doc in zip(fast.pipe(texts), medspacy.pipe(texts)):
        fast_findings = [f.to_dict() for f in Report.from_doc(fast_doc).findings]
        slow_findings = [f.to_dict() for f in Report.from_doc(slow_doc).findings]
        assert fast_findings == slow_findings, fast_doc.text[:80]


def test_engines_unknown_engine_is_refused():
    with pytest.raises(ValueError, match="Unknown engine"):
        build("en", engine="regex")
