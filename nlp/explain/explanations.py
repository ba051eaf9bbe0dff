"""Explain findings in plain language: what it is, what it means, where it is, how common.

A negated finding is never explained as present: it goes to the ``ruled_out`` group and
says at which level(s) the report rules out what exactly. Uncertain (and hypothetical)
findings are shown as *possible*. Every text comes from the YAML lexicons, in English and
Dutch alike.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Mapping

from nlp.explain import wording
from nlp.explain.data import check_concept, lexicon, squash, text, words
from nlp.explain.prevalence import Prevalence, finding_regions, general_statements, prevalence_for
from nlp.explain.urgency import finding_tier, tier_label
from nlp.lexicon import check_language, concepts
from nlp.report import Finding, Report

if TYPE_CHECKING:
    from nlp.explain.questions import Questions
    from nlp.explain.urgency import Urgency

GROUP_KEYS = ("attention", "context", "common", "variant", "postop", "ruled_out")


@dataclass
class ExplainedFinding:
    """A finding with its plain-language explanation, place, tier, figure and questions.

    ``where`` is the level text ("L4-L5 and L5-S1", "" when the report gives none),
    ``side_label`` the side ("left" / "links"), ``severity_label`` the severity ("matig"),
    ``tier`` one of today | days | depends | common (None when ruled out), ``example`` an
    example filled from this finding's own level, side and root (None when unknown),
    ``phrase`` the finding named with its place, for questions and lists.
    """

    finding: Finding
    group: str
    name: str
    plain: str
    meaning: str
    prevalence: Prevalence | None
    questions: list[str]
    status: str
    status_label: str
    tier: str | None = None
    tier_label: str = ""
    severity_label: str = ""
    where: str = ""
    side_label: str = ""
    roots: list[str] = field(default_factory=list)
    example: str | None = None
    phrase: str = ""
    area: str = "back"
    short: str = ""
    place: wording.Place = field(default_factory=wording.Place)

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
    """Everything the page shows for one report, in one language.

    ``questions`` is every question (``suggested`` then ``optional``), kept for old callers.
    """

    language: str
    groups: list[Group]
    questions: list[str]
    warning_symptoms: list[str]
    warning_intro: str
    disclaimer: str
    privacy: str
    message: str
    general: list[str]
    urgency: "Urgency | None" = None
    suggested: list[str] = field(default_factory=list)
    optional: list[str] = field(default_factory=list)
    three_questions: "Questions | None" = None
    area: str = "back"

    def all_findings(self) -> list[ExplainedFinding]:
        """Every explained finding (every mention), in the order of the report text."""
        items = [item for group in self.groups for item in group.findings]
        return sorted(items, key=lambda e: (e.finding.start, e.finding.end))

    def unique_groups(self) -> list[Group]:
        """The groups with one entry per concept (and per level for ruled-out ones), for
        display lists; see :func:`unique_by_concept`."""
        keep = {id(item) for item in unique_by_concept(self.all_findings())}
        groups = []
        for group in self.groups:
            items = [item for item in group.findings if id(item) in keep]
            if items:
                groups.append(Group(group.key, group.label, group.intro, group.colour,
                                    group.order, items))
        return groups


def explain_finding(
    finding: Finding, *, lang: str = "en", age: int | None = None,
    report: Report | None = None, roots: list[str] | None = None,
) -> ExplainedFinding:
    """Explain one finding in plain language.

    Args:
        finding: The finding (from the analyser or built by hand).
        lang: "en" or "nl".
        age: The patient's age, to pick the prevalence figure for that age.
        report: The report the finding is from: its text (for the urgency cues) and
            regions (for figures and wording); None for a finding on its own.
        roots: The nerve roots the finding reaches (nlp.second_opinion.roots), if known.

    Returns:
        ExplainedFinding: a negated finding gets group "ruled_out", its ``ruled_out``
        text (with its levels) as meaning, no prevalence, no tier and no questions.

    Raises:
        ValueError: for an unknown language or concept id.
        LexiconError: when the lexicons are invalid.
    """
    lang = check_language(lang)
    check_concept(finding.concept)
    entry = lexicon()["explanations"][finding.concept]
    status = _status(finding)
    ruled_out = status == "ruled_out"
    regions = finding_regions(finding.levels, report.regions if report else ())
    place = wording.place_of(finding, regions, roots)
    tier = None if ruled_out else finding_tier(finding, report.text if report else "", status)
    name = text(entry["name"], lang)
    return ExplainedFinding(
        finding=finding,
        group="ruled_out" if ruled_out else entry.get("group") or concepts()[finding.concept]["category"],
        name=name,
        plain=_region_text(entry, "plain", place.area, lang),
        meaning=_ruled_out(entry, finding, place, lang) if ruled_out
        else _region_text(entry, "meaning", place.area, lang, tier),
        prevalence=None if ruled_out else prevalence_for(finding.concept, lang=lang, age=age,
                                                         regions=regions),
        questions=[] if ruled_out else [wording.fill_region(q, place.area, lang)
                                        for q in entry["questions"][lang]],
        status=status,
        status_label=words(lang)["status"][status],
        tier=tier,
        tier_label=tier_label(tier, lang) if tier else "",
        severity_label=wording.severity_label(finding.severity, lang),
        where=wording.where(place, lang),
        side_label=wording.side_label(place, lang),
        roots=list(place.roots),
        example=None if ruled_out else wording.example(
            list((entry.get("example") or {}).get(lang) or []), place, lang),
        phrase=wording.phrase(text(entry["short"], lang), place, lang),
        area=place.area,
        short=text(entry["short"], lang),
        place=place,
    )


def explain_report(
    report: Report, *, lang: str | None = None, age: int | None = None
) -> ReportExplanation:
    """Explain a whole report: grouped findings, urgency, questions and the fixed texts.

    Args:
        report: The analysed report.
        lang: UI language; None uses the report's language.
        age: The patient's age; None uses ``report.age``.

    Returns:
        ReportExplanation: non-empty groups sorted by order; the report's urgency; at most
        7 suggested questions, the others optional, and the "3 questions".
    """
    from nlp.explain.questions import suggested_questions, three_questions
    from nlp.explain.urgency import report_urgency

    lang = check_language(lang or report.language)
    age = report.age if age is None else age
    roots = _roots(report)
    items = [explain_finding(f, lang=lang, age=age, report=report, roots=roots.get(i))
             for i, f in enumerate(report.findings)]
    area = _area(report)
    fixed = lexicon()["disclaimer"]
    warnings = lexicon()["questions"]["warning_symptoms"]
    suggested, optional = suggested_questions(items, lang)
    return ReportExplanation(
        language=lang,
        groups=_groups(items, lang),
        questions=suggested + optional,
        warning_symptoms=[squash(s) for s in warnings[area][lang]],
        warning_intro=text(warnings["intro"], lang),
        disclaimer=squash(fixed["disclaimer"][lang]),
        privacy=squash(fixed["privacy"][lang]),
        message=squash(fixed["message"][lang]),
        general=general_statements(lang) if _lumbar(report) else [],
        urgency=report_urgency(report, lang=lang, items=items),
        suggested=suggested,
        optional=optional,
        three_questions=three_questions(lang),
        area=area,
    )


def category_info(lang: str = "en") -> dict[str, dict]:
    """Labels, intros, colours and order of the groups, for the legend.

    Args:
        lang: "en" or "nl".

    Returns:
        dict[str, dict]: ``{key: {"label", "intro", "colour", "order"}}`` sorted by order.
    """
    lang = check_language(lang)
    categories = lexicon()["categories"]
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


def unique_by_concept(findings: Iterable[ExplainedFinding]) -> list[ExplainedFinding]:
    """One entry per concept for display lists, keeping what the report rules out elsewhere.

    Per concept the first mention that is present ("present" or "history") wins, else the
    first "possible" one; among those, the one that says most (side, level, severity).
    A ruled-out mention stays (one per level set) when it names levels where the concept
    is not affirmed; without an affirmed mention, the first ruled-out one stays too.
    A ruled-out mention without a level is dropped when the concept is affirmed anywhere
    (it says nothing about a level). Report order is kept.

    Args:
        findings: Explained findings, e.g. ``explanation.all_findings()`` or a group's.

    Returns:
        list[ExplainedFinding]: the chosen mentions.
    """
    findings = list(findings)
    rank = {"present": 0, "history": 0, "possible": 1}
    best: dict[str, int] = {}
    def score(item: ExplainedFinding) -> tuple[int, int]:
        said = bool(item.finding.side) + bool(item.finding.levels) + bool(item.finding.severity)
        return rank[item.status], -said

    for i, item in enumerate(findings):
        j = best.get(item.concept)
        if item.status in rank and (j is None or score(item) < score(findings[j])):
            best[item.concept] = i
    chosen = set(best.values())
    affirmed = {}
    for item in findings:
        if item.status != "ruled_out":
            affirmed.setdefault(item.concept, set()).update(item.finding.levels)
    seen: set[tuple[str, tuple[str, ...]]] = set()
    for i, item in enumerate(findings):
        if item.status != "ruled_out":
            continue
        levels = tuple(item.finding.levels)
        key = (item.concept, levels)
        if key in seen:
            continue
        if item.concept in affirmed and (not levels or set(levels) & affirmed[item.concept]):
            continue
        if not levels and any(k[0] == item.concept for k in seen):
            continue
        seen.add(key)
        chosen.add(i)
    return [findings[i] for i in sorted(chosen)]


# ----------------------------------------------------------------------- helpers ----


def _status(finding: Finding) -> str:
    if finding.negated:
        return "ruled_out"
    if finding.uncertain or finding.hypothetical:
        return "possible"
    if finding.historical:
        return "history"
    return "present"


def _region_text(entry: Mapping[str, Any], key: str, area: str, lang: str, tier: str | None = None) -> str:
    """A text of the entry: ``<tier>_<key>`` where the finding's tier needs other advice
    (a cord compression raised to "today"), else ``neck_<key>`` where the neck needs other
    content, else ``<key>``; with the region words ({pain}, {limb}, ...) filled in."""
    value = entry.get(f"{tier}_{key}") or entry.get(f"{area}_{key}") or entry[key]
    return wording.fill_region(text(value, lang), area, lang)


def _ruled_out(entry: Mapping[str, Any], finding: Finding, place: wording.Place, lang: str) -> str:
    """What exactly the report rules out, at which level(s): a variant of the ruled-out
    text when the finding's words say what was ruled out ("no cord signal change")."""
    sentence = entry["ruled_out"]
    lowered = finding.text.lower()
    for variant in entry.get("ruled_out_variants") or []:
        if any(word in lowered for word in variant["when"]):
            sentence = variant
            break
    return wording.ruled_out_text(text(sentence, lang), place, lang)


def _roots(report: Report) -> dict[int, list[str]]:
    """The named roots each finding reaches, by finding index (nlp.second_opinion.roots)."""
    from nlp.second_opinion.roots import find_roots

    if not report.text:
        return {}
    out: dict[int, list[str]] = {}
    for hit in find_roots(report):
        if hit.root is None:
            continue
        for index in hit.findings:
            out.setdefault(index, [])
            if hit.root not in out[index]:
                out[index].append(hit.root)
    return out


def _area(report: Report) -> str:
    """"neck" for a report about the neck only, else "back"."""
    regions = set(report.regions) or set(finding_regions(
        [level for f in report.findings for level in f.levels]))
    return "neck" if regions and regions <= {"cervical"} else "back"


def _lumbar(report: Report) -> bool:
    """True unless the report is known to be about other regions only: the general
    statements come from studies of the low back."""
    regions = set(report.regions) or set(finding_regions(
        [level for f in report.findings for level in f.levels]))
    return not regions or bool(regions & {"lumbar", "sacral"})


def _groups(items: list[ExplainedFinding], lang: str) -> list[Group]:
    groups = []
    for key, meta in category_info(lang).items():
        members = [item for item in items if item.group == key]
        if members:
            groups.append(Group(key=key, label=meta["label"], intro=meta["intro"],
                                colour=meta["colour"], order=meta["order"], findings=members))
    return groups
