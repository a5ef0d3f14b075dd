"""Training: padded batches of similar length, teacher forcing, Adam with global-norm clipping and a linearly
decaying learning rate. Deterministic for a given seed, so `python -m models.seq2seq train` rebuilds the same
models/weights/*.npz on any machine with the same NumPy.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from models import toy_tamil

from .files import save_model
from .model import Batch, Config, Seq2Seq, init_model, loss_and_grads, source_ids

__all__ = ["DEFAULT_STEPS", "TrainSettings", "make_batch", "train_and_save", "train_model"]

# Steps each shipped model is trained for: the same for both, so the comparison is fair.
DEFAULT_STEPS = 4000


@dataclass(frozen=True)
class TrainSettings:
    steps: int = DEFAULT_STEPS  # Adam updates, one batch each
    batch_size: int = 64  # sentences per batch, grouped by similar length
    lr: float = 3e-3  # learning rate at the first step ...
    lr_final: float = 3e-4  # ... falling linearly to this at the last
    clip: float = 5.0  # largest global gradient norm; larger gradients are scaled down to it
    seed: int = 0  # initial weights and batch order
    n_train: int = 60_000  # training sentences drawn from the toy language


def make_batch(model: Seq2Seq, sentences: Sequence[toy_tamil.Sentence]) -> Batch:
    """Token ids, padded to the longest sentence, with validity masks."""
    src, src_valid = source_ids(model, [s.source for s in sentences])
    tindex = {w: i for i, w in enumerate(model.tgt_vocab)}
    t_len = max(len(s.english) for s in sentences) + 1
    tgt_in = np.zeros((len(sentences), t_len), np.int64)
    tgt_out = np.zeros((len(sentences), t_len), np.int64)
    for i, s in enumerate(sentences):
        ids = [tindex[w] for w in s.english]
        tgt_in[i, : len(ids) + 1] = [1, *ids]
        tgt_out[i, : len(ids) + 1] = [*ids, 2]
    return Batch(src, src_valid, tgt_in, tgt_out, tgt_out > 0)


def _batches(n: int, sizes: np.ndarray, batch_size: int, rng: np.random.Generator) -> Iterator[np.ndarray]:
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


def train_and_save(name: str, settings: TrainSettings, out_dir: str) -> str:
    """Train one shipped model ("attention" or "no_attention") from scratch and save it, with its training settings,
    to out_dir/<name>.npz. The command line runs one of these per process, then evaluates both models once."""
    start = time.perf_counter()
    corpus = toy_tamil.make_corpus(n_train=settings.n_train)
    model = train_model(Config(attention=name == "attention"), corpus, settings, log=lambda s: print(s, flush=True))
    path = Path(out_dir) / f"{name}.npz"
    save_model(model, path, asdict(settings))
    print(f"[{name:>12}] saved {path} after {(time.perf_counter() - start) / 60:.1f} min", flush=True)
    return str(path)
