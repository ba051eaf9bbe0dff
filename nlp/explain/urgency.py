"""How soon to act on a report: urgency tiers, the radiologist's own advice, warning signs.

Tiers, most urgent first: ``today`` (call a doctor now), ``days`` (see a doctor within a
few days), ``depends`` (depends on your complaints), ``common`` (common in people without
pain). A finding's tier comes from its concept and status, raised to ``today`` when the
report text holds a cue for it (new bladder symptoms with cauda equina compression,
myelopathy with cord compression). The report's tier is that of its most urgent affirmed
finding, or more when the radiologist advises urgent action. Data: ``lexicons/urgency.yaml``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Pattern

from nlp.explain.data import lexicon, squash
from nlp.explain.data import text as in_language
from nlp.explain.prevalence import finding_regions
from nlp.explain.sources import Source, source
from nlp.lexicon import LANGUAGES, check_language, concepts
from nlp.report import Finding, Report

if TYPE_CHECKING:
    from nlp.explain.explanations import ExplainedFinding

TIERS = ("today", "days", "depends", "common")
# Characters before a cue in which a negation word cancels it ("no urinary retention",
# "geen gevoelsstoornissen in het rijbroekgebied"), within the same clause.
NEGATION_WINDOW = 60


@dataclass
class Phrase:
    """A phrase found in the report text, with its character offsets."""

    text: str
    start: int
    end: int
    kind: str = ""      # the advice or cue id of urgency.yaml ("urgent", "informed", ...)
    label: str = ""     # what it means, in the page language


@dataclass
class Urgency:
    """How soon to act on the whole report, and why.

    ``reasons`` are the affirmed findings of the report's tier (most urgent first);
    ``advice`` the radiologist's recommendations found in the text; ``triggers`` the words
    in the text that raised a finding to "today" (new bladder symptoms, myelopathy);
    ``clinician_informed`` True when the text says the result was passed on to a clinician.
    """

    tier: str
    label: str
    what_to_do: str
    reasons: list["ExplainedFinding"] = field(default_factory=list)
    warning_signs: list[str] = field(default_factory=list)
    warning_intro: str = ""
    warning_sources: list[Source] = field(default_factory=list)
    advice: list[Phrase] = field(default_factory=list)
    triggers: list[Phrase] = field(default_factory=list)
    clinician_informed: bool = False
    informed_text: str = ""

    @property
    def recommendations(self) -> list[str]:
        """The radiologist's own recommending words, as written (not the "informed" ones)."""
        return [p.text for p in self.advice if p.kind != "informed"]

    @property
    def clinician_seen(self) -> bool | None:
        """True when the report says a clinician was told; None when it does not say."""
        return True if self.clinician_informed else None

    @property
    def warning_symptoms(self) -> list[str]:
        """Alias of ``warning_signs`` (the red-flag findings' warning signs)."""
        return list(self.warning_signs)


def finding_tier(finding: Finding, report_text: str = "", status: str | None = None) -> str | None:
    """The tier of one finding; None for a negated one.

    Args:
        finding: The finding.
        report_text: The report's text, searched for the escalation cues; "" for none.
        status: "present", "possible", "history" or "ruled_out"; None derives it.

    Returns:
        str | None: one of :data:`TIERS`.
    """
    if finding.negated or status == "ruled_out":
        return None
    data = lexicon()["urgency"]
    rule = data.get("concepts", {}).get(finding.concept) or {}
    base = data["by_category"][concepts()[finding.concept]["category"]]
    if status is None:
        status = "possible" if finding.uncertain or finding.hypothetical else (
            "history" if finding.historical else "present")
    # Known from before: no more urgent than a possible finding of the concept.
    key = {"possible": "possible", "history": "possible"}.get(status, "tier")
    tier = rule.get(key) or rule.get("tier") or base
    if tier != "today" and any(find_cues(report_text, cue) for cue in rule.get("escalate") or []):
        tier = "today"
    return tier


def tier_label(tier: str, lang: str) -> str:
    """The label of a tier: "Within days: talk to your doctor this week" / ..."""
    return in_language(lexicon()["urgency"]["tiers"][tier]["label"], check_language(lang))


def report_urgency(
    report: Report, text: str | None = None, lang: str | None = None,
    items: list["ExplainedFinding"] | None = None,
) -> Urgency:
    """The urgency of a whole report.

    Args:
        report: The analysed report.
        text: The report text; None uses ``report.text``.
        lang: Page language; None uses the report's.
        items: The report's explained findings, when already made.

    Returns:
        Urgency: the most urgent tier of its affirmed findings (not negated, not
        hypothetical), at least the tier the radiologist's advice asks for; "common"
        without affirmed findings.
    """
    from nlp.explain.explanations import explain_finding

    lang = check_language(lang or report.language)
    body = report.text if text is None else text
    if items is None:
        items = [explain_finding(f, lang=lang, report=report) for f in report.findings]
    affirmed = [i for i in items if i.tier and not i.finding.hypothetical]
    advice = find_advice(body, lang)
    tier = _most_urgent([i.tier for i in affirmed] + [_advice_floor(a) for a in advice])
    data = lexicon()["urgency"]
    signs, intro, sources = _warning_signs(affirmed, report, lang)
    informed = any(data["advice"][a.kind].get("informed") for a in advice)
    return Urgency(
        tier=tier,
        label=tier_label(tier, lang),
        what_to_do=in_language(data["tiers"][tier]["what_to_do"], lang),
        reasons=sorted((i for i in affirmed if i.tier == tier),
                       key=lambda i: (i.finding.start, i.finding.end)),
        warning_signs=signs,
        warning_intro=intro,
        warning_sources=sources,
        advice=advice,
        triggers=_triggers(affirmed, body, lang) if tier == "today" else [],
        clinician_informed=informed,
        informed_text=in_language(data["informed_text"], lang) if informed else "",
    )


def find_advice(report_text: str, lang: str = "en") -> list[Phrase]:
    """The radiologist's recommendations in the text ("urgent referral", "klinische
    correlatie", "telefonisch doorgegeven"), in text order, labelled in ``lang``.

    Both languages' phrases are searched: a report's language and the page's may differ.
    """
    lang = check_language(lang)
    found = []
    for kind, entry in lexicon()["urgency"]["advice"].items():
        for match in _pattern(("advice", kind)).finditer(report_text or ""):
            found.append(Phrase(match.group(0), match.start(), match.end(), kind,
                                in_language(entry["label"], lang)))
    return _without_overlaps(found)


def find_cues(report_text: str, cue: str) -> list[Phrase]:
    """Affirmed mentions of a cue list of urgency.yaml (``new_symptoms``, ``myelopathy``):
    a negation word just before, in the same sentence, cancels a mention."""
    out = []
    for match in _pattern(("cues", cue)).finditer(report_text or ""):
        before = report_text[max(0, match.start() - NEGATION_WINDOW):match.start()]
        before = re.split(r"[.;:\n]", before)[-1]
        ends = list(_pattern(("cues", "negation_ends")).finditer(before))
        before = before[ends[-1].end():] if ends else before
        if not _pattern(("cues", "negation")).search(before):
            out.append(Phrase(match.group(0), match.start(), match.end(), cue))
    return out


# ----------------------------------------------------------------------- helpers ----


def _most_urgent(tiers: Iterable[str | None]) -> str:
    present = [t for t in tiers if t]
    return min(present, key=TIERS.index) if present else "common"


def _triggers(affirmed: list["ExplainedFinding"], body: str, lang: str) -> list[Phrase]:
    """The cue phrases in the text that raised a finding of the report to "today"."""
    data = lexicon()["urgency"]
    cues = {cue for i in affirmed if i.tier == "today"
            for cue in (data.get("concepts", {}).get(i.concept) or {}).get("escalate") or []}
    found = []
    for cue in sorted(cues):
        for phrase in find_cues(body, cue):
            phrase.label = in_language(data["cues"][cue]["label"], lang)
            found.append(phrase)
    return _without_overlaps(found)


def _advice_floor(phrase: Phrase) -> str | None:
    return lexicon()["urgency"]["advice"][phrase.kind].get("at_least")


def _warning_signs(
    affirmed: list["ExplainedFinding"], report: Report, lang: str
) -> tuple[list[str], str, list[Source]]:
    """The warning signs of the report's red-flag findings, their intro and sources."""
    present = {i.concept for i in affirmed}
    regions = set(finding_regions([lv for i in affirmed for lv in i.finding.levels], report.regions))
    signs: list[str] = []
    intros: list[str] = []
    keys: list[str] = []
    for entry in lexicon()["urgency"]["warning_signs"].values():
        if not present & set(entry["concepts"]):
            continue
        if entry.get("regions") and regions and not regions & set(entry["regions"]):
            continue
        intros.append(in_language(entry["intro"], lang))
        signs += [squash(s) for s in entry[lang] if squash(s) not in signs]
        keys += [k for k in entry["sources"] if k not in keys]
    return signs, " ".join(intros[:1]), [source(k, "urgency") for k in keys]


def _without_overlaps(found: list[Phrase]) -> list[Phrase]:
    """The longest phrase wins where two overlap; text order."""
    found.sort(key=lambda p: (p.start, -(p.end - p.start)))
    out: list[Phrase] = []
    for item in found:
        if out and item.start < out[-1].end:
            continue
        out.append(item)
    return out


@lru_cache(maxsize=None)
def _pattern(where: tuple[str, str]) -> Pattern[str]:
    """One case-insensitive pattern of a phrase list of urgency.yaml (both languages), on
    word boundaries, any whitespace between words."""
    section, key = where
    entry: Mapping[str, Any] = lexicon()["urgency"][section][key]
    phrases = [p for lang in LANGUAGES for p in entry.get(lang) or []]
    parts = sorted({r"\s+".join(map(re.escape, p.split())) for p in phrases}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)
