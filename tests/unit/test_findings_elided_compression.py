"""A compression head shared by two structures names both: "no cord or nerve root compression",
"geen myelum- of wortelcompressie" once gave the root only, and so lost a negated cord
compression (the page would not say the cord was checked). Words: ``heads`` and ``elided`` in
lexicons/<lang>/coordination.json."""
import pytest

import nlp


@pytest.mark.parametrize("lang,text,expected", [
    ("en", "No cord or nerve root compression.",
     [("spinal_cord_compression", True), ("nerve_root_compression", True)]),
    ("en", "No cauda equina or nerve root compression.",
     [("cauda_equina_compression", True), ("nerve_root_compression", True)]),
    ("en", "Severe stenosis with cord and nerve root compression at C5-C6.",
     [("spinal_canal_stenosis", False), ("spinal_cord_compression", False), ("nerve_root_compression", False)]),
    ("nl", "Myelum- of wortelcompressie wordt niet gezien.",
     [("spinal_cord_compression", True), ("nerve_root_compression", True)]),
    ("nl", "Geen myelum- of wortelcompressie.",
     [("spinal_cord_compression", True), ("nerve_root_compression", True)]),
])
def test_both_structures_are_findings(lang, text, expected):
    assert [(f.concept, f.negated) for f in nlp.analyse(text, lang=lang).findings] == expected


def test_medspacy_engine_agrees():
    doc = nlp.build("nl", engine="medspacy")("Geen myelum- of wortelcompressie.")
    assert [(e.label_, bool(e._.negated)) for e in doc.ents] == [
        ("spinal_cord_compression", True), ("nerve_root_compression", True)]
