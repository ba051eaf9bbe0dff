"""The scope traps of the spec (concepts.md), in Dutch and English, via ``nlp.analyse``.

Each case names what the radiologist meant: which findings are there, and which are
negated, uncertain or historical. Every finding's offsets must point at its text.
"""
from __future__ import annotations

import json
from typing import Dict, List

import pytest

import nlp
from nlp.report import Finding


def _findings(text: str, lang: str) -> List[Finding]:
    report = nlp.analyse(text, lang=lang)
    for f in report.findings:
        assert text[f.start:f.end] == f.text, f"offsets of {f.concept} in {text!r}"
    return report.findings


def _by_concept(text: str, lang: str) -> Dict[str, Finding]:
    findings = _findings(text, lang)
    by_concept = {f.concept: f for f in findings}
    assert len(by_concept) == len(findings), f"a concept found twice in {text!r}: {findings}"
    return by_concept


def _state(f: Finding) -> str:
    if f.negated:
        return "negated"
    if f.uncertain:
        return "uncertain"
    if f.historical:
        return "historical"
    return "affirmed"


def _states(text: str, lang: str) -> Dict[str, str]:
    return {c: _state(f) for c, f in _by_concept(text, lang).items()}


# --- a negation cue negates only its own finding --------------------------------------


@pytest.mark.parametrize(
    "lang,text",
    [
        ("nl", "Protrusie L4-L5 zonder wortelcompressie."),
        ("nl", "Protrusie L4-L5 zonder compressie van de L5-wortel."),
        ("en", "Disc protrusion at L4-L5 without nerve root compression."),
        ("en", "Protrusion at L4-L5 without compression of the L5 nerve root."),
    ],
)
def test_scope_without_negates_only_what_follows(lang, text):
    assert _states(text, lang) == {"disc_protrusion": "affirmed", "nerve_root_compression": "negated"}


@pytest.mark.parametrize(
    "lang,text",
    [
        ("nl", "Protrusie L4-L5 zonder wortelcompressie, wel foramenstenose links."),
        ("en", "Protrusion at L4-L5 without nerve root compression but with left foraminal stenosis."),
    ],
)
def test_scope_negation_ends_at_but(lang, text):
    assert _states(text, lang) == {
        "disc_protrusion": "affirmed",
        "nerve_root_compression": "negated",
        "foraminal_stenosis": "affirmed",
    }


# --- coordination: one negation, several findings -------------------------------------


@pytest.mark.parametrize(
    "lang,text",
    [
        ("nl", "Geen kanaalstenose of foraminale vernauwing."),
        ("nl", "Geen kanaal- of foramenstenose."),
        ("nl", "Geen kanaalstenose of foraminale vernauwing op niveau L4-L5."),
        ("en", "No canal or foraminal stenosis."),
        ("en", "Neither canal nor foraminal stenosis."),
        ("en", "No canal or foraminal stenosis at L4-L5."),
    ],
)
def test_scope_coordinated_stenoses_are_both_found_and_negated(lang, text):
    assert _states(text, lang) == {"spinal_canal_stenosis": "negated", "foraminal_stenosis": "negated"}


@pytest.mark.parametrize(
    "lang,text",
    [
        ("en", "No significant disc bulge, canal stenosis or foraminal narrowing."),
        ("nl", "Geen discusprotrusie, kanaalstenose of foramenstenose."),
    ],
)
def test_scope_negated_list(lang, text):
    states = _states(text, lang)
    assert len(states) == 3
    assert set(states.values()) == {"negated"}


@pytest.mark.parametrize(
    "lang,text,negated_level,affirmed_level",
    [
        ("en", "No canal or foraminal stenosis at L3-L4. Moderate left foraminal stenosis at L4-L5.", "L3-L4", "L4-L5"),
        ("nl", "Geen kanaal- of foramenstenose op niveau L3-L4. Matige foramenstenose links op niveau L4-L5.", "L3-L4", "L4-L5"),
    ],
)
def test_scope_coordination_does_not_reach_the_next_sentence(lang, text, negated_level, affirmed_level):
    findings = _findings(text, lang)
    assert [(f.concept, f.negated, f.levels) for f in findings] == [
        ("spinal_canal_stenosis", True, [negated_level]),
        ("foraminal_stenosis", True, [negated_level]),
        ("foraminal_stenosis", False, [affirmed_level]),
    ]
    assert findings[-1].severity == "moderate" and findings[-1].side == "left"


# --- a hyphen is not a negation ------------------------------------------------------


@pytest.mark.parametrize(
    "lang,text,concept",
    [
        ("nl", "Discushernia L4-L5 links.", "disc_herniation"),
        ("nl", "Discushernia L4 - L5 links.", "disc_herniation"),
        ("nl", "Protrusie L4-L5 - links paramediaan.", "disc_protrusion"),
        ("nl", "Discusprotrusie L4-L5-links.", "disc_protrusion"),
        ("nl", "Hernia nuclei pulposi L4-L5 links.", "disc_herniation"),
        ("en", "Disc herniation L4-L5 left.", "disc_herniation"),
        ("en", "Disc herniation L4 - L5 left.", "disc_herniation"),
    ],
)
def test_scope_dash_in_a_level_is_not_negation(lang, text, concept):
    f = _by_concept(text, lang)[concept]
    assert _state(f) == "affirmed"
    assert f.levels == ["L4-L5"]
    assert f.side == "left"


# --- pseudo-negation: "no change in" --------------------------------------------------


@pytest.mark.parametrize(
    "lang,text",
    [
        ("nl", "Geen verandering in de discusprotrusie L4-L5."),
        ("nl", "Geen wezenlijke verandering van de discusprotrusie L4-L5."),
        ("nl", "Geen toename van de discusprotrusie L4-L5."),
        ("nl", "Discusprotrusie L4-L5, niet veranderd."),
        ("en", "No change in the disc protrusion at L4-L5."),
        ("en", "No significant change in the disc protrusion at L4-L5."),
        ("en", "No interval change in the L4-L5 disc protrusion."),
        ("en", "Disc protrusion at L4-L5, without change."),
    ],
)
def test_scope_no_change_is_not_negation(lang, text):
    assert _states(text, lang) == {"disc_protrusion": "affirmed"}


@pytest.mark.parametrize(
    "lang,text",
    [("nl", "Geen verandering in de discusprotrusie."), ("en", "Not only a disc bulge but also canal stenosis.")],
)
def test_scope_pseudo_negation_affirms_everything(lang, text):
    states = _states(text, lang)
    assert states and set(states.values()) == {"affirmed"}


# --- "but" ends the negation -----------------------------------------------------------


@pytest.mark.parametrize(
    "lang,text",
    [
        ("en", "No fracture, but a haemangioma at L2."),
        ("en", "No fracture but a haemangioma at L2."),
        ("en", "No fracture. Haemangioma in L2."),
        ("nl", "Geen fractuur, maar wel een hemangioom in L2."),
        ("nl", "Geen fractuur, wel een hemangioom in L2."),
        ("nl", "Geen fractuur. Hemangioom in L2."),
    ],
)
def test_scope_negation_stops_at_but(lang, text):
    found = _by_concept(text, lang)
    assert _state(found["vertebral_fracture"]) == "negated"
    assert _state(found["haemangioma"]) == "affirmed"
    assert found["haemangioma"].levels == ["L2"]


# --- post-negation --------------------------------------------------------------------


@pytest.mark.parametrize(
    "lang,text,concept",
    [
        ("nl", "Caudacompressie is niet aanwezig.", "cauda_equina_compression"),
        ("nl", "Caudacompressie niet aanwezig.", "cauda_equina_compression"),
        ("nl", "Compressie van de cauda equina is niet aanwezig.", "cauda_equina_compression"),
        ("nl", "Wortelcompressie L5 links is niet aanwezig.", "nerve_root_compression"),
        ("nl", "Fractuur is uitgesloten.", "vertebral_fracture"),
        ("en", "Cauda equina compression is not seen.", "cauda_equina_compression"),
        ("en", "The disc herniation is not seen.", "disc_herniation"),
    ],
)
def test_scope_negation_after_the_finding(lang, text, concept):
    assert _states(text, lang) == {concept: "negated"}


# --- uncertainty -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "lang,text,concept",
    [
        ("nl", "Een kleine hernia is niet uit te sluiten.", "disc_herniation"),
        ("nl", "Discusextrusie L5-S1 niet uit te sluiten.", "disc_extrusion"),
        ("nl", "Niet uit te sluiten is een kleine hernia L5-S1.", "disc_herniation"),
        ("nl", "Spondylolyse L5 niet uit te sluiten.", "spondylolysis"),
        ("nl", "Metastase niet uit te sluiten.", "tumour"),
        ("nl", "Een fractuur is niet uitgesloten.", "vertebral_fracture"),
        ("nl", "Fractuur kan niet worden uitgesloten.", "vertebral_fracture"),
        ("nl", "Verdenking op spondylodiscitis L3-L4.", "infection"),
        ("nl", "Mogelijk kleine discusextrusie L5-S1.", "disc_extrusion"),
        ("en", "Fracture cannot be excluded.", "vertebral_fracture"),
        ("en", "Spondylolysis at L5 cannot be excluded.", "spondylolysis"),
        ("en", "A fracture cannot be ruled out.", "vertebral_fracture"),
        ("en", "Metastasis is not ruled out.", "tumour"),
        ("en", "Possible annular fissure at L4-L5.", "annular_fissure"),
        ("en", "Findings suggestive of discitis at L3-L4.", "infection"),
    ],
)
def test_scope_not_excluded_is_uncertain_not_negated(lang, text, concept):
    f = _by_concept(text, lang)[concept]
    assert not f.negated  # "niet" / "not" is part of the uncertainty cue
    assert f.uncertain


@pytest.mark.parametrize(
    "lang,text,concept",
    [
        ("nl", "Metastase niet uitgesloten.", "tumour"),
        ("nl", "Tumor niet uitgesloten.", "tumour"),
        ("en", "Tumour not excluded.", "tumour"),
    ],
)
def test_scope_not_excluded_without_copula_is_uncertain(lang, text, concept):
    f = _by_concept(text, lang)[concept]
    assert not f.negated
    assert f.uncertain


# --- history --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "lang,text",
    [
        ("nl", "Status na laminectomie L4-L5."),
        ("nl", "Status na spondylodese L4-L5."),
        ("nl", "Status na discectomie L5-S1."),
        ("en", "Status post laminectomy at L4-L5."),
        ("en", "Status post L4-L5 laminectomy."),
        ("en", "Previous laminectomy at L4-L5."),
    ],
)
def test_scope_status_after_surgery_is_historical(lang, text):
    f = _by_concept(text, lang)["postoperative_change"]
    assert f.historical
    assert not f.negated and not f.uncertain


@pytest.mark.parametrize(
    "lang,text",
    [
        ("nl", "Status na laminectomie L4-L5. Nieuwe discusextrusie L3-L4."),
        ("en", "Prior discectomy at L5-S1. New disc extrusion at L4-L5."),
    ],
)
def test_scope_history_ends_with_the_sentence(lang, text):
    found = _by_concept(text, lang)
    assert found["postoperative_change"].historical
    assert not found["disc_extrusion"].historical


@pytest.mark.parametrize(
    "lang,text",
    [
        ("en", "Status post laminectomy at L4-L5 with a new disc extrusion at L3-L4."),
        ("nl", "Status na laminectomie L4-L5 met nu een discusextrusie L3-L4."),
    ],
)
def test_scope_new_finding_after_status_post_is_current(lang, text):
    found = _by_concept(text, lang)
    assert found["postoperative_change"].historical
    assert not found["disc_extrusion"].historical


# --- "mass effect" is not a mass ---------------------------------------------------------


@pytest.mark.parametrize(
    "lang,text",
    [
        ("en", "Mass effect on the thecal sac."),
        ("en", "Mild mass effect on the thecal sac at L4-L5."),
        ("en", "Disc extrusion with mass effect on the thecal sac."),
        ("en", "Protrusion with mild mass effect upon the thecal sac."),
        ("nl", "Massa-effect op de durale zak."),
        ("nl", "Discusprotrusie L4-L5 met massa-effect op de durale zak."),
    ],
)
def test_scope_mass_effect_is_not_a_tumour(lang, text):
    assert "tumour" not in {f.concept for f in _findings(text, lang)}


@pytest.mark.parametrize(
    "lang,text",
    [("en", "A mass in the L2 vertebral body."), ("nl", "Een massa in het wervellichaam van L2.")],
)
def test_scope_a_mass_is_a_tumour(lang, text):
    f = _by_concept(text, lang)["tumour"]
    assert _state(f) == "affirmed"
    assert f.levels == ["L2"]


@pytest.mark.parametrize(
    "lang,text",
    [("en", "Mass effect on the thecal sac without tumour."), ("nl", "Massa-effect op de durale zak, geen tumor.")],
)
def test_scope_mass_effect_next_to_a_negated_tumour(lang, text):
    tumours = [f for f in _findings(text, lang) if f.concept == "tumour"]
    assert len(tumours) == 1 and tumours[0].negated
    assert "effect" not in tumours[0].text.lower()


# --- offsets ---------------------------------------------------------------------------

OFFSET_TEXTS = [
    ("en", "Disc protrusion at L4-L5.\r\nNo canal stenosis.\r\n"),
    ("nl", "Protrusie\u00a0L4-L5 links;  geen\tkanaalstenose."),
    ("en", "  \n\nFINDINGS:\n\n  L4\u2013L5:  mild bulge.\nNo stenosis.  \u00d8 Haemangioma in L2."),
    ("nl", "Caf\u00e9 e\u0301 discushernia L5/S1 rechts, geen caudacompressie."),
    ("en", "Mild canal stenosis.There is a bulge at L3-L4.L4-L5 protrusion."),
    ("nl", "Compressie van de S1-wortel links. Geen kanaal- of foramenstenose."),
]


def _example_texts():
    from nlp.evaluation.gold import GOLD_DIR

    texts = [(None, p.read_text(encoding="utf-8")) for p in sorted((GOLD_DIR / "examples").glob("*.txt"))]
    for path in sorted(GOLD_DIR.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                texts.append((record.get("language"), record["text"]))
    return texts


@pytest.mark.parametrize("lang,text", OFFSET_TEXTS)
def test_scope_offsets_point_at_the_finding_text(lang, text):
    findings = _findings(text, lang)  # checks text[f.start:f.end] == f.text
    assert findings
    assert all(0 <= f.start < f.end <= len(text) for f in findings)


def test_scope_offsets_in_every_sample_report():
    texts = _example_texts()
    assert len(texts) >= 6
    total = 0
    for lang, text in texts:
        total += len(_findings(text, lang))
    assert total > 100


def test_scope_pipe_gives_the_same_findings_as_analyse(nlp_en, nlp_nl):
    # interface.md: pipeline.pipe(texts) is the fast path for the same analysis.
    cases = {
        nlp_en: ["No canal or foraminal stenosis.", "Status post laminectomy at L4-L5."],
        nlp_nl: ["Protrusie L4-L5 zonder wortelcompressie.", "Een kleine hernia is niet uit te sluiten."],
    }
    for pipeline, texts in cases.items():
        for text, doc in zip(texts, pipeline.pipe(texts)):
            piped = [(e.label_, e.start_char, e.end_char, bool(e._.negated), bool(e._.historical)) for e in doc.ents]
            analysed = [
                (f.concept, f.start, f.end, f.negated, f.historical)
                for f in nlp.analyse(text, lang=pipeline.lang).findings
            ]
            assert piped == analysed and piped
