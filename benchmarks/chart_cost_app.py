"""The floor app (benchmarks/floor_app.py) with a knob for each thing a playground page adds: how many heatmaps one
slider redraws (`?charts=`), whether they print their values on the cells (`?text=0` leaves them to hover), how
much page they sit in (`?paragraphs=`), and whether they are one figure with a subplot each (`?merge=1`) instead of
one chart element each. `python -m benchmarks.chart_cost` times a key press on its slider for each
setting, so the cost of one more changed chart, of printed values, of a long page and of separate charts against one
figure is measured, not guessed.

    streamlit run benchmarks/chart_cost_app.py      # then open /?charts=4&text=0&paragraphs=40 or /?charts=4&merge=1
"""

import numpy as np
import streamlit as st

N = 10
WORDS = ("The", "animal", "didn't", "cross", "the", "street", "because", "it", "was", "tired")  # N labels
MAX_CHARTS = 8


def setting(name: str, default: int, top: int) -> int:
    """A whole-number query parameter between 0 and `top`; the default when it is missing or not a number."""
    raw = st.query_params.get(name, "")
    return min(max(int(raw), 0), top) if raw.isdigit() else default


def heatmap_spec(weights: np.ndarray, title: str, text: bool) -> dict:
    """weights [N, N] -> a labelled heatmap as the playground draws them: no colour bar when values are printed, tick
    labels never measured for overflow (playground/figures/look.py)."""
    axis = dict(tickvals=list(range(N)), ticktext=list(WORDS), ticklabeloverflow="allow")
    trace = dict(type="heatmap", z=weights.tolist(), colorscale="Blues", zmin=0, zmax=1, showscale=not text,
                 hovertemplate="query %{y}<br>key %{x}<br>weight %{z:.3f}<extra></extra>")
    if text:
        trace["texttemplate"] = "%{z:.2f}"
    return dict(data=[trace], layout=dict(height=420, title=dict(text=title), margin=dict(l=80, r=10, t=40, b=80),
                                          xaxis=axis, yaxis={**axis, "autorange": "reversed"}, template={}))


def merged_spec(specs: list[dict]) -> dict:
    """k heatmap specs -> one figure stacking them as k subplots (axes x, x2, ..., y, y2, ...), each its own height."""
    k, gap = len(specs), 0.05
    layout = dict(specs[0]["layout"], height=sum(s["layout"]["height"] for s in specs))
    data = []
    for i, s in enumerate(specs):
        suffix = str(i + 1) if i else ""
        data.append(dict(s["data"][0], xaxis=f"x{suffix}", yaxis=f"y{suffix}"))
        top, bottom = 1 - i / k, 1 - (i + 1) / k + gap  # this subplot's share of the height, a gap below it
        layout[f"xaxis{suffix}"] = dict(s["layout"]["xaxis"], anchor=f"y{suffix}")
        layout[f"yaxis{suffix}"] = dict(s["layout"]["yaxis"], anchor=f"x{suffix}", domain=[bottom, top])
    return dict(data=data, layout=layout)


st.set_page_config(page_title="Chart cost", layout="wide")
charts, text, paragraphs = setting("charts", 1, MAX_CHARTS), setting("text", 1, 1) == 1, setting("paragraphs", 0, 200)
merge = setting("merge", 0, 1) == 1
st.title("Chart cost")
for i in range(paragraphs):
    st.markdown(f"Paragraph {i + 1}: " + "a sentence of filler that stands for a page's explanations. " * 6)
temperature = st.slider("Temperature", 0.1, 3.0, 1.0, step=0.1, key="floor_temperature")
scores = np.sin(np.arange(N)[:, None] * 0.7 + np.arange(N)[None, :] * 1.3) * 3.0  # [N, N], fixed
specs = []
for k in range(charts):
    weights = np.exp((scores + k) / temperature)
    weights /= weights.sum(axis=1, keepdims=True)  # [N, N], rows sum to 1
    specs.append(heatmap_spec(weights, f"Heatmap {k + 1} at temperature {temperature:.1f}", text))
for k, spec in enumerate([merged_spec(specs)] if merge else specs):
    st.plotly_chart(spec, key=f"c{k}", theme=None)
