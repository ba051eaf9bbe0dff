"""Tests for nlp/pipeline/level_notation.py (level notation) and the level-mention component.

Expected levels follow spinal anatomy: C1-C7, T1-T12 (also written Th or D), L1-L5, S1; a
disc level is the pair of adjacent vertebrae around the disc ("L4-5" is the L4-L5 disc).
"""
from __future__ import annotations

import re

import pytest

from nlp.pipeline import extensions  # noqa: F401  (registers doc._.level_mentions)
from nlp.pipeline.levels import find_mentions, group_mentions
from nlp.pipeline.tokenizer import blank
from nlp.pipeline.level_notation import (
    VERTEBRAE,
    as_disc_levels,
    disc_levels_between,
    expand_range,
    is_disc_level,
    parse_level,
    vertebrae_between,
)

# A normalised level: a vertebra, or two vertebrae joined by "-".
_VERTEBRA = r"(?:C[1-7]|T(?:1[0-2]|[1-9])|L[1-5]|S[1-5])"
NORMALISED = re.compile(rf"^{_VERTEBRA}(?:-{_VERTEBRA})?$")


# --- parse_level ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,expected",
    [
        # the L4-L5 disc, however it is written
        ("L4-5", ["L4-L5"]),
        ("L4/L5", ["L4-L5"]),
        ("L4-L5", ["L4-L5"]),
        ("L4/5", ["L4-L5"]),
        ("l4-l5", ["L4-L5"]),
        ("L4–L5", ["L4-L5"]),  # en dash from a word processor
        ("L45", ["L4-L5"]),  # dictation
        # the lumbosacral disc
        ("L5/S1", ["L5-S1"]),
        ("L5S1", ["L5-S1"]),
        ("L5-S1", ["L5-S1"]),
        # thoracolumbar junction: Th and D are Dutch/German spellings of T
        ("Th12-L1", ["T12-L1"]),
        ("D12-L1", ["T12-L1"]),
        ("T12-L1", ["T12-L1"]),
        # cervical and cervicothoracic
        ("C5-6", ["C5-C6"]),
        ("C5/C6", ["C5-C6"]),
        ("C7-T1", ["C7-T1"]),
    ],
)
def test_levels_parse_level_disc_notation(text, expected):
    assert parse_level(text) == expected


@pytest.mark.parametrize(
    "text,expected",
    [("T12", ["T12"]), ("D12", ["T12"]), ("Th12", ["T12"]), ("S1", ["S1"]), ("L1", ["L1"]), ("C2", ["C2"])],
)
def test_levels_parse_level_single_vertebra(text, expected):
    assert parse_level(text) == expected
    assert not is_disc_level(expected[0])


@pytest.mark.parametrize(
    "text",
    [
        "X4",  # no such region
        "L9",  # five lumbar vertebrae
        "L0",
        "L6",
        "C8",  # C8 is a root, not a vertebra
        "C0",
        "T13",
        "L4-L9",
        "L412",
        "",
        "level",
        "4-5",  # no region letter
    ],
)
def test_levels_parse_level_rejects_invalid_notation(text):
    assert parse_level(text) == []


def test_levels_parse_level_span_of_vertebrae_gives_the_discs_between():
    # "L3-L5" spans two discs: L3-L4 and L4-L5.
    assert parse_level("L3-L5") == ["L3-L4", "L4-L5"]


@pytest.mark.parametrize("upper,lower", list(zip(VERTEBRAE[:-1], VERTEBRAE[1:])))
def test_levels_parse_level_every_adjacent_pair_round_trips(upper, lower):
    expected = [f"{upper}-{lower}"]
    assert parse_level(f"{upper}-{lower}") == expected
    assert parse_level(f"{upper}/{lower}") == expected
    assert NORMALISED.match(expected[0])


def test_levels_vertebrae_are_in_craniocaudal_order():
    assert len(VERTEBRAE) == 7 + 12 + 5 + 5
    assert VERTEBRAE.index("C7") + 1 == VERTEBRAE.index("T1")
    assert VERTEBRAE.index("T12") + 1 == VERTEBRAE.index("L1")
    assert VERTEBRAE.index("L5") + 1 == VERTEBRAE.index("S1")


# --- ranges ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "start,end,expected",
    [
        # "L1-L2 through L4-L5"
        (["L1-L2"], ["L4-L5"], ["L1-L2", "L2-L3", "L3-L4", "L4-L5"]),
        # "L3-L4 t/m L5-S1"
        (["L3-L4"], ["L5-S1"], ["L3-L4", "L4-L5", "L5-S1"]),
        # across the thoracolumbar junction
        (["T11-T12"], ["L1-L2"], ["T11-T12", "T12-L1", "L1-L2"]),
        # "C4-C5 to C6-C7"
        (["C4-C5"], ["C6-C7"], ["C4-C5", "C5-C6", "C6-C7"]),
        # a disc level down to a vertebra: "L3-L4 through S1"
        (["L3-L4"], ["S1"], ["L3-L4", "L4-L5", "L5-S1"]),
    ],
)
def test_levels_expand_range_disc_levels(start, end, expected):
    assert expand_range(start, end) == expected


@pytest.mark.parametrize(
    "start,end,expected",
    [
        # "Schmorl nodes L1 t/m L3": the vertebrae themselves
        (["L1"], ["L3"], ["L1", "L2", "L3"]),
        (["T11"], ["L1"], ["T11", "T12", "L1"]),
        (["L3"], ["L3"], ["L3"]),
    ],
)
def test_levels_expand_range_vertebrae(start, end, expected):
    assert expand_range(start, end) == expected
    assert vertebrae_between(start[0], end[0]) == expected


def test_levels_expand_range_never_invents_levels_for_a_reversed_range():
    # "L4-L5 to L1-L2" is not a range we can read: keep the two levels named.
    assert sorted(expand_range(["L4-L5"], ["L1-L2"])) == ["L1-L2", "L4-L5"]


@pytest.mark.parametrize("start,end", [([], ["L4-L5"]), (["L4-L5"], [])])
def test_levels_expand_range_with_an_empty_side_keeps_the_other(start, end):
    assert expand_range(start, end) == ["L4-L5"]


def test_levels_disc_levels_between_is_order_independent():
    assert disc_levels_between("L3", "L5") == ["L3-L4", "L4-L5"]
    assert disc_levels_between("L5", "L3") == ["L3-L4", "L4-L5"]
    assert disc_levels_between("L4", "L4") == ["L4"]


def test_levels_vertebrae_between_is_order_independent():
    assert vertebrae_between("L3", "L1") == ["L1", "L2", "L3"]


# --- as_disc_levels -------------------------------------------------------------------


@pytest.mark.parametrize(
    "levels,expected",
    [
        (["L4", "L5"], ["L4-L5"]),  # "anterolisthesis of L4 on L5"
        (["L5", "S1"], ["L5-S1"]),
        (["L5", "L4"], ["L4-L5"]),  # order as written does not matter
        (["L3", "L4", "L5"], ["L3-L4", "L4-L5"]),
        (["T12", "L1"], ["T12-L1"]),
        (["L5"], ["L5"]),  # a single vertebra stays a vertebra
        (["L3", "L5"], ["L3", "L5"]),  # not adjacent: not one disc
        (["L4-L5", "L5"], ["L4-L5", "L5"]),  # already a disc level: unchanged
        (["L4-L5"], ["L4-L5"]),
        ([], []),
    ],
)
def test_levels_as_disc_levels(levels, expected):
    assert as_disc_levels(levels) == expected


def test_levels_as_disc_levels_does_not_change_its_argument():
    levels = ["L4", "L5"]
    as_disc_levels(levels)
    assert levels == ["L4", "L5"]


# --- level mentions in a Doc (spine_levels component, blank pipeline) ----------------


_TOKENIZERS: dict = {}


def _doc(lang: str, text: str):
    # spacy.blank("nl") takes seconds (lookup tables): build each language once.
    if lang not in _TOKENIZERS:
        _TOKENIZERS[lang] = blank(lang)
    return _TOKENIZERS[lang](text)


def _groups(lang: str, text: str):
    doc = _doc(lang, text)
    return doc, group_mentions(doc, find_mentions(doc))


@pytest.mark.parametrize(
    "lang,text,expected",
    [
        ("en", "No stenosis at L1-L2 through L4-L5.", [["L1-L2", "L2-L3", "L3-L4", "L4-L5"]]),
        ("nl", "Op de niveaus L3-L4 t/m L5-S1 geen stenose.", [["L3-L4", "L4-L5", "L5-S1"]]),
        ("nl", "Discusbulging L3-L4, L4-L5 en L5-S1.", [["L3-L4", "L4-L5", "L5-S1"]]),
        ("en", "Schmorl nodes L1 to L3.", [["L1", "L2", "L3"]]),
        ("en", "Anterolisthesis of L4 on L5.", [["L4", "L5"]]),
        ("en", "Bulge at L4 - L5.", [["L4-L5"]]),  # notation written with spaces
        ("en", "Fracture of L1. Bulge at L4-L5.", [["L1"], ["L4-L5"]]),
    ],
)
def test_levels_group_mentions(lang, text, expected):
    _, groups = _groups(lang, text)
    assert [g.levels for g in groups] == expected


@pytest.mark.parametrize(
    "text",
    ["Sagittal T1 and T2 weighted images.", "T2 hyperintense signal.", "On T1 and T2 the disc is dark."],
)
def test_levels_mri_sequence_names_are_not_vertebrae(text):
    _, groups = _groups("en", text)
    assert [level for g in groups for level in g.levels] == []


@pytest.mark.parametrize(
    "lang,text",
    [("en", "the traversing left S1 nerve root"), ("nl", "compressie van de S1-wortel links")],
)
def test_levels_a_root_named_by_its_vertebra_is_marked_as_root(lang, text):
    _, groups = _groups(lang, text)
    assert [(g.levels, g.is_root) for g in groups] == [(["S1"], True)]


def test_levels_a_level_followed_by_a_colon_at_line_start_is_a_heading():
    _, groups = _groups("en", "Findings:\nL4-L5: mild bulge. Protrusion at L5-S1.")
    assert [(g.levels, g.is_heading) for g in groups] == [(["L4-L5"], True), (["L5-S1"], False)]
