"""The lexicons this package reads, loaded and validated once, and small text helpers.

Every text, word and figure comes from ``lexicons/`` (explanations, prevalence, questions,
urgency, categories, disclaimer); nothing here is a word list.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Mapping

from nlp.lexicon import concepts, load_yaml

FILES = {
    "explanations": "explanations.yaml",
    "prevalence": "prevalence.yaml",
    "questions": "questions.yaml",
    "urgency": "urgency.yaml",
    "categories": "categories.yaml",
    "disclaimer": "disclaimer.yaml",
}
# Top-level keys of explanations.yaml that are shared words, not concepts.
WORDS_KEY = "_words"


@lru_cache(maxsize=None)
def lexicon() -> dict[str, Any]:
    """All data this package uses, loaded and validated once."""
    from nlp.explain.validation import validate  # validation reads data through this module

    data = read_data()
    validate(data)
    return data


def read_data() -> dict[str, Any]:
    """The raw YAML of every file in :data:`FILES`, unvalidated."""
    return {key: load_yaml(name) for key, name in FILES.items()}


# The shared words per language, made once per loaded lexicon: {lang: (source, words)}.
_WORDS: dict[str, tuple[Any, Mapping[str, Any]]] = {}


def words(lang: str) -> Mapping[str, Any]:
    """The shared words of ``explanations.yaml`` (``_words``) in ``lang``: each entry is
    ``{en: ..., nl: ...}`` or a mapping of such entries."""
    source = lexicon()["explanations"][WORDS_KEY]
    cached = _WORDS.get(lang)
    if cached is None or cached[0] is not source:
        cached = _WORDS[lang] = (source, _in_language(source, lang))
    return cached[1]


def _in_language(value: Any, lang: str) -> Any:
    if isinstance(value, dict):
        if set(value) == {"en", "nl"}:
            return value[lang]
        return {k: _in_language(v, lang) for k, v in value.items()}
    return value


def check_concept(concept: str) -> None:
    """Raise ValueError for a concept id that is not in ``lexicons/concepts.yaml``."""
    if concept not in concepts():
        raise ValueError(f"Unknown concept {concept!r} (see lexicons/concepts.yaml).")


def text(value: Any, lang: str) -> str:
    """The ``lang`` text of ``{en, nl}`` (or a plain string), whitespace collapsed."""
    if isinstance(value, Mapping):
        return squash(str(value.get(lang) or ""))
    return squash(str(value or ""))


def squash(value: str) -> str:
    """Collapse the whitespace of folded YAML texts."""
    return " ".join(value.split())


def join(items: list[str], lang: str) -> str:
    """ "a, b and c" / "a, b en c"."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {words(lang)['and']} {items[-1]}"
