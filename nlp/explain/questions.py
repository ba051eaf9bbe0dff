"""Questions to take to the consultation: at most seven specific ones, the rest optional,
and the "3 goede vragen" / "Ask 3 Questions".

A suggested question names its finding with level, side and root ("Does the disc extrusion
on the left at L5-S1 fit with where I feel my complaints?"); a finding's own questions are
optional and carry the finding's name, so none is a bare "is it ...?" on paper. No question
asks whether a finding is usual for the age when the page shows the figure for the age.
Data: ``lexicons/questions.yaml``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from nlp.explain import wording
from nlp.explain.data import join, lexicon, squash, text
from nlp.explain.urgency import TIERS
from nlp.lexicon import check_language

if TYPE_CHECKING:
    from nlp.explain.explanations import ExplainedFinding

MAX_SUGGESTED = 7
# Of the suggested questions, at most this many ask about one place of the report; the
# others ask about the report as a whole.
MAX_FINDING_QUESTIONS = 4
# Two questions sharing this share of their words are near-duplicates.
NEAR_DUPLICATE = 0.6
# At most this many findings are named in one question about the common findings.
MAX_NAMED = 3


@dataclass
class Questions:
    """A fixed set of questions with its title and source ("3 goede vragen")."""

    title: str
    questions: list[str]
    source: str


def three_questions(lang: str = "en") -> Questions:
    """"3 goede vragen" (Patiëntenfederatie Nederland, Federatie Medisch Specialisten) /
    NHS "Ask 3 Questions", in ``lang``."""
    lang = check_language(lang)
    entry = lexicon()["questions"]["three_questions"]
    return Questions(text(entry["title"], lang), [squash(q) for q in entry[lang]],
                     text(entry["source"], lang))


def suggested_questions(
    items: list["ExplainedFinding"], lang: str, *, age_shown: bool | None = None
) -> tuple[list[str], list[str]]:
    """The suggested questions (at most :data:`MAX_SUGGESTED`) and the optional rest.

    Args:
        items: The report's explained findings.
        lang: "en" or "nl".
        age_shown: True when the page shows a figure for the person's age (then no "is
            this usual for my age?"); None: True when a finding has an age figure.

    Returns:
        tuple[list[str], list[str]]: (suggested, optional), no near-duplicates.
    """
    lang = check_language(lang)
    data = lexicon()["questions"]
    affirmed = [i for i in items if i.tier]
    if age_shown is None:
        age_shown = any(i.prevalence is not None and i.prevalence.age is not None for i in items)
    about_findings = _finding_questions(affirmed, lang)
    general = []
    if any(i.tier in ("today", "days") for i in affirmed):
        general += [text(q, lang) for q in data["attention"]]
    asked = {i.tier for i in affirmed}
    general += [text(q, lang) for q in data["report"]
                if not (age_shown and q.get("age")) and q.get("skip_if_tier") not in asked]
    general += [_labelled(i, q) for i in _one_per_concept(affirmed) for q in i.questions]
    general = [q for q in general if not (age_shown and _asks_age(q, lang))]
    templates = [text(t, lang) for t in data["by_tier"].values()]
    general = _without_near_duplicates(general, templates)
    lead = about_findings[:MAX_FINDING_QUESTIONS]
    ordered = lead + general
    suggested = ordered[:MAX_SUGGESTED]
    return suggested, about_findings[len(lead):] + ordered[len(suggested):]


def _finding_questions(affirmed: list["ExplainedFinding"], lang: str) -> list[str]:
    """One question per place of the urgent or complaint-dependent findings (most urgent
    first; findings at the same level, side and root asked about together), and one for
    the common findings together, each naming its findings with their place."""
    templates = lexicon()["questions"]["by_tier"]
    places: dict[tuple, list["ExplainedFinding"]] = {}
    # A mention without a side adds nothing where another one gives the side.
    sided = {(i.concept, tuple(i.place.levels)) for i in affirmed if i.place.side}
    for item in sorted(affirmed, key=lambda i: TIERS.index(i.tier)):
        if item.tier == "common" or (not item.place.side and (item.concept, tuple(item.place.levels)) in sided):
            continue
        key = (item.tier, item.place.side, tuple(item.place.levels))
        members = places.setdefault(key, [])
        if item.concept not in (m.concept for m in members):
            members.append(item)
    out = []
    for (tier, *_), members in places.items():
        roots = list(dict.fromkeys(r for m in members for r in m.place.roots))
        place = replace(members[0].place, roots=roots)
        named = wording.phrase(join([m.short for m in members], lang), place, lang)
        key = tier if len(members) == 1 else f"{tier}_many"
        out.append(text(templates[key], lang).format(finding=named))
    common = [i.phrase for i in _one_per_concept(affirmed) if i.tier == "common"]
    if common:
        key = "common_one" if len(common) == 1 else "common"
        out.append(text(templates[key], lang).format(findings=join(common[:MAX_NAMED], lang)))
    return out


def _one_per_concept(items: list["ExplainedFinding"]) -> list["ExplainedFinding"]:
    seen: dict[str, "ExplainedFinding"] = {}
    for item in items:
        seen.setdefault(item.concept, item)
    return list(seen.values())


def _labelled(item: "ExplainedFinding", question: str) -> str:
    """A finding's own question with the finding named first, so it reads on paper."""
    return f"{item.phrase[:1].upper()}{item.phrase[1:]}: {question}"


def _asks_age(question: str, lang: str) -> bool:
    words = lexicon()["questions"]["age_words"][lang]
    return any(w.lower() in question.lower() for w in words)


def _without_near_duplicates(questions: list[str], asked: list[str]) -> list[str]:
    """Drop a question whose words mostly repeat an earlier one or one of the ``asked``
    question templates (a finding's label and the template's placeholders not counted)."""
    kept: list[str] = []
    bags = [_bag(re.sub(r"\{\w+\}", "", template)) for template in asked]
    for question in questions:
        bag = _bag(question.split(": ", 1)[-1])
        if any(len(bag & other) / max(1, len(bag | other)) >= NEAR_DUPLICATE for other in bags):
            continue
        kept.append(question)
        bags.append(bag)
    return kept


def _bag(question: str) -> set[str]:
    return set(re.findall(r"\w+", question.lower()))
