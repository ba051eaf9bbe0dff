"""The later report's words: its sentences and clauses, sizes in millimetres and comparison
cues ("unchanged since 2021", "toegenomen", "new since prior": lexicons/<lang>/compare.json).

Read by :mod:`nlp.second_opinion.compare`, which decides what each finding's change is.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from typing import Dict, FrozenSet, List, Optional, Sequence, Tuple

from nlp.lexicon import LANGUAGES, LexiconError, load_json
from nlp.report import Finding, Report

CUE_KINDS = ("unchanged", "increased", "decreased", "new", "resolved")
# Words that look like a cue but describe the image ("increased T2 signal"): matched (the
# longest cue wins at a place) and then ignored. Optional in a cue file.
PSEUDO = "pseudo"
# Priority of a cue when the mentions of one finding carry several: a change beats "unchanged".
CUE_PRIORITY = {"resolved": 4, "new": 3, "increased": 2, "decreased": 2, "unchanged": 1}
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)|\n+")
_CLAUSE_BREAK = re.compile(r"[,;:]|\s[-–]\s")
Span = Tuple[int, int]  # character offsets (start, end)
_MM = re.compile(r"(\d+(?:[.,]\d+)?)\s*(?:x\s*\d+(?:[.,]\d+)?\s*)?(mm|cm)\b", re.IGNORECASE)


@lru_cache(maxsize=None)
def cue_pattern(lang: str) -> "re.Pattern[str]":
    """One regular expression of the comparison cues of ``lang``; group names are the kinds."""
    cues = load_json(lang, "compare.json").get("cues") or {}
    alternatives: List[Tuple[int, str]] = []
    for kind in (*CUE_KINDS, PSEUDO):
        words = cues.get(kind, [] if kind == PSEUDO else None)
        if not isinstance(words, list) or (not words and kind != PSEUDO):
            raise LexiconError(
                f"lexicons/{lang}/compare.json: cues.{kind} must be a list of words.")
        for phrase in words:
            body = r"\s+".join(re.escape(part) for part in phrase.split())
            alternatives.append((len(phrase), f"(?P<{kind}_{len(alternatives)}>{body})"))
    # The longest cue first: at one place "no increase" wins over "increase".
    alternatives.sort(key=lambda item: -item[0])
    return re.compile(r"(?<!\w)(?:" + "|".join(a for _, a in alternatives) + r")(?!\w)",
                      re.IGNORECASE)




def sentences(text: str) -> List[Span]:
    """Sentence spans: split after . ! ? and at line ends."""
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _sentence_at(offset: int, sentences: Sequence[Span]) -> Optional[int]:
    """Index of the sentence holding ``offset`` (binary search: reports can be long)."""
    at = bisect_right(sentences, (offset, len(sentences) and sentences[-1][1] + 1)) - 1
    return at if at >= 0 and sentences[at][0] <= offset < sentences[at][1] else None


def per_sentence(findings: Sequence[Finding], sentences: Sequence[Span]) -> List[List[int]]:
    """The indices of the findings starting in each sentence."""
    members: List[List[int]] = [[] for _ in sentences]
    for index, finding in enumerate(findings):
        at = _sentence_at(finding.start, sentences)
        if at is not None:
            members[at].append(index)
    return members


def _clauses(text: str, start: int, end: int) -> List[Span]:
    """The clauses of a sentence: split at , ; : and a free-standing dash."""
    spans, begin = [], start
    for match in _CLAUSE_BREAK.finditer(text, start, end):
        spans.append((begin, match.start()))
        begin = match.end()
    spans.append((begin, end))
    return spans


def sizes(
    text: str, findings: Sequence[Finding], sentences: Sequence[Span], members: List[List[int]],
    sized: FrozenSet[str],
) -> Dict[int, float]:
    """Millimetres of a finding of a ``sized`` concept: each measure goes to the nearest
    finding of its sentence; a finding with several keeps the largest."""
    out: Dict[int, float] = {}
    for match in _MM.finditer(text):
        at = _sentence_at(match.start(), sentences)
        if at is None:
            continue
        offset = match.start()
        near = [(min(abs(findings[i].start - offset), abs(findings[i].end - offset)), i)
                for i in members[at] if not findings[i].negated]
        if not near:
            continue
        index = min(near)[1]
        if findings[index].concept not in sized:
            continue
        value = float(match.group(1).replace(",", "."))
        value *= 10 if match.group(2).lower() == "cm" else 1
        out[index] = max(out.get(index, 0.0), value)
    return out


@lru_cache(maxsize=None)
def within_scan_pattern(lang: str) -> "re.Pattern[str]":
    """Words after a cue that make it describe one scan ("worse on the right", "reduced in
    height"): ``not_followed_by`` of lexicons/<lang>/compare.json."""
    words = load_json(lang, "compare.json").get("not_followed_by") or []
    if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
        raise LexiconError(
            f"lexicons/{lang}/compare.json: not_followed_by must be a list of words.")
    longest_first = sorted(words, key=len, reverse=True)
    body = "|".join(r"\s+".join(map(re.escape, w.split())) for w in longest_first)
    return re.compile(rf"\s+(?:{body})(?!\w)" if body else r"(?!)", re.IGNORECASE)


@lru_cache(maxsize=None)
def attributive(lang: str) -> Tuple["re.Pattern[str]", FrozenSet[str]]:
    """An article right before a comparative ("a smaller similar lesion") compares with
    something else in the same scan: ``comparative_not_after`` of lexicons/<lang>/compare.json
    (the articles, and the comparatives it holds for)."""
    data = load_json(lang, "compare.json").get("comparative_not_after") or {}
    words, comparatives = data.get("words") or [], data.get("comparatives") or []
    if not all(isinstance(w, str) and w for w in [*words, *comparatives]):
        raise LexiconError(f"lexicons/{lang}/compare.json: comparative_not_after needs "
                           "'words' and 'comparatives' as lists of words.")
    longest_first = sorted(words, key=len, reverse=True)
    body = "|".join(r"\s+".join(map(re.escape, w.split())) for w in longest_first)
    pattern = re.compile(rf"(?<!\w)(?:{body})\s+$" if body else r"(?!)", re.IGNORECASE)
    return pattern, frozenset(" ".join(c.lower().split()) for c in comparatives)


def _within_scan(text: str, lang: str, match: "re.Match[str]", end: int) -> bool:
    """True when a cue describes one scan: "worse on the right", "a larger disc bulge"."""
    if within_scan_pattern(lang).match(text, match.end(), end):
        return True
    article, comparatives = attributive(lang)
    words = " ".join(match.group(0).lower().split())
    before = text[max(0, match.start() - 12):match.start()]
    return words in comparatives and bool(article.search(before))


def _cue_matches(text: str, lang: str, start: int, end: int) -> List[Tuple[int, str, str]]:
    """(offset, kind, words) of each comparison cue between start and end."""
    out = []
    for match in cue_pattern(lang).finditer(text, start, end):
        kind = next(name for name, value in match.groupdict().items() if value is not None)
        kind = kind.rsplit("_", 1)[0]
        if kind == PSEUDO or _within_scan(text, lang, match, end):
            continue
        out.append((match.start(), kind, " ".join(match.group(0).split())))
    return out


def cues(
    report: Report, sentences: Sequence[Span], in_sentence: List[List[int]]
) -> Dict[int, Tuple[str, str]]:
    """The comparison cue of each finding (by index): a cue belongs to the findings of its
    clause, else of the nearest clause before it with findings, else of the next one."""
    lang = report.language if report.language in LANGUAGES else "en"
    text = report.text
    out: Dict[int, Tuple[str, str]] = {}
    for (start, end), held in zip(sentences, in_sentence):
        cues = _cue_matches(text, lang, start, end)
        if not cues:
            continue
        clauses = _clauses(text, start, end)
        members = [[i for i in held if cs <= report.findings[i].start < ce] for cs, ce in clauses]
        for offset, kind, words in cues:
            at = next(i for i, (cs, ce) in enumerate(clauses) if cs <= offset <= ce)
            for index in _owners(members, at):
                held = out.get(index)
                if held is None or CUE_PRIORITY[kind] > CUE_PRIORITY[held[0]]:
                    out[index] = (kind, words)
    return out


def _owners(members: Sequence[Sequence[int]], at: int) -> Sequence[int]:
    if members[at]:
        return members[at]
    for i in range(at - 1, -1, -1):
        if members[i]:
            return members[i]
    return next((m for m in members[at + 1:] if m), [])


def says_all_unchanged(report: Report) -> Optional[str]:
    """The cue of a sentence without findings that says nothing else changed ("Otherwise
    unchanged."), or None. It keeps a finding the report does not name from "resolved"."""
    lang = report.language if report.language in LANGUAGES else "en"
    spans = sentences(report.text)
    for (start, end), held in zip(spans, per_sentence(report.findings, spans)):
        if held:
            continue
        cues = _cue_matches(report.text, lang, start, end)
        if cues and {kind for _, kind, _ in cues} == {"unchanged"}:
            return cues[0][2]
    return None
