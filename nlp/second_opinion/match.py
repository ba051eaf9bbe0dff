"""Complaints against findings: does a root the report finds fit where it hurts? (issue 13,
interface.md "Complaints against findings").

The tables (dermatomes, myotomes) are in ``lexicons/dermatomes.yaml``, the allowed
complaint values, red-flag groups and sentences in ``lexicons/match.yaml``.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Dict, List, Mapping, Optional, Tuple, Union

from nlp.api import InputError, analyse
from nlp.lexicon import LANGUAGES, LexiconError, load_yaml
from nlp.report import Report
from nlp.second_opinion.roots import RootHit, candidates, find_roots

MATCHES = ("fits", "partly", "unclear", "does_not_fit")  # the order roots are listed in
_LIST_FIELDS = {"pain": "areas", "numbness": "areas", "weakness": "movements", "red_flags": "red_flags"}
Item = Tuple[str, str]  # (kind, value): ("numbness", "foot_top_big_toe")


class MatchError(InputError):
    """The complaints hold a value outside the vocabulary of interface.md."""


@lru_cache(maxsize=None)
def _data() -> dict:
    return load_yaml("match.yaml")


@lru_cache(maxsize=None)
def _tables() -> dict:
    return load_yaml("dermatomes.yaml")


@lru_cache(maxsize=None)
def validate_lexicons() -> None:
    """Check dermatomes.yaml, match.yaml and the root words: every complaint value has its
    roots, its source and its words in both languages; LexiconError names the entry."""
    tables, data = _tables(), _data()
    name = re.compile(r"^[CTLS](1[0-2]|[1-9])$")
    for vocabulary in ("areas", "movements"):
        for value, entry in tables[vocabulary].items():
            where = f"lexicons/dermatomes.yaml: {vocabulary}.{value}"
            if not all(name.match(str(r)) for r in entry.get("roots", [None])):
                raise LexiconError(f"{where}: roots must be root names such as L5, not {entry.get('roots')!r}.")
            if entry.get("source") not in tables["sources"]:
                raise LexiconError(f"{where}: source {entry.get('source')!r} is not under sources.")
    for lang in LANGUAGES:
        if lang not in tables["caveat"]:
            raise LexiconError(f"lexicons/dermatomes.yaml: caveat has no {lang!r} text.")
        for vocabulary in ("areas", "movements"):
            missing = set(tables[vocabulary]) - set(data["labels"][lang][vocabulary])
            if missing:
                raise LexiconError(f"lexicons/match.yaml: labels.{lang}.{vocabulary} lacks {sorted(missing)}.")
        if set(data["sentences"][lang]) != set(data["sentences"][LANGUAGES[0]]):
            raise LexiconError(f"lexicons/match.yaml: sentences.{lang} has other keys than sentences.{LANGUAGES[0]}.")
    if set(data["red_flags"]["today"]) & set(data["red_flags"]["days"]):
        raise LexiconError("lexicons/match.yaml: a red-flag answer is both 'today' and 'days'.")


def allowed(name: str) -> List[str]:
    """The allowed values of a complaint vocabulary: areas, movements, red_flags, sides."""
    if name in ("areas", "movements"):
        return list(_tables()[name])
    if name == "red_flags":
        return [v for group in _data()["red_flags"].values() for v in group]
    return list(_data()["sides"])


def check_complaints(complaints: Optional[Mapping[str, Any]]) -> Dict[str, Any]:
    """The complaints with every field present; MatchError naming a value that is unknown."""
    if complaints is None:
        complaints = {}
    if not isinstance(complaints, Mapping):
        raise MatchError(f"The complaints must be a JSON object, not {type(complaints).__name__}.")
    fields = ["side", *_LIST_FIELDS]
    unknown = [k for k in complaints if k not in fields]
    if unknown:
        raise MatchError(f"Unknown complaint field {unknown[0]!r}; allowed: {', '.join(fields)}.")
    side = complaints.get("side")
    if side is not None and side not in allowed("sides"):
        raise MatchError(f"Unknown side {side!r}; allowed: {', '.join(allowed('sides'))} or null.")
    checked: Dict[str, Any] = {"side": side}
    for key, vocabulary in _LIST_FIELDS.items():
        values = complaints.get(key) or []
        if isinstance(values, str) or not isinstance(values, list):
            raise MatchError(f"The field {key!r} must be a list, for example [\"{allowed(vocabulary)[0]}\"].")
        for value in values:
            if value not in allowed(vocabulary):
                raise MatchError(f"Unknown {key} value {value!r}; allowed: {', '.join(allowed(vocabulary))}.")
        checked[key] = list(dict.fromkeys(values))
    return checked


# --- urgency -------------------------------------------------------------------------


def urgency(report: Report, red_flags: List[str]) -> Tuple[Optional[str], List[str]]:
    """"today", "days" or None, and the reasons (answers first, then concepts)."""
    groups = _data()["red_flags"]
    today = [a for a in red_flags if a in groups["today"]]
    days = [a for a in red_flags if a in groups["days"]]
    for f in report.findings:
        if f.negated or f.hypothetical:
            continue
        if f.concept in _data()["today_concepts"]:
            today.append(f.concept)
        elif f.category == "attention":
            days.append(f.concept)
    reasons = list(dict.fromkeys(today + days))
    return ("today" if today else "days" if days else None), reasons


# --- the match of one root -----------------------------------------------------------


def _items(complaints: Dict[str, Any]) -> List[Item]:
    """The complaint areas and movements that point to roots (axial areas do not)."""
    items = []
    for kind in ("pain", "numbness", "weakness"):
        table = _tables()["movements" if kind == "weakness" else "areas"]
        items += [(kind, v) for v in complaints[kind] if table[v]["roots"]]
    return items


def _belongs(item: Item, root: str) -> bool:
    table = _tables()["movements" if item[0] == "weakness" else "areas"]
    return root in table[item[1]]["roots"]


def judge(hit: RootHit, complaints: Dict[str, Any]) -> Tuple[str, str, List[Item], List[Item]]:
    """The match of one root: (match, reason, items that belong, items that do not)."""
    items = _items(complaints)
    side = complaints["side"]
    if hit.root is None:
        return "unclear", "no_root", [], []
    if side is None and not items:
        return "unclear", "no_complaints", [], []
    if hit.side is None:
        return "unclear", "no_root_side", [i for i in items if _belongs(i, hit.root)], []
    fit = [i for i in items if _belongs(i, hit.root)]
    other = [i for i in items if not _belongs(i, hit.root)]
    opposite = side in ("left", "right") and hit.side in ("left", "right") and side != hit.side
    if opposite:
        return "does_not_fit", "side_contradicts", fit, other
    if items and not fit:
        return "does_not_fit", "areas_contradict", fit, other
    if side is None:
        return "partly", "no_side", fit, other
    if not items:
        return "partly", "side_only", fit, other
    return ("partly", "some_areas", fit, other) if other else ("fits", "fits", fit, other)


# --- the sentence why ----------------------------------------------------------------


def _complaint_phrase(items: List[Item], lang: str) -> Tuple[str, bool]:
    """"numbness or tingling on the top of the foot and the big toe", and whether plural."""
    labels = _data()["labels"][lang]
    parts = []
    for kind in ("pain", "numbness", "weakness"):
        values = [v for k, v in items if k == kind]
        if not values:
            continue
        table = labels["movements" if kind == "weakness" else "areas"]
        words = labels["and"].join(table[v] for v in values)
        parts.append(labels["kinds"][kind].format(areas=words, movements=words))
    return labels["and_your"].join(parts), len(parts) > 1


def _at(levels: List[str], lang: str) -> str:
    if not levels:
        return ""
    joined = _data()["labels"][lang]["and"].join(levels)
    return _data()["sentences"][lang]["at"].format(levels=joined)


def why(hit: RootHit, complaints: Dict[str, Any], lang: str) -> Tuple[str, str]:
    """The match of one root and one plain sentence (or two) saying why, in ``lang``."""
    match, reason, fit, other = judge(hit, complaints)
    s, labels = _data()["sentences"][lang], _data()["labels"][lang]
    at = _at(hit.levels, lang)
    rside = labels["root_sides"].get(hit.side, "")
    if reason in ("no_root", "no_complaints"):
        maybe = candidates(hit.levels)
        named = s["candidates"].format(roots=labels["or"].join(maybe)) if maybe else ""
        return match, _tidy(s[reason].format(verbed=s["verbed"][hit.how], at=at, rside=rside, candidates=named))
    cside = s["cside"].format(side=labels["sides"][complaints["side"]]) if complaints["side"] else ""
    shown = fit or other
    if shown:
        phrase, many = _complaint_phrase(shown, lang)
        key = "belongs" if fit else "not_belongs"
        first = s[key].format(complaints=phrase, cside=cside, root=hit.root,
                              verb=s[f"{key}_verb"]["many" if many or len(shown) > 1 else "one"])
    else:
        first = s["no_items"]
    report = s["report"][hit.how].format(rside=rside, at=at, finding=hit.finding_text)
    others, many = _complaint_phrase(other, lang)
    ending = s["endings"][reason].format(
        others=others, verb=s["belongs_verb"]["many" if many or len(other) > 1 else "one"],
        cside=labels["sides"].get(complaints["side"] or "", ""))
    caveat = _tables()["caveat"][lang] if (fit or other) and hit.side else ""
    maybe = s["uncertain"] if hit.uncertain else ""
    return match, _tidy(f"{first} {report}{ending} {maybe} {caveat}")


def question(hit: RootHit, complaints: Dict[str, Any], lang: str) -> Optional[str]:
    """A question for the clinician that follows from the match of one root, or None."""
    match, reason, _, _ = judge(hit, complaints)
    templates = _data()["sentences"][lang]["questions"]
    key = reason if reason in templates else match
    if key not in templates:
        return None
    labels = _data()["labels"][lang]
    return _tidy(templates[key].format(
        root=hit.root, rside=labels["root_sides"].get(hit.side, ""), at=_at(hit.levels, lang),
        verbed=_data()["sentences"][lang]["verbed"][hit.how]))


def _tidy(sentence: str) -> str:
    """One space between words, none before punctuation (an empty side leaves a gap)."""
    sentence = re.sub(r"\s+", " ", sentence).strip()
    return re.sub(r" ([,.:;?])", r"\1", sentence)


# --- the whole answer ----------------------------------------------------------------


def match(
    report_or_text: Union[Report, str],
    complaints: Optional[Mapping[str, Any]],
    lang: Optional[str] = None,
    age: Optional[int] = None,
) -> Dict[str, Any]:
    """Complaints against the findings of a report (interface.md).

    Args:
        report_or_text: an analysed Report, or the report text (analysed here).
        complaints: {"side", "pain", "numbness", "weakness", "red_flags"}, every field optional.
        lang, age: as for ``nlp.analyse`` when a text is given.

    Returns:
        dict: {"urgency", "urgency_reasons", "roots", "findings", ...}; roots that fit first.

    Raises:
        MatchError: for a complaint value outside the vocabulary (an InputError).
    """
    validate_lexicons()
    checked = check_complaints(complaints)
    report = report_or_text if isinstance(report_or_text, Report) else analyse(report_or_text, lang=lang, age=age)
    level, reasons = urgency(report, checked["red_flags"])
    roots = []
    for hit in find_roots(report):
        result, sentence = why(hit, checked, report.language)
        roots.append({"root": hit.root, "side": hit.side, "levels": list(hit.levels),
                      "concepts": list(hit.concepts), "match": result, "why": sentence,
                      "question": question(hit, checked, report.language),
                      "candidates": candidates(hit.levels) if hit.root is None else [],
                      "how": hit.how, "uncertain": hit.uncertain, "findings": list(hit.findings)})
    roots.sort(key=lambda r: MATCHES.index(r["match"]))  # stable: report order within a match
    advice = _data()["advice"][level or "none"][report.language]
    return {
        "urgency": level,
        "urgency_reasons": reasons,
        "roots": roots,
        "findings": _findings(report, roots),
        "language": report.language,
        "advice": advice,
        "note": _tables()["caveat"][report.language],
    }


def _findings(report: Report, roots: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """The analyse findings; one bearing on a root gets that root's best "match" and "roots"."""
    out = []
    for i, f in enumerate(report.findings):
        data = f.to_dict()
        touched = [r for r in roots if i in r["findings"]]
        if touched:
            data["match"] = min((r["match"] for r in touched), key=MATCHES.index)
            data["roots"] = [r["root"] for r in touched if r["root"]]
        out.append(data)
    return out
