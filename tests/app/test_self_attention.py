"""The Self-attention page under AppTest: every control, and every displayed number against attention_core."""

from __future__ import annotations

import base64
import io
import json
import re

import numpy as np
import pandas as pd
import pytest

from attention_core import scaled_dot_product_attention, sinusoidal_positional_encoding
from lessons.embeddings import D_MODEL, FEATURE_NAMES, MAX_TOKENS, PRESETS, SENSE_CONTEXTS, embed, prepare
from lessons.walkthrough import build_mask, projections, scaling_demo, word_in_contexts
from playground import self_attention_ui as sa_ui
from playground.figures.look import LOOK
from playground.formatting import pct
from playground.self_attention_ui import SETTING_DEFAULTS, SETTINGS_BOX
from playground.texts import self_attention as sa_text
from tests.app.conftest import all_text, downloaded, open_page

PAGE = "pages/self_attention.py"
REPORT = PRESETS["Report and client (nested clauses)"]
CAT = PRESETS["Cat on the mat: what is 'it'?"]
ANIMAL = PRESETS["Animal and street: what is 'it'?"]


# ---- what the page should show, computed straight from attention_core -------------------------------------------
def expected(text=REPORT, *, scale=True, temp=1.0, causal=False, pad=0, proj="identity", seed=0, pos=False,
             x=None):
    """Weights [m, m] and tokens, via the public scaled_dot_product_attention on the same inputs as the page."""
    tokens = prepare(text).tokens
    n = len(tokens)
    x = embed(tokens) if x is None else x
    if pos:
        x = x + sinusoidal_positional_encoding(n, D_MODEL)
    x = np.vstack([x, np.zeros((pad, D_MODEL))])  # [m, d]
    w_q, w_k, w_v = projections(D_MODEL, proj, seed=seed)
    mask = build_mask(np.arange(n + pad) < n, causal=causal)
    res = scaled_dot_product_attention(x @ w_q, x @ w_k, x @ w_v, mask=mask, scale=None if scale else 1.0,
                                       temperature=temp)
    return tokens, res


def caption(at) -> str:
    hits = [str(m.value) for m in at.markdown if "of its attention on" in str(m.value)]
    assert len(hits) == 1, hits
    return hits[0]


def charts(at) -> list[dict]:
    return [json.loads(e.proto.spec) for e in at.get("plotly_chart")]


def chart(at, title_start: str) -> dict:
    found = [c for c in charts(at) if c["layout"]["title"]["text"].startswith(title_start)]
    assert len(found) == 1, [c["layout"]["title"]["text"] for c in charts(at)]
    return found[0]


def array(value) -> np.ndarray:
    """A Plotly JSON array: a (nested) list with None for gaps, or a typed array {"dtype", "bdata", "shape"}."""
    if isinstance(value, dict) and "bdata" in value:
        flat = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
        shape = value.get("shape")
        return flat.reshape([int(s) for s in str(shape).split(",")] if shape else -1).astype(float)
    if value and isinstance(value[0], (list, dict)):
        return np.array([array(row) for row in value], dtype=float)
    return np.array([np.nan if v is None else v for v in value], dtype=float)


def heatmap_z(at) -> np.ndarray:
    return array(chart(at, "Attention weights")["data"][0]["z"])


def check_caption(at, tokens, weights, q: int) -> None:
    """The caption names the chosen word's top key with exactly the computed percentage."""
    row = weights[q]
    top = int(np.argsort(-row, kind="stable")[0])
    name = "itself" if top == q else f"`{tokens[top]}`" if top < len(tokens) else "`[pad]`"
    assert caption(at).startswith(f"`{tokens[q]}` puts **{pct(row[top])}** of its attention on {name}")


def open_with(**query) -> object:
    return open_page(PAGE, query={k: str(v) for k, v in query.items()})


def open_settings(at):
    """Open the folded settings (a click on their expander): their controls are built only while it is open."""
    at.session_state[SETTINGS_BOX] = True
    return at.run()


# ---- the main view ------------------------------------------------------------------------------------------------
def test_default_view_shows_ready_the_word_the_intro_talks_about():
    at = open_page(PAGE)
    tokens, res = expected()
    q = tokens.index("ready")
    assert at.selectbox(key="sa_query").value == q
    check_caption(at, tokens, res.weights, q)
    assert "the word **ready** describes the report" in all_text(at)
    assert np.allclose(heatmap_z(at), res.weights, atol=1e-12)
    assert [h.value for h in at.title] == ["Self-attention: every word looks at every word"]


@pytest.mark.parametrize(("text", "word", "target"), [(CAT, "it", "cat"), (ANIMAL, "it", "animal"),
                                                      (REPORT, "ready", "report"), (REPORT, "requested", "client")])
def test_caption_percentage_equals_attention_core(text, word, target):
    at = open_with(text=text, word=word)
    tokens, res = expected(text)
    q = tokens.index(word)
    assert at.selectbox(key="sa_query").value == q
    check_caption(at, tokens, res.weights, q)
    assert f"**{pct(res.weights[q, tokens.index(target)])}** of its attention on `{target}`" in caption(at)


def test_preset_pills_load_the_sentence_and_suggest_a_word():
    at = open_page(PAGE)
    at.button_group(key="sa_preset").set_value("Cat on the mat: what is 'it'?").run()
    assert at.text_area(key="sa_text").value == CAT
    tokens, res = expected(CAT)
    assert at.selectbox(key="sa_query").value == tokens.index("it")
    check_caption(at, tokens, res.weights, tokens.index("it"))
    assert at.query_params["text"] == [CAT] or at.query_params["text"] == CAT


def test_typing_a_sentence_redraws_everything():
    at = open_page(PAGE)
    at.text_area(key="sa_text").set_value("The dog sat because it was tired").run()
    tokens, res = expected("The dog sat because it was tired")
    assert heatmap_z(at).shape == (7, 7)
    assert np.allclose(heatmap_z(at), res.weights)
    check_caption(at, tokens, res.weights, tokens.index("it"))
    assert "7 tokens:" in all_text(at)


def test_choosing_the_query_word_updates_bar_caption_and_shading():
    at = open_with(text=CAT, bars=1)
    tokens, res = expected(CAT)
    q = tokens.index("mat")
    at.selectbox(key="sa_query").set_value(q).run()
    check_caption(at, tokens, res.weights, q)
    bar = chart(at, "Where mat looks")["data"][0]
    assert np.allclose(array(bar["x"]), res.weights[q])
    body = at.get("html")[0].proto.body
    shown = [int(p) for p in re.findall(r">(\d+)%</span>", body)]
    assert shown == [round(100 * w) for w in res.weights[q]]
    assert at.query_params["word"] in ("mat", ["mat"])


def test_clicking_a_heatmap_row_picks_that_query():
    at = open_with(text=CAT)
    tokens, res = expected(CAT)
    at.session_state["sa_heatmap"] = {"selection": {"points": [{"x": 4, "y": 1}], "point_indices": [1], "box": [],
                                                    "lasso": []}}
    at.run()
    assert at.selectbox(key="sa_query").value == 1
    check_caption(at, tokens, res.weights, 1)


def test_duplicate_words_are_told_apart_in_the_url():
    at = open_with(text="the cat saw the dog", word="the~2")
    assert at.selectbox(key="sa_query").value == 3  # the second "the"
    assert at.query_params["word"] in ("the~2", ["the~2"])
    at.selectbox(key="sa_query").set_value(0).run()
    assert at.query_params["word"] in ("the", ["the"])
    at = open_with(text=CAT, word="The")  # exact case first: "The" is token 0, "the" token 4
    assert at.selectbox(key="sa_query").value == 0


# ---- every control -----------------------------------------------------------------------------------------------
def test_scaling_off_uses_unscaled_scores():
    at = open_settings(open_with(text=CAT, word="it"))
    at.toggle(key="sa_scale").set_value(False).run()
    tokens, res = expected(CAT, scale=False)
    assert np.allclose(heatmap_z(at), res.weights)
    check_caption(at, tokens, res.weights, tokens.index("it"))
    assert "softmax(Q·Kᵀ (not scaled))" in chart(at, "Attention weights")["layout"]["title"]["text"]


@pytest.mark.parametrize("temp", [0.3, 2.5])
def test_temperature(temp):
    at = open_settings(open_with(text=CAT, word="it"))
    at.slider(key="sa_temp").set_value(temp).run()
    tokens, res = expected(CAT, temp=temp)
    assert np.allclose(heatmap_z(at), res.weights)
    check_caption(at, tokens, res.weights, tokens.index("it"))


def test_causal_mask_hides_exactly_the_future():
    at = open_settings(open_with(text=CAT, word="it"))
    at.toggle(key="sa_causal").set_value(True).run()
    tokens, res = expected(CAT, causal=True)
    z = heatmap_z(at)
    n = len(tokens)
    future = np.triu(np.ones((n, n), dtype=bool), k=1)
    assert np.all(z[future] == 0) and np.all(z[~future] > 0)
    assert np.allclose(z, res.weights)
    q = tokens.index("it")
    check_caption(at, tokens, res.weights, q)
    assert f"hides the {n - 1 - q} words after it: exactly 0% each" in caption(at)


def test_padding_tokens_get_zero_weight():
    at = open_settings(open_with(text=CAT, word="it"))
    at.slider(key="sa_pad").set_value(3).run()
    tokens, res = expected(CAT, pad=3)
    z = heatmap_z(at)
    assert z.shape == (13, 13) and np.all(z[:, 10:] == 0)
    assert np.allclose(z, res.weights)
    ticks = chart(at, "Attention weights")["layout"]["xaxis"]["ticktext"]
    assert ticks[-3:] == ["[pad]"] * 3
    assert "The 3 padding tokens get exactly 0%." in caption(at)
    check_caption(at, tokens, res.weights, tokens.index("it"))


def test_random_projections_and_seed():
    at = open_settings(open_with(text=CAT, word="it"))
    at.radio(key="sa_proj").set_value("random").run()
    assert not at.number_input(key="sa_seed").disabled
    tokens, res = expected(CAT, proj="random", seed=0)
    assert np.allclose(heatmap_z(at), res.weights)
    at.number_input(key="sa_seed").set_value(42).run()
    tokens, res42 = expected(CAT, proj="random", seed=42)
    assert np.allclose(heatmap_z(at), res42.weights)
    assert not np.allclose(res.weights, res42.weights)
    check_caption(at, tokens, res42.weights, tokens.index("it"))
    assert at.query_params["proj"] in ("random", ["random"]) and at.query_params["seed"] in ("42", ["42"])


def test_positions_toggle():
    at = open_settings(open_with(text=CAT, word="it"))
    at.toggle(key="sa_pos").set_value(True).run()
    tokens, res = expected(CAT, pos=True)
    assert np.allclose(heatmap_z(at), res.weights)
    check_caption(at, tokens, res.weights, tokens.index("it"))



def test_positions_show_their_norm_against_the_word_vectors():
    """A position vector has norm sqrt(d/2) (2.83 at d = 16), larger than "the" (1.50): shown, computed."""
    at = open_with(text=CAT, word="it", pos="true")
    tokens = prepare(CAT).tokens
    word_norms = np.linalg.norm(embed(tokens), axis=1)  # [n]
    position_norm = np.linalg.norm(sinusoidal_positional_encoding(len(tokens), D_MODEL), axis=1)  # [n]
    np.testing.assert_allclose(position_norm, np.sqrt(D_MODEL / 2))
    shown = all_text(at)
    assert rf"$\sqrt{{d/2}} = \sqrt{{{D_MODEL}/2}}$ = **{position_norm[0]:.2f}**" in shown  # 2.83
    assert f"from {word_norms.min():.2f} (`The`)" in shown  # 1.50
    assert f"to {word_norms.max():.2f} (`cat`)" in shown  # 4.74
    assert f"{int(np.sum(word_norms < position_norm[0]))} of {len(tokens)} are shorter" in shown
    assert r"norm $\sqrt{d_\text{model}/2}$, 16 at their $d_\text{model} = 512$" in shown.replace("\n", " ")
    at.toggle(key="sa_pos").set_value(False).run()
    assert r"\sqrt{d/2}" not in all_text(at)

def test_what_to_notice_is_computed():
    at = open_with(text=CAT, word="it")
    tokens, res = expected(CAT)
    w = res.weights.copy()
    np.fill_diagonal(w, -1)
    a, b = np.unravel_index(np.argmax(w), w.shape)
    text = all_text(at)
    assert f"`{tokens[a]}` → `{tokens[b]}` at **{pct(res.weights[a, b])}**" in text
    assert f"largest weight is **{pct(res.weights.max(axis=1).mean())}**" in text
    q, c = tokens.index("it"), tokens.index("cat")
    assert f"`it`·`cat` = {res.scores[q, c]:.2f}" in text


# ---- shareable state -----------------------------------------------------------------------------------------------
def test_url_restores_the_whole_view():
    query = dict(text=ANIMAL, word="it", scale="0", temp="0.5", causal="1", pad="2", proj="random", seed="7", pos="1",
                 tab="The Apple problem")
    at = open_with(**query)
    assert at.text_area(key="sa_text").value == ANIMAL
    assert at.toggle(key="sa_scale").value is False and at.toggle(key="sa_causal").value is True
    assert at.slider(key="sa_temp").value == 0.5 and at.slider(key="sa_pad").value == 2
    assert at.radio(key="sa_proj").value == "random" and at.number_input(key="sa_seed").value == 7
    assert at.toggle(key="sa_pos").value is True
    tokens, res = expected(ANIMAL, scale=False, temp=0.5, causal=True, pad=2, proj="random", seed=7, pos=True)
    assert at.selectbox(key="sa_query").value == tokens.index("it")
    assert np.allclose(heatmap_z(at), res.weights)
    check_caption(at, tokens, res.weights, tokens.index("it"))
    assert chart(at, "Apple: one static vector")  # the tab from the URL is the one open
    for name, value in query.items():
        assert at.query_params[name] in (value, [value]), name


def test_controls_are_mirrored_into_the_url():
    at = open_settings(open_page(PAGE))
    at.toggle(key="sa_causal").set_value(True)
    at.slider(key="sa_temp").set_value(1.7)
    at.slider(key="sa_pad").set_value(1)
    at.run()
    got = {k: at.query_params[k] for k in ("causal", "temp", "pad", "text", "word")}
    flat = {k: v[0] if isinstance(v, list) else v for k, v in got.items()}
    assert flat == {"causal": "1", "temp": "1.7", "pad": "1", "text": REPORT, "word": "ready"}


@pytest.mark.parametrize("query", [
    dict(temp="abc", pad="99", proj="learned", seed="-4", scale="maybe", causal="2", pos="yes please",
         word="zebra", tab="nope"),
    dict(temp="nan", pad="1.5", word="the~9", seed="1e9"),
    dict(temp="inf", word="~", pad="-1"),
])
def test_bad_query_params_fall_back_to_defaults(query):
    at = open_with(**query)
    assert not at.exception
    assert not at.session_state[SETTINGS_BOX]  # every setting at its default: folded
    at = open_settings(at)
    assert at.slider(key="sa_temp").value == 1.0 and at.slider(key="sa_pad").value == 0
    assert at.radio(key="sa_proj").value == "identity" and at.number_input(key="sa_seed").value == 0
    assert at.toggle(key="sa_scale").value is True and at.toggle(key="sa_causal").value is False
    tokens, res = expected()
    assert at.selectbox(key="sa_query").value == tokens.index("ready")
    check_caption(at, tokens, res.weights, tokens.index("ready"))


# ---- bad input -----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["", "   \n\t  "])
def test_empty_text_prompts_and_draws_nothing(text):
    at = open_page(PAGE)
    at.text_area(key="sa_text").set_value(text).run()
    assert not at.exception
    assert any("Type a sentence" in str(i.value) for i in at.info)
    assert charts(at) == []


def test_a_long_paste_is_shared_as_its_tokens():
    text = ("The cat sat on the mat because it was tired, " * 200)[:10_000]
    at = open_page(PAGE)
    at.text_area(key="sa_text").set_value(text).run()
    shared = at.query_params["text"]
    shared = shared[0] if isinstance(shared, list) else shared
    assert len(shared) <= 600 and shared.split() == prepare(text).tokens[: len(shared.split())]
    again = open_with(text=shared)
    tokens, res = expected(text)
    assert np.allclose(heatmap_z(again), res.weights)  # the link reopens the same 40 tokens


def test_more_than_40_tokens_uses_the_first_40_and_warns():
    text = " ".join(f"word{i}" for i in range(55))
    at = open_page(PAGE)
    at.text_area(key="sa_text").set_value(text).run()
    assert any(f"has 55 tokens; this page uses the first {MAX_TOKENS}" in str(w.value) for w in at.warning)
    tokens, res = expected(text)
    assert len(tokens) == MAX_TOKENS
    assert heatmap_z(at).shape == (MAX_TOKENS, MAX_TOKENS) and np.allclose(heatmap_z(at), res.weights)


def test_long_sentences_get_upright_key_labels():
    at = open_with(text=" ".join(["The cat sat on the mat because it was tired and"] * 2))  # 22 tokens
    layout = chart(at, "Attention weights")["layout"]
    assert layout["xaxis"]["tickangle"] == -90 and layout["xaxis"]["tickfont"]["size"] == 10
    layout = chart(open_with(text=CAT), "Attention weights")["layout"]  # 10 tokens: slanted, default size
    # the theme's default size (the look is written into the spec: playground/figures/look.py)
    assert layout["xaxis"]["tickangle"] == -40
    assert layout["xaxis"]["tickfont"]["size"] == LOOK["xaxis"]["tickfont"]["size"]


@pytest.mark.parametrize("text", [
    "?!... ,;:",
    "🙂🙃 👍🏽 👩‍💻",
    "தமிழ் ஒரு அழகான மொழி",
    "<script>alert(1)</script>",
    "$x$ **bold** `code` [link](http://x) <b>b</b> :red[red]",
    ("The cat sat on the mat. தமிழ் 👍🏽 <i>x</i> " * 400)[:10_000],
])
def test_odd_input_is_shown_as_plain_text(text):
    at = open_page(PAGE)
    at.text_area(key="sa_text").set_value(text).run()
    assert not at.exception
    tokens, res = expected(text)
    assert np.allclose(heatmap_z(at), res.weights)
    assert np.isfinite(heatmap_z(at)).all()
    body = at.get("html")[0].proto.body
    assert "<script" not in body and "<b>" not in body and "<i>" not in body  # escaped, never markup
    labels = chart(at, "Attention weights")["layout"]["yaxis"]["ticktext"]
    assert all("<" not in lab for lab in labels)  # Plotly labels escaped too


# ---- the deep-dive tabs ----------------------------------------------------------------------------------------------
def test_deep_dives_are_closed_until_one_is_picked_and_the_url_keeps_the_choice():
    at = open_with(text=CAT)
    assert at.session_state["sa_tab"] is None
    assert len(charts(at)) == 1  # the heatmap alone
    assert sa_text.DEEP_DIVE_CLOSED in [c.value for c in at.caption]
    assert "tab" not in at.query_params
    at.session_state["sa_tab"] = "Step by step"
    at.run()
    assert at.query_params["tab"] == "Step by step"
    assert len(charts(at)) == 2 and sa_text.DEEP_DIVE_CLOSED not in [c.value for c in at.caption]
    at.session_state["sa_tab"] = None  # the open button clicked again
    at.run()
    assert "tab" not in at.query_params and len(charts(at)) == 1


STEP_SHAPES = {"X": (10, 16), "Q": (10, 8), "K": (10, 8), "V": (10, 8), "Q·Kᵀ": (10, 10), "scaled": (10, 10),
               "masked": (10, 10), "weights": (10, 10), "output": (10, 8)}


@pytest.mark.parametrize("step", list(STEP_SHAPES))
def test_step_by_step_inspector_shows_each_matrix_with_its_shape(step):
    at = open_with(text=CAT, word="it", proj="random", seed="3", causal="1", temp="0.8", tab="Step by step")
    at.session_state["sa_step"] = step
    at.run()
    tokens, res = expected(CAT, proj="random", seed=3, causal=True, temp=0.8)
    x = embed(tokens)
    w_q, w_k, w_v = projections(D_MODEL, "random", seed=3)
    want = {"X": x, "Q": x @ w_q, "K": x @ w_k, "V": x @ w_v, "Q·Kᵀ": res.scores,
            "scaled": res.scores / np.sqrt(8) / 0.8, "masked": res.logits, "weights": res.weights,
            "output": res.output}[step]
    shape = STEP_SHAPES[step]
    steps = [c for c in charts(at) if "shape [" in c["layout"]["title"]["text"]]
    assert len(steps) == 1  # only the open step is drawn
    assert steps[0]["layout"]["title"]["text"].endswith(f"shape [{shape[0]} × {shape[1]}]")
    z = array(steps[0]["data"][0]["z"])
    finite = np.isfinite(want)
    assert np.array_equal(np.isfinite(z), finite)  # masked cells are empty, and only those
    assert np.allclose(z[finite], want[finite])


def test_identity_inspector_uses_feature_names():
    at = open_with(text=CAT, tab="Step by step")
    at.session_state["sa_step"] = "Q"
    at.run()
    q_chart = [c for c in charts(at) if c["layout"]["title"]["text"].startswith("Q = X·W_Q")][0]
    assert q_chart["layout"]["xaxis"]["ticktext"] == list(FEATURE_NAMES)


@pytest.mark.parametrize("d", [4, 64, 512])
def test_why_sqrt_d_slider(d):
    at = open_with(tab="Why divide by √d?")
    at.slider(key="sa_d").set_value(d).run()
    demo = scaling_demo(d, n_keys=8, seed=0)
    text = all_text(at)
    assert f"standard deviation **{demo.scores.std():.1f}**" in text
    assert f"Unscaled, the top key takes **{pct(demo.unscaled.max())}**" in text
    assert f"it takes **{pct(demo.scaled.max())}**" in text
    raw = array(chart(at, f"softmax(q·k), d = {d}")["data"][0]["y"])
    scaled = array(chart(at, f"softmax(q·k / √{d})")["data"][0]["y"])
    assert np.allclose(raw, demo.unscaled) and np.allclose(scaled, demo.scaled)
    assert chart(at, "How peaked softmax gets")


def test_apple_problem_numbers_and_map():
    at = open_with(text=PRESETS["Apple, the fruit"], tab="The Apple problem")
    senses = SENSE_CONTEXTS["Apple"]
    contexts = list(senses["fruit"] + senses["company"])
    static, outputs, _ = word_in_contexts("Apple", contexts)
    fruit, company = FEATURE_NAMES.index("fruit"), FEATURE_NAMES.index("company")
    text = all_text(at)
    assert f"fruit = company = {static[fruit]:.2f}" in text
    assert f"gives fruit **{outputs[0, fruit]:.2f}** vs company {outputs[0, company]:.2f}" in text
    assert "3 of 3 fruit sentences lean fruit and 3 of 3 company sentences lean company" in text
    scatter = chart(at, "Apple: one static vector")
    assert sum(len(t["x"]) for t in scatter["data"]) == 1 + len(contexts)
    table = at.dataframe[0].value
    assert np.allclose(table["fruit"], outputs[:, fruit]) and np.allclose(table["company"], outputs[:, company])


def test_apple_problem_adds_the_learners_own_sentence():
    at = open_with(text="I love apple pie", tab="The Apple problem")
    assert "your sentence" in [t["name"] for t in chart(at, "Apple: one static vector")["data"]]
    assert "Your sentence leans **fruit**" in all_text(at)


# ---- the editable embedding table -----------------------------------------------------------------------------------
def editor_key(at) -> str:
    keys = [e.key for e in at.data_editor]
    assert len(keys) == 1
    return keys[0]


def edit(at, rows: dict) -> None:
    at.session_state[editor_key(at)] = {"edited_rows": rows, "added_rows": [], "deleted_rows": []}
    at.run()


def test_editing_the_table_changes_the_heatmap():
    at = open_with(text=CAT, word="it", tab="Edit the embeddings")
    frame = at.data_editor[0].value
    assert list(frame.columns) == list(FEATURE_NAMES) and np.allclose(frame.to_numpy(), embed(prepare(CAT).tokens))
    tokens = prepare(CAT).tokens
    mat = tokens.index("mat")
    edit(at, {mat: {"animate": 6.0}})  # make the mat alive: "it" should now look at it
    x = embed(tokens)
    x[mat, FEATURE_NAMES.index("animate")] = 6.0
    _, res = expected(CAT, x=x)
    assert np.allclose(heatmap_z(at), res.weights)
    check_caption(at, tokens, res.weights, tokens.index("it"))
    assert "`it` puts" in caption(at) and "on `mat`" in caption(at)
    assert np.allclose(at.data_editor[0].value.to_numpy(), x)  # the fresh editor shows the values in use
    assert not at.button(key="sa_reset").disabled


@pytest.mark.parametrize("bad", ["abc", None, float("nan"), float("inf"), 1e6])
def test_bad_table_edits_are_rejected_naming_the_cell(bad):
    at = open_with(text=CAT, word="it", tab="Edit the embeddings")
    tokens = prepare(CAT).tokens
    edit(at, {1: {"noun": 2.5}})  # a good edit first: it must survive the bad one
    edit(at, {1: {"animate": bad}})
    warnings = [str(w.value) for w in at.warning]
    assert any("row 2 (`cat`), column `animate`" in w and "previous value is kept" in w for w in warnings), warnings
    x = embed(tokens)
    x[1, FEATURE_NAMES.index("noun")] = 2.5
    _, res = expected(CAT, x=x)
    assert np.allclose(heatmap_z(at), res.weights)
    assert np.isfinite(heatmap_z(at)).all()


def test_editor_rows_are_parsed_then_accepted_or_rejected():
    """st.data_editor's edited_rows, as the page reads them, through lessons.embeddings.apply_edits."""
    from lessons.embeddings import apply_edits
    from playground.self_attention_ui import parse_edited_rows

    x = embed(prepare("The cat sat").tokens)
    edits, raws = parse_edited_rows({1: {"fruit": 2.5, "noun": "3"}, "2": {"verb": None, "time": "abc"},
                                     0: {"place": float("inf"), "object": float("nan"), "animate": 1e9},
                                     7: {"noun": 1.0}, 2: {"nonsense": 1.0, "state": True}, "x": {"noun": 1.0}})
    new, refused = apply_edits(x, edits)
    rejected = [(edits[k][0], edits[k][1], raws[k]) for k in refused]
    assert new[1, FEATURE_NAMES.index("fruit")] == 2.5 and new[1, FEATURE_NAMES.index("noun")] == 3.0
    assert {(r, f) for r, f, _ in rejected} == {(2, "verb"), (2, "time"), (0, "place"), (0, "object"),
                                                 (0, "animate"), (7, "noun"), (2, "nonsense"), (2, "state"),
                                                 (-1, "noun")}
    assert (2, "time", "abc") in rejected  # the raw value as typed, for the warning
    changed = np.argwhere(new != x)
    assert {(int(r), FEATURE_NAMES[c]) for r, c in changed} <= {(1, "fruit"), (1, "noun")}


def test_reset_restores_the_built_in_table():
    at = open_with(text=CAT, word="it", tab="Edit the embeddings")
    edit(at, {7: {"pronoun": -5.0}})
    at.button(key="sa_reset").click().run()
    _, res = expected(CAT)
    assert np.allclose(heatmap_z(at), res.weights)
    assert np.allclose(at.data_editor[0].value.to_numpy(), embed(prepare(CAT).tokens))
    assert at.button(key="sa_reset").disabled


def test_edits_survive_switching_tabs():
    at = open_with(text=CAT, word="it", tab="Edit the embeddings")
    edit(at, {5: {"animate": 6.0}})
    at.session_state["sa_tab"] = "Step by step"
    at.run()
    x = embed(prepare(CAT).tokens)
    x[5, FEATURE_NAMES.index("animate")] = 6.0
    _, res = expected(CAT, x=x)
    assert np.allclose(heatmap_z(at), res.weights)


# ---- download ----------------------------------------------------------------------------------------------------------
def test_download_csv_holds_the_displayed_weights(deferred_downloads):
    at = open_with(text=CAT, causal="1", pad="1")
    button = at.get("download_button")[0].proto
    assert button.label == "Download these weights (CSV)"
    frame = pd.read_csv(io.StringIO(downloaded(at, deferred_downloads, "sa_download")), index_col=0)
    tokens, res = expected(CAT, causal=True, pad=1)
    labels = [f"{i + 1}:{t}" for i, t in enumerate(tokens + ["[pad]"])]
    assert list(frame.index) == labels and list(frame.columns) == labels
    assert np.allclose(frame.to_numpy(), res.weights, atol=1e-6)
    assert np.allclose(frame.to_numpy(), heatmap_z(at), atol=1e-6)  # the numbers on the chart


def test_weights_csv_quotes_awkward_tokens_and_matches_pandas():
    from playground.export import matrix_csv

    labels = ["a,b", 'say "hi"', "=1+1", "தமிழ்"]
    w = np.random.default_rng(0).dirichlet(np.ones(4), size=4)
    text = matrix_csv(w, labels, labels)
    names = [f"{i + 1}:{t}" for i, t in enumerate(labels)]
    assert text == pd.DataFrame(w, index=names, columns=names).to_csv(float_format="%.6f")
    back = pd.read_csv(io.StringIO(text), index_col=0)
    assert list(back.columns) == names and np.allclose(back.to_numpy(), w, atol=1e-6)


@pytest.mark.parametrize(("stale", "want"), [("The  (#1)", "cat"), ("sat  (#2)", "sat"), ("zebra", "cat")])
def test_a_stale_select_box_label_falls_back(stale, want):
    """The browser may send a label from the previous sentence's list just before a rerun; Streamlit passes it on
    as text. Sent here exactly as the browser sends it (tests/app/fuzz_support.replay)."""
    from tests.app.fuzz_support import problems, replay

    session = replay(PAGE, [("sa_text", "cat sat"), ("sa_query", stale)])
    assert problems(session.at) == []
    tokens, res = expected("cat sat")
    check_caption(session.at, tokens, res.weights, tokens.index(want))


def test_cell_values_never_print_a_negative_zero():
    """A value that rounds to zero prints without a sign: '-0.0' in a matrix reads as a different number."""
    from playground.figures.base import _cell_text, no_negative_zero

    assert no_negative_zero("-0.0") == "0.0" and no_negative_zero("-0.00") == "0.00"
    assert no_negative_zero("-0.1") == "-0.1" and no_negative_zero("0.0") == "0.0" and no_negative_zero("-10") == "-10"
    cells = _cell_text(np.array([[-0.04, -0.06, 0.0, -1e-9]]), "scores")
    assert cells.tolist() == [["0.0", "-0.1", "0.0", "0.0"]]


def test_settings_sit_in_an_expander_that_opens_when_one_differs_from_its_default():
    """The eight settings are folded while at their defaults, so that on a phone the heatmap comes first, and built
    only while open; a link with a changed setting opens them."""
    at = open_page(PAGE)
    assert [e.label for e in at.expander][:1] == [sa_text.SETTINGS_LABEL] and not at.session_state[SETTINGS_BOX]
    assert "sa_causal" not in [t.key for t in at.toggle]
    assert open_settings(at).toggle(key="sa_causal").value is False
    at = open_with(causal="1")
    assert at.session_state[SETTINGS_BOX] and at.toggle(key="sa_causal").value is True


def test_settings_keep_their_values_while_folded():
    """Closing the settings leaves their controls out of the page; the view must not change when it does."""
    at = open_settings(open_with(text=CAT, word="it"))
    at.slider(key="sa_temp").set_value(1.7)
    at.toggle(key="sa_causal").set_value(True)
    at.radio(key="sa_proj").set_value("random").run()
    at.number_input(key="sa_seed").set_value(5).run()
    before = heatmap_z(at)
    at.session_state[SETTINGS_BOX] = False
    at.run()
    at.selectbox(key="sa_query").set_value(1).run()  # a rerun with the settings folded, then another
    tokens, res = expected(CAT, temp=1.7, causal=True, proj="random", seed=5)
    assert np.allclose(heatmap_z(at), res.weights) and np.allclose(before, res.weights)
    assert {k: at.session_state[k] for k in SETTING_DEFAULTS} == {**SETTING_DEFAULTS, "sa_temp": 1.7,
                                                                    "sa_causal": True, "sa_proj": "random",
                                                                    "sa_seed": 5}
    at = open_settings(at)
    assert at.slider(key="sa_temp").value == 1.7 and at.number_input(key="sa_seed").value == 5


def test_unknown_words_and_unspaced_text_are_explained_next_to_the_tokens():
    """German words and emoji get hashed vectors, Japanese without spaces is one token: said, with
    counts computed from the tokens."""
    from lessons.embeddings import in_lexicon

    at = open_page(PAGE, {"text": "Der Hund schläft 🙂 and the cat sleeps"})
    tokens = prepare("Der Hund schläft 🙂 and the cat sleeps").tokens
    k = sum(not in_lexicon(t) for t in tokens)
    assert 0 < k < len(tokens)
    assert any(c.value.startswith(f"{k} of the {len(tokens)} tokens are not in the built-in English lexicon")
               and "pseudo-random vector" in c.value for c in at.caption)
    at = open_page(PAGE, {"text": "猫がマットの上に座った"})
    assert any("is a single token of 11 characters" in c.value for c in at.caption)
    at = open_page("pages/multi_head.py", {"sentence": "猫がマットの上に座った"})
    assert any("is a single token of 11 characters" in c.value for c in at.caption)
    assert any(c.value.startswith("The one token is not in the built-in English lexicon") for c in at.caption)


def test_unknown_words_come_with_the_lexicon_listed():
    from lessons.embeddings import lexicon_words
    from playground.texts.self_attention import lexicon_list, lexicon_title

    at = open_with(text="the box didn't fit in the bag because it was too wide")
    words = lexicon_words()
    assert len(words) > 20 and "animal" in words and "box" not in words
    titles = [e.label for e in at.expander]
    assert lexicon_title(len(words)) in titles
    assert lexicon_list(words) in all_text(at)
    at = open_with(text="The cat sat on the mat because it was tired")  # every word known: no list
    assert lexicon_title(len(words)) not in [e.label for e in at.expander]


def test_the_bars_are_drawn_on_request_and_the_shading_and_caption_always():
    """The chosen word's row as bars costs a chart per key press: off by default, on with the switch (kept in the
    URL); the shaded sentence and the caption, which say the same in words, are there either way."""
    at = open_with(text=CAT)
    tokens, res = expected(CAT)
    q = at.selectbox(key="sa_query").value
    assert not any("sa_bar" in el.proto.id for el in at.get("plotly_chart"))
    check_caption(at, tokens, res.weights, q)
    at.toggle(key="sa_show_bar").set_value(True).run()
    bar = [json.loads(el.proto.spec) for el in at.get("plotly_chart") if "sa_bar" in el.proto.id]
    assert len(bar) == 1 and np.allclose(array(bar[0]["data"][0]["x"]), res.weights[q])
    assert at.query_params["bars"] in ("1", ["1"])


def test_an_error_in_the_word_view_is_shown_once(monkeypatch):
    """word_view is a fragment inside the page's own (the entry script runs every page as one): an error in it is
    shown once, not once by each of the two fragments."""
    at = open_page("pages/self_attention.py")

    def broken(tokens):
        raise ValueError("a broken word picker")

    monkeypatch.setattr(sa_ui, "query_ui", broken)
    at.run()
    assert len(at.exception) == 1, [e.value for e in at.exception]
    assert "a broken word picker" in at.exception[0].value
