"""The handover page of the complaint flow (issue 13): one A4 page for the visit or the
physiotherapist. The complaint map beside the nerve roots found and their match, the
self-check answers, the findings by level (with how common each is at the person's age) and
the chosen questions. Self-contained HTML (inline CSS and SVG, no scripts, nothing fetched);
every text is escaped with the page's one escaper (``nlp.present.render.esc``).
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from nlp.explain import ExplainedFinding, ReportExplanation
from nlp.present.body import body_svg
from nlp.present.complaints_text import lexicon, text
from nlp.present.render import esc
from nlp.report import Report
from nlp.second_opinion.match import MATCHES

_REGIONS = {"C": 0, "T": 1, "Th": 1, "L": 2, "S": 3}
_LEVEL = re.compile(r"^(Th|[CTLS])(\d+)")
_CSS = """
@page { size: A4; margin: 9mm 11mm; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 7.8pt; line-height: 1.22; color: #111;
       margin: 0 auto; max-width: 188mm; }
h1 { font-size: 13pt; margin: 0 0 1mm; }
h2 { font-size: 9.5pt; margin: 2.2mm 0 0.8mm; border-bottom: 0.3mm solid #999; }
p { margin: 0.6mm 0; }
.meta, .small { color: #444; font-size: 7pt; }
.tier { border: 0.5mm solid #b3261e; padding: 1.5mm 2.5mm; margin: 2mm 0; }
.tier.days { border-color: #c77700; }
.top { display: flex; gap: 4mm; align-items: flex-start; }
.map { flex: 0 0 52mm; }
.map svg { width: 52mm; height: auto; }
.roots { flex: 1 1 auto; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 0.2mm solid #bbb; padding: 0.2mm 1.2mm; font-size: 7.6pt; text-align: left; vertical-align: top; }
th { background: #eef1f4; }
.match { font-weight: bold; white-space: nowrap; }
.fits { color: #1b6e2a; } .partly { color: #8a5a00; } .does_not_fit { color: #b3261e; } .unclear { color: #555; }
ul { margin: 0.5mm 0 0.5mm 4mm; padding: 0; }
.checklist { list-style: none; margin-left: 0; columns: 2; column-gap: 5mm; }
.checklist li { break-inside: avoid; margin-bottom: 0.4mm; }
.checklist li::before { content: "\\2610  "; }
@media screen { body { padding: 8mm; } }
@media screen and (max-width: 600px) {  /* the preview on a phone: map above the roots */
  body { padding: 2mm; } .top { flex-direction: column; } .map { flex: none; }
  .checklist { columns: 1; } table { font-size: 7pt; } }
"""


def level_key(level: str) -> Tuple[int, int, str]:
    """Sort key of a level: top of the spine first ("C5-C6" before "L4-L5"); unknown last."""
    found = _LEVEL.match(level or "")
    if not found:
        return (9, 99, level or "")
    return (_REGIONS[found.group(1)], int(found.group(2)), level)


def _item_index(report: Report) -> Dict[int, int]:
    return {id(f): i for i, f in enumerate(report.findings)}


def finding_rows(
    report: Report, explanation: ReportExplanation, result: Mapping[str, Any], lang: str
) -> List[Dict[str, str]]:
    """The present findings, one row per level (a finding at two levels has two rows), top
    of the spine first; each with its side, status, match and figure for the age."""
    index = _item_index(report)
    matches = [f.get("match") for f in result.get("findings", [])]
    rows: Dict[Tuple[str, str], Dict[str, Any]] = {}
    for item in explanation.all_findings():
        if item.status == "ruled_out":
            continue
        i = index.get(id(item.finding))
        match = matches[i] if i is not None and i < len(matches) else None
        for level in item.finding.levels or [""]:
            row = rows.setdefault((level, item.name), {
                "level": level or text("ho.no_level", lang), "_sort": level, "finding": item.name,
                "_sides": [], "status": item.status_label, "common": _common(item, lang), "_matches": []})
            row["_sides"].append(_side(item.finding.side, lang))
            row["_matches"].append(match)
    for row in rows.values():  # one row per level and finding: the sides and the best match of its mentions
        row["side"] = ", ".join(dict.fromkeys(s for s in row.pop("_sides") if s))
        found = [m for m in row.pop("_matches") if m]
        row["match"] = text(f"matches.{min(found, key=MATCHES.index)}", lang) if found else ""
    return sorted(rows.values(), key=lambda r: level_key(r["_sort"]))


def _side(side: Optional[str], lang: str) -> str:
    names = lexicon("complaints")["ho"]["side_names"]
    side = {"bilateral": "both"}.get(side or "", side or "")
    return names[side][lang] if side in names else ""


def _common(item: ExplainedFinding, lang: str) -> str:
    prevalence = item.prevalence
    if prevalence is None or prevalence.percent is None or prevalence.age_label is None:
        return ""
    # a whole number: the figure is read off a curve by age, its decimals are no information
    return text("ho.common", lang, percent=round(prevalence.percent), age=prevalence.age_label)


def _complaint_lines(complaints: Mapping[str, Any], lang: str) -> List[str]:
    lines = []
    if complaints.get("side"):
        lines.append(text("ho.side", lang, side=text("sides." + complaints["side"], lang).lower()))
    for kind in ("pain", "numbness", "weakness"):
        values = complaints.get(kind) or []
        if values:
            table = "movements" if kind == "weakness" else "areas"
            names = ", ".join(text(f"{table}.{v}", lang) for v in values)
            lines.append(f"{text(f'kinds.{kind}', lang)}: {names}")
    return lines


def _roots_html(result: Mapping[str, Any], lang: str) -> str:
    roots = result.get("roots") or []
    if not roots:
        return f"<p>{esc(text('no_roots', lang))}</p>"
    rows = []  # a row reads "L5 left, L4-L5 | Fits | why"; the heading above says what they are
    for root in roots:
        name = root["root"] or text("root_unknown", lang)
        rows.append(
            f"<tr><td><b>{esc(name)}</b> {esc(_side(root['side'], lang))}<br>"
            f"<span class=\"small\">{esc(', '.join(root['levels']))}</span></td>"
            f"<td class=\"match {esc(root['match'])}\">{esc(text('matches.' + root['match'], lang))}</td>"
            f"<td>{esc(_without_caveat(root['why'], lang))}</td></tr>")
    return f"<table>{''.join(rows)}</table>"


def _without_caveat(why: str, lang: str) -> str:
    """A root's sentence without the dermatome caveat: the page says it once, with the sources."""
    return why.replace(lexicon("dermatomes")["caveat"][lang], "").strip()


def _selfcheck_html(red_flags: Sequence[str], lang: str) -> str:
    if not red_flags:
        return f"<p>{esc(text('ho.selfcheck_none', lang))}</p>"
    short = lexicon("selfcheck")["short"]
    return f"<p>{esc(text('ho.selfcheck_yes', lang))} {esc('; '.join(short[f][lang] for f in red_flags))}.</p>"


def _tier_html(result: Mapping[str, Any], lang: str) -> str:
    level = result.get("urgency")
    if level not in ("today", "days"):
        return ""
    advice = lexicon("match")["advice"][level][lang]
    return f'<div class="tier {esc(level)}"><p><b>{esc(advice)}</b></p></div>'


def _findings_html(rows: List[Dict[str, str]], lang: str) -> str:
    columns = ("level", "finding", "side", "status", "match", "common")
    heads = {"level": "ho.col_level", "finding": "ho.col_finding", "side": "ho.col_side",
             "status": "ho.col_status", "match": "ho.col_match", "common": "ho.col_common"}
    head = "".join(f"<th>{esc(text(heads[c], lang))}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{esc(row[c])}</td>" for c in columns) + "</tr>" for row in rows)
    widths = "".join(f'<col style="width:{w}%">' for w in (8, 46, 7, 11, 13, 15))  # the name gets the room
    return f"<table><colgroup>{widths}</colgroup><tr>{head}</tr>{body}</table>"


def _ruled_out(explanation: ReportExplanation, lang: str) -> str:
    names = list(dict.fromkeys(i.name for i in explanation.all_findings() if i.status == "ruled_out"))
    return f'<p class="small">{esc(text("ho.ruled_out", lang, names="; ".join(names)))}</p>' if names else ""


def _sources(complaints: Mapping[str, Any], explanation: ReportExplanation, lang: str) -> str:
    """The dermatome caveat, and the sources of the table rows used and of the figures shown."""
    tables = lexicon("dermatomes")
    keys = [tables["movements" if kind == "weakness" else "areas"][value]["source"]
            for kind in ("pain", "numbness", "weakness") for value in complaints.get(kind) or []]
    cites = [tables["sources"][key] for key in dict.fromkeys(keys)]
    cites += [_short_cite(item.prevalence.source, lang) for item in explanation.all_findings()
              if item.status != "ruled_out" and item.prevalence is not None and item.prevalence.percent is not None]
    return (f'<p class="small"><b>{esc(text("ho.sources", lang))}:</b> {esc(tables["caveat"][lang])} '
            f'{esc(" · ".join(dict.fromkeys(cites)))}</p>')


def _short_cite(source: Any, lang: str) -> str:
    """"Brinjikji et al., 2015. AJNR Am J Neuroradiol 2015;36(4):811-816": findable, and short."""
    return f"{source.short(lang)}. {' '.join(f'{source.journal} {source.citation}'.split())}"


def handover_html(
    report: Report,
    explanation: ReportExplanation,
    complaints: Mapping[str, Any],
    result: Mapping[str, Any],
    questions: Sequence[str],
    *,
    lang: str,
) -> str:
    """The handover page: a complete HTML document sized for one A4 page.

    Args:
        report: the analysed report (its age is shown).
        explanation: its explanation in ``lang`` (names, status, figures for the age).
        complaints: the checked complaints (``nlp.second_opinion.match.check_complaints``).
        result: ``nlp.match`` of the report and the complaints, in ``lang``.
        questions: the chosen questions, in order.
        lang: "en" or "nl".
    """
    e = esc
    meta = text("ho.made_with", lang)
    if report.age is not None:
        meta += " " + text("ho.age", lang, age=report.age)
    lines = _complaint_lines(complaints, lang) or [text("ho.no_complaints", lang)]
    body = [
        f"<h1>{e(text('ho.title', lang))}</h1>",
        f'<p class="meta">{e(meta)}</p>',
        _tier_html(result, lang),
        '<div class="top"><div class="map">',
        f"<h2>{e(text('ho.complaints', lang))}</h2>",
        body_svg(complaints, complaints.get("side"), lang, width="52mm"),
        "".join(f"<p>{e(line)}</p>" for line in lines),
        '</div><div class="roots">',
        f"<h2>{e(text('ho.roots', lang))}</h2>",
        _roots_html(result, lang),
        f"<h2>{e(text('ho.selfcheck', lang))}</h2>",
        _selfcheck_html(complaints.get("red_flags") or [], lang),
        "</div></div>",
        f"<h2>{e(text('ho.findings', lang))}</h2>",
        _findings_html(finding_rows(report, explanation, result, lang), lang),
        _ruled_out(explanation, lang),
        f"<h2>{e(text('ho.questions', lang))}</h2>",
    ]
    if questions:
        body.append('<ul class="checklist">' + "".join(f"<li>{e(q)}</li>" for q in questions) + "</ul>")
    else:
        body.append(f"<p>{e(text('ho.no_questions', lang))}</p>")
    body.append(_sources(complaints, explanation, lang))
    title = e(text("ho.title", lang))
    return (f'<!DOCTYPE html>\n<html lang="{e(lang)}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{title}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
            + "\n".join(part for part in body if part) + "\n</body>\n</html>\n")
