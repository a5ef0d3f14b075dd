"""A tiny Transformer encoder that names what "it" refers to, with its hand-written backward pass.

    x = embedding[token] + sinusoidal position                                 # [n, d]
    per block (pre-norm, Vaswani et al. 2017 with the norm moved before each sub-layer):
        x = x + MultiHead(LayerNorm(x))                                        # attention_core.multi_head_attention
        x = x + W2 relu(W1 LayerNorm(x) + b1) + b2                             # position-wise feed-forward
    logits = LayerNorm(x[it]) @ W_out + b_out                                  # [V]: a word of the vocabulary

`forward` (one sentence, for display) calls attention_core.multi_head_attention; `batch_forward` is the same
arithmetic for a padded batch, written out so that `loss_and_grads` can run it backwards. A test checks that
both give the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import NamedTuple

import numpy as np

from attention_core import MultiHeadParams, multi_head_attention, sinusoidal_positional_encoding

from .corpus import VOCAB, Sentence, token_ids

__all__ = ["Batch", "Config", "Forward", "Params", "batch_forward", "forward", "init_params", "loss_and_grads", "make_batch",
           "param_shapes"]

LN_EPS = 1e-5


@dataclass(frozen=True)
class Config:
    d_model: int = 32  # width of every token's vector
    n_heads: int = 4  # heads per attention layer; d_head = d_model // n_heads
    n_layers: int = 2  # pre-norm blocks (attention + feed-forward)
    d_ff: int = 64  # hidden width of the feed-forward layer
    batch_size: int = 64  # sentences per training step
    steps: int = 1200  # training steps (the page's live training and the shipped weights use the same)
    lr: float = 3e-3  # Adam's peak learning rate
    warmup: int = 50  # steps of linear learning-rate warm-up, then linear decay to lr_final
    lr_final: float = 3e-4  # learning rate at the last step
    clip: float = 1.0  # global gradient-norm clipping
    weight_decay: float = 0.0  # decoupled (AdamW) decay of the weight matrices, per unit learning rate
    head_dropout: float = 0.3  # chance that a head's output is dropped for one sentence in one training step

    @property
    def d_head(self) -> int:
        return self.d_model // self.n_heads

    def to_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}


class Params(NamedTuple):
    config: Config
    arrays: dict[str, np.ndarray]  # name -> array; see param_shapes

    def layer(self, i: int) -> MultiHeadParams:
        """Layer i's attention projections in attention_core's layout."""
        a = self.arrays
        return MultiHeadParams(a[f"l{i}_w_q"], a[f"l{i}_w_k"], a[f"l{i}_w_v"], a[f"l{i}_w_o"])


def param_shapes(config: Config, vocab_size: int = len(VOCAB)) -> dict[str, tuple[int, ...]]:
    d, h, dh, f = config.d_model, config.n_heads, config.d_head, config.d_ff
    shapes: dict[str, tuple[int, ...]] = {"emb": (vocab_size, d)}
    for i in range(config.n_layers):
        shapes |= {f"l{i}_ln1_g": (d,), f"l{i}_ln1_b": (d,),
                   f"l{i}_w_q": (h, d, dh), f"l{i}_w_k": (h, d, dh), f"l{i}_w_v": (h, d, dh), f"l{i}_w_o": (h * dh, d),
                   f"l{i}_ln2_g": (d,), f"l{i}_ln2_b": (d,),
                   f"l{i}_w1": (d, f), f"l{i}_b1": (f,), f"l{i}_w2": (f, d), f"l{i}_b2": (d,)}
    shapes |= {"lnf_g": (d,), "lnf_b": (d,), "w_out": (d, vocab_size), "b_out": (vocab_size,)}
    return shapes


def init_params(config: Config, seed: int = 0, dtype=np.float64) -> Params:
    """Gaussian weights scaled by 1/sqrt(fan_in), layer-norm gains 1, biases 0; seeded."""
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
            value = rng.standard_normal(shape) / np.sqrt(fan_in)
        arrays[name] = value.astype(dtype)
    return Params(config, arrays)


# ---- one sentence, through attention_core ----------------------------------------------------------------------


class Forward(NamedTuple):
    logits: np.ndarray  # [V] at the position of "it"
    weights: np.ndarray  # [L, H, n, n] attention weights, rows = queries
    hidden: np.ndarray  # [n, d] the last block's output (before the final norm)


def _layer_norm(x: np.ndarray, g: np.ndarray, b: np.ndarray) -> np.ndarray:
    mu = x.mean(-1, keepdims=True)
    var = x.var(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + LN_EPS) * g + b


def forward(params: Params, ids, it_index: int) -> Forward:
    """One sentence of token ids [n]; the answer is read out at it_index."""
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
    y = _layer_norm(x[it_index], a["lnf_g"], a["lnf_b"])  # [d]
    return Forward(y @ a["w_out"] + a["b_out"], np.stack(weights), x)  # [d] @ [d, V] -> [V]


# ---- a padded batch, forwards and backwards ----------------------------------------------------------------------


class Batch(NamedTuple):
    ids: np.ndarray  # [B, n] token ids, padded with 0
    valid: np.ndarray  # [B, n] bool, False on padding
    it_index: np.ndarray  # [B] position of "it"
    target: np.ndarray  # [B] vocabulary id of the referent


def make_batch(sentences: list[Sentence]) -> Batch:
    """Token ids padded with 0 to the longest sentence, validity mask, position of "it", referent id."""
    n = max(len(s.tokens) for s in sentences)
    ids = np.zeros((len(sentences), n), np.int64)
    valid = np.zeros((len(sentences), n), bool)
    for b, s in enumerate(sentences):
        ids[b, : len(s.tokens)] = token_ids(s.tokens)
        valid[b, : len(s.tokens)] = True
    it = np.array([s.it_index for s in sentences])
    target = np.array(token_ids([s.referent for s in sentences]))
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


def batch_forward(params: Params, batch: Batch, keep: bool = False, head_scale: np.ndarray | None = None):
    """(logits [B, V], attention weights [L, B, H, n, n], caches for the backward pass if keep).

    head_scale [L, B, H] multiplies each head's output (training's head dropout: 0 drops a head, 1 / (1 - p)
    keeps it); None, as at display time, keeps every head as is.
    """
    a, cfg = params.arrays, params.config
    B, n = batch.ids.shape
    x = a["emb"][batch.ids] + sinusoidal_positional_encoding(n, cfg.d_model)  # [B, n, d]
    key_ok = batch.valid[:, None, None, :]  # [B, 1, 1, n]: padding is never a key
    scale = 1.0 / np.sqrt(cfg.d_head)
    caches, weights = [], []
    for i in range(cfg.n_layers):
        p = params.layer(i)
        h1, ln1 = _ln_forward(x, a[f"l{i}_ln1_g"], a[f"l{i}_ln1_b"])  # [B, n, d]
        qkv = h1.reshape(B * n, -1) @ _stacked(p)  # [B*n, d] @ [d, 3*H*dh] -> [B*n, 3*H*dh]: one matrix product
        q, k, v = qkv.reshape(B, n, 3, cfg.n_heads, cfg.d_head).transpose(2, 0, 3, 1, 4)  # 3 x [B, H, n, dh]
        s = np.where(key_ok, q @ np.ascontiguousarray(np.swapaxes(k, -1, -2)) * scale, -np.inf)  # [B, H, n, n]
        w = np.exp(s - s.max(-1, keepdims=True))
        w /= w.sum(-1, keepdims=True)  # softmax over keys
        o = w @ v  # [B, H, n, n] @ [B, H, n, dh] -> [B, H, n, dh]
        if head_scale is not None:
            o = o * head_scale[i][:, :, None, None]  # [B, H, 1, 1]: a dropped head contributes nothing
        concat = np.swapaxes(o, 1, 2).reshape(B, n, -1)  # [B, n, H * dh]
        x = x + concat @ p.w_o  # [B, n, H*dh] @ [H*dh, d] -> [B, n, d]
        h2, ln2 = _ln_forward(x, a[f"l{i}_ln2_g"], a[f"l{i}_ln2_b"])
        u = h2 @ a[f"l{i}_w1"] + a[f"l{i}_b1"]  # [B, n, f]
        r = np.maximum(u, 0.0)
        x = x + r @ a[f"l{i}_w2"] + a[f"l{i}_b2"]  # [B, n, d]
        weights.append(w)
        if keep:
            caches.append((h1, ln1, q, k, v, w, concat, h2, ln2, u, r))
    xi = x[np.arange(B), batch.it_index]  # [B, d]
    y, lnf = _ln_forward(xi, a["lnf_g"], a["lnf_b"])
    logits = y @ a["w_out"] + a["b_out"]  # [B, d] @ [d, V] -> [B, V]
    return logits, np.stack(weights), (caches, xi, y, lnf) if keep else None


def loss_and_grads(params: Params, batch: Batch, head_scale: np.ndarray | None = None,
                   ) -> tuple[float, dict[str, np.ndarray]]:
    """Mean cross-entropy of the referent over the vocabulary, and its gradient for every parameter array
    (head_scale as in batch_forward)."""
    a, cfg = params.arrays, params.config
    B, n = batch.ids.shape
    logits, _, (caches, xi, y, lnf) = batch_forward(params, batch, keep=True, head_scale=head_scale)
    z = logits - logits.max(-1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(-1, keepdims=True))  # [B, V]
    loss = -float(logp[np.arange(B), batch.target].mean())
    g: dict[str, np.ndarray] = {}
    dlogits = np.exp(logp)
    dlogits[np.arange(B), batch.target] -= 1.0
    dlogits /= B  # d loss / d logits = (softmax - one-hot) / B
    g["w_out"] = y.T @ dlogits
    g["b_out"] = dlogits.sum(0)
    dxi, g["lnf_g"], g["lnf_b"] = _ln_backward(dlogits @ a["w_out"].T, a["lnf_g"], lnf)
    dx = np.zeros((B, n, cfg.d_model), dtype=xi.dtype)
    dx[np.arange(B), batch.it_index] = dxi
    scale = 1.0 / np.sqrt(cfg.d_head)
    for i in reversed(range(cfg.n_layers)):
        h1, ln1, q, k, v, w, concat, h2, ln2, u, r = caches[i]
        p = params.layer(i)
        # feed-forward: x_out = x_mid + relu(h2 W1 + b1) W2 + b2
        g[f"l{i}_w2"] = r.reshape(-1, r.shape[-1]).T @ dx.reshape(-1, cfg.d_model)
        g[f"l{i}_b2"] = dx.reshape(-1, cfg.d_model).sum(0)
        du = (dx @ a[f"l{i}_w2"].T) * (u > 0)  # [B, n, f]
        g[f"l{i}_w1"] = h2.reshape(-1, cfg.d_model).T @ du.reshape(-1, du.shape[-1])
        g[f"l{i}_b1"] = du.reshape(-1, du.shape[-1]).sum(0)
        dh2, g[f"l{i}_ln2_g"], g[f"l{i}_ln2_b"] = _ln_backward(du @ a[f"l{i}_w1"].T, a[f"l{i}_ln2_g"], ln2)
        dx = dx + dh2
        # attention: x_mid = x_in + concat W_o
        g[f"l{i}_w_o"] = concat.reshape(-1, concat.shape[-1]).T @ dx.reshape(-1, cfg.d_model)
        dconcat = dx @ p.w_o.T  # [B, n, H*dh]
        do = np.swapaxes(dconcat.reshape(B, n, cfg.n_heads, cfg.d_head), 1, 2)  # [B, H, n, dh]
        if head_scale is not None:
            do = do * head_scale[i][:, :, None, None]
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
