"""nlp/pipeline/sections.py: section titles count at the start of a line only, a section runs
to the next title, and the question cues match whole words (both languages)."""
import pytest

from nlp.pipeline import load
from nlp.pipeline.sections import question_cues, question_openers, question_spans


def _titles(doc):
    return [(doc[i].text.lower(), category) for i, category in doc._.section_starts]


@pytest.mark.parametrize(
    "lang,text,titles",
    [
        ("en", "Findings: disc bulge at L4-L5.\nImpression: no stenosis.",
         [("findings", "findings"), ("impression", "conclusion")]),
        ("nl", "Verslag: discusbulging L4-L5.\nConclusie: geen stenose.",
         [("verslag", "findings"), ("conclusie", "conclusion")]),
    ],
)
def test_titles_at_the_start_of_a_line(lang, text, titles):
    assert _titles(load(lang)(text)) == titles


@pytest.mark.parametrize(
    "lang,text",
    [
        ("en", "There are no other findings: disc bulge at L4-L5."),
        ("nl", "Verder geen bijzondere bevindingen: discusbulging L4-L5."),
    ],
)
def test_a_title_word_inside_a_line_is_no_title(lang, text):
    assert load(lang)(text)._.section_starts == []


@pytest.mark.parametrize(
    "lang,text,sections",
    [
        ("en", "Disc bulge at L3-L4.\nFindings:\nDisc bulge at L4-L5.\n\nImpression:\nCanal stenosis at L4-L5.",
         [None, "findings", "conclusion"]),
        ("nl", "Discusbulging L3-L4.\nVerslag:\nDiscusbulging L4-L5.\n\nConclusie:\nKanaalstenose L4-L5.",
         [None, "findings", "conclusion"]),
    ],
)
def test_a_finding_is_in_the_section_of_the_last_title_before_it(lang, text, sections):
    doc = load(lang)(text)
    assert [ent._.section for ent in doc.ents] == sections


@pytest.mark.parametrize(
    "lang,text,found",
    [
        ("en", "r/o fracture", True),
        ("en", "suspected myelopathy", True),
        ("en", "unsuspected myelopathy", False),  # a cue is a whole word
        ("en", "known myeloma", False),
        ("nl", "verdenking caudasyndroom", True),
        ("nl", "bekende fractuur", False),
    ],
)
def test_question_cues_match_whole_words(lang, text, found):
    assert bool(question_cues(lang).search(text)) is found


def test_question_openers_are_per_language():
    assert question_openers("en").search("the question was: hernia?")
    assert not question_openers("en").search("met als vraag: hernia?")
    assert question_openers("nl").search("met als vraag: hernia?")


def test_only_the_question_clauses_of_a_history_paragraph_are_the_question():
    text = "History: status post L4-L5 fusion, ?cord compression\n\nFindings: no cord compression."
    doc = load("en")(text)
    spans = [text[start:end] for start, end in question_spans(doc)]
    assert spans == ["?cord compression"]
