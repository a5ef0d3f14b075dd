"""Export: every chart's camera button saves a descriptively named PNG or SVG at slide size, and every attention
matrix's CSV holds the numbers and labels the chart shows."""

from __future__ import annotations

import base64
import html
import io
import json

import numpy as np
import pandas as pd
import pytest

from lessons.embeddings import prepare
from playground import export
from playground.figures import render
from playground.figures.base import attention_heatmap
from playground.figures.display_modes import PROJECTOR_FONT, STANDARD, Display, styled
from playground.figures.look import with_look
from playground.figures.margins import reserve_margins
from playground.figures.ranges import pin_ranges
from playground.navigation import PAGES
from tests.app.conftest import downloaded, open_page
from tests.app.grid_support import grid_panels

SELF = "pages/self_attention.py"


def specs_and_configs(at) -> list[tuple[str, dict, dict]]:
    return [(el.proto.id, json.loads(el.proto.spec), json.loads(el.proto.config)) for el in at.get("plotly_chart")]


def array_of(value) -> np.ndarray:
    # Plotly typed arrays ({"dtype", "bdata", "shape"}) back to NumPy; plain lists as they are
    if isinstance(value, dict) and "bdata" in value:
        flat = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"])).astype(float)
        return flat.reshape([int(n) for n in str(value.get("shape", len(flat))).split(",")])
    return np.array([[np.nan if v is None else v for v in row] for row in value], dtype=float)


def chart_spec(at, key: str) -> dict:
    (el,) = [e for e in at.get("plotly_chart") if e.proto.id.endswith(f"-{key}")]
    return json.loads(el.proto.spec)


def read_csv(text: str, blocks: bool = False) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text), index_col=[0, 1] if blocks else 0, keep_default_na=False)


def strip_positions(names) -> list[str]:
    return [str(n).split(":", 1)[1] for n in names]


# ---- the camera button ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("info", PAGES, ids=lambda p: p.url_path)
def test_every_chart_downloads_at_slide_size_under_a_name_saying_what_it_shows(info):
    at = open_page(info.path)
    charts = specs_and_configs(at)
    if info.url_path in ("home", "bottleneck", "reordering", "speed", "self_attention", "multi_head"):
        assert charts, f"{info.url_path} shows no chart"
    stems = []
    for element_id, spec, config in charts:
        options = config["toImageButtonOptions"]
        assert options["format"] == "png" and options["width"] == render.IMAGE_WIDTH
        assert options["height"] >= max(render.IMAGE_MIN_HEIGHT, spec["layout"].get("height", 0))
        assert options["scale"] == render.IMAGE_SCALE and config["displaylogo"] is False
        stem = options["filename"]
        assert stem.split("_")[0] == info.url_path.replace("_", "-"), (element_id, stem)
        assert len(stem.split("_")) >= 2 and all(render.file_safe(c) or c == "_" for c in stem), stem
        stems.append(stem)
    assert len(set(stems)) == len(stems), stems  # no two charts of a page save over each other


def test_the_sidebar_switches_every_chart_to_svg():
    at = open_page("pages/multi_head.py")
    at.session_state[export.FORMAT_KEY] = "svg"
    at.run()
    options = [c["toImageButtonOptions"] for _, _, c in specs_and_configs(at)]
    assert {o["format"] for o in options} == {"svg"} and {o["scale"] for o in options} == {1}


def test_the_self_attention_file_names_follow_word_and_temperature():
    at = open_page(SELF, {"text": "The animal didn't cross the street because it was too tired", "word": "it",
                          "temp": "1", "bars": "1"})
    names = {el.proto.id.rsplit("-", 1)[-1]: json.loads(el.proto.config)["toImageButtonOptions"]["filename"]
             for el in at.get("plotly_chart")}
    assert names["sa_bar"] == "self-attention_it_temperature-1.0"
    assert names["sa_heatmap"] == "self-attention_all-words_temperature-1.0"


def test_file_stems_keep_only_safe_characters():
    assert render.file_stem(["self-attention", "it", "temperature-1.0"]) == "self-attention_it_temperature-1.0"
    assert render.file_stem(["a/b\\c", "<x y>", "..", "தமிழ்"]) == "abc_x-y_தமிழ்"
    assert render.file_stem([]) == "chart"
    assert len(render.file_stem(["x" * 500] * 9)) <= 120



def test_render_takes_the_steps_in_order_and_leaves_the_builders_spec_alone():
    """render: display mode, then Streamlit's look, then margins (measured in the look's fonts), then ranges pinned
    and the meta kept on the server, then the config."""
    fig = attention_heatmap(np.full((2, 2), 0.5), ["a", "b"], ["a", "b"], title="t")
    fig.to_dict()["layout"]["meta"] = {"min_width": 400}
    before = json.dumps(fig.to_dict(), default=str)
    for mode in (STANDARD, Display(colorblind=True, projector=True)):
        out = render.render(fig, mode, ["self-attention", "it"], "svg")
        want, min_width = render.server_only(pin_ranges(reserve_margins(with_look(styled(fig.to_dict(), mode)))))
        assert out.figure.to_dict() == want and "meta" not in want["layout"]
        assert out.config == render.chart_config(["self-attention", "it"], out.figure.to_dict()["layout"]["height"], "svg")
        assert out.min_width == min_width == (400 if mode == STANDARD else round(400 * PROJECTOR_FONT))
    assert json.dumps(fig.to_dict(), default=str) == before
    assert render.render(attention_heatmap(np.eye(2), ["a", "b"], ["a", "b"], title="t"), STANDARD, [], "png").min_width is None

# ---- CSV: the numbers and labels the chart shows -------------------------------------------------------------------


def check_csv_matches_heatmap(at, found: dict, chart_key: str, csv_key: str) -> pd.DataFrame:
    spec = chart_spec(at, chart_key)
    frame = read_csv(downloaded(at, found, csv_key))
    z = array_of(spec["data"][0]["z"])
    assert frame.shape == z.shape
    shown = np.isfinite(z)
    assert np.allclose(frame.to_numpy(dtype=float)[shown], z[shown], atol=5e-7)
    rows = [html.unescape(str(t)) for t in spec["layout"]["yaxis"]["ticktext"]]
    assert strip_positions(frame.index) == rows
    return frame


def test_self_attention_csvs_hold_the_matrices_shown(deferred_downloads):
    at = open_page(SELF, {"text": "the cat sat on the mat", "word": "cat"})
    frame = check_csv_matches_heatmap(at, deferred_downloads, "sa_heatmap", "sa_download")
    assert strip_positions(frame.columns) == prepare("the cat sat on the mat").tokens


@pytest.mark.parametrize("step", ["Q·Kᵀ", "scaled", "masked", "weights"])
def test_the_step_inspector_offers_its_query_key_matrices(deferred_downloads, step):
    at = open_page(SELF, {"text": "the cat sat on the mat", "causal": "1", "tab": "Step by step"})
    at.session_state["sa_step"] = step
    at.run()
    check_csv_matches_heatmap(at, deferred_downloads, f"sa_step_{step}", f"sa_step_{step}_csv")


def test_bottleneck_csv_holds_the_matrix_shown(deferred_downloads):
    at = open_page("pages/bottleneck.py", {"weights": "1"})
    frame = check_csv_matches_heatmap(at, deferred_downloads, "bn_try_heatmap", "bn_try_csv")
    assert all(" (" in c for c in frame.columns)  # Tamil word (gloss)


@pytest.mark.parametrize("raw", ["0", "1"])
def test_reordering_csvs_hold_the_matrices_shown(deferred_downloads, raw):
    at = open_page("pages/reordering.py", {"raw": raw, "scorings": "1"})
    learned = check_csv_matches_heatmap(at, deferred_downloads, "ro_learned", "ro_learned_csv")
    naive = read_csv(downloaded(at, deferred_downloads, "ro_naive_csv"))  # the dotted boxes' reading, as numbers
    boxes = [(sh["y0"] + 0.5, sh["x0"] + 0.5) for sh in chart_spec(at, "ro_learned")["layout"]["shapes"]
             if sh["line"].get("dash") == "dot"]
    assert naive.shape == learned.shape and naive.to_numpy().sum() == len(boxes)
    assert all(naive.to_numpy()[int(r), int(c)] == 1 for r, c in boxes)
    for name in ("additive", "dot", "scaled dot"):  # the scoring drawn, one at a time
        at.segmented_control(key="ro_scoring").set_value(name).run()
        check_csv_matches_heatmap(at, deferred_downloads, "ro_scoring_chart", "ro_scoring_csv")


def test_multi_head_csv_holds_every_head(deferred_downloads):
    at = open_page("pages/multi_head.py")
    spec = chart_spec(at, "mh_grid")
    grids = list(grid_panels(spec))
    frame = read_csv(downloaded(at, deferred_downloads, "mh_grid_csv"), blocks=True)
    heads = list(dict.fromkeys(frame.index.get_level_values(0)))
    assert len(heads) == len(grids) == 8
    tokens = prepare(at.query_params["sentence"]).tokens
    for head, z in zip(heads, grids, strict=True):
        block = frame.loc[head]
        assert strip_positions(block.index) == tokens and strip_positions(block.columns) == tokens
        assert np.allclose(block.to_numpy(dtype=float), z, atol=1e-6)


def test_csv_of_a_stack_names_each_block():
    w = np.arange(12, dtype=float).reshape(2, 2, 3) / 12
    text = export.matrix_csv(w, ["a", "b"], ["x", "y", "z"], blocks=["head 1", "head 2"])
    frame = pd.read_csv(io.StringIO(text), index_col=[0, 1])
    assert frame.index.names == ["head", None] and list(frame.columns) == ["1:x", "2:y", "3:z"]
    assert np.allclose(frame.to_numpy(), w.reshape(4, 3), atol=1e-6)
    masked = export.matrix_csv(np.array([[0.0, -np.inf]]), ["a"], ["x", "y"])
    assert masked.splitlines()[1] == "1:a,0.000000,-inf"


def test_learning_csv_holds_every_layer_and_head(deferred_downloads):
    from models import coreference as model
    from playground.learning_ui import view

    sentence = model.BLOG_PAIR[0]
    at = open_page("pages/learning.py", {"source": "type", "sentence": sentence})
    frame = read_csv(downloaded(at, deferred_downloads, "ln_grid_csv"), blocks=True)
    weights = view(tuple(model.tokenize(sentence))).weights  # [L, H, n, n]
    tokens = list(model.tokenize(sentence))
    blocks = list(dict.fromkeys(frame.index.get_level_values(0)))
    assert len(blocks) == weights.shape[0] * weights.shape[1]
    for block, w in zip(blocks, weights.reshape(len(blocks), *weights.shape[2:]), strict=True):
        assert strip_positions(frame.loc[block].index) == tokens
        assert np.allclose(frame.loc[block].to_numpy(dtype=float), w, atol=1e-6)
