"""Tell a Dutch from an English report by counting marker words.

Each language has a list of frequent function words and radiology words in
``lexicons/language.yaml``; the language with more marker tokens wins, English on a tie or
without evidence. Latin and shared terms (hernia nuclei pulposi, ligamentum flavum, L4-L5)
are in neither list, so "Hernia nuclei pulposi L5-S1 rechts" is Dutch because of "rechts".

``language_scores`` gives the share of marker tokens per language; both near 0 means the
text is in neither language (e.g. German) or has no words to go on.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from nlp.lexicon import LANGUAGES, LexiconError, load_yaml

DEFAULT_LANGUAGE = "en"

_WORD_RE = re.compile(r"\w+")
_LEXICON = "language.yaml"


def detect_language(text: str) -> str:
    """The language of a report: ``"nl"`` or ``"en"``.

    Args:
        text: The report text, of any length.

    Returns:
        ``"nl"`` if it has more Dutch than English marker words, else ``"en"`` (also for a
        text without any marker words).
    """
    counts, _ = _marker_counts(text)
    return "nl" if counts["nl"] > counts["en"] else DEFAULT_LANGUAGE


def language_scores(text: str) -> dict[str, float]:
    """The share of word tokens that are marker words of each language.

    Args:
        text: The report text.

    Returns:
        ``{"en": share, "nl": share}``, each between 0 and 1; both 0 for a text without
        words.
    """
    counts, total = _marker_counts(text)
    return {lang: counts[lang] / total if total else 0.0 for lang in LANGUAGES}


def unsupported_language(text: str) -> str | None:
    """``"de"`` or ``"fr"`` when the text reads as German or French rather than Dutch or
    English (more of that language's function words), else None."""
    tokens = Counter(_WORD_RE.findall(text.lower()))
    ours = max(_count(tokens, words) for words in marker_words().values())
    others = {lang: _count(tokens, words) for lang, words in other_language_words().items()}
    lang, count = max(others.items(), key=lambda item: item[1], default=(None, 0))
    return lang if count > ours else None


def _count(tokens: Counter, words: frozenset[str]) -> int:
    return sum(count for word, count in tokens.items() if word in words)


@lru_cache(maxsize=None)
def other_language_words() -> dict[str, frozenset[str]]:
    """Function words of the languages the analyser does not read (``other`` in the lexicon)."""
    where = f"lexicons/{_LEXICON}"
    other = load_yaml(_LEXICON).get("other", {})
    return {lang: _word_set(words, f"{where} 'other.{lang}'") for lang, words in other.items()}


def _marker_counts(text: str) -> tuple[dict[str, int], int]:
    """Number of word tokens of ``text`` in each language's marker list, and of all."""
    tokens = Counter(_WORD_RE.findall(text.lower()))
    markers = marker_words()
    counts = {
        lang: sum(count for word, count in tokens.items() if word in markers[lang])
        for lang in LANGUAGES
    }
    return counts, sum(tokens.values())


@lru_cache(maxsize=None)
def marker_words() -> dict[str, frozenset[str]]:
    """The marker words of each language from ``lexicons/language.yaml``, validated.

    Returns:
        ``{"en": words, "nl": words}``.

    Raises:
        LexiconError: If a language is missing, a word is not one lower-case word, a word
            is in both lists or a `neutral` word is in either.
    """
    where = f"lexicons/{_LEXICON}"
    data = load_yaml(_LEXICON)
    if not isinstance(data, dict):
        raise LexiconError(f"{where}: expected a mapping with keys {', '.join(LANGUAGES)}.")
    words = {lang: _word_set(data.get(lang), f"{where} '{lang}'") for lang in LANGUAGES}
    neutral = _word_set(data.get("neutral", []), f"{where} 'neutral'", allow_empty=True)
    shared = words["en"] & words["nl"]
    if shared:
        raise LexiconError(f"{where}: {sorted(shared)[0]!r} is in both 'en' and 'nl'.")
    for lang in LANGUAGES:
        leaked = words[lang] & neutral
        if leaked:
            raise LexiconError(
                f"{where}: {sorted(leaked)[0]!r} is listed as neutral but also under '{lang}'."
            )
    return words


def _word_set(entries: object, where: str, *, allow_empty: bool = False) -> frozenset[str]:
    if not isinstance(entries, list) or not (entries or allow_empty):
        raise LexiconError(f"{where}: expected a non-empty list of words.")
    for i, word in enumerate(entries):
        if not isinstance(word, str) or _WORD_RE.fullmatch(word) is None or word != word.lower():
            raise LexiconError(f"{where} #{i}: {word!r} is not one lower-case word.")
    return frozenset(entries)
