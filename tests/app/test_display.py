"""Display modes: the sidebar setting, kept in the URL, restyles every chart of every page through the palette."""

from __future__ import annotations

import copy
import json
import re

import numpy as np
import pytest
from plotly.colors import hex_to_rgb, sample_colorscale, unlabel_rgb
from streamlit.testing.v1 import AppTest

from playground import display
from playground.figures import display_modes as modes
from playground.figures.base import attention_heatmap, scale
from playground.figures.palette import (
    BLACK,
    COLORBLIND_COLORS,
    COLORBLIND_SCALES,
    HIGHLIGHT,
    PAPER,
    SCORES_COLORSCALE,
    SHADE_RGB,
    WEIGHTS_COLORSCALE,
)
from playground.navigation import PAGES
from tests.app.conftest import ENTRY, TIMEOUT_S, open_page

CHART_PAGES = [p for p in PAGES if p.url_path in ("home", "bottleneck", "reordering", "speed", "self_attention", "lesson", "learning",
                                                  "multi_head")]


def specs(at) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def colourscales(node) -> list[list]:
    """Every colour scale in a spec (traces and coloraxes), as JSON lists of [stop, colour]."""
    found = []
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "colorscale":
                found.append(v)
            else:
                found.extend(colourscales(v))
    elif isinstance(node, list):
        for v in node:
            found.extend(colourscales(v))
    return found


def strings(node) -> set[str]:
    if isinstance(node, dict):
        return set().union(*(strings(v) for v in node.values())) if node else set()
    if isinstance(node, list):
        return set().union(*(strings(v) for v in node)) if node else set()
    return {node.lower()} if isinstance(node, str) else set()


def as_json(stops) -> list:
    return json.loads(json.dumps(stops))


STANDARD_SCALES = [as_json(scale(WEIGHTS_COLORSCALE)), as_json(scale(SCORES_COLORSCALE))]
SAFE_SCALES = [as_json(scale(name)) for name in COLORBLIND_SCALES.values()]


@pytest.mark.parametrize("info", CHART_PAGES, ids=lambda p: p.url_path)
def test_colour_blind_mode_restyles_every_chart_of_the_page(info):
    query = {"raw": "1"} if info.url_path == "reordering" else {}  # scores too, on the page that shows them
    standard = specs(open_page(info.path, query))
    safe = specs(open_page(info.path, {**query, "display": "colorblind"}))
    assert len(standard) == len(safe) > 0
    changed = 0
    for before, after in zip(standard, safe, strict=True):
        assert all(s in SAFE_SCALES for s in colourscales(after)), "a colour scale outside the colour-blind set"
        assert not strings(after) & {c.lower() for c in COLORBLIND_COLORS}, "a colour of the standard set is left"
        changed += before != after
        assert [s in STANDARD_SCALES for s in colourscales(before)].count(True) == len(colourscales(after))
    assert changed == len(standard), "every chart uses at least one swapped colour or scale"


def test_projector_mode_enlarges_chart_text_and_lines_and_the_page_text():
    standard = open_page("pages/speed.py")
    big = open_page("pages/speed.py", {"display": "projector"})
    for before, after in zip(specs(standard), specs(big), strict=True):
        assert after["layout"]["font"]["size"] == pytest.approx(before["layout"]["font"]["size"] * modes.PROJECTOR_FONT, abs=0.1)
        assert after["layout"]["title"]["font"]["size"] > before["layout"]["title"]["font"]["size"]
        widths = [(b["line"]["width"], a["line"]["width"]) for b, a in zip(before["data"], after["data"])
                  if "width" in b.get("line", {})]
        assert widths and all(a == pytest.approx(b * modes.PROJECTOR_LINE, abs=0.01) for b, a in widths)
    page_css = [el.proto.body for el in first_run({"display": "projector"}).get("html")]
    assert display.PROJECTOR_CSS in page_css
    assert display.PROJECTOR_CSS not in [el.proto.body for el in first_run({}).get("html")]


def first_run(query: dict[str, str], chosen: list[str] | None = None) -> AppTest:
    """The entry script's first run (the sidebar's setting as `chosen`, if given). AppTest runs the entry script only
    on a session's first run (its later runs go straight to the page), so the sidebar is checked there; the e2e tests
    click the real setting."""
    at = AppTest.from_file(ENTRY, default_timeout=TIMEOUT_S)
    for name, value in query.items():
        at.query_params[name] = value
    if chosen is not None:
        at.session_state[display.KEY] = chosen
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_mode_is_read_from_and_written_to_the_url():
    assert first_run({"display": "projector"}).session_state[display.KEY] == ["projector"]
    assert first_run({"display": "nonsense"}).session_state[display.KEY] == []
    assert first_run({}, ["colorblind", "projector"]).query_params["display"] == "colorblind,projector"
    assert "display" not in first_run({"display": "projector"}, []).query_params
    assert modes.parse("Projector, nonsense") == modes.Display(projector=True)
    for mode in (modes.STANDARD, modes.Display(True, False), modes.Display(False, True), modes.Display(True, True)):
        assert modes.parse(modes.to_param(mode)) == mode


def test_a_page_follows_the_mode_its_session_chose():
    at = first_run({}, ["colorblind"])
    at.switch_page("pages/self_attention.py")
    at.run()
    assert at.query_params["display"] == "colorblind"
    assert all(s in SAFE_SCALES for spec in specs(at) for s in colourscales(spec))
    other = open_page("pages/self_attention.py")  # another session at the same time: its own, standard mode
    assert as_json(scale(WEIGHTS_COLORSCALE)) in [s for spec in specs(other) for s in colourscales(spec)]


def test_styling_copies_and_never_touches_the_builders_spec():
    fig = attention_heatmap(np.full((2, 2), 0.5), ["a", "b"], ["a", "b"], title="t", highlight_row=0)
    spec = fig.to_dict()
    before = copy.deepcopy(spec)
    out = modes.styled(spec, modes.Display(colorblind=True, projector=True))
    assert out["data"][0]["colorscale"] == scale("Viridis")
    assert out["layout"]["shapes"][0]["line"] == dict(color=COLORBLIND_COLORS[HIGHLIGHT], width=2 * modes.PROJECTOR_LINE)
    assert json.dumps(spec, default=str) == json.dumps(before, default=str)
    assert modes.styled(spec, modes.STANDARD) is spec  # the standard view costs nothing


def test_projector_mode_breaks_a_long_title_into_shorter_lines():
    # At 1.35x the letters, a 52-character title line ran past the chart's edge ("Naive alignment: left to right, one
    # word af"): the projector wraps it shorter and makes room above the plot.
    title = "Naive alignment: left to right, one word after another"
    spec = {"data": [], "layout": {"title": {"text": title}, "margin": {"t": 50}}}
    out = modes.styled(spec, modes.Display(colorblind=False, projector=True))
    lines = out["layout"]["title"]["text"].split("<br>")
    assert len(lines) == 2 and " ".join(lines) == title
    assert all(len(line) <= int(52 / modes.PROJECTOR_FONT) for line in lines)
    assert out["layout"]["margin"]["t"] > 50 and spec["layout"]["title"]["text"] == title  # the input untouched
    markup = {"data": [], "layout": {"title": {"text": "<b>" + title + "</b>"}}}
    assert modes.styled(markup, modes.Display(colorblind=False, projector=True))["layout"]["title"]["text"] == \
        "<b>" + title + "</b>"


# ---- the Self-attention page's shaded sentence: raw HTML, outside the charts' restyling ---------------------------


BOX = re.compile(r'background:([^;]+);color:([^;]+);(?:outline:2px solid ([^;]+);)?[^>]*>'
                 r'<span style="font-size:1.05rem">[^<]*</span><br><span[^>]*>(\d+)%</span>')


def sentence_boxes(at) -> list[tuple[str, str, str | None, int]]:
    """(background, text colour, ring colour or None, printed percentage) of each word box of the shaded sentence."""
    (strip,) = [el.proto.body for el in at.get("html") if "display:inline-block" in el.proto.body]
    return [(bg, ink, ring or None, int(pct)) for bg, ink, ring, pct in BOX.findall(strip)]


def contrast(a: str, b: str) -> float:
    def luminance(colour: str) -> float:
        rgb = unlabel_rgb(colour) if colour.startswith("rgb") else hex_to_rgb(colour)
        c = [v / 255 / 12.92 if v / 255 <= 0.04045 else ((v / 255 + 0.055) / 1.055) ** 2.4 for v in rgb]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_the_shaded_sentence_follows_the_colour_blind_mode():
    standard = sentence_boxes(open_page("pages/self_attention.py"))
    safe = sentence_boxes(open_page("pages/self_attention.py", {"display": "colorblind"}))
    assert len(standard) == len(safe) > 3 and [b[3] for b in standard] == [b[3] for b in safe]
    # standard: the weights blue, its opacity the weight; the selected word ringed in HIGHLIGHT
    assert all(bg.startswith("rgba({},{},{},".format(*SHADE_RGB)) for bg, _, _, _ in standard)
    assert [ring for _, _, ring, _ in standard if ring] == [HIGHLIGHT]
    # colour-blind: each box the colour-blind weights scale (Viridis) at its weight, as the heatmap's cells are; the
    # ring the colour-blind HIGHLIGHT; the word readable (WCAG AA, 4.5:1) on dark boxes as on light ones
    viridis = [list(stop) for stop in scale(COLORBLIND_SCALES[WEIGHTS_COLORSCALE])]
    grid = np.linspace(0, 1, 1001)
    samples = np.array([unlabel_rgb(c) for c in sample_colorscale(viridis, grid.tolist())])  # [1001, 3]
    for bg, ink, _, pct in safe:
        assert bg.startswith("rgb("), bg
        nearest = grid[np.argmin(np.abs(samples - np.array(unlabel_rgb(bg))).sum(axis=1))]
        assert abs(nearest - pct / 100) <= 0.006, (bg, pct)
        assert ink in (BLACK, PAPER) and contrast(bg, ink) >= 4.5, (bg, ink)
    assert [ring for _, _, ring, _ in safe if ring] == [COLORBLIND_COLORS[HIGHLIGHT]]
