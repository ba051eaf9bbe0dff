"""Explain findings in plain language: what it is, where, how urgent, how common, what to ask.

The app explains and prepares questions; it does not diagnose. English and Dutch are
equal: every text comes from the YAML lexicons in both languages.

API (for the page, the exports and the print)::

    from nlp import analyse
    from nlp.explain import explain_report, unique_by_concept

    report = analyse(text, age=52)
    explanation = explain_report(report, lang="nl")      # language and age of the report
    urgency = explanation.urgency                        # Urgency, see below
    print(urgency.tier, urgency.label)                   # "today" "Vandaag: neem nu ..."
    print(urgency.what_to_do)                            # "Bel direct uw huisarts of ..."
    for group in explanation.unique_groups():            # attention, context, common, ...
        for item in group.findings:                      # ExplainedFinding
            print(item.name, item.where, item.side_label, item.severity_label,
                  item.status_label, item.tier, item.tier_label)
            print(item.meaning, item.example or "")
            if item.prevalence:
                print(item.prevalence.sentence("nl"))
    explanation.suggested        # at most 7 specific questions ("Past de extrusie links
                                 # op L5-S1 (S1-zenuwwortel) bij ...?")
    explanation.optional         # the other questions (each names its finding)
    explanation.three_questions  # Questions(title="3 goede vragen", questions=[3], source)

``ExplainedFinding`` fields: ``finding`` (nlp.report.Finding), ``concept``, ``group``
(page group; Modic changes are "context"), ``name``, ``plain``, ``meaning`` (a ruled-out
finding: what exactly the report rules out, at its levels: "At L5-S1, the report says no
nerve root is compressed."), ``example`` (filled from the finding's own level, side and
root, else None), ``prevalence`` (Prevalence or None: only figures of the finding's spine
region, within the ages studied, never under 18), ``questions``, ``status``
(present | possible | history | ruled_out), ``status_label``, ``tier`` (today | days |
depends | common; None when ruled out), ``tier_label``, ``severity_label`` ("matig"),
``where`` ("L4-L5 en L5-S1"; "" when the report names no level), ``side_label``,
``roots`` (["S1"]), ``phrase`` (the finding named with its place), ``short``, ``place``,
``area`` (back | neck). ``Prevalence`` adds ``few_people`` (its sentence then says "based
on few people" / "gebaseerd op weinig mensen") and ``regions``. ``unique_groups()`` keeps
one entry per concept, and also what the report rules out at other levels.

``Urgency`` (``report_urgency(report, text=None, lang=None)``, also
``explanation.urgency``): ``tier``, ``label``, ``what_to_do``, ``reasons``
(ExplainedFindings of that tier), ``warning_signs`` (list[str], for the red-flag findings;
``warning_intro``, ``warning_sources``: list[Source]), ``advice`` (list[Phrase(text, start,
end, kind, label)]: the radiologist's own recommendation found in the text, offsets into
the report text), ``triggers`` (list[Phrase]: the words that made it "today", such as
"urinary retention"), ``clinician_informed`` (bool) and ``informed_text``; for old
readers also ``recommendations`` (list[str]), ``clinician_seen`` (True or None) and
``warning_symptoms`` (= ``warning_signs``). ``finding_tier(finding, text)`` and
``find_advice(text, lang)`` work on their own; ``TIERS`` lists the tier ids.

``suggested_questions(items, lang, age_shown=None) -> (suggested, optional)`` (also on the
explanation): at most 7 suggested, each naming its finding's level, side and root; no
"usual for my age?" when an age figure is shown; the others optional, labelled with their
finding; no near-duplicates. ``three_questions(lang) -> Questions(title, questions, source)``.

``ReportExplanation`` also keeps ``questions`` (suggested + optional), ``warning_symptoms``
and ``warning_intro`` (the general warning list for the report's area: back or neck),
``disclaimer``, ``privacy``, ``message``, ``general`` (sourced statements; lumbar studies,
so empty for a neck report), ``area``.

Modules: ``explanations`` (findings and groups), ``prevalence`` (figures for the age and
region), ``sources`` (citations), ``urgency`` (tiers, advice, warning signs),
``questions``, ``wording`` (level, side, root, severity and region words), ``validation``,
``data`` (loading).
Data: ``lexicons/explanations.yaml``, ``prevalence.yaml``, ``questions.yaml``,
``urgency.yaml``, ``categories.yaml`` and ``disclaimer.yaml``, validated on first use.
"""
from nlp.explain.data import lexicon as _lexicon
from nlp.explain.explanations import (
    GROUP_KEYS,
    ExplainedFinding,
    Group,
    ReportExplanation,
    category_info,
    explain_finding,
    explain_report,
    unique_by_concept,
)
from nlp.explain.prevalence import Prevalence, finding_regions, general_statements, prevalence_for
from nlp.explain.questions import MAX_SUGGESTED, Questions, suggested_questions, three_questions
from nlp.explain.sources import Source
from nlp.explain.urgency import (
    TIERS,
    Phrase,
    Urgency,
    find_advice,
    finding_tier,
    report_urgency,
    tier_label,
)
from nlp.explain.validation import validate_lexicons

__all__ = [
    "GROUP_KEYS", "MAX_SUGGESTED", "TIERS",
    "ExplainedFinding", "Group", "Phrase", "Prevalence", "Questions", "ReportExplanation",
    "Source", "Urgency",
    "category_info", "explain_finding", "explain_report", "find_advice", "finding_regions",
    "finding_tier", "general_statements", "prevalence_for", "report_urgency",
    "suggested_questions", "three_questions", "tier_label", "unique_by_concept",
    "validate_lexicons", "_lexicon",
]
