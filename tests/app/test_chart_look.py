"""Every chart carries Streamlit's look itself and margins wide enough for its labels (playground/figures/look.py and
margins.py), so the browser draws it once: the spec keeps its own values, gains the theme's where it has none, has no
template and a fixed datarevision, and reserves room for long labels only on the figure's edge. And what the pages
send after every step (playground/figures/render.py) is valid Plotly."""

from __future__ import annotations

import copy
import json
import re

import numpy as np
import plotly.graph_objects as go
import pytest

from playground.figures.base import attention_heatmap, frame
from playground.figures.look import LOOK, with_look
from playground.figures.margins import label_box, reserve_margins, text_em
from playground.figures.ranges import pin_ranges
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


# ---- ranges written in: the browser draws each chart once (figures/ranges.py, render.server_only) -----------------


def _axes(spec: dict) -> dict:
    return {k: v for k, v in spec["layout"].items() if re.fullmatch(r"[xy]axis\d*", k)}


def test_heatmap_axes_get_the_range_plotly_would_give_them():
    """Cells half a unit past the first and last position; a reversed axis runs high to low; the input is kept."""
    spec = {"data": [{"type": "heatmap", "z": [[0.1, 0.2, 0.3, 0.4]] * 3, "y": [0, 1, 2]}],
            "layout": {"xaxis": {"title": "key"}, "yaxis": {"autorange": "reversed", "tickvals": [0, 1, 2]}}}
    before = copy.deepcopy(spec)
    out = pin_ranges(spec)
    assert spec == before
    assert out["layout"]["xaxis"] == {"title": "key", "range": [-0.5, 3.5]}
    assert out["layout"]["yaxis"] == {"tickvals": [0, 1, 2], "range": [2.5, -0.5]}


def test_words_typed_arrays_and_bars_are_pinned_and_anything_else_is_left_to_plotly():
    words = {"type": "heatmap", "z": {"dtype": "f4", "bdata": "", "shape": "2, 3"}, "x": ["a", "b", "c"],
             "y": ["it", "was"], "xaxis": "x2", "yaxis": "y2"}
    bars = {"type": "bar", "orientation": "h", "x": [0.2, 0.8], "y": ["head 1", "head 2"], "xaxis": "x3", "yaxis": "y3"}
    numbers_as_words = {"type": "heatmap", "z": [[1, 2]], "x": ["1", "2"], "xaxis": "x4", "yaxis": "y4"}
    line = {"type": "scatter", "x": [0, 1, 2], "y": [3, 1, 2], "xaxis": "x5", "yaxis": "y5"}
    gaps = {"type": "heatmap", "z": [[1, 2]], "x": [0, 2], "xaxis": "x6", "yaxis": "y6"}
    layout = {f"{a}axis{i}": {"autorange": "reversed"} if a == "y" else {} for i in range(2, 7) for a in "xy"}
    layout["xaxis6"] = {"range": [-1, 3]}  # stated by the builder: kept
    out = pin_ranges({"data": [words, bars, numbers_as_words, line, gaps], "layout": layout})["layout"]
    assert out["xaxis2"]["range"] == [-0.5, 2.5] and out["yaxis2"]["range"] == [1.5, -0.5]
    assert out["yaxis3"]["range"] == [1.5, -0.5] and "range" not in out["xaxis3"]  # a bar's value side: Plotly's
    assert "range" not in out["xaxis4"]  # "1", "2" may make Plotly type the axis as numbers
    assert "range" not in out["xaxis5"] and out["yaxis5"] == {"autorange": "reversed"}
    assert out["xaxis6"] == {"range": [-1, 3]} and out["yaxis6"]["range"] == [0.5, -0.5]


@pytest.mark.parametrize("info", PAGES, ids=lambda p: p.url_path)
def test_every_chart_a_page_sends_has_its_heatmap_ranges_written_in_and_no_meta(info):
    """What makes Plotly draw a chart a second time when Streamlit hands it over again: a reversed auto-range on an
    axis the page could state, or a layout.meta. Neither reaches the browser from any page."""
    at = open_page(info.path, {"word_chart": "1", "path": "1", "cost": "1"})
    for el in at.get("plotly_chart"):
        spec = json.loads(el.proto.spec)
        assert "meta" not in spec["layout"]
        heatmap_axes = {f"{a}axis{(t.get(f'{a}axis') or a)[1:]}" for t in spec["data"] if t["type"] == "heatmap" for a in "xy"}
        for key, axis in _axes(spec).items():
            if key in heatmap_axes:
                assert "range" in axis and "autorange" not in axis, (key, axis)
