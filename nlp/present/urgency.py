"""What needs attention, as the page and the print page show it: one urgency view per report.

The clinical decision (which tier, which warning signs, what the radiologist advised, whether
a clinician was told) belongs to :mod:`nlp.explain` (``explanation.urgency``, from
``lexicons/urgency.yaml``); this module only puts it in the shape both pages show. Tiers,
most urgent first: ``today`` (what to do now, with the Dutch routes huisarts,
huisartsenpost, 112), ``days``, ``depends`` and ``common``. Nothing here imports Streamlit::

    view = urgency_view(explanation, lang="nl")
    view.tier, view.heading, view.advice, view.symptoms
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import List

from nlp.explain import ReportExplanation
from nlp.present.ui_text import t


@dataclass
class UrgencyView:
    """The report's urgency as shown: its tier, what to do, and why."""

    tier: str
    heading: str
    advice: str
    reasons: List[str] = field(default_factory=list)  # the findings of this tier, with place
    recommendations: List[str] = field(default_factory=list)  # the radiologist's own words
    informed: str = ""  # "the report says a clinician was told", else ""
    symptoms_intro: str = ""
    symptoms: List[str] = field(default_factory=list)
    # The general warning signs of the report's area (back or neck), when ``symptoms`` are
    # those of its red-flag findings; else empty (then ``symptoms`` are the general ones).
    general_intro: str = ""
    general: List[str] = field(default_factory=list)

    @property
    def emergency(self) -> bool:
        return self.tier == "today"


def urgency_view(explanation: ReportExplanation, lang: str) -> UrgencyView:
    """The urgency of a report in ``lang``, from its explanation (made in ``lang``).

    The warning signs are those of the report's red-flag findings, and the general list
    for the report's area (back or neck) besides; without red-flag findings, the general
    list only.
    """
    urgency = explanation.urgency
    if urgency is None:  # an explanation made by hand, without the report's text
        return UrgencyView("common", t("urgency.fallback", lang), "",
                           symptoms_intro=explanation.warning_intro,
                           symptoms=list(explanation.warning_symptoms))
    reasons = []
    for item in urgency.reasons:
        place = ", ".join(p for p in (item.where, item.side_label) if p)
        reasons.append(f"{item.name} ({place})" if place else item.name)
    signs = list(urgency.warning_signs)
    general = [s for s in explanation.warning_symptoms if s not in signs]
    return UrgencyView(
        tier=urgency.tier,
        heading=urgency.label,
        advice=urgency.what_to_do,
        reasons=list(dict.fromkeys(reasons)),
        recommendations=[p.text for p in urgency.advice if p.kind != "informed"],
        informed=urgency.informed_text if urgency.clinician_informed else "",
        symptoms_intro=(urgency.warning_intro if signs else explanation.warning_intro),
        symptoms=signs or general,
        general_intro=explanation.warning_intro if signs else "",
        general=general if signs else [],
    )
