"""A report of another part of the body (a hip X-ray pasted by mistake) gives no spine
findings: it names a bone or organ outside the spine and no spine word or level at all.
A spine report that mentions the hip keeps its findings. Sentences written for these tests."""
import pytest

import nlp


def found(text: str, lang: str):
    return [(f.concept, f.negated) for f in nlp.analyse(text, lang=lang).findings]


@pytest.mark.parametrize("lang, text", [
    ("en", "X-ray of the left hip: mild joint space narrowing, small osteophytes. No fracture."),
    ("en", "MRI of the right knee. No fracture and no tumour. Small osteophytes."),
    ("nl", "Opname van het bekken: normale heupgewrichten. Geen osteofyten. Geen fractuur."),
    ("nl", "MRI van de linker knie toont geen fractuur en geen tumor."),
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
