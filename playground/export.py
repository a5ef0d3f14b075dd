"""Export: every chart as PNG or SVG at presentation size, every attention matrix as CSV. Pages draw charts through
`chart` (never st.plotly_chart directly) and offer matrices through `matrix_download`.

Images are made in the browser by Plotly's own modebar camera button (no kaleido, no headless Chrome on the server):
the button's `toImageButtonOptions` set the file name, the size and the format. Plotly offers one camera button with
one format per chart, and a custom button would need a JavaScript callback, which st.plotly_chart's JSON config
cannot carry; so the format is a sidebar setting (`format_picker`), PNG by default, SVG for vector slides.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Sequence
from functools import partial
from typing import Any

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from . import display
from .figures.base import SpecFigure
from .figures.look import with_look
from .layout_css import chart_min_widths

__all__ = ["FORMAT_KEY", "FORMATS", "IMAGE_WIDTH", "IMAGE_MIN_HEIGHT", "IMAGE_SCALE", "file_stem", "chart_config", "file_safe",
           "chart", "matrix_csv", "matrix_download", "format_picker", "image_format"]

FORMAT_KEY = "export_format"
FORMATS = ("png", "svg")
IMAGE_WIDTH = 1280  # a 16:9 slide's width in CSS pixels
IMAGE_MIN_HEIGHT = 720  # ... and its height; a taller chart keeps its own height
IMAGE_SCALE = 2  # PNG pixels per CSS pixel: 2560 px wide, sharp on a projector


def file_safe(char: str) -> bool:
    """Letters and digits of any script with their combining marks (Tamil vowel signs), '.', '-'."""
    return char in ".-" or unicodedata.category(char)[0] in "LMN"


def _slug(part: Any) -> str:
    # one piece of a file name: spaces become '-', anything not file_safe is dropped ('/', '_', quotes, emoji)
    text = "".join(c for c in re.sub(r"\s+", "-", str(part).strip()) if file_safe(c)).strip(".-")
    return text[:40]


def file_stem(name_parts: Sequence[Any]) -> str:
    """("self-attention", "it", "temperature-1.0") -> "self-attention_it_temperature-1.0": what the file shows."""
    stem = "_".join(p for p in (_slug(part) for part in name_parts) if p)
    return stem[:120] or "chart"


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


TOOLBAR_REMOVED = ("zoom2d", "pan2d", "select2d", "lasso2d", "zoomIn2d", "zoomOut2d", "autoScale2d")


def chart_config(name_parts: Sequence[Any], height: Any, fmt: str) -> dict:
    """Plotly's config for one chart: the camera button saves `fmt` at slide size under a descriptive name."""
    h = int(height) if isinstance(height, (int, float)) and height > 0 else IMAGE_MIN_HEIGHT
    # the toolbar keeps the camera and "reset axes" only (dragging still zooms): the full row of eight buttons sat
    # over the chart's title on a phone and on long titles
    return dict(displaylogo=False, modeBarButtonsToRemove=list(TOOLBAR_REMOVED), toImageButtonOptions=dict(
        format=fmt, filename=file_stem(name_parts), width=IMAGE_WIDTH, height=max(h, IMAGE_MIN_HEIGHT),
        scale=IMAGE_SCALE if fmt == "png" else 1))  # an SVG is sharp at any size: 1280 wide is what a slide takes


def chart(fig: go.Figure, name_parts: Sequence[Any], *, where: Any = None, **kwargs: Any) -> Any:
    """st.plotly_chart in this session's display mode and Streamlit's look, with the download button configured.
    `where` is the container (a column, a tab; default the page), kwargs go to st.plotly_chart (key, on_select, ...);
    returns what it does."""
    spec = with_look(display.styled(fig.to_dict(), display.current()))
    config = chart_config(name_parts, spec["layout"].get("height"), image_format())
    least = (spec["layout"].get("meta") or {}).get("min_width")
    if least and kwargs.get("key"):  # a chart that states the width its cells need (figures/small_multiples)
        chart_min_widths({kwargs["key"]: least}, scale=1.0)  # already scaled for the display mode by `styled`
    # theme=None: the spec carries Streamlit's look itself, so the browser draws each chart once (figures/look.py)
    return (where or st).plotly_chart(SpecFigure(spec), config=config, theme=None, **kwargs)


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
