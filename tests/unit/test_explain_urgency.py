"""Urgency tiers, the radiologist's own advice and the warning signs (issue 12, defect 1).

Old code: one "discuss soon" group for every attention finding, no tiers, no advice found
in the text, one general warning list.
"""
from __future__ import annotations

import re

import pytest

from nlp.explain import TIERS, explain_finding, explain_report, find_advice, finding_tier, report_urgency
from nlp.lexicon import LANGUAGES, load_yaml
from tests.unit.explain_helpers import at, finding, report

URGENCY = load_yaml("urgency.yaml")

CAUDA_EN = ("Clinical data: new urinary retention since yesterday. Findings: large central disc "
            "extrusion at L4-L5 compressing the cauda equina. Conclusion: urgent referral advised; "
            "discussed with Dr Jansen at 14:10.")
CAUDA_NL = ("Klinische gegevens: sinds gisteren urineretentie. Grote mediane hernia L4-L5 met "
            "compressie van de cauda equina. Spoedige verwijzing naar neurochirurg geadviseerd. "
            "Telefonisch doorgegeven aan de aanvrager.")


def cauda_report(text: str = CAUDA_EN, lang: str = "en", **qualifiers):
    words = "compressing the cauda equina" if lang == "en" else "compressie van de cauda equina"
    return report(text, [at(text, words, "cauda_equina_compression", levels=["L4-L5"], **qualifiers)],
                  lang=lang, regions=["lumbar"])


@pytest.mark.parametrize("lang, text", [("en", CAUDA_EN), ("nl", CAUDA_NL)])
def test_cauda_equina_compression_is_a_today_emergency_with_what_to_do_now(lang, text):
    urgency = report_urgency(cauda_report(text, lang), lang=lang)
    assert urgency.tier == "today"
    assert [r.concept for r in urgency.reasons] == ["cauda_equina_compression"]
    assert "112" in urgency.what_to_do
    if lang == "nl":
        assert "huisarts" in urgency.what_to_do and "huisartsenpost" in urgency.what_to_do
        assert "zonder paniek" not in urgency.what_to_do
    else:
        assert "999" in urgency.what_to_do and "GP" in urgency.what_to_do


def test_a_possible_cauda_equina_compression_is_days_and_today_with_new_bladder_symptoms():
    quiet = "Possible crowding of the cauda equina at L4-L5."
    item = at(quiet, "crowding of the cauda equina", "cauda_equina_compression", uncertain=True)
    assert finding_tier(item, quiet) == "days"
    loud = "Acute urinary retention. " + quiet
    assert finding_tier(at(loud, "crowding of the cauda equina", "cauda_equina_compression",
                           uncertain=True), loud) == "today"


@pytest.mark.parametrize("text", ["No urinary retention. Possible crowding of the cauda equina.",
                                  "Geen incontinentie. Mogelijk compressie van de cauda equina."])
def test_a_negated_symptom_does_not_raise_the_tier(text):
    item = finding("cauda_equina_compression", uncertain=True)
    assert finding_tier(item, text) == "days"


def test_cord_compression_is_days_and_today_with_myelopathy():
    plain = "Disc osteophyte complex at C5-C6 compressing the cord."
    assert finding_tier(finding("spinal_cord_compression"), plain) == "days"
    myelopathy = plain + " T2 signal change consistent with myelopathy."
    assert finding_tier(finding("spinal_cord_compression"), myelopathy) == "today"
    assert finding_tier(finding("spinal_cord_compression"), plain + " No myelopathy.") == "days"


@pytest.mark.parametrize("concept", ["vertebral_fracture", "tumour", "infection"])
@pytest.mark.parametrize("uncertain", [False, True])
def test_red_flags_are_days_even_when_only_possible(concept, uncertain):
    assert finding_tier(finding(concept, uncertain=uncertain)) == "days"


@pytest.mark.parametrize("concept, tier", [
    ("nerve_root_compression", "depends"), ("spinal_canal_stenosis", "depends"),
    ("foraminal_stenosis", "depends"), ("disc_extrusion", "depends"),
    ("disc_bulge", "common"), ("disc_degeneration", "common"), ("haemangioma", "common"),
    ("modic_change", "depends"),
])
def test_tiers_of_ordinary_findings(concept, tier):
    assert finding_tier(finding(concept)) == tier
    assert explain_finding(finding(concept)).tier == tier


def test_modic_changes_are_not_under_common_in_people_without_pain():
    item = explain_finding(finding("modic_change"))
    assert item.group == "context" and item.tier == "depends"


def test_negated_findings_have_no_tier_and_a_report_without_affirmed_findings_is_common():
    assert finding_tier(finding("tumour", negated=True)) is None
    urgency = report_urgency(report("No tumour.", [finding("tumour", negated=True)]))
    assert urgency.tier == "common" and urgency.reasons == []


def test_the_report_gets_its_most_urgent_affirmed_finding():
    text = "Disc bulge L4-L5. Possible metastasis in L2. No fracture."
    items = [at(text, "Disc bulge", "disc_bulge"), at(text, "metastasis", "tumour", uncertain=True),
             at(text, "fracture", "vertebral_fracture", negated=True)]
    urgency = report_urgency(report(text, items))
    assert urgency.tier == "days"
    assert [r.concept for r in urgency.reasons] == ["tumour"]


def test_the_radiologists_urgent_advice_raises_the_report_to_at_least_days():
    text = "Broad disc bulge at L4-L5. Urgent referral is recommended."
    urgency = report_urgency(report(text, [at(text, "disc bulge", "disc_bulge")]))
    assert urgency.tier == "days"
    assert [(p.text, p.kind) for p in urgency.advice] == [("Urgent referral", "urgent")]


@pytest.mark.parametrize("text, expected", [
    (CAUDA_EN, [("urgent referral", "urgent"), ("discussed with Dr", "informed")]),
    (CAUDA_NL, [("Spoedige verwijzing", "urgent"), ("Telefonisch doorgegeven", "informed")]),
    ("Please correlate with symptoms.", [("correlate with symptoms", "correlate")]),
    ("Klinische correlatie gewenst.", [("Klinische correlatie", "correlate")]),
    ("CORRELATE CLINICALLY.", [("CORRELATE CLINICALLY", "correlate")]),
    ("Advies: verwijzing naar neurochirurg.", [("verwijzing naar neurochirurg", "specialist")]),
    ("Uitslag besproken met de aanvrager.", [("besproken met de aanvrager", "informed")]),
    ("Contact opgenomen met de huisarts.", [("Contact opgenomen met", "informed")]),
    ("Result communicated to the referring team.", [("communicated to", "informed")]),
    ("Controle met spoedige MRI.", []),       # "met spoed" inside "met spoedige": no match
    ("Nonurgent referral.", []),
])
def test_advice_is_found_on_word_boundaries_with_its_offsets(text, expected):
    found = find_advice(text, "en")
    assert [(p.text, p.kind) for p in found] == expected
    for phrase in found:
        assert text[phrase.start:phrase.end] == phrase.text
        assert phrase.label


@pytest.mark.parametrize("lang, text", [("en", CAUDA_EN), ("nl", CAUDA_NL)])
def test_whether_a_clinician_was_already_told(lang, text):
    told = report_urgency(cauda_report(text, lang), lang=lang)
    assert told.clinician_informed and told.informed_text and told.clinician_seen is True
    cut = re.split(r"discussed with|Telefonisch", text)[0]
    untold = report_urgency(cauda_report(cut, lang), lang=lang)
    assert not untold.clinician_informed and untold.informed_text == ""
    assert untold.clinician_seen is None


@pytest.mark.parametrize("concept, words", [
    ("cauda_equina_compression", ["pass urine", "bowel", "sexual", "both legs", "saddle"]),
    ("tumour", ["cancer", "weight", "night"]),
    ("infection", ["fever", "infection recently", "Injected drugs", "immune"]),
    ("vertebral_fracture", ["cancer", "corticosteroids", "osteoporosis"]),
    ("spinal_cord_compression", ["clumsy hands", "falling"]),
    ("nerve_root_compression", ["foot drop"]),
])
def test_complete_warning_signs_per_red_flag_with_their_sources(concept, words):
    text = f"{concept} at L4-L5."
    urgency = report_urgency(report(text, [finding(concept, levels=["L4-L5"])], regions=["lumbar"]))
    joined = " ".join(urgency.warning_signs)
    for word in words:
        assert word in joined
    assert urgency.warning_sources and all(s.year >= 2015 for s in urgency.warning_sources)
    assert urgency.warning_intro


def test_foot_drop_is_not_a_warning_sign_for_a_neck_root():
    urgency = report_urgency(report("C6 root compression at C5-C6.",
                                    [finding("nerve_root_compression", levels=["C5-C6"])],
                                    regions=["cervical"]))
    assert not any("foot" in s for s in urgency.warning_signs)


def test_the_explanation_carries_the_urgency_and_the_tier_of_every_finding():
    result = explain_report(cauda_report(CAUDA_NL, "nl"), lang="nl")
    assert result.urgency.tier == "today"
    assert result.urgency.label.startswith("Vandaag")
    item = result.all_findings()[0]
    assert item.tier == "today" and item.tier_label == result.urgency.label
    assert "binnenkort" not in item.meaning and "112" in item.meaning


@pytest.mark.parametrize("tier", TIERS)
def test_every_tier_has_its_own_wording_in_both_languages(tier):
    texts = URGENCY["tiers"][tier]
    for key in ("label", "what_to_do"):
        assert texts[key]["en"] != texts[key]["nl"]
    others = [URGENCY["tiers"][t]["what_to_do"]["en"] for t in TIERS if t != tier]
    assert texts["what_to_do"]["en"] not in others


def dutch_texts(value):
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "nl":
                yield from ([inner] if isinstance(inner, str) else inner)
            else:
                yield from dutch_texts(inner)


@pytest.mark.parametrize("name", ["urgency.yaml", "questions.yaml", "explanations.yaml", "prevalence.yaml"])
def test_dutch_sentences_are_short(name):
    for text in dutch_texts(load_yaml(name)):
        for sentence in re.split(r"(?<=[.?!:])\s+", " ".join(text.split())):
            assert len(sentence.split()) < 20, sentence


def test_cues_are_given_in_both_languages():
    for section in ("cues", "advice"):
        for key, entry in URGENCY[section].items():
            assert all(entry.get(lang) for lang in LANGUAGES), key


@pytest.mark.parametrize("name", ["urgency.yaml", "questions.yaml", "explanations.yaml", "prevalence.yaml"])
def test_dutch_reads_as_written_by_a_dutch_person(name):
    text = " ".join(" ".join(t.split()) for t in dutch_texts(load_yaml(name)))
    for wrong in ("zwelling (massa)", "zij-uitsparing", "naarmate men", "medische hulp", "hersenvocht"):
        assert wrong not in text


def test_a_finding_known_from_before_is_not_a_today_emergency():
    assert finding_tier(finding("cauda_equina_compression", historical=True)) == "days"
    assert report_urgency(report("x", [finding("cauda_equina_compression", historical=True)])).tier == "days"


def test_report_urgency_takes_the_text_as_second_argument():
    item = finding("disc_bulge")
    assert report_urgency(report("", [item]), "Urgent referral.", "nl").tier == "days"


@pytest.mark.parametrize("lang, today, days", [("en", "today", "within a few days"),
                                               ("nl", "vandaag", "binnen een paar dagen")])
def test_the_meaning_follows_the_finding_tier(lang, today, days):
    text = "C5-C6: compression of the cord with myelopathy."
    raised = report(text, [at(text, "compression of the cord", "spinal_cord_compression", levels=["C5-C6"])],
                    regions=["cervical"])
    item = explain_report(raised, lang=lang).all_findings()[0]
    assert item.tier == "today" and today in item.meaning and days not in item.meaning
    plain = explain_finding(finding("spinal_cord_compression"), lang=lang)
    assert plain.tier == "days" and days in plain.meaning
    possible = explain_finding(finding("cauda_equina_compression", uncertain=True), lang=lang)
    assert possible.tier == "days" and days in possible.meaning and "112" in possible.meaning
    certain = explain_finding(finding("cauda_equina_compression"), lang=lang)
    assert certain.tier == "today" and today in certain.meaning


@pytest.mark.parametrize("lang, text, cue", [("en", CAUDA_EN, "urinary retention"), ("nl", CAUDA_NL, "urineretentie")])
def test_the_words_that_made_it_today_are_given_with_their_offsets(lang, text, cue):
    urgency = report_urgency(cauda_report(text, lang), lang=lang)
    assert [p.text for p in urgency.triggers] == [cue]
    phrase = urgency.triggers[0]
    assert text[phrase.start:phrase.end] == cue and phrase.kind == "new_symptoms" and phrase.label
    quiet = report_urgency(report("Disc bulge.", [finding("disc_bulge")]))
    assert quiet.triggers == []


@pytest.mark.parametrize("text, raised", [
    ("No back pain but acute urinary retention. Possible crowding of the cauda equina.", True),
    ("Geen gevoelsstoornissen in het rijbroekgebied. Mogelijk compressie van de cauda equina.", False),
    ("Geen koorts, wel blaasretentie sinds gisteren. Mogelijk compressie van de cauda equina.", True),
    ("Denies bladder symptoms. Possible crowding of the cauda equina.", False),
])
def test_a_negation_reaches_to_the_end_of_its_clause(text, raised):
    tier = finding_tier(finding("cauda_equina_compression", uncertain=True), text)
    assert tier == ("today" if raised else "days")


@pytest.mark.parametrize("text", ["Retropulsion with compression and edema of the cord.",
                                  "Compressie van het myelum met oedeem in het myelum."])
def test_cord_oedema_is_a_sign_of_myelopathy(text):
    assert finding_tier(finding("spinal_cord_compression"), text) == "today"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_attention_group_does_not_say_without_panic(lang):
    from nlp.explain import category_info

    intro = category_info(lang)["attention"]["intro"]
    assert "panic" not in intro and "paniek" not in intro and "weken" not in intro
