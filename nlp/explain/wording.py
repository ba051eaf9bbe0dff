"""The words that place a finding: its level, side, root, severity and region, and the
examples filled from them (never a fixed "left S1" example).

Data: the ``_words`` section and the per-concept ``example`` templates of
``lexicons/explanations.yaml``.
"""
from __future__ import annotations

import string
from dataclasses import dataclass, field
from typing import Any, Mapping

from nlp.explain.data import join, text, words
from nlp.report import Finding

# Side values of the analyser and of nlp.second_opinion.roots, to one set of keys.
_SIDES = {"left": "left", "right": "right", "bilateral": "bilateral", "both": "bilateral",
          "central": "central"}


@dataclass
class Place:
    """Where a finding is, as far as the report says: nothing here is guessed."""

    levels: list[str] = field(default_factory=list)
    side: str | None = None            # left | right | bilateral | central | None
    roots: list[str] = field(default_factory=list)   # "S1", from nlp.second_opinion.roots
    area: str = "back"                 # back | neck: which words fit (pain, limbs)


def place_of(finding: Finding, regions: list[str], roots: list[str] | None = None) -> Place:
    """The place of ``finding``; ``regions`` are its spine regions (see
    :func:`nlp.explain.prevalence.finding_regions`), ``roots`` the nerve roots it reaches."""
    area = "neck" if regions and set(regions) <= {"cervical"} else "back"
    return Place(list(finding.levels), _SIDES.get(finding.side or ""), list(roots or []), area)


def where(place: Place, lang: str) -> str:
    """The levels as text: "L5-S1", "L4-L5 and L5-S1" / "L4-L5 en L5-S1"; "" when none."""
    return join(place.levels, lang)


def side_label(place: Place, lang: str) -> str:
    """"left" / "links", ...; "" when the report gives no side."""
    return words(lang)["side_word"].get(place.side, "") if place.side else ""


def severity_label(severity: str | None, lang: str) -> str:
    """"moderate" -> "moderate" / "matig"; "" when the report gives none."""
    return words(lang)["severity"].get(severity or "", "")


def region_words(area: str, lang: str) -> Mapping[str, Any]:
    """{pain, complaints, limb, limbs, ...} for the back or the neck."""
    return words(lang)["region"][area]


def fill_region(value: str, area: str, lang: str) -> str:
    """Fill the region placeholders of a text ("{pain}" -> "neck pain" for the neck)."""
    known = {k: v for k, v in region_words(area, lang).items() if isinstance(v, str)}
    return value.format_map(known) if "{" in value else value


def phrase(short: str, place: Place, lang: str) -> str:
    """The finding named with its place: "the disc extrusion on the left at L5-S1 (S1
    nerve root)" / "de extrusie links op L5-S1 (S1-zenuwwortel)"."""
    w = words(lang)
    parts = [short]
    if place.side:
        parts.append(w["side"][place.side])
    if place.levels:
        parts.append(w["at_level"].format(levels=where(place, lang)))
    if place.roots:
        parts.append("(" + join([w["root"].format(root=r) for r in place.roots], lang) + ")")
    return " ".join(parts)


def example(templates: list[str], place: Place, lang: str) -> str | None:
    """The first template whose placeholders the place fills; None when none fits.

    Placeholders: {level}, {side}, {side_adj}, {root}, {limb_side} (plus the region words).
    """
    values = _example_values(place, lang)
    for template in templates:
        needed = {name for _, name, _, _ in string.Formatter().parse(template) if name}
        if needed <= set(values):
            return text(template.format_map(values), lang)
    return None


def _example_values(place: Place, lang: str) -> dict[str, str]:
    w = words(lang)
    area = region_words(place.area, lang)
    values = {k: v for k, v in area.items() if isinstance(v, str)}
    if len(place.levels) == 1:
        values["level"] = place.levels[0]
    if place.side in ("left", "right"):
        values["side"] = w["side"][place.side]
        values["side_adj"] = w["side_adj"][place.side]
    if place.side in ("left", "right", "bilateral"):
        values["limb_side"] = area["limb_side"][place.side]
    if len(place.roots) == 1:
        values["root"] = place.roots[0]
    return values


def ruled_out_text(sentence: str, place: Place, lang: str) -> str:
    """A ruled-out sentence with its level(s), when the report gives them: "At L5-S1, the
    report says no nerve root is compressed."; no level, no scope."""
    if not place.levels:
        return sentence
    lowered = sentence[:1].lower() + sentence[1:]
    return words(lang)["ruled_out_at"].format(where=where(place, lang), text=lowered)
