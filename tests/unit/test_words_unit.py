"""nlp/pipeline/words.py: a Doc's words read once into lists that say what the Doc says."""
import pytest

from nlp.pipeline.tokenizer import blank
from nlp.pipeline.words import KEY, Words, forget_words, words_of


@pytest.fixture(scope="module", params=["en", "nl"])
def make(request):
    return blank(request.param).make_doc


TEXT = "Disc bulge at L4-L5.\nNo stenosis,  twee mm.\n\nEnd"


def test_the_lists_say_what_the_doc_says(make):
    doc = make(TEXT)
    words = Words(doc)
    assert len(words) == len(doc)
    assert list(words.texts) == [t.text for t in doc]
    assert list(words.lowers) == [t.lower_ for t in doc]
    assert words.orths == [t.orth for t in doc]
    assert words.idx[:-1] == [t.idx for t in doc] and words.idx[-1] == len(doc.text)
    assert words.spaces == [1 if t.whitespace_ else 0 for t in doc]
    assert list(words.is_space) == [t.is_space for t in doc]
    assert list(words.is_punct) == [t.is_punct for t in doc]
    assert list(words.like_num) == [t.like_num for t in doc]
    assert words.text == doc.text
    assert [words.end_char(i) for i in range(len(doc))] == [t.idx + len(t.text) for t in doc]


def test_line_breaks_and_same_line(make):
    doc = make(TEXT)
    words = Words(doc)
    assert [doc[i].text for i in words.line_breaks] == [t.text for t in doc if "\n" in t.text]
    first, second = 0, next(t.i for t in doc if t.text == "No")
    assert words.same_line(first, first + 3)
    assert not words.same_line(first, second)
    assert words.same_line(second, second)  # an empty stretch has no line break


def test_an_empty_doc(make):
    words = Words(make(""))
    assert len(words) == 0 and words.text == "" and words.idx == [0] and words.sentences() == []


def test_words_of_is_kept_with_the_doc_until_forgotten(make):
    doc = make(TEXT)
    words = words_of(doc)
    assert words_of(doc) is words and doc.user_data[KEY] is words
    forget_words(doc)
    assert KEY not in doc.user_data
    assert words_of(doc) is not words


def test_words_of_reads_the_sentences_a_doc_has(make):
    doc = make("One two. Three four five. Six")
    for token in doc:
        token.is_sent_start = token.i in (0, 3, 7)
    words = words_of(doc, sentences=True)
    assert words.sent_starts == [0, 3, 7]
    assert words.sentences() == [(0, 3), (3, 7), (7, 8)]
    assert words.sentence(4) == (3, 7) and words.sentence(7) == (7, 8)


def test_without_sentence_starts_the_doc_is_one_sentence(make):
    words = Words(make("One two. Three"))
    assert words.sentences() == [(0, len(words))]
    assert words.sentence(2) == (0, len(words))
