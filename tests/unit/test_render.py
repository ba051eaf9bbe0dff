"""The annotated report: escaped, every finding marked once at its true offsets."""
from __future__ import annotations

import html
import re
from dataclasses import replace
from html.parser import HTMLParser
from typing import Dict, List, Optional

import pytest

from nlp.explain import category_info, explain_finding
from nlp.present.render import annotated_html, legend_html, safe_colour, short_explanation
from nlp.report import Finding

XSS_TEXT = (
    "MRI L-spine\n\n<script>alert(1)</script>\n"
    "L4-L5: disc bulge. <img src=x onerror=alert(1)>\n"
    "No disc herniation.\tPossible annular fissure."
)


def finding_at(text: str, phrase: str, concept: str, **flags: bool) -> Finding:
    """A hand-built finding of ``concept`` at the first occurrence of ``phrase``."""
    start = text.index(phrase)
    return Finding(concept, "common", phrase, start, start + len(phrase), **flags)


def explained(text: str, *specs: tuple, lang: str = "en") -> list:
    """Explained findings for (phrase, concept, flags) specs in ``text``."""
    return [
        explain_finding(finding_at(text, phrase, concept, **flags), lang=lang)
        for phrase, concept, flags in specs
    ]


XSS_FINDINGS = (
    ("disc bulge", "disc_bulge", {}),
    ("disc herniation", "disc_herniation", {"negated": True}),
    ("annular fissure", "annular_fissure", {"uncertain": True}),
)


class MarkParser(HTMLParser):
    """Collects the marks (text, notes, classes) and the plain text of the report div."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.marks: List[Dict[str, object]] = []
        self.refs: List[str] = []
        self.report_text: List[str] = []
        self.tags: List[str] = []
        self._stack: List[str] = []
        self._in_report = 0
        self._skip = 0
        self._mark: Optional[Dict[str, object]] = None
        self._in_text = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "div" and "sf-report" in classes:
            self._in_report += 1
        elif self._in_report and tag == "div":
            self._in_report += 1
        if not self._in_report:
            return
        if tag == "mark":
            self._mark = {"classes": classes, "notes": a["data-notes"].split(), "text": "",
                          "title": a.get("title", ""), "group": a.get("data-group"),
                          "tags": []}
            self.marks.append(self._mark)
        elif tag == "span" and "sf-text" in classes:
            self._in_text = True
        elif tag == "span" and "sf-tag" in classes:
            self._skip += 1
            self._stack.append("tag")
            return
        elif tag == "a" and "sf-ref" in classes:
            self.refs.append(a["id"])
            self._skip += 1
            self._stack.append("ref")
            return
        self._stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self._in_report:
            return
        if tag == "div":
            self._in_report -= 1
            return
        kind = self._stack.pop() if self._stack else tag
        if kind in ("tag", "ref"):
            self._skip -= 1
        if tag == "span" and kind == "span":
            self._in_text = False
        if tag == "mark":
            self._mark = None

    def handle_data(self, data: str) -> None:
        if not self._in_report:
            return
        if self._skip:
            if self._stack and self._stack[-1] == "tag" and self._mark is not None:
                self._mark["tags"].append(data)
            return
        self.report_text.append(data)
        if self._in_text and self._mark is not None:
            self._mark["text"] += data


def parse(markup: str) -> MarkParser:
    parser = MarkParser()
    parser.feed(markup)
    return parser


def test_render_escapes_script_and_img_in_report_text():
    """<script> and <img onerror> in a report come out as text, never as elements."""
    items = explained(XSS_TEXT, *XSS_FINDINGS)
    markup = annotated_html(XSS_TEXT, items, lang="en")
    assert "<script" not in markup.lower()
    assert "<img" not in markup.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in markup
    assert "&lt;img src=x onerror=alert(1)&gt;" in markup
    assert "onerror=" not in re.sub(r"&lt;img[^&]*&gt;", "", markup)


def test_render_escapes_a_finding_text_holding_markup():
    """The marked text itself is escaped too."""
    text = "Finding: <b onmouseover=alert(1)>disc bulge</b> at L4-L5."
    items = explained(text, ("<b onmouseover=alert(1)>disc bulge</b>", "disc_bulge", {}))
    markup = annotated_html(text, items, lang="en")
    assert "<b " not in markup
    assert "&lt;b onmouseover=alert(1)&gt;disc bulge&lt;/b&gt;" in markup


def test_render_escapes_lexicon_strings():
    """Names and explanations from the lexicons are escaped in titles and notes."""
    text = "Disc bulge at L4-L5."
    item = explained(text, ("Disc bulge", "disc_bulge", {}))[0]
    evil = replace(
        item,
        name='<img src=x onerror=alert(1)>"',
        plain="<script>alert(2)</script>. Second.",
        meaning="<svg onload=alert(3)>.",
        status_label="<i>present</i>",
    )
    markup = annotated_html(text, [evil], lang="en")
    for raw in ("<img", "<script", "<svg", "<i>"):
        assert raw not in markup
    assert "&lt;img src=x onerror=alert(1)&gt;&quot;" in markup
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in markup


def test_render_keeps_the_report_text_exactly():
    """Without the labels and numbers, the report div holds the report as written."""
    items = explained(XSS_TEXT, *XSS_FINDINGS)
    parser = parse(annotated_html(XSS_TEXT, items, lang="en"))
    assert "".join(parser.report_text) == XSS_TEXT


def test_render_preserves_layout_with_pre_wrap():
    markup = annotated_html(XSS_TEXT, [], lang="en")
    assert "white-space:pre-wrap" in markup
    assert "\n\n&lt;script&gt;" in markup
    assert "\t" in markup


def test_render_marks_every_finding_once_at_its_offsets():
    """One mark per finding, holding exactly text[start:end], each footnote once."""
    items = explained(XSS_TEXT, *XSS_FINDINGS)
    parser = parse(annotated_html(XSS_TEXT, items, lang="en"))
    assert len(parser.marks) == len(items)
    assert sorted(parser.refs) == sorted(f"sf-ref-{n}" for n in range(1, len(items) + 1))
    ordered = sorted(items, key=lambda e: e.finding.start)
    for mark, item in zip(parser.marks, ordered):
        f = item.finding
        assert mark["text"] == XSS_TEXT[f.start:f.end] == f.text


def test_render_marks_findings_of_a_real_report(nlp_en):
    """On an analysed sample report, every finding is marked once at true offsets."""
    import nlp
    from nlp.explain import explain_report

    from tests.conftest import REPO_ROOT

    text = (REPO_ROOT / "sample_reports/examples/en_lumbar_1.txt").read_text(encoding="utf-8")
    report = nlp.analyse(text, lang="en", age=52)
    explanation = explain_report(report)
    parser = parse(annotated_html(report.text, explanation.all_findings(), lang="en"))
    assert len(parser.refs) == len(set(parser.refs)) == len(report.findings)
    assert "".join(parser.report_text) == text
    texts = sorted((f.start, f.text) for f in report.findings)
    marked = [m["text"] for m in parser.marks]
    assert marked == [t for _, t in texts]


@pytest.mark.parametrize("lang, label", [("en", "not present"), ("nl", "niet aanwezig")])
def test_render_marks_a_negated_finding_as_not_present(lang, label):
    items = explained(XSS_TEXT, *XSS_FINDINGS, lang=lang)
    parser = parse(annotated_html(XSS_TEXT, items, lang=lang))
    negated = [m for m in parser.marks if m["text"] == "disc herniation"][0]
    assert "sf-ruled_out" in negated["classes"]
    assert negated["group"] == "ruled_out"
    assert negated["tags"] == [label]
    assert "line-through" in annotated_html(XSS_TEXT, items, lang=lang)


@pytest.mark.parametrize("lang, label", [("en", "possible"), ("nl", "mogelijk")])
def test_render_marks_an_uncertain_finding_as_possible(lang, label):
    items = explained(XSS_TEXT, *XSS_FINDINGS, lang=lang)
    markup = annotated_html(XSS_TEXT, items, lang=lang)
    parser = parse(markup)
    possible = [m for m in parser.marks if m["text"] == "annular fissure"][0]
    assert "sf-possible" in possible["classes"]
    assert possible["tags"] == [label]
    assert "dashed" in markup


def test_render_present_finding_has_no_status_label():
    items = explained(XSS_TEXT, *XSS_FINDINGS)
    parser = parse(annotated_html(XSS_TEXT, items, lang="en"))
    present = [m for m in parser.marks if m["text"] == "disc bulge"][0]
    assert "sf-present" in present["classes"]
    assert present["tags"] == []


def test_render_hover_title_and_footnote_explain_the_finding():
    """The title attribute and the linked note both carry the short explanation."""
    items = explained(XSS_TEXT, *XSS_FINDINGS)
    markup = annotated_html(XSS_TEXT, items, lang="en")
    parser = parse(markup)
    bulge_item = items[0]
    bulge = [m for m in parser.marks if m["text"] == "disc bulge"][0]
    short = short_explanation(bulge_item)
    assert short and short in bulge["title"]
    assert bulge_item.name in bulge["title"]
    n = bulge["notes"][0]
    note = re.search(rf'<li id="sf-note-{n}"[^>]*>(.*?)</li>', markup, re.S).group(1)
    assert html.escape(short) in note
    assert f'href="#sf-note-{n}"' in markup and f'href="#sf-ref-{n}"' in markup


def test_render_colours_marks_by_group():
    items = explained(XSS_TEXT, *XSS_FINDINGS)
    markup = annotated_html(XSS_TEXT, items, lang="en")
    info = category_info("en")
    assert info["common"]["colour"] in markup
    assert info["ruled_out"]["colour"] in markup
    assert info["attention"]["colour"] not in markup  # no finding of that group


def test_render_overlapping_findings_share_one_mark_and_keep_both_notes():
    text = "Severe foraminal stenosis with nerve root compression at L5-S1."
    a = finding_at(text, "foraminal stenosis", "foraminal_stenosis")
    b = finding_at(text, "stenosis with nerve root", "nerve_root_compression")
    nested = finding_at(text, "nerve root", "nerve_root_contact")
    items = [explain_finding(f) for f in (a, b, nested)]
    parser = parse(annotated_html(text, items, lang="en"))
    assert len(parser.marks) == 1
    assert parser.marks[0]["notes"] == ["1", "2", "3"]
    assert sorted(parser.refs) == ["sf-ref-1", "sf-ref-2", "sf-ref-3"]
    assert "".join(parser.report_text) == text
    assert parser.marks[0]["text"] == "foraminal stenosis with nerve root"


def test_render_same_span_twice_is_one_mark():
    text = "Disc protrusion at L5-S1."
    f = finding_at(text, "Disc protrusion", "disc_protrusion")
    items = [explain_finding(f), explain_finding(replace(f))]
    parser = parse(annotated_html(text, items, lang="en"))
    assert len(parser.marks) == 1 and len(parser.refs) == 2


def test_render_lists_but_does_not_mark_a_finding_outside_the_text():
    text = "Disc bulge."
    good = finding_at(text, "Disc bulge", "disc_bulge")
    bad = Finding("disc_protrusion", "common", "x", 50, 60)
    markup = annotated_html(text, [explain_finding(bad), explain_finding(good)], lang="en")
    parser = parse(markup)
    assert [m["text"] for m in parser.marks] == ["Disc bulge"]
    assert 'id="sf-note-2"' in markup  # listed, after the marked one
    assert "".join(parser.report_text) == text


def test_render_repeated_concept_notes_point_to_the_first():
    text = "Disc bulge at L4-L5. Disc bulge at L5-S1."
    first = Finding("disc_bulge", "common", "Disc bulge", 0, 10)
    second = Finding("disc_bulge", "common", "Disc bulge", 21, 31)
    markup = annotated_html(text, [explain_finding(first), explain_finding(second)], lang="en")
    note2 = re.search(r'<li id="sf-note-2"[^>]*>(.*?)</li>', markup, re.S).group(1)
    assert 'href="#sf-note-1"' in note2 and "see 1" in note2


def test_render_id_prefix_is_sanitised():
    text = "Disc bulge."
    items = [explain_finding(finding_at(text, "Disc bulge", "disc_bulge"))]
    markup = annotated_html(text, items, lang="en", id_prefix='x"><script>')
    assert "<script>" not in markup
    assert 'id="xscript-ref-1"' in markup


def test_render_empty_findings_gives_plain_escaped_text():
    markup = annotated_html("a < b", [], lang="en")
    assert "a &lt; b" in markup
    assert "<mark " not in markup and '<ol class="sf-notes"' not in markup


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_legend_lists_every_group_with_its_colour(lang):
    markup = legend_html(lang)
    for key, meta in category_info(lang).items():
        assert html.escape(meta["label"]) in markup
        assert meta["colour"] in markup
        assert f'data-group="{key}"' in markup
    assert "dashed" in markup and "line-through" in markup


@pytest.mark.parametrize(
    "value, expected",
    [("#104B93", "#104B93"), ("red", "#575757"), ("#fff;}</style><script>", "#575757"),
     (None, "#575757")],
)
def test_safe_colour_only_allows_hex(value, expected):
    assert safe_colour(value) == expected
