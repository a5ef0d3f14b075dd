"""Margins wide enough for each chart's tick labels and axis titles, worked out on the server: step 4 of the chart
pipeline (see render.py for why), run on the spec Streamlit's look has been written into (look.py).

Each margin is set beforehand to an estimate of what Plotly's automargin pass would give: label widths from the
advance widths of the chart font (the table below, measured in Chromium for "Source Sans Pro, Noto Sans Tamil,
sans-serif", which resolves to Arial-metric Latin and Noto Sans Tamil), the tick length, the axis title and its
standoff. Automargin stays on, so where the estimate falls short (an unexpected font, a label of a script the table
does not know) Plotly still widens the margin as before; where it is generous the plot area is a few pixels smaller.
Only the axes on the figure's edge are counted: an inner panel's labels fall inside the figure, so its axes are left
out of Plotly's automargin (which would only measure them).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

__all__ = ["EM", "text_em", "label_box", "reserve_margins"]

# Advance width of each printable ASCII character, in em, for the chart font in Chromium.
EM = {
    '0': 0.572, '1': 0.572, '2': 0.572, '3': 0.572, '4': 0.572, '5': 0.572, '6': 0.572, '7': 0.572, '8': 0.572,
    '9': 0.572, ' ': 0.26, '!': 0.269, '"': 0.426, '#': 0.646, '$': 0.556, '%': 0.831, '&': 0.667, "'": 0.25,
    '(': 0.321, ')': 0.321, '*': 0.551, '+': 0.572, ',': 0.25, '-': 0.322, '.': 0.268, '/': 0.393, ':': 0.268,
    ';': 0.268, '<': 0.572, '=': 0.572, '>': 0.572, '?': 0.445, '@': 1.015, 'A': 0.667, 'B': 0.667, 'C': 0.722,
    'D': 0.722, 'E': 0.667, 'F': 0.611, 'G': 0.778, 'H': 0.722, 'I': 0.278, 'J': 0.5, 'K': 0.667, 'L': 0.556,
    'M': 0.833, 'N': 0.722, 'O': 0.778, 'P': 0.667, 'Q': 0.778, 'R': 0.722, 'S': 0.667, 'T': 0.611, 'U': 0.722,
    'V': 0.667, 'W': 0.944, 'X': 0.667, 'Y': 0.667, 'Z': 0.611, '[': 0.318, '\\': 0.393, ']': 0.323, '^': 0.572,
    '_': 0.444, '`': 0.333, 'a': 0.556, 'b': 0.556, 'c': 0.5, 'd': 0.556, 'e': 0.556, 'f': 0.262, 'g': 0.556,
    'h': 0.556, 'i': 0.222, 'j': 0.222, 'k': 0.5, 'l': 0.222, 'm': 0.833, 'n': 0.556, 'o': 0.556, 'p': 0.556,
    'q': 0.556, 'r': 0.333, 's': 0.5, 't': 0.278, 'u': 0.556, 'v': 0.5, 'w': 0.722, 'x': 0.5, 'y': 0.5, 'z': 0.5,
    '{': 0.369, '|': 0.551, '}': 0.369, '~': 0.572,
}
BOLD = 1.11  # bold Latin is about this much wider
TAMIL_EM = 0.72  # per code point of a Tamil word (measured: 0.55-0.69)
OTHER_EM = 1.0  # a character of a script the table does not know, generously
LINE = 1.3  # Plotly's line height, in font sizes
TICK_PAD = 4  # px between a tick (or the axis) and its label
SLACK = 6  # px added to each estimate
AUTO_ANGLE_PLOT_PX = 800  # where Plotly picks the label angle itself: the plot width assumed (a wide page's chart)
_TAG = re.compile(r"<[^>]*>")
_BR = re.compile(r"<br\s*/?>", re.I)


@lru_cache(maxsize=4096)
def _char_em(c: str) -> float:
    if c in EM:
        return EM[c]
    if "\u0b80" <= c <= "\u0bff":
        return TAMIL_EM
    if unicodedata.category(c) in ("Mn", "Me", "Cf"):  # combining marks, zero-width spaces and joiners
        return 0.0
    if "SUPERSCRIPT" in unicodedata.name(c, "") or "SUBSCRIPT" in unicodedata.name(c, ""):
        return 0.4
    if unicodedata.east_asian_width(c) in ("W", "F") or ord(c) >= 0x1F000:  # wide script, emoji
        return 1.25
    base = unicodedata.normalize("NFD", c)[0]  # é -> e
    return EM.get(base, OTHER_EM)


@lru_cache(maxsize=8192)
def text_em(text: str) -> tuple[float, int]:
    """(width of the widest line in em, number of lines) of a Plotly label: <br> breaks lines, tags are dropped,
    <b> widens."""
    lines = _BR.split(str(text))
    bold = "<b>" in str(text).lower()
    widest = max(sum(_char_em(c) for c in _TAG.sub("", line)) for line in lines)
    return widest * (BOLD if bold else 1.0), len(lines)


def label_box(labels: Iterable[Any], size: float, angle: float) -> tuple[float, float]:
    """(extent across the axis, extent along it) in px of the largest of `labels` at font `size`, rotated by
    `angle` degrees; an x axis's labels reach down by the first, a y axis's reach left by the second's partner."""
    width = height = 0.0
    for label in labels:
        em, lines = text_em(str(label))
        w, h = em * size, lines * LINE * size
        a = math.radians(abs(angle))
        width = max(width, w * math.cos(a) + h * math.sin(a))  # horizontal extent
        height = max(height, w * math.sin(a) + h * math.cos(a))  # vertical extent
    return width, height


# ---- which labels an axis shows ----------------------------------------------------------------------------------


def _trace_values(data: list[dict], axis_id: str, letter: str) -> list:
    """The values the traces on axis `axis_id` ("x", "y2") put along it (category labels or numbers)."""
    out: list = []
    for trace in data:
        if str(trace.get(f"{letter}axis", letter)) != axis_id:
            continue
        values = trace.get(letter)
        if isinstance(values, (list, tuple)):
            out += list(values)
    return out


def _number_labels(values: list, axis: dict) -> list[str]:
    """Likely tick labels of a numeric axis: its range's ends (or the data's) in its tick format, roughly."""
    numbers = [float(v) for v in values if isinstance(v, (int, float)) and math.isfinite(v)]
    ends = list(axis.get("range") or []) or ([min(numbers), max(numbers)] if numbers else [0, 1])
    fmt = str(axis.get("tickformat") or "")
    if axis.get("type") == "log":
        return ["10⁻⁰⁰" if min(ends) < 0 or min(numbers or [1]) < 1 else "10⁰⁰"]
    out = []
    for v in ends:
        v = float(v) if isinstance(v, (int, float)) else 0.0
        if "%" in fmt:
            out.append(f"{v * 100:.0f}%")
        elif "s" in fmt:
            out.append("999k" if abs(v) >= 1000 else f"{v:.2g}")
        else:
            out.append(f"{v:,.2f}" if abs(v) < 10 else f"{v:,.0f}")
    return out


def _labels(axis: dict, values: list) -> list:
    if axis.get("showticklabels") is False:
        return []
    if axis.get("ticktext") is not None:
        return list(axis["ticktext"])
    if axis.get("tickvals") is not None and axis.get("type") == "category":
        return list(axis["tickvals"])
    category = axis.get("type") == "category" or any(isinstance(v, str) for v in values)
    if not category:
        return _number_labels(values, axis)
    step = axis.get("dtick") if axis.get("tickmode") == "linear" else 1
    step = int(step) if isinstance(step, (int, float)) and step >= 1 else 1
    return [v for v in values if v is not None][::step]


# ---- the margins -------------------------------------------------------------------------------------------------


def _on_edge(domain: Any, low_end: bool) -> bool:
    lo, hi = (list(domain) if isinstance(domain, (list, tuple)) and len(domain) == 2 else [0.0, 1.0])
    return lo <= 0.001 if low_end else hi >= 0.999


def _title(axis: dict, default_size: float) -> float:
    """px the axis title adds beyond the labels: standoff, its lines and a little room."""
    title = axis.get("title") or {}
    text = title.get("text") if isinstance(title, dict) else title
    if not text:
        return 0.0
    size = float(((title.get("font") or {}).get("size")) or default_size) if isinstance(title, dict) else default_size
    lines = len(_BR.split(str(text)))
    standoff = float(title.get("standoff") or 0) if isinstance(title, dict) else 0.0
    return standoff + size * (0.7 + LINE * (lines - 1)) + 10


def _angle(axis: dict, letter: str, labels: list, size: float) -> float:
    """The tick label angle: the axis's own, or where Plotly chooses (x axes), the one it would likely choose."""
    angle = axis.get("tickangle")
    if isinstance(angle, (int, float)) or letter == "y":
        return float(angle) if isinstance(angle, (int, float)) else 0.0
    widest, _ = label_box(labels, size, 0.0) if labels else (0.0, 0.0)
    crowded = len(labels) * (widest + 6) > AUTO_ANGLE_PLOT_PX
    return float(max(map(abs, axis.get("autotickangles") or [0, 30, 90]))) if crowded else 0.0


def _push(axis: dict, letter: str, labels: list, layout_font: float) -> float:
    """px the axis needs beyond the plot area on its side, as Plotly's automargin would make it."""
    size = float((axis.get("tickfont") or {}).get("size") or layout_font)
    angle = _angle(axis, letter, labels, size)
    across, along = label_box(labels, size, angle) if labels else (0.0, 0.0)
    depth = across
    if letter == "x":  # a little deeper than the box: Plotly's baseline shift, and superscripts of powers of ten
        depth = along + 3 + (0.5 * size if axis.get("type") == "log" else 0.0)
    ticks = float(axis.get("ticklen", 5)) if axis.get("ticks") in ("outside",) else 0.0
    return depth + ticks + (TICK_PAD if labels else 0.0) + _title(axis, 14.0)


def reserve_margins(spec: dict) -> dict:
    """The spec with each margin at least what its edge axes' labels and titles need (a new dict; the input is not
    touched). Run after the look is applied (figures/look.py), so tick and title fonts are the final ones."""
    layout = dict(spec.get("layout") or {})
    data = spec.get("data") or []
    font = float((layout.get("font") or {}).get("size") or 12)
    margin = dict(layout.get("margin") or {})
    pad = float(margin.get("pad") or 0)  # Plotly adds the margin's pad to every axis push
    for key, axis in list(layout.items()):
        match = re.fullmatch(r"([xy])axis(\d*)", key)
        if not match or not isinstance(axis, dict) or axis.get("visible") is False or not axis.get("automargin"):
            continue
        letter, number = match[1], match[2]
        other = layout.get(f"{'y' if letter == 'x' else 'x'}axis{str(axis.get('anchor', ''))[1:]}") or {}
        if axis.get("anchor") in (None, "free"):
            other = {}
        if letter == "x":
            side = "t" if axis.get("side") == "top" else "b"
        else:
            side = "r" if axis.get("side") == "right" else "l"
        if not _on_edge(other.get("domain"), low_end=side in ("b", "l")):
            # an inner panel's labels fall inside the figure: no need for Plotly to measure them for its margins
            layout[key] = {**axis, "automargin": False}
            continue
        values = _trace_values(data, f"{letter}{number}", letter)
        labels = _labels(axis, values)
        need = _push(axis, letter, labels, font)
        if need:
            margin[side] = max(float(margin.get(side, 0) or 0), math.ceil(need + pad + SLACK))
        numeric = (labels and axis.get("type") != "category" and axis.get("ticktext") is None
                   and not any(isinstance(v, str) for v in values))
        if letter == "x" and numeric and _on_edge(axis.get("domain"), low_end=False):
            # the last number is centred on the axis's end: half of it reaches into the right margin
            half = label_box(labels[-1:], float((axis.get("tickfont") or {}).get("size") or font), 0.0)[0] / 2
            margin["r"] = max(float(margin.get("r", 0) or 0), math.ceil(half + pad + SLACK))
    return {**spec, "layout": {**layout, "margin": margin}}
