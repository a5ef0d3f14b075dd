"""Greedy decoding, the attention states of one sentence, and exact-match accuracy on the held-out set.

Every attention step, whether of a whole batch while decoding or of one sentence for a page, is the kernel's
additive_attention on the decoder state (the query) and the encoder states (keys and values).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from attention_core import additive_attention, padding_mask
from models import toy_tamil
from models.rnn import gru_forward, gru_step

from .model import Seq2Seq, check_source, encode, gru_params, output_layer, source_ids

__all__ = [
    "MAX_TARGET_LEN", "AttentionStates", "Translation", "attention_states", "evaluate", "translate",
    "translate_batch",
]

MAX_TARGET_LEN = 60  # the longest English sentence in the corpus has 46 words


class AttentionStates(NamedTuple):
    source: tuple[str, ...]  # Tamil tokens
    target: tuple[str, ...]  # English words the decoder was fed (its own greedy output unless given)
    encoder: np.ndarray  # [S, H] encoder states: the keys and values
    queries: np.ndarray  # [T, H] decoder states s_i, the state that produced target[i]: the queries
    weights: np.ndarray | None  # [T, S] the model's additive attention weights (None without attention)
    scores: np.ndarray | None  # [T, S] the additive scores e_ij before softmax


class Translation(NamedTuple):
    tokens: tuple[str, ...]  # English output, without </s>
    weights: np.ndarray | None  # [T_out, T_src] cross-attention weights (rows sum to 1); None without attention


def _greedy(model: Seq2Seq, src: np.ndarray, src_valid: np.ndarray, max_len: int = MAX_TARGET_LEN) -> np.ndarray:
    """Greedy decoding of a whole batch at once.  src [B, S] -> output ids [B, L] (0 after </s>)."""
    p, cfg = model.params, model.config
    enc_states, _ = encode(model, src, src_valid)  # [B, S, H]
    b = src.shape[0]
    s = enc_states[:, -1]  # [B, H]
    dec = gru_params(p, "dec")
    mask = padding_mask(src_valid)  # [B, 1, S]: no attention to padding
    y = np.full(b, 1, np.int64)  # <s>
    done = np.zeros(b, bool)
    out = np.zeros((b, max_len), np.int64)
    for i in range(max_len):
        s = gru_step(dec, p["tgt_emb"][y], s)  # [B, H]
        if cfg.attention:
            # one query per sentence: [B, 1, H] against keys = values = [B, S, H] -> context [B, 1, H]
            att = additive_attention(s[:, None, :], enc_states, enc_states, p["att_w_q"], p["att_w_k"], p["att_v"],
                                     mask=mask)  # fmt: skip
            feat = np.concatenate([s, att.output[:, 0]], axis=-1)  # [B, 2H]
        else:
            feat = s
        y = np.argmax(output_layer(p, feat)[1], axis=-1)  # [B]
        y[done] = 0
        out[:, i] = y
        done |= y == 2
        if done.all():
            return out[:, : i + 1]
    return out


def _words(model: Seq2Seq, ids: np.ndarray) -> tuple[str, ...]:
    words = []
    for i in ids:
        if i == 2 or i == 0:
            break
        words.append(model.tgt_vocab[i])
    return tuple(words)


def translate_batch(model: Seq2Seq, sources: Sequence[Sequence[str]], chunk: int = 512) -> list[tuple[str, ...]]:
    """Greedy translations of many source sentences, decoded in length-sorted chunks."""
    sources = [check_source(model, s) for s in sources]
    order = np.argsort([len(s) for s in sources], kind="stable")
    result: list[tuple[str, ...]] = [()] * len(sources)
    for start in range(0, len(order), chunk):
        idx = order[start : start + chunk]
        src, valid = source_ids(model, [sources[i] for i in idx])
        out = _greedy(model, src, valid)
        for row, i in enumerate(idx):
            result[i] = _words(model, out[row])
    return result


def attention_states(model: Seq2Seq, source_tokens: Sequence[str], target: Sequence[str] | None = None) -> AttentionStates:
    """Encoder states and decoder query states for one sentence, for comparing scoring functions on them.

    With `target` None the decoder is fed its own greedy translation, so queries[i] is the state that produced
    output word i. The decoder's states depend only on the words before, so this equals what decoding saw.
    """
    tokens = check_source(model, source_tokens)
    if target is None:
        target = translate_batch(model, [tokens])[0]
    tindex = {w: i for i, w in enumerate(model.tgt_vocab)}
    missing = [w for w in target if w not in tindex or tindex[w] < 3]
    if missing:
        raise ValueError(f"unknown English word(s): {', '.join(map(repr, missing))}")
    p = model.params
    src, valid = source_ids(model, [tokens])
    enc, _ = encode(model, src, valid)  # [1, S, H]
    tgt_in = np.array([[1, *(tindex[w] for w in target)]])[:, : max(len(target), 1)]  # <s> y_1 .. y_{T-1}
    dec, _ = gru_forward(gru_params(p, "dec"), p["tgt_emb"][tgt_in], enc[:, -1])  # [1, T, H]
    dec = dec[:, : len(target)]
    weights = scores = None
    if model.config.attention:
        if len(target):
            att = additive_attention(dec[0], enc[0], enc[0], p["att_w_q"], p["att_w_k"], p["att_v"])
            weights, scores = att.weights, att.scores
        else:  # the model stopped at once: no rows
            weights = scores = np.zeros((0, len(tokens)), enc.dtype)
    return AttentionStates(tokens, tuple(target), enc[0], dec[0], weights, scores)


def translate(model: Seq2Seq, source_tokens: Sequence[str]) -> Translation:
    """Greedy translation of one sentence and, for the attention model, its cross-attention weights [T_out, T_src].

    ValueError (naming the tokens) for unknown tokens, an empty sentence or one longer than MAX_SOURCE_LEN.
    """
    states = attention_states(model, source_tokens)
    return Translation(states.target, states.weights)


def evaluate(model: Seq2Seq, sentences: Sequence[toy_tamil.Sentence] | None = None,
             per_length: bool = False) -> dict:  # fmt: skip
    """Exact-match accuracy on `sentences` (default: the held-out set), per source-length bucket
    ({"3-7": 0.99, ...}) or, with per_length, per source length ({3: 1.0, 4: 0.98, ...})."""
    if sentences is None:
        sentences = toy_tamil.held_out_set()
    outputs = translate_batch(model, [s.source for s in sentences])
    hits: dict = {} if per_length else {f"{lo}-{hi}": [] for lo, hi in toy_tamil.LENGTH_BUCKETS}
    for s, out in zip(sentences, outputs, strict=True):
        key = len(s.source) if per_length else toy_tamil.bucket_of(len(s.source))
        if key is not None:
            hits.setdefault(key, []).append(out == s.english)
    return {k: round(float(np.mean(v)), 4) for k, v in sorted(hits.items(), key=lambda kv: _order(kv[0])) if v}


def _order(key) -> int:
    return key if isinstance(key, int) else int(str(key).split("-")[0])
