"""Hand-built attention heads a learner can read, next to seeded random ones; per-head entropy; cost formulas.

Trained heads learn their W_Q, W_K, W_V from data. Here four heads are written by hand, each as specific W_Q/W_K/W_V
blocks over the named feature columns of lessons.embeddings, so the pattern each one draws can be explained
word by word. They are packed into an ordinary MultiHeadParams, so the page runs the real multi_head_attention.

The model input x [n, d_model] (see `model_input`):
    columns 0 .. E-1         the word's readable features, E = len(FEATURE_NAMES) = 16, copied unchanged
    columns E .. d_model-1   its position: sinusoidal_positional_encoding(n, d_model - E), or zeros with positions off
Vaswani et al. *add* the position code to the embedding. We *concatenate* instead, so that a head reading the
"pronoun" column gets no position noise, and a head reading positions gets no word noise. That is the deterministic
map from the 16-wide embedding to any d_model >= E + 2: the spare columns carry the position.

How the previous-word head finds the word before, with nothing but these columns:
    each pair of position columns (2i, 2i+1) holds (sin w_i p, cos w_i p): a point on a circle, turned by angle w_i
    per position. Turning position p's point back by one step, (sin w_i (p-1), cos w_i (p-1)), is a fixed 2x2 rotation,
    i.e. a linear map, so it fits in W_Q. W_K copies the pair unchanged. Their dot product is cos(w_i (p - 1 - j)),
    largest when j = p - 1. The head uses only slow pairs (w_i <= pi / MAX_POSITIONS), where that cosine falls
    steadily over the whole sentence, and scales them so that the word one step further away trails by MARGIN logits.
    The first word has no word before it; its nearest candidate is itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from attention_core.checks import numeric_input, positive_int
from attention_core.multi_head import MultiHeadParams
from attention_core.positional import sinusoidal_positional_encoding
from lessons.embeddings import FEATURE_NAMES, MAX_TOKENS, in_lexicon, word_vector

__all__ = [
    "N_FEATURES", "MAX_POSITIONS", "MARGIN", "TOPICS", "HeadInfo", "HAND_BUILT",
    "column_names", "model_input", "previous_word_pairs", "build_heads", "attention_entropy",
    "multi_head_parameters", "multi_head_multiply_adds", "default_focus",
]

N_FEATURES = len(FEATURE_NAMES)  # E: the embedding width, 16
MAX_POSITIONS = MAX_TOKENS  # the previous-word head is exact for sentences up to this long
MARGIN = 4.0  # logits by which a hand-built head prefers its target over the runner-up kind of word

_F = {name: i for i, name in enumerate(FEATURE_NAMES)}
TOPICS = ("animate", "person", "fruit", "company", "work", "object", "place", "time", "state")


class HeadInfo(NamedTuple):
    name: str  # short label: "previous word", "random (seed 3, #5)"
    kind: str  # "hand-built" or "random"
    looks_for: str  # one line for the learner, plain words


def column_names(d_model: int) -> list[str]:
    """Labels of the d_model columns of `model_input`: the feature names, then 'pos 0', 'pos 1', ..."""
    d_model = _check_d_model(d_model)
    return list(FEATURE_NAMES) + [f"pos {i}" for i in range(d_model - N_FEATURES)]


def model_input(features, d_model: int, positions: bool = True) -> np.ndarray:
    """[n, E] word features -> [n, d_model]: features first, then the sinusoidal position code (or zeros)."""
    features = numeric_input(features, "features", 2, "[n, E]")
    if features.ndim != 2 or features.shape[1] != N_FEATURES:
        raise ValueError(f"features must be [n, {N_FEATURES}] (one column per feature name), got {features.shape}")
    d_model = _check_d_model(d_model)
    n = features.shape[0]
    pos = sinusoidal_positional_encoding(n, d_model - N_FEATURES)  # [n, d_model - E]
    return np.concatenate([features, pos if positions else np.zeros_like(pos)], axis=1)  # [n, d_model]


def _check_d_model(d_model: int) -> int:
    d_model = positive_int(d_model, "d_model")
    if d_model < N_FEATURES + 2:
        raise ValueError(
            f"d_model = {d_model} leaves no room for positions: it must exceed the {N_FEATURES} feature columns by >= 2"
        )
    return d_model


# ---- the hand-built heads ---------------------------------------------------------------------------------------
# Each builder returns (w_q, w_k): [d_model, d_head] each, designed so that q . k is the logit the head should have.
# multi_head_attention divides q . k by sqrt(d_head); build_heads multiplies w_q by sqrt(d_head) to cancel that.


def _feature_block(d_model: int, d_head: int, columns: list[dict[str, float]]) -> np.ndarray:
    """[d_model, d_head]: output column c is the weighted sum of the named features in columns[c]."""
    w = np.zeros((d_model, d_head))
    for c, mix in enumerate(columns):
        for name, weight in mix.items():
            w[_F[name], c] = weight
    return w


def _pronoun_to_noun(d_model: int, d_head: int) -> tuple[np.ndarray, np.ndarray]:
    # logit = s * pronoun(query) * (noun + 0.2 animate + 0.2 person)(key): a pronoun asks for nouns, living ones first,
    # since "it" in the blog's sentences stands for an animal. Words that are not pronouns ask nothing: even spread.
    s = MARGIN / 2.7  # lexicon scale 1.5: "it" vs "cat" gives 1.5 * s * 2.4 = 5.3, vs "mat" 1.5 * s * 1.5 = 3.3
    w_q = _feature_block(d_model, d_head, [{"pronoun": s}])
    w_k = _feature_block(d_model, d_head, [{"noun": 1.0, "animate": 0.2, "person": 0.2}])
    return w_q, w_k


NEARBY_STEP = 0.25  # logits the verb head takes off per step of distance, squared: 1 step 0.25, 5 steps about 6


def _verb_and_arguments(d_model: int, d_head: int) -> tuple[np.ndarray, np.ndarray]:
    # logit = s * (verb(q) * nounish(k) + nounish(q) * verb(k)) - nearness cost, nounish = noun + pronoun: a
    # symmetric pair of links between a word and the *nearest* verb or argument. Feature kind alone would send "it"
    # in "the cat sat ... because it was tired" to "sat", the strongest verb of the lexicon, which is the cat's
    # verb; the nearness term (cos w(p - j) summed over slow position pairs, ~ -(p - j)^2, symmetric in p and j)
    # makes it "was", its own. Heads narrower than 4 columns have no room for positions and keep the kind alone.
    s = MARGIN / 2.7
    w_q = _feature_block(d_model, d_head, [{"verb": s}, {"noun": s, "pronoun": s}])
    w_k = _feature_block(d_model, d_head, [{"noun": 1.0, "pronoun": 1.0}, {"verb": 1.0}])
    n_pairs = (d_head - 2) // 2
    if n_pairs < 1:
        return w_q, w_k
    d_pos = d_model - N_FEATURES
    pairs = previous_word_pairs(d_model, 2 * n_pairs)
    steps = 10000.0 ** (-pairs * 2 / d_pos)  # [k]
    c = NEARBY_STEP / float(np.sum(1 - np.cos(steps)))  # one step of distance costs NEARBY_STEP logits
    for m, i in enumerate(pairs):
        s_col, c_col = N_FEATURES + 2 * i, N_FEATURES + 2 * i + 1  # sin and cos columns of pair i
        w_q[s_col, 2 + 2 * m], w_q[c_col, 2 + 2 * m + 1] = c, c
        w_k[s_col, 2 + 2 * m], w_k[c_col, 2 + 2 * m + 1] = 1.0, 1.0
    return w_q, w_k


def _same_topic(d_model: int, d_head: int) -> tuple[np.ndarray, np.ndarray]:
    # logit = s * sum over topic features of topic(q) * topic(k): words about the same kind of thing, itself included.
    # With fewer than 9 columns the head keeps the first topics of TOPICS (a smaller head sees less).
    s = 0.2
    topics = TOPICS[:d_head]
    w_q = _feature_block(d_model, d_head, [{t: s} for t in topics])
    w_k = _feature_block(d_model, d_head, [{t: 1.0} for t in topics])
    return w_q, w_k


def previous_word_pairs(d_model: int, d_head: int) -> np.ndarray:
    """Indices i of the position pairs the previous-word head reads: the fastest ones with w_i <= pi / MAX_POSITIONS."""
    d_pos = _check_d_model(d_model) - N_FEATURES
    steps = 10000.0 ** (-np.arange(d_pos // 2) * 2 / d_pos)  # [d_pos // 2], as in sinusoidal_positional_encoding
    slow = np.flatnonzero(steps <= np.pi / MAX_POSITIONS)  # cos(w * delta) falls steadily for |delta| <= 40
    return slow[: max(1, d_head // 2)]  # pair indices i, fastest first


def _previous_word(d_model: int, d_head: int) -> tuple[np.ndarray, np.ndarray]:
    d_pos = d_model - N_FEATURES
    pairs = previous_word_pairs(d_model, d_head)
    steps = 10000.0 ** (-pairs * 2 / d_pos)  # [k]
    # One position step away from the target costs sum_i (1 - cos w_i); scale that up to MARGIN logits.
    c = MARGIN / float(np.sum(1 - np.cos(steps)))
    w_q, w_k = np.zeros((d_model, d_head)), np.zeros((d_model, d_head))
    if d_head < 2:  # a 1-wide head cannot hold a rotation; it stays blind (no width the page offers)
        return w_q, w_k
    for m, (i, w) in enumerate(zip(pairs, steps, strict=True)):
        s_col, c_col = N_FEATURES + 2 * i, N_FEATURES + 2 * i + 1  # sin and cos columns of pair i
        # q = (sin w(p-1), cos w(p-1)) = (sin wp cos w - cos wp sin w, cos wp cos w + sin wp sin w)
        w_q[s_col, 2 * m], w_q[c_col, 2 * m] = c * np.cos(w), -c * np.sin(w)
        w_q[s_col, 2 * m + 1], w_q[c_col, 2 * m + 1] = c * np.sin(w), c * np.cos(w)
        w_k[s_col, 2 * m], w_k[c_col, 2 * m + 1] = 1.0, 1.0
    return w_q, w_k


class _HandBuilt(NamedTuple):
    info: HeadInfo
    build: Callable[[int, int], tuple[np.ndarray, np.ndarray]]
    carries: tuple[str, ...]  # features its value vectors pass on, most important first


HAND_BUILT: tuple[_HandBuilt, ...] = (
    _HandBuilt(HeadInfo("pronoun → noun", "hand-built", "a pronoun looks for the nouns it could stand for"),
               _pronoun_to_noun, ("noun", "animate", "person", "object")),
    _HandBuilt(HeadInfo("previous word", "hand-built", "every word looks one step back, using only positions"),
               _previous_word, ()),
    _HandBuilt(HeadInfo("verb ↔ subject/object", "hand-built",
                        "verbs look at the nearest noun or pronoun, and nouns and pronouns at the nearest verb"),
               _verb_and_arguments, ("noun", "verb", "pronoun")),
    _HandBuilt(HeadInfo("same topic", "hand-built", "words look at words about the same kind of thing"),
               _same_topic, TOPICS),
)


def _carry_block(d_model: int, d_head: int, carries: tuple[str, ...]) -> np.ndarray:
    """[d_model, d_head] 0/1: value column c copies one feature, `carries` first, then the rest in feature order."""
    order = list(carries) + [f for f in FEATURE_NAMES if f not in carries]
    return _feature_block(d_model, d_head, [{f: 1.0} for f in order[:d_head]])


def build_heads(d_model: int, n_heads: int, seed: int = 0, hand_built: bool = True
                ) -> tuple[MultiHeadParams, tuple[HeadInfo, ...]]:
    """Params for multi_head_attention with d_head = d_model // n_heads, and a label for every head.

    With hand_built, the first min(n_heads, 4) heads are the HAND_BUILT ones; every other head is the matching slice
    of MultiHeadParams.random(d_model, n_heads, seed), so hand_built=False gives exactly that. A hand-built head's
    value block copies the features it carries and its rows of W_O write them back into the same feature columns.
    """
    d_model = _check_d_model(d_model)
    n_heads = positive_int(n_heads, "n_heads")
    params = MultiHeadParams.random(d_model, n_heads, seed)  # checks that n_heads divides d_model
    d_head = params.d_head
    w_q, w_k, w_v, w_o = (w.copy() for w in params)
    infos = [HeadInfo(f"random #{i + 1}", "random", f"seeded random query, key and value weights (seed {seed})")
             for i in range(n_heads)]
    for h, spec in enumerate(HAND_BUILT[:n_heads] if hand_built else ()):
        q, k = spec.build(d_model, d_head)  # [d_model, d_head] each
        w_q[h], w_k[h] = q * np.sqrt(d_head), k  # cancel the 1/sqrt(d_head) inside the attention
        w_v[h] = _carry_block(d_model, d_head, spec.carries)  # [d_model, d_head]
        w_o[h * d_head:(h + 1) * d_head] = w_v[h].T  # [d_head, d_model]: write each carried feature back
        infos[h] = spec.info
    return MultiHeadParams(w_q, w_k, w_v, w_o), tuple(infos)


# ---- reading the weights ----------------------------------------------------------------------------------------


def attention_entropy(weights) -> np.ndarray:
    """[..., m] -> [...]: entropy in bits of each row, -sum w log2 w (0 log 0 = 0). 0 = one key; log2(m) = even."""
    w = numeric_input(weights, "weights", 1, "[..., m]")
    if (w < 0).any():
        raise ValueError(f"weights must be >= 0, got a minimum of {w.min()} in shape {w.shape}")
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(w > 0, -w * np.log2(np.where(w > 0, w, 1.0)), 0.0)  # [..., m]
    return np.maximum(terms.sum(axis=-1), 0.0)  # rounding can give -1e-17 for a one-hot row


# ---- cost: parameters and multiply-adds -------------------------------------------------------------------------


def _layout(d_model: int, n_heads: int, d_head: int | None) -> tuple[int, int, int]:
    d_model = positive_int(d_model, "d_model")
    n_heads = positive_int(n_heads, "n_heads")
    if d_head is None:
        if d_model % n_heads:
            raise ValueError(f"n_heads = {n_heads} does not divide d_model = {d_model}; pass d_head explicitly")
        d_head = d_model // n_heads
    return d_model, n_heads, positive_int(d_head, "d_head")


def multi_head_parameters(d_model: int, n_heads: int, d_head: int | None = None) -> dict[str, int]:
    """Weights per matrix (no biases). With d_head = d_model / h (the default) they add up to 4 d_model², for any h."""
    d, h, e = _layout(d_model, n_heads, d_head)
    return {"W_Q": h * d * e, "W_K": h * d * e, "W_V": h * d * e, "W_O": h * e * d}


def multi_head_multiply_adds(n: int, d_model: int, n_heads: int, d_head: int | None = None) -> dict[str, int]:
    """Multiply-adds for self-attention over n words, per step: with d_head = d_model / h, 4 n d² + 2 n² d for any h."""
    n = positive_int(n, "n")
    d, h, e = _layout(d_model, n_heads, d_head)
    return {
        "Q, K, V projections": 3 * n * d * h * e,  # three [n, d] @ [d, e] per head
        "scores Q·Kᵀ": h * n * n * e,  # [n, e] @ [e, n] per head
        "weights · V": h * n * n * e,  # [n, n] @ [n, e] per head
        "W_O": n * h * e * d,  # [n, h e] @ [h e, d]
    }


def default_focus(tokens: list[str]) -> int:
    """Index of the word worth following first: the first pronoun of the lexicon, else the first noun, else 0."""
    for feature in ("pronoun", "noun"):
        for i, t in enumerate(tokens):
            if in_lexicon(t) and word_vector(t)[_F[feature]] > 1.0:  # lexicon scale 1.5: a full-strength feature
                return i
    return 0
