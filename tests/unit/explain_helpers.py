"""Hand-made findings and reports for the tests of nlp/explain/ (no pipeline needed)."""
from __future__ import annotations

from nlp.lexicon import concepts
from nlp.report import Finding, Report


def finding(concept: str, start: int = 0, **qualifiers) -> Finding:
    """A finding of ``concept`` at character ``start``."""
    return Finding(concept=concept, category=concepts()[concept]["category"],
                   text=concept.replace("_", " "), start=start, end=start + len(concept),
                   **qualifiers)


def at(text: str, words: str, concept: str, **qualifiers) -> Finding:
    """A finding of ``concept`` on the first occurrence of ``words`` in ``text``."""
    start = text.index(words)
    return Finding(concept=concept, category=concepts()[concept]["category"], text=words,
                   start=start, end=start + len(words), **qualifiers)


def report(text: str, findings: list[Finding], lang: str = "en", age: int | None = None,
           regions: list[str] | None = None) -> Report:
    return Report(language=lang, findings=findings, text=text, age=age, regions=regions or [])
