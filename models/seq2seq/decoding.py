"""Greedy decoding, the attention states of one sentence, and exact-match accuracy on the held-out set.

Every attention step, whether of a whole batch while decoding or of one sentence for a page, is the kernel's
additive_attention on the previous decoder state s_{i-1} (the query) and the annotations (keys and values).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from attention_core import padding_mask
from models import toy_tamil

from .bleu import ZERO, BleuStats, score
from .model import (
    Decoded,
    Seq2Seq,
    check_source,
    decode_step,
    encode,
    init_state,
    output_features,
    output_layer,
    source_ids,
)

__all__ = [
    "MAX_TARGET_LEN", "AttentionStates", "Translation", "accuracy", "attention_states", "bleu_by_bucket", "evaluate",
    "translate", "translate_batch",
]

MAX_TARGET_LEN = 90  # the longest English sentence of the toy language has about 70 words


class AttentionStates(NamedTuple):
    source: tuple[str, ...]  # Tamil tokens
    target: tuple[str, ...]  # English words the decoder was fed (its own greedy output unless given)
    encoder: np.ndarray  # [S, H] annotations h_j = [→h_j; ←h_j]: the keys and values
    queries: np.ndarray  # [T, H] row i is s_{i-1}, the decoder state before target[i] (s_0 first): the queries
    weights: np.ndarray | None  # [T, S] the model's additive attention weights (None without attention)
    scores: np.ndarray | None  # [T, S] the additive scores e_ij before softmax


class Translation(NamedTuple):
    tokens: tuple[str, ...]  # English output, without </s>
    weights: np.ndarray | None  # [T_out, T_src] cross-attention weights (rows sum to 1); None without attention


def _run_decoder(model: Seq2Seq, src: np.ndarray, src_valid: np.ndarray, forced: np.ndarray | None = None,
                 max_len: int = MAX_TARGET_LEN) -> tuple[np.ndarray, list[Decoded], np.ndarray]:  # fmt: skip
    """Decode a batch, greedily or fed the words `forced` [B, T] (teacher forcing; <s> is added in front).
    -> (output ids [B, L], 0 after </s>; the steps; s_0 [B, H])."""
    p = model.params
    enc = encode(model, src, src_valid)
    b = src.shape[0]
    mask = padding_mask(src_valid) if model.config.attention else None  # [B, 1, S]: no attention to padding
    s = s0 = init_state(p, enc.summary)  # [B, H]
    y = np.full(b, 1, np.int64)  # <s>
    done = np.zeros(b, bool)
    n_steps = max_len if forced is None else forced.shape[1]
    out = np.zeros((b, n_steps), np.int64)
    steps: list[Decoded] = []
    for i in range(n_steps):
        step = decode_step(model, enc, mask, y, s)
        steps.append(step)
        s = step.state
        if forced is not None:
            y = forced[:, i]
            out[:, i] = y
            continue
        y = np.argmax(output_layer(p, output_features(p, y, s, step.context))[1], axis=-1)  # [B]
        y[done] = 0
        out[:, i] = y
        done |= y == 2
        if done.all():
            return out[:, : i + 1], steps, s0
    return out, steps, s0


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
        out = _run_decoder(model, src, valid)[0]
        for row, i in enumerate(idx):
            result[i] = _words(model, out[row])
    return result


def attention_states(model: Seq2Seq, source_tokens: Sequence[str], target: Sequence[str] | None = None) -> AttentionStates:
    """Encoder states and decoder query states for one sentence, for comparing scoring functions on them.

    With `target` None the decoder is fed its own greedy translation, so queries[i] = s_{i-1} is the state that
    asked where to look for output word i. The decoder's states depend only on the words before, so this equals
    what decoding saw.
    """
    tokens = check_source(model, source_tokens)
    if target is None:
        target = translate_batch(model, [tokens])[0]
    tindex = {w: i for i, w in enumerate(model.tgt_vocab)}
    missing = [w for w in target if w not in tindex or tindex[w] < 3]
    if missing:
        raise ValueError(f"unknown English word(s): {', '.join(map(repr, missing))}")
    src, valid = source_ids(model, [tokens])
    forced = np.array([[tindex[w] for w in target]], np.int64).reshape(1, len(target))
    _, steps, s0 = _run_decoder(model, src, valid, forced)
    encoder = encode(model, src, valid).annotations[0]  # [S, H]
    queries = np.concatenate([s0, *(d.state for d in steps[:-1])])[: len(target)]  # s_0 .. s_{T-1}: [T, H]
    weights = scores = None
    if model.config.attention:
        empty = np.zeros((0, len(tokens)), encoder.dtype)  # the model stopped at once: no rows
        weights = np.concatenate([empty, *(d.weights for d in steps)])  # [T, S]
        scores = np.concatenate([empty, *(d.scores for d in steps)])
    return AttentionStates(tokens, tuple(target), encoder, queries, weights, scores)


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
    return accuracy([out == s.english for s, out in zip(sentences, outputs, strict=True)], sentences, per_length)


def accuracy(exact: Sequence[bool], sentences: Sequence[toy_tamil.Sentence], per_length: bool = False) -> dict:
    """`evaluate`'s figures from one exact-match flag per sentence (a translation equal to its reference)."""
    hits: dict = {} if per_length else {f"{lo}-{hi}": [] for lo, hi in toy_tamil.LENGTH_BUCKETS}
    for s, ok in zip(sentences, exact, strict=True):
        key = len(s.source) if per_length else toy_tamil.bucket_of(len(s.source))
        if key is not None:
            hits.setdefault(key, []).append(bool(ok))
    return {k: round(float(np.mean(v)), 4) for k, v in sorted(hits.items(), key=lambda kv: _order(kv[0])) if v}


def _order(key) -> int:
    return key if isinstance(key, int) else int(str(key).split("-")[0])


def bleu_by_bucket(stats: Sequence[BleuStats], sentences: Sequence[toy_tamil.Sentence], per_length: bool = False,
                   digits: int = 2) -> dict:
    """Corpus BLEU (0-100) of each source-length bucket ({"3-9": 97.1, ...}) or, with per_length, of each source
    length, from one sentence's BLEU counts each (as the paper scores each group of sentences as a corpus)."""
    groups: dict = {} if per_length else {f"{lo}-{hi}": ZERO for lo, hi in toy_tamil.LENGTH_BUCKETS}
    counted: set = set()
    for s, b in zip(sentences, stats, strict=True):
        key = len(s.source) if per_length else toy_tamil.bucket_of(len(s.source))
        if key is not None:
            groups[key] = groups.get(key, ZERO) + b
            counted.add(key)
    return {k: round(score(v), digits) for k, v in sorted(groups.items(), key=lambda kv: _order(kv[0]))
            if k in counted}
