"""The complaint flow on the page (issue 13), run headless with Streamlit's AppTest:
choose complaints (lists and taps on the picture), see the match, the self-check tiers, the
page language switch and the handover download.

AppTest cannot click inside the picture (a component iframe): a tap is what the picture sends,
``{area, side, n}`` in the session state under its key; tests/e2e/test_browser_complaints.py taps
the real picture in Chromium.
"""
from __future__ import annotations

import re

from pathlib import Path
from typing import Dict

import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1 import app_test as app_test_module

APP_FILE = str(Path(__file__).resolve().parents[2] / "app.py")
TIMEOUT = 180  # the first run builds the pipelines


class Storage(MemoryMediaFileStorage):
    """AppTest's in-memory media storage, kept so the handover download can be read."""

    latest: "Storage | None" = None

    def __init__(self, endpoint: str) -> None:
        super().__init__(endpoint)
        Storage.latest = self


@pytest.fixture()
def at(monkeypatch) -> AppTest:
    """The page with the English lumbar example open (``?sample=en_lumbar_1``)."""
    monkeypatch.setattr(app_test_module, "MemoryMediaFileStorage", Storage)
    page = AppTest.from_file(APP_FILE, default_timeout=TIMEOUT)
    page.query_params["sample"] = "en_lumbar_1"
    page.run()
    assert not page.exception, page.exception
    return page


def run(page: AppTest) -> AppTest:
    page.run()
    assert not page.exception, page.exception
    return page


def markdown(page: AppTest) -> str:
    return "\n".join(m.value.replace("\\", "") for m in page.markdown)


def downloads(page: AppTest) -> Dict[str, bytes]:
    out = {}
    for button in page.get("download_button"):
        out[button.proto.label] = Storage.latest.get_file(button.proto.url.rsplit("/", 1)[-1]).content
    return out


def next_steps(page: AppTest) -> str:
    """The texts of "What next?": one HTML block below the choice of step (page speed)."""
    blocks = [h.proto.body for h in page.get("html") if 'class="sf-next"' in h.proto.body]
    assert len(blocks) == 1
    return blocks[0]


def choose(page: AppTest, side: str, **lists) -> AppTest:
    page.radio(key="cmp_side").set_value(side)
    for kind, values in lists.items():
        page.multiselect(key=f"cmp_{kind}").set_value(values)
    return run(page)


def test_flow_is_offered_below_the_explained_report(at):
    blocks = "".join(h.proto.body for h in at.get("html"))
    assert "<h2>Do the findings match your complaints?</h2>" in blocks
    for heading in ("The match, per nerve root", "Warning signs: a self-check", "What next?", "Handover page"):
        assert f"<h3>{heading}</h3>" in blocks
    assert '<p class="sf-hint">Mark a side, a place or a movement to see the match.</p>' in blocks
    assert not at.subheader  # headings and their texts are blocks of HTML (page speed)
    assert any("Lee MWL" in c.value and "vary between people" in c.value for c in at.caption)
    assert not any("second opinion" in w.value for w in at.warning)  # nothing judged yet


def test_complaints_that_fit_s1_on_the_left(at):
    choose(at, "left", numbness=["sole_outer_foot"], weakness=["toe_stand"])
    text = markdown(at)
    assert "**S1 root on the left** · L5-S1 · :green[**Fits**]" in text
    assert "**L4 root on both sides** · L4-L5 · :red[**Does not fit**]" in text
    assert text.index("S1 root") < text.index("L4 root")  # the root that fits comes first
    assert any("a second opinion can make sense" in w.value for w in at.warning)  # L4 does not fit
    assert "**Findings that fit your complaints:** Disc protrusion" in text
    assert "belong to the S1 root" in text
    questions = [c.label.replace("\\", "") for c in at.checkbox if c.key.startswith("cmp_q_")]
    assert questions[0].startswith("My complaints fit the S1 root on the left at L5-S1")
    assert all(c.value for c in at.checkbox if c.key.startswith("cmp_q_"))


def test_complaints_on_the_other_side_do_not_fit(at):
    choose(at, "right", pain=["calf"])
    text = markdown(at)
    assert "**S1 root on the left** · L5-S1 · :red[**Does not fit**]" in text
    assert "less likely to explain them" in text
    assert "Findings that fit your complaints" not in text
    assert any("a second opinion can make sense" in w.value for w in at.warning)


def test_taps_on_the_picture_toggle_the_list_of_the_chosen_kind(at):
    at.session_state["cmp_body"] = {"area": "calf", "side": "left", "n": 1}
    run(at)
    assert at.multiselect(key="cmp_pain").value == ["calf"]
    assert at.radio(key="cmp_side").value == "left"  # the first tap sets the side
    run(at)  # the picture hands back its last tap on every run: not a new tap
    assert at.multiselect(key="cmp_pain").value == ["calf"]
    at.radio(key="cmp_mark").set_value("numbness")
    at.session_state["cmp_body"] = {"area": "sole_outer_foot", "side": "right", "n": 2}
    run(at)
    assert at.multiselect(key="cmp_numbness").value == ["sole_outer_foot"]
    assert at.radio(key="cmp_side").value == "both"  # a tap on the other side
    at.radio(key="cmp_mark").set_value("pain")
    at.session_state["cmp_body"] = {"area": "calf", "side": "left", "n": 3}
    run(at)
    assert at.multiselect(key="cmp_pain").value == []  # tapped again: taken off
    at.session_state["cmp_body"] = {"area": "<script>", "side": "left", "n": 4}
    run(at)  # an unknown area is ignored
    at.session_state["cmp_body"] = {"area": "calf", "side": "left", "n": "5"}
    run(at)  # so is a tap without a whole number
    assert at.multiselect(key="cmp_pain").value == []


def test_cauda_equina_answer_gives_the_today_tier(at):
    at.session_state["cmp_flags"] = ["saddle_numbness"]  # the self-check hands back what is ticked
    run(at)
    assert len(at.error) == 1
    tier = at.error[0].value
    assert tier.startswith("**Get help today")
    assert "out-of-hours GP service" in tier and "112" in tier
    assert not at.warning or all("within a few days" not in w.value for w in at.warning)


def test_selfcheck_is_one_checklist_that_ignores_unknown_answers(at):
    """One component for the warning signs (page speed), not a Streamlit checkbox each."""
    assert not [c for c in at.checkbox if (c.key or "").startswith("cmp_flag_")]
    lists = [e.proto for e in at.get("component_instance") if "checklist" in e.proto.component_name]
    assert len(lists) == 1
    assert "Since the back pain: trouble passing urine" in lists[0].json_args
    at.session_state["cmp_flags"] = ["<script>", 5, "not_a_flag"]
    run(at)
    assert not at.error  # no today tier from answers that are not warning signs


def test_other_answer_gives_the_days_tier_and_none_still_says_when(at):
    assert any("Contact your GP if your complaints change" in i.value for i in at.info)
    at.session_state["cmp_flags"] = ["night_pain"]  # the self-check hands back what is ticked
    run(at)
    assert any(w.value.startswith("**See your GP within a few days") for w in at.warning)
    assert not any("Get help today" in e.value for e in at.error)
    everything = markdown(at) + " ".join(i.value for i in at.info)
    assert "nothing to worry" not in everything.lower()


def test_what_next_follows_the_chosen_step(at):
    at.radio(key="cmp_route").set_value("gp")
    run(at)
    text = next_steps(at)
    assert "A scan is usually not needed in the first 6 to 8 weeks" in text
    assert "<strong>Usually next:</strong> Physiotherapist. You can go to a physiotherapist without a referral" in text
    assert "75 in 100 people" in text
    assert re.search(r'<p class="sf-src">[^<]*Huisarts Wet 2015', text)


def test_dutch_page_keeps_the_complaints(at):
    choose(at, "left", numbness=["sole_outer_foot"])
    at.radio(key="page_lang").set_value("nl")
    run(at)
    assert any("<h2>Passen de bevindingen bij uw klachten?</h2>" in h.proto.body for h in at.get("html"))
    assert at.radio(key="cmp_side").value == "left"
    assert at.multiselect(key="cmp_numbness").value == ["sole_outer_foot"]
    text = markdown(at)
    assert "**S1-wortel links** · L5-S1 · :green[**Past**]" in text
    assert "hoort bij de S1-wortel" in text


def test_handover_download_has_the_match_and_the_answers(at):
    choose(at, "left", numbness=["sole_outer_foot"])
    at.session_state["cmp_flags"] = ["both_legs"]  # the self-check hands back what is ticked
    run(at)
    page = downloads(at)["Handover page (HTML, A4)"].decode("utf-8")
    assert "size: A4" in page and 'class="tier today"' in page
    assert 'class="match fits">Fits<' in page
    assert "Answered yes: complaints in both legs." in page
    assert "My complaints fit the S1 root" in page
    # the preview is drawn on demand (a frame costs the browser time on every page run)
    assert not at.get("iframe")
    at.toggle(key="cmp_preview").set_value(True).run()
    assert "Answered yes: complaints in both legs." in at.get("iframe")[0].proto.srcdoc


def test_neck_report_arm_complaints_and_the_neck_note(monkeypatch):
    monkeypatch.setattr(app_test_module, "MemoryMediaFileStorage", Storage)
    page = AppTest.from_file(APP_FILE, default_timeout=TIMEOUT)
    page.query_params["sample"] = "en_cervical"
    run(page)
    choose(page, "right", numbness=["thumb_index"], weakness=["wrist_lift"])
    text = markdown(page)
    assert "**C6 root on the right** · C5-C6 · :green[**Fits**]" in text
    assert "**C7 root on the left** · C6-C7 · :red[**Does not fit**]" in text
    assert "These figures are for the low back" in next_steps(page)


def test_findings_that_fit_move_to_the_top_of_their_group(at):
    def concepts_of_the_protrusion_group():
        columns = [h.proto.body for h in at.get("html") if 'class="sf-card"' in h.proto.body]
        assert len(columns) == 1  # one block for all groups (page speed)
        groups = [g for g in columns[0].split('<h3 class="sf-group"')
                  if 'data-concept="disc_protrusion"' in g]
        assert len(groups) == 1
        return re.findall(r'class="sf-card" data-concept="([a-z_]+)"', groups[0])

    before = concepts_of_the_protrusion_group()
    assert before[0] != "disc_protrusion"
    choose(at, "left", numbness=["sole_outer_foot"], weakness=["toe_stand"])  # S1 on the left fits
    after = concepts_of_the_protrusion_group()
    assert after[0] == "disc_protrusion" and sorted(after) == sorted(before)
