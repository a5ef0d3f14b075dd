"""Display modes, one step of the chart pipeline (playground/figures/render.py): a chart's spec restyled for a
colour-blind viewer or a projector. Pure: a spec and a `Display` in, a new spec out; the sidebar that chooses the
mode is playground/display.py.

A mode is a plain frozen value; nothing here is module-level mutable state, so two sessions in two modes share only
immutable tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from typing import Any

from .base import TITLE_CHARS, TITLE_LINE_PX, scale, wrap_title
from .palette import COLORBLIND_COLORS, COLORBLIND_SCALES

__all__ = ["Display", "STANDARD", "PROJECTOR_FONT", "PROJECTOR_LINE", "parse", "to_param", "styled"]

PROJECTOR_FONT = 1.35  # chart text this much larger
PROJECTOR_LINE = 1.75  # lines this much thicker


@dataclass(frozen=True)
class Display:
    colorblind: bool = False
    projector: bool = False


STANDARD = Display()


def parse(text: str) -> Display:
    """The URL form ("colorblind,projector") back to a mode; unknown names are ignored (a mistyped link shows the
    standard view)."""
    names = {part.strip().lower() for part in text.split(",")}
    return Display(colorblind="colorblind" in names, projector="projector" in names)


def to_param(display: Display) -> str:
    return ",".join(field.name for field in fields(Display) if getattr(display, field.name))



def _swap_table(colorblind: bool) -> dict:
    # colour -> colour and colour-scale stops -> stops; scale() is lru-cached, immutable tuples shared by all sessions
    if not colorblind:
        return {}
    table: dict = {old: new for old, new in COLORBLIND_COLORS.items()}
    table.update({scale(old): scale(new) for old, new in COLORBLIND_SCALES.items()})
    return table


_AXIS = re.compile(r"^[xy]axis\d*$")
_SIZED = {"font", "textfont", "tickfont", "insidetextfont", "outsidetextfont"}


def _restyle(value: Any, parent: str, swap: dict, display: Display) -> Any:
    """A copy of one spec node in `display`'s mode; arrays and plain numbers pass through untouched."""
    if isinstance(value, dict):
        out = {k: _restyle(v, k, swap, display) for k, v in value.items()}
        if display.projector:
            if parent in _SIZED and isinstance(out.get("size"), (int, float)):
                out["size"] = round(out["size"] * PROJECTOR_FONT, 1)
            if parent == "line" and isinstance(out.get("width"), (int, float)):
                out["width"] = round(out["width"] * PROJECTOR_LINE, 2)
            if parent == "uniformtext" and isinstance(out.get("minsize"), (int, float)):
                out["minsize"] = round(out["minsize"] * PROJECTOR_FONT, 1)
        return out
    if isinstance(value, tuple):  # colour scales are tuples of stops
        try:
            return swap.get(value, value)
        except TypeError:  # a tuple holding something unhashable
            return value
    if isinstance(value, list):
        if value and isinstance(value[0], (dict, list, str, tuple)):
            return [_restyle(v, parent, swap, display) for v in value]
        return value
    if isinstance(value, str):
        return swap.get(value, value)
    return value  # numbers, None, numpy arrays


def styled(spec: dict, display: Display) -> dict:
    """The chart spec {"data", "layout"} as `display` shows it: colour roles swapped to the colour-blind-safe set,
    text enlarged and lines thickened for a projector. A new dict; the input (maybe cached and shared) is not touched.
    """
    if display == STANDARD:
        return spec
    out = _restyle(spec, "", _swap_table(display.colorblind), display)
    if display.projector:
        _name_projector_sizes(out)
    return out


def _rewrap_title(layout: dict) -> None:
    """A chart title broken into shorter lines for the projector's larger letters (its lines were cut at the
    chart's edge), with the top margin grown by the lines it gained."""
    title = layout.get("title")
    text = title.get("text") if isinstance(title, dict) else None
    if not isinstance(text, str) or "<" in text.replace("<br>", ""):
        return  # no title, or markup that is not a line break: left as drawn
    before = text.split("<br>")
    after = wrap_title(" ".join(before), int(TITLE_CHARS / PROJECTOR_FONT))
    if len(after) > len(before):
        # from the top of the figure down, not centred on the top margin (Plotly's "auto"): the grown margin then
        # holds the lines, and labels on the plot's top edge stay clear of them
        # Plotly anchors a title of several lines by its first line, so the lines above the last push its top past
        # the figure's edge (measured: 7 px cut off a two-line title at 20 px): pad it down by as much
        extra = len(after) - 1
        size = float((title.get("font") or {}).get("size") or 15 * PROJECTOR_FONT)
        layout["title"] = {**title, "text": "<br>".join(after), "y": 1, "yref": "container", "yanchor": "top",
                           "pad": {**(title.get("pad") or {}), "t": 10 + round(0.85 * size * extra)}}
        margin = dict(layout.get("margin") or {})
        margin["t"] = margin.get("t", 50) + round(TITLE_LINE_PX * PROJECTOR_FONT) * (len(after) - len(before))
        layout["margin"] = margin


def _name_projector_sizes(spec: dict) -> None:
    """Streamlit's chart theme gives ticks, axis titles, legends and cell text its own small fonts unless a chart
    names a size; name one, in proportion to the (already enlarged) base font. Works on the copy `styled` made."""
    layout = spec.setdefault("layout", {})
    if "size" not in (layout.get("font") or {}):  # Plotly's default base font is 12
        layout["font"] = {**(layout.get("font") or {}), "size": round(12 * PROJECTOR_FONT, 1)}
    size = layout["font"]["size"]
    for name, axis in list(layout.items()):
        if _AXIS.match(name) and isinstance(axis, dict):
            axis = layout[name] = dict(axis)
            axis["tickfont"] = {"size": round(size * 0.85, 1), **(axis.get("tickfont") or {})}
            title = axis.get("title")
            if isinstance(title, dict) and title.get("text"):
                axis["title"] = {**title, "font": {"size": size, **(title.get("font") or {})}}
    legend = layout.get("legend") or {}
    layout["legend"] = {**legend, "font": {"size": size, **(legend.get("font") or {})}}
    _rewrap_title(layout)
    # the chart grows with its text: rows of labels, cells holding numbers, gaps between panels keep their room
    layout["height"] = round((layout.get("height") or 450) * PROJECTOR_FONT)
    meta = layout.get("meta")
    if isinstance(meta, dict) and meta.get("min_width"):  # the least width playground/export.chart applies as CSS
        layout["meta"] = {**meta, "min_width": round(meta["min_width"] * PROJECTOR_FONT)}
    for trace in spec.get("data", ()):
        # numbers printed on bars and points; a heatmap's cells keep the theme's size, larger would not fit a cell
        if trace.get("texttemplate") and trace.get("type") != "heatmap" and "size" not in (trace.get("textfont") or {}):
            trace["textfont"] = {**(trace.get("textfont") or {}), "size": round(size * 0.8, 1)}
        if trace.get("type") == "scatter" and "line" not in trace and "lines" in str(trace.get("mode", "lines")):
            trace["line"] = dict(width=round(2 * PROJECTOR_LINE, 2))  # Plotly's default line is 2 px
