"""Reading a grid of heads (playground/figures/small_multiples) back into its panels, for the tests: one heatmap
trace holds every panel, empty gaps between them, on one pair of axes."""

from __future__ import annotations

import base64

import numpy as np


def decode(value) -> np.ndarray:
    """A Plotly typed array ({"dtype", "bdata", "shape"}) or a plain list, as a float NumPy array."""
    if isinstance(value, dict) and "bdata" in value:
        a = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"])).astype(np.float64)
        return a.reshape([int(s) for s in value["shape"].split(",")]) if "shape" in value else a
    return np.array(value, dtype=float)


def _runs(flags: np.ndarray) -> list[slice]:
    """Maximal runs of True in a 1-D boolean array, as slices."""
    out, start = [], None
    for i, f in enumerate([*flags.tolist(), False]):
        if f and start is None:
            start = i
        elif not f and start is not None:
            out.append(slice(start, i))
            start = None
    return out


def _blocks(spec: dict) -> tuple[dict, list[tuple[slice, slice]]]:
    """The grid's one heatmap trace and its panels' (rows, columns) blocks in reading order: the cells are where the
    hover text is not empty (a gap's is), so a hidden row (NaN) still counts as cells."""
    (trace,) = [t for t in spec["data"] if t["type"] == "heatmap"]
    cells = np.array(trace["customdata"], dtype=object) != ""  # [Y, X]
    blocks = [(r, c) for r in _runs(cells.any(axis=1)) for c in _runs(cells.any(axis=0)) if cells[r, c].all()]
    return trace, blocks


def grid_panels(spec: dict) -> np.ndarray:
    """[P, n, m]: every panel's matrix, in reading order (left to right, then down). NaN cells (a row hidden until
    the learner guesses) stay NaN."""
    trace, blocks = _blocks(spec)
    z = decode(trace["z"])
    return np.stack([z[r, c] for r, c in blocks])


def panel_texts(spec: dict) -> list[np.ndarray]:
    """The numbers printed on each panel's cells ("" where none), in the order of grid_panels."""
    trace, blocks = _blocks(spec)
    text = np.array(trace["text"], dtype=object) if trace.get("texttemplate") else None
    return [text[r, c] if text is not None else np.full((r.stop - r.start, c.stop - c.start), "", object)
            for r, c in blocks]
