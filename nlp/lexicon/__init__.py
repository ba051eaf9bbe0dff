"""Lexicon loading and validation.

All clinical knowledge lives as data under ``lexicons/``: per-language finding terms,
context rules and section titles (medspaCy's JSON rule formats), and language-neutral
YAML files keyed by concept id. Everything is validated on load against the concept
catalogue, with errors that name the file and the entry.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, FrozenSet, Iterable, List, Mapping, Sequence

import yaml

# One place for the resource path, resolved from the package, never the working directory.
# In the repository: lexicons/ beside the package; installed (pyproject.toml): package data.
_PACKAGE = Path(__file__).resolve().parents[1]
_INSTALLED = _PACKAGE / "_data" / "lexicons"
LEXICON_DIR = _INSTALLED if _INSTALLED.is_dir() else _PACKAGE.parent / "lexicons"
LANGUAGES = ("en", "nl")

# TargetRule keys both engines honour. Not "attributes" (span values medspaCy's TargetMatcher
# sets on a match; the fast engine does not): a rule with it is refused (issue 10).
_TARGET_KEYS = {"literal", "category", "pattern", "metadata"}
# ConTextRule keys both engines honour. Not "on_modifies": a Python callback, which JSON
# cannot hold and the fast engine does not run, so a rule with it is refused (issue 10).
_CONTEXT_KEYS = {
    "literal", "category", "pattern", "direction", "max_scope", "max_targets",
    "allowed_types", "excluded_types", "terminated_by", "metadata",
}
_CONTEXT_DIRECTIONS = {"FORWARD", "BACKWARD", "BIDIRECTIONAL", "TERMINATE", "PSEUDO"}
CONTEXT_CATEGORIES = {
    "NEGATED_EXISTENCE", "POSSIBLE_EXISTENCE", "HISTORICAL", "HYPOTHETICAL", "FAMILY",
    "PSEUDO", "TERMINATE",
    # A cue that a finding is present now ("new", "nu"); it ends history cues' scope only
    # (the history rules list it in "terminated_by").
    "CURRENT",
    # A phrase that says what the finding before it is (", consistent with", ", passend bij");
    # it ends negation cues' scope only (``terminated_by`` of context.json).
    "AFFIRMED",
}
# SectionRule keys both engines honour. Not "parents" / "parent_required" (sub-sections in
# medspaCy's Sectionizer; the fast engine has none): a rule with them is refused (issue 10).
_SECTION_KEYS = {"literal", "category", "pattern", "metadata"}


class LexiconError(ValueError):
    """A lexicon file is missing, unreadable or holds an invalid entry."""


def lexicon_path(*parts: str) -> Path:
    """Path of a file under ``lexicons/`` (``lexicon_path("en", "findings.json")``)."""
    return LEXICON_DIR.joinpath(*parts)


def check_language(lang: str) -> str:
    """Return ``lang`` if supported, else raise a ValueError naming the choices."""
    if lang not in LANGUAGES:
        raise ValueError(f"Unsupported language {lang!r}: choose one of {', '.join(LANGUAGES)}.")
    return lang


@lru_cache(maxsize=None)
def load_yaml(name: str) -> Any:
    """Load a language-neutral YAML lexicon such as ``"explanations.yaml"``."""
    path = lexicon_path(name)
    try:
        with path.open(encoding="utf-8") as f:
            return yaml.safe_load(f)
    except (OSError, yaml.YAMLError) as e:
        raise LexiconError(f"{_rel(path)}: cannot be read as YAML ({e}).") from e


def load_json(*parts: str) -> Any:
    """Load a JSON lexicon such as ``("en", "context.json")``."""
    path = lexicon_path(*parts)
    try:
        with path.open(encoding="utf-8") as f:
            return json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        raise LexiconError(f"{_rel(path)}: cannot be read as JSON ({e}).") from e


def _rel(path: Path) -> str:
    try:
        return str(path.relative_to(LEXICON_DIR.parent))
    except ValueError:
        return str(path)


@lru_cache(maxsize=None)
def concepts() -> Dict[str, Dict[str, Any]]:
    """The finding catalogue: ``{concept_id: {"category": ...}}``."""
    return dict(load_yaml("concepts.yaml")["concepts"])


@lru_cache(maxsize=None)
def disc_concepts() -> FrozenSet[str]:
    """The concepts found at a disc level ("L4-L5") rather than at a vertebra ("levels": "disc",
    or "disc_or_vertebrae")."""
    return frozenset(
        c for c, entry in concepts().items() if entry.get("levels", "disc") in ("disc", "disc_or_vertebrae")
    )


@lru_cache(maxsize=None)
def paired_concepts() -> FrozenSet[str]:
    """The disc concepts that read two neighbouring vertebrae named apart ("L4 and L5") as the
    disc between them; a "disc_or_vertebrae" concept keeps them ("osteomyelitis of C5 and C6")."""
    return frozenset(c for c, entry in concepts().items() if entry.get("levels", "disc") == "disc")


@lru_cache(maxsize=None)
def level_free_concepts() -> FrozenSet[str]:
    """The concepts of the whole spine, never at a level ("levels": "none"; scoliosis)."""
    return frozenset(c for c, entry in concepts().items() if entry.get("levels") == "none")


def category_of(concept: str) -> str:
    """Category (common, context, attention, variant, postop) of a concept id."""
    return concepts()[concept]["category"]


def _check_entries(
    entries: Iterable[Mapping[str, Any]], allowed: set, where: str
) -> List[Mapping[str, Any]]:
    checked = []
    for i, entry in enumerate(entries):
        unknown = set(entry) - allowed
        if unknown:
            raise LexiconError(
                f"{where} #{i}: unknown key {sorted(unknown)[0]!r} "
                f"(allowed: {', '.join(sorted(allowed))})."
            )
        if not entry.get("literal") or not entry.get("category"):
            raise LexiconError(f"{where} #{i}: every rule needs a 'literal' and a 'category'.")
        pattern = entry.get("pattern")
        # medspaCy also takes a regular expression over the text; the fast engine matches
        # tokens only, so both engines read the same rules only as token patterns.
        if pattern is not None and not (
            isinstance(pattern, list) and pattern and all(isinstance(spec, dict) for spec in pattern)
        ):
            raise LexiconError(
                f"{where} #{i}: 'pattern' must be a list of token specs such as "
                f"[{{\"LOWER\": \"disc\"}}] (not a regular expression)."
            )
        checked.append(entry)
    return checked


def target_rules(lang: str) -> List[Dict[str, Any]]:
    """Finding rules (medspaCy TargetRule JSON) of a language, validated.

    Raises:
        LexiconError: for an unknown key, an unknown concept id or a duplicate rule.
    """
    where = f"lexicons/{check_language(lang)}/findings.json"
    entries = _check_entries(load_json(lang, "findings.json")["target_rules"], _TARGET_KEYS, where)
    known = concepts()
    seen = set()
    for i, entry in enumerate(entries):
        if entry["category"] not in known:
            raise LexiconError(
                f"{where} #{i}: unknown concept {entry['category']!r} "
                f"(see lexicons/concepts.yaml)."
            )
        key = (entry["category"], entry["literal"].lower(), json.dumps(entry.get("pattern")))
        if key in seen:
            raise LexiconError(f"{where} #{i}: duplicate rule {entry['literal']!r}.")
        seen.add(key)
    return [dict(e) for e in entries]


def context_rules(lang: str) -> List[Dict[str, Any]]:
    """ConText rules (medspaCy ConTextRule JSON) of a language, validated."""
    where = f"lexicons/{check_language(lang)}/context.json"
    data = load_json(lang, "context.json")
    entries = _check_entries(data["context_rules"], _CONTEXT_KEYS, where)
    # Categories that end every cue of a category ("terminated_by": {"NEGATED_EXISTENCE": ["AFFIRMED"]}).
    ended_by = data.get("terminated_by", {})
    for i, entry in enumerate(entries):
        if entry["category"] not in CONTEXT_CATEGORIES:
            raise LexiconError(
                f"{where} #{i}: unknown category {entry['category']!r} "
                f"(allowed: {', '.join(sorted(CONTEXT_CATEGORIES))})."
            )
        direction = entry.get("direction", "BIDIRECTIONAL")
        if direction not in _CONTEXT_DIRECTIONS:
            raise LexiconError(
                f"{where} #{i}: unknown direction {direction!r} "
                f"(allowed: {', '.join(sorted(_CONTEXT_DIRECTIONS))})."
            )
    return [_with_terminators(e, ended_by.get(e["category"], ())) for e in entries]


def _with_terminators(entry: Mapping[str, Any], categories: Sequence[str]) -> Dict[str, Any]:
    rule = dict(entry)
    if categories:
        rule["terminated_by"] = sorted({*rule.get("terminated_by", ()), *categories})
    return rule


def backward_scope(lang: str) -> Dict[str, FrozenSet[str]]:
    """How far a cue that looks back reaches: the clause breaks it does not cross, the
    list words that make a break part of a list and the words that open a relative clause
    between two breaks, which it reaches over (``backward_scope`` in context.json)."""
    where = f"lexicons/{check_language(lang)}/context.json"
    scope = load_json(lang, "context.json").get("backward_scope")
    if not isinstance(scope, Mapping) or not all(
        isinstance(scope.get(key), list) and all(isinstance(w, str) for w in scope[key])
        for key in ("breaks", "list_words")
    ):
        raise LexiconError(f"{where}: 'backward_scope' needs lists of words 'breaks' and 'list_words'.")
    optional = ("relative_words", "resuming_verbs", "subject_openers")
    for key in optional:
        words = scope.get(key, [])
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            raise LexiconError(f"{where}: 'backward_scope' '{key}' needs a list of words.")
    return {key: frozenset(w.lower() for w in scope.get(key, [])) for key in ("breaks", "list_words", *optional)}


def section_rules(lang: str) -> List[Dict[str, Any]]:
    """Section title rules (medspaCy SectionRule JSON) of a language, validated."""
    where = f"lexicons/{check_language(lang)}/sections.json"
    return [
        dict(e)
        for e in _check_entries(
            load_json(lang, "sections.json")["section_rules"], _SECTION_KEYS, where
        )
    ]


# Word lists of lexicons/<lang>/attributes.json besides the side and severity cues.
_ATTRIBUTE_WORD_LISTS = (
    "link_words", "clause_breaks", "topic_openers", "negation_words", "negation_breaks",
    "whole_spine_words", "spread_words", "distributive_words", "list_words", "superlative_words",
    "relation_words", "continuation_words", "coordination_words",
)
# lexicons/<lang>/levels.json: word lists, and mappings of a region letter to phrases.
_LEVEL_WORD_LISTS = (
    "list_words", "range_words", "pair_words", "sequence_names", "sequence_words",
    "sequence_before", "sequence_prefixes", "sequence_joins", "number_units", "root_words", "root_suffixes",
    "heading_prefixes", "heading_words", "ordinal_nouns", "all_words", "all_nouns",
    "typed_one_pair_words", "root_before_words", "place_before_words",
)
_LEVEL_MAPPINGS = ("vertebra_names", "ordinal_regions", "region_words", "region_discs")
SPINE_REGIONS = ("cervical", "thoracic", "lumbar", "sacral")
_REGION_LETTERS = ("C", "T", "L", "S")


def _check_word_list(data: Mapping[str, Any], field: str, where: str) -> None:
    words = data.get(field)
    if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
        raise LexiconError(f"{where}: '{field}' must be a list of words.")
    if any(w != w.lower() for w in words):
        raise LexiconError(f"{where}: '{field}' must be lower-case (words are compared lower-cased).")


@lru_cache(maxsize=None)
def attribute_cues(lang: str) -> Dict[str, Any]:
    """Side and severity cues and the words that link a finding to its level
    (``lexicons/<lang>/attributes.json``), validated."""
    where = f"lexicons/{check_language(lang)}/attributes.json"
    data = load_json(lang, "attributes.json")
    for field in ("side", "severity"):
        if field not in data:
            raise LexiconError(f"{where}: missing '{field}'.")
    for field in _ATTRIBUTE_WORD_LISTS:
        _check_word_list(data, field, where)
    return data


def _check_disc_span(span: Any, where: str) -> None:
    from nlp.pipeline.level_notation import parse_level

    if not isinstance(span, list) or len(span) != 2 or not all(
        isinstance(level, str) and parse_level(level) == [level] and "-" in level for level in span
    ):
        raise LexiconError(f"{where}: must be the first and last disc level, e.g. [\"L1-L2\", \"L5-S1\"].")


@lru_cache(maxsize=None)
def level_words(lang: str) -> Dict[str, Any]:
    """The words around level notation (``lexicons/<lang>/levels.json``), validated.

    Raises:
        LexiconError: for a missing or unknown key, a list that is not of lower-case words,
            an unknown region letter or region name, or an ordinal that is not a number.
    """
    where = f"lexicons/{check_language(lang)}/levels.json"
    data = load_json(lang, "levels.json")
    allowed = {"_comment", "ordinals", "spoken_numbers", *_LEVEL_WORD_LISTS, *_LEVEL_MAPPINGS}
    unknown = set(data) - allowed
    if unknown:
        raise LexiconError(
            f"{where}: unknown key {sorted(unknown)[0]!r} (allowed: {', '.join(sorted(allowed))})."
        )
    for field in _LEVEL_WORD_LISTS:
        _check_word_list(data, field, where)
    for field in _LEVEL_MAPPINGS:
        keys = SPINE_REGIONS if field == "region_words" else _REGION_LETTERS
        mapping = data.get(field)
        if not isinstance(mapping, dict) or set(mapping) - set(keys):
            raise LexiconError(f"{where}: '{field}' must map {', '.join(keys)} to lists of words.")
        for key in mapping:
            if field == "region_discs":
                _check_disc_span(mapping[key], f"{where} 'region_discs' {key!r}")
            else:
                _check_word_list(mapping, key, f"{where} '{field}'")
    for field in ("ordinals", "spoken_numbers"):
        numbers = data.get(field)
        if not isinstance(numbers, dict) or not all(isinstance(n, int) and n > 0 for n in numbers.values()):
            raise LexiconError(f"{where}: '{field}' must map words to numbers.")
    return data


@lru_cache(maxsize=None)
def coordination(lang: str) -> Dict[str, Any]:
    """The finding filter's words (``lexicons/<lang>/coordination.json``), validated:
    coordinated head nouns, trailing words trimmed off a finding, clause breaks, and the
    optional words that place a finding outside the spine."""
    where = f"lexicons/{check_language(lang)}/coordination.json"
    data = load_json(lang, "coordination.json")
    known = concepts()
    outside = data.get("outside_spine", {})
    named = data["heads"] + [e["concept"] for e in data["elided"]] + outside.get("concepts", [])
    named += outside.get("report_concepts", [])
    for concept, words in data.get("named_by_structure", {}).get("concepts", {}).items():
        named += [concept, *words.values()]
    for concept in named:
        if concept not in known:
            raise LexiconError(f"{where}: unknown concept {concept!r}.")
    for field, kind in (("trailing", list), ("clause_breaks", list), ("level_pattern", str)):
        if not isinstance(data.get(field), kind):
            raise LexiconError(f"{where}: missing '{field}' ({kind.__name__}).")
    return data


def make_context_rule(entry: Dict[str, Any]):
    """A medspaCy ``ConTextRule`` from a validated lexicon entry.

    ``terminated_by`` is a ConTextRule argument that medspaCy's own JSON reader does not
    accept; the lexicons use it (history cues end at "new"/"nu"), so it is passed here.
    """
    from medspacy.context import ConTextRule

    return ConTextRule(**entry)
