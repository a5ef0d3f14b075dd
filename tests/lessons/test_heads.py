"""lessons.heads: the model input layout, hand-built heads doing what their labels say, entropy, cost formulas."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from attention_core import MultiHeadParams, multi_head_attention, sinusoidal_positional_encoding
from lessons.embeddings import FEATURE_NAMES, MAX_TOKENS, PRESETS, embed, prepare
from lessons.heads import (
    HAND_BUILT,
    N_FEATURES,
    attention_entropy,
    build_heads,
    column_names,
    default_focus,
    model_input,
    multi_head_multiply_adds,
    multi_head_parameters,
    previous_word_pairs,
)
from playground.multi_head_ui import D_MODEL_CHOICES, HEAD_CHOICES  # the layouts the page offers
from tests.core.core_reference import PROPERTY, PROPERTY_LIGHT

pytestmark = pytest.mark.filterwarnings("error")

F = {name: i for i, name in enumerate(FEATURE_NAMES)}
HEAD = {spec.info.name: i for i, spec in enumerate(HAND_BUILT)}  # head index of each hand-built head
features = st.integers(1, MAX_TOKENS).flatmap(
    lambda n: hnp.arrays(np.float64, (n, N_FEATURES), elements=st.floats(-5, 5, allow_nan=False, width=64)))
layouts = st.tuples(st.sampled_from(D_MODEL_CHOICES), st.sampled_from(HEAD_CHOICES))


def run(feats: np.ndarray, d_model: int, n_heads: int, positions: bool = True, hand_built: bool = True, seed: int = 0):
    params, infos = build_heads(d_model, n_heads, seed, hand_built)
    x = model_input(feats, d_model, positions)
    return multi_head_attention(x, x, params), params, infos, x


def sentence(text: str) -> tuple[list[str], np.ndarray]:
    tokens = prepare(text).tokens
    return tokens, embed(tokens)


# ---- the input layout -------------------------------------------------------------------------------------------


@PROPERTY_LIGHT
@given(features, st.sampled_from(D_MODEL_CHOICES), st.booleans())
def test_model_input_is_features_then_position_code(feats, d_model, positions):
    x = model_input(feats, d_model, positions)
    n = feats.shape[0]
    assert x.shape == (n, d_model)
    np.testing.assert_array_equal(x[:, :N_FEATURES], feats)
    pos = sinusoidal_positional_encoding(n, d_model - N_FEATURES) if positions else 0.0
    np.testing.assert_array_equal(x[:, N_FEATURES:], np.broadcast_to(pos, (n, d_model - N_FEATURES)))


def test_column_names_follow_the_layout():
    names = column_names(64)
    assert names[:N_FEATURES] == list(FEATURE_NAMES)
    assert names[N_FEATURES:] == [f"pos {i}" for i in range(64 - N_FEATURES)]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: model_input(np.zeros((3, 5)), 64), "features must be \\[n, 16\\].*\\(3, 5\\)"),
        (lambda: model_input(np.zeros(16), 64), "at least 2 dimensions"),
        (lambda: model_input(np.full((2, 16), np.nan), 64), "NaN"),
        (lambda: model_input(np.zeros((2, 16)), 16), "no room for positions"),
        (lambda: build_heads(64, 3), "n_heads = 3 does not divide d_model = 64"),
        (lambda: build_heads(17, 1), "no room for positions"),
        (lambda: build_heads(64, 0), "n_heads must be at least 1"),
        (lambda: attention_entropy(np.array([0.5, -0.1, 0.6])), "must be >= 0"),
        (lambda: attention_entropy(np.array([np.nan, 1.0])), "NaN"),
        (lambda: multi_head_parameters(64, 3), "does not divide"),
        (lambda: multi_head_multiply_adds(0, 64, 8), "n must be at least 1"),
    ],
)
def test_bad_input_names_the_problem(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# ---- build_heads: shapes, labels, and the random heads ----------------------------------------------------------


@pytest.mark.parametrize("d_model", D_MODEL_CHOICES)
@pytest.mark.parametrize("n_heads", HEAD_CHOICES)
def test_shapes_and_labels(d_model, n_heads):
    params, infos = build_heads(d_model, n_heads, seed=5)
    d_head = d_model // n_heads
    assert [w.shape for w in params] == [(n_heads, d_model, d_head)] * 3 + [(d_model, d_model)]
    assert len(infos) == n_heads
    hand = min(n_heads, len(HAND_BUILT))
    assert [i.kind for i in infos] == ["hand-built"] * hand + ["random"] * (n_heads - hand)
    assert [i.name for i in infos[:hand]] == [s.info.name for s in HAND_BUILT[:hand]]
    assert all(np.isfinite(w).all() for w in params)


@PROPERTY_LIGHT
@given(layouts, st.integers(0, 2**32 - 1))
def test_without_hand_built_heads_it_is_exactly_the_seeded_random_params(layout, seed):
    d_model, n_heads = layout
    params, infos = build_heads(d_model, n_heads, seed, hand_built=False)
    for got, want in zip(params, MultiHeadParams.random(d_model, n_heads, seed), strict=True):
        np.testing.assert_array_equal(got, want)
    assert all(i.kind == "random" for i in infos)


@PROPERTY_LIGHT
@given(layouts, st.integers(0, 2**32 - 1))
def test_random_slots_are_the_random_heads_and_hand_built_slots_do_not_depend_on_the_seed(layout, seed):
    d_model, n_heads = layout
    mixed, _ = build_heads(d_model, n_heads, seed)
    other, _ = build_heads(d_model, n_heads, seed + 1)
    rand = MultiHeadParams.random(d_model, n_heads, seed)
    d_head, hand = d_model // n_heads, min(n_heads, len(HAND_BUILT))
    for w_mixed, w_rand, w_other in zip(mixed[:3], rand[:3], other[:3], strict=True):
        np.testing.assert_array_equal(w_mixed[hand:], w_rand[hand:])
        np.testing.assert_array_equal(w_mixed[:hand], w_other[:hand])
    np.testing.assert_array_equal(mixed.w_o[hand * d_head:], rand.w_o[hand * d_head:])


# ---- each hand-built head does what its label says --------------------------------------------------------------


@PROPERTY
@given(features, st.sampled_from(D_MODEL_CHOICES), st.sampled_from((2, 4, 8)))
def test_previous_word_head_looks_one_step_back(feats, d_model, n_heads):
    weights = run(feats, d_model, n_heads)[0].weights[HEAD["previous word"]]  # [n, n]
    n = feats.shape[0]
    target = np.maximum(np.arange(n) - 1, 0)  # the first word has no word before it: it looks at itself
    np.testing.assert_array_equal(weights.argmax(axis=1), target)
    assert (weights[np.arange(n), target] > 0.95).all()


@PROPERTY_LIGHT
@given(features, features, st.sampled_from(D_MODEL_CHOICES))
def test_previous_word_head_reads_positions_only(feats, other, d_model):
    n = min(len(feats), len(other))
    a = run(feats[:n], d_model, 2)[0].weights[HEAD["previous word"]]
    b = run(other[:n], d_model, 2)[0].weights[HEAD["previous word"]]
    np.testing.assert_allclose(a, b, rtol=0, atol=1e-12)


@PROPERTY_LIGHT
@given(features, st.sampled_from(D_MODEL_CHOICES))
def test_without_positions_the_previous_word_head_is_blind(feats, d_model):
    weights = run(feats, d_model, 2, positions=False)[0].weights[HEAD["previous word"]]
    n = feats.shape[0]
    np.testing.assert_allclose(weights, np.full((n, n), 1 / n), rtol=1e-12)


def test_previous_word_head_uses_only_slow_position_pairs():
    for d_model in D_MODEL_CHOICES:
        for n_heads in HEAD_CHOICES:
            d_head = d_model // n_heads
            pairs = previous_word_pairs(d_model, d_head)
            steps = 10000.0 ** (-pairs * 2 / (d_model - N_FEATURES))
            assert 1 <= len(pairs) <= max(1, d_head // 2)
            assert (steps <= math.pi / MAX_TOKENS).all()


@PROPERTY_LIGHT
@given(features, st.sampled_from(D_MODEL_CHOICES), st.booleans())
def test_pronoun_head_lets_only_pronouns_choose_and_ignores_positions(feats, d_model, positions):
    feats = feats.copy()
    feats[:, F["pronoun"]] = 0.0  # nobody is a pronoun: every row spreads evenly
    weights = run(feats, d_model, 1, positions=positions)[0].weights[HEAD["pronoun → noun"]]
    n = feats.shape[0]
    np.testing.assert_allclose(weights, np.full((n, n), 1 / n), rtol=1e-9)


@pytest.mark.parametrize(
    ("text", "pronoun", "noun"),
    [
        ("The cat sat on the mat because it was tired", "it", "cat"),
        ("The animal didn't cross the street because it was too tired", "it", "animal"),
        ("The report that the client who called yesterday requested is ready.", "who", "client"),
    ],
)
@pytest.mark.parametrize("d_model", D_MODEL_CHOICES)
def test_pronoun_head_picks_the_blog_antecedent(text, pronoun, noun, d_model):
    tokens, feats = sentence(text)
    weights = run(feats, d_model, 4)[0].weights[HEAD["pronoun → noun"]]
    row = weights[tokens.index(pronoun)]
    assert tokens[int(row.argmax())] == noun
    assert row.max() > 0.7


def test_verb_head_links_verbs_with_nouns_both_ways():
    tokens, feats = sentence("The cat sat on the mat because it was tired")
    weights = run(feats, 64, 4)[0].weights[HEAD["verb ↔ subject/object"]]
    assert tokens[int(weights[tokens.index("sat")].argmax())] == "cat"
    assert tokens[int(weights[tokens.index("cat")].argmax())] == "sat"
    # "it" links to its own verb, not to the cat's (the page's text says so; the blog says "sat")
    row = weights[tokens.index("it")]
    assert tokens[int(row.argmax())] == "was" and row.max() > 0.6


@pytest.mark.parametrize("d_model, n_heads", [(32, 4), (64, 8), (128, 8), (256, 4)])
def test_verb_head_prefers_the_nearest_verb_at_every_width(d_model, n_heads):
    tokens, feats = sentence("The animal didn't cross the street because it was too tired")
    weights = run(feats, d_model, n_heads)[0].weights[HEAD["verb ↔ subject/object"]]
    assert tokens[int(weights[tokens.index("it")].argmax())] == "was"


@pytest.mark.parametrize("name", ["verb ↔ subject/object", "same topic"])
@PROPERTY_LIGHT
@given(feats=features, d_model=st.sampled_from(D_MODEL_CHOICES))
def test_symmetric_heads_score_both_directions_alike(name, feats, d_model):
    params, _ = build_heads(d_model, 4)
    x = model_input(feats, d_model)
    h = HEAD[name]
    scores = (x @ params.w_q[h]) @ (x @ params.w_k[h]).T  # [n, n]
    np.testing.assert_allclose(scores, scores.T, rtol=1e-9, atol=1e-9)


@PROPERTY_LIGHT
@given(features, layouts)
def test_hand_built_heads_pass_on_the_features_they_carry(feats, layout):
    d_model, n_heads = layout
    result, params, _, x = run(feats, d_model, n_heads)
    d_head = d_model // n_heads
    for h in range(min(n_heads, len(HAND_BUILT))):
        carried = params.w_v[h].argmax(axis=0)  # [d_head] the feature column each value column copies
        copies = params.w_v[h].sum(axis=0) == 1  # columns beyond the 16 features stay empty
        np.testing.assert_allclose(result.heads[h][:, copies], result.weights[h] @ x[:, carried[copies]], atol=1e-9)
        np.testing.assert_array_equal(params.w_o[h * d_head:(h + 1) * d_head], params.w_v[h].T)


# ---- entropy ----------------------------------------------------------------------------------------------------


@PROPERTY
@given(hnp.arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(1, 12)),
                  elements=st.floats(0, 100, allow_nan=False, width=64)))
def test_entropy_between_zero_and_log2_m(raw):
    rows = raw / np.where(raw.sum(-1, keepdims=True) > 0, raw.sum(-1, keepdims=True), 1.0)  # rows sum to 1 (or 0)
    e = attention_entropy(rows)
    assert e.shape == rows.shape[:-1]
    assert (e >= 0).all() and (e <= np.log2(rows.shape[-1]) + 1e-9).all()
    want = [-math.fsum(w * math.log2(w) for w in row if w > 0) for row in rows.tolist()]  # loop reference
    np.testing.assert_allclose(e, np.maximum(want, 0.0), atol=1e-12)


def test_entropy_extremes():
    np.testing.assert_allclose(attention_entropy(np.eye(5)), 0.0)
    np.testing.assert_allclose(attention_entropy(np.full((2, 8), 1 / 8)), 3.0)
    assert attention_entropy(np.zeros(4)) == 0.0  # a fully masked row: no attention, no entropy, no NaN


def test_hand_built_heads_are_sharper_than_random_ones():
    _, feats = sentence("The cat sat on the mat because it was tired")
    e = attention_entropy(run(feats, 64, 8)[0].weights).mean(axis=1)  # [8]
    assert e[HEAD["previous word"]] < e[4:].min()


# ---- cost -------------------------------------------------------------------------------------------------------


@PROPERTY
@given(st.integers(1, 64), st.integers(1, 16), st.integers(1, 64))
def test_cost_is_the_same_for_every_head_count(d_head, n_heads, n):
    d = d_head * n_heads
    params = multi_head_parameters(d, n_heads)
    assert sum(params.values()) == 4 * d * d
    assert params == {"W_Q": d * d, "W_K": d * d, "W_V": d * d, "W_O": d * d}
    assert sum(multi_head_multiply_adds(n, d, n_heads).values()) == 4 * n * d * d + 2 * n * n * d
    assert sum(multi_head_parameters(d, n_heads, d_head=d).values()) == 4 * n_heads * d * d  # full-width heads


def test_multiply_adds_match_counting_the_matrix_products():
    n, d, h = 7, 32, 4
    e = d // h
    # every [a, b] @ [b, c] product costs a * b * c multiply-adds
    count = h * (3 * n * d * e + n * e * n + n * n * e) + n * (h * e) * d
    assert sum(multi_head_multiply_adds(n, d, h).values()) == count


# ---- the word to follow first -----------------------------------------------------------------------------------


def test_default_focus():
    first = {text: prepare(text).tokens for text in PRESETS.values()}
    picks = {text: tokens[default_focus(tokens)] for text, tokens in first.items()}
    assert picks["The cat sat on the mat because it was tired"] == "it"
    assert picks["The report that the client who called yesterday requested is ready."] == "who"
    assert default_focus([]) == 0
    assert default_focus(["zzqx", "🙂"]) == 0
