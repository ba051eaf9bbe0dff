"""The body picture of the complaint flow (issue 13): front and back, as inline SVG.

The shapes are data (``lexicons/body.yaml``): drawn for one half of the body and mirrored.
Each shape that is a complaint area carries ``data-area`` (the area id of interface.md) and
``data-side`` (the person's side), so the page can make it tappable
(``nlp/present/body_component/``) and the handover page can show it as a plain picture.
Every text in the SVG is escaped.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Iterable, List, Mapping, Optional, Sequence

from nlp.lexicon import LexiconError
from nlp.present.complaints_text import lexicon, text
from nlp.present.render import esc

VIEWS = ("front", "back")
KINDS = ("pain", "numbness")  # the kinds of complaint that are places on the body
GAP = 30      # units between the two views
TOP = 26      # room above the views for their names
STROKE = 'stroke="#8a939e" stroke-width="0.8"'


@dataclass(frozen=True)
class Shape:
    """One drawn shape of a view, on one side of the body (or the midline)."""

    view: str
    area: Optional[str]
    side: Optional[str]          # left | right | None (midline)
    element: str                 # SVG tag: ellipse | rect | polygon
    attributes: Dict[str, str]   # its geometry


def _other(side: str) -> str:
    return "left" if side == "right" else "right"


def _geometry(raw: Mapping, mirror: bool, width: float) -> tuple:
    """The SVG tag and geometry attributes of a shape, mirrored around the midline if asked."""
    def x(value: float) -> float:
        return width - value if mirror else value

    if "ellipse" in raw:
        cx, cy, rx, ry = raw["ellipse"]
        return "ellipse", {"cx": x(cx), "cy": cy, "rx": rx, "ry": ry}
    if "rect" in raw:
        left, top, w, h = raw["rect"]
        return "rect", {"x": (width - left - w) if mirror else left, "y": top, "width": w, "height": h}
    if "points" in raw:
        values = list(raw["points"])
        pairs = zip(values[0::2], values[1::2])
        return "polygon", {"points": " ".join(f"{x(px):g},{py:g}" for px, py in pairs)}
    raise LexiconError(f"lexicons/body.yaml: a shape needs ellipse, rect or points: {dict(raw)!r}.")


def shapes() -> List[Shape]:
    """Every shape of both views: midline shapes once, the others on both sides."""
    data = lexicon("body")
    width = float(data["width"])
    out: List[Shape] = []
    for view in VIEWS:
        near = data["views"][view]["near_side"]
        for raw in data["views"][view]["shapes"]:
            if raw.get("mid"):
                out.append(Shape(view, raw["area"], None, *_geometry(raw, False, width)))
                continue
            for side, mirror in ((near, False), (_other(near), True)):
                out.append(Shape(view, raw["area"], side, *_geometry(raw, mirror, width)))
    return out


def areas() -> List[str]:
    """The complaint areas the picture shows, in drawing order, each once."""
    return list(dict.fromkeys(s.area for s in shapes() if s.area))


def _kind_of(area: str, marked: Mapping[str, Sequence[str]]) -> Optional[str]:
    kinds = [kind for kind in KINDS if area in (marked.get(kind) or [])]
    if not kinds:
        return None
    return "both" if len(kinds) > 1 else kinds[0]


def _coloured(shape: Shape, side: Optional[str]) -> bool:
    """Whether a marked area is coloured on this side of the body: on the chosen side, on
    both when the side is "both" or not given, always on the midline."""
    return shape.side is None or side in (None, "both") or shape.side == side


def _label(shape: Shape, lang: str, kind: Optional[str]) -> str:
    name = text(f"areas.{shape.area}", lang)
    if shape.side:
        name += f" ({text(f'sides.{shape.side}', lang).lower()})"
    if kind:
        marks = [text(f"kinds.{k}", lang) for k in KINDS if kind in (k, "both")]
        name += ": " + ", ".join(marks)
    return name


def _shape_svg(shape: Shape, fill: str, label: Optional[str], pressed: bool, interactive: bool) -> str:
    geometry = " ".join(f'{k}="{esc(v if isinstance(v, str) else f"{v:g}")}"' for k, v in shape.attributes.items())
    if shape.area is None:
        return f'<{shape.element} class="outline" {geometry} fill="{esc(fill)}" {STROKE}/>'
    data = f'data-area="{esc(shape.area)}" data-side="{esc(shape.side or "")}"'
    extra = (f' role="button" tabindex="0" aria-pressed="{str(pressed).lower()}" aria-label="{esc(label)}"'
             if interactive else "")
    return (f'<{shape.element} class="area{" marked" if pressed else ""}" {data} {geometry} '
            f'fill="{esc(fill)}" {STROKE}{extra}><title>{esc(label)}</title></{shape.element}>')


def body_svg(
    marked: Optional[Mapping[str, Sequence[str]]] = None,
    side: Optional[str] = None,
    lang: str = "en",
    *,
    interactive: bool = False,
    width: Optional[str] = None,
) -> str:
    """The body picture, front beside back, with the marked areas coloured.

    Args:
        marked: {"pain": [areas], "numbness": [areas]}; other keys are ignored.
        side: the complaint side (left | right | both | None): which half gets the colour.
        lang: "en" or "nl", for the names and titles.
        interactive: areas get role="button", tabindex and aria-pressed (the tappable picture).
        width: a CSS width for the <svg> (e.g. "100%", "60mm"); None leaves it to the viewBox.

    Returns:
        str: one <svg> element; every text escaped.
    """
    marked = marked or {}
    data = lexicon("body")
    colours = data["colours"]
    w, h = float(data["width"]), float(data["height"])
    total = 2 * w + GAP
    parts: List[str] = []
    for index, view in enumerate(VIEWS):
        dx = index * (w + GAP)
        parts.append(f'<g class="view view-{view}" transform="translate({dx:g},{TOP})">')
        for shape in (s for s in shapes() if s.view == view):
            kind = _kind_of(shape.area, marked) if shape.area else None
            on = kind is not None and _coloured(shape, side)
            fill = colours[kind] if on else colours["none" if shape.area else "outline"]
            label = _label(shape, lang, kind if on else None) if shape.area else None
            parts.append(_shape_svg(shape, fill, label, on, interactive))
        parts.append("</g>")
        parts.append(_view_labels(view, dx, w, lang))
    style = f' style="width:{esc(width)};height:auto"' if width else ""
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="sf-body" viewBox="0 0 {total:g} {h + TOP:g}" '
            f'role="{"group" if interactive else "img"}" aria-label="{esc(text("picture_label", lang))}"{style}>'
            + "".join(parts) + "</svg>")


def _view_labels(view: str, dx: float, w: float, lang: str) -> str:
    """The view's name, and L / R beside the body so the sides cannot be mixed up."""
    near = lexicon("body")["views"][view]["near_side"]
    letter = {s: text(f"side_letters.{s}", lang) for s in ("left", "right")}
    font = 'font-family="sans-serif" fill="#333"'
    return (f'<text x="{dx + w / 2:g}" y="16" text-anchor="middle" font-size="15" font-weight="bold" {font}>'
            f'{esc(text(view, lang))}</text>'
            f'<text x="{dx + 8:g}" y="{TOP + 60:g}" font-size="14" {font}>{esc(letter[near])}</text>'
            f'<text x="{dx + w - 8:g}" y="{TOP + 60:g}" text-anchor="end" font-size="14" {font}>'
            f'{esc(letter[_other(near)])}</text>')


def marked_areas(marked: Mapping[str, Iterable[str]]) -> List[str]:
    """Every area marked as any kind, each once, in the picture's order."""
    chosen = {a for kind in KINDS for a in (marked.get(kind) or [])}
    return [a for a in areas() if a in chosen]
