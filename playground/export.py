"""Export and the one Streamlit call for charts: pages draw every chart through `chart` (never st.plotly_chart
directly) and offer attention matrices as CSV through `matrix_download`.

`chart` is the last step of the chart pipeline; the steps before it (display mode, Streamlit's look, margins, the
camera button's config) are pure and live in playground/figures/render.py, whose docstring explains them in order.

Images are made in the browser by Plotly's own modebar camera button (no kaleido, no headless Chrome on the server).
Plotly offers one camera button with one format per chart, and a custom button would need a JavaScript callback,
which st.plotly_chart's JSON config cannot carry; so the format is a sidebar setting (`format_picker`), PNG by
default, SVG for vector slides.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from functools import partial
from typing import Any

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from . import display
from .figures.render import file_stem, render
from .layout_css import chart_min_widths
from .state import url_toggle

__all__ = ["FORMAT_KEY", "FORMATS", "chart", "chart_on_request", "matrix_csv", "matrix_download", "format_picker",
           "image_format"]

FORMAT_KEY = "export_format"
FORMATS = ("png", "svg")


def image_format() -> str:
    """This session's download format, from the sidebar ("png" before the sidebar has run)."""
    value = st.session_state.get(FORMAT_KEY)
    return value if value in FORMATS else "png"


def format_picker() -> None:
    """The sidebar setting: which format the camera button of every chart downloads."""
    if FORMAT_KEY not in st.session_state:
        st.session_state[FORMAT_KEY] = "png"
    st.segmented_control("Chart downloads (camera button)", FORMATS, format_func=str.upper, key=FORMAT_KEY,
                         help="Hover a chart and click its camera icon: PNG for pasting anywhere, SVG for sharp "
                              "vector slides. Both come at slide size (1280 × 720 or taller).")


# ---- charts -------------------------------------------------------------------------------------------------------


def chart(fig: go.Figure, name_parts: Sequence[Any], *, where: Any = None, **kwargs: Any) -> Any:
    """st.plotly_chart in this session's display mode and Streamlit's look, with the download button configured.
    `where` is the container (a column, a tab; default the page), kwargs go to st.plotly_chart (key, on_select, ...);
    returns what it does."""
    out = render(fig, display.current(), name_parts, image_format())
    if out.min_width and kwargs.get("key"):  # a chart that states the width its cells need (figures/small_multiples)
        chart_min_widths({kwargs["key"]: out.min_width}, scale=1.0)  # already scaled for the display mode by `render`
    # theme=None: the spec carries Streamlit's look itself (figures/render.py, step 3)
    return (where or st).plotly_chart(out.figure, config=out.config, theme=None, **kwargs)


def chart_on_request(label: str, key: str, param: str) -> bool:
    """A switch, off unless the URL says ?<param>=1, for a chart the page's story reads without (its text and tables
    stay on the page): every chart drawn costs a key press tens of milliseconds in the browser. Returns whether to
    draw it."""
    return url_toggle(label, key, param)


# ---- matrices as CSV ------------------------------------------------------------------------------------------------


def _names(labels: Sequence[str]) -> list[str]:
    # "position:token": the position keeps repeated words apart and keeps a spreadsheet from reading "=1+1" as a formula
    return [f"{i + 1}:{t}" for i, t in enumerate(labels)]


def matrix_csv(weights: np.ndarray, rows: Sequence[str], cols: Sequence[str], *,
               blocks: Sequence[str] | None = None, block_title: str = "head") -> str:
    """An attention matrix as CSV: one line per query (row), one column per key, labelled "position:token".
    A stack [h, n, m] (one matrix per head) gets a first column `block_title` naming its block (`blocks`).
    Six decimals: the same text as pandas' to_csv(float_format="%.6f"), at a quarter of the cost."""
    w = np.asarray(weights, dtype=float)
    stack = w[None] if w.ndim == 2 else w  # [h, n, m]
    names = blocks if blocks is not None else [""] * len(stack)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    row_names = _names(rows)
    writer.writerow(([] if w.ndim == 2 else [block_title]) + [""] + _names(cols))
    for block, matrix in zip(names, stack.tolist()):
        for name, row in zip(row_names, matrix):
            writer.writerow(([] if w.ndim == 2 else [block]) + [name] + [f"{v:.6f}" for v in row])
    return buf.getvalue()


def matrix_download(weights: np.ndarray, rows: Sequence[str], cols: Sequence[str], name_parts: Sequence[Any], *,
                    key: str, label: str = "Download these weights (CSV)", where: Any = None,
                    blocks: Sequence[str] | None = None) -> None:
    """A CSV download of the matrix; the text is only made when the button is clicked (no cost on a rerun)."""
    (where or st).download_button(label, partial(matrix_csv, weights, list(rows), list(cols), blocks=blocks),
                                  file_name=f"{file_stem(name_parts)}.csv", mime="text/csv", key=key,
                                  on_click="ignore", icon=":material/download:")
