"""The fast matcher engine gives exactly what medspaCy's TargetMatcher + ConText give.

``nlp.build(lang)`` finds findings and context cues with nlp/matcher/engine.py (same rules, about
four times faster); this checks the claim of identical results on every gold report.
"""
import pytest

from nlp.evaluation.gold import gold_files, read_gold
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


@pytest.mark.parametrize("batch_size", [1, 7, 128])
def test_batched_pipe_equals_one_report_at_a_time(engines, batch_size):
    """Components run over batches in ``pipe``; every report comes out in order and analysed
    exactly as when it is analysed alone."""
    lang, fast, _ = engines
    texts = [record["text"] for record in read_gold(gold_files(None, lang))]
    alone = [[f.to_dict() for f in Report.from_doc(fast(text)).findings] for text in texts]
    docs = list(fast.pipe(texts, batch_size=batch_size))
    assert [Report.from_doc(doc).text for doc in docs] == texts  # doc.text: the reading text
    assert [[f.to_dict() for f in Report.from_doc(doc).findings] for doc in docs] == alone
    # The shared word lists are dropped by the last component, batched or not.
    assert not any("spine_words" in doc.user_data for doc in docs)
