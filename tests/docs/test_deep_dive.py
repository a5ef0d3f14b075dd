"""ATTENTION_MATH_DEEP_DIVE.md, checked: every worked example is recomputed here with attention_core.

Each worked example in the document is a fenced ```text block right after a marker line `<!-- check: ID -->`. For
every ID this module has a function that recomputes the example with attention_core and renders the block; the
test demands that the document's block equal the rendering character for character, so every number is checked to
the digits shown. The set of IDs in the document must equal the set known here (no example can be dropped or
added unchecked), and no decimal number may appear in the document outside a checked block. The ```python blocks
between `<!-- code: … -->` and `<!-- /code -->` are the kernel's own source, checked by test_deep_dive_code.py; the
prose checks here leave them out.

    python -m tests.docs.test_deep_dive              # print every example as the library computes it now
    python -m tests.docs.test_deep_dive masking      # just one
    python -m tests.docs.test_deep_dive --count      # how many examples and printed numbers are checked
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from attention_core import (
    MultiHeadParams,
    additive_attention,
    causal_mask,
    multi_head_attention,
    padding_mask,
    scaled_dot_product_attention,
    self_attention,
    sinusoidal_positional_encoding,
    softmax,
    split_heads,
)
from tests.docs.deep_dive_code import REGION
from tests.docs.latex_support import formulas, problems

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "ATTENTION_MATH_DEEP_DIVE.md"

# The anchors the pages and the quiz link to. Renaming a heading breaks their links, so it must break this list too.
STABLE_ANCHORS = (
    "the-rnn-encoder-and-its-bottleneck",
    "bahdanau-additive-attention",
    "luong-dot-product-attention",
    "scaled-dot-product-attention",
    "queries-keys-and-values",
    "masking",
    "multi-head-attention",
    "complexity-recurrent-versus-self-attention",
    "sinusoidal-positional-encoding",
    "online-softmax-and-chunked-attention",
    "the-gradient-of-softmax",
    "how-a-head-learns-what-it-refers-to",
    "shortcut-learning-and-held-out-sets",
)

MARKER = re.compile(r"<!-- check: ([a-z0-9-]+) -->\n```text\n(.*?)```", re.S)
FENCE = re.compile(r"^[ \t]*```.*?^[ \t]*```", re.S | re.M)  # ```text examples, ```math formulas, in lists too
NUMBER = re.compile(r"(?<![\w.])[-+]?\d+(?:,\d{3})*(?:\.\d+)?(?:e[-+]\d+)?")
DECIMAL = re.compile(r"\d\.\d")


# ---------------------------------------------------------------------------------------------------------------
# Rendering helpers: fixed formats, so that "the digits shown" is a property of the rendering, not of luck.


def num(x: float, d: int = 4) -> str:
    s = f"{float(x):.{d}f}"
    return s[1:] if s.startswith("-") and float(s) == 0 else s  # never print -0.0000


def sci(x: float, digits: int = 3) -> str:
    """Significant digits: 0.000953674 -> '9.537e-04' with digits=4."""
    return f"{float(x):.{digits - 1}e}"


def vec(a, d: int = 4) -> str:
    return "[" + ", ".join(num(x, d) for x in np.ravel(a)) + "]"


def mat(a, d: int = 4, indent: int = 2, labels=None) -> str:
    """A 2-D array as aligned rows; optional row labels."""
    a = np.atleast_2d(np.asarray(a, dtype=float))
    cells = [[num(x, d) for x in row] for row in a]
    width = max(len(c) for row in cells for c in row)
    lab_w = max((len(str(s)) for s in labels), default=0) if labels is not None else 0
    lines = []
    for i, row in enumerate(cells):
        lead = f"{labels[i]:<{lab_w}}  " if labels is not None else ""
        lines.append(" " * indent + lead + "[" + "  ".join(c.rjust(width) for c in row) + "]")
    return "\n".join(lines)


def shape(a) -> str:
    return "[" + ", ".join(str(s) for s in np.shape(a)) + "]"


def lines(*parts: str) -> str:
    return "\n".join(parts) + "\n"


# ---------------------------------------------------------------------------------------------------------------
# The examples. Each returns the exact text of its block; `assert`s inside keep the prose's claims true.

EXAMPLES: dict[str, Callable[[], str]] = {}


def example(example_id: str):
    def register(fn: Callable[[], str]) -> Callable[[], str]:
        EXAMPLES[example_id] = fn
        return fn

    return register


@example("rnn-scalar-chain")
def _rnn_scalar_chain() -> str:
    from models.rnn import jacobian_product

    gaps, ws = (1, 5, 10, 20), (0.5, 1.0, 1.5)
    rows = []
    for gap in gaps:
        # a one-unit linear RNN: every step Jacobian is the 1x1 matrix [[w]]; t = -1 means "from h_0"
        vals = [float(jacobian_product(np.full((gap, 1, 1), w), -1)[0, 0]) for w in ws]
        rows.append(f"  {gap:>7}  " + "  ".join(sci(v, 4).rjust(10) for v in vals))
    return lines(
        "dh_n/dh_t for h_k = w * h_(k-1), a product of n - t equal factors",
        "  n - t  " + "  ".join(f"w = {w:.1f}".rjust(10) for w in ws),
        *rows,
    )


def _elman_setup():
    from models.rnn import elman_init

    rng = np.random.default_rng(7)
    x = rng.standard_normal((20, 3))  # [T, E]: 20 steps of 3 input features
    return x, {rho: elman_init(3, 8, rho, seed=1) for rho in (0.5, 1.0, 1.5)}


@example("rnn-elman-jacobian")
def _rnn_elman_jacobian() -> str:
    from models.rnn import elman_step_jacobians, jacobian_product, spectral_radius

    x, nets = _elman_setup()
    n = x.shape[0]
    gaps = (1, 5, 10, 19)
    out = [f"Elman RNN, H = 8, E = 3, n = {n} steps; spectral norm of dh_n/dh_t (t = n - gap)",
           "  rho(W_h)  sigma_max(W_h)  " + "  ".join(f"gap {g:>2}".rjust(9) for g in gaps)]
    for rho, p in nets.items():
        jac = elman_step_jacobians(p, x)  # [n, H, H]
        # states[t] is h_(t+1); dh_n/dh_(n-g) is the product of the last g step Jacobians
        norms = [float(np.linalg.norm(jacobian_product(jac, n - 1 - g), 2)) for g in gaps]
        sigma = float(np.linalg.norm(p.w_h, 2))
        assert abs(spectral_radius(p.w_h) - rho) < 1e-9
        for g, v in zip(gaps, norms, strict=True):
            assert v <= sigma**g * (1 + 1e-9)  # the bound derived in the text
        if rho < 1:  # the prose: one step can exceed 1, yet the influence falls by orders of magnitude
            assert norms[0] > 1 and norms[-1] < 1e-4 * norms[0]
        if rho > 1:  # the prose: it grows, but far more slowly than rho ** 19
            assert norms[-1] > norms[0] and norms[-1] < 1e-2 * rho**19
        out.append(f"  {spectral_radius(p.w_h):>8.2f}  {sigma:>14.3f}  " + "  ".join(sci(v, 3).rjust(9) for v in norms))
    return lines(*out)


@example("rnn-fixed-summary")
def _rnn_fixed_summary() -> str:
    from models.rnn import elman_forward

    _, nets = _elman_setup()
    p = nets[1.0]
    rng = np.random.default_rng(3)
    out = ["numbers the decoder receives without attention (H = 8)"]
    for n in (5, 20, 80):
        states = elman_forward(p, rng.standard_normal((n, 3)))  # [n, H]
        out.append(f"  sentence of {n:>2} steps: encoder states {shape(states)}, final state {shape(states[-1])}")
    return lines(*out)


# Bahdanau and Luong share one tiny problem: a decoder state s and three encoder states h_1..h_3 (keys = values).
S = np.array([[1.0, 0.5]])  # [1, 2]
H_ENC = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])  # [3, 2]
W_Q = np.array([[0.5, -1.0], [1.0, 0.5]])  # [2, 2]
W_K = np.array([[1.0, 0.5], [-0.5, 1.0]])  # [2, 2]
V_A = np.array([1.0, -1.0])  # [2]


def _rows(a, d: int = 1) -> str:
    """A small matrix on one line: [[0.5, -1.0], [1.0, 0.5]]."""
    return "[" + ", ".join(vec(r, d) for r in np.atleast_2d(a)) + "]"


@example("bahdanau")
def _bahdanau() -> str:
    res = additive_attention(S, H_ENC, H_ENC, W_Q, W_K, V_A)
    sq = S @ W_Q  # [1, 2]
    hk = H_ENC @ W_K  # [3, 2]
    hidden = np.tanh(sq + hk)  # [3, 2]
    e = hidden @ V_A  # [3]
    np.testing.assert_allclose(e, res.scores[0], rtol=0, atol=1e-12)  # the steps agree with the library
    assert np.argmax(res.weights[0]) == 0 and np.argmin(np.abs(res.output[0] - H_ENC).sum(1)) == 0  # prose
    assert np.argmax(hidden[:, 0]) == 0 and list(hidden[:, 1] < 0) == [True, False, False]  # prose
    return lines(
        f"s = {vec(S, 1)}   h_1 = {vec(H_ENC[0], 1)}   h_2 = {vec(H_ENC[1], 1)}   h_3 = {vec(H_ENC[2], 1)}",
        f"W_q = {_rows(W_Q)}   W_k = {_rows(W_K)}   v_a = {vec(V_A, 1)}",
        f"s W_q           = {vec(sq, 2)}",
        "h_j W_k         =",
        mat(hk, 2, labels=("h_1", "h_2", "h_3")),
        "tanh(s W_q + h_j W_k) =",
        mat(hidden, 4, labels=("h_1", "h_2", "h_3")),
        f"e = v_a . tanh  = {vec(res.scores[0])}",
        f"a = softmax(e)  = {vec(res.weights[0])}",
        f"c = sum a_j h_j = {vec(res.output[0])}",
    )


@example("rnnsearch-shipped")
def _rnnsearch_shipped() -> str:
    from models import seq2seq, toy_tamil
    from models.rnn import gru_step

    model = seq2seq.load_model("attention")
    p, cfg = model.params, model.config
    src = toy_tamil.BLOG_SOURCE
    ann = seq2seq.encoder_states(model, src)  # [S, H] = [→h_j; ←h_j]
    half = cfg.enc_hidden
    s0 = np.tanh(ann[0, half:] @ p["init_w"] + p["init_b"])  # s_0 = tanh(←h_1 W_s + b_s)
    att = additive_attention(s0[None], ann, ann, p["att_w_q"], p["att_w_k"], p["att_v"])  # [1, H] query
    e, a, c = att.scores[0], att.weights[0], att.output[0]
    y0 = p["tgt_emb"][1]  # <s>
    s1 = gru_step(seq2seq.model.gru_params(p, "dec"), np.concatenate([y0, c])[None], s0[None])[0]
    feat = np.concatenate([s1, y0, c])
    t1, logits = seq2seq.model.output_layer(p, feat)
    prob = softmax(logits)
    word = model.tgt_vocab[int(np.argmax(prob))]
    states = seq2seq.attention_states(model, src)  # the library's own run agrees with this one by hand
    np.testing.assert_allclose(states.queries[0], s0, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(states.weights[0], a, rtol=1e-4, atol=1e-6)
    assert states.target[0] == word == "can" and int(np.argmax(a)) == len(src) - 1  # prose: "can" reads முடியுமா
    baseline = seq2seq.load_model("no_attention")  # the shipped RNNencdec: the same sizes, c = h_n at every step
    assert baseline.params["dec_w_x"].shape == p["dec_w_x"].shape and baseline.params["out_w_c"].shape == p["out_w_c"].shape
    n_par = {m.name: seq2seq.parameter_count(m) for m in (model, baseline)}
    dec_in, out_in = p["dec_w_x"].shape[0], p["out_w_c"].shape[0]
    return lines(
        f"source: {len(src)} tokens, embeddings x_j {shape(p['src_emb'][0])}",
        f"encoder  →h_j, ←h_j {shape(ann[0, :half])} each   GRU W_x {shape(p['enc_w_x'])}, W_h {shape(p['enc_w_h'])}"
        " per direction",
        f"         annotations h_j = [→h_j; ←h_j] {shape(ann)}",
        f"init     s_0 = tanh(←h_1 W_s + b_s)   W_s {shape(p['init_w'])} -> s_0 {shape(s0)}",
        f"score    W_a {shape(p['att_w_q'])}   U_a {shape(p['att_w_k'])}   v_a {shape(p['att_v'])}",
        f"  e_1j = v_a . tanh(s_0 W_a + h_j U_a) = {vec(e, 3)}",
        f"  a_1j = softmax(e_1)                = {vec(a, 4)}",
        f"  c_1 = sum a_1j h_j {shape(c)}",
        f"state    s_1 = GRU([E y_0; c_1], s_0)   input {cfg.emb} + {cfg.hidden} = {dec_in}, "
        f"W_x {shape(p['dec_w_x'])}, W_h {shape(p['dec_w_h'])}",
        f"output   t_1 = tanh([s_1; E y_0; c_1] W_c + b_c)   {cfg.hidden} + {cfg.emb} + {cfg.hidden} = {out_in}, "
        f"W_c {shape(p['out_w_c'])} -> t_1 {shape(t1)}",
        f"         softmax(t_1 W_o + b_o)   W_o {shape(p['out_w'])}: y_1 = {word} with p = {num(prob.max(), 4)}",
        f"parameters: attention model {n_par['attention']:,}, without attention {n_par['no_attention']:,}",
    )


@example("bottleneck-shipped")
def _bottleneck_shipped() -> str:
    from models import seq2seq, toy_tamil
    from models.seq2seq import stored

    test = toy_tamil.held_out_set()
    names = ("no_attention", "attention")
    models = {n: seq2seq.load_model(n) for n in names}
    steps = {n: seq2seq.training_settings(seq2seq.weights_path(n))["steps"] for n in names}
    exact = {n: seq2seq.decoding.accuracy(stored.stored_exact(n, test), test) for n in names}
    bleu = {n: seq2seq.bleu_by_bucket(stored.stored_bleu(n, test), test) for n in names}
    buckets = list(bleu["attention"])
    first, last = buckets[0], buckets[-1]
    # the prose: without attention BLEU falls by more than 40 % from the shortest to the longest sentences, but stays
    # above zero; with attention it holds (at least 90 % of its short-sentence score); the training is the same
    assert 0 < bleu["no_attention"][last] <= 0.6 * bleu["no_attention"][first]
    assert bleu["attention"][last] >= 0.9 * bleu["attention"][first]
    assert steps["attention"] == steps["no_attention"]
    drop = {"bleu": bleu["no_attention"][last] / bleu["no_attention"][first],
            "exact": exact["no_attention"][last] / exact["no_attention"][first]}
    assert drop["exact"] < drop["bleu"]  # the prose: exact match falls further
    out = [f"{len(test):,} held-out sentences, {len(test) // len(buckets)} per length bucket; "
           "columns: without attention (RNNencdec) | with attention (RNNsearch)",
           f"parameters            {seq2seq.parameter_count(models['no_attention']):>9,} | "
           f"{seq2seq.parameter_count(models['attention']):,}",
           f"training steps        {steps['no_attention']:>9,} | {steps['attention']:,}"]
    out += [f"{b + ' tokens':<12}  BLEU {bleu['no_attention'][b]:>5.1f}, {exact['no_attention'][b]:>6.1%} exact | "
            f"BLEU {bleu['attention'][b]:.1f}, {exact['attention'][b]:.1%} exact" for b in buckets]
    return lines(*out)


@example("luong")
def _luong() -> str:
    dot = scaled_dot_product_attention(S, H_ENC, H_ENC, scale=1.0)
    w_a = np.array([[0.0, 1.0], [1.0, 0.0]])  # [2, 2] a learned W_a for the "general" score s W_a h^T
    general = scaled_dot_product_attention(S @ w_a, H_ENC, H_ENC, scale=1.0)
    assert np.argmax(dot.weights[0]) == 2 and dot.weights[0, 0] > dot.weights[0, 1]  # prose: prefers h_3 ...
    assert general.weights[0, 1] > general.weights[0, 0]  # ... and W_a swaps h_1 and h_2
    return lines(
        f"s = {vec(S, 1)}, h_1..h_3 as above (keys = values); no scaling",
        "dot:      e_j = s . h_j",
        f"  e = {vec(dot.scores[0], 2)}   a = {vec(dot.weights[0])}   c = {vec(dot.output[0])}",
        f"general:  e_j = s W_a h_j^T with W_a = {_rows(w_a, 0)}",
        f"  e = {vec(general.scores[0], 2)}   a = {vec(general.weights[0])}   c = {vec(general.output[0])}",
    )


@example("sqrt-d-variance")
def _sqrt_d_variance() -> str:
    rng = np.random.default_rng(0)
    out = ["200 random queries x 200 random keys, components N(0, 1); spread of the 40,000 scores",
           "     d   sqrt(d)   std(q.k)   std(q.k / sqrt(d))"]
    for d in (4, 64, 512):
        q, k = rng.standard_normal((200, d)), rng.standard_normal((200, d))
        res = scaled_dot_product_attention(q, k, k)
        assert abs(res.scores.std() / np.sqrt(d) - 1) < 0.05 and abs(res.logits.std() - 1) < 0.05
        out.append(f"  {d:>4}  {np.sqrt(d):>8.2f}  {res.scores.std():>9.2f}  {res.logits.std():>19.2f}")
    return lines(*out)


@example("init-variance")
def _init_variance() -> str:
    """The same variance argument in weight initialisation: y = x W sums d products, like a score does."""
    rng = np.random.default_rng(1)
    out = ["1,000 inputs x with components N(0, 1) through a random d x d layer y = x W; spread of y",
           "     d   std(y), W ~ N(0, 1)   std(y), W ~ N(0, 1/d)   rms(relu(y)), W ~ N(0, 2/d)"]
    for d in (64, 512):
        x = rng.standard_normal((1000, d))  # [1000, d]
        w = rng.standard_normal((d, d))  # [d, d]
        plain, xavier = x @ w, x @ (w / np.sqrt(d))  # [1000, d] each
        he = np.maximum(x @ (w * np.sqrt(2 / d)), 0)  # [1000, d]; ReLU keeps half the variance, He doubles it back
        he_rms = np.sqrt((he ** 2).mean())  # the second moment is what the next layer's sum adds up
        assert abs(plain.std() / np.sqrt(d) - 1) < 0.05 and abs(xavier.std() - 1) < 0.05 and abs(he_rms - 1) < 0.05
        out.append(f"  {d:>4}  {plain.std():>20.2f}  {xavier.std():>22.2f}  {he_rms:>28.2f}")
    out.append("  (last column: root mean square of relu(y), the spread the next layer receives)")
    return lines(*out)


@example("saturation")
def _saturation() -> str:
    z = np.array([2.0, 1.0, 0.0])  # [3]
    out = [f"scores z = {vec(z, 0)} multiplied by c; weights = softmax(c z)"]
    for c in (1, 4, 8):
        w = softmax(c * z)
        out.append(f"  c = {c}:  {vec(w, 6)}")
    return lines(*out)


@example("temperature")
def _temperature() -> str:
    q = np.array([[1.0]])  # [1, 1]; with these keys the raw scores are exactly [2, 1, 0]
    k = np.array([[2.0], [1.0], [0.0]])  # [3, 1]
    res = scaled_dot_product_attention(q, k, k, scale=1.0)
    out = [f"scores {vec(res.scores[0], 0)}; weights = softmax(scores / T)"]
    for t in (0.25, 1.0, 4.0):
        w = scaled_dot_product_attention(q, k, k, scale=1.0, temperature=t).weights[0]
        np.testing.assert_allclose(w, softmax(res.scores[0] / t))  # T = 1/4 is the saturation example's c = 4
        out.append(f"  T = {t:<4}  {vec(w)}")
    return lines(*out)


# Q/K/V: three tokens with d_model = 4, projected to d_k = 2 and d_v = 3.
X = np.array([[1.0, 0.0, 1.0, 0.0], [0.0, 2.0, 0.0, 1.0], [1.0, 1.0, 0.0, 1.0]])  # [3, 4]
Y = np.array([[0.0, 1.0, 0.0, 1.0], [1.0, 0.0, 0.0, 0.0]])  # [2, 4] a second sequence (the decoder side)
WQ = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0], [0.0, 1.0]])  # [4, 2]
WK = np.array([[0.0, 1.0], [1.0, 0.0], [0.0, 1.0], [1.0, 0.0]])  # [4, 2]
WV = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [1.0, 0.0, 0.0]])  # [4, 3]


@example("shared-projection")
def _shared_projection() -> str:
    """One projection for queries and keys (here the identity, as on the Self-attention page): symmetric scores,
    asymmetric weights."""
    from lessons.embeddings import embed, prepare

    tokens = prepare("The cat sat on the mat because it was tired").tokens
    x = embed(tokens)  # [10, 16]; W_Q = W_K = W_V = I, so Q = K = V = x
    res = scaled_dot_product_attention(x, x, x)  # scale 1/sqrt(16)
    i, c = tokens.index("it"), tokens.index("cat")
    s = res.scores
    assert np.allclose(s, s.T)  # shared projection: symmetric scores ...
    assert res.weights[i, c] > 5 * res.weights[c, i]  # ... yet very different weights
    assert s[c, c] > s[i, c] > s[i, i]  # "cat" prefers itself, "it" prefers "cat"
    assert np.all(s <= np.maximum.outer(np.diag(s), np.diag(s)) + 1e-12)  # Cauchy-Schwarz bound
    return lines(
        f"\"{' '.join(tokens)}\", W_Q = W_K = W_V = identity, d_k = 16, scale 1/sqrt(16)",
        f"  score it.cat = {num(s[i, c], 2)}   score cat.it = {num(s[c, i], 2)}   (symmetric)",
        f"  score it.it  = {num(s[i, i], 2)}    score cat.cat = {num(s[c, c], 2)}",
        f"  weight it -> cat = {num(res.weights[i, c])}   weight cat -> it = {num(res.weights[c, i])}",
        f"  row it:  largest weight on {tokens[int(np.argmax(res.weights[i]))]!r}; "
        f"row cat: largest weight on {tokens[int(np.argmax(res.weights[c]))]!r}",
    )


@example("qkv-self-cross")
def _qkv_self_cross() -> str:
    self_res = self_attention(X, WQ, WK, WV)
    q_x, k_x, v_x = X @ WQ, X @ WK, X @ WV
    cross = scaled_dot_product_attention(Y @ WQ, k_x, v_x)
    return lines(
        f"X =\n{mat(X, 0)}",
        f"W_Q = {_rows(WQ, 0)}",
        f"W_K = {_rows(WK, 0)}",
        f"W_V = {_rows(WV, 0)}",
        f"Y = {_rows(Y, 0)}",
        f"self-attention, X {shape(X)}:",
        f"  Q = X W_Q {shape(q_x)}   K = X W_K {shape(k_x)}   V = X W_V {shape(v_x)}",
        f"  scores Q K^T {shape(self_res.scores)}, scale 1/sqrt(2), weights {shape(self_res.weights)}:",
        mat(self_res.weights, 4, indent=4),
        f"  output = weights V {shape(self_res.output)}:",
        mat(self_res.output, 4, indent=4),
        f"cross-attention, queries from Y {shape(Y)}, keys and values from X:",
        f"  Q = Y W_Q {shape(Y @ WQ)}   K = X W_K {shape(k_x)}   V = X W_V {shape(v_x)}",
        f"  weights {shape(cross.weights)}:",
        mat(cross.weights, 4, indent=4),
        f"  output {shape(cross.output)}:",
        mat(cross.output, 4, indent=4),
    )


@example("masking")
def _masking() -> str:
    q = np.array([[1.0], [2.0], [0.0], [1.0]])  # [4, 1]
    k = np.array([[1.0], [0.0], [2.0], [1.0]])  # [4, 1]
    v = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [2.0, 0.0]])  # [4, 2]
    causal = causal_mask(4)
    valid = np.array([False, True, True, True])  # position 1 is padding (a left-padded sequence)
    both = causal & padding_mask(valid)  # [4, 4] & [1, 4] -> [4, 4]
    plain = scaled_dot_product_attention(q, k, v, scale=1.0)
    c = scaled_dot_product_attention(q, k, v, mask=causal, scale=1.0)
    b = scaled_dot_product_attention(q, k, v, mask=both, scale=1.0)
    assert not np.isnan(b.output).any() and b.weights[0].sum() == 0.0 and not b.output[0].any()
    np.testing.assert_allclose(c.weights[2, :3], 1 / 3)  # the third query spreads evenly over what it may see
    return lines(
        f"q = {vec(q, 0)}   k = {vec(k, 0)}   (d_k = 1)   v = {_rows(v, 0)}",
        f"scores q k^T (scale 1) =\n{mat(plain.scores, 0)}",
        f"causal mask (1 = may attend) =\n{mat(causal.astype(int), 0)}",
        f"causal weights =\n{mat(c.weights, 4)}",
        f"causal + padding, valid = {[int(x) for x in valid]}, mask =\n{mat(both.astype(int), 0)}",
        f"weights =\n{mat(b.weights, 4)}",
        f"output =\n{mat(b.output, 4)}",
    )


@example("multi-head-dimensions")
def _multi_head_dimensions() -> str:
    from lessons.heads import multi_head_parameters

    d_model = 512
    out = [f"d_model = {d_model}", "  heads  d_head  W_Q+W_K+W_V+W_O weights"]
    for h in (1, 2, 4, 8, 16):
        p = MultiHeadParams.random(d_model, h, seed=0)
        total = sum(w.size for w in p)  # counted in the arrays themselves
        assert total == sum(multi_head_parameters(d_model, h).values()) == 4 * d_model**2
        out.append(f"  {h:>5}  {p.d_head:>6}  {total:>24,}")
    return lines(*out)


@example("multi-head-small")
def _multi_head_small() -> str:
    x = np.array([[1.0, 0.0, 1.0, 0.0], [0.0, 1.0, 0.0, 1.0], [1.0, 1.0, 0.0, 0.0]])  # [3, 4]
    p = MultiHeadParams.random(4, 2, seed=1)
    res = multi_head_attention(x, x, p)
    heads_of_x = split_heads(x, 2)  # [2, 3, 2]
    np.testing.assert_array_equal(heads_of_x[0], x[:, :2])
    assert np.abs(res.weights[0] - res.weights[1]).max() > 0.1  # the heads attend differently
    return lines(
        f"x {shape(x)}, 2 heads, d_head = {p.d_head}; split_heads(x) {shape(heads_of_x)}: head 0 takes columns 0-1",
        f"W_Q {shape(p.w_q)}  W_K {shape(p.w_k)}  W_V {shape(p.w_v)}  W_O {shape(p.w_o)}  (MultiHeadParams.random seed 1)",
        "head 0 weights =",
        mat(res.weights[0], 4),
        "head 1 weights =",
        mat(res.weights[1], 4),
        f"heads {shape(res.heads)} -> concat {shape(res.concat)} -> output = concat W_O {shape(res.output)}",
    )


@example("multi-head-cost")
def _multi_head_cost() -> str:
    from lessons.heads import multi_head_multiply_adds

    n, d_model = 100, 512
    x = np.random.default_rng(0).standard_normal((n, d_model))  # [n, d_model]
    out = [f"n = {n} tokens, d_model = {d_model}; multiply-adds (heads.multi_head_multiply_adds, checked against shapes)"]
    out.append("  heads  projections (4 n d^2)  scores+mixing (2 n^2 d)  weights stored (h n^2)")
    for h in (1, 8):
        p = MultiHeadParams.random(d_model, h, seed=0)
        res = multi_head_attention(x, x, p)
        counts = multi_head_multiply_adds(n, d_model, h)
        proj = counts["Q, K, V projections"] + counts["W_O"]
        attn = counts["scores Q·Kᵀ"] + counts["weights · V"]
        assert proj == n * sum(w.size for w in p)  # each token row meets every weight of W_Q, W_K, W_V and W_O
        assert attn == 2 * res.weights.size * p.d_head  # Q K^T and weights V: h * n * n * d_head each
        out.append(f"  {h:>5}  {proj:>22,}  {attn:>23,}  {res.weights.size:>20,}")
    return lines(*out)


@example("complexity")
def _complexity() -> str:
    from lessons.speed import attention_costs, crossover_n, rnn_costs
    from models.rnn import elman_forward, elman_init

    d = 64
    rnn = elman_init(d, d, 0.9, seed=0)
    rng = np.random.default_rng(0)
    out = [f"d = {d}; speed.rnn_costs / speed.attention_costs, checked against the arrays each layer produces",
           "         |      recurrent layer          |      self-attention layer",
           "      n  |  chain  path  multiply-adds   |  chain  path  multiply-adds  weights held"]
    for n in (16, 64, 256, 1024):
        x = rng.standard_normal((n, d))
        states = elman_forward(rnn, x)  # [n, d], computed in a loop of n dependent steps
        res = scaled_dot_product_attention(x, x, x)  # [n, n] weights in one matrix product
        r, a = rnn_costs(n, d), attention_costs(n, d)
        assert r.sequential_ops == states.shape[0]  # one dependent step per state
        assert r.multiply_adds == states.shape[0] * (rnn.w_x.size + rnn.w_h.size)  # x_t W_x and h W_h per step
        assert a.multiply_adds == 2 * res.weights.size * d and a.weight_entries == res.weights.size
        assert (r.multiply_adds == a.multiply_adds) == (n == crossover_n(d))  # the prose: they meet at n = d
        out.append(f"  {n:>5}  |  {r.sequential_ops:>5}  {r.max_path_length:>4}  {r.multiply_adds:>13,}   |  "
                   f"{a.sequential_ops:>5}  {a.max_path_length:>4}  {a.multiply_adds:>13,}  {a.weight_entries:>12,}")
    return lines(*out)


@example("positional")
def _positional() -> str:
    pe = sinusoidal_positional_encoding(4, 4)  # [4, 4]
    omega = 1.0 / 10000.0 ** (np.arange(0, 4, 2) / 4)  # [2] the two frequencies for d = 4
    np.testing.assert_allclose(pe[:, 0::2], np.sin(np.arange(4)[:, None] * omega), atol=1e-15)
    assert omega[0] / omega[1] == pytest.approx(100)  # "a hundred times more slowly"
    pe16 = sinusoidal_positional_encoding(8, 16)  # [8, 16]
    dots1 = [float(pe16[p] @ pe16[p + 1]) for p in range(4)]
    dots3 = [float(pe16[p] @ pe16[p + 3]) for p in range(4)]
    assert np.ptp(dots1) < 1e-12 and np.ptp(dots3) < 1e-12
    return lines(
        f"PE for n = 4 positions, d = 4; columns sin(w0 p), cos(w0 p), sin(w1 p), cos(w1 p); w = {vec(omega, 2)}",
        mat(pe, 4, labels=("p = 0", "p = 1", "p = 2", "p = 3")),
        "d = 16: PE[p] . PE[p + k] for p = 0, 1, 2, 3",
        f"  k = 1: {vec(dots1)}",
        f"  k = 3: {vec(dots3)}",
    )


@example("positional-norm")
def _positional_norm() -> str:
    """Position vectors are not small: norm sqrt(d/2), against word vectors whose size depends on the model."""
    from lessons.embeddings import embed

    out = ["norm of PE[p] (the same for every p) against sqrt(d/2)"]
    for d in (16, 512):
        norms = np.linalg.norm(sinusoidal_positional_encoding(50, d), axis=1)  # [50]
        assert np.ptp(norms) < 1e-9
        out.append(f"  d = {d:>3}:  |PE[p]| = {num(norms[0], 3)}   sqrt(d/2) = {num(np.sqrt(d / 2), 3)}")
    words = ("the", "it", "cat")
    x = embed(list(words))  # [3, 16]
    out.append("the playground's 16-feature word vectors: " + ", ".join(
        f"|{w}| = {num(v, 2)}" for w, v in zip(words, np.linalg.norm(x, axis=1))))
    d = 512
    e = np.random.default_rng(0).standard_normal((1000, d)) / np.sqrt(d)  # [1000, d], entries N(0, 1/d)
    e_norm = np.linalg.norm(e, axis=1).mean()
    out.append(f"d = {d}, embedding entries N(0, 1/d): mean |e| = {num(e_norm, 2)}; "
               f"times sqrt(d) = {num(np.sqrt(d), 2)}: mean |e| = {num(e_norm * np.sqrt(d), 2)}")
    return lines(*out)


@example("online-softmax")
def _online_softmax() -> str:
    from attention_core.chunked import chunked_attention

    q = np.array([[1.0]])  # [1, 1]; with scale 1 the logits are exactly the keys below
    k = np.array([[1.0], [3.0], [2.0], [5.0], [0.0], [4.0]])  # [6, 1]
    v = np.array([[1.0], [2.0], [3.0], [4.0], [5.0], [6.0]])  # [6, 1]
    block = 2
    full = scaled_dot_product_attention(q, k, v, scale=1.0)
    z = full.logits[0]  # [6]
    out = [f"one query; logits z = {vec(z, 0)}, values v = {vec(v, 0)}, blocks of {block}",
           "  block  logits      m (running max)  rescale exp(m_old - m)  l (running sum)  o = acc / l"]
    m, l_sum, acc = -np.inf, 0.0, 0.0
    for start in range(0, len(z), block):
        zb, vb = z[start:start + block], v[start:start + block, 0]
        m_new = max(m, float(zb.max()))
        rescale = float(np.exp(m - m_new))  # exp(-inf) = 0 before the first block
        p = np.exp(zb - m_new)
        l_sum = l_sum * rescale + float(p.sum())
        acc = acc * rescale + float(p @ vb)
        # the library, reading only the keys seen so far, gives the same running answer
        so_far = chunked_attention(q, k[: start + block], v[: start + block], block=block, scale=1.0)
        assert abs(so_far[0, 0] - acc / l_sum) < 1e-12
        assert (rescale < 1) == (start == block) or start == 0  # only the second block raises the max
        m = m_new
        rescale_txt = "-" if start == 0 else num(rescale)
        out.append(f"  {start // block + 1:>5}  {vec(zb, 0):<10}  {m_new:>15.0f}  {rescale_txt:>22}  "
                   f"{l_sum:>15.4f}  {so_far[0, 0]:>11.4f}")
    final = chunked_attention(q, k, v, block=block, scale=1.0)
    assert abs(final[0, 0] - full.output[0, 0]) < 1e-12
    out.append(f"softmax(z) @ v in one pass = {num(full.output[0, 0])}; chunked_attention = {num(final[0, 0])}")
    n, blk = 4096, 128
    out.append(f"memory for n = m = {n:,}: plain keeps [{n:,}, {n:,}] = {n * n:,} weights per head; "
               f"blocks of {blk} keep [{n:,}, {blk}] = {n * blk:,}")
    return lines(*out)


@example("softmax-gradient")
def _softmax_gradient() -> str:
    z = np.array([2.0, 1.0, 0.0])
    out = []  # six decimals, so the saturated Jacobian is not rounded to zeros
    largest = []
    for c in (1, 8):
        a = softmax(c * z)  # [3]
        jac = np.diag(a) - np.outer(a, a)  # [3, 3], d a_i / d z_j
        # finite differences through attention_core.softmax confirm the formula
        eps = 1e-6
        fd = np.stack([(softmax(c * z + eps * e) - softmax(c * z - eps * e)) / (2 * eps) for e in np.eye(3)], axis=1)
        np.testing.assert_allclose(fd, jac, atol=1e-8)
        largest.append(np.abs(jac).max())
        out += [f"z = {c} x {vec(z, 0)}: a = {vec(a, 6)}", "  J = diag(a) - a^T a =", mat(jac, 6, indent=4),
                f"  largest |J_ij| = {num(np.abs(jac).max(), 6)}"]
    assert 100 < largest[0] / largest[1] < 1000  # "hundreds of times smaller"
    return lines(*out)


# "How a head learns to resolve it": one query ("it"), three keys (animal, street, the adjective), values that carry
# the words' identities. Naming the referent sends gradient through softmax into W_Q; a binary target does not.
COREF_WORDS = ("animal", "street", "adj")
COREF_K = np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]])  # [3, d_k = 2] keys
COREF_V = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])  # [3, 3] values: animal, street, adjective
COREF_X = {"tired": np.array([1.0, 1.0]), "wide": np.array([1.0, -1.0])}  # "it" after layer 1: [bias, adjective]
COREF_TARGET = {"tired": 0, "wide": 1}  # the referent's column: animal, street
COREF_LR = 2.0


def coref_naming_loss(w_q: np.ndarray, word: str) -> tuple[float, np.ndarray, np.ndarray]:
    """(loss, weights [3], dL/dW_Q [2, 2]) for naming the referent: logits = (a @ V)[:2] over {animal, street}."""
    x = COREF_X[word][None, :]  # [1, 2]
    att = scaled_dot_product_attention(x @ w_q, COREF_K, COREF_V)  # weights [1, 3], output [1, 3]
    a = att.weights[0]
    o = att.output[0]  # [3]
    p = softmax(o[:2])  # [2]: the output layer reads the identity features
    loss = -float(np.log(p[COREF_TARGET[word]]))
    g_o = np.concatenate([p - np.eye(2)[COREF_TARGET[word]], [0.0]])  # dL/do [3]
    g_a = COREF_V @ g_o  # dL/da_j = v_j . dL/do  [3]
    g_z = a * (g_a - a @ g_a)  # through softmax: J g
    g_q = g_z @ COREF_K / np.sqrt(2)  # dL/dq = sum_j dL/dz_j k_j / sqrt(d_k)  [2]
    return loss, a, np.outer(x[0], g_q)  # dL/dW_Q = x^T dL/dq


@example("coreference-gradient")
def _coreference_gradient() -> str:
    w_q = np.zeros((2, 2))  # [d, d_k]: q = 0, so every score is 0 and attention is uniform
    out = ["W_Q = 0: every score is 0, a = 1/3 each"]
    grads = {}
    for word in COREF_X:
        loss, a, g = coref_naming_loss(w_q, word)
        grads[word] = g
        p = softmax((a @ COREF_V)[:2])
        g_a = COREF_V @ np.concatenate([p - np.eye(2)[COREF_TARGET[word]], [0.0]])
        g_z = a * (g_a - a @ g_a)
        out.append(f"  'too {word}' (target {COREF_WORDS[COREF_TARGET[word]]}): loss {num(loss)}, "
                   f"dL/dz = {vec(g_z)}")
        # finite differences through attention_core confirm dL/dW_Q
        eps = 1e-6
        fd = np.zeros((2, 2))
        for i, j in np.ndindex(2, 2):
            e = np.zeros((2, 2))
            e[i, j] = eps
            fd[i, j] = (coref_naming_loss(w_q + e, word)[0] - coref_naming_loss(w_q - e, word)[0]) / (2 * eps)
        np.testing.assert_allclose(fd, g, atol=1e-8)
    total = grads["tired"] + grads["wide"]
    out += ["dL/dW_Q summed over the pair:", mat(total), f"one step W_Q <- W_Q - {COREF_LR:g} dL/dW_Q:"]
    w_new = w_q - COREF_LR * total
    for word in COREF_X:
        loss, a, _ = coref_naming_loss(w_new, word)
        target = COREF_TARGET[word]
        assert a[target] > a[1 - target]  # the prose: the head now looks at the referent, in both sentences
        out.append(f"  'too {word}': a = {vec(a)} ({COREF_WORDS[target]} {num(a[target])}), loss {num(loss)}")
    assert np.allclose(total[0], 0)  # the prose: the bias row cancels, only the adjective row learns
    return lines(*out)


@example("coreference-binary")
def _coreference_binary() -> str:
    # Target "is the referent an animal?" read by a logistic unit on the adjective feature (the cheat).
    w_bin = np.array([0.0, 0.0, 3.0])  # [3]: reads only the adjective value
    out = ["binary target 'referent is an animal', readout s = o . w with w = " + vec(w_bin, 1)]
    for word, sign in (("tired", 1.0), ("wide", -1.0)):
        v = COREF_V.copy()
        v[2] *= sign  # the adjective's value: +1 tired, -1 wide
        att = scaled_dot_product_attention(np.zeros((1, 2)), COREF_K, v)  # uniform, whatever the sentence
        a = att.weights[0]
        s = float(att.output[0] @ w_bin)
        y = 1.0 if word == "tired" else 0.0
        prob = 1 / (1 + np.exp(-s))
        g_a = v @ w_bin * (prob - y)  # dL/da_j for the logistic loss
        g_z = a * (g_a - a @ g_a)
        assert (prob > 0.5) == (y == 1.0)  # the prose: right without looking at the referent
        assert abs(g_z[0] - g_z[1]) < 1e-12  # the prose: animal and street get the same push
        out.append(f"  'too {word}': a = {vec(a)}, P(animal) = {num(prob)}, dL/dz = {vec(g_z)}")
    return lines(*out)


@example("shortcut-lookup")
def _shortcut_lookup() -> str:
    from models.coreference import make_corpus
    from models.coreference.analysis import fitted_baselines, lookup_answer, slot_answer

    corpus = make_corpus()
    fit = fitted_baselines(corpus)  # fitted on the training sentences only
    out = [f"training set: {len(corpus.train):,} sentences, {len(fit.lookup):,} (length, cue) pairs in the table"]
    for name, sentences in (("new sentences, trained structures", corpus.held_out),
                            ("held-out structures", corpus.structure_heldout)):
        look = sum(lookup_answer(fit, s) == s.ref_index for s in sentences)
        slot = sum(slot_answer(fit, s) == s.ref_index for s in sentences)
        out.append(f"  {name}: lookup {look:,} of {len(sentences):,} right ({num(look / len(sentences))}), "
                   f"slot rule {slot:,} ({num(slot / len(sentences))})")
    s = next(s for s in corpus.structure_heldout if lookup_answer(fit, s) != s.ref_index)
    out.append(f"  e.g. length {len(s.tokens)}, cue '{s.adjective}': the table says position "
               f"{lookup_answer(fit, s)}, the referent '{s.referent}' stands at {s.ref_index}")
    assert 3 * (sum(lookup_answer(fit, x) == x.ref_index for x in corpus.structure_heldout)) < len(corpus.structure_heldout)
    return lines(*out)


# ---------------------------------------------------------------------------------------------------------------
# Reading the document


def doc_text() -> str:
    return DOC.read_text(encoding="utf-8")


def prose(text: str) -> str:
    """The document without its generated code regions (the kernel's source, numbers and all)."""
    return REGION.sub("", text)


def doc_blocks(text: str | None = None) -> dict[str, list[str]]:
    """Example ID -> the blocks that carry it (a list, so a duplicated ID is seen)."""
    found: dict[str, list[str]] = {}
    for m in MARKER.finditer(doc_text() if text is None else text):
        found.setdefault(m.group(1), []).append(m.group(2))
    return found


def heading_anchors(text: str) -> set[str]:
    """GitHub-style anchors of the Markdown headings (outside code fences)."""
    anchors: set[str] = set()
    seen: dict[str, int] = {}
    for line in FENCE.sub("", text).splitlines():
        m = re.match(r"#{1,6}\s+(.*)", line)
        if not m:
            continue
        slug = "".join(ch for ch in m.group(1).strip().lower()
                       if ch in " -_" or unicodedata.category(ch)[0] in "LN").replace(" ", "-")
        k = seen.get(slug, 0)
        seen[slug] = k + 1
        anchors.add(slug if k == 0 else f"{slug}-{k}")
    return anchors


def numbers_in(text: str) -> list[str]:
    return NUMBER.findall(text)


def count_checked_numbers() -> tuple[int, int]:
    blocks = doc_blocks()
    return len(blocks), sum(len(numbers_in(b)) for bs in blocks.values() for b in bs)


# ---------------------------------------------------------------------------------------------------------------
# The tests


def test_doc_example_ids_equal_the_known_ids():
    blocks = doc_blocks()
    assert set(blocks) == set(EXAMPLES), (
        f"in the doc but unknown here: {sorted(set(blocks) - set(EXAMPLES))}; "
        f"known here but missing from the doc: {sorted(set(EXAMPLES) - set(blocks))}"
    )
    duplicated = sorted(i for i, bs in blocks.items() if len(bs) > 1)
    assert not duplicated, f"example ids used more than once: {duplicated}"


def test_every_marker_is_followed_by_its_block():
    markers = re.findall(r"<!-- check: ([a-z0-9-]+) -->", doc_text())
    assert len(markers) == sum(len(bs) for bs in doc_blocks().values()), \
        "a check marker must be followed directly by a ```text block"
    assert set(markers) == set(doc_blocks())


@pytest.mark.parametrize("example_id", sorted(EXAMPLES))
def test_every_printed_number_matches_attention_core(example_id):
    blocks = doc_blocks()
    assert example_id in blocks, f"example {example_id} is missing from the document"
    expected = EXAMPLES[example_id]()
    printed = blocks[example_id][0]
    if printed != expected:
        want, got = numbers_in(expected), numbers_in(printed)
        wrong = [f"#{i + 1}: doc {g} != computed {w}" for i, (g, w) in enumerate(zip(got, want)) if g != w]
        if len(want) != len(got):
            wrong.append(f"the doc prints {len(got)} numbers, the computation {len(want)}")
        pytest.fail(f"example {example_id!r} differs from attention_core: {'; '.join(wrong) or 'text differs'}\n"
                    f"--- computed ---\n{expected}--- in the document ---\n{printed}")


def test_no_unchecked_decimal_numbers_in_the_document():
    """Computed numbers live only in checked blocks: prose and formula blocks hold no decimals."""
    rest = MARKER.sub("", prose(doc_text()))
    offenders = [line.strip() for line in rest.splitlines() if DECIMAL.search(line)]
    assert not offenders, f"decimal numbers outside checked examples: {offenders[:5]}"


def test_stable_anchors_exist():
    anchors = heading_anchors(doc_text())
    missing = [a for a in STABLE_ANCHORS if a not in anchors]
    assert not missing, f"headings renamed? missing anchors: {missing}"


def test_internal_links_resolve():
    text = doc_text()
    anchors = heading_anchors(text)
    broken = [a for a in re.findall(r"\]\(#([^)]+)\)", text) if a not in anchors]
    assert not broken, f"links to missing anchors: {broken}"


def test_linked_files_exist():
    for target in re.findall(r"\]\(((?:pages|attention_core|playground)/[^)#]+)\)", doc_text()):
        assert (ROOT / target).is_file(), f"the document links to {target}, which does not exist"


def test_every_section_has_a_worked_example():
    text = doc_text()
    sections = re.split(r"^## ", text, flags=re.M)[1:]
    for body in sections:
        title = body.splitlines()[0]
        if heading_anchors("## " + title) & set(STABLE_ANCHORS):
            assert "<!-- check: " in body, f"section {title!r} has no checked worked example"


def test_the_checker_catches_a_changed_digit():
    """Self-test of the mechanism: flip one digit of one block and the comparison must fail."""
    blocks = doc_blocks()
    example_id = sorted(blocks)[0]
    printed = blocks[example_id][0]
    m = re.search(r"\d", printed)
    altered = printed[: m.start()] + str((int(m.group()) + 1) % 10) + printed[m.end():]
    assert altered != EXAMPLES[example_id]()
    assert printed == EXAMPLES[example_id]()


def test_every_formula_will_render():
    """Every $ paired, braces and environments balanced, only commands KaTeX knows, nothing GitHub would eat."""
    found = problems(doc_text())
    assert not found, "\n".join(found)
    assert len(formulas(doc_text())) >= 400


# What a formula written as plain code looks like: math letters and signs a library name never has.
FORMULA_SIGNS = re.compile(r"[√ᵀ²∂Σσρωδ‖→←≤≥≠≈⊙∞·×…]|\b[a-zA-Z]_[\w(]|\^|\w \w|[=<>]|/")


def test_formulas_are_typeset_not_left_as_code():
    """Outside the generated code, every fenced block is a checked example (```text) or a formula (```math); code
    spans name library functions, files and commands only."""
    text = prose(doc_text())
    openers = re.findall(r"^[ \t]*```(\S*)", text, flags=re.M)[::2]
    assert set(openers) <= {"text", "math"}, f"a fenced block that is neither a checked example nor a formula: {openers}"
    spans = re.findall(r"`([^`\n]+)`", FENCE.sub("", text))
    names = re.compile(r"python -m .*|[\w.]+\(.*\)|[\w./-]+|causal & padding|valid \[m\]"
                       r"|logits = q kᵀ · scale / temperature")  # the library's own expressions, as written in it
    plain = [s for s in spans if FORMULA_SIGNS.search(s) and not names.fullmatch(s)]
    assert not plain, f"formulas left as code (write them as $…$): {plain}"


def test_enough_numbers_are_checked():
    n_examples, n_numbers = count_checked_numbers()
    assert n_examples == len(EXAMPLES) and n_numbers >= 300


if __name__ == "__main__":
    args = sys.argv[1:]
    if args == ["--count"]:
        n_ex, n_num = count_checked_numbers()
        print(f"{n_ex} worked examples, {n_num} printed numbers checked")
    else:
        for eid in args or list(EXAMPLES):
            print(f"<!-- check: {eid} -->\n```text\n{EXAMPLES[eid]()}```\n")
