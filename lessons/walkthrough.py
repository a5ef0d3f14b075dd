"""Self-attention opened up: every intermediate matrix, the projections a page can choose, and the sqrt(d) story."""

from __future__ import annotations

import unicodedata
from typing import NamedTuple

import numpy as np

from attention_core.attention import scaled_dot_product_attention, softmax
from attention_core.checks import finite_number, numeric_input, positive_int
from attention_core.masks import causal_mask, padding_mask

__all__ = [
    "SelfAttentionSteps", "projections", "build_mask", "self_attention_steps", "ScalingDemo", "scaling_demo",
    "saturation_curve", "word_in_contexts",
]


class SelfAttentionSteps(NamedTuple):
    x: np.ndarray  # [n, d_model]   the input vectors
    q: np.ndarray  # [n, d_k]       x @ w_q
    k: np.ndarray  # [n, d_k]       x @ w_k
    v: np.ndarray  # [n, d_v]       x @ w_v
    scores: np.ndarray  # [n, n]    q @ k^T
    scaled: np.ndarray  # [n, n]    scores * scale / temperature
    masked: np.ndarray  # [n, n]    scaled, -inf where the mask forbids
    weights: np.ndarray  # [n, n]   softmax of masked, row by row
    output: np.ndarray  # [n, d_v]  weights @ v
    mask: np.ndarray  # [n, n]      bool, True = may attend
    scale: float  # the factor applied before the temperature


def projections(d_model: int, kind: str = "identity", seed: int = 0, d_k: int = 8) -> tuple[np.ndarray, ...]:
    """(w_q, w_k, w_v). "identity": [d_model, d_model] identities, so q = k = v = x and a score is feature overlap.
    "random": seeded Gaussian [d_model, d_k] matrices scaled by 1/sqrt(d_model), like an untrained layer."""
    d_model = positive_int(d_model, "d_model")
    if kind == "identity":
        eye = np.eye(d_model)
        return eye, eye.copy(), eye.copy()
    if kind == "random":
        d_k = positive_int(d_k, "d_k")
        rng = np.random.default_rng(positive_int(seed, "seed", minimum=0))
        return tuple(rng.standard_normal((d_model, d_k)) / np.sqrt(d_model) for _ in range(3))
    raise ValueError(f"kind must be 'identity' or 'random', got {kind!r}")


def build_mask(valid, causal: bool = False) -> np.ndarray:
    """[n] bool (True = real token, False = padding) -> [n, n] bool: keys that are padding are hidden from every
    query, and with causal=True each query also loses the keys after it."""
    valid = np.asarray(valid, dtype=bool)  # [n]
    mask = np.broadcast_to(padding_mask(valid), (len(valid), len(valid)))  # [1, n] -> [n, n]
    return mask & causal_mask(len(valid)) if causal else mask.copy()


def self_attention_steps(x, w_q, w_k, w_v, mask=None, scaled: bool = True, temperature: float = 1.0) -> SelfAttentionSteps:
    """Every matrix between x and the output. scaled=False drops the 1/sqrt(d_k) factor (the unscaled variant)."""
    x = numeric_input(x, "x", 2, "[n, d_model]")
    if x.ndim != 2:
        raise ValueError(f"x must be 2-D [n, d_model], got shape {x.shape}")
    n = x.shape[0]
    q, k, v = (x @ numeric_input(w, name, 2, "[d_model, d]") for w, name in ((w_q, "w_q"), (w_k, "w_k"), (w_v, "w_v")))
    d_k = q.shape[-1]
    scale = 1.0 / np.sqrt(d_k) if scaled and d_k > 0 else 1.0
    temperature = finite_number(temperature, "temperature")
    mask = np.ones((n, n), dtype=bool) if mask is None else np.broadcast_to(np.asarray(mask, dtype=bool), (n, n))
    res = scaled_dot_product_attention(q, k, v, mask=mask, scale=scale, temperature=temperature)
    return SelfAttentionSteps(x, q, k, v, res.scores, res.scores * (scale / temperature), res.logits, res.weights,
                              res.output, np.array(mask), float(scale))


class ScalingDemo(NamedTuple):
    scores: np.ndarray  # [n_keys]  one random query's dot products with random keys
    unscaled: np.ndarray  # [n_keys]  softmax(scores)
    scaled: np.ndarray  # [n_keys]  softmax(scores / sqrt(d))


def scaling_demo(d: int, n_keys: int = 8, seed: int = 0) -> ScalingDemo:
    """One standard-normal query against n_keys standard-normal keys in d dimensions.

    Each dot product is a sum of d unit-variance terms, so its spread grows like sqrt(d): unscaled, softmax puts
    nearly everything on one key; divided by sqrt(d), the spread stays near 1 whatever d is."""
    d = positive_int(d, "d")
    n_keys = positive_int(n_keys, "n_keys")
    rng = np.random.default_rng(positive_int(seed, "seed", minimum=0))
    q = rng.standard_normal(d)  # [d]
    k = rng.standard_normal((n_keys, d))  # [n_keys, d]
    scores = k @ q  # [n_keys, d] @ [d] -> [n_keys]
    return ScalingDemo(scores, softmax(scores), softmax(scores / np.sqrt(d)))


def saturation_curve(ds, n_keys: int = 8, trials: int = 200, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Average largest softmax weight over `trials` random query/key draws, for each d in ds: (unscaled, scaled)."""
    ds = [positive_int(int(d), "d") for d in ds]
    n_keys, trials = positive_int(n_keys, "n_keys"), positive_int(trials, "trials")
    rng = np.random.default_rng(positive_int(seed, "seed", minimum=0))
    unscaled, scaled = [], []
    for d in ds:  # one small batch per d; the d's differ in size, so they cannot share one array
        q = rng.standard_normal((trials, 1, d))  # [t, 1, d]
        k = rng.standard_normal((trials, n_keys, d))  # [t, n_keys, d]
        scores = (q * k).sum(-1)  # [t, n_keys]
        unscaled.append(softmax(scores).max(-1).mean())
        scaled.append(softmax(scores / np.sqrt(d)).max(-1).mean())
    return np.array(unscaled), np.array(scaled)


def word_in_contexts(word: str, sentences, scaled: bool = True, temperature: float = 1.0,
                     positions: bool = False) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """The static vector of `word` [d_model] and its self-attention output in each sentence [k, d_model].

    Identity projections keep the outputs in the same named-feature space as the embeddings, so they can be drawn
    together. Also returns, per sentence, the index of the word (first match, any case); -1 rows (word absent) are 0.
    """
    from lessons.embeddings import D_MODEL, embed, tokenize, word_vector  # local: embeddings imports nothing from here

    eye = np.eye(D_MODEL)
    outputs = np.zeros((len(sentences), D_MODEL))  # [k, d_model]
    where = []
    for row, sentence in enumerate(sentences):
        tokens = tokenize(sentence)
        keys = [_same_word_key(t) for t in tokens]
        i = keys.index(_same_word_key(word)) if _same_word_key(word) in keys else -1
        where.append(i)
        if i >= 0:
            steps = self_attention_steps(embed(tokens, positions), eye, eye, eye, scaled=scaled, temperature=temperature)
            outputs[row] = steps.output[i]  # [d_model]
    return word_vector(word), outputs, where


def _same_word_key(word: str) -> str:
    # Two spellings are the same word when they match after NFC normalisation and case folding, with a curly
    # apostrophe read as a straight one: the comparison the lexicon in lessons.embeddings makes.
    return unicodedata.normalize("NFC", str(word)).casefold().replace("\u2019", "'")
