"""Sections as real reports write them: the referrer's question is no finding (concepts.md) and
comes back apart (``Report.question``); clinical history states facts that stay findings;
headings without a colon, in capitals, with the colon apart, alone on their line."""
from __future__ import annotations

import pytest

import nlp
from nlp.pipeline import sections
from nlp.lexicon import LexiconError
from nlp.pipeline import build
from nlp.report import Report


def _states(report):
    return [(f.concept, f.negated, f.historical) for f in report.findings]


# --- question sections: their findings leave `findings`, their words are the question ----

@pytest.mark.parametrize("lang,text,question,kept", [
    ("en", "Clinical question: rule out fracture\n\nFindings:\nMild disc bulge at L4-L5.\n",
     "rule out fracture", [("disc_bulge", False, False)]),
    ("en", "CLINICAL QUESTION\nCord compression?\n\nIMPRESSION\nNo disc herniation.\n",
     "Cord compression?", [("disc_herniation", True, False)]),
    ("en", "Query: spondylolysis L5\nReport:\nSmall disc protrusion at L5-S1.\n",
     "spondylolysis L5", [("disc_protrusion", False, False)]),
    ("nl", "Vraagstelling: HNP L5-S1 rechts?\n\nVerslag:\nLichte bulging L4-L5.\n",
     "HNP L5-S1 rechts?", [("disc_bulge", False, False)]),
    ("nl", "VRAAGSTELLING\nmyelumcompressie? fractuur?\n\nConclusie\nGeen kanaalstenose.\n",
     "myelumcompressie? fractuur?", [("spinal_canal_stenosis", True, False)]),
    ("nl", "Klinische vraag : spondylodiscitis\nBevindingen: discushernia L4-L5 links.\n",
     "spondylodiscitis", [("disc_herniation", False, False)]),
])
def test_question_section_is_not_a_finding(lang, text, question, kept):
    report = nlp.analyse(text, lang=lang)
    assert report.question == question
    assert _states(report) == kept


def test_question_is_in_the_json_after_the_interface_fields():
    data = nlp.analyse("Vraagstelling: HNP?\n\nVerslag:\nGeen hernia.\n", lang="nl").to_dict()
    assert list(data)[:4] == ["source", "language", "findings", "question"]
    assert data["question"] == "HNP?"
    assert nlp.analyse("Findings:\nMild disc bulge at L4-L5.\n", lang="en").to_dict()["question"] is None


# --- history sections: facts stay findings, the question in them does not ----------------

@pytest.mark.parametrize("lang,text,question,kept", [
    ("en", "CLINICAL HISTORY: Status post L4-L5 fusion. Back pain.\n\nFINDINGS:\nMild canal stenosis at L3-L4.\n",
     None, [("postoperative_change", False, True), ("spinal_canal_stenosis", False, False)]),
    ("en", "Indication: Back pain, weak legs. ?cord compression\n\nFindings: No canal stenosis.\n",
     "?cord compression", [("spinal_canal_stenosis", True, False)]),
    ("en", "Reason for exam: leg pain, r/o cauda equina compression\nFindings:\nDisc protrusion at L5-S1.\n",
     "r/o cauda equina compression", [("disc_protrusion", False, False)]),
    ("en", "History: L1 wedge fracture on CT. Query cord compression.\nImpression: L1 fracture.\n",
     "Query cord compression.", [("vertebral_fracture", False, False), ("vertebral_fracture", False, False)]),
    ("nl", "Klinische gegevens: Man, 60 jaar. Status na spondylodese L4-L5. Verdenking caudasyndroom.\n"
           "Verslag:\nDiscushernia L5-S1 rechts.\n",
     "Verdenking caudasyndroom.", [("postoperative_change", False, True), ("disc_herniation", False, False)]),
    ("nl", "Indicatie: bekend met een wervelfractuur Th12, nu meer pijn; dd nieuwe fractuur\n\nVerslag:\nGeen hernia.\n",
     "dd nieuwe fractuur", [("vertebral_fracture", False, True), ("disc_herniation", True, False)]),
    ("en", "Clinical details / history: L3 fracture last year, back pain ?cord compression\nFindings: No stenosis.\n",
     "back pain ?cord compression", [("vertebral_fracture", False, False), ("spinal_canal_stenosis", True, False)]),
    ("nl", "Klinische gegevens/vraagstelling: rugpijn, HNP L4-L5?\nVerslag: geen kanaalstenose.\n",
     "HNP L4-L5?", [("spinal_canal_stenosis", True, False)]),
    ("nl", "Anamnese: evaluatie na spondylodese L4-L5; verdenking discitis\n\nVerslag: geen hernia.\n",
     "verdenking discitis", [("postoperative_change", False, False), ("disc_herniation", True, False)]),
])
def test_history_keeps_facts_and_gives_up_its_question(lang, text, question, kept):
    report = nlp.analyse(text, lang=lang)
    assert report.question == question
    assert _states(report) == kept


@pytest.mark.parametrize("lang,text", [
    ("en", "Indication: ? spinal stenosis\n\nThere is a disc herniation at L4-L5. Suspected L1 fracture.\n"),
    ("nl", "Klinische gegevens: rugpijn, HNP?\n\nEr is een discushernia L4-L5. Verdenking fractuur L1.\n"),
])
def test_a_blank_line_ends_the_referral(lang, text):
    """The report often goes on without a title: a question cue there is the report's own."""
    report = nlp.analyse(text, lang=lang)
    assert [f.concept for f in report.findings] == ["disc_herniation", "vertebral_fracture"]
    assert report.findings[1].uncertain


@pytest.mark.parametrize("lang,text,question,kept", [
    ("nl", "De huisarts stuurt haar in met als vraag 'myelumcompressie?'. Er is een kanaalstenose C5-C6.",
     "'myelumcompressie?'", [("spinal_canal_stenosis", False, False)]),
    ("en", "He was referred with the question: cauda equina compression? There is a disc extrusion at L4-L5.",
     "cauda equina compression?", [("disc_extrusion", False, False)]),
    ("en", "There is question of a fracture line at T8.", None, [("vertebral_fracture", False, False)]),
])
def test_question_quoted_in_running_text(lang, text, question, kept):
    report = nlp.analyse(text, lang=lang)
    assert report.question == question
    assert _states(report) == kept


def test_question_cues_must_be_a_list_of_words(monkeypatch):
    monkeypatch.setattr(sections, "load_json", lambda *parts: {"question_cues": "?"})
    with pytest.raises(LexiconError, match=r"lexicons/en/sections\.json: 'question_cues'"):
        sections._word_regex.__wrapped__("en", "question_cues")


# --- headings as real reports write them ------------------------------------------------

@pytest.mark.parametrize("lang,heading,section", [
    ("en", "HISTORY", "history"), ("en", "History :", "history"), ("en", "INDICATION:", "history"),
    ("en", "Indication", "history"), ("en", "Clinical details", "history"), ("en", "Technique", "technique"),
    ("en", "COMPARISON", "comparison"), ("en", "Priors:", "comparison"), ("en", "Findings", "findings"),
    ("en", "FINDINGS :", "findings"), ("en", "MRI findings:", "findings"), ("en", "Impression", "conclusion"),
    ("en", "CONCLUSION", "conclusion"), ("en", "Summary", "conclusion"),
    ("nl", "Klinische gegevens", "history"), ("nl", "ANAMNESE", "history"), ("nl", "Indicatie", "history"),
    ("nl", "Onderzoek", "technique"), ("nl", "Verslag", "findings"), ("nl", "BEVINDINGEN:", "findings"),
    ("nl", "Beoordeling", "conclusion"), ("nl", "Conclusie :", "conclusion"), ("nl", "CONCLUSIE", "conclusion"),
])
def test_heading_variants(lang, heading, section):
    finding = {"en": "Mild disc bulge at L4-L5.", "nl": "Lichte bulging L4-L5."}[lang]
    (found,) = nlp.analyse(f"{heading}\n{finding}\n", lang=lang).findings
    assert found.section == section


# --- both engines find the same question -----------------------------------------------

ENGINE_TEXTS = {
    "en": ["Clinical question: rule out fracture\n\nFindings:\nNo fracture. Mild bulge at L4-L5.\n",
           "Indication: known myeloma. ?cord compression\n\nThere is a T8 fracture.\n"],
    "nl": ["Klinische gegevens: status na laminectomie L4-L5. Verdenking hernia.\nVraagstelling\n"
           "kanaalstenose?\n\nConclusie\nGeen kanaalstenose.\n"],
}


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_engines_agree_on_the_question(lang):
    fast, medspacy = nlp.load(lang), build(lang, engine="medspacy")
    for text in ENGINE_TEXTS[lang]:
        a, b = Report.from_doc(fast(text)), Report.from_doc(medspacy(text))
        assert a.question and a.question == b.question
        assert [f.to_dict() for f in a.findings] == [f.to_dict() for f in b.findings]
