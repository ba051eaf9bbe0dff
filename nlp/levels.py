"""Spinal level notation: recognise, normalise and expand.

Pure functions, no spaCy: the tokenizer keeps level notation whole ("L4-L5", "L5/S1",
"Th12-L1") and the level component calls these to turn tokens into normalised levels
(``L4-L5`` for a disc level, ``L5`` for a vertebra or the root named after it).
"""
from __future__ import annotations

import re
from typing import List, Optional, Sequence

# Vertebrae in cranio-caudal order. Thoracic levels are written T, Th or D in reports.
VERTEBRAE: tuple = (
    *(f"C{i}" for i in range(1, 8)),
    *(f"T{i}" for i in range(1, 13)),
    *(f"L{i}" for i in range(1, 6)),
    *(f"S{i}" for i in range(1, 6)),
)
_INDEX = {name: i for i, name in enumerate(VERTEBRAE)}
_REGION_MAX = {"C": 7, "T": 12, "L": 5, "S": 5}

_PART = r"(?:C|Th|T|D|L|S)"
# One token of level notation: L4, L4-L5, L4-5, L4/5, L4/L5, L5S1, L45, Th12-L1, C5–C6.
LEVEL_TOKEN_RE = re.compile(
    rf"^(?P<r1>{_PART})(?P<n1>\d{{1,2}})"
    rf"(?:(?P<sep>[-/–])?(?P<r2>{_PART})?(?P<n2>\d{{1,2}}))?$",
    re.IGNORECASE,
)
# For the tokenizer: the same notation must never be split on "-" or "/" (a split "-"
# reads as a negation cue to some context rule sets).
TOKEN_MATCH_RE = re.compile(
    rf"^{_PART}\d{{1,2}}(?:[-/–]{_PART}?\d{{1,2}})?$", re.IGNORECASE
)


def _region(prefix: str) -> str:
    prefix = prefix.upper()
    return "T" if prefix in ("TH", "D") else prefix


def _vertebra(prefix: str, number: str) -> Optional[str]:
    region = _region(prefix)
    n = int(number)
    if n < 1 or n > _REGION_MAX[region]:
        return None
    return f"{region}{n}"


def parse_level(text: str) -> List[str]:
    """Normalise one piece of level notation.

    Args:
        text (str): A token such as ``"L4-5"``, ``"L5/S1"``, ``"Th12-L1"`` or ``"L45"``.

    Returns:
        List[str]: ``["L4-L5"]`` for a disc level, ``["L4"]`` for a vertebra, the disc
        levels in between for a span such as ``"L3-L5"``, or ``[]`` when ``text`` is not
        level notation.
    """
    m = LEVEL_TOKEN_RE.match(text.strip())
    if not m:
        return []
    r1, n1, sep, r2, n2 = m.group("r1", "n1", "sep", "r2", "n2")
    if n2 is None:
        # "L45" is dictation for L4-L5; a bare "L4" is a vertebra.
        if len(n1) == 2 and _region(r1) != "T" and not n1.startswith("1"):
            first = _vertebra(r1, n1[0])
            second = _vertebra(r1, n1[1])
            return disc_levels_between(first, second) if first and second else []
        single = _vertebra(r1, n1)
        return [single] if single else []
    if sep is None and r2 is None:
        return []  # "L412": not notation we know
    first = _vertebra(r1, n1)
    second = _vertebra(r2 or r1, n2)
    if not first or not second:
        return []
    return disc_levels_between(first, second)


def disc_levels_between(first: str, last: str) -> List[str]:
    """Disc levels from vertebra ``first`` down to vertebra ``last`` ("L3", "L5" -> L3-L4, L4-L5)."""
    a, b = _INDEX[first], _INDEX[last]
    if a > b:
        a, b = b, a
    if a == b:
        return [first]
    return [f"{VERTEBRAE[i]}-{VERTEBRAE[i + 1]}" for i in range(a, b)]


def expand_range(start: Sequence[str], end: Sequence[str]) -> List[str]:
    """Expand "L1-L2 through L4-L5" or "L3 to S1" into every disc level in between.

    Args:
        start (Sequence[str]): Normalised levels of the range's first item.
        end (Sequence[str]): Normalised levels of the range's last item.

    Returns:
        List[str]: The disc levels from the top of ``start`` to the bottom of ``end``.
    """
    if not start or not end:
        return [*start, *end]
    if len(start) == 1 and len(end) == 1 and not is_disc_level(start[0]) and not is_disc_level(end[0]):
        # "L1 t/m L3", "T11 to T12": the vertebrae themselves (a fracture, Schmorl nodes)
        return vertebrae_between(start[0], end[0])
    top = start[0].split("-")[0]
    bottom = end[-1].split("-")[-1]
    if _INDEX[top] >= _INDEX[bottom]:
        return [*start, *end]
    return disc_levels_between(top, bottom)


def is_disc_level(level: str) -> bool:
    """True for a disc level ("L4-L5"), false for a vertebra ("L5")."""
    return "-" in level


def vertebrae_between(first: str, last: str) -> List[str]:
    """Every vertebra from ``first`` to ``last`` ("L1", "L3" -> L1, L2, L3)."""
    a, b = sorted((_INDEX[first], _INDEX[last]))
    return list(VERTEBRAE[a:b + 1])


def as_disc_levels(levels: Sequence[str]) -> List[str]:
    """Read consecutive vertebrae as the disc levels between them.

    "Anterolisthesis of L4 on L5" names vertebrae L4 and L5 but the disc level L4-L5; a
    single vertebra or non-adjacent vertebrae are kept as they are.
    """
    if len(levels) < 2 or any(is_disc_level(lv) for lv in levels):  # not two or more vertebrae
        return list(levels)
    idx = sorted(_INDEX[v] for v in levels)
    if idx != list(range(idx[0], idx[0] + len(idx))):
        return list(levels)
    return disc_levels_between(VERTEBRAE[idx[0]], VERTEBRAE[idx[-1]])
