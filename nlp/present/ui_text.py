"""The page's own texts in English and Dutch, from ``lexicons/ui.yaml``.

Every label, button, heading, help text and error message of the page lives in the YAML
file, nested by section; look one up by its dotted key::

    from nlp.present.ui_text import t

    t("input.button", "nl")                             # "Leg mijn verslag uit"
    t("errors.too_large", "en", filename="a.pdf", max_mb=5)

The file is validated on first use: every entry needs a non-empty text for each language.
Nothing here imports Streamlit.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Dict, Mapping, Optional

from nlp.lexicon import LANGUAGES, LexiconError, load_yaml

UI_FILE = "ui.yaml"
DEFAULT_LANGUAGE = "en"

# One language range of an Accept-Language header: "nl-NL", "en;q=0.8", "*".
_ACCEPT_RE = re.compile(
    r"^\s*([A-Za-z]{1,8}|\*)(?:-[A-Za-z0-9]{1,8})*\s*(?:;\s*q\s*=\s*([0-9.]+))?\s*$"
)


def t(key: str, lang: str, **fmt: Any) -> str:
    """The text of ``key`` in ``lang``, with ``{placeholders}`` filled from ``fmt``.

    Args:
        key: Dotted key into ``lexicons/ui.yaml``, e.g. ``"errors.no_findings"``.
        lang: ``"en"`` or ``"nl"``; any other value gives English.
        **fmt: Values for the placeholders of the text.

    Returns:
        str: The text.

    Raises:
        KeyError: If ``key`` is not in the file (naming the key and the file).
    """
    lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    entry = texts().get(key)
    if entry is None:
        raise KeyError(f"lexicons/{UI_FILE}: no text {key!r}.")
    text = entry[lang]
    return text.format(**fmt) if fmt else text


def tn(key: str, lang: str, n: int, **fmt: Any) -> str:
    """A count in words: ``key.one`` for 1, else ``key.other`` ("1 bevinding", "2 bevindingen").

    Args:
        key: Dotted key of an entry with ``one`` and ``other`` texts.
        lang: ``"en"`` or ``"nl"``.
        n: The count; also filled in as ``{n}``.
        **fmt: Other placeholder values.
    """
    return t(f"{key}.{'one' if n == 1 else 'other'}", lang, n=n, **fmt)


def severity_label(severity: Optional[str], lang: str) -> str:
    """The page's word for a severity ("severe" / "ernstig"); empty when there is none."""
    if not severity:
        return ""
    key = f"severity.{severity}"
    return t(key, lang) if has_text(key) else str(severity)


def has_text(key: str) -> bool:
    """True when ``key`` is a text of ``lexicons/ui.yaml``."""
    return key in texts()


@lru_cache(maxsize=None)
def texts() -> Dict[str, Dict[str, str]]:
    """All texts of ``lexicons/ui.yaml`` as ``{dotted_key: {"en": ..., "nl": ...}}``.

    Raises:
        LexiconError: If an entry lacks a language or a text is empty or not a string.
    """
    data = load_yaml(UI_FILE)
    if not isinstance(data, Mapping):
        raise LexiconError(f"lexicons/{UI_FILE}: expected a mapping at the top level.")
    flat: Dict[str, Dict[str, str]] = {}
    _flatten(data, "", flat)
    return flat


def _flatten(node: Mapping[str, Any], prefix: str, out: Dict[str, Dict[str, str]]) -> None:
    """Collect the leaf entries (mappings holding the language keys) under dotted keys."""
    for name, value in node.items():
        key = f"{prefix}{name}"
        if not isinstance(value, Mapping):
            raise LexiconError(f"lexicons/{UI_FILE}: {key}: expected a mapping.")
        if set(value) & set(LANGUAGES) and all(not isinstance(v, Mapping) for v in value.values()):
            for lang in LANGUAGES:
                text = value.get(lang)
                if not isinstance(text, str) or not text.strip():
                    raise LexiconError(f"lexicons/{UI_FILE}: {key}: missing the {lang!r} text.")
            out[key] = {lang: value[lang] for lang in LANGUAGES}
        else:
            _flatten(value, f"{key}.", out)


def language_name(code: str, lang: str) -> str:
    """Name of the language ``code`` ("en"/"nl") in the page language ``lang``."""
    return t(f"language.{code}", lang)


def language_from_accept(header: Optional[str]) -> Optional[str]:
    """The page language a browser asks for in its ``Accept-Language`` header.

    Args:
        header: e.g. ``"nl-NL,nl;q=0.9,en-US;q=0.8"``; None or empty when unknown.

    Returns:
        Optional[str]: ``"nl"`` or ``"en"``, whichever of the two has the highest quality
        (the first listed on a tie); None when the header names neither.
    """
    best: Optional[str] = None
    best_q = 0.0
    for part in (header or "").split(","):
        match = _ACCEPT_RE.match(part)
        if match is None:
            continue
        code = match.group(1).lower()
        try:
            quality = float(match.group(2)) if match.group(2) else 1.0
        except ValueError:
            continue
        if code in LANGUAGES and quality > best_q:
            best, best_q = code, quality
    return best


def page_language(
    *, locale: Optional[str] = None, accept_language: Optional[str] = None,
    report_language: Optional[str] = None,
) -> str:
    """The default page language: the browser's locale, else the report's, else English.

    Args:
        locale: A locale such as ``"nl-NL"`` (``st.context.locale`` where available).
        accept_language: The browser's ``Accept-Language`` header, used without a locale.
        report_language: The language of the report shown, if any.

    Returns:
        str: ``"en"`` or ``"nl"``.
    """
    for candidate in (language_from_accept(locale), language_from_accept(accept_language)):
        if candidate:
            return candidate
    if report_language in LANGUAGES:
        return report_language
    return DEFAULT_LANGUAGE


# Characters with a meaning in Streamlit Markdown (CommonMark, GitHub tables, LaTeX with $,
# colour and icon directives with :). Escaped, a report text or a file name shows as typed.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~$:])")


def md_escape(text: object) -> str:
    """Text for ``st.markdown``: every Markdown character backslash-escaped, one line.

    Args:
        text: Any text from a report or a file name.

    Returns:
        str: The text with whitespace collapsed and special characters escaped.
    """
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text or "").split()))


def fixed_text(key: str, lang: str) -> str:
    """A text of ``lexicons/disclaimer.yaml`` ("disclaimer", "privacy" or "message").

    Args:
        key: The entry.
        lang: "en" or "nl"; any other value gives English.

    Returns:
        str: The text with the folded whitespace collapsed.

    Raises:
        LexiconError: If the entry or the language is missing.
    """
    lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    data = load_yaml("disclaimer.yaml")
    entry = data.get(key) if isinstance(data, Mapping) else None
    text = entry.get(lang) if isinstance(entry, Mapping) else None
    if not isinstance(text, str) or not text.strip():
        raise LexiconError(f"lexicons/disclaimer.yaml: {key}: missing the {lang!r} text.")
    return " ".join(text.split())
