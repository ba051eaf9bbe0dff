"""Tokenizer rules for report layout and level notation.

Blank spaCy tokenizers split "L4-L5" (English) and keep "S1-wortel" whole (Dutch); both hide
the level from the analyser, and a split "-" reads as a negation cue to some rule sets.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.util import compile_infix_regex

from ..levels import TOKEN_MATCH_RE

EXTRA_INFIXES = (
    # Dictation without a space after the full stop: "stenosis.There", "L4-L5.Geen".
    r"(?<=[A-Za-z0-9])\.(?=[A-Z][a-z])",
    r"(?<=\d)\.(?=(?:C|T|Th|D|L|S)\d)",
    # A level glued to a Dutch word: "S1-wortel", "L4-L5-niveau".
    r"(?<=[CTLSDh]\d)-(?=[a-z]{3,})",
    r"(?<=[CTLSDh]\d\d)-(?=[a-z]{3,})",
)


def customize_tokenizer(nlp: Language) -> Language:
    """Keep level notation whole and split dictation glued at full stops.

    Args:
        nlp (Language): A blank ``nl`` or ``en`` pipeline.

    RETURNS (Language): The same pipeline, its tokenizer changed in place.
    """
    tokenizer = nlp.tokenizer
    default_match = tokenizer.token_match

    def token_match(text: str):
        return TOKEN_MATCH_RE.match(text) or (default_match(text) if default_match else None)

    tokenizer.token_match = token_match
    infixes = list(nlp.Defaults.infixes or ()) + list(EXTRA_INFIXES)
    tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    return nlp
