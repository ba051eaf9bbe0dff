"""Published prevalence figures, picked for a person's age and spine region.

A figure is shown only for the spine region its population was studied in (a neck report
gets neck figures or none), only for ages the study covered (never under 18), and
between two published ages it is interpolated linearly. Data: ``lexicons/prevalence.yaml``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Iterable, Mapping

from nlp.explain.data import check_concept, join, lexicon, squash, text
from nlp.limits import valid_age
from nlp.explain.sources import Source, source
from nlp.lexicon import check_language

# Dutch sentences put the population first ("Bij ... komt dit voor"); a long opening
# phrase (a relative clause, a comma or bracket, or more words than this) gets a comma.
NL_COMMA_WORDS = 10
SPINE_REGIONS = ("cervical", "thoracic", "lumbar", "sacral")
_LEVEL_REGIONS = {"C": "cervical", "T": "thoracic", "L": "lumbar", "S": "sacral"}


@dataclass
class Prevalence:
    """A published prevalence figure for a concept, picked for an age.

    ``percent`` is the figure for the given age: the ``by_age`` table interpolated between
    its published ages, else the ``by_age_group`` band holding the age, else ``overall``;
    None when nothing fits (for example no age and only an age table). ``age`` and
    ``age_label`` are set only when an age-specific figure was picked (``age_label`` is
    the age or the band, "35", "60+"). ``few_people`` is True when the figure rests on
    fewer people than ``few_people_below`` of prevalence.yaml; ``regions`` are the spine
    regions the population was studied in.
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
    regions: list[str] = field(default_factory=list)
    few_people: bool = False
    _raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)
    _match: Mapping[str, Any] | None = field(default=None, repr=False, compare=False)

    def sentence(self, lang: str) -> str:
        """One plain sentence with the figure and its source.

        Args:
            lang: "en" or "nl" (independent of the language the object was made in).

        Returns:
            str: e.g. "In people without back pain aged around 50, about 60 in 100 have
            this (Brinjikji et al., 2015)."; without an age, the age table as a range;
            "; based on few people" inside the brackets when ``few_people``.
        """
        check_language(lang)
        population = text(self._raw.get("population"), lang) or self.population
        cite = self.source.short(lang)
        if self.few_people:
            cite += f"; {phrases(lang)['few_people']}"
        if self.percent is not None:
            return self._percent_sentence(population, cite, lang)
        if self.by_age:
            lo, hi = min(self.by_age), max(self.by_age)
            return _fill("by_age", lang, population, cite=cite, lo=lo, hi=hi,
                         a=_count(self.by_age[lo], lang, approx=False),
                         b=_count(self.by_age[hi], lang, approx=False))
        if self.by_age_group:
            items = [_band_item(b, population, lang) for b in self.by_age_group]
            return _fill("bands", lang, population, cite=cite, items=join(items, lang))
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


def prevalence_for(
    concept: str, *, lang: str = "en", age: int | None = None,
    regions: Iterable[str] | None = None,
) -> Prevalence | None:
    """The published prevalence of a concept, picked for an age and spine region.

    Args:
        concept: Concept id of ``lexicons/concepts.yaml``.
        lang: Language of ``population``, ``note`` and ``age_label``.
        age: The patient's age, or None.
        regions: The spine regions the finding lies in ("cervical", "lumbar", ...);
            None or empty when unknown (then the first figure of the concept is used).

    Returns:
        Prevalence | None: None when no figure fits the region, or an age is given and
        no figure covers it (under 18, or outside the ages studied).

    Raises:
        ValueError: for an unknown language or concept, or an age that is not a whole
            number of zero or more.
    """
    lang = check_language(lang)
    check_concept(concept)
    valid_age(age)
    wanted = set(regions or ())
    for entry in _figures(concept):
        # The entry's figures that fit the region and the age; the first one leads.
        fitting = [found for figure in (entry, *(entry.get("also") or []))
                   if not wanted or wanted <= set(figure.get("regions") or ())
                   for found in [_prevalence(concept, figure, lang, age)] if found is not None]
        if fitting and fitting[0]._raw is not entry and age is not None:
            # The lead figure does not cover the age: an extra one may stand in only with
            # a figure for this age, or ages studied that are known to include it.
            fitting = [f for f in fitting if f._match is not None or f._raw.get("ages")]
        if fitting:
            fitting[0].also = fitting[1:]
            return fitting[0]
    return None


def finding_regions(levels: Iterable[str], report_regions: Iterable[str] = ()) -> list[str]:
    """The spine regions of a finding: from its levels ("L5-S1" is lumbar, named by the
    upper vertebra), else the report's regions (a lumbosacral report counts as lumbar);
    empty when neither is known."""
    found = [_LEVEL_REGIONS[level[0]] for level in levels if level[:1] in _LEVEL_REGIONS]
    if not found:
        found = [r for r in report_regions if r in SPINE_REGIONS]
        if "lumbar" in found:   # a lumbosacral report: its unlevelled findings are lumbar
            found = [r for r in found if r != "sacral"]
    return list(dict.fromkeys(found))


def general_statements(lang: str = "en") -> list[str]:
    """The sourced general statements of ``prevalence.yaml``, each with its citation.

    Args:
        lang: "en" or "nl".

    Returns:
        list[str]: e.g. "... only 36% had completely normal discs (Jensen et al., 1994)."
    """
    lang = check_language(lang)
    data = lexicon()["prevalence"]
    out = []
    for item in data.get("general") or []:
        cite = source(item["source"]).short(lang)
        out.append(f"{squash(item[lang]).rstrip('.')} ({cite}).")
    return out


def phrases(lang: str) -> Mapping[str, str]:
    """The sentence templates of ``prevalence.yaml`` (``phrases``) in ``lang``."""
    return {key: value[lang] for key, value in lexicon()["prevalence"]["phrases"].items()}


# --------------------------------------------------------------------- picking ----


def _figures(concept: str) -> list[Mapping[str, Any]]:
    entry = lexicon()["prevalence"]["figures"].get(concept)
    if entry is None:
        return []
    return list(entry) if isinstance(entry, list) else [entry]


def _prevalence(
    concept: str, figure: Mapping[str, Any], lang: str, age: int | None
) -> Prevalence | None:
    """The figure for ``age``; None when an age is given that the figure does not cover."""
    by_age = {int(k): float(v) for k, v in sorted((figure.get("by_age") or {}).items())}
    bands = [dict(b) for b in figure.get("by_age_group") or []]
    overall = None if figure.get("overall") is None else float(figure["overall"])
    raw_range = figure.get("range")
    match = _pick(figure, by_age, bands, age)
    if age is not None and match is None and not _covers(figure, age):
        return None
    note = figure.get("note")
    return Prevalence(
        concept=concept,
        percent=match["percent"] if match else overall,
        age=age if match else None,
        age_label=_match_label(match, lang),
        by_age=by_age,
        overall=overall,
        range=(float(raw_range[0]), float(raw_range[1])) if raw_range else None,
        population=text(figure["population"], lang),
        without_back_pain=bool(figure.get("without_back_pain")),
        note=text(note, lang) if note else None,
        source=source(figure["source"]),
        imaging=figure.get("imaging"),
        by_age_group=bands,
        regions=list(figure.get("regions") or ()),
        few_people=_few(figure, match),
        _raw=figure,
        _match=match,
    )


def _ages(figure: Mapping[str, Any]) -> tuple[int, int | None]:
    """The ages the study covered, at least 18: ``ages`` of the figure, else its table."""
    ages = figure.get("ages") or {}
    lo = ages.get("from")
    hi = ages.get("to")
    table = [int(k) for k in figure.get("by_age") or {}]
    if table:
        lo = min(table) if lo is None else lo
        hi = max(table) if hi is None else hi
    return max(18, lo or 18), hi


def _covers(figure: Mapping[str, Any], age: int) -> bool:
    """True when an overall or range figure may be shown at ``age``."""
    if figure.get("by_age") or (figure.get("by_age_group") and figure.get("overall") is None):
        return False  # an age table or bands that do not hold the age: nothing to show
    lo, hi = _ages(figure)
    return lo <= age and (hi is None or age <= hi)


def _pick(
    figure: Mapping[str, Any], by_age: Mapping[int, float], bands: list[dict[str, Any]],
    age: int | None,
) -> dict[str, Any] | None:
    """The age-specific figure for ``age``: the table interpolated between its published
    ages, else the band holding the age; None outside the ages studied or under 18."""
    if age is None:
        return None
    lo, hi = _ages(figure)
    if age < lo or (hi is not None and age > hi):
        return None
    if by_age and min(by_age) <= age <= max(by_age):
        return {"kind": "age", "age": age, "percent": _interpolate(by_age, age)}
    for band in bands:
        if band.get("from", lo) <= age <= band.get("to", age):
            return {"kind": "band", "band": band, "percent": float(band["percent"])}
    return None


def _interpolate(by_age: Mapping[int, float], age: int) -> float:
    """Linear interpolation between the published ages around ``age``."""
    if age in by_age:
        return by_age[age]
    below = max(k for k in by_age if k < age)
    above = min(k for k in by_age if k > age)
    share = (age - below) / (above - below)
    return by_age[below] + share * (by_age[above] - by_age[below])


def _few(figure: Mapping[str, Any], match: Mapping[str, Any] | None) -> bool:
    """True when the figure (or the band used) rests on few people: an explicit
    ``few_people`` mark, else a band's ``n`` or the study's ``n`` under the threshold."""
    if "few_people" in figure:
        return bool(figure["few_people"])
    n = (match or {}).get("band", {}).get("n") or figure.get("n")
    return n is not None and n < lexicon()["prevalence"]["few_people_below"]


# --------------------------------------------------------------------- wording ----


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
    return phrases(lang)["label_to"].format(lim=hi + 1)


def _band_phrase(band: Mapping[str, Any], lang: str) -> str:
    """Band for a sentence: "aged 40 to 49", "under 40", "aged 60 or older"."""
    words = phrases(lang)
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
        return phrases(lang)["around"].format(age=match["age"])
    return _band_phrase(match["band"], lang)


def _band_item(band: Mapping[str, Any], population: str, lang: str) -> str:
    words = phrases(lang)
    phrase = _band_phrase(band, lang)
    of = "" if phrase in population else words["band_of"].format(band=phrase)
    return words["band_item"].format(n=_count(band["percent"], lang), band=of)


def _count(percent: float, lang: str, *, approx: bool = True) -> str:
    """A percentage as "about N" (whole number, half up); exact whole numbers bare."""
    words = phrases(lang)
    value = Decimal(str(round(percent, 6)))
    if value < 1 and value != 0:
        return words["below_one"]
    whole = value.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    if not approx and whole == value:
        return str(whole)
    return words["about"].format(n=whole)


def _fill(key: str, lang: str, fronted: str, **values: Any) -> str:
    """Fill a sentence template; a long opening phrase gets a comma (Dutch word order)."""
    values.setdefault("population", fronted)
    long = len(fronted.split()) > NL_COMMA_WORDS
    comma = "," if long or any(mark in fronted for mark in (" die ", ",", ")")) else ""
    return phrases(lang)[key].format(comma=comma, **values)
