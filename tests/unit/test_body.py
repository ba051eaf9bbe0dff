"""The body picture (nlp/present/body.py) and the lexicons of the complaint flow."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from nlp.lexicon import LANGUAGES
from nlp.present import body
from nlp.present.body import areas, body_svg, marked_areas, shapes
from nlp.present.complaints_text import lexicon, missing_texts, text
from nlp.second_opinion.match import allowed

SVG = "{http://www.w3.org/2000/svg}"
MIDLINE = {"neck", "upper_back", "low_back"}


def area_elements(svg: str, area: str):
    root = ET.fromstring(svg)
    return [el for el in root.iter() if el.get("data-area") == area]


def test_every_complaint_area_is_on_the_picture_and_nothing_else():
    assert set(areas()) == set(allowed("areas"))


@pytest.mark.parametrize("area", sorted(set(allowed("areas")) - MIDLINE))
def test_an_area_of_one_side_is_drawn_on_both_sides(area):
    sides = [s.side for s in shapes() if s.area == area]
    assert sides.count("left") == sides.count("right") >= 1


def test_midline_areas_have_no_side():
    assert {s.side for s in shapes() if s.area in MIDLINE} == {None}


def test_front_view_shows_the_persons_right_side_on_the_viewers_left():
    calf_like = [s for s in shapes() if s.view == "front" and s.area == "shin_outer"]
    xs = {s.side: float(s.attributes["points"].split()[0].split(",")[0]) for s in calf_like}
    assert xs["right"] < 100 < xs["left"]
    back = [s for s in shapes() if s.view == "back" and s.area == "calf"]
    xs = {s.side: float(s.attributes["points"].split()[0].split(",")[0]) for s in back}
    assert xs["left"] < 100 < xs["right"]


def test_mirrored_shape_is_the_mirror_image():
    left, right = (s for s in shapes() if s.view == "front" and s.area == "shoulder")
    assert float(left.attributes["cx"]) + float(right.attributes["cx"]) == 200


def test_marked_area_is_coloured_on_the_chosen_side_only():
    colours = lexicon("body")["colours"]
    svg = body_svg({"pain": ["calf"]}, "left", "en")
    fills = {el.get("data-side"): el.get("fill") for el in area_elements(svg, "calf")}
    assert fills == {"left": colours["pain"], "right": colours["none"]}
    both = {el.get("fill") for el in area_elements(body_svg({"pain": ["calf"]}, "both", "en"), "calf")}
    assert both == {colours["pain"]}
    no_side = {el.get("fill") for el in area_elements(body_svg({"pain": ["calf"]}, None, "en"), "calf")}
    assert no_side == {colours["pain"]}


def test_pain_and_numbness_on_one_area_is_both():
    colours = lexicon("body")["colours"]
    svg = body_svg({"pain": ["low_back"], "numbness": ["low_back", "calf"]}, "right", "en")
    assert {el.get("fill") for el in area_elements(svg, "low_back")} == {colours["both"]}
    calf = {el.get("data-side"): el.get("fill") for el in area_elements(svg, "calf")}
    assert calf["right"] == colours["numbness"]


def test_interactive_areas_are_buttons_with_names():
    svg = body_svg({"numbness": ["thumb_index"]}, "left", "nl", interactive=True)
    thumbs = area_elements(svg, "thumb_index")
    assert all(el.get("role") == "button" and el.get("tabindex") == "0" for el in thumbs)
    pressed = {el.get("data-side"): el.get("aria-pressed") for el in thumbs}
    assert pressed == {"left": "true", "right": "false"}
    left = next(el for el in thumbs if el.get("data-side") == "left")
    assert left.get("aria-label") == "Duim en wijsvinger (links): Doof gevoel of tintelingen"
    assert 'role="button"' not in body_svg({}, None, "en")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_picture_is_well_formed_svg_with_view_names(lang):
    root = ET.fromstring(body_svg({"pain": ["neck"]}, "left", lang, width="60mm"))
    assert root.tag == f"{SVG}svg"
    assert "width:60mm" in root.get("style")
    labels = [el.text for el in root.iter(f"{SVG}text")]
    assert text("front", lang) in labels and text("back", lang) in labels


def test_texts_in_the_picture_are_escaped(monkeypatch):
    monkeypatch.setattr(body, "text", lambda key, lang, **_: '<script>"x"</script>')
    svg = body_svg({"pain": ["calf"]}, None, "en", interactive=True)
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    ET.fromstring(svg)


def test_marked_areas_in_picture_order_once():
    assert marked_areas({"pain": ["calf", "neck"], "numbness": ["calf"]}) == ["neck", "calf"]


@pytest.mark.parametrize("name", ["complaints", "selfcheck", "next_steps"])
def test_flow_texts_exist_in_both_languages(name):
    assert missing_texts(name) == []


def test_every_area_and_movement_has_a_short_name():
    for lang in LANGUAGES:
        for value in allowed("areas"):
            assert text(f"areas.{value}", lang)
        for value in allowed("movements"):
            assert text(f"movements.{value}", lang)


def test_selfcheck_asks_every_red_flag_and_no_other():
    assert set(lexicon("selfcheck")["questions"]) == set(allowed("red_flags"))
    assert set(lexicon("selfcheck")["actions"]) == {"today", "days"}


def test_today_actions_name_gp_out_of_hours_and_112():
    actions = lexicon("selfcheck")["actions"]["today"]
    assert any("huisartsenpost" in a for a in actions["nl"])
    assert any("out-of-hours" in a for a in actions["en"])
    assert any("112" in a for a in actions["en"]) and any("112" in a for a in actions["nl"])


def test_no_flow_text_says_there_is_nothing_to_worry_about():
    words = re.compile(r"nothing to worry|no need to worry|niets aan de hand|geen zorgen", re.I)
    for name in ("complaints", "selfcheck", "next_steps", "match"):
        assert not words.search(str(lexicon(name))), name


def test_next_steps_claims_carry_known_sources():
    data = lexicon("next_steps")
    sources = data["sources"]
    for step in data["route"]:
        keys = step["source"] if isinstance(step["source"], list) else [step["source"]]
        assert keys and set(keys) <= set(sources), step["id"]
    assert data["course"]["source"] in sources and data["second_opinion"]["source"] in sources
    assert "75" in data["course"]["text"]["en"] and "75" in data["course"]["text"]["nl"]
    assert "Huisarts Wet 2015" in sources[data["course"]["source"]]


def test_missing_text_is_a_clear_lexicon_error():
    from nlp.lexicon import LexiconError

    with pytest.raises(LexiconError, match="complaints.yaml.*no_such"):
        text("no_such", "en")
