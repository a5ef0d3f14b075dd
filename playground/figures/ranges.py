"""Axis ranges written into the spec, so the browser draws a chart once, not twice.

Streamlit hands Plotly every chart a second time just after drawing it, as a fresh copy of the same spec. Plotly
keeps the range it worked out for an auto-ranged axis in the spec it was given; an axis with `autorange:
"reversed"` (every attention heatmap's query axis) then compares as changed against the fresh copy, which has no
range, and Plotly draws the whole chart again: 10-25 ms a chart for nothing. An axis that states its range compares
equal, and the second pass costs ~5 ms.

`pin_ranges` states the range Plotly's own autorange would give wherever the traces on an axis fix it without
looking at values: heatmap cells (half a unit past the first and last position) and the category side of bars.
Axes holding anything else (lines, markers, a bar's value side) are left to Plotly, which handles `autorange: true`
without a second drawing. What a learner sees is unchanged: the same range, the same direction.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["pin_ranges"]


def _z_shape(z: Any) -> tuple[int, int] | None:
    """(rows, columns) of a heatmap's z: a list of rows or a 2-D typed array."""
    if isinstance(z, dict) and "shape" in z:
        rows, cols = (int(s) for s in str(z["shape"]).split(","))
        return rows, cols
    if isinstance(z, (list, tuple)) and z and all(isinstance(r, (list, tuple)) for r in z):
        return len(z), max(len(r) for r in z)
    return None


def _positions(values: Any, count: int | None) -> list | None:
    """The positions of a trace's cells or bars along one axis: the given list, or 0..count-1 when none is given;
    None when they are not a plain list of words or whole numbers (Plotly is then left to range the axis)."""
    if values is None:
        return list(range(count)) if count else None
    if not isinstance(values, (list, tuple)) or not values:
        return None
    if all(isinstance(v, str) for v in values) or all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return list(values)
    return None


def _fixed(trace: dict) -> dict[str, list | None]:
    """{"x": positions, "y": positions} for the axes whose extent this trace fixes (None: it depends on values)."""
    kind = trace.get("type")
    if kind == "heatmap":
        rows, cols = _z_shape(trace.get("z")) or (None, None)
        return {"x": _positions(trace.get("x"), cols), "y": _positions(trace.get("y"), rows)}
    if kind == "bar":
        side, value = ("y", "x") if trace.get("orientation") == "h" else ("x", "y")
        return {side: _positions(trace.get(side), None), value: None}
    return {"x": None, "y": None}


def _number_or_date(word: str) -> bool:
    """Whether Plotly might read this label as a number or a date, and so type the axis linear or date."""
    try:
        float(word.strip().replace(",", ""))
        return True
    except ValueError:
        return bool(re.match(r"\s*\d{1,4}[-/.:]\d", word))


def _span(positions: list, category: bool) -> tuple[float, float] | None:
    """(low, high) edges of cells at these positions: one per distinct word (or number, on a category axis) from 0,
    or whole numbers one apart; None for gaps or a mix."""
    distinct = list(dict.fromkeys(positions))
    if category or (all(isinstance(p, str) for p in distinct) and not any(map(_number_or_date, distinct))):
        return -0.5, len(distinct) - 0.5
    if all(isinstance(p, int) for p in distinct) and sorted(distinct) == list(range(min(distinct), max(distinct) + 1)):
        return min(distinct) - 0.5, max(distinct) + 0.5
    return None


def _axis_key(ref: str | None, letter: str) -> str:
    # a trace's "x2" lives on layout["xaxis2"]; no reference means the first axis
    suffix = (ref or letter)[1:]
    return f"{letter}axis{suffix}"


def pin_ranges(spec: dict) -> dict:
    """The spec with an explicit range on every auto-ranged axis whose traces all fix their extent (a new dict, the
    input untouched); `autorange: "reversed"` becomes the same range high to low."""
    data = spec.get("data") or []
    layout = dict(spec.get("layout") or {})
    found: dict[str, list] = {}
    for trace in data:
        for letter, positions in _fixed(trace).items():
            found.setdefault(_axis_key(trace.get(f"{letter}axis"), letter), []).append(positions)
    for key, lists in found.items():
        axis = layout.get(key) or {}
        if not isinstance(axis, dict) or "range" in axis or axis.get("autorange", True) not in (True, "reversed"):
            continue
        if axis.get("type") not in (None, "-", "linear", "category") or any(p is None for p in lists):
            continue
        span = _span([p for positions in lists for p in positions], axis.get("type") == "category")
        if span is None:
            continue
        low, high = span
        pinned = [high, low] if axis.get("autorange") == "reversed" else [low, high]
        layout[key] = {**{k: v for k, v in axis.items() if k != "autorange"}, "range": pinned}
    return {**spec, "layout": layout}
