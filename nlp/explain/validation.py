"""Checks of the lexicons this package reads, with errors that name the file and entry."""
from __future__ import annotations

import string
from typing import Any, Mapping

from nlp.explain.data import WORDS_KEY, read_data
from nlp.lexicon import LANGUAGES, LexiconError, concepts

GROUP_KEYS = ("attention", "context", "common", "variant", "postop", "ruled_out")
TIERS = ("today", "days", "depends", "common")
SPINE_REGIONS = ("cervical", "thoracic", "lumbar", "sacral")
AREAS = ("back", "neck")
_EXPLANATION_TEXTS = ("name", "short", "plain", "meaning", "ruled_out")
_FIGURE_KINDS = ("by_age", "by_age_group", "overall", "range")
_FIXED_TEXTS = ("disclaimer", "privacy", "message")
_SOURCE_FIELDS = ("authors", "year", "title", "journal")
# Placeholders a finding's texts may use (region words and the example's place words).
_REGION_WORDS = {"pain", "complaints", "spine", "limb", "limbs", "limb_the"}
_EXAMPLE_WORDS = _REGION_WORDS | {"level", "side", "side_adj", "root", "limb_side"}


def validate_lexicons() -> None:
    """Check the explanation, prevalence, question, urgency, category and disclaimer
    lexicons.

    Raises:
        LexiconError: naming the file and the entry, when a concept has no explanation
            with English and Dutch texts, a figure names an unknown source or concept,
            a tier or placeholder is unknown, or a required text is missing.
    """
    validate(read_data())


def validate(data: Mapping[str, Any]) -> None:
    """Check already loaded lexicon data (see :func:`validate_lexicons`)."""
    _explanations(data["explanations"])
    _prevalence(data["prevalence"])
    _questions(data["questions"])
    _urgency(data["urgency"])
    _categories(data["categories"])
    for key in _FIXED_TEXTS:
        need_texts(mapping(data["disclaimer"], "lexicons/disclaimer.yaml").get(key),
                   "lexicons/disclaimer.yaml", key)


def mapping(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise LexiconError(f"{where}: expected a mapping at the top level.")
    return value


def need_texts(value: Any, where: str, entry: str, allowed: set[str] | None = None) -> None:
    """Require ``{en: str, nl: str}`` with non-empty texts (and only ``allowed`` fields)."""
    for lang in LANGUAGES:
        text = value.get(lang) if isinstance(value, Mapping) else None
        if not isinstance(text, str) or not text.strip():
            raise LexiconError(f"{where}: {entry}: missing the {lang!r} text.")
        if allowed is not None:
            _placeholders(text, allowed, where, f"{entry}.{lang}")


def need_lists(value: Any, where: str, entry: str, allowed: set[str] | None = None) -> None:
    """Require ``{en: [str, ...], nl: [str, ...]}`` with non-empty strings."""
    for lang in LANGUAGES:
        items = value.get(lang) if isinstance(value, Mapping) else None
        if not isinstance(items, list) or not items or not all(
            isinstance(s, str) and s.strip() for s in items
        ):
            raise LexiconError(f"{where}: {entry}: missing the {lang!r} list of texts.")
        for item in items:
            if allowed is not None:
                _placeholders(item, allowed, where, f"{entry}.{lang}")


def _placeholders(text: str, allowed: set[str], where: str, entry: str) -> None:
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(text) if name}
    except ValueError as error:
        raise LexiconError(f"{where}: {entry}: broken placeholder ({error}).") from None
    unknown = names - allowed
    if unknown:
        raise LexiconError(f"{where}: {entry}: unknown placeholder(s) {sorted(unknown)}.")


def _explanations(explanations: Any) -> None:
    where = "lexicons/explanations.yaml"
    explanations = mapping(explanations, where)
    known = concepts()
    for concept in explanations:
        if concept != WORDS_KEY and concept not in known:
            raise LexiconError(f"{where}: {concept}: unknown concept id (see lexicons/concepts.yaml).")
    _shared_words(explanations.get(WORDS_KEY), where)
    for concept in known:
        entry = explanations.get(concept)
        if not isinstance(entry, Mapping):
            raise LexiconError(f"{where}: {concept}: no explanation for this concept.")
        for key in _EXPLANATION_TEXTS:
            need_texts(entry.get(key), where, f"{concept}.{key}", _REGION_WORDS)
        for variant in (*AREAS, *TIERS):
            for key in ("plain", "meaning"):
                if entry.get(f"{variant}_{key}") is not None:
                    need_texts(entry[f"{variant}_{key}"], where, f"{concept}.{variant}_{key}", _REGION_WORDS)
        need_lists(entry.get("questions"), where, f"{concept}.questions", _REGION_WORDS)
        if entry.get("example") is not None:
            need_lists(entry["example"], where, f"{concept}.example", _EXAMPLE_WORDS)
        for i, variant in enumerate(entry.get("ruled_out_variants") or []):
            need_texts(variant, where, f"{concept}.ruled_out_variants #{i}")
            if not isinstance(variant.get("when"), list) or not variant["when"]:
                raise LexiconError(f"{where}: {concept}.ruled_out_variants #{i}: needs 'when'.")
        if entry.get("group") is not None and entry["group"] not in GROUP_KEYS:
            raise LexiconError(f"{where}: {concept}.group: unknown group {entry['group']!r}.")


# The shared words the code needs (explanations.yaml, _words), as paths of keys.
_WORD_PATHS = (
    ("and",), ("at_level",), ("root",), ("ruled_out_at",),
    *(("status", k) for k in ("present", "possible", "ruled_out", "history")),
    *(("severity", k) for k in ("mild", "moderate", "severe")),
    *((part, k) for part in ("side", "side_word") for k in ("left", "right", "bilateral", "central")),
    ("side_adj", "left"), ("side_adj", "right"),
    *(("region", area, k) for area in AREAS
      for k in ("pain", "complaints", "spine", "limb", "limbs", "limb_the")),
    *(("region", area, "limb_side", k) for area in AREAS for k in ("left", "right", "bilateral")),
)


def _shared_words(shared: Any, where: str) -> None:
    for path in _WORD_PATHS:
        value = shared
        for key in path:
            value = value.get(key) if isinstance(value, Mapping) else None
        need_texts(value, where, ".".join((WORDS_KEY, *path)))


def _sources(sources: Any, where: str) -> Mapping[str, Any]:
    sources = sources or {}
    for key, source in sources.items():
        for name in _SOURCE_FIELDS:
            if not isinstance(source, Mapping) or not source.get(name):
                raise LexiconError(f"{where}: sources.{key}: missing {name!r}.")
    return sources


def _prevalence(prevalence: Any) -> None:
    where = "lexicons/prevalence.yaml"
    prevalence = mapping(prevalence, where)
    sources = _sources(prevalence.get("sources"), where)
    for key, source in sources.items():
        if not source.get("citation"):
            raise LexiconError(f"{where}: sources.{key}: missing 'citation'.")
    known = concepts()
    for concept, entry in (prevalence.get("figures") or {}).items():
        if concept not in known:
            raise LexiconError(f"{where}: figures.{concept}: unknown concept id.")
        figures = entry if isinstance(entry, list) else [entry]
        for i, figure in enumerate(figures):
            name = f"figures.{concept}" + (f" #{i}" if isinstance(entry, list) else "")
            _figure(figure, sources, where, name)
    for i, item in enumerate(prevalence.get("general") or []):
        entry = f"general #{i} ({item.get('id', '?') if isinstance(item, Mapping) else '?'})"
        if not isinstance(item, Mapping) or item.get("source") not in sources:
            raise LexiconError(f"{where}: {entry}: unknown source key.")
        need_texts(item, where, entry)
    for key, value in (prevalence.get("phrases") or {}).items():
        need_texts(value, where, f"phrases.{key}")
    if not isinstance(prevalence.get("few_people_below"), int):
        raise LexiconError(f"{where}: few_people_below: must be a whole number.")


def _figure(figure: Any, sources: Mapping, where: str, entry: str) -> None:
    if not isinstance(figure, Mapping):
        raise LexiconError(f"{where}: {entry}: expected a mapping.")
    if figure.get("source") not in sources:
        raise LexiconError(
            f"{where}: {entry}: unknown source key {figure.get('source')!r} (not in 'sources')."
        )
    need_texts(figure.get("population"), where, f"{entry}.population")
    if figure.get("note") is not None:
        need_texts(figure["note"], where, f"{entry}.note")
    if not any(figure.get(kind) is not None for kind in _FIGURE_KINDS):
        raise LexiconError(f"{where}: {entry}: needs one of {', '.join(_FIGURE_KINDS)}.")
    regions = figure.get("regions")
    if not isinstance(regions, list) or not regions or set(regions) - set(SPINE_REGIONS):
        raise LexiconError(f"{where}: {entry}: regions must list {', '.join(SPINE_REGIONS)}.")
    _numbers(figure, where, entry)
    for i, extra in enumerate(figure.get("also") or []):
        _figure(extra, sources, where, f"{entry}.also #{i}")


def _numbers(figure: Mapping[str, Any], where: str, entry: str) -> None:
    def number(value: Any, what: str) -> None:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not (0 <= value <= 100):
            raise LexiconError(f"{where}: {entry}: {what} must be a percentage, not {value!r}.")

    for age, percent in (figure.get("by_age") or {}).items():
        if isinstance(age, bool) or not isinstance(age, int):
            raise LexiconError(f"{where}: {entry}: by_age key {age!r} is not a whole age.")
        number(percent, f"by_age[{age}]")
    for i, band in enumerate(figure.get("by_age_group") or []):
        if not isinstance(band, Mapping) or ("from" not in band and "to" not in band):
            raise LexiconError(f"{where}: {entry}: by_age_group #{i} needs 'from' or 'to'.")
        number(band.get("percent"), f"by_age_group #{i} percent")
    if figure.get("overall") is not None:
        number(figure["overall"], "overall")
    if figure.get("range") is not None:
        values = figure["range"]
        if not isinstance(values, list) or len(values) != 2:
            raise LexiconError(f"{where}: {entry}: range must be [low, high].")
        for value in values:
            number(value, "range")
    if figure.get("n") is not None and (not isinstance(figure["n"], int) or figure["n"] < 1):
        raise LexiconError(f"{where}: {entry}: n must be a whole number of people.")
    if figure.get("few_people") not in (None, True, False):
        raise LexiconError(f"{where}: {entry}: few_people must be true, false or null.")
    if figure.get("n") is None and "few_people" not in figure:
        raise LexiconError(f"{where}: {entry}: give n (people studied) or mark few_people.")


def _questions(questions: Any) -> None:
    where = "lexicons/questions.yaml"
    questions = mapping(questions, where)
    for part in ("report", "attention"):
        for i, item in enumerate(questions.get(part) or []):
            need_texts(item, where, f"{part} #{i}")
    by_tier = questions.get("by_tier") or {}
    for tier in (*TIERS, "common_one", "today_many", "days_many", "depends_many"):
        allowed = {"findings"} if tier.startswith("common") else {"finding"}
        need_texts(by_tier.get(tier), where, f"by_tier.{tier}", allowed)
    three = questions.get("three_questions")
    need_lists(three, where, "three_questions")
    for key in ("title", "source"):
        need_texts(three.get(key), where, f"three_questions.{key}")
    need_lists(questions.get("age_words"), where, "age_words")
    warnings = questions.get("warning_symptoms")
    need_texts(warnings.get("intro") if isinstance(warnings, Mapping) else None,
               where, "warning_symptoms.intro")
    for area in AREAS:
        need_lists(warnings.get(area), where, f"warning_symptoms.{area}")


def _urgency(urgency: Any) -> None:
    where = "lexicons/urgency.yaml"
    urgency = mapping(urgency, where)
    sources = _sources(urgency.get("sources"), where)
    tiers = urgency.get("tiers") or {}
    if tuple(sorted(tiers, key=lambda t: tiers[t].get("order", 0))) != TIERS:
        raise LexiconError(f"{where}: tiers: need {', '.join(TIERS)}, in this order.")
    for tier in TIERS:
        for key in ("label", "what_to_do"):
            need_texts(tiers[tier].get(key), where, f"tiers.{tier}.{key}")
    categories = {c["category"] for c in concepts().values()}
    for category in categories:
        if (urgency.get("by_category") or {}).get(category) not in TIERS:
            raise LexiconError(f"{where}: by_category.{category}: needs a tier.")
    cues = urgency.get("cues") or {}
    for key, value in cues.items():
        need_lists(value, where, f"cues.{key}")
        if key not in ("negation", "negation_ends"):
            need_texts(value.get("label"), where, f"cues.{key}.label")
    for concept, rule in (urgency.get("concepts") or {}).items():
        if concept not in concepts():
            raise LexiconError(f"{where}: concepts.{concept}: unknown concept id.")
        for key in ("tier", "possible"):
            if rule.get(key) is not None and rule[key] not in TIERS:
                raise LexiconError(f"{where}: concepts.{concept}.{key}: unknown tier {rule[key]!r}.")
        for cue in rule.get("escalate") or []:
            if cue not in cues:
                raise LexiconError(f"{where}: concepts.{concept}.escalate: unknown cue {cue!r}.")
    for key, entry in (urgency.get("advice") or {}).items():
        need_lists(entry, where, f"advice.{key}")
        need_texts(entry.get("label"), where, f"advice.{key}.label")
        if entry.get("at_least") is not None and entry["at_least"] not in TIERS:
            raise LexiconError(f"{where}: advice.{key}.at_least: unknown tier.")
    need_texts(urgency.get("informed_text"), where, "informed_text")
    for key, entry in (urgency.get("warning_signs") or {}).items():
        need_lists(entry, where, f"warning_signs.{key}")
        need_texts(entry.get("intro"), where, f"warning_signs.{key}.intro")
        if set(entry.get("concepts") or ["?"]) - set(concepts()):
            raise LexiconError(f"{where}: warning_signs.{key}: unknown concept id.")
        if not entry.get("sources") or set(entry["sources"]) - set(sources):
            raise LexiconError(f"{where}: warning_signs.{key}: unknown or missing source.")


def _categories(categories: Any) -> None:
    where = "lexicons/categories.yaml"
    categories = mapping(categories, where)
    for key in GROUP_KEYS:
        entry = categories.get(key)
        if not isinstance(entry, Mapping):
            raise LexiconError(f"{where}: {key}: missing group.")
        need_texts(entry.get("label"), where, f"{key}.label")
        need_texts(entry.get("intro"), where, f"{key}.intro")
        if not isinstance(entry.get("order"), int) or not entry.get("colour"):
            raise LexiconError(f"{where}: {key}: needs an integer 'order' and a 'colour'.")
