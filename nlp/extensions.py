"""The ``Doc``/``Span`` extension attributes the analyser sets, registered once.

Span extensions are named like the JSON fields of ``interface.md``.
"""
from spacy.tokens import Doc, Span

from .lexicons import category_of

SPAN_DEFAULTS = {
    "negated": False,
    "uncertain": False,
    "historical": False,
    "hypothetical": False,
    "levels": None,   # list of normalised levels; None until spine_attributes ran
    "side": None,
    "severity": None,
    "section": None,
}


def register_extensions() -> None:
    """Register every extension; safe to call more than once."""
    for name, default in SPAN_DEFAULTS.items():
        if not Span.has_extension(name):
            Span.set_extension(name, default=default)
    if not Span.has_extension("concept"):
        Span.set_extension("concept", getter=lambda span: span.label_)
    if not Span.has_extension("category"):
        Span.set_extension("category", getter=lambda span: category_of(span.label_))
    if not Doc.has_extension("level_mentions"):
        Doc.set_extension("level_mentions", default=None)
    if not Doc.has_extension("section_starts"):
        Doc.set_extension("section_starts", default=None)


register_extensions()
