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
from nlp.present.render import esc, safe_colour
from nlp.present.ui_text import t

# The colour of each tier, on the page and on paper.
TIER_COLOURS = {"today": "#B00020", "days": "#B34700", "depends": "#1D5FA8", "common": "#2E7D32"}


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


def tier_colour(tier: str) -> str:
    """The tier's colour as a safe ``#rrggbb``."""
    return safe_colour(TIER_COLOURS.get(tier))


def urgency_body_html(view: UrgencyView, lang: str) -> str:
    """The inside of the urgency box, escaped, for the page and the print page alike: what
    to do, why, the radiologist's words, whether a clinician was told, the warning signs."""
    parts = [f"<h3>{esc(view.heading)}</h3>", f"<p>{esc(view.advice)}</p>" if view.advice else ""]
    if view.reasons:
        parts.append(f"<p><strong>{esc(t('urgency.reasons', lang))}</strong> "
                     f"{esc('; '.join(view.reasons))}</p>")
    for quote in view.recommendations:
        parts.append(f"<p>{esc(t('urgency.radiologist', lang))}</p>"
                     f"<blockquote>“{esc(' '.join(quote.split()))}”</blockquote>")
    if view.informed:
        parts.append(f"<p>{esc(view.informed)}</p>")
    if view.symptoms:
        parts.append(f'<p><strong>{esc(view.symptoms_intro)}</strong></p><ul class="symptoms">'
                     + "".join(f"<li>{esc(s)}</li>" for s in view.symptoms) + "</ul>")
    return "".join(parts)
