"""The ``Doc``/``Span`` extension attributes the analyser sets, registered once.

Span extensions are named like the JSON fields of ``interface.md``.
"""
from typing import Any, Callable, Dict

from spacy.tokens import Doc, Span
from spacy.tokens.underscore import Underscore

from nlp.lexicon import category_of

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
        current = Span.get_extension(name)
        # medspaCy, when imported first, registers its own Span._.section as a getter over
        # its token attributes; ours must hold the analyser's values whatever the import order.
        if current is None or current[2] is not None:
            Span.set_extension(name, default=default, force=True)
    if not Span.has_extension("concept"):
        Span.set_extension("concept", getter=lambda span: span.label_)
    if not Span.has_extension("category"):
        Span.set_extension("category", getter=lambda span: category_of(span.label_))
    if not Doc.has_extension("level_mentions"):
        Doc.set_extension("level_mentions", default=None)
    if not Doc.has_extension("section_starts"):
        Doc.set_extension("section_starts", default=None)
    # Set by the tokenizer when the Doc's text is a reading text (nlp/pipeline/layout.py): the text as
    # read, and the offset map back to it (``OffsetMap.as_lists()``). None: the same text.
    # Set by the finding filter: character spans of the referrer's question (no findings there).
    for name in ("original_text", "offset_map", "question_spans"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


def span_setter(*names: str) -> Callable[..., None]:
    """A function that sets the extension attributes ``names`` of a span at once:
    ``span_setter("levels", "side")(span, ["L4-L5"], "left")`` does ``span._.levels = ["L4-L5"]``
    and ``span._.side = "left"``.

    spaCy keeps a span's extension values in ``doc.user_data`` under
    ``("._.", name, start_char, end_char)`` (``spacy.tokens.underscore.Underscore``); writing
    them there directly skips building an Underscore object and looking each extension up
    for every value, and the names are checked once, here (the components set several values
    on every finding of every report). ``tests/unit/test_extensions.py`` checks that ``span._``
    reads back what is written.
    """
    registered = Underscore.span_extensions
    for name in names:
        if name not in registered or registered[name][2] is not None:  # getter: not a stored value
            raise AttributeError(f"{name!r} is not a stored span extension.")

    def set_values(span: Span, *values: Any) -> None:
        user_data, start, end = span.doc.user_data, span.start_char, span.end_char
        for name, value in zip(names, values):
            user_data[("._.", name, start, end)] = value

    return set_values


def set_span_values(span: Span, values: Dict[str, Any]) -> None:
    """Set several extension attributes of ``span`` at once: ``span._.name = value`` for each
    (see :func:`span_setter`, for names set on many spans)."""
    span_setter(*values)(span, *values.values())


register_extensions()
