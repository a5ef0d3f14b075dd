"""The multi-head page under AppTest: every control, and every displayed number against attention_core called directly."""

from __future__ import annotations

import json

import numpy as np
import plotly.graph_objects as go
import pytest

from attention_core import MultiHeadParams, multi_head_attention
from lessons.embeddings import MAX_TOKENS, PRESETS, embed, prepare
from lessons.heads import (
    attention_entropy,
    build_heads,
    model_input,
    multi_head_multiply_adds,
    multi_head_parameters,
)
from playground.formatting import pct
from playground.multi_head_ui import D_MODEL_CHOICES, HEAD_CHOICES
from playground.texts.multi_head import FOCUSED
from tests.app.conftest import all_text, open_page
from tests.app.fuzz_support import chart_specs
from tests.app.grid_support import decode, grid_panels, panel_texts

PAGE = "pages/multi_head.py"
CAT = "The cat sat on the mat because it was tired"
F32 = {"rtol": 1e-6, "atol": 1e-6}  # charts carry float32: 7 significant digits


def page(**query: str):
    return open_page(PAGE, query=query)


def expected(text: str = CAT, d_model: int = 64, n_heads: int = 8, hand: bool = True, pos: bool = True, seed: int = 0):
    """What the page should show, computed straight from attention_core."""
    tokens = prepare(text).tokens
    params, infos = build_heads(d_model, n_heads, seed, hand)
    x = model_input(embed(tokens), d_model, pos)
    return tokens, multi_head_attention(x, x, params), infos


def figure(at, key: str) -> dict:
    """The spec of the chart drawn with st.plotly_chart(..., key=key)."""
    (el,) = [e for e in at.get("plotly_chart") if e.proto.id.endswith(f"-{key}")]
    return json.loads(el.proto.spec)


def heatmaps(spec: dict) -> list[np.ndarray]:
    return [decode(t["z"]) for t in spec["data"] if t["type"] == "heatmap"]


def table(at):
    """The per-head Markdown table as {column: [cell per head]} (cells as shown, code quotes removed)."""
    (md,) = [m.value for m in at.markdown if m.value.startswith("| head | kind |")]
    header, _, *rows = [[c.strip() for c in line.strip("|").split(" | ")] for line in md.splitlines()]
    return {name: [row[i].strip("`") for row in rows] for i, name in enumerate(header)}


def set_and_run(at, widget, value):
    widget.set_value(value)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


# ---- the default view -------------------------------------------------------------------------------------------


def test_default_view_shows_eight_heads_of_the_cat_sentence():
    at = page()
    assert [t.value for t in at.title] == ["Multi-head attention"]
    tokens, result, infos = expected()
    grid = list(grid_panels(figure(at, "mh_grid")))
    assert len(grid) == 8
    for z, w in zip(grid, result.weights, strict=True):
        np.testing.assert_allclose(z, w, **F32)
    assert dict(at.query_params) == {"sentence": CAT, "word": "it", "heads": "8", "d_model": "64", "hand": "1",
                                     "pos": "1", "seed": "0", "trained": "0"}
    headers = [h.value for h in at.header]
    assert headers[0] == "Every head reads the same sentence" and headers[-1] == "What to notice"


def test_every_figure_is_valid_plotly():
    # The builders skip Plotly's validation for speed; validate what the page actually sent instead.
    at = page()
    for el in at.get("plotly_chart"):
        go.Figure(json.loads(el.proto.spec))  # raises on any invalid property


def test_sending_a_figure_leaves_its_spec_and_the_shared_template_untouched():
    import copy

    import plotly.io as pio

    from playground.figures.multi_head import head_grid

    fig = head_grid(np.full((2, 3, 3), 1 / 3), ["a", "b", "c"], ["one", "two"], highlight_row=1)
    before = copy.deepcopy(fig.to_dict())
    pio.to_json(fig, validate=False)  # what st.plotly_chart does
    assert fig.to_dict() == before


# ---- each control -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("n_heads", HEAD_CHOICES)
def test_heads_control_draws_one_heatmap_per_head(n_heads):
    at = page()
    set_and_run(at, at.segmented_control(key="mh_heads"), n_heads)
    _, result, infos = expected(n_heads=n_heads)
    grid = list(grid_panels(figure(at, "mh_grid")))
    assert len(grid) == n_heads
    np.testing.assert_allclose(np.stack(grid), result.weights, **F32)
    titles = [a["text"] for a in figure(at, "mh_grid")["layout"]["annotations"]]
    assert titles == [f"<b>head {i + 1} · {info.name}</b>" for i, info in enumerate(infos)]
    assert at.query_params["heads"] == str(n_heads)
    assert len(table(at)["head"]) == n_heads


@pytest.mark.parametrize("d_model", D_MODEL_CHOICES)
def test_d_model_control_changes_shapes_and_weights(d_model):
    at = page(path="1")  # the concat-and-output heatmaps are drawn on request
    set_and_run(at, at.segmented_control(key="mh_d_model"), d_model)
    tokens, result, _ = expected(d_model=d_model)
    np.testing.assert_allclose(np.stack(list(grid_panels(figure(at, "mh_grid")))), result.weights, **F32)
    n, d_head = len(tokens), d_model // 8
    text = all_text(at)
    assert f"Input $x$: [{n}, {d_model}] (16 feature columns + {d_model - 16} position columns)" in text
    assert f"[{n}, {d_model}] × [{d_model}, {d_head}] → [{n}, {d_head}]" in text
    concat, output = heatmaps(figure(at, "mh_path"))
    np.testing.assert_allclose(concat, result.concat, **F32)
    np.testing.assert_allclose(output, result.output, **F32)


def test_hand_built_toggle_off_gives_the_seeded_random_heads():
    at = page()
    set_and_run(at, at.toggle(key="mh_hand"), False)
    params = MultiHeadParams.random(64, 8, 0)
    x = model_input(embed(prepare(CAT).tokens), 64)
    want = multi_head_attention(x, x, params).weights
    np.testing.assert_allclose(np.stack(list(grid_panels(figure(at, "mh_grid")))), want, **F32)
    assert set(table(at)["kind"]) == {"random"}
    assert at.query_params["hand"] == "0"


def test_positions_toggle_off_blinds_the_previous_word_head():
    at = page()
    set_and_run(at, at.toggle(key="mh_pos"), False)
    tokens, result, _ = expected(pos=False)
    grid = list(grid_panels(figure(at, "mh_grid")))
    np.testing.assert_allclose(np.stack(grid), result.weights, **F32)
    np.testing.assert_allclose(grid[1], 1 / len(tokens))  # head 2 = previous word: nothing left to go on
    assert "(switched off now: all zeros)" not in all_text(at)  # the explainer is folded: not even sent
    at.session_state["mh_explainer_box"] = True
    at.run()
    assert "(switched off now: all zeros)" in all_text(at)
    assert at.query_params["pos"] == "0"


def test_seed_changes_only_the_random_heads():
    at = page()
    before = np.stack(list(grid_panels(figure(at, "mh_grid"))))
    set_and_run(at, at.number_input(key="mh_seed"), 7)
    after = np.stack(list(grid_panels(figure(at, "mh_grid"))))
    np.testing.assert_allclose(after, expected(seed=7)[1].weights, **F32)
    np.testing.assert_array_equal(after[:4], before[:4])  # hand-built heads do not depend on the seed
    assert not np.allclose(after[4:], before[4:])
    assert at.query_params["seed"] == "7"


@pytest.mark.parametrize("word", ["it", "cat", "sat"])
def test_chosen_word_rows_caption_and_entropy_match_attention_core(word):
    at = page(word_chart="1")
    tokens, result, infos = expected()
    i = tokens.index(word)
    set_and_run(at, at.selectbox(key="mh_word"), i)
    rows = result.weights[:, i, :]  # [8, n]
    entropy = attention_entropy(rows)  # [8]
    z_rows, z_bars = figure(at, "mh_word_heads")["data"]
    np.testing.assert_allclose(decode(z_rows["z"]), rows, **F32)
    np.testing.assert_allclose(decode(z_bars["x"]), entropy, **F32)
    df = table(at)
    assert list(df["its weight"]) == [f"{100 * v:.1f}%" for v in rows.max(axis=1)]
    assert list(df["entropy (bits)"]) == [f"{v:.2f}" for v in entropy]
    assert list(df["strongest key"]) == [tokens[j] for j in rows.argmax(axis=1)]
    (summary,) = [m.value for m in at.markdown if m.value.startswith(f"`{word}` looks at different words")]
    clear = [h for h in range(8) if rows[h].max() >= FOCUSED]
    vague = [h for h in range(8) if rows[h].max() < FOCUSED]
    assert len(clear) >= 2 and len(vague) >= 2  # each word has both kinds of head, so both kinds of line are checked
    named = [f"in head {h + 1} · {infos[h].name}, {pct(rows[h].max())} goes to `{tokens[int(rows[h].argmax())]}`"
             for h in clear]
    assert summary.startswith(f"`{word}` looks at different words in different heads: " + "; ".join(named) + ".")
    vague_heads = ", ".join(str(h + 1) for h in vague)
    assert summary.endswith(f" Heads {vague_heads} give no word as much as {pct(FOCUSED)}: "
                            f"`{word}`'s attention is spread thinly there.")
    assert at.query_params["word"] == word
    assert f"One word, every head: {word}" in [h.value for h in at.header]


def test_it_in_the_pronoun_head_goes_to_cat():
    at = page()
    tokens, result, _ = expected()
    share = result.weights[0, tokens.index("it"), tokens.index("cat")]
    assert share > 0.7
    assert f"in head 1 · pronoun → noun, {pct(share)} goes to `cat`" in all_text(at)


def test_grid_caption_names_the_sharpest_and_flattest_head():
    at = page()
    _, result, infos = expected()
    mean = attention_entropy(result.weights).mean(axis=1)
    s, f = int(mean.argmin()), int(mean.argmax())
    caption = next(c.value for c in at.caption if "Sharpest head" in c.value)
    assert f"head {s + 1} · {infos[s].name} ({mean[s]:.2f} bits per row)" in caption
    assert f"head {f + 1} · {infos[f].name} ({mean[f]:.2f} bits)" in caption
    assert f"{np.log2(len(prepare(CAT).tokens)):.2f} bits" in caption


@pytest.mark.parametrize(("d_model", "n_heads"), [(64, 8), (512, 2), (32, 1)])
def test_parameter_and_multiply_add_counts(d_model, n_heads):
    at = page(d_model=str(d_model), heads=str(n_heads), cost="1")  # the cost chart is drawn on request
    n = len(prepare(CAT).tokens)
    total = sum(multi_head_parameters(d_model, n_heads).values())
    assert total == 4 * d_model**2
    madds = sum(multi_head_multiply_adds(n, d_model, n_heads).values())
    text = all_text(at)
    assert rf"hold **{total:,}** weights $= 4 \times {d_model}^2$" in text
    assert f"the layer does **{madds:,}** multiply-adds" in text
    full = sum(multi_head_parameters(d_model, 8, d_head=d_model).values())
    assert f"it would need {full:,} weights, 8× as many" in text
    bars = [t for t in figure(at, "mh_cost")["data"] if t["type"] == "bar"]
    params_bars, madds_bars = bars[:4], bars[4:]
    for b in params_bars:
        assert b["y"] == [multi_head_parameters(d_model, h)[b["name"]] for h in HEAD_CHOICES]
    for b in madds_bars:
        assert b["y"] == [multi_head_multiply_adds(n, d_model, h)[b["name"]] for h in HEAD_CHOICES]
    for d in D_MODEL_CHOICES:  # the table: one value per row, the same for every h
        assert rf"| $d_\text{{model}} = {d}$ | " + " | ".join([f"{4 * d * d:,}"] * 4) + " |" in text


def test_secondary_charts_are_drawn_on_request_and_their_switches_kept_in_the_url():
    at = page()
    keys = [e.proto.id.rsplit("-", 1)[-1] for e in at.get("plotly_chart")]
    assert "mh_grid" in keys
    assert "mh_word_heads" not in keys and "mh_path" not in keys and "mh_cost" not in keys
    text = all_text(at)  # the steps and the table tell the story without the charts
    assert "Concatenate the head outputs side by side" in text and "| weights | *h* = 1 |" in text
    set_and_run(at, at.toggle(key="mh_show_word"), True)
    set_and_run(at, at.toggle(key="mh_show_path"), True)
    set_and_run(at, at.toggle(key="mh_show_cost"), True)
    assert figure(at, "mh_word_heads") and figure(at, "mh_path") and figure(at, "mh_cost")
    assert at.query_params["word_chart"] == "1" and at.query_params["path"] == "1" and at.query_params["cost"] == "1"
    set_and_run(at, at.toggle(key="mh_show_cost"), False)
    assert "cost" not in at.query_params


# ---- the sentence -----------------------------------------------------------------------------------------------


def test_typing_a_sentence_recomputes_everything():
    at = page()
    text = "Apple stock crashed today"
    set_and_run(at, at.text_input(key="mh_text"), text)
    tokens, result, _ = expected(text)
    np.testing.assert_allclose(np.stack(list(grid_panels(figure(at, "mh_grid")))), result.weights, **F32)
    assert at.pills(key="mh_preset").value == "Apple, the company"  # the pills follow the text
    assert at.query_params["sentence"] == text
    assert at.selectbox(key="mh_word").value == tokens.index("stock")  # no pronoun: the first noun


@pytest.mark.parametrize("sentence", ["The dog chased the ball because it was fast", "Apple stock crashed today"])
def test_the_word_summary_names_what_the_drawn_chart_shows(sentence):
    # The prose under "One word, every head" is read against the chart's own numbers, for a sentence other than
    # the default: each head it names gets the chart's strongest word and share, the others are the thin ones.
    at = page(word_chart="1")
    set_and_run(at, at.text_input(key="mh_text"), sentence)
    z_rows, _ = figure(at, "mh_word_heads")["data"]
    rows = decode(z_rows["z"])  # [h, n] as drawn
    columns, titles = [str(t) for t in z_rows["x"]], [str(t) for t in z_rows["y"]]
    text = all_text(at)
    thin = []
    for h, row in enumerate(rows):
        if row.max() >= 0.4:
            assert f"{pct(row.max())} goes to `{columns[int(row.argmax())]}`" in text, (titles[h], text)
        else:
            thin.append(str(h + 1))
    if thin:
        assert (("Head " if len(thin) == 1 else "Heads ") + ", ".join(thin)) in text


def test_picking_an_example_fills_the_text_box():
    at = page()
    label = next(k for k, v in PRESETS.items() if v.startswith("The report"))
    set_and_run(at, at.pills(key="mh_preset"), label)
    assert at.text_input(key="mh_text").value == PRESETS[label]
    tokens = prepare(PRESETS[label]).tokens
    assert at.query_params["word"] == "who"
    np.testing.assert_allclose(np.stack(list(grid_panels(figure(at, "mh_grid")))), expected(PRESETS[label])[1].weights,
                               **F32)
    assert len(list(grid_panels(figure(at, "mh_grid")))[0]) == len(tokens)


def test_own_sentence_selects_no_example():
    at = page()
    set_and_run(at, at.text_input(key="mh_text"), "She ate a ripe apple")
    assert at.pills(key="mh_preset").value is None
    assert at.query_params["word"] == "She"


# ---- shareable state --------------------------------------------------------------------------------------------


def test_url_restores_the_view():
    text = "the dog saw the cat and it ran"
    at = page(sentence=text, word="the~2", heads="2", d_model="128", hand="1", pos="0", seed="42")
    tokens, result, _ = expected(text, d_model=128, n_heads=2, pos=False, seed=42)
    assert at.text_input(key="mh_text").value == text
    assert at.selectbox(key="mh_word").value == 3  # the second "the"
    assert at.segmented_control(key="mh_heads").value == 2
    assert at.segmented_control(key="mh_d_model").value == 128
    assert at.toggle(key="mh_pos").value is False
    assert at.number_input(key="mh_seed").value == 42
    np.testing.assert_allclose(np.stack(list(grid_panels(figure(at, "mh_grid")))), result.weights, **F32)
    assert at.query_params["word"] == "the~2"


def test_nonsense_url_values_fall_back_to_defaults():
    at = page(heads="7", d_model="100", word="zebra", seed="abc", hand="maybe", pos="2")
    assert at.segmented_control(key="mh_heads").value == 8
    assert at.segmented_control(key="mh_d_model").value == 64
    assert at.toggle(key="mh_hand").value is True and at.toggle(key="mh_pos").value is True
    assert at.number_input(key="mh_seed").value == 0
    assert at.selectbox(key="mh_word").value == prepare(CAT).tokens.index("it")
    assert dict(at.query_params)["heads"] == "8" and dict(at.query_params)["word"] == "it"
    assert not at.exception


@pytest.mark.parametrize("word", ["the~0", "the~9", "~", "it~", "~2"])
def test_odd_word_params_do_not_break(word):
    at = page(word=word)
    assert not at.exception
    assert at.selectbox(key="mh_word").value in range(len(prepare(CAT).tokens))


# ---- bad input --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   "])
def test_empty_text_prompts_and_draws_nothing(text):
    at = page()
    set_and_run(at, at.text_input(key="mh_text"), text)
    assert any("Type a sentence" in i.value for i in at.info)
    assert at.get("plotly_chart") == [] or len(at.get("plotly_chart")) == 0


def test_long_text_uses_the_first_40_tokens_with_a_warning():
    at = page()
    text = " ".join(f"w{i}" for i in range(55))
    set_and_run(at, at.text_input(key="mh_text"), text)
    assert any(f"has 55 words and punctuation marks; the first {MAX_TOKENS} are used" in w.value for w in at.warning)
    grid = list(grid_panels(figure(at, "mh_grid")))
    assert grid[0].shape == (MAX_TOKENS, MAX_TOKENS)
    np.testing.assert_allclose(np.stack(grid), expected(text)[1].weights, **F32)


@pytest.mark.parametrize(
    "text",
    [
        "!!! ??? ...",
        "I love 🍎 and 👩‍💻 😀😀",
        "நான் நாளைக்குள் அறிக்கையை அனுப்ப வேண்டும்",
        "<script>alert(1)</script> <b>bold</b> **stars** $x$",
        "a" * 10_000,
        ("long paste " * 1000).strip(),
    ],
)
def test_odd_text_is_handled_as_plain_text(text):
    at = page()
    set_and_run(at, at.text_input(key="mh_text"), text)
    tokens, result, _ = expected(text)
    grid = list(grid_panels(figure(at, "mh_grid")))
    np.testing.assert_allclose(np.stack(grid), result.weights, **F32)
    assert all(np.isfinite(z).all() for z in grid)
    spec = json.dumps([json.loads(e.proto.spec) for e in at.get("plotly_chart")])
    assert "<script>" not in spec and "<b>bold" not in spec  # user text reaches Plotly escaped
    assert len(at.query_params["sentence"]) <= 1000


def test_url_with_html_sentence_is_plain_text():
    at = page(sentence="<img src=x onerror=alert(1)> it", word="<img")
    assert not at.exception
    assert "<img" not in json.dumps([json.loads(e.proto.spec) for e in at.get("plotly_chart")])


def test_the_grid_prints_every_number_up_to_two_full_heads_then_only_the_followed_row():
    from playground.figures.multi_head import grid_numbers, head_grid

    assert grid_numbers(2, 12, 12, 0) == "all" and grid_numbers(8, 11, 11, 3) == "row"
    assert grid_numbers(8, 11, 11, None) == "all" and grid_numbers(1, 13, 13, None) == "none"
    assert grid_numbers(1, 13, 13, 0) == "all" and grid_numbers(8, 17, 17, 0) == "none"
    w = np.full((8, 11, 11), 1 / 11)
    w[:, 3] = np.nan  # a hidden row (guess first) stays blank
    spec = head_grid(w, list("abcdefghijk"), [f"h{i}" for i in range(8)], highlight_row=5).to_dict()
    texts = panel_texts(spec)
    assert len(texts) == 8
    for text in texts:
        filled = [(r, c) for r, row in enumerate(text.tolist()) for c, t in enumerate(row) if t]
        assert filled == [(5, c) for c in range(11)] and text[5][0] == "9"  # whole percentages
    two = head_grid(np.full((2, 12, 12), 1 / 12), list("abcdefghijkl"), ["one", "two"], highlight_row=5).to_dict()
    assert all((t == "8").all() for t in panel_texts(two))  # every cell of two heads
    at = page(text=CAT)  # 10 words, 8 heads: only the followed word's row carries numbers, and the caption says so
    at.run()
    grid = next(spec for key, spec in chart_specs(at) if key == "mh_grid")
    focus = at.session_state.mh_word
    assert all(({r for r, row in enumerate(t) for v in row if v} == {focus}) for t in panel_texts(grid))
    assert any("Numbers are printed only on the outlined row" in c.value for c in at.caption)
    hidden = page(text=CAT, guess="1")  # guess first: the outlined row is hidden, so no caption promises its numbers
    hidden.run()
    assert hidden.session_state.mh_guess and not any("Numbers are printed" in c.value for c in hidden.caption)


def test_the_controls_row_wraps_rather_than_hide_an_option():
    """The columns of the heads, d_model and switches keep their content's width (the e2e layout test checks that no
    option is out of sight at 150 % zoom); the page sends that rule, and keys that are not keys are refused."""
    from playground.layout_css import whole_columns_css

    at = open_page("pages/multi_head.py")
    css = whole_columns_css(("mh_heads", "mh_d_model", "mh_hand"))
    assert css.count(".st-key-") == 3 and "min-width: max-content" in css
    assert any(css in getattr(el, "body", "") for el in at.get("html"))
    assert whole_columns_css(()) == ""
    with pytest.raises(ValueError):
        whole_columns_css(("x} body { display: none",))
