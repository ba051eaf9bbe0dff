"""Explain findings in plain language: what it is, what it means, how common, what to ask.

The app explains and prepares questions; it does not diagnose. A negated finding is
never explained as present: it goes to the ``ruled_out`` group with its reassuring
``ruled_out`` text. Uncertain (and hypothetical) findings are shown as *possible*.
English and Dutch are equal: every text comes from the YAML lexicons in both languages::

    from nlp import analyse
    from nlp.explain import explain_report, unique_by_concept

    report = analyse(text, age=52)
    explanation = explain_report(report)              # language and age of the report
    for group in explanation.groups:                  # attention, context, common, ...
        for item in unique_by_concept(group.findings):
            print(item.name, item.status_label, item.meaning)
            if item.prevalence:
                print(item.prevalence.sentence(explanation.language))

Data: ``lexicons/explanations.yaml``, ``prevalence.yaml``, ``questions.yaml``,
``categories.yaml`` and ``disclaimer.yaml``, validated on first use against the concept
catalogue (:func:`validate_lexicons`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any, Iterable, Mapping

from nlp.lexicon import LANGUAGES, LexiconError, check_language, concepts, load_yaml
from nlp.report import Finding, Report

GROUP_KEYS = ("attention", "context", "common", "variant", "postop", "ruled_out")
# An age table (by_age) is used for ages at most this many years from its nearest entry.
MAX_AGE_DISTANCE = 10
# Dutch sentences put the population first ("Bij ... komt dit voor"); a long opening
# phrase (a relative clause, a comma or bracket, or more words than this) gets a comma.
NL_COMMA_WORDS = 10

_EXPLANATION_TEXTS = ("name", "plain", "meaning", "ruled_out")
_FIGURE_KINDS = ("by_age", "by_age_group", "overall", "range")
_FIXED_TEXTS = ("disclaimer", "privacy", "message")

_STATUS_LABELS = {
    "present": {"en": "present", "nl": "aanwezig"},
    "possible": {"en": "possible", "nl": "mogelijk"},
    "ruled_out": {"en": "not present", "nl": "niet aanwezig"},
    "history": {"en": "known from before", "nl": "al eerder bekend"},
}

# Sentence templates for prevalence figures (B1 level, "in 100" phrasing).
_PHRASES: dict[str, dict[str, str]] = {
    "en": {
        "at_age": "In {population} {age}, {n} in 100 have this ({cite}).",
        "in_band": "In {population}, {n} in 100 of those {age} have this ({cite}).",
        "overall": "In {population}, {n} in 100 have this ({cite}).",
        "by_age": "In {population}, this ranges from {a} in 100 at age {lo} "
                  "to {b} in 100 at age {hi} ({cite}).",
        "bands": "In {population}, {items} have this ({cite}).",
        "band_item": "{n} in 100{band}",
        "band_of": " of those {band}",
        "range": "In {population}, between {lo} and {hi} in 100 have this ({cite}).",
        "around": "aged around {age}",
        "band_both": "aged {lo} to {hi}",
        "band_to": "under {lim}",
        "band_from": "aged {lo} or older",
        "label_to": "under {lim}",
        "about": "about {n}",
        "below_one": "fewer than 1",
        "and": "and",
        "et_al": "et al.",
    },
    "nl": {
        "at_age": "Bij {population} {age}{comma} komt dit voor bij {n} op de 100 ({cite}).",
        "in_band": "Bij {population}{comma} komt dit voor bij {n} op de 100 mensen {age} "
                   "({cite}).",
        "overall": "Bij {population}{comma} komt dit voor bij {n} op de 100 ({cite}).",
        "by_age": "Bij {population}{comma} varieert dit van {a} op de 100 bij {lo}-jarigen "
                  "tot {b} op de 100 bij {hi}-jarigen ({cite}).",
        "bands": "Bij {population}{comma} komt dit voor bij {items} ({cite}).",
        "band_item": "{n} op de 100{band}",
        "band_of": " mensen {band}",
        "range": "Bij {population}{comma} komt dit voor bij {lo} tot {hi} op de 100 ({cite}).",
        "around": "van rond de {age} jaar",
        "band_both": "van {lo} tot en met {hi} jaar",
        "band_to": "onder de {lim} jaar",
        "band_from": "van {lo} jaar of ouder",
        "label_to": "onder {lim}",
        "about": "ongeveer {n}",
        "below_one": "minder dan 1",
        "and": "en",
        "et_al": "e.a.",
    },
}


# --------------------------------------------------------------------- data classes ----


@dataclass
class Source:
    """One publication that a figure or statement comes from."""

    key: str
    authors: str
    year: int
    title: str
    journal: str
    citation: str
    doi: str | None = None
    url: str | None = None

    def cite(self) -> str:
        """Full reference, at most three authors then "et al.".

        Returns:
            str: e.g. ``"Brinjikji W, Luetmer PH, Comstock B, et al. (2015). <title>.
            AJNR Am J Neuroradiol 2015;36(4):811-816."``
        """
        names = _author_list(self.authors)
        shown = ", ".join(names[:3])
        if len(names) > 3 or _has_et_al(self.authors):
            shown += ", et al."
        title = self.title.rstrip(".")
        return f"{shown} ({self.year}). {title}. {self.journal} {self.citation}."

    def short(self, lang: str = "en") -> str:
        """In-text citation: "Brinjikji et al., 2015" / "Brinjikji e.a., 2015".

        Args:
            lang: "en" or "nl".

        Returns:
            str: first author's surname, "&"/"en" for two authors, else "et al.".
        """
        words = _PHRASES[check_language(lang)]
        names = [_surname(n) for n in _author_list(self.authors)]
        if len(names) > 2 or _has_et_al(self.authors):
            who = f"{names[0]} {words['et_al']}"
        elif len(names) == 2:
            who = f"{names[0]} {'&' if lang == 'en' else words['and']} {names[1]}"
        else:
            who = names[0]
        return f"{who}, {self.year}"


@dataclass
class Prevalence:
    """A published prevalence figure for a concept, picked for an age.

    ``percent`` is the figure for the given age: the nearest age in ``by_age`` (within
    :data:`MAX_AGE_DISTANCE` years), else the ``by_age_group`` band holding the age, else
    ``overall``; None when nothing fits (for example no age and only an age table).
    ``age`` and ``age_label`` are set only when an age-specific figure was picked:
    ``age`` is the age asked for, ``age_label`` the table age or band ("50", "60+").
    """

    concept: str
    percent: float | None
    age: int | None
    age_label: str | None
    by_age: dict[int, float]
    overall: float | None
    range: tuple[float, float] | None
    population: str
    without_back_pain: bool
    note: str | None
    source: Source
    also: list["Prevalence"] = field(default_factory=list)
    imaging: str | None = None
    by_age_group: list[dict[str, Any]] = field(default_factory=list)
    _raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)
    _match: Mapping[str, Any] | None = field(default=None, repr=False, compare=False)

    def sentence(self, lang: str) -> str:
        """One plain sentence with the figure and its source.

        Args:
            lang: "en" or "nl" (independent of the language the object was made in).

        Returns:
            str: e.g. "In people without back pain aged around 50, about 60 in 100 have
            this (Brinjikji et al., 2015)."; without an age, the age table as a range
            ("... from 30 in 100 at age 20 to 84 in 100 at age 80 ...").
        """
        check_language(lang)
        population = _text(self._raw.get("population"), lang) or self.population
        cite = self.source.short(lang)
        if self.percent is not None:
            return self._percent_sentence(population, cite, lang)
        if self.by_age:
            lo, hi = min(self.by_age), max(self.by_age)
            return _fill("by_age", lang, population, cite=cite, lo=lo, hi=hi,
                         a=_count(self.by_age[lo], lang, approx=False),
                         b=_count(self.by_age[hi], lang, approx=False))
        if self.by_age_group:
            items = [_band_item(b, population, lang) for b in self.by_age_group]
            return _fill("bands", lang, population, cite=cite, items=_join(items, lang))
        if self.range is not None:
            lo, hi = self.range
            return _fill("range", lang, population, cite=cite,
                         lo=_count(lo, lang, approx=False), hi=_count(hi, lang, approx=False))
        return ""

    def _percent_sentence(self, population: str, cite: str, lang: str) -> str:
        n = _count(self.percent, lang)
        phrase = _match_phrase(self._match, lang)
        if not phrase or phrase in population:
            return _fill("overall", lang, population, cite=cite, n=n)
        if self._match["kind"] == "age":
            return _fill("at_age", lang, f"{population} {phrase}", population=population,
                         age=phrase, n=n, cite=cite)
        return _fill("in_band", lang, population, age=phrase, n=n, cite=cite)


@dataclass
class ExplainedFinding:
    """A finding with its plain-language explanation, figure and questions."""

    finding: Finding
    group: str
    name: str
    plain: str
    meaning: str
    prevalence: Prevalence | None
    questions: list[str]
    status: str
    status_label: str

    @property
    def concept(self) -> str:
        """The finding's concept id."""
        return self.finding.concept


@dataclass
class Group:
    """A group of findings as shown on the page (one category, or ruled out)."""

    key: str
    label: str
    intro: str
    colour: str
    order: int
    findings: list[ExplainedFinding]


@dataclass
class ReportExplanation:
    """Everything the page shows for one report, in one language."""

    language: str
    groups: list[Group]
    questions: list[str]
    warning_symptoms: list[str]
    warning_intro: str
    disclaimer: str
    privacy: str
    message: str
    general: list[str]

    def all_findings(self) -> list[ExplainedFinding]:
        """Every explained finding (every mention), in the order of the report text."""
        items = [item for group in self.groups for item in group.findings]
        return sorted(items, key=lambda e: (e.finding.start, e.finding.end))

    def unique_groups(self) -> list[Group]:
        """The groups with one entry per concept, for display lists.

        A concept present anywhere in the report is not also listed as ruled out.
        """
        keep = {id(item) for item in unique_by_concept(self.all_findings())}
        groups = []
        for group in self.groups:
            items = [item for item in group.findings if id(item) in keep]
            if items:
                groups.append(Group(group.key, group.label, group.intro, group.colour,
                                    group.order, items))
        return groups


# ------------------------------------------------------------------------ public API ----


def explain_finding(
    finding: Finding, *, lang: str = "en", age: int | None = None
) -> ExplainedFinding:
    """Explain one finding in plain language.

    Args:
        finding: The finding (from the analyser or built by hand).
        lang: "en" or "nl".
        age: The patient's age, to pick the prevalence figure for that age.

    Returns:
        ExplainedFinding: a negated finding gets group "ruled_out", its ``ruled_out``
        text as meaning, no prevalence and no questions.

    Raises:
        ValueError: for an unknown language or concept id.
        LexiconError: when the lexicons are invalid.
    """
    lang = check_language(lang)
    data = _lexicon()
    entry = _explanation(finding.concept, data)
    status = _status(finding)
    ruled_out = status == "ruled_out"
    return ExplainedFinding(
        finding=finding,
        group="ruled_out" if ruled_out else concepts()[finding.concept]["category"],
        name=entry["name"][lang],
        plain=entry["plain"][lang],
        meaning=entry["ruled_out" if ruled_out else "meaning"][lang],
        prevalence=None if ruled_out else prevalence_for(finding.concept, lang=lang, age=age),
        questions=[] if ruled_out else list(entry["questions"][lang]),
        status=status,
        status_label=_STATUS_LABELS[status][lang],
    )


def explain_report(
    report: Report, *, lang: str | None = None, age: int | None = None
) -> ReportExplanation:
    """Explain a whole report: grouped findings, questions and the fixed texts.

    Args:
        report: The analysed report.
        lang: UI language; None uses the report's language.
        age: The patient's age; None uses ``report.age``.

    Returns:
        ReportExplanation: non-empty groups sorted by order, deduplicated questions.
    """
    lang = check_language(lang or report.language)
    age = report.age if age is None else age
    items = [explain_finding(f, lang=lang, age=age) for f in report.findings]
    data = _lexicon()
    fixed = data["disclaimer"]
    warnings = data["questions"]["warning_symptoms"]
    return ReportExplanation(
        language=lang,
        groups=_groups(items, lang),
        questions=_report_questions(items, lang),
        warning_symptoms=list(warnings[lang]),
        warning_intro=warnings["intro"][lang],
        disclaimer=_squash(fixed["disclaimer"][lang]),
        privacy=_squash(fixed["privacy"][lang]),
        message=_squash(fixed["message"][lang]),
        general=general_statements(lang),
    )


def prevalence_for(
    concept: str, *, lang: str = "en", age: int | None = None
) -> Prevalence | None:
    """The published prevalence of a concept, picked for an age.

    Args:
        concept: Concept id of ``lexicons/concepts.yaml``.
        lang: Language of ``population``, ``note`` and ``age_label``.
        age: The patient's age, or None.

    Returns:
        Prevalence | None: None when ``prevalence.yaml`` has no figure for the concept.

    Raises:
        ValueError: for an unknown language or concept, or an age that is not a whole
            number of zero or more.
    """
    lang = check_language(lang)
    _check_concept(concept)
    _check_age(age)
    figure = _lexicon()["prevalence"]["figures"].get(concept)
    if figure is None:
        return None
    return _prevalence(concept, figure, lang, age)


def category_info(lang: str = "en") -> dict[str, dict]:
    """Labels, intros, colours and order of the groups, for the legend.

    Args:
        lang: "en" or "nl".

    Returns:
        dict[str, dict]: ``{key: {"label", "intro", "colour", "order"}}`` sorted by order.
    """
    lang = check_language(lang)
    categories = _lexicon()["categories"]
    info = {
        key: {
            "label": categories[key]["label"][lang],
            "intro": categories[key]["intro"][lang],
            "colour": categories[key]["colour"],
            "order": int(categories[key]["order"]),
        }
        for key in GROUP_KEYS
    }
    return dict(sorted(info.items(), key=lambda kv: kv[1]["order"]))


def general_statements(lang: str = "en") -> list[str]:
    """The sourced general statements of ``prevalence.yaml``, each with its citation.

    Args:
        lang: "en" or "nl".

    Returns:
        list[str]: e.g. "... only 36% had completely normal discs (Jensen et al., 1994)."
    """
    lang = check_language(lang)
    prevalence = _lexicon()["prevalence"]
    out = []
    for item in prevalence.get("general") or []:
        source = _source(item["source"], prevalence)
        out.append(f"{_squash(item[lang]).rstrip('.')} ({source.short(lang)}).")
    return out


def unique_by_concept(findings: Iterable[ExplainedFinding]) -> list[ExplainedFinding]:
    """One entry per concept, for display lists.

    Per concept the first mention that is present ("present" or "history") wins, else the
    first "possible" one, else the first "ruled_out" one; so a concept present somewhere
    is not also listed as ruled out. The result keeps the order of the chosen mentions.

    Args:
        findings: Explained findings, e.g. ``explanation.all_findings()`` or a group's.

    Returns:
        list[ExplainedFinding]: the chosen mention of each concept.
    """
    findings = list(findings)
    rank = {"present": 0, "history": 0, "possible": 1, "ruled_out": 2}
    best: dict[str, int] = {}
    for i, item in enumerate(findings):
        j = best.get(item.finding.concept)
        if j is None or rank[item.status] < rank[findings[j].status]:
            best[item.finding.concept] = i
    return [findings[i] for i in sorted(best.values())]


def validate_lexicons() -> None:
    """Check the explanation, prevalence, question, category and disclaimer lexicons.

    Raises:
        LexiconError: naming the file and the entry, when a concept has no explanation
            with English and Dutch texts, a figure names an unknown source or concept,
            or a required text is missing.
    """
    _validate(_read_data())


# ------------------------------------------------------------------- loading & checks ----


@lru_cache(maxsize=None)
def _lexicon() -> dict[str, Any]:
    """All data this module uses, loaded and validated once."""
    data = _read_data()
    _validate(data)
    return data


def _read_data() -> dict[str, Any]:
    return {
        "explanations": load_yaml("explanations.yaml"),
        "prevalence": load_yaml("prevalence.yaml"),
        "questions": load_yaml("questions.yaml"),
        "categories": load_yaml("categories.yaml"),
        "disclaimer": load_yaml("disclaimer.yaml"),
    }


def _validate(data: Mapping[str, Any]) -> None:
    _validate_explanations(data["explanations"])
    _validate_prevalence(data["prevalence"])
    _validate_questions(data["questions"])
    _validate_categories(data["categories"])
    for key in _FIXED_TEXTS:
        _need_texts(_mapping(data["disclaimer"], "lexicons/disclaimer.yaml").get(key),
                    "lexicons/disclaimer.yaml", key)


def _mapping(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise LexiconError(f"{where}: expected a mapping at the top level.")
    return value


def _need_texts(value: Any, where: str, entry: str) -> None:
    """Require ``{en: str, nl: str}`` with non-empty texts."""
    for lang in LANGUAGES:
        text = value.get(lang) if isinstance(value, Mapping) else None
        if not isinstance(text, str) or not text.strip():
            raise LexiconError(f"{where}: {entry}: missing the {lang!r} text.")


def _need_lists(value: Any, where: str, entry: str) -> None:
    """Require ``{en: [str, ...], nl: [str, ...]}`` with non-empty strings."""
    for lang in LANGUAGES:
        items = value.get(lang) if isinstance(value, Mapping) else None
        if not isinstance(items, list) or not items or not all(
            isinstance(s, str) and s.strip() for s in items
        ):
            raise LexiconError(f"{where}: {entry}: missing the {lang!r} list of texts.")


def _validate_explanations(explanations: Any) -> None:
    where = "lexicons/explanations.yaml"
    explanations = _mapping(explanations, where)
    known = concepts()
    for concept in explanations:
        if concept not in known:
            raise LexiconError(
                f"{where}: {concept}: unknown concept id (see lexicons/concepts.yaml)."
            )
    for concept in known:
        entry = explanations.get(concept)
        if not isinstance(entry, Mapping):
            raise LexiconError(f"{where}: {concept}: no explanation for this concept.")
        for key in _EXPLANATION_TEXTS:
            _need_texts(entry.get(key), where, f"{concept}.{key}")
        _need_lists(entry.get("questions"), where, f"{concept}.questions")


def _validate_prevalence(prevalence: Any) -> None:
    where = "lexicons/prevalence.yaml"
    prevalence = _mapping(prevalence, where)
    sources = prevalence.get("sources") or {}
    for key, source in sources.items():
        for name in ("authors", "year", "title", "journal", "citation"):
            if not isinstance(source, Mapping) or not source.get(name):
                raise LexiconError(f"{where}: sources.{key}: missing {name!r}.")
    known = concepts()
    for concept, figure in (prevalence.get("figures") or {}).items():
        entry = f"figures.{concept}"
        if concept not in known:
            raise LexiconError(f"{where}: {entry}: unknown concept id.")
        _validate_figure(figure, sources, where, entry)
    for i, item in enumerate(prevalence.get("general") or []):
        entry = f"general #{i} ({item.get('id', '?') if isinstance(item, Mapping) else '?'})"
        if not isinstance(item, Mapping) or item.get("source") not in sources:
            raise LexiconError(f"{where}: {entry}: unknown source key.")
        _need_texts(item, where, entry)


def _validate_figure(figure: Any, sources: Mapping, where: str, entry: str) -> None:
    if not isinstance(figure, Mapping):
        raise LexiconError(f"{where}: {entry}: expected a mapping.")
    if figure.get("source") not in sources:
        raise LexiconError(
            f"{where}: {entry}: unknown source key {figure.get('source')!r} "
            f"(not in 'sources')."
        )
    _need_texts(figure.get("population"), where, f"{entry}.population")
    if figure.get("note") is not None:
        _need_texts(figure["note"], where, f"{entry}.note")
    if not any(figure.get(kind) is not None for kind in _FIGURE_KINDS):
        raise LexiconError(
            f"{where}: {entry}: needs one of {', '.join(_FIGURE_KINDS)}."
        )
    _validate_numbers(figure, where, entry)
    for i, extra in enumerate(figure.get("also") or []):
        _validate_figure(extra, sources, where, f"{entry}.also #{i}")


def _validate_numbers(figure: Mapping[str, Any], where: str, entry: str) -> None:
    def number(value: Any, what: str) -> None:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not (
            0 <= value <= 100
        ):
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


def _validate_questions(questions: Any) -> None:
    where = "lexicons/questions.yaml"
    questions = _mapping(questions, where)
    for part in ("report", "attention"):
        for i, item in enumerate(questions.get(part) or []):
            _need_texts(item, where, f"{part} #{i}")
    warnings = questions.get("warning_symptoms")
    _need_texts(warnings.get("intro") if isinstance(warnings, Mapping) else None,
                where, "warning_symptoms.intro")
    _need_lists(warnings, where, "warning_symptoms")


def _validate_categories(categories: Any) -> None:
    where = "lexicons/categories.yaml"
    categories = _mapping(categories, where)
    for key in GROUP_KEYS:
        entry = categories.get(key)
        if not isinstance(entry, Mapping):
            raise LexiconError(f"{where}: {key}: missing group.")
        _need_texts(entry.get("label"), where, f"{key}.label")
        _need_texts(entry.get("intro"), where, f"{key}.intro")
        if not isinstance(entry.get("order"), int) or not entry.get("colour"):
            raise LexiconError(f"{where}: {key}: needs an integer 'order' and a 'colour'.")


def _check_concept(concept: str) -> None:
    if concept not in concepts():
        raise ValueError(f"Unknown concept {concept!r} (see lexicons/concepts.yaml).")


def _check_age(age: int | None) -> None:
    if age is not None and (isinstance(age, bool) or not isinstance(age, int) or age < 0):
        raise ValueError(f"Age must be a whole number of zero or more, not {age!r}.")


def _explanation(concept: str, data: Mapping[str, Any]) -> Mapping[str, Any]:
    _check_concept(concept)
    return data["explanations"][concept]


# --------------------------------------------------------------------- prevalence ----


def _source(key: str, prevalence: Mapping[str, Any]) -> Source:
    raw = prevalence["sources"][key]
    return Source(
        key=key,
        authors=str(raw["authors"]),
        year=int(raw["year"]),
        title=str(raw["title"]),
        journal=str(raw["journal"]),
        citation=str(raw["citation"]),
        doi=raw.get("doi"),
        url=raw.get("url"),
    )


def _prevalence(
    concept: str, figure: Mapping[str, Any], lang: str, age: int | None
) -> Prevalence:
    by_age = {int(k): float(v) for k, v in sorted((figure.get("by_age") or {}).items())}
    bands = [dict(b) for b in figure.get("by_age_group") or []]
    overall = _float(figure.get("overall"))
    match = _pick(by_age, bands, age)
    percent = match["percent"] if match else overall
    raw_range = figure.get("range")
    note = figure.get("note")
    return Prevalence(
        concept=concept,
        percent=percent,
        age=age if match else None,
        age_label=_match_label(match, lang),
        by_age=by_age,
        overall=overall,
        range=(float(raw_range[0]), float(raw_range[1])) if raw_range else None,
        population=_text(figure["population"], lang),
        without_back_pain=bool(figure.get("without_back_pain")),
        note=_text(note, lang) if note else None,
        source=_source(figure["source"], _lexicon()["prevalence"]),
        also=[_prevalence(concept, extra, lang, age) for extra in figure.get("also") or []],
        imaging=figure.get("imaging"),
        by_age_group=bands,
        _raw=figure,
        _match=match,
    )


def _pick(
    by_age: Mapping[int, float], bands: list[dict[str, Any]], age: int | None
) -> dict[str, Any] | None:
    """The age-specific figure for ``age``: nearest table age, else the matching band.

    Ties between two table ages go to the higher one, as in rounding (45 -> 50).
    """
    if age is None:
        return None
    if by_age:
        nearest = min(by_age, key=lambda k: (abs(k - age), -k))
        if abs(nearest - age) <= MAX_AGE_DISTANCE:
            return {"kind": "age", "age": nearest, "percent": by_age[nearest]}
    for band in bands:
        if band.get("from", 0) <= age <= band.get("to", age):
            return {"kind": "band", "band": band, "percent": float(band["percent"])}
    return None


def _match_label(match: Mapping[str, Any] | None, lang: str) -> str | None:
    if match is None:
        return None
    if match["kind"] == "age":
        return str(match["age"])
    return _band_label(match["band"], lang)


def _band_label(band: Mapping[str, Any], lang: str) -> str:
    """Short band label from the bounds: "40-49", "60+", "under 40" / "onder 40"."""
    lo, hi = band.get("from"), band.get("to")
    if lo is not None and hi is not None:
        return f"{lo}-{hi}"
    if lo is not None:
        return f"{lo}+"
    return _PHRASES[lang]["label_to"].format(lim=hi + 1)


def _band_phrase(band: Mapping[str, Any], lang: str) -> str:
    """Band for a sentence: "aged 40 to 49", "under 40", "aged 60 or older"."""
    words = _PHRASES[lang]
    lo, hi = band.get("from"), band.get("to")
    if lo is not None and hi is not None:
        return words["band_both"].format(lo=lo, hi=hi)
    if lo is not None:
        return words["band_from"].format(lo=lo)
    return words["band_to"].format(lim=hi + 1)


def _match_phrase(match: Mapping[str, Any] | None, lang: str) -> str | None:
    if match is None:
        return None
    if match["kind"] == "age":
        return _PHRASES[lang]["around"].format(age=match["age"])
    return _band_phrase(match["band"], lang)


def _band_item(band: Mapping[str, Any], population: str, lang: str) -> str:
    words = _PHRASES[lang]
    phrase = _band_phrase(band, lang)
    of = "" if phrase in population else words["band_of"].format(band=phrase)
    return words["band_item"].format(n=_count(band["percent"], lang), band=of)


def _count(percent: float, lang: str, *, approx: bool = True) -> str:
    """A percentage as "about N" (whole number, half up); exact whole numbers bare."""
    words = _PHRASES[lang]
    value = Decimal(str(percent))
    if value < 1 and value != 0:
        return words["below_one"]
    whole = value.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    if not approx and whole == value:
        return str(whole)
    return words["about"].format(n=whole)


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


# ----------------------------------------------------------------------- report ----


def _status(finding: Finding) -> str:
    if finding.negated:
        return "ruled_out"
    if finding.uncertain or finding.hypothetical:
        return "possible"
    if finding.historical:
        return "history"
    return "present"


def _groups(items: list[ExplainedFinding], lang: str) -> list[Group]:
    info = category_info(lang)
    groups = []
    for key, meta in info.items():
        members = [item for item in items if item.group == key]
        if members:
            groups.append(Group(key=key, label=meta["label"], intro=meta["intro"],
                                colour=meta["colour"], order=meta["order"], findings=members))
    return groups


def _report_questions(items: list[ExplainedFinding], lang: str) -> list[str]:
    """Attention questions and questions of attention findings first, then the report's
    questions, then the other findings' questions in group order; no duplicates."""
    questions = _lexicon()["questions"]
    present = [item for item in items if item.status != "ruled_out"]
    attention = [item for item in present if item.group == "attention"]
    ordered: list[str] = []
    if attention:
        ordered += [q[lang] for q in questions.get("attention") or []]
        ordered += [q for item in attention for q in item.questions]
    ordered += [q[lang] for q in questions.get("report") or []]
    for key in GROUP_KEYS[1:]:
        ordered += [q for item in present if item.group == key for q in item.questions]
    return list(dict.fromkeys(_squash(q) for q in ordered))


# ----------------------------------------------------------------------- helpers ----


def _text(value: Any, lang: str) -> str:
    if isinstance(value, Mapping):
        return _squash(str(value.get(lang) or ""))
    return _squash(str(value or ""))


def _squash(text: str) -> str:
    """Collapse the whitespace of folded YAML texts."""
    return " ".join(text.split())


def _fill(key: str, lang: str, fronted: str, **values: Any) -> str:
    """Fill a sentence template; a long opening phrase gets a comma (Dutch word order)."""
    values.setdefault("population", fronted)
    long = len(fronted.split()) > NL_COMMA_WORDS
    comma = "," if long or any(mark in fronted for mark in (" die ", ",", ")")) else ""
    return _PHRASES[lang][key].format(comma=comma, **values)


def _join(items: list[str], lang: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {_PHRASES[lang]['and']} {items[-1]}"


def _author_list(authors: str) -> list[str]:
    return [a.strip() for a in authors.split(",") if a.strip() and not _is_et_al(a)]


def _is_et_al(part: str) -> bool:
    return part.strip().rstrip(".").lower() in ("et al", "e.a")


def _has_et_al(authors: str) -> bool:
    return any(_is_et_al(a) for a in authors.split(","))


def _surname(author: str) -> str:
    """ "Brinjikji W" -> "Brinjikji"; "van der Berg AB" -> "van der Berg"."""
    words = author.split()
    if len(words) > 1 and words[-1].replace(".", "").isupper():
        words = words[:-1]
    return " ".join(words)
