"""The referrer's question ends where the report goes on in the same line: "Vraagstelling: HNP?
Conclusie: grote HNP L5-S1 met caudacompressie." once lost the whole conclusion, a cauda
equina compression among it, as part of the question (nlp/pipeline/sections.py)."""
import pytest

import nlp


@pytest.mark.parametrize("lang,text,expected,question", [
    ("nl", "Vraagstelling: HNP? Conclusie: grote HNP L5-S1 met caudacompressie.",
     [("disc_herniation", False), ("cauda_equina_compression", False)], "HNP?"),
    ("nl", "Vraagstelling: HNP L5-S1? Conclusie: geen HNP.", [("disc_herniation", True)], "HNP L5-S1?"),
    ("en", "Clinical question: fracture? Conclusion: no fracture.", [("vertebral_fracture", True)], "fracture?"),
    ("en", "Indication: rule out cord compression? Impression: severe cord compression at C5-C6.",
     [("spinal_cord_compression", False)], "rule out cord compression?"),
])
def test_the_report_after_an_inline_title_is_analysed(lang, text, expected, question):
    report = nlp.analyse(text, lang=lang)
    assert [(f.concept, f.negated) for f in report.findings] == expected
    assert report.question == question


@pytest.mark.parametrize("lang,text", [
    ("nl", "Vraagstelling: pijn. Vraag: HNP?"),
    ("en", "History: back pain. Clinical question: cauda equina syndrome?"),
])
def test_a_second_question_title_in_the_line_stays_question(lang, text):
    assert nlp.analyse(text, lang=lang).findings == []


@pytest.mark.parametrize("engine_text", [
    "Vraagstelling: HNP? Conclusie: grote HNP L5-S1 met caudacompressie.",
])
def test_medspacy_engine_agrees(engine_text):
    doc = nlp.build("nl", engine="medspacy")(engine_text)
    assert [e.label_ for e in doc.ents] == ["disc_herniation", "cauda_equina_compression"]
