"""Every chart carries Streamlit's look itself and margins wide enough for its labels (playground/figures/look.py and
margins.py), so the browser draws it once: the spec keeps its own values, gains the theme's where it has none, has no
template and a fixed datarevision, and reserves room for long labels only on the figure's edge. And what the pages
send after every step (playground/figures/render.py) is valid Plotly."""

from __future__ import annotations

import copy
import json

import numpy as np
import plotly.graph_objects as go
import pytest

from playground.figures.base import attention_heatmap, frame
from playground.figures.look import LOOK, with_look
from playground.figures.margins import label_box, reserve_margins, text_em
from playground.navigation import PAGES
from tests.app.conftest import open_page


def _heatmap_spec(labels: list[str], **xaxis) -> dict:
    layout = frame("A title", 400)
    layout["xaxis"] = dict(title=dict(text="key"), tickvals=list(range(len(labels))), ticktext=labels, **xaxis)
    layout["yaxis"] = dict(title=dict(text="query"), tickvals=list(range(len(labels))), ticktext=labels)
    return {"data": [{"type": "heatmap", "z": [[0.5] * len(labels)] * len(labels)}], "layout": layout}



@pytest.mark.parametrize("mode", ["", "colorblind,projector"], ids=["standard", "colorblind-projector"])
@pytest.mark.parametrize("info", PAGES, ids=lambda p: p.url_path)
def test_every_chart_a_page_sends_is_valid_plotly(info, mode):
    """The builders and every step after them write plain dicts that skip Plotly's validation (SpecFigure): validate
    what each page actually sends, in the standard view and with both display modes on."""
    at = open_page(info.path, {"display": mode} if mode else {})
    for el in at.get("plotly_chart"):
        go.Figure(json.loads(el.proto.spec))  # raises on any invalid property or value

def test_the_look_fills_in_the_theme_under_the_charts_own_values_without_touching_the_input():
    spec = _heatmap_spec(["a", "b"])
    spec["layout"]["xaxis"]["tickfont"] = dict(size=9)
    spec["layout"]["xaxis2"] = dict(title="second")  # a plain-string title
    before = copy.deepcopy(spec)
    out = with_look(spec)
    assert spec == before
    layout = out["layout"]
    assert "template" not in layout and layout["datarevision"] == 0
    assert layout["xaxis"]["tickfont"] == dict(color=LOOK["xaxis"]["tickfont"]["color"], size=9)  # own size wins
    assert layout["xaxis"]["title"]["standoff"] == LOOK["xaxis"]["title"]["standoff"]
    assert layout["xaxis2"]["title"]["text"] == "second" and layout["xaxis2"]["automargin"] is True
    assert layout["yaxis"]["ticklabelposition"] == "outside"
    assert layout["title"]["text"] == "A title" and layout["title"]["font"]["weight"] == 700  # bold, as the theme
    go.Figure(out)  # valid Plotly


def test_axes_and_colour_axes_the_traces_use_get_the_look_even_when_the_layout_omits_them():
    spec = {"data": [{"type": "heatmap", "z": [[1]], "xaxis": "x3", "yaxis": "y3", "coloraxis": "coloraxis2"}],
            "layout": {"title": {"text": "t"}}}
    layout = with_look(spec)["layout"]
    assert {"xaxis3", "yaxis3", "coloraxis2"} <= set(layout)
    assert layout["coloraxis2"]["colorbar"]["thickness"] == LOOK["coloraxis"]["colorbar"]["thickness"]


def test_no_axis_or_colour_bar_has_its_tick_labels_measured_for_overflow():
    """Plotly's default measures every tick label once per label drawn (look.py); the look switches it off
    everywhere, a trace's own colour bar included, and leaves the input alone."""
    trace = {"type": "heatmap", "z": [[1]], "colorbar": {"thickness": 12}}
    spec = {"data": [trace], "layout": {"title": {"text": "t"}, "xaxis": {"title": "x"}, "coloraxis": {}}}
    out = with_look(spec)
    assert trace == {"type": "heatmap", "z": [[1]], "colorbar": {"thickness": 12}}
    assert out["data"][0]["colorbar"] == {"ticklabeloverflow": "allow", "thickness": 12}
    layout = out["layout"]
    assert layout["xaxis"]["ticklabeloverflow"] == layout["yaxis"]["ticklabeloverflow"] == "allow"
    assert layout["coloraxis"]["colorbar"]["ticklabeloverflow"] == "allow"
    go.Figure(out)  # valid Plotly


def test_text_widths_know_bold_lines_tamil_and_invisible_characters():
    assert text_em("mm")[0] > text_em("ii")[0] > 0
    assert text_em("<b>word</b>")[0] > text_em("word")[0]
    assert text_em("long word<br>x") == (text_em("long word")[0], 2)
    assert text_em("அனுப்பினேன்")[0] > 6  # measured 7.5 em in Chromium
    assert text_em("the\u200b")[0] == text_em("the")[0]  # zero-width spaces keep repeated labels apart, unseen
    level, turned = label_box(["yesterday"], 12, 0), label_box(["yesterday"], 12, -90)
    assert level[0] == pytest.approx(turned[1]) and level[1] == pytest.approx(turned[0])


def test_margins_grow_with_the_labels_on_the_figures_edge_and_never_shrink():
    short = reserve_margins(with_look(_heatmap_spec(["a", "b"])))["layout"]["margin"]
    long = reserve_margins(with_look(_heatmap_spec(["a", "extraordinarily"], tickangle=-90)))["layout"]["margin"]
    assert long["l"] > short["l"] and long["b"] > short["b"] + 50
    assert short["t"] == frame("A title", 400)["margin"]["t"]  # nothing on top: the title's own margin stays
    spec = _heatmap_spec(["a", "b"])
    spec["layout"]["margin"] = dict(l=300, r=10, t=50, b=300)
    assert reserve_margins(with_look(spec))["layout"]["margin"]["l"] == 300


def test_an_inner_panels_labels_do_not_widen_the_margin():
    spec = _heatmap_spec(["a", "b"])
    spec["data"].append({"type": "heatmap", "z": [[1]], "xaxis": "x2", "yaxis": "y2"})
    spec["layout"]["xaxis"]["domain"] = [0, 0.45]
    spec["layout"]["xaxis2"] = dict(domain=[0.55, 1], anchor="y2")
    spec["layout"]["yaxis2"] = dict(anchor="x2", tickvals=[0], ticktext=["an extraordinarily long label"])
    out = reserve_margins(with_look(spec))["layout"]
    with_inner = out["margin"]["l"]
    assert out["yaxis2"]["automargin"] is False and out["yaxis"]["automargin"] is True  # Plotly need not measure it
    spec["layout"].pop("yaxis2")
    assert reserve_margins(with_look(spec))["layout"]["margin"]["l"] == with_inner


def test_weights_that_print_every_value_have_no_colour_bar_and_scores_keep_theirs():
    # playground/figures/base.py: a colour bar is a third of a small heatmap's draw, and printed weights need none
    labels = ["a", "b", "c"]
    weights = attention_heatmap(np.full((3, 3), 1 / 3), labels, labels, title="w").to_dict()["data"][0]
    scores = attention_heatmap(np.eye(3) - 0.5, labels, labels, title="s", kind="scores").to_dict()["data"][0]
    many = [f"w{i}" for i in range(20)]
    large = attention_heatmap(np.full((20, 20), 0.05), many, many, title="l").to_dict()["data"][0]
    assert weights["showscale"] is False and "texttemplate" in weights
    assert scores["showscale"] is True and "texttemplate" in scores
    assert large.get("showscale", True) is True and "texttemplate" not in large  # no values printed: the bar stays


def test_a_log_axis_within_one_decade_gets_more_than_one_label():
    # rho = 1.3 on Bottleneck: every influence within 0.5-3, and Plotly labelled only "1" on its own
    from playground.figures.base import log_axis_ticks

    assert log_axis_ticks([0.5, 1.2, 3.0])["dtick"] == "D2"
    assert log_axis_ticks([1e-3, 1.0])["dtick"] == 1
    assert "dtick" not in log_axis_ticks([1e-12, 1.0])
    assert log_axis_ticks([]) == {} and log_axis_ticks([0.0, -1.0]) == {}
