"""The public entry points: ``analyse`` a report, check ``context`` on any sentence."""
from __future__ import annotations

from typing import Dict, Optional

from spacy.tokens import Span

from nlp.inputs.language import detect_language
from nlp.pipeline.layout import original_of
from nlp.lexicon import check_language
from nlp.limits import MAX_CHARS, valid_age
from nlp.pipeline import load
from nlp.report import Report



class InputError(ValueError):
    """The input cannot be analysed (for example an empty text or an impossible age)."""


def _check_age(age: Optional[int]) -> Optional[int]:
    try:
        return valid_age(age)
    except ValueError as e:
        raise InputError(str(e)) from e


def _check_language(lang: object) -> str:
    """``lang`` if the analyser reads it, else an InputError naming the choices."""
    try:
        return check_language(lang)
    except ValueError as e:
        raise InputError(str(e)) from e


def analyse(
    text: str, lang: Optional[str] = None, age: Optional[int] = None, *, source: Optional[str] = None
) -> Report:
    """Analyse one spine MRI report.

    Args:
        text (str): The report text, exactly as read; offsets in the result refer to it.
        lang (Optional[str]): "nl", "en", or None (or "auto") to detect the language.
        age (Optional[int]): The patient's age, to pick the prevalence for that age.
        source (Optional[str]): Where the text came from (a file name), echoed in the JSON.

    Returns:
        Report: the language and the findings.

    An empty or blank text gives a report without findings.

    Raises:
        InputError: for a text that is not a string, is longer than ``MAX_CHARS``, an
            age out of range, or a language other than "nl", "en" or "auto".
    """
    if not isinstance(text, str):
        raise InputError(f"The report must be text (str), not {type(text).__name__}.")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as e:
        raise InputError(
            "The text holds characters that are not valid Unicode (a lone surrogate at "
            f"position {e.start}); read the file as UTF-8 and try again."
        ) from e
    if len(text) > MAX_CHARS:
        raise InputError(
            f"The text is {len(text):,} characters long; the limit is {MAX_CHARS:,}. "
            "Analyse one report at a time."
        )
    age = _check_age(age)
    lang = detect_language(text) if lang in (None, "auto") else _check_language(lang)
    doc = load(lang)(text)
    return Report.from_doc(doc, source=source, age=age)


def context(sentence: str, target: str, lang: str = "en") -> Dict[str, bool]:
    """ConText qualifiers of the first occurrence of ``target`` in ``sentence``.

    Uses the analyser's own tokenizer, sentence splitter and context rules, whatever the
    target is (also a term outside the finding catalogue).

    Returns:
        Dict[str, bool]: ``{"negated": ..., "uncertain": ..., "historical": ...}``.

    Raises:
        InputError: when ``target`` is blank or does not occur in ``sentence``, or for a
            language the analyser does not read.
    """
    nlp = load(_check_language(lang))
    if not isinstance(target, str) or not target.strip():
        raise InputError("The target is empty: give the words to check, for example 'fracture'.")
    start = sentence.lower().find(target.lower())
    if start < 0:
        raise InputError(f"The target {target!r} does not occur in the sentence.")
    doc = nlp.make_doc(sentence)
    doc = nlp.get_pipe("spine_sentences")(doc)
    end = start + len(target)
    _, offsets = original_of(doc)  # the Doc holds the reading text (nlp/pipeline/layout.py)
    if offsets is not None:
        start, end = offsets.to_reading(start), offsets.to_reading(end - 1) + 1
    span = doc.char_span(start, max(end, start + 1), label="TARGET", alignment_mode="expand")
    doc.ents = [Span(doc, span.start, span.end, label="TARGET")]
    context_pipe = "spine_context" if "spine_context" in nlp.pipe_names else "medspacy_context"
    doc = nlp.get_pipe(context_pipe)(doc)
    ent = doc.ents[0]
    return {
        "negated": bool(ent._.negated),
        "uncertain": bool(ent._.uncertain) and not ent._.negated,
        "historical": bool(ent._.historical),
    }
