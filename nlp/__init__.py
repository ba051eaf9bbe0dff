"""Spine MRI report analyser for Dutch and English.

    import nlp
    pipeline = nlp.load("nl")                 # spaCy Language, built once, reused
    report = nlp.analyse(text, lang=None, age=None)
    report.to_dict()                          # the JSON of interface.md
    nlp.compare(old_text, new_text).to_list() # what changed between two reports
    nlp.match(report, complaints)             # complaints against findings

The names load lazily (PEP 562): ``import nlp`` imports neither spaCy nor medspaCy, so the
command line, the page and batch runs start fast and pay for the pipeline when they first use it.
"""
from importlib import import_module
from typing import Any

# public name -> module that defines it
_EXPORTS = {
    "analyse": "nlp.api",
    "context": "nlp.api",
    "InputError": "nlp.api",
    "build": "nlp.pipeline",
    "load": "nlp.pipeline",
    "Report": "nlp.report",
    "Finding": "nlp.report",
    "compare": "nlp.second_opinion.compare",
    "Comparison": "nlp.second_opinion.compare",
    "match": "nlp.second_opinion.match",
}

__all__ = sorted(_EXPORTS)
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'nlp' has no attribute {name!r}")
    value = getattr(import_module(_EXPORTS[name]), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(list(globals()) + __all__)
