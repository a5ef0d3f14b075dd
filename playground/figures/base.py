"""Plotly figure builders shared by the pages. Each takes arrays and labels, returns a go.Figure; no math here."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import plotly.graph_objects as go
from plotly.colors import get_colorscale

from ..formatting import plotly_safe
from .palette import EXTRA, HIGHLIGHT, INK, PAPER, PRIMARY, SCORES_COLORSCALE, TRANSPARENT, WEIGHTS_COLORSCALE

QUERY_AXIS = "query: the word doing the looking"
KEY_AXIS = "key: the word being looked at"
MAX_CELLS_WITH_TEXT = 12  # print values on cells up to 12 x 12
# Heatmaps are drawn without gaps between cells (no xgap/ygap): with a gap Plotly paints every cell onto a canvas the
# size of the plot and encodes it as a PNG on each draw; without, an n x m image is scaled up. Measured in Chromium on
# the multi-head page's eight-head grid: 474 ms -> 235 ms per draw (tests/app/test_accessibility.py keeps it so).
# Noto Sans Tamil named after the Latin face: a browser falls back per character only to fonts in the list (or its
# default), and without it some Tamil words in chart labels rendered as boxes.
FONT = dict(family="Source Sans Pro, Noto Sans Tamil, sans-serif", size=13)


TITLE_CHARS = 52  # a chart title longer than this is broken into lines: Plotly never wraps, and on a phone it ran off
TITLE_LINE_PX = 19  # the extra top margin each further title line takes


def wrap_title(title: str, width: int = TITLE_CHARS) -> list[str]:
    """The title as lines of at most `width` characters, broken at spaces (a title with markup stays one line)."""
    if len(title) <= width or "<" in title:
        return [title]
    lines = [""]
    for word in title.split(" "):
        if lines[-1] and len(lines[-1]) + 1 + len(word) > width:
            lines.append(word)
        else:
            lines[-1] = f"{lines[-1]} {word}" if lines[-1] else word
    return lines


def frame(title: str, height: int, *, margin: dict | None = None, template: dict | None = None, **extra) -> dict:
    """The layout every chart of the playground shares: title at the top left, height, slim margins, the app's font,
    white plot area. No Plotly template unless one is given: Streamlit's look is written in later (look.py), and the
    default template is ~6 KB to copy and serialise per figure on every rerun."""
    return dict(title=dict(text=title, x=0, xanchor="left", font=dict(size=15)), height=height,
                margin=margin or dict(l=10, r=10, t=50, b=10), font=dict(FONT), plot_bgcolor=PAPER,
                template={} if template is None else template, **extra)


class SpecFigure(go.Figure):
    """A go.Figure carrying a finished spec {"data", "layout"}: to_dict() and to_plotly_json() hand it over as it is,
    skipping Plotly's trace objects, their validation and their deep copy (step 1 of render.py; st.plotly_chart only
    calls to_dict()). Use to_dict(), not .data, to look inside. Builders use standard properties only; the tests
    validate what the pages send (tests/app/test_chart_look.py)."""

    def __init__(self, spec: dict):
        # an empty template: otherwise go.Figure copies Plotly's default template into its own (unused) layout,
        # 3-6 ms per figure, more than building the spec itself
        super().__init__(layout={"template": {}}, _validate=False)
        self._spec = spec

    def to_dict(self) -> dict:
        return self._spec

    def to_plotly_json(self) -> dict:
        return self._spec


def with_shapes(fig: SpecFigure, shapes: Sequence[dict]) -> SpecFigure:
    """`fig` with `shapes` (boxes, lines) drawn over what it already has; the spec itself is changed (to_dict() is
    the live spec), so build the figure afresh for each chart, never share a cached one."""
    layout = fig.to_dict()["layout"]
    layout["shapes"] = [*layout.get("shapes", []), *shapes]
    return fig


def figure(data: list[dict], layout: dict) -> SpecFigure:
    """The one way every chart of the playground is built: plain Plotly trace dicts and a layout made by `frame`."""
    return SpecFigure(dict(data=data, layout=layout))


def unique_labels(words: Sequence[str], n: int = 16) -> list[str]:
    """Escaped, shortened labels made unique with trailing zero-width spaces, so they can name category axes:
    the two "the"s of a sentence stay two columns, and hover can show the word itself."""
    seen: dict[str, int] = {}
    out = []
    for w in words:
        label = plotly_safe(w, n)
        k = seen.get(label, 0)
        seen[label] = k + 1
        out.append(label + "\u200b" * k)
    return out


def typed_array(a: np.ndarray, dtype: str = "f4") -> dict:
    """An array as a plotly.js typed-array spec (the form Plotly itself sends). float32 by default: 7 significant
    digits, far more than any chart or hover label shows, at half the bytes to encode, hash and send; NaN cells
    stay NaN, which a heatmap leaves empty."""
    a = np.ascontiguousarray(a, dtype=dtype)
    spec = {"dtype": {"float32": "f4", "int16": "i2"}[a.dtype.name],
            "bdata": base64.b64encode(a.tobytes()).decode("ascii")}
    if a.ndim > 1:
        spec["shape"] = ", ".join(map(str, a.shape))
    return spec


@lru_cache(maxsize=8)
def scale(name: str) -> tuple:
    # a named colorscale as the explicit stops Plotly's validation would make of it ("_r" names exist only in
    # Python); a tuple, because every figure of every session shares this cached value
    return tuple(tuple(stop) for stop in get_colorscale(name))


def no_negative_zero(number: str) -> str:
    """'-0.0' -> '0.0' (a tiny negative rounded to zero carries no sign worth showing); other strings unchanged."""
    return number[1:] if number.startswith("-") and number.strip("-0.") == "" else number


def log_axis_ticks(values) -> dict:
    """Tick settings for a log axis over `values`: one label per power of ten when they span 1 to 8 decades, so
    Plotly does not print small '2 3 5' digits between the powers; its own choice otherwise."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v) & (v > 0)]
    if v.size == 0:
        return {}
    decades = float(np.log10(v.max() / v.min()))
    if decades < 1:  # within one decade Plotly may label a single power ("1" alone at rho = 1.3): 1, 2, 5 steps
        return dict(dtick="D2", exponentformat="power")
    return dict(dtick=1, exponentformat="power") if decades <= 8 else dict(exponentformat="power")


def _cell_text(z: np.ndarray, kind: str) -> np.ndarray:
    # [n, m] -> [n, m] strings; masked (-inf) cells say so instead of printing a number
    fmt = "{:.2f}" if kind == "weights" else "{:.1f}"
    out = np.array([no_negative_zero(fmt.format(v)) for v in z.ravel().tolist()], dtype=object).reshape(z.shape)
    out[np.isneginf(z)] = "−∞"
    out[np.isnan(z)] = "?"  # a row hidden until the learner guesses (playground.guess)
    return out


def attention_heatmap(matrix: np.ndarray, row_labels: Sequence[str], col_labels: Sequence[str], **options) -> go.Figure:
    """Rows are queries, columns are keys: the figure of `attention_heatmap_spec` (see there for the options)."""
    spec = attention_heatmap_spec(matrix, row_labels, col_labels, **options)
    return figure(spec["data"], spec["layout"])


def attention_heatmap_spec(
    matrix: np.ndarray,
    row_labels: Sequence[str],
    col_labels: Sequence[str],
    *,
    title: str,
    kind: str = "weights",
    x_title: str = KEY_AXIS,
    y_title: str = QUERY_AXIS,
    value_name: str | None = None,
    height: int | None = None,
    show_values: bool | None = None,
    highlight_row: int | None = None,
    clickable: bool = False,
    col_ticks: Sequence[str] | None = None,
    tick_angle: float | str | None = None,
    hover_chars: int = 24,
    score_bound: float | None = None,
) -> dict:
    """The Plotly spec {"data", "layout"} of an attention heatmap. Rows are queries, columns are keys.
    kind="weights": sequential 0..1; kind="scores": diverging around 0, from -score_bound to +score_bound (default:
    the matrix's largest |value|; give one bound to score matrices shown in turn, so their colours compare).

    -inf entries (masked logits) are drawn as empty cells marked −∞; NaN entries (a row hidden until the learner
    guesses) as empty cells marked ?; NaN never reaches the chart as a number.
    clickable=True: a click on a cell can be read with st.plotly_chart(..., on_select="rerun",
    selection_mode="points"), whose selection then holds one point with x = column and y = row index.
    col_ticks: column tick labels already safe for Plotly (e.g. two lines joined by <br>) instead of the shortened
    col_labels; tick_angle overrides the automatic angle ("auto": level where the labels fit side by side, standing
    on end where they would overlap, decided by Plotly at the chart's real width); hover_chars is where labels are cut.
    """
    z = np.asarray(matrix, dtype=float)  # [n, m]
    if z.ndim != 2:
        raise ValueError(f"attention_heatmap needs a 2-D matrix, got shape {z.shape}")
    n, m = z.shape
    rows = [plotly_safe(s, hover_chars) for s in row_labels]
    cols = [plotly_safe(s, hover_chars) for s in col_labels]
    finite = np.isfinite(z)
    z_plot = np.where(finite, z, np.nan)  # Plotly leaves NaN cells empty; the text layer says why
    if kind == "weights":
        color = dict(colorscale=scale(WEIGHTS_COLORSCALE), zmin=0.0, zmax=1.0)
    else:
        bound = score_bound or (float(np.max(np.abs(z[finite]))) if finite.any() else 1.0)
        color = dict(colorscale=scale(SCORES_COLORSCALE), zmid=0.0, zmin=-bound or -1.0, zmax=bound or 1.0)
    value_name = value_name or ("weight" if kind == "weights" else "score")
    custom = np.dstack(np.broadcast_arrays(np.array(rows, dtype=object)[:, None], np.array(cols, dtype=object)[None, :]))
    text = _cell_text(z, kind)
    show = (n <= MAX_CELLS_WITH_TEXT and m <= MAX_CELLS_WITH_TEXT) if show_values is None else show_values
    heat = dict(
        type="heatmap",
        z=z_plot,
        x=list(range(m)),
        y=list(range(n)),
        customdata=custom,
        text=text,
        hovertemplate=f"query %{{customdata[0]}}<br>key %{{customdata[1]}}<br>{value_name} %{{text}}<extra></extra>",
        colorbar=dict(title=dict(text=value_name), thickness=12),
        **color,
    )
    if show:
        heat["texttemplate"] = "%{text}"
        # weights printed on every cell need no colour bar to be read (signed scores keep theirs: it shows where 0
        # sits); a colour bar is a third of a small heatmap's draw in Chromium (54 -> 38 ms)
        heat["showscale"] = kind != "weights"
    layout = frame(title, height or max(260, 60 + 34 * n))
    layout["xaxis"] = dict(title=dict(text=x_title), tickvals=list(range(m)),
                           ticktext=cols if col_ticks is None else list(col_ticks), side="bottom",
                           tickangle=(-40 if m > 6 else 0) if tick_angle is None else tick_angle)
    if tick_angle == "auto":  # Plotly's default angle is automatic; "auto" itself does not validate in Python
        del layout["xaxis"]["tickangle"]
        layout["xaxis"]["autotickangles"] = [0, -90]
    # ranges stated, first query at the top: the cells' own extent, so the invisible click markers below never widen
    # it, and the browser draws the chart once (figures/ranges.py)
    layout["xaxis"]["range"] = [-0.5, m - 0.5]
    layout["yaxis"] = dict(title=dict(text=y_title), tickvals=list(range(n)), ticktext=rows, range=[n - 0.5, -0.5])
    if highlight_row is not None and 0 <= highlight_row < n:
        layout["shapes"] = [dict(type="rect", x0=-0.5, x1=m - 0.5, y0=highlight_row - 0.5, y1=highlight_row + 0.5,
                                 line=dict(color=HIGHLIGHT, width=2))]
    data = [heat]
    if clickable:
        # Streamlit reports clicks on point traces only (a heatmap click sends nothing). So an invisible marker sits on
        # each cell centre and carries the hover text instead of the heatmap; with no hover-distance limit the pointer
        # always finds the centre of the cell under it, and a click selects that marker. Zoom and pan are off so a
        # click never moves the chart. The overlay carries the heatmap's hover strings, which the heatmap then drops.
        hover = [f"query {r}<br>key {c}<br>{value_name} {v}"  # one string per cell: cheaper to copy and send
                 for r, c, v in zip(custom[..., 0].ravel().tolist(), custom[..., 1].ravel().tolist(), text.ravel().tolist())]
        del heat["hovertemplate"]
        data.append(dict(
            type="scatter", mode="markers", x=np.tile(np.arange(m), n), y=np.repeat(np.arange(n), m),
            text=hover, hovertemplate="%{text}<extra></extra>",
            marker=dict(size=4, color=TRANSPARENT), showlegend=False,
            hoverlabel=dict(bgcolor=PAPER, bordercolor=EXTRA, font=dict(color=INK)),
            selected=dict(marker=dict(opacity=0)), unselected=dict(marker=dict(opacity=0)),
        ))
        heat["hoverinfo"] = "skip"
        del heat["customdata"]
        if not show:
            del heat["text"]
        layout.update(dragmode=False, clickmode="event+select", hovermode="closest", hoverdistance=-1)
        layout["xaxis"]["fixedrange"] = layout["yaxis"]["fixedrange"] = True
    return dict(data=data, layout=layout)


def weights_bar(weights: np.ndarray, labels: Sequence[str], *, title: str, value_name: str = "weight",
                x_title: str = KEY_AXIS, height: int = 300, color: str = PRIMARY, show_text: bool = True) -> go.Figure:
    """One query's weights over the keys, as bars with the percentage printed on each bar."""
    w = np.asarray(weights, dtype=float)  # [m]
    names = [plotly_safe(s) for s in labels]
    bar = dict(type="bar", x=list(range(len(w))), y=w.tolist(), customdata=names, marker=dict(color=color),
               hovertemplate=f"%{{customdata}}<br>{value_name} %{{y:.3f}}<extra></extra>", cliponaxis=False)
    if show_text:
        bar.update(text=[f"{100 * v:.0f}%" for v in w], textposition="outside", textfont=dict(size=11))
    layout = frame(title, height, uniformtext=dict(minsize=11, mode="show"),
                   xaxis=dict(title=dict(text=x_title), tickvals=list(range(len(w))), ticktext=names,
                              tickangle=-40 if len(w) > 6 else 0),
                   yaxis=dict(title=dict(text=value_name), range=[0, max(1.0, float(w.max(initial=0)) * 1.15)],
                              tickformat=".0%"))
    return figure([bar], layout)
