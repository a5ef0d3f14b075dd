"""The translators' parameters, forward pass and hand-written backward pass: RNNsearch (Bahdanau, Cho and Bengio
2014) and the RNN encoder-decoder it was compared with (Cho et al. 2014), at toy size.

    encoder    attention:  →h_j = GRU_f(x_j, →h_{j-1}),  ←h_j = GRU_b(x_j, ←h_{j+1}),  annotation h_j = [→h_j; ←h_j]
               (H/2 numbers each way, so h_j has H, like the decoder state; x_j = embedding of the j-th token)
               baseline:   h_j = GRU(x_j, h_{j-1}) with H numbers; its summary of the sentence is c = h_n
    init       s_0 = tanh(←h_1 W_s + b_s)  (the backward state after reading the whole sentence, as in the paper);
               the baseline: s_0 = tanh(c W_s + b_s)
    context    attention:  e_ij = v_a . tanh(s_{i-1} W_a + h_j U_a),  α_i = softmax(e_i),  c_i = Σ_j α_ij h_j
               (the PREVIOUS decoder state asks; attention_core.additive_attention computes it)
               baseline:   c_i = c = h_n at every step
    decoder    s_i = GRU([E y_{i-1}; c_i], s_{i-1})         (the context enters the gates too)
    output     t_i = tanh([s_i; E y_{i-1}; c_i] W_c + b_c),  p(y_i | ...) = softmax(t_i W_o + b_o)

The baseline is RNNencdec, the model Bahdanau et al. compared RNNsearch with (Cho et al. 2014): the encoder's
summary c enters every decoder step and the output layer, not only s_0. So both decoders read an H-number context
at every step through weights of the same shapes; what differs is only where the context comes from: one fixed
vector, or a fresh weighted sum of all the annotations.

The output layer is one tanh layer of `out` units where the paper has a maxout layer (500 units, pool size 2):
the same inputs s_i, y_{i-1} and c_i, a simpler nonlinearity. The softmax and the attention are the kernel's
(attention_core), which computes forward only; every backward pass is written here and checked against finite
differences in tests/models/test_seq2seq.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from attention_core import additive_attention, padding_mask, softmax
from models import toy_tamil
from models.rnn import (
    GRUCache,
    GRUParams,
    GRUStepCache,
    gru_backward,
    gru_forward,
    gru_init,
    gru_input_influence,
    gru_param_grads,
    gru_step_backward,
    gru_step_cached,
)

__all__ = [
    "BOS", "EOS", "MODEL_NAMES", "PAD", "UNK", "Batch", "Config", "Decoded", "Encoded", "Seq2Seq", "check_source",
    "decode_step", "encode", "encoder_input_influence", "encoder_states", "gru_params", "init_model",
    "init_state", "loss_and_grads", "output_features", "output_layer", "source_ids",
]

PAD, UNK, BOS, EOS = "<pad>", "<unk>", "<s>", "</s>"
MODEL_NAMES = ("attention", "no_attention")


@dataclass(frozen=True)
class Config:
    attention: bool = True
    emb: int = 64  # embedding size, source and target
    hidden: int = 128  # decoder state s_i and context c_i; the annotations h_j (H/2 each way) or the baseline's h_n
    attn: int = 64  # additive attention's inner size d_a
    out: int = 128  # size of the tanh output layer before the softmax

    @property
    def enc_hidden(self) -> int:
        """State size of each encoder GRU: H/2 per direction with attention, H for the one-way baseline."""
        return self.hidden // 2 if self.attention else self.hidden


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
    if config.attention and config.hidden % 2:
        raise ValueError(f"the bidirectional encoder splits hidden in two halves; got an odd hidden={config.hidden}")
    rng = np.random.default_rng(seed)
    src_vocab = (PAD, UNK, *toy_tamil.source_vocabulary())
    tgt_vocab = (PAD, BOS, EOS, *toy_tamil.target_vocabulary())
    e, h, a, o, he = config.emb, config.hidden, config.attn, config.out, config.enc_hidden

    def uni(*shape: int) -> np.ndarray:
        return rng.uniform(-1, 1, shape).astype(dtype) / np.sqrt(shape[0]).astype(dtype)

    p: dict[str, np.ndarray] = {"src_emb": (0.3 * rng.standard_normal((len(src_vocab), e))).astype(dtype)}
    p.update({f"enc_{k}": v for k, v in gru_init(e, he, rng, dtype)._asdict().items()})  # forward (or only) GRU
    if config.attention:
        p.update({f"enc_bwd_{k}": v for k, v in gru_init(e, he, rng, dtype)._asdict().items()})
    p["init_w"], p["init_b"] = uni(he, h), np.zeros(h, dtype)  # W_s, b_s
    p["tgt_emb"] = (0.3 * rng.standard_normal((len(tgt_vocab), e))).astype(dtype)
    c = h  # the context's width: c_i (attention) or c = h_n (baseline), H numbers either way
    p.update({f"dec_{k}": v for k, v in gru_init(e + c, h, rng, dtype)._asdict().items()})  # input [E y; c]
    if config.attention:
        p["att_w_q"], p["att_w_k"], p["att_v"] = uni(h, a), uni(h, a), uni(a)  # W_a, U_a, v_a
    p["out_w_c"], p["out_b_c"] = uni(h + e + c, o), np.zeros(o, dtype)  # from [s_i; E y_{i-1}; c_i]
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
    """A GRU's weights out of the flat parameter dict: "enc" (forward or only encoder), "enc_bwd", "dec"."""
    return GRUParams(*(params[f"{prefix}_{k}"] for k in GRUParams._fields))


class Encoded(NamedTuple):
    annotations: np.ndarray  # [B, S, H]: h_j = [→h_j; ←h_j] (attention) or the one-way state h_j (baseline)
    summary: np.ndarray  # [B, He]: what s_0 is made from: ←h_1 (attention) or h_n (baseline)
    caches: tuple[GRUCache, ...]  # forward GRU's, then the backward GRU's (attention only)


def encode(model: Seq2Seq, src: np.ndarray, src_valid: np.ndarray) -> Encoded:
    """Run the encoder over padded source ids.  src [B, S], src_valid [B, S] -> Encoded.

    Padding after a sentence's end carries the forward state on (so states[:, -1] is h_n); the backward GRU reads
    the reversed rows, where the padding comes first and leaves its zero state alone until the last real token.
    """
    p = model.params
    x = p["src_emb"][src]  # [B, S, E]
    fwd, fwd_cache = gru_forward(gru_params(p, "enc"), x, None, src_valid)  # [B, S, He]
    if not model.config.attention:
        return Encoded(fwd, fwd[:, -1], (fwd_cache,))
    bwd_rev, bwd_cache = gru_forward(gru_params(p, "enc_bwd"), x[:, ::-1], None, src_valid[:, ::-1])
    bwd = bwd_rev[:, ::-1]  # [B, S, He]: bwd[:, j] = ←h_j, which has read tokens j .. end
    return Encoded(np.concatenate([fwd, bwd], axis=-1), bwd[:, 0], (fwd_cache, bwd_cache))


def init_state(p: dict[str, np.ndarray], summary: np.ndarray) -> np.ndarray:
    """s_0 = tanh(summary W_s + b_s).  [B, He] -> [B, H]"""
    return np.tanh(summary @ p["init_w"] + p["init_b"])


class Decoded(NamedTuple):
    state: np.ndarray  # [B, H] s_i
    context: np.ndarray  # [B, H] c_i (attention) or the same c = h_n at every step (baseline)
    weights: np.ndarray | None  # [B, S] α_i (attention only)
    scores: np.ndarray | None  # [B, S] e_i before softmax (attention only)
    cache: GRUStepCache


def decode_step(model: Seq2Seq, enc: Encoded, mask: np.ndarray | None, y_prev: np.ndarray, s_prev: np.ndarray) -> Decoded:
    """One decoder step: attend with s_{i-1} (the baseline's context is always c = h_n), then
    s_i = GRU([E y_{i-1}; c_i], s_{i-1}).  y_prev [B] ids, s_prev [B, H], mask [B, 1, S] -> Decoded."""
    p = model.params
    weights = scores = None
    if model.config.attention:
        # one query per sentence: [B, 1, H] against keys = values = annotations [B, S, H] -> context [B, 1, H]
        ann = enc.annotations
        att = additive_attention(s_prev[:, None, :], ann, ann, p["att_w_q"], p["att_w_k"], p["att_v"], mask=mask)
        context, weights, scores = att.output[:, 0], att.weights[:, 0], att.scores[:, 0]
    else:
        context = enc.summary  # [B, H]: RNNencdec hands the decoder the same summary at every step
    x = np.concatenate([p["tgt_emb"][y_prev], context], axis=-1)  # [B, E + H]
    state, cache = gru_step_cached(gru_params(p, "dec"), x, s_prev)
    return Decoded(state, context, weights, scores, cache)


def output_layer(p: dict[str, np.ndarray], feat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """t = tanh(feat W_c + b_c) and the vocabulary logits t W_o + b_o, with feat = [s_i; E y_{i-1}; c_i].
    feat [..., H + E + C] -> ([..., D], [..., V])"""
    o = np.tanh(feat @ p["out_w_c"] + p["out_b_c"])  # [..., F] @ [F, D] -> [..., D]
    return o, o @ p["out_w"] + p["out_b"]  # [..., D] @ [D, V] -> [..., V]


def output_features(p: dict[str, np.ndarray], y_prev: np.ndarray, state: np.ndarray, context: np.ndarray) -> np.ndarray:
    """[s_i; E y_{i-1}; c_i], what the output layer reads.  -> [..., H + E + C]"""
    return np.concatenate([state, p["tgt_emb"][y_prev], context], axis=-1)


def encoder_states(model: Seq2Seq, source_tokens: Sequence[str]) -> np.ndarray:
    """The encoder's annotation of each source token: [→h_j; ←h_j] with attention, the one-way state h_j without.
    [S] tokens -> [S, H]."""
    src, valid = source_ids(model, [check_source(model, source_tokens)])
    return encode(model, src, valid).annotations[0]


def encoder_input_influence(model: Seq2Seq, source_tokens: Sequence[str], norm: str = "fro") -> np.ndarray:
    """‖d h_n / d x_t‖ for each source position t of the forward encoder GRU (x_t = the token's embedding): for
    the baseline, how much each word moves the one state the decoder gets.  -> [S]"""
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
    h, e = cfg.hidden, cfg.emb
    enc = encode(model, batch.src, batch.src_valid)
    mask = padding_mask(batch.src_valid) if cfg.attention else None  # [B, 1, S]
    s = s0 = init_state(p, enc.summary)  # [B, H]
    steps: list[Decoded] = []
    for i in range(batch.tgt_in.shape[1]):  # sequential: step i's query is step i-1's state
        steps.append(decode_step(model, enc, mask, batch.tgt_in[:, i], s))
        s = steps[-1].state
    states = np.stack([d.state for d in steps], axis=1)  # [B, T, H]
    contexts = np.stack([d.context for d in steps], axis=1)  # [B, T, H]
    feat = output_features(p, batch.tgt_in, states, contexts)  # [B, T, H + E + C]
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
    d_states, d_tgt_x, d_contexts = d_feat[..., :h], d_feat[..., h : h + e].copy(), d_feat[..., h + e :]

    dec = gru_params(p, "dec")
    d_enc = _DecoderGrads.zeros(enc, cfg, p["att_w_q"].dtype) if cfg.attention else None
    d_pres, d_hws = [], []
    kp = enc.annotations @ p["att_w_k"] if cfg.attention else None  # [B, S, H] @ [H, A] -> [B, S, A], once
    ds = np.zeros_like(s0)  # dL/ds_i from the steps after i
    d_c_total = np.zeros_like(enc.summary)  # baseline: dL/dc summed over the steps
    for i in range(len(steps) - 1, -1, -1):
        step = steps[i]
        d_pre_i, d_hw_i, dx, ds_prev = gru_step_backward(dec, step.cache, ds + d_states[:, i])
        d_pres.append(d_pre_i)
        d_hws.append(d_hw_i)
        d_tgt_x[:, i] += dx[:, :e]
        d_c = dx[:, e:] + d_contexts[:, i]  # [B, H]
        if cfg.attention:
            ds_prev = ds_prev + _attention_step_backward(p, enc, kp, step, d_c, d_enc)
        else:
            d_c_total += d_c  # every step read the same c = h_n
        ds = ds_prev
    g.update({f"dec_{k}": v for k, v in gru_param_grads(
        np.stack([d.cache.x for d in steps], 1), np.stack([d.cache.h for d in steps], 1),
        np.stack(d_pres[::-1], 1), np.stack(d_hws[::-1], 1))._asdict().items()})  # fmt: skip

    d_s0 = ds * (1.0 - s0 * s0)  # through s_0 = tanh(summary W_s + b_s)
    g["init_w"] = enc.summary.T @ d_s0  # [He, B] @ [B, H] -> [He, H]
    g["init_b"] = d_s0.sum(axis=0)
    d_summary = d_s0 @ p["init_w"].T  # [B, He]
    if cfg.attention:
        g["att_w_q"] = d_enc.w_q
        g["att_v"] = d_enc.v
        g["att_w_k"] = enc.annotations.reshape(-1, h).T @ d_enc.kp.reshape(-1, d_enc.kp.shape[-1])  # [H, A]
        d_ann = d_enc.ann + d_enc.kp @ p["att_w_k"].T  # [B, S, A] @ [A, H] -> [B, S, H]
        he = cfg.enc_hidden
        fwd_grads, d_x_f, _ = gru_backward(gru_params(p, "enc"), enc.caches[0], d_ann[..., :he])
        # the backward GRU ran on reversed rows: reverse its gradients in, and its input gradients out
        bwd_grads, d_x_b, _ = gru_backward(gru_params(p, "enc_bwd"), enc.caches[1], d_ann[:, ::-1, he:], d_summary)
        d_src_x = d_x_f + d_x_b[:, ::-1]
        g.update({f"enc_bwd_{k}": v for k, v in bwd_grads._asdict().items()})
    else:
        fwd_grads, d_src_x, _ = gru_backward(gru_params(p, "enc"), enc.caches[0], None, d_summary + d_c_total)
    g.update({f"enc_{k}": v for k, v in fwd_grads._asdict().items()})
    g["tgt_emb"] = _embedding_grad(p["tgt_emb"], batch.tgt_in, d_tgt_x)
    g["src_emb"] = _embedding_grad(p["src_emb"], batch.src, d_src_x)
    return loss, g


class _DecoderGrads(NamedTuple):
    """What the decoder's backward loop adds up for the encoder side and the attention weights."""
    ann: np.ndarray  # [B, S, H] dL/d annotations through the values path
    kp: np.ndarray  # [B, S, A] dL/d (annotations U_a), turned into U_a's and the annotations' gradients once
    w_q: np.ndarray  # [H, A]
    v: np.ndarray  # [A]

    @classmethod
    def zeros(cls, enc: Encoded, cfg: Config, dtype) -> _DecoderGrads:
        b, s_len, h = enc.annotations.shape
        a = cfg.attn
        z = np.zeros
        return cls(z((b, s_len, h), dtype), z((b, s_len, a), dtype), z((h, a), dtype), z(a, dtype))


def _attention_step_backward(p, enc: Encoded, kp: np.ndarray, step: Decoded, d_c: np.ndarray,
                             acc: _DecoderGrads) -> np.ndarray:  # fmt: skip
    """Backward of c_i = Σ_j α_ij h_j, α_i = softmax_j(v_a . tanh(s_{i-1} W_a + h_j U_a)), given dL/dc_i [B, H].
    kp [B, S, A] = annotations @ U_a. Adds into acc in place; returns dL/ds_{i-1} [B, H] through the query."""
    w_q, v_a = p["att_w_q"], p["att_v"]
    ann, alpha, s_prev = enc.annotations, step.weights, step.cache.h  # [B, S, H], [B, S], [B, H]
    acc.ann[...] += alpha[:, :, None] * d_c[:, None, :]  # values path
    d_alpha = np.einsum("bsh,bh->bs", ann, d_c)  # [B, S]
    d_e = alpha * (d_alpha - (d_alpha * alpha).sum(-1, keepdims=True))  # softmax backward; 0 where masked
    hidden = np.tanh((s_prev @ w_q)[:, None, :] + kp)  # [B, S, A], recomputed rather than stored
    acc.v[...] += np.einsum("bs,bsa->a", d_e, hidden)
    d_pre = d_e[..., None] * v_a * (1.0 - hidden * hidden)  # [B, S, A]
    acc.kp[...] += d_pre
    d_q = d_pre.sum(axis=1)  # [B, A]
    acc.w_q[...] += s_prev.T @ d_q  # [H, B] @ [B, A] -> [H, A]
    return d_q @ w_q.T  # [B, A] @ [A, H] -> [B, H]


def _embedding_grad(table: np.ndarray, ids: np.ndarray, d_x: np.ndarray) -> np.ndarray:
    g = np.zeros_like(table)
    np.add.at(g, ids.reshape(-1), d_x.reshape(-1, d_x.shape[-1]))
    return g
