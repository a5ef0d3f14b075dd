"""Two tiny Tamil -> English translators trained in pure NumPy: the same GRU encoder and GRU decoder, with and
without Bahdanau (additive) attention. They exist to show the blog's first two problems happening in real models:
without attention the whole sentence must squeeze through the encoder's final state and long sentences fail;
with attention the decoder looks back at every source word, in whatever order English needs.

    encoder   states = GRU(source embeddings)                       [S, H]; h_n = states[-1]
    decoder   s_i = GRU(embedding of y_{i-1}, s_{i-1}),  s_0 = h_n    [T, H]
    attention c_i = additive_attention(query s_i, keys = values = encoder states)        (attention model only)
    output    o_i = tanh([s_i; c_i] W_c + b_c),  p(y_i) = softmax(o_i W_o + b_o)       (no c_i without attention)

The scores are Bahdanau's (additive); the query is the decoder's current state s_i, as in Luong et al. 2015, so
that all queries of a training batch go through one additive_attention call.

Training: teacher forcing, cross-entropy, hand-written backward passes, Adam, global-norm gradient clipping.
Decoding: greedy. Command line:

    python -m models.seq2seq train            # rebuilds models/weights/*.npz from a fixed seed
    python -m models.seq2seq evaluate --json  # exact match per source-length bucket on the held-out set

Public API: `MODEL_NAMES`, `Config`, `Seq2Seq`, `WeightsError`, `init_model`, `load_model`, `load_models`,
`save_model`, `weights_path`, `translate`, `Translation`, `translate_batch`, `attention_states`,
`AttentionStates`, `encoder_states`, `encoder_input_influence`, `evaluate`, `loss_and_grads`, `make_batch`,
`Batch`, `TrainSettings`, `train_model`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np

from attention_core.attention import additive_attention, softmax
from attention_core.masks import padding_mask
from models import toy_tamil
from models.rnn import GRUParams, gru_backward, gru_forward, gru_init, gru_input_influence, gru_step

PAD, UNK, BOS, EOS = "<pad>", "<unk>", "<s>", "</s>"
MODEL_NAMES = ("attention", "no_attention")
WEIGHTS_DIR = Path(__file__).resolve().parent / "weights"
MAX_TARGET_LEN = 60  # the longest English sentence in the corpus has 46 words


class WeightsError(Exception):
    """A shipped weights file is missing, unreadable or inconsistent; the message says which and how to rebuild."""


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


def _gru(params: dict[str, np.ndarray], prefix: str) -> GRUParams:
    return GRUParams(*(params[f"{prefix}_{k}"] for k in GRUParams._fields))


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
# Batches


class Batch(NamedTuple):
    src: np.ndarray  # [B, S] int, 0 = padding
    src_valid: np.ndarray  # [B, S] bool
    tgt_in: np.ndarray  # [B, T] int: <s> y_1 ... y_{T-1}
    tgt_out: np.ndarray  # [B, T] int: y_1 ... y_{T-1} </s>
    tgt_valid: np.ndarray  # [B, T] bool


def _source_ids(model: Seq2Seq, sources: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray]:
    index = model.src_index
    s_len = max(len(s) for s in sources)
    src = np.zeros((len(sources), s_len), np.int64)
    for i, s in enumerate(sources):
        src[i, : len(s)] = [index.get(t, 1) for t in s]
    return src, src > 0


def make_batch(model: Seq2Seq, sentences: Sequence[toy_tamil.Sentence]) -> Batch:
    """Token ids, padded to the longest sentence, with validity masks."""
    src, src_valid = _source_ids(model, [s.source for s in sentences])
    tindex = {w: i for i, w in enumerate(model.tgt_vocab)}
    t_len = max(len(s.english) for s in sentences) + 1
    tgt_in = np.zeros((len(sentences), t_len), np.int64)
    tgt_out = np.zeros((len(sentences), t_len), np.int64)
    for i, s in enumerate(sentences):
        ids = [tindex[w] for w in s.english]
        tgt_in[i, : len(ids) + 1] = [1, *ids]
        tgt_out[i, : len(ids) + 1] = [*ids, 2]
    return Batch(src, src_valid, tgt_in, tgt_out, tgt_out > 0)


# ---------------------------------------------------------------------------------------------------------------
# Forward and backward


def _encode(model: Seq2Seq, src: np.ndarray, src_valid: np.ndarray):
    p = model.params
    return gru_forward(_gru(p, "enc"), p["src_emb"][src], None, src_valid)  # [B, S, E] -> [B, S, H]


def _output(p: dict[str, np.ndarray], feat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    o = np.tanh(feat @ p["out_w_c"] + p["out_b_c"])  # [..., F] @ [F, D] -> [..., D]
    return o, o @ p["out_w"] + p["out_b"]  # [..., D] @ [D, V] -> [..., V]


def loss_and_grads(model: Seq2Seq, batch: Batch) -> tuple[float, dict[str, np.ndarray]]:
    """Mean cross-entropy per target token under teacher forcing, and its gradient for every parameter."""
    p, cfg = model.params, model.config
    h = cfg.hidden
    enc_states, enc_cache = _encode(model, batch.src, batch.src_valid)  # [B, S, H]
    dec_states, dec_cache = gru_forward(_gru(p, "dec"), p["tgt_emb"][batch.tgt_in], enc_states[:, -1])  # [B, T, H]
    if cfg.attention:
        att = additive_attention(dec_states, enc_states, enc_states, p["att_w_q"], p["att_w_k"], p["att_v"],
                                 mask=padding_mask(batch.src_valid))  # fmt: skip
        feat = np.concatenate([dec_states, att.output], axis=-1)  # [B, T, 2H]
    else:
        feat = dec_states
    o, logits = _output(p, feat)  # [B, T, D], [B, T, V]

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
    dec_grads, d_tgt_x, d_h0 = gru_backward(_gru(p, "dec"), dec_cache, d_dec)
    enc_grads, d_src_x, _ = gru_backward(_gru(p, "enc"), enc_cache, d_enc, d_h0)
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


# ---------------------------------------------------------------------------------------------------------------
# Greedy decoding


def _greedy(model: Seq2Seq, src: np.ndarray, src_valid: np.ndarray, max_len: int = MAX_TARGET_LEN) -> np.ndarray:
    """Greedy decoding of a whole batch at once.  src [B, S] -> output ids [B, L] (0 after </s>)."""
    p, cfg = model.params, model.config
    enc_states, _ = _encode(model, src, src_valid)
    b = src.shape[0]
    s = enc_states[:, -1]  # [B, H]
    dec = _gru(p, "dec")
    if cfg.attention:
        kp = enc_states @ p["att_w_k"]  # [B, S, A], projected once rather than once per step
        neg = np.where(src_valid, 0.0, -np.inf).astype(kp.dtype)  # [B, S]
    y = np.full(b, 1, np.int64)  # <s>
    done = np.zeros(b, bool)
    out = np.zeros((b, max_len), np.int64)
    for i in range(max_len):
        s = gru_step(dec, p["tgt_emb"][y], s)
        if cfg.attention:
            # the same numbers additive_attention computes, without re-projecting the keys every step
            e = np.tanh((s @ p["att_w_q"])[:, None, :] + kp) @ p["att_v"] + neg  # [B, S]
            w = softmax(e)
            feat = np.concatenate([s, (w[:, None, :] @ enc_states)[:, 0]], axis=-1)  # [B, 2H]
        else:
            feat = s
        y = np.argmax(_output(p, feat)[1], axis=-1)
        y[done] = 0
        out[:, i] = y
        done |= y == 2
        if done.all():
            return out[:, : i + 1]
    return out


def _check_source(model: Seq2Seq, source_tokens: Sequence[str]) -> tuple[str, ...]:
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


def _words(model: Seq2Seq, ids: np.ndarray) -> tuple[str, ...]:
    words = []
    for i in ids:
        if i == 2 or i == 0:
            break
        words.append(model.tgt_vocab[i])
    return tuple(words)


def translate_batch(model: Seq2Seq, sources: Sequence[Sequence[str]], chunk: int = 512) -> list[tuple[str, ...]]:
    """Greedy translations of many source sentences, decoded in length-sorted chunks."""
    sources = [_check_source(model, s) for s in sources]
    order = np.argsort([len(s) for s in sources], kind="stable")
    result: list[tuple[str, ...]] = [()] * len(sources)
    for start in range(0, len(order), chunk):
        idx = order[start : start + chunk]
        src, valid = _source_ids(model, [sources[i] for i in idx])
        out = _greedy(model, src, valid)
        for row, i in enumerate(idx):
            result[i] = _words(model, out[row])
    return result


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


def encoder_states(model: Seq2Seq, source_tokens: Sequence[str]) -> np.ndarray:
    """The encoder's state after each source token.  [S] tokens -> [S, H]; the last row is h_n."""
    src, valid = _source_ids(model, [_check_source(model, source_tokens)])
    return _encode(model, src, valid)[0][0]


def attention_states(model: Seq2Seq, source_tokens: Sequence[str], target: Sequence[str] | None = None) -> AttentionStates:
    """Encoder states and decoder query states for one sentence, for comparing scoring functions on them.

    With `target` None the decoder is fed its own greedy translation, so queries[i] is the state that produced
    output word i. The decoder's states depend only on the words before, so this equals what decoding saw.
    """
    tokens = _check_source(model, source_tokens)
    if target is None:
        target = translate_batch(model, [tokens])[0]
    tindex = {w: i for i, w in enumerate(model.tgt_vocab)}
    missing = [w for w in target if w not in tindex or tindex[w] < 3]
    if missing:
        raise ValueError(f"unknown English word(s): {', '.join(map(repr, missing))}")
    p = model.params
    src, valid = _source_ids(model, [tokens])
    enc, _ = _encode(model, src, valid)  # [1, S, H]
    tgt_in = np.array([[1, *(tindex[w] for w in target)]])[:, : max(len(target), 1)]  # <s> y_1 .. y_{T-1}
    dec, _ = gru_forward(_gru(p, "dec"), p["tgt_emb"][tgt_in], enc[:, -1])  # [1, T, H]
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


def encoder_input_influence(model: Seq2Seq, source_tokens: Sequence[str], norm: str = "fro") -> np.ndarray:
    """‖d h_n / d x_t‖ for each source position t of the trained encoder (x_t = the token's embedding).  -> [S]"""
    src, _ = _source_ids(model, [_check_source(model, source_tokens)])
    p = model.params
    x = p["src_emb"][src[0]].astype(np.float64)
    enc = GRUParams(*(a.astype(np.float64) for a in _gru(p, "enc")))
    return gru_input_influence(enc, x, norm=norm)


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


# ---------------------------------------------------------------------------------------------------------------
# Weights on disk


def weights_path(name: str) -> Path:
    if name not in MODEL_NAMES:
        raise ValueError(f"model name must be one of {MODEL_NAMES}, got {name!r}")
    return WEIGHTS_DIR / f"{name}.npz"


def save_model(model: Seq2Seq, path: str | os.PathLike) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.npz")
    np.savez_compressed(
        tmp,
        config=np.array(json.dumps(asdict(model.config))),
        src_vocab=np.array(model.src_vocab),
        tgt_vocab=np.array(model.tgt_vocab),
        **{f"param_{k}": v.astype(np.float32) for k, v in model.params.items()},
    )
    os.replace(tmp, path)  # never leave a half-written file where the app looks


def load_model(name: str = "attention", path: str | os.PathLike | None = None) -> Seq2Seq:
    """Load shipped weights ("attention" or "no_attention"). WeightsError if missing, corrupt or inconsistent."""
    path = Path(path) if path is not None else weights_path(name)
    rebuild = "rebuild them with `python -m models.seq2seq train`"
    if not path.is_file():
        raise WeightsError(f"weights file {path} is missing; {rebuild}")
    try:
        with np.load(path, allow_pickle=False) as data:
            config = Config(**json.loads(str(data["config"])))
            src_vocab = tuple(str(w) for w in data["src_vocab"])
            tgt_vocab = tuple(str(w) for w in data["tgt_vocab"])
            params = {k[6:]: data[k] for k in data.files if k.startswith("param_")}
    except Exception as exc:  # truncated, not a zip, bad CRC, missing keys, foreign config: all the same to a page
        raise WeightsError(f"weights file {path} is corrupt ({type(exc).__name__}: {exc}); {rebuild}") from None
    expected = init_model(config, dtype=np.float32)
    problems = [k for k in expected.params if k not in params or params[k].shape != expected.params[k].shape]
    problems += [k for k, v in params.items() if not np.isfinite(v).all()]
    if problems or src_vocab != expected.src_vocab or tgt_vocab != expected.tgt_vocab:
        what = f"parameters {sorted(set(problems))}" if problems else "vocabularies"
        raise WeightsError(f"weights file {path} does not match the model ({what} differ); {rebuild}")
    return Seq2Seq(config, params, src_vocab, tgt_vocab)


def load_models() -> dict[str, Seq2Seq]:
    """Both shipped models, by name."""
    return {name: load_model(name) for name in MODEL_NAMES}


# ---------------------------------------------------------------------------------------------------------------
# Training


@dataclass(frozen=True)
class TrainSettings:
    steps: int = 6000
    batch_size: int = 64
    lr: float = 3e-3
    lr_final: float = 3e-4
    clip: float = 5.0
    seed: int = 0
    n_train: int = 60_000


def _batches(n: int, sizes: np.ndarray, batch_size: int, rng: np.random.Generator):
    """Endless batches of indices; sentences of similar length share a batch so little time goes on padding."""
    while True:
        perm = rng.permutation(n)
        pool = batch_size * 50
        batches = []
        for start in range(0, n, pool):
            chunk = perm[start : start + pool]
            chunk = chunk[np.argsort(sizes[chunk], kind="stable")]
            batches += [chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size)]
        for j in rng.permutation(len(batches)):
            yield batches[j]


def train_model(
    config: Config,
    corpus: toy_tamil.Corpus,
    settings: TrainSettings = TrainSettings(),
    log: Callable[[str], None] | None = print,
    log_every: int = 100,
) -> Seq2Seq:
    """Adam with global-norm clipping and a linearly decaying learning rate; deterministic for a given seed."""
    model = init_model(config, settings.seed)
    p = model.params
    m = {k: np.zeros_like(v) for k, v in p.items()}
    v2 = {k: np.zeros_like(v) for k, v in p.items()}
    b1, b2, eps = 0.9, 0.999, 1e-8
    rng = np.random.default_rng(settings.seed)
    data = corpus.train
    sizes = np.array([len(s.source) for s in data])
    batches = _batches(len(data), sizes, settings.batch_size, rng)
    start, recent = time.perf_counter(), []
    for step in range(1, settings.steps + 1):
        batch = make_batch(model, [data[i] for i in next(batches)])
        loss, g = loss_and_grads(model, batch)
        recent.append(loss)
        norm = float(np.sqrt(sum(float((x * x).sum()) for x in g.values())))
        scale = min(1.0, settings.clip / (norm + 1e-12))
        lr = settings.lr + (settings.lr_final - settings.lr) * (step - 1) / max(settings.steps - 1, 1)
        c1, c2 = 1 - b1**step, 1 - b2**step
        for k, x in p.items():
            grad = g[k] * scale
            m[k] = b1 * m[k] + (1 - b1) * grad
            v2[k] = b2 * v2[k] + (1 - b2) * grad * grad
            x -= (lr * (m[k] / c1) / (np.sqrt(v2[k] / c2) + eps)).astype(x.dtype)
        if log and (step % log_every == 0 or step == settings.steps):
            elapsed = time.perf_counter() - start
            log(f"[{model.name:>12}] step {step:>5}/{settings.steps}  loss {np.mean(recent):.4f}  "
                f"grad-norm {norm:6.2f}  lr {lr:.2e}  elapsed {elapsed / 60:4.1f} min")  # fmt: skip
            recent = []
    return model


def _train_one(name: str, settings: TrainSettings, out_dir: str) -> str:
    corpus = toy_tamil.make_corpus(n_train=settings.n_train)
    model = train_model(Config(attention=name == "attention"), corpus, settings, log=lambda s: print(s, flush=True))
    path = Path(out_dir) / f"{name}.npz"
    save_model(model, path)
    acc = evaluate(model, corpus.test)
    print(f"[{name:>12}] saved {path}; held-out exact match {json.dumps(acc)}", flush=True)
    return str(path)


def _cli(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m models.seq2seq", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    tr = sub.add_parser("train", help="rebuild the shipped weights from a fixed seed (both models, one per core)")
    tr.add_argument("--steps", type=int, default=TrainSettings.steps)
    tr.add_argument("--batch-size", type=int, default=TrainSettings.batch_size)
    tr.add_argument("--n-train", type=int, default=TrainSettings.n_train)
    tr.add_argument("--out", default=str(WEIGHTS_DIR), help="output folder (default: the shipped weights)")
    tr.add_argument("--only", choices=MODEL_NAMES, help="train one model only")
    ev = sub.add_parser("evaluate", help="exact match per source-length bucket on the held-out set")
    ev.add_argument("--json", action="store_true", help="print JSON only")
    ev.add_argument("--weights", default=str(WEIGHTS_DIR), help="folder holding attention.npz and no_attention.npz")
    args = parser.parse_args(argv)

    if args.command == "evaluate":
        test = toy_tamil.held_out_set()
        try:
            result = {n: evaluate(load_model(n, Path(args.weights) / f"{n}.npz"), test) for n in MODEL_NAMES}
        except WeightsError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        if args.json:
            print(json.dumps(result))
        else:
            for name, acc in result.items():
                print(f"{name:>12}: " + "  ".join(f"{k}: {v:.3f}" for k, v in acc.items()))
        return 0

    settings = TrainSettings(steps=args.steps, batch_size=args.batch_size, n_train=args.n_train)
    names = [args.only] if args.only else list(MODEL_NAMES)
    start = time.perf_counter()
    print(f"training {', '.join(names)}: {settings}", flush=True)
    import multiprocessing as mp

    # One fresh process per model with one BLAS thread each: the two share 2 cores without oversubscribing, and
    # the arithmetic (hence the weights) is the same whether one model or both are trained.
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = "1"
    with mp.get_context("spawn").Pool(len(names)) as pool:
        pool.starmap(_train_one, [(n, settings, args.out) for n in names])
    print(f"done in {(time.perf_counter() - start) / 60:.1f} min", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(_cli())
