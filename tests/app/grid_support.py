"""Reading a grid of heads (playground/figures/small_multiples) back into its panels, for the tests: one heatmap
trace per panel, all on one pair of axes."""

from __future__ import annotations

import base64

import numpy as np


def decode(value) -> np.ndarray:
    """A Plotly typed array ({"dtype", "bdata", "shape"}) or a plain list, as a float NumPy array."""
    if isinstance(value, dict) and "bdata" in value:
        a = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"])).astype(np.float64)
        return a.reshape([int(s) for s in value["shape"].split(",")]) if "shape" in value else a
    return np.array(value, dtype=float)


def grid_panels(spec: dict) -> np.ndarray:
    """[P, n, m]: every panel's matrix, in reading order (left to right, then down). NaN cells (a row hidden until
    the learner guesses) stay NaN."""
    return np.stack([decode(t["z"]) for t in spec["data"] if t["type"] == "heatmap"])


def panel_texts(spec: dict) -> list[np.ndarray]:
    """The numbers printed on each panel's cells ("" where none), in the order of grid_panels."""
    out = []
    for t in (t for t in spec["data"] if t["type"] == "heatmap"):
        z = decode(t["z"])
        out.append(np.array(t["text"], dtype=object) if t.get("texttemplate") else np.full(z.shape, "", object))
    return out
