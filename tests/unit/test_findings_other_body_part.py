"""A report of another part of the body (a hip X-ray pasted by mistake) gives no spine
findings: it names a bone or organ outside the spine and no spine word or level at all.
A spine report that mentions the hip keeps its findings. Sentences written for these tests."""
import pytest

import nlp


def found(text: str, lang: str):
    return [(f.concept, f.negated) for f in nlp.analyse(text, lang=lang).findings]


@pytest.mark.parametrize("lang, text", [
    ("en", "X-ray of the left hip: mild joint space narrowing, small osteophytes. No fracture."),
    ("en", "MRI of the right knee. No fracture. Small osteophytes."),
    ("nl", "Opname van het bekken: normale heupgewrichten. Geen osteofyten. Geen fractuur."),
    ("nl", "MRI van de linker knie toont geen fractuur en geen artrose van betekenis."),
])
def test_report_of_another_body_part_has_no_spine_findings(lang, text):
    assert found(text, lang) == []


@pytest.mark.parametrize("lang, text, expected", [
    ("en", "Hip pain. Small osteophytes at L4-L5. No fracture.", ("vertebral_fracture", True)),
    ("en", "No fracture. Small osteophytes.", ("osteophytes", False)),   # nothing names elsewhere
    ("nl", "Heupklachten. Hernia L4-L5. Geen fractuur.", ("vertebral_fracture", True)),
    ("nl", "Knieklachten. Osteofyten aan de wervellichamen.", ("osteophytes", False)),
])
def test_spine_report_keeps_its_findings(lang, text, expected):
    assert expected in found(text, lang)


@pytest.mark.parametrize("lang, text", [
    ("en", "History of prostate cancer. No bone metastases."),
    ("nl", "Voorgeschiedenis: prostaatcarcinoom. Geen ossale metastasen."),
])
def test_a_cancer_of_an_organ_leaves_the_bone_metastases(lang, text):
    """An organ named with its cancer does not make the report one of another body part: its
    (absent) bone metastases are the skeleton's, the spine among it."""
    assert ("tumour", True) in found(text, lang)
