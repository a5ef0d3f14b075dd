"""The translators' parameters, forward pass and hand-written backward pass.

    encoder   states = GRU(source embeddings)                       [S, H]; h_n = states[-1]
    decoder   s_i = GRU(embedding of y_{i-1}, s_{i-1}),  s_0 = h_n    [T, H]
    attention c_i = additive_attention(query s_i, keys = values = encoder states)        (attention model only)
    output    o_i = tanh([s_i; c_i] W_c + b_c),  p(y_i) = softmax(o_i W_o + b_o)       (no c_i without attention)

The scores are Bahdanau's (additive); the query is the decoder's current state s_i, as in Luong et al. 2015, so
that all queries of a training batch go through one additive_attention call. The attention and the softmax are the
kernel's own (attention_core); only their backward pass is written here, since the kernel computes forward only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from attention_core import additive_attention, padding_mask, softmax
from models import toy_tamil
from models.rnn import GRUParams, gru_backward, gru_forward, gru_init, gru_input_influence

__all__ = [
    "BOS", "EOS", "MODEL_NAMES", "PAD", "UNK", "Batch", "Config", "Seq2Seq", "check_source", "encode",
    "encoder_input_influence", "encoder_states", "gru_params", "init_model", "loss_and_grads", "output_layer",
    "source_ids",
]

PAD, UNK, BOS, EOS = "<pad>", "<unk>", "<s>", "</s>"
MODEL_NAMES = ("attention", "no_attention")


@dataclass(frozen=True)
class Config:
    attention: bool = True
    emb: int = 64  # embedding size, source and target
    hidden: int = 128  # GRU state size, encoder and decoder
    attn: int = 64  # additive attention's inner size d_a
    out: int = 128  # size of the tanh layer before the softmax


class Seq2Seq(NamedTuple):
    config: Config
    params: dict[str, np.ndarray]
    src_vocab: tuple[str, ...]  # index -> Tamil token; 0 = <pad>, 1 = <unk>
    tgt_vocab: tuple[str, ...]  # index -> English word; 0 = <pad>, 1 = <s>, 2 = </s>

    @property
    def name(self) -> str:
        return "attention" if self.config.attention else "no_attention"

    @property
    def src_index(self) -> dict[str, int]:
        return {w: i for i, w in enumerate(self.src_vocab)}


class Batch(NamedTuple):
    src: np.ndarray  # [B, S] int, 0 = padding
    src_valid: np.ndarray  # [B, S] bool
    tgt_in: np.ndarray  # [B, T] int: <s> y_1 ... y_{T-1}
    tgt_out: np.ndarray  # [B, T] int: y_1 ... y_{T-1} </s>
    tgt_valid: np.ndarray  # [B, T] bool


def init_model(config: Config = Config(), seed: int = 0, dtype=np.float32) -> Seq2Seq:
    """A freshly initialised model over the toy language's vocabularies."""
    rng = np.random.default_rng(seed)
    src_vocab = (PAD, UNK, *toy_tamil.source_vocabulary())
    tgt_vocab = (PAD, BOS, EOS, *toy_tamil.target_vocabulary())
    e, h, a, o = config.emb, config.hidden, config.attn, config.out
    feat = 2 * h if config.attention else h

    def uni(*shape: int) -> np.ndarray:
        return rng.uniform(-1, 1, shape).astype(dtype) / np.sqrt(shape[0]).astype(dtype)

    p: dict[str, np.ndarray] = {"src_emb": (0.3 * rng.standard_normal((len(src_vocab), e))).astype(dtype)}
    p.update({f"enc_{k}": v for k, v in gru_init(e, h, rng, dtype)._asdict().items()})
    p["tgt_emb"] = (0.3 * rng.standard_normal((len(tgt_vocab), e))).astype(dtype)
    p.update({f"dec_{k}": v for k, v in gru_init(e, h, rng, dtype)._asdict().items()})
    if config.attention:
        p["att_w_q"], p["att_w_k"], p["att_v"] = uni(h, a), uni(h, a), uni(a)
    p["out_w_c"], p["out_b_c"] = uni(feat, o), np.zeros(o, dtype)
    p["out_w"], p["out_b"] = uni(o, len(tgt_vocab)), np.zeros(len(tgt_vocab), dtype)
    return Seq2Seq(config, p, src_vocab, tgt_vocab)


# ---------------------------------------------------------------------------------------------------------------
# Source sentences


def check_source(model: Seq2Seq, source_tokens: Sequence[str]) -> tuple[str, ...]:
    """The tokens as a tuple; ValueError (naming the tokens) for unknown ones, an empty or an over-long sentence."""
    if isinstance(source_tokens, str):
        raise ValueError("source_tokens must be a sequence of tokens; use toy_tamil.tokenize for a typed sentence")
    tokens = tuple(source_tokens)
    if not tokens:
        raise ValueError("the source sentence is empty")
    if len(tokens) > toy_tamil.MAX_SOURCE_LEN:
        raise ValueError(f"the source has {len(tokens)} tokens; the models take at most {toy_tamil.MAX_SOURCE_LEN}")
    index = model.src_index
    unknown = [t for t in dict.fromkeys(tokens) if t not in index or index[t] < 2]
    if unknown:
        raise ValueError(f"unknown source token(s): {', '.join(map(repr, unknown))}")
    return tokens


def source_ids(model: Seq2Seq, sources: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray]:
    """Token ids padded to the longest sentence, and where they are real tokens.  -> src [B, S], src_valid [B, S]"""
    index = model.src_index
    s_len = max(len(s) for s in sources)
    src = np.zeros((len(sources), s_len), np.int64)
    for i, s in enumerate(sources):
        src[i, : len(s)] = [index.get(t, 1) for t in s]
    return src, src > 0


# ---------------------------------------------------------------------------------------------------------------
# Forward


def gru_params(params: dict[str, np.ndarray], prefix: str) -> GRUParams:
    """The encoder's ("enc") or the decoder's ("dec") GRU weights out of the flat parameter dict."""
    return GRUParams(*(params[f"{prefix}_{k}"] for k in GRUParams._fields))


def encode(model: Seq2Seq, src: np.ndarray, src_valid: np.ndarray):
    """Encoder states [B, S, H] (padding carries the last real state) and the cache for the backward pass."""
    p = model.params
    return gru_forward(gru_params(p, "enc"), p["src_emb"][src], None, src_valid)  # [B, S, E] -> [B, S, H]


def output_layer(p: dict[str, np.ndarray], feat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """o = tanh(feat W_c + b_c) and the vocabulary logits o W_o + b_o.  feat [..., F] -> ([..., D], [..., V])"""
    o = np.tanh(feat @ p["out_w_c"] + p["out_b_c"])  # [..., F] @ [F, D] -> [..., D]
    return o, o @ p["out_w"] + p["out_b"]  # [..., D] @ [D, V] -> [..., V]


def encoder_states(model: Seq2Seq, source_tokens: Sequence[str]) -> np.ndarray:
    """The encoder's state after each source token.  [S] tokens -> [S, H]; the last row is h_n."""
    src, valid = source_ids(model, [check_source(model, source_tokens)])
    return encode(model, src, valid)[0][0]


def encoder_input_influence(model: Seq2Seq, source_tokens: Sequence[str], norm: str = "fro") -> np.ndarray:
    """‖d h_n / d x_t‖ for each source position t of the trained encoder (x_t = the token's embedding).  -> [S]"""
    src, _ = source_ids(model, [check_source(model, source_tokens)])
    p = model.params
    x = p["src_emb"][src[0]].astype(np.float64)
    enc = GRUParams(*(a.astype(np.float64) for a in gru_params(p, "enc")))
    return gru_input_influence(enc, x, norm=norm)


# ---------------------------------------------------------------------------------------------------------------
# Loss and backward


def loss_and_grads(model: Seq2Seq, batch: Batch) -> tuple[float, dict[str, np.ndarray]]:
    """Mean cross-entropy per target token under teacher forcing, and its gradient for every parameter."""
    p, cfg = model.params, model.config
    h = cfg.hidden
    enc_states, enc_cache = encode(model, batch.src, batch.src_valid)  # [B, S, H]
    dec_states, dec_cache = gru_forward(gru_params(p, "dec"), p["tgt_emb"][batch.tgt_in], enc_states[:, -1])  # [B, T, H]
    if cfg.attention:
        att = additive_attention(dec_states, enc_states, enc_states, p["att_w_q"], p["att_w_k"], p["att_v"],
                                 mask=padding_mask(batch.src_valid))  # fmt: skip
        feat = np.concatenate([dec_states, att.output], axis=-1)  # [B, T, 2H]
    else:
        feat = dec_states
    o, logits = output_layer(p, feat)  # [B, T, D], [B, T, V]

    probs = softmax(logits)  # [B, T, V]
    valid = batch.tgt_valid
    n_tokens = max(int(valid.sum()), 1)
    b_idx, t_idx = np.nonzero(valid)
    picked = probs[b_idx, t_idx, batch.tgt_out[b_idx, t_idx]]
    loss = float(-np.log(np.maximum(picked, 1e-30)).sum() / n_tokens)

    g: dict[str, np.ndarray] = {}
    d_logits = probs
    d_logits[b_idx, t_idx, batch.tgt_out[b_idx, t_idx]] -= 1.0
    d_logits *= (valid / n_tokens)[..., None].astype(d_logits.dtype)
    v_size, d_out, f_size = d_logits.shape[-1], o.shape[-1], feat.shape[-1]
    g["out_w"] = o.reshape(-1, d_out).T @ d_logits.reshape(-1, v_size)  # [D, BT] @ [BT, V] -> [D, V]
    g["out_b"] = d_logits.sum(axis=(0, 1))
    d_pre = (d_logits @ p["out_w"].T) * (1.0 - o * o)  # [B, T, D]
    g["out_w_c"] = feat.reshape(-1, f_size).T @ d_pre.reshape(-1, d_out)  # [F, BT] @ [BT, D] -> [F, D]
    g["out_b_c"] = d_pre.sum(axis=(0, 1))
    d_feat = d_pre @ p["out_w_c"].T  # [B, T, F]
    d_dec = d_feat[..., :h]
    d_enc = np.zeros_like(enc_states)
    if cfg.attention:
        d_dec = d_dec.copy()
        g["att_w_q"], g["att_w_k"], g["att_v"] = _additive_backward(
            p, dec_states, enc_states, att.weights, d_feat[..., h:], d_dec, d_enc
        )
    dec_grads, d_tgt_x, d_h0 = gru_backward(gru_params(p, "dec"), dec_cache, d_dec)
    enc_grads, d_src_x, _ = gru_backward(gru_params(p, "enc"), enc_cache, d_enc, d_h0)
    for prefix, grads in (("dec", dec_grads), ("enc", enc_grads)):
        g.update({f"{prefix}_{k}": v for k, v in grads._asdict().items()})
    g["tgt_emb"] = _embedding_grad(p["tgt_emb"], batch.tgt_in, d_tgt_x)
    g["src_emb"] = _embedding_grad(p["src_emb"], batch.src, d_src_x)
    return loss, g


def _additive_backward(p, queries, keys, weights, d_context, d_queries, d_keys):
    """Backward of additive_attention with keys = values. Adds into d_queries [B, T, H] and d_keys [B, S, H] in
    place; returns (d w_q, d w_k, d v_a)."""
    w_q, w_k, v_a = p["att_w_q"], p["att_w_k"], p["att_v"]
    qp, kp = queries @ w_q, keys @ w_k  # [B, T, A], [B, S, A]
    hidden = np.tanh(qp[:, :, None, :] + kp[:, None, :, :])  # [B, T, S, A], recomputed rather than stored
    d_keys += np.swapaxes(weights, 1, 2) @ d_context  # values path: [B, S, T] @ [B, T, H] -> [B, S, H]
    d_w = d_context @ np.swapaxes(keys, 1, 2)  # [B, T, H] @ [B, H, S] -> [B, T, S]
    d_e = weights * (d_w - (d_w * weights).sum(-1, keepdims=True))  # softmax backward; 0 where masked
    d_v = np.einsum("bts,btsa->a", d_e, hidden)
    d_pre = d_e[..., None] * v_a * (1.0 - hidden * hidden)  # [B, T, S, A]
    d_qp, d_kp = d_pre.sum(axis=2), d_pre.sum(axis=1)  # [B, T, A], [B, S, A]
    d_queries += d_qp @ w_q.T
    d_keys += d_kp @ w_k.T
    a = w_q.shape[1]
    d_wq = queries.reshape(-1, queries.shape[-1]).T @ d_qp.reshape(-1, a)  # [H, BT] @ [BT, A] -> [H, A]
    d_wk = keys.reshape(-1, keys.shape[-1]).T @ d_kp.reshape(-1, a)  # [H, BS] @ [BS, A] -> [H, A]
    return d_wq, d_wk, d_v


def _embedding_grad(table: np.ndarray, ids: np.ndarray, d_x: np.ndarray) -> np.ndarray:
    g = np.zeros_like(table)
    np.add.at(g, ids.reshape(-1), d_x.reshape(-1, d_x.shape[-1]))
    return g
