"""A tiny Transformer encoder whose answer to "who is it?" is a pointer at a word of the sentence, with its
hand-written backward pass.

    x = embedding[token] + sinusoidal position                                 # [n, d]
    per block (pre-norm, Vaswani et al. 2017 with the norm moved before each sub-layer):
        x = x + MultiHead(LayerNorm(x))                                        # attention_core.multi_head_attention
        x = x + W2 relu(W1 LayerNorm(x) + b1) + b2                             # position-wise feed-forward
    pointer = softmax(q(it) . k(every position) / sqrt(d_p))                   # [n]: one more attention head
              with q = LayerNorm(x) W_pq, k = LayerNorm(x) W_pk

Training shifts each sentence's positions by a random offset, so the model cannot tie a role to a fixed position;
at display time every sentence starts at position 0. The pointer head's row from "it" IS the answer: a probability over the sentence's own positions, so the model can
only ever name a word of the sentence. The pointer is trained to point; what the model learns by itself is the
representation below it (the blocks' heads), which makes the right noun's key match the query of "it".

`forward` (one sentence, for display) calls attention_core; `batch_forward` is the same arithmetic for a padded
batch, written out so that `loss_and_grads` can run it backwards. A test checks that both give the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import NamedTuple

import numpy as np

from attention_core import (
    MultiHeadParams,
    multi_head_attention,
    scaled_dot_product_attention,
    sinusoidal_positional_encoding,
)

from .corpus import VOCAB, Sentence, token_ids

__all__ = ["Batch", "Forward", "ModelConfig", "Params", "batch_forward", "forward", "init_params", "loss_and_grads",
           "make_batch", "param_shapes"]

LN_EPS = 1e-5


@dataclass(frozen=True)
class ModelConfig:
    d_model: int = 48  # width of every token's vector
    n_heads: int = 4  # heads per block; d_head = d_model // n_heads
    n_layers: int = 2  # pre-norm blocks (attention + feed-forward) below the pointer
    d_ff: int = 96  # hidden width of the feed-forward layer
    d_pointer: int = 24  # width of the pointer head's queries and keys

    @property
    def d_head(self) -> int:
        return self.d_model // self.n_heads

    def to_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}


class Params(NamedTuple):
    config: ModelConfig
    arrays: dict[str, np.ndarray]  # name -> array; see param_shapes

    def layer(self, i: int) -> MultiHeadParams:
        """Block i's attention projections in attention_core's layout."""
        a = self.arrays
        return MultiHeadParams(a[f"l{i}_w_q"], a[f"l{i}_w_k"], a[f"l{i}_w_v"], a[f"l{i}_w_o"])


def param_shapes(config: ModelConfig, vocab_size: int = len(VOCAB)) -> dict[str, tuple[int, ...]]:
    d, h, dh, f, dp = config.d_model, config.n_heads, config.d_head, config.d_ff, config.d_pointer
    shapes: dict[str, tuple[int, ...]] = {"emb": (vocab_size, d)}
    for i in range(config.n_layers):
        shapes |= {f"l{i}_ln1_g": (d,), f"l{i}_ln1_b": (d,),
                   f"l{i}_w_q": (h, d, dh), f"l{i}_w_k": (h, d, dh), f"l{i}_w_v": (h, d, dh), f"l{i}_w_o": (h * dh, d),
                   f"l{i}_ln2_g": (d,), f"l{i}_ln2_b": (d,),
                   f"l{i}_w1": (d, f), f"l{i}_b1": (f,), f"l{i}_w2": (f, d), f"l{i}_b2": (d,)}
    shapes |= {"lnf_g": (d,), "lnf_b": (d,), "p_w_q": (d, dp), "p_w_k": (d, dp)}
    return shapes


def init_params(config: ModelConfig, seed: int = 0, dtype=np.float64) -> Params:
    """Gaussian weights scaled by 1/sqrt(fan_in), layer-norm gains 1, biases 0; seeded. The pointer's projections
    start small, so the untrained pointer spreads its weight evenly."""
    if config.d_model % config.n_heads:
        raise ValueError(f"n_heads = {config.n_heads} does not divide d_model = {config.d_model}")
    rng = np.random.default_rng(seed)
    arrays = {}
    for name, shape in param_shapes(config).items():
        kind = name.split("_", 1)[-1] if name.startswith("l") and name[1].isdigit() else name
        if kind.endswith("_g"):
            value = np.ones(shape)
        elif kind.startswith("b") or kind.endswith("_b"):
            value = np.zeros(shape)
        elif name == "emb":
            value = rng.standard_normal(shape)  # unit scale, like the positions it is added to
        else:
            fan_in = shape[-2] if len(shape) == 3 else shape[0]
            value = rng.standard_normal(shape) / np.sqrt(fan_in) * (0.1 if name.startswith("p_") else 1.0)
        arrays[name] = value.astype(dtype)
    return Params(config, arrays)


# ---- one sentence, through attention_core ----------------------------------------------------------------------


class Forward(NamedTuple):
    pointer: np.ndarray  # [n, n] the pointer head's weights from every query; row it_index is the answer
    weights: np.ndarray  # [L, H, n, n] the blocks' attention weights, rows = queries
    hidden: np.ndarray  # [n, d] the last block's output (before the final norm)


def _layer_norm(x: np.ndarray, g: np.ndarray, b: np.ndarray) -> np.ndarray:
    mu = x.mean(-1, keepdims=True)
    var = x.var(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + LN_EPS) * g + b


def forward(params: Params, ids) -> Forward:
    """One sentence of token ids [n]: the blocks' weights and the pointer head's weights."""
    a, cfg = params.arrays, params.config
    ids = np.asarray(ids)
    x = a["emb"][ids] + sinusoidal_positional_encoding(len(ids), cfg.d_model)  # [n, d]
    weights = []
    for i in range(cfg.n_layers):
        h = _layer_norm(x, a[f"l{i}_ln1_g"], a[f"l{i}_ln1_b"])  # [n, d]
        att = multi_head_attention(h, h, params.layer(i))  # output [n, d], weights [H, n, n]
        x = x + att.output
        h = _layer_norm(x, a[f"l{i}_ln2_g"], a[f"l{i}_ln2_b"])
        x = x + np.maximum(h @ a[f"l{i}_w1"] + a[f"l{i}_b1"], 0.0) @ a[f"l{i}_w2"] + a[f"l{i}_b2"]  # [n, f] -> [n, d]
        weights.append(att.weights)
    y = _layer_norm(x, a["lnf_g"], a["lnf_b"])  # [n, d]
    k = y @ a["p_w_k"]  # [n, d_p]
    pointer = scaled_dot_product_attention(y @ a["p_w_q"], k, k).weights  # [n, n]; its output is not used
    return Forward(pointer, np.stack(weights), x)


# ---- a padded batch, forwards and backwards ----------------------------------------------------------------------


class Batch(NamedTuple):
    ids: np.ndarray  # [B, n] token ids, padded with 0
    valid: np.ndarray  # [B, n] bool, False on padding
    it_index: np.ndarray  # [B] position of "it"
    target: np.ndarray  # [B] position of the referent
    offset: np.ndarray | None = None  # [B] training only: sentence b's first word sits at position offset[b]


def make_batch(sentences: list[Sentence]) -> Batch:
    """Token ids padded with 0 to the longest sentence, validity mask, position of "it", position of the referent."""
    n = max(len(s.tokens) for s in sentences)
    ids = np.zeros((len(sentences), n), np.int64)
    valid = np.zeros((len(sentences), n), bool)
    for b, s in enumerate(sentences):
        ids[b, : len(s.tokens)] = token_ids(s.tokens)
        valid[b, : len(s.tokens)] = True
    it = np.array([s.it_index for s in sentences])
    target = np.array([s.ref_index for s in sentences])
    return Batch(ids, valid, it, target)


def _ln_forward(x, g, b):
    mu = x.mean(-1, keepdims=True)
    xc = x - mu
    inv = 1.0 / np.sqrt((xc * xc).mean(-1, keepdims=True) + LN_EPS)  # [..., 1]
    xhat = xc * inv
    return xhat * g + b, (xhat, inv)


def _ln_backward(dy, g, cache):
    xhat, inv = cache
    dg = (dy * xhat).reshape(-1, xhat.shape[-1]).sum(0)
    db = dy.reshape(-1, dy.shape[-1]).sum(0)
    dxhat = dy * g
    dx = inv * (dxhat - dxhat.mean(-1, keepdims=True) - xhat * (dxhat * xhat).mean(-1, keepdims=True))
    return dx, dg, db


def _stacked(p: MultiHeadParams) -> np.ndarray:
    """w_q, w_k, w_v [H, d, dh] side by side as one [d, 3*H*dh] matrix; column (j*H + h)*dh + e is w_j[h, :, e]."""
    w = np.stack([p.w_q, p.w_k, p.w_v])  # [3, H, d, dh]
    return np.moveaxis(w, 2, 0).reshape(w.shape[2], -1)  # [d, 3, H, dh] -> [d, 3*H*dh]


def _unstacked(w: np.ndarray, n_heads: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The inverse of _stacked: [d, 3*H*dh] -> three [H, d, dh]."""
    d = w.shape[0]
    return tuple(np.moveaxis(w.reshape(d, 3, n_heads, -1), 0, 2))  # [3, H, d, dh]


def _softmax_rows(s: np.ndarray) -> np.ndarray:
    w = np.exp(s - s.max(-1, keepdims=True))
    return w / w.sum(-1, keepdims=True)


def _dropout_mask(rng: np.random.Generator | None, rate: float, shape: tuple[int, ...]) -> np.ndarray | float:
    """Inverted dropout: each unit kept with probability 1 - rate and scaled by 1 / (1 - rate); 1.0 when off."""
    if not rate or rng is None:
        return 1.0
    return (rng.random(shape) >= rate) / (1.0 - rate)


def batch_forward(params: Params, batch: Batch, keep: bool = False, dropout: float = 0.0,
                  rng: np.random.Generator | None = None):
    """(pointer rows [B, n] from "it", the blocks' attention weights [L, B, H, n, n], caches for the backward pass
    if keep). Padding is never a key: its pointer weight is exactly 0. Training only: `dropout` drops that share of
    each sub-layer's output (attention and feed-forward) before it joins the residual stream, with masks from
    `rng`."""
    a, cfg = params.arrays, params.config
    B, n = batch.ids.shape
    offset = np.zeros(B, np.int64) if batch.offset is None else batch.offset
    pe = sinusoidal_positional_encoding(n + int(offset.max()), cfg.d_model).astype(a["emb"].dtype)  # [n + max, d]
    x = a["emb"][batch.ids] + pe[offset[:, None] + np.arange(n)]  # [B, n, d]
    key_ok = batch.valid[:, None, None, :]  # [B, 1, 1, n]
    scale = 1.0 / np.sqrt(cfg.d_head)
    caches, weights = [], []
    for i in range(cfg.n_layers):
        p = params.layer(i)
        h1, ln1 = _ln_forward(x, a[f"l{i}_ln1_g"], a[f"l{i}_ln1_b"])  # [B, n, d]
        qkv = h1.reshape(B * n, -1) @ _stacked(p)  # [B*n, d] @ [d, 3*H*dh] -> [B*n, 3*H*dh]: one matrix product
        q, k, v = qkv.reshape(B, n, 3, cfg.n_heads, cfg.d_head).transpose(2, 0, 3, 1, 4)  # 3 x [B, H, n, dh]
        s = np.where(key_ok, q @ np.swapaxes(k, -1, -2) * scale, -np.inf)  # [B, H, n, n]
        w = _softmax_rows(s)  # over keys
        o = w @ v  # [B, H, n, n] @ [B, H, n, dh] -> [B, H, n, dh]
        concat = np.swapaxes(o, 1, 2).reshape(B, n, -1)  # [B, n, H * dh]
        m1 = _dropout_mask(rng, dropout, x.shape)  # [B, n, d] or 1.0
        x = x + (concat @ p.w_o) * m1  # [B, n, H*dh] @ [H*dh, d] -> [B, n, d]
        h2, ln2 = _ln_forward(x, a[f"l{i}_ln2_g"], a[f"l{i}_ln2_b"])
        u = h2 @ a[f"l{i}_w1"] + a[f"l{i}_b1"]  # [B, n, f]
        r = np.maximum(u, 0.0)
        m2 = _dropout_mask(rng, dropout, x.shape)
        x = x + (r @ a[f"l{i}_w2"] + a[f"l{i}_b2"]) * m2  # [B, n, d]
        weights.append(w)
        if keep:
            caches.append((h1, ln1, q, k, v, w, concat, h2, ln2, u, r, m1, m2))
    y, lnf = _ln_forward(x, a["lnf_g"], a["lnf_b"])  # [B, n, d]
    rows = np.arange(B)
    q_it = y[rows, batch.it_index] @ a["p_w_q"]  # [B, d] @ [d, d_p] -> [B, d_p]
    k_p = y @ a["p_w_k"]  # [B, n, d_p]
    s_p = np.where(batch.valid, np.einsum("bp,bnp->bn", q_it, k_p) / np.sqrt(cfg.d_pointer), -np.inf)  # [B, n]
    pointer = _softmax_rows(s_p)
    return pointer, np.stack(weights), (caches, y, lnf, q_it, k_p) if keep else None


def loss_and_grads(params: Params, batch: Batch, dropout: float = 0.0, rng: np.random.Generator | None = None,
                   ) -> tuple[float, dict[str, np.ndarray]]:
    """Mean cross-entropy of the pointer's weight on the referent's position, and its gradient for every parameter
    array (with `dropout`, of the network with the masks drawn from `rng`)."""
    a, cfg = params.arrays, params.config
    B, n = batch.ids.shape
    rows = np.arange(B)
    pointer, _, (caches, y, lnf, q_it, k_p) = batch_forward(params, batch, keep=True, dropout=dropout, rng=rng)
    loss = -float(np.log(pointer[rows, batch.target] + 1e-300).mean())
    g: dict[str, np.ndarray] = {}
    ds_p = pointer.copy()
    ds_p[rows, batch.target] -= 1.0
    ds_p /= B * np.sqrt(cfg.d_pointer)  # d loss / d (q . k), through the softmax and the scale; 0 on padding
    dq_it = np.einsum("bn,bnp->bp", ds_p, k_p)  # [B, d_p]
    dk_p = ds_p[:, :, None] * q_it[:, None, :]  # [B, n, d_p]
    y_it = y[rows, batch.it_index]  # [B, d]
    g["p_w_q"] = y_it.T @ dq_it
    g["p_w_k"] = y.reshape(B * n, -1).T @ dk_p.reshape(B * n, -1)
    dy = dk_p @ a["p_w_k"].T  # [B, n, d]
    dy[rows, batch.it_index] += dq_it @ a["p_w_q"].T
    dx, g["lnf_g"], g["lnf_b"] = _ln_backward(dy, a["lnf_g"], lnf)
    scale = 1.0 / np.sqrt(cfg.d_head)
    for i in reversed(range(cfg.n_layers)):
        h1, ln1, q, k, v, w, concat, h2, ln2, u, r, m1, m2 = caches[i]
        p = params.layer(i)
        # feed-forward: x_out = x_mid + (relu(h2 W1 + b1) W2 + b2) * m2
        df = dx * m2  # [B, n, d]
        g[f"l{i}_w2"] = r.reshape(-1, r.shape[-1]).T @ df.reshape(-1, cfg.d_model)
        g[f"l{i}_b2"] = df.reshape(-1, cfg.d_model).sum(0)
        du = (df @ a[f"l{i}_w2"].T) * (u > 0)  # [B, n, f]
        g[f"l{i}_w1"] = h2.reshape(-1, cfg.d_model).T @ du.reshape(-1, du.shape[-1])
        g[f"l{i}_b1"] = du.reshape(-1, du.shape[-1]).sum(0)
        dh2, g[f"l{i}_ln2_g"], g[f"l{i}_ln2_b"] = _ln_backward(du @ a[f"l{i}_w1"].T, a[f"l{i}_ln2_g"], ln2)
        dx = dx + dh2
        # attention: x_mid = x_in + (concat W_o) * m1
        da = dx * m1  # [B, n, d]
        g[f"l{i}_w_o"] = concat.reshape(-1, concat.shape[-1]).T @ da.reshape(-1, cfg.d_model)
        dconcat = da @ p.w_o.T  # [B, n, H*dh]
        do = np.swapaxes(dconcat.reshape(B, n, cfg.n_heads, cfg.d_head), 1, 2)  # [B, H, n, dh]
        dw = do @ np.swapaxes(v, -1, -2)  # [B, H, n, n]
        dv = np.swapaxes(w, -1, -2) @ do  # [B, H, n, dh]
        ds = w * (dw - (dw * w).sum(-1, keepdims=True)) * scale  # through softmax and the 1/sqrt(dh) scale
        dq = ds @ k  # [B, H, n, dh]
        dk = np.swapaxes(ds, -1, -2) @ q
        dqkv = np.stack([dq, dk, dv]).transpose(1, 3, 0, 2, 4).reshape(B * n, -1)  # [B*n, 3*H*dh], as in the forward
        dw_qkv = h1.reshape(B * n, -1).T @ dqkv  # [d, B*n] @ [B*n, 3*H*dh] -> [d, 3*H*dh]
        g[f"l{i}_w_q"], g[f"l{i}_w_k"], g[f"l{i}_w_v"] = _unstacked(dw_qkv, cfg.n_heads)
        dh1 = (dqkv @ _stacked(p).T).reshape(B, n, -1)  # [B*n, 3*H*dh] @ [3*H*dh, d] -> [B, n, d]
        dh1, g[f"l{i}_ln1_g"], g[f"l{i}_ln1_b"] = _ln_backward(dh1, a[f"l{i}_ln1_g"], ln1)
        dx = dx + dh1
    g["emb"] = np.zeros_like(a["emb"])
    np.add.at(g["emb"], batch.ids, dx)  # positions are fixed: only the embeddings learn from the input side
    return loss, g
