"""The texts of the complaint flow (issue 13): ``lexicons/complaints.yaml``, ``selfcheck.yaml``
and ``next_steps.yaml``, each text in English and Dutch."""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict

from nlp.lexicon import LANGUAGES, LexiconError, load_yaml


@lru_cache(maxsize=None)
def lexicon(name: str) -> Dict[str, Any]:
    """One of the flow's lexicons (``complaints``, ``selfcheck``, ``next_steps``, ``body``)."""
    return load_yaml(f"{name}.yaml")


def text(key: str, lang: str, *, name: str = "complaints", **fmt: Any) -> str:
    """The text at dotted ``key`` of ``lexicons/<name>.yaml`` in ``lang``, formatted.

    Raises:
        LexiconError: naming the file and key when the text is missing.
    """
    node: Any = lexicon(name)
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            raise LexiconError(f"lexicons/{name}.yaml: no text {key!r}.")
        node = node[part]
    if not isinstance(node, dict) or lang not in node:
        raise LexiconError(f"lexicons/{name}.yaml: {key!r} has no {lang!r} text.")
    return str(node[lang]).format(**fmt) if fmt else str(node[lang])


def missing_texts(name: str) -> list:
    """Keys of ``lexicons/<name>.yaml`` whose texts lack a language (for the tests)."""
    missing: list = []

    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict) and any(lang in node for lang in LANGUAGES):
            missing.extend(f"{path}:{lang}" for lang in LANGUAGES if not node.get(lang))
        elif isinstance(node, dict):
            for key, value in node.items():
                walk(value, f"{path}.{key}" if path else str(key))
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{path}[{i}]")

    walk(lexicon(name), "")
    return missing
