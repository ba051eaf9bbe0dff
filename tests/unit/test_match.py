"""Complaints against findings (issue 13; interface.md "Complaints against findings"):
the roots a report bears on, the match per root, the urgency and the JSON contract.
All report sentences are written for these tests."""
from __future__ import annotations

import copy
import json

import pytest

import nlp
from nlp.lexicon import LexiconError, load_yaml
from nlp.second_opinion.match import MatchError, allowed, check_complaints

from nlp.second_opinion import match as match_module  # noqa: E402

L, R, B = "left", "right", "both"


def roots_of(text, complaints=None, lang=None):
    """[(root, side, match)] of a report against complaints, in the order given."""
    result = nlp.match(text, complaints or {}, lang=lang)
    return [(r["root"], r["side"], r["match"]) for r in result["roots"]]


# (report, complaints, expected [(root, side, match)])
CASES = [
    # --- lumbar, English: named roots ---------------------------------------------------
    ("L4-L5: left paracentral disc extrusion compressing the traversing left L5 root.",
     {"side": L, "numbness": ["foot_top_big_toe"]}, [("L5", L, "fits")]),
    ("L4-L5: left paracentral disc extrusion compressing the traversing left L5 root.",
     {"side": R, "numbness": ["foot_top_big_toe"]}, [("L5", L, "does_not_fit")]),
    ("L4-L5: left paracentral disc extrusion compressing the traversing left L5 root.",
     {"side": L, "pain": ["calf"]}, [("L5", L, "does_not_fit")]),
    ("L4-L5: left paracentral disc extrusion compressing the traversing left L5 root.",
     {"side": L, "pain": ["shin_outer", "calf"]}, [("L5", L, "partly")]),
    ("L4-L5: left paracentral disc extrusion compressing the traversing left L5 root.",
     {"side": L, "pain": ["low_back"]}, [("L5", L, "partly")]),
    ("L4-L5: left paracentral disc extrusion compressing the traversing left L5 root.",
     {"side": B, "weakness": ["big_toe_lift"]}, [("L5", L, "fits")]),
    ("L4-L5: left paracentral disc extrusion compressing the traversing left L5 root.",
     {"pain": ["shin_outer"]}, [("L5", L, "partly")]),
    ("L4-L5: left paracentral disc extrusion compressing the traversing left L5 root.",
     {}, [("L5", L, "unclear")]),
    ("L5-S1: right paracentral disc herniation with impingement of the right S1 nerve root.",
     {"side": R, "pain": ["calf"], "numbness": ["sole_outer_foot"], "weakness": ["toe_stand"]},
     [("S1", R, "fits")]),
    ("L5-S1: right paracentral disc herniation with impingement of the right S1 nerve root.",
     {"side": L, "pain": ["calf"]}, [("S1", R, "does_not_fit")]),
    ("L5-S1: right foraminal disc protrusion contacting the exiting right L5 nerve root.",
     {"side": R, "pain": ["shin_outer"]}, [("L5", R, "fits")]),
    # --- lumbar, English: roots reached by a disc's level and position ---------------------
    ("L4-L5: left subarticular disc protrusion.", {"side": L, "pain": ["shin_outer"]},
     [("L5", L, "fits")]),
    ("L4-L5: left foraminal disc protrusion.", {"side": L, "pain": ["shin_inner"]},
     [("L4", L, "fits")]),
    ("L4-L5: left foraminal disc protrusion.", {"side": L, "pain": ["shin_outer"]},
     [("L4", L, "does_not_fit")]),
    ("L3-L4: right extraforaminal disc herniation.", {"side": R, "pain": ["knee_front"]},
     [("L3", R, "fits")]),
    ("L4-L5: central disc protrusion.", {"side": R, "pain": ["shin_outer"]},
     [("L5", "central", "fits")]),
    ("L4-L5: central disc protrusion.", {"side": L, "pain": ["arm_outer"]},
     [("L5", "central", "does_not_fit")]),
    ("Foraminal stenosis on the right at L5-S1.", {"side": R, "pain": ["shin_outer"]},
     [("L5", R, "fits")]),
    ("L5-S1: bilateral foraminal stenosis.", {"side": L, "pain": ["shin_outer"]}, [("L5", B, "fits")]),
    ("L5-S1: foramenstenose beiderzijds.", {"side": R, "pain": ["calf"]}, [("L5", B, "does_not_fit")]),
    ("Lateral recess stenosis at L4-L5 on the left.", {"side": L, "weakness": ["big_toe_lift"]},
     [("L5", L, "fits")]),
    # several roots, one report
    ("L4-L5: left subarticular disc protrusion. L5-S1: right foraminal disc extrusion.",
     {"side": L, "pain": ["shin_outer"]}, [("L5", L, "fits"), ("L5", R, "does_not_fit")]),
    ("L4-L5: left subarticular disc protrusion. L5-S1: left paracentral disc extrusion.",
     {"side": L, "pain": ["calf"]}, [("S1", L, "fits"), ("L5", L, "does_not_fit")]),
    # --- reports without side or level ---------------------------------------------------
    ("L4-L5: disc protrusion compressing the L5 root.", {"side": L, "pain": ["shin_outer"]},
     [("L5", None, "unclear")]),
    ("Disc herniation abutting the nerve root.", {"side": L, "pain": ["calf"]},
     [(None, None, "unclear")]),
    ("L4-L5: paracentral disc extrusion.", {"side": L, "pain": ["shin_outer"]},
     [("L5", None, "unclear")]),
    # no root at all: a disc without a position word, a bulge, a negated root finding
    ("L4-L5: disc protrusion.", {"side": L, "pain": ["shin_outer"]}, []),
    ("L4-L5: left foraminal disc bulge.", {"side": L, "pain": ["shin_inner"]}, []),
    ("L4-L5: central disc protrusion without nerve root compression. No foraminal stenosis.",
     {"side": L}, [("L5", "central", "partly")]),
    ("No disc herniation at L5-S1.", {"side": L, "pain": ["calf"]}, []),
    # a role word with the level names the root; a thoracic root; "T2" of a sequence is none
    ("At L4-L5 mass effect on the emerging right nerve root.", {"side": R, "pain": ["shin_inner"]},
     [("L4", R, "fits")]),
    ("At L4-L5 mass effect on the traversing right nerve root.", {"side": R, "pain": ["shin_inner"]},
     [("L5", R, "does_not_fit")]),
    ("Disc herniation at T7-T8 compressing the left T8 nerve root.", {"side": L, "pain": ["shin_outer"]},
     [("T8", L, "does_not_fit")]),
    ("L4-L5: disc protrusion compressing the left nerve root with T2 hyperintense signal.",
     {"side": L, "pain": ["shin_outer"]}, [(None, L, "unclear")]),
    # a root finding without a name takes the root a central disc at its level reaches
    ("L4-L5: central disc extrusion compressing the left nerve root.", {"side": L, "pain": ["shin_outer"]},
     [("L5", L, "fits")]),
    # --- cervical, English --------------------------------------------------------------
    ("C5-C6: left foraminal disc herniation with compression of the left C6 root.",
     {"side": L, "numbness": ["thumb_index"]}, [("C6", L, "fits")]),
    ("C5-C6: left foraminal disc herniation with compression of the left C6 root.",
     {"side": L, "pain": ["thumb_index", "middle_finger"]}, [("C6", L, "partly")]),
    ("C5-C6: left foraminal disc herniation with compression of the left C6 root.",
     {"side": R, "numbness": ["thumb_index"]}, [("C6", L, "does_not_fit")]),
    ("C6-C7: right paracentral disc protrusion.", {"side": R, "weakness": ["elbow_straighten"]},
     [("C7", R, "fits")]),
    ("C6-C7: right paracentral disc protrusion.", {"side": R, "pain": ["foot_top_big_toe"]},
     [("C7", R, "does_not_fit")]),
    ("C7-T1: left foraminal narrowing.", {"side": L, "numbness": ["little_finger_side"]},
     [("C8", L, "fits")]),
    ("C4-C5: right foraminal stenosis.", {"side": B, "pain": ["shoulder", "arm_outer"],
                                            "weakness": ["shoulder_lift"]}, [("C5", R, "fits")]),
    # a central cervical disc presses on the cord, not on a root
    ("C5-C6: central disc protrusion.", {"side": L, "pain": ["thumb_index"]}, []),
    # --- lumbar, Dutch ------------------------------------------------------------------
    ("Op niveau L4-L5 een links paramediane discusextrusie met compressie van de L5-wortel links.",
     {"side": L, "numbness": ["foot_top_big_toe"]}, [("L5", L, "fits")]),
    ("Op niveau L5-S1 een rechts paramediane discusextrusie met compressie van de S1-wortel rechts.",
     {"side": L, "pain": ["calf"]}, [("S1", R, "does_not_fit")]),
    ("Op niveau L5-S1 een rechts paramediane discusextrusie met compressie van de S1-wortel rechts.",
     {"side": R, "pain": ["calf", "shin_outer"]}, [("S1", R, "partly")]),
    ("Extraforaminale hernia links op L4-L5 met contact met de L4-wortel.",
     {"side": L, "pain": ["shin_inner"]}, [("L4", L, "fits")]),
    ("L4-L5: foraminale discusprotrusie rechts.", {"side": R, "weakness": ["knee_straighten"]},
     [("L4", R, "fits")]),
    ("L4-L5: centrale discusprotrusie.", {"side": L, "pain": ["shin_outer"]},
     [("L5", "central", "fits")]),
    ("Recessusstenose links op L4-L5.", {"side": L, "numbness": ["foot_top_big_toe"]},
     [("L5", L, "fits")]),
    ("L4-L5: discusprotrusie met compressie van de L5-wortel.", {"side": R, "pain": ["shin_outer"]},
     [("L5", None, "unclear")]),
    ("Discushernia die de zenuwwortel raakt.", {"side": R, "pain": ["calf"]},
     [(None, None, "unclear")]),
    # --- cervical, Dutch ----------------------------------------------------------------
    ("C5-C6: foraminale discushernia links met compressie van de C6-wortel links.",
     {"side": L, "numbness": ["thumb_index"], "weakness": ["wrist_lift"]}, [("C6", L, "fits")]),
    ("C6-C7: foraminale discushernia rechts.", {"side": L, "numbness": ["middle_finger"]},
     [("C7", R, "does_not_fit")]),
]


@pytest.mark.parametrize("text, complaints, expected", CASES, ids=[f"{i:02d}" for i in range(len(CASES))])
def test_match_roots_and_their_match(text, complaints, expected):
    assert roots_of(text, complaints) == expected


def test_match_has_at_least_forty_written_cases():
    assert len(CASES) >= 40


# --- the sentence why ---------------------------------------------------------------


def test_match_why_english_names_the_place_the_root_the_level_and_the_verdict():
    result = nlp.match("L4-L5: left paracentral disc extrusion compressing the traversing left L5 root.",
                       {"side": L, "numbness": ["foot_top_big_toe"]})
    why = result["roots"][0]["why"]
    assert why.startswith("Your numbness or tingling on the top of the foot and the big toe (left) belongs to the L5 root.")
    assert "compressed on the left at L4-L5: this fits." in why
    assert "vary between people" in why


def test_match_why_dutch_is_plain_dutch():
    result = nlp.match("Op niveau L4-L5 een links paramediane discusextrusie met compressie van de L5-wortel links.",
                       {"side": L, "numbness": ["foot_top_big_toe"]})
    why = result["roots"][0]["why"]
    assert why.startswith("Uw doof gevoel of tintelingen boven op de voet en de grote teen (links) hoort bij de L5-wortel.")
    assert "Het verslag zegt dat die wortel links wordt samengedrukt op L4-L5: dit past." in why
    assert "verschilt per persoon" in why


def test_match_why_joins_kinds_of_complaint_in_plain_words():
    text = "L4-L5: left paracentral disc extrusion compressing the traversing left L5 root."
    both = {"side": L, "pain": ["shin_outer"], "numbness": ["foot_top_big_toe"]}
    en = nlp.match(text, both)["roots"][0]["why"]
    assert en.startswith("Your pain on the outside of the shin and your numbness or tingling on the top of "
                         "the foot and the big toe (left) belong to the L5 root.")
    nl = nlp.match("Op niveau L4-L5 een links paramediane discusextrusie met compressie van de L5-wortel links.",
                   both)["roots"][0]["why"]
    assert nl.startswith("Uw pijn aan de buitenkant van het onderbeen en uw doof gevoel of tintelingen boven op "
                         "de voet en de grote teen (links) horen bij de L5-wortel.")


def test_match_why_of_a_contradicting_side_says_less_likely():
    result = nlp.match("L5-S1: right paracentral disc herniation with impingement of the right S1 nerve root.",
                       {"side": L, "pain": ["calf"]})
    why = result["roots"][0]["why"]
    assert "does not fit" in why and "less likely" in why
    nl = nlp.match("Op niveau L5-S1 een rechts paramediane discusextrusie met compressie van de S1-wortel rechts.",
                   {"side": L, "pain": ["calf"]})
    assert "past niet" in nl["roots"][0]["why"] and "minder waarschijnlijk" in nl["roots"][0]["why"]


def test_match_why_of_an_unnamed_root_asks_which_one():
    en = nlp.match("Disc herniation abutting the nerve root.", {"side": L})["roots"][0]["why"]
    assert "not which one" in en
    nl = nlp.match("Discushernia die de zenuwwortel raakt.", {"side": L})["roots"][0]["why"]
    assert "niet welke" in nl


def test_match_why_says_when_the_report_is_not_sure():
    en = nlp.match("L4-L5: possible left foraminal disc protrusion.", {"side": L, "pain": ["shin_inner"]})
    assert en["roots"][0]["uncertain"] is True and "only possible" in en["roots"][0]["why"]
    nl = nlp.match("L4-L5: mogelijk een foraminale discusprotrusie links.", {"side": L, "pain": ["shin_inner"]})
    assert nl["roots"][0]["uncertain"] is True and "alleen mogelijk" in nl["roots"][0]["why"]
    sure = nlp.match("L4-L5: left foraminal disc protrusion.", {"side": L, "pain": ["shin_inner"]})
    assert sure["roots"][0]["uncertain"] is False and "possible" not in sure["roots"][0]["why"]


def test_match_unnamed_root_at_a_level_names_the_candidates():
    en = nlp.match("L4-L5: disc protrusion compressing the left nerve root.", {"side": L})["roots"][0]
    assert en["candidates"] == ["L4", "L5"] and "(L4 or L5)" in en["why"]
    nl = nlp.match("L4-L5: discusprotrusie met compressie van de zenuwwortel links.", {"side": L})["roots"][0]
    assert nl["candidates"] == ["L4", "L5"] and "(L4 of L5)" in nl["why"]


def test_match_questions_follow_from_the_match():
    text = "L5-S1: right paracentral disc herniation with impingement of the right S1 nerve root."
    wrong = nlp.match(text, {"side": L, "pain": ["calf"]})["roots"][0]["question"]
    assert wrong == ("The report finds something at the S1 root on the right at L5-S1, but my complaints "
                     "do not fit it: what else could explain them?")
    assert "side" in nlp.match("L4-L5: disc protrusion compressing the L5 root.", {"side": L})["roots"][0]["question"]
    assert nlp.match(text, {})["roots"][0]["question"] is None  # nothing to ask without complaints
    nl = nlp.match("Op niveau L5-S1 een rechts paramediane discusextrusie met compressie van de S1-wortel rechts.",
                   {"side": R, "pain": ["calf"]})["roots"][0]["question"]
    assert nl.startswith("Mijn klachten passen bij de S1-wortel rechts op L5-S1")


def test_match_why_of_a_partial_fit_names_what_belongs_elsewhere():
    why = nlp.match("C5-C6: left foraminal disc herniation with compression of the left C6 root.",
                    {"side": L, "pain": ["thumb_index", "middle_finger"]})["roots"][0]["why"]
    assert "fits partly" in why and "middle finger" in why


def test_match_roots_that_fit_come_first():
    result = nlp.match("L4-L5: left subarticular disc protrusion. L5-S1: left paracentral disc extrusion.",
                       {"side": L, "pain": ["calf"]})
    assert [r["match"] for r in result["roots"]] == ["fits", "does_not_fit"]


# --- urgency ------------------------------------------------------------------------


@pytest.mark.parametrize("answer", ["bladder", "bowel", "saddle_numbness", "sexual_function", "both_legs"])
def test_match_urgency_today_for_the_cauda_equina_answers(answer):
    result = nlp.match("L4-L5: disc protrusion.", {"red_flags": [answer]})
    assert result["urgency"] == "today"
    assert result["urgency_reasons"] == [answer]


def test_match_urgency_days_for_the_other_answers():
    for answer in load_yaml("match.yaml")["red_flags"]["days"]:
        assert nlp.match("L4-L5: disc protrusion.", {"red_flags": [answer]})["urgency"] == "days", answer


def test_match_urgency_from_the_report_cauda_equina_and_attention_findings():
    today = nlp.match("Large disc extrusion at L4-L5 compressing the cauda equina.", {})
    assert today["urgency"] == "today" and "cauda_equina_compression" in today["urgency_reasons"]
    days = nlp.match("Acute compression fracture of L1.", {})
    assert days["urgency"] == "days" and days["urgency_reasons"] == ["vertebral_fracture"]
    negated = nlp.match("No compression of the cauda equina. No fracture.", {})
    assert negated["urgency"] is None and negated["urgency_reasons"] == []


def test_match_urgency_today_wins_and_keeps_every_reason():
    result = nlp.match("Acute compression fracture of L1.", {"red_flags": ["fever", "bladder"]})
    assert result["urgency"] == "today"
    assert result["urgency_reasons"] == ["bladder", "fever", "vertebral_fracture"]


def test_match_never_says_nothing_to_worry_about():
    for text in ("L4-L5: disc protrusion.", "L4-L5: discusprotrusie."):
        result = nlp.match(text, {})
        assert result["urgency"] is None
        assert "worry" not in result["advice"].lower() and "zorgen" not in result["advice"].lower()
        assert "GP" in result["advice"] or "huisarts" in result["advice"]


# --- the JSON contract --------------------------------------------------------------


def test_match_json_contract():
    text = "L4-L5: left paracentral disc extrusion compressing the traversing left L5 root. No fracture."
    result = nlp.match(text, {"side": L, "pain": ["shin_outer"], "red_flags": []})
    assert list(result)[:4] == ["urgency", "urgency_reasons", "roots", "findings"]
    root = result["roots"][0]
    assert {"root", "side", "levels", "concepts", "match", "why"} <= set(root)
    assert root["levels"] == ["L4-L5"]
    assert root["concepts"] == ["disc_extrusion", "nerve_root_compression"]
    report = nlp.analyse(text).to_dict()
    assert [f["concept"] for f in result["findings"]] == [f["concept"] for f in report["findings"]]
    by_concept = {f["concept"]: f for f in result["findings"]}
    assert by_concept["disc_extrusion"]["match"] == "fits"
    assert by_concept["nerve_root_compression"]["match"] == "fits"
    assert "match" not in by_concept["vertebral_fracture"]  # negated, no root
    json.dumps(result)  # plain JSON


def test_match_takes_an_analysed_report_too():
    report = nlp.analyse("L4-L5: left foraminal disc protrusion.")
    assert nlp.match(report, {"side": L})["roots"][0]["root"] == "L4"


@pytest.mark.parametrize("complaints, named", [
    ({"pain": ["foot"]}, "'foot'"),
    ({"numbness": ["big_toe"]}, "'big_toe'"),
    ({"weakness": ["jump"]}, "'jump'"),
    ({"red_flags": ["headache"]}, "'headache'"),
    ({"side": "middle"}, "'middle'"),
    ({"where": ["calf"]}, "'where'"),
])
def test_match_unknown_values_are_an_error_naming_the_value_and_the_allowed_ones(complaints, named):
    with pytest.raises(MatchError) as e:
        check_complaints(complaints)
    message = str(e.value)
    assert named in message and "allowed" in message
    assert "\n" not in message


def test_match_error_lists_every_allowed_area():
    with pytest.raises(MatchError) as e:
        nlp.match("L4-L5: disc protrusion.", {"pain": ["foot"]})
    assert all(area in str(e.value) for area in allowed("areas"))
    assert isinstance(e.value, nlp.InputError)


# --- the data -----------------------------------------------------------------------


def test_match_tables_cover_the_vocabulary_of_the_spec_with_a_source_each():
    tables = load_yaml("dermatomes.yaml")
    spec_areas = {"neck", "shoulder", "arm_outer", "forearm_thumb_side", "thumb_index", "middle_finger",
                  "little_finger_side", "upper_back", "low_back", "buttock", "groin", "thigh_front",
                  "thigh_back", "knee_front", "shin_inner", "shin_outer", "calf", "foot_top_big_toe",
                  "sole_outer_foot"}
    spec_movements = {"shoulder_lift", "elbow_bend", "elbow_straighten", "wrist_lift", "grip", "hip_bend",
                      "knee_straighten", "foot_lift", "big_toe_lift", "toe_stand"}
    assert set(tables["areas"]) == spec_areas and set(tables["movements"]) == spec_movements
    for entry in [*tables["areas"].values(), *tables["movements"].values()]:
        assert entry["source"] in tables["sources"]
    assert "Stringer" in tables["sources"]["lee2008"]
    assert set(tables["caveat"]) == {"en", "nl"}


def test_match_labels_exist_for_every_value_in_both_languages():
    labels = load_yaml("match.yaml")["labels"]
    for lang in ("en", "nl"):
        assert set(labels[lang]["areas"]) == set(allowed("areas"))
        assert set(labels[lang]["movements"]) == set(allowed("movements"))


@pytest.mark.parametrize("break_it, named", [
    (lambda t, d: t["areas"]["calf"].update(roots=["calf"]), "areas.calf"),
    (lambda t, d: t["movements"]["grip"].update(source="somewhere"), "movements.grip"),
    (lambda t, d: d["labels"]["nl"]["areas"].pop("shin_outer"), "labels.nl.areas"),
    (lambda t, d: d["red_flags"]["days"].append("bladder"), "both 'today' and 'days'"),
])
def test_match_lexicons_are_checked_with_errors_naming_the_entry(monkeypatch, break_it, named):
    tables, data = copy.deepcopy(load_yaml("dermatomes.yaml")), copy.deepcopy(load_yaml("match.yaml"))
    break_it(tables, data)
    monkeypatch.setattr(match_module, "_tables", lambda: tables)
    monkeypatch.setattr(match_module, "_data", lambda: data)
    with pytest.raises(LexiconError, match=named):
        match_module.validate_lexicons.__wrapped__()


def test_match_shipped_lexicons_validate():
    match_module.validate_lexicons.__wrapped__()
