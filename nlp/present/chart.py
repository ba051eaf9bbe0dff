"""How common the report's common findings are by age, as a small inline SVG chart.

Drawn here rather than with Vega-Lite: it costs the browser next to nothing (issue 12: a warm
result in under half a second), fetches nothing, scales to any width, and its legend is an
HTML list that wraps on a phone instead of being cut off. The SVG is shown as an image
(a ``data:`` URL), as Streamlit's ``st.html`` removes inline SVG; the person's age is a
dashed line. Every text is escaped. Nothing here imports
Streamlit::

    html = prevalence_chart_html(shown, age=52, lang="nl")
"""
from __future__ import annotations

import base64
from typing import Dict, List, Optional, Sequence, Tuple

from nlp.present.export import Shown, prevalence_table
from nlp.present.render import esc
from nlp.present.ui_text import t

# Colour-blind-safe palette (Okabe & Ito), darkened where needed for contrast on white.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#8A6D00", "#56B4E9", "#000000")
WIDTH, HEIGHT = 560, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 12, 36
# Inside the picture: an image does not take the page's styles.
SVG_CSS = ".sf-axis{font-size:12px;fill:#333;font-family:'Source Sans Pro',system-ui,sans-serif}"
CHART_CSS = """
<style>
.sf-chart{margin:.5rem 0 1rem 0}
.sf-chart img{width:100%;height:auto;max-width:640px;display:block}
.sf-chart-legend{list-style:none;padding:0;margin:.3rem 0;display:flex;flex-wrap:wrap;
  gap:.2rem 1rem;font-size:.9rem}
.sf-chart-legend li{display:flex;align-items:center;gap:.35rem;overflow-wrap:anywhere}
.sf-chart-legend i{flex:0 0 auto;width:1.4em;height:.25em;border-radius:.1em;
  background:var(--c)}
.sf-chart-caption{font-size:.875rem;color:#555;margin:.2rem 0}
</style>
""".strip()


def prevalence_chart_html(shown: Sequence[Shown], age: Optional[int], lang: str, *,
                          style: bool = True) -> str:
    """The chart of the findings' published prevalence by age in people without back pain.

    Args:
        shown: The entries of the "common" group (nlp.present.export.grouped_findings).
        age: The person's age (a dashed line), or None.
        lang: "en" or "nl".
        style: Start with the ``<style>`` block (:data:`CHART_CSS`); False when the page
            has it once.

    Returns:
        str: HTML (title, SVG, legend, caption), or "" when no finding has an age table.
    """
    data = prevalence_table(shown)
    if data.empty:
        return ""
    series: Dict[str, List[Tuple[int, float]]] = {}
    for row in data.itertuples(index=False):
        series.setdefault(row.finding, []).append((int(row.age), float(row.percent)))
    ages = [a for points in series.values() for a, _ in points]
    low = min(min(ages), age if age is not None else 999)
    high = max(max(ages), age if age is not None else 0)
    high = high if high > low else low + 1
    scale = _Scale(low, high)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
             f'width="{WIDTH}" height="{HEIGHT}"><style>{SVG_CSS}</style>', _axes(scale, lang)]
    legend = []
    tips: List[str] = []
    for n, (name, points) in enumerate(series.items()):
        colour = PALETTE[n % len(PALETTE)]
        coords = " ".join(f"{scale.x(a):.1f},{scale.y(p):.1f}" for a, p in points)
        parts.append(f'<polyline points="{coords}" fill="none" stroke="{colour}" '
                     'stroke-width="2.5"/>')
        for a, p in points:
            parts.append(f'<circle cx="{scale.x(a):.1f}" cy="{scale.y(p):.1f}" r="4" '
                         f'fill="{colour}"/>')
        # the points in words, for a screen reader (the picture's alt text)
        tips.append(f"{name}: " + ", ".join(f"{a}: {p:g} / 100" for a, p in points))
        legend.append(f'<li><i style="--c:{colour}"></i>{esc(name)}</li>')
    if age is not None:
        x = scale.x(age)
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{TOP}" y2="{HEIGHT - BOTTOM}" '
                     'stroke="#444" stroke-width="2" stroke-dasharray="5 3"/>')
        anchor = "end" if x > WIDTH * 0.75 else "start"
        dx = -4 if anchor == "end" else 4
        parts.append(f'<text class="sf-axis" x="{x + dx:.1f}" y="{TOP + 12}" '
                     f'text-anchor="{anchor}">{esc(t("chart.your_age", lang))}</text>')
    parts.append("</svg>")
    caption = t("chart.caption" if age is not None else "chart.caption_no_age", lang)
    # An image of the SVG: Streamlit's st.html keeps HTML only (DOMPurify's html profile
    # drops inline <svg>); an <img> with a data: URL is kept and is one element to check.
    picture = base64.b64encode("".join(parts).encode("utf-8")).decode("ascii")
    alt = f'{t("chart.title", lang)} ({t("chart.age", lang)}). ' + "; ".join(tips)
    return (f'{CHART_CSS if style else ""}<figure class="sf-chart"><p><strong>{esc(t("chart.title", lang))}'
            f'</strong></p><img src="data:image/svg+xml;base64,{picture}" '
            f'alt="{esc(alt)}">'
            f'<ul class="sf-chart-legend" aria-label="{esc(t("chart.finding", lang))}">'
            f'{"".join(legend)}</ul><figcaption class="sf-chart-caption">{esc(caption)}'
            "</figcaption></figure>")


class _Scale:
    """Age and percent to SVG coordinates."""

    def __init__(self, low: int, high: int) -> None:
        self.low, self.high = low, high

    def x(self, age: float) -> float:
        return LEFT + (age - self.low) / (self.high - self.low) * (WIDTH - LEFT - RIGHT)

    def y(self, percent: float) -> float:
        return TOP + (100 - percent) / 100 * (HEIGHT - TOP - BOTTOM)


def _axes(scale: _Scale, lang: str) -> str:
    """Grid lines at 0, 25, 50, 75 and 100 in 100; age ticks every 10 years."""
    parts = []
    for p in (0, 25, 50, 75, 100):
        y = scale.y(p)
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
                     'stroke="#e3e3e3"/>')
        parts.append(f'<text class="sf-axis" x="{LEFT - 6}" y="{y + 4:.1f}" '
                     f'text-anchor="end">{p}</text>')
    first = (scale.low + 9) // 10 * 10
    for a in range(first, scale.high + 1, 10):
        x = scale.x(a)
        parts.append(f'<text class="sf-axis" x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" '
                     f'text-anchor="middle">{a}</text>')
    parts.append(f'<text class="sf-axis" x="{(LEFT + WIDTH - RIGHT) / 2:.1f}" '
                 f'y="{HEIGHT - 4}" text-anchor="middle">{esc(t("chart.age", lang))}</text>')
    parts.append(f'<text class="sf-axis" x="12" y="{(TOP + HEIGHT - BOTTOM) / 2:.1f}" '
                 f'text-anchor="middle" transform="rotate(-90 12 {(TOP + HEIGHT - BOTTOM) / 2:.1f})">'
                 f'{esc(t("chart.percent", lang))}</text>')
    return "".join(parts)
