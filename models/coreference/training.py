"""Training, one step at a time: `Trainer(config, seed).step()` is what both the command line and the page drive.

Each step draws a batch of 64 training sentences (the four sentence shapes, cross / fit / chase active / chase
passive, equally often), computes the cross-entropy of the referent and its gradient, clips the gradient's global
norm and takes an Adam step with warm-up then linear decay. Whole heads are dropped at random (Config.head_dropout):
without that, two heads can each fetch one candidate and the feed-forward layer choose between them, and the model
answers well while no single head resolves "it"; with it, a head must resolve "it" on its own. Everything random
comes from the seed, so the same config and seed give the same weights, bit for bit, on the same NumPy.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from .analysis import quick_metrics, resolution
from .corpus import Corpus, Sentence, make_corpus
from .files import Snapshot
from .model import Batch, Config, Params, batch_forward, init_params, loss_and_grads, make_batch

__all__ = ["QUICK_STEPS", "SNAPSHOT_STEPS", "StepInfo", "Trainer", "heldout_loss", "snapshot_steps",
           "train_with_snapshots"]

QUICK_STEPS = Config().steps  # the page's live training: the same run as the shipped weights


def snapshot_steps(steps: int) -> tuple[int, ...]:
    """About 16 steps from 0 to `steps`, denser early, where the heads form."""
    marks = {0, steps}
    marks |= {int(round(steps * f)) for f in (0.02, 0.04, 0.06, 0.08, 0.1, 0.13, 0.16, 0.2, 0.25, 0.3, 0.4, 0.5, 0.7)}
    return tuple(sorted(m for m in marks if 0 <= m <= steps))


SNAPSHOT_STEPS = snapshot_steps(Config().steps)


class StepInfo(NamedTuple):
    step: int  # steps done so far (1 after the first step)
    loss: float  # the batch's cross-entropy before this step's update
    lr: float


def _groups(train: list[Sentence]) -> list[np.ndarray]:
    keys = sorted({(s.frame, s.voice) for s in train})
    return [np.array([i for i, s in enumerate(train) if (s.frame, s.voice) == key]) for key in keys]


class Trainer:
    """Adam on the corpus's training sentences; `step(n)` runs n steps and returns the last StepInfo."""

    def __init__(self, config: Config | None = None, seed: int = 0, corpus: Corpus | None = None):
        self.config = config = config or Config()
        self.seed = int(seed)
        self.corpus = corpus or make_corpus()
        self.params: Params = init_params(config, self.seed)
        self.steps_done = 0
        self.losses: list[float] = []
        self._m = {k: np.zeros_like(v) for k, v in self.params.arrays.items()}
        self._v = {k: np.zeros_like(v) for k, v in self.params.arrays.items()}
        self._rng = np.random.default_rng([self.seed, 1])  # batches; independent of the initial weights' stream
        self._groups = _groups(self.corpus.train)

    def lr(self, step: int) -> float:
        """Learning rate for step `step` (1-based): linear warm-up, then linear decay to lr_final."""
        c = self.config
        if step <= c.warmup:
            return c.lr * step / c.warmup
        frac = (step - c.warmup) / max(c.steps - c.warmup, 1)
        return c.lr + (c.lr_final - c.lr) * min(frac, 1.0)

    def _batch(self) -> Batch:
        c = self.config
        group = self._rng.integers(len(self._groups), size=c.batch_size)  # [B] which sentence shape
        picks = [int(g[self._rng.integers(len(g))]) for g in (self._groups[j] for j in group)]
        return make_batch([self.corpus.train[i] for i in picks])

    def _head_scale(self) -> np.ndarray | None:
        """[L, B, H] head-dropout factors, or None without head dropout. Dropping whole heads at random rewards a
        head that resolves "it" on its own over two heads that each fetch one candidate for a later layer."""
        c = self.config
        if not c.head_dropout:
            return None
        keep = self._rng.random((c.n_layers, c.batch_size, c.n_heads)) >= c.head_dropout
        return keep / (1.0 - c.head_dropout)

    def step(self, n: int = 1) -> StepInfo:
        info = StepInfo(self.steps_done, float("nan"), 0.0)
        b1, b2, eps = 0.9, 0.999, 1e-8
        for _ in range(n):
            loss, grads = loss_and_grads(self.params, self._batch(), self._head_scale())
            self.steps_done += 1
            t = self.steps_done
            norm = float(np.sqrt(sum(float((g * g).sum()) for g in grads.values())))
            clip = min(1.0, self.config.clip / (norm + 1e-12))
            lr = self.lr(t)
            for k, x in self.params.arrays.items():
                g = grads[k] * clip
                self._m[k] = b1 * self._m[k] + (1 - b1) * g
                self._v[k] = b2 * self._v[k] + (1 - b2) * g * g
                x -= lr * (self._m[k] / (1 - b1**t)) / (np.sqrt(self._v[k] / (1 - b2**t)) + eps)
                if self.config.weight_decay and x.ndim > 1:  # matrices and embeddings; not gains or biases
                    x -= lr * self.config.weight_decay * x
            self.losses.append(loss)
            info = StepInfo(t, loss, lr)
        return info

    @property
    def done(self) -> bool:
        return self.steps_done >= self.config.steps

    def evaluate(self) -> dict:
        """{heldout_accuracy, resolution_heldout} of the current weights (resolving head chosen on training)."""
        return quick_metrics(self.params, self.corpus)


def heldout_loss(params: Params, corpus: Corpus) -> float:
    """Mean cross-entropy of the referent over the held-out sentences."""
    batch = make_batch(corpus.held_out)
    logits, _, _ = batch_forward(params, batch)
    z = logits - logits.max(-1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(-1, keepdims=True))  # [S, V]
    return -float(logp[np.arange(len(logp)), batch.target].mean())


def train_with_snapshots(config: Config | None = None, seed: int = 0,
                         log: Callable[[str], None] | None = None) -> tuple[Params, list[Snapshot]]:
    """The shipped run: `config.steps` steps, with a Snapshot at each of snapshot_steps(config.steps)."""
    config = config or Config()
    trainer = Trainer(config, seed)
    snapshots = []
    for mark in snapshot_steps(config.steps):
        if mark > trainer.steps_done:
            info = trainer.step(mark - trainer.steps_done)
            if log:
                log(f"step {info.step:>5}/{config.steps}  batch loss {info.loss:.4f}")
        frozen = Params(config, {k: v.astype(np.float32).astype(np.float64) for k, v in trainer.params.arrays.items()})
        acc = float(resolution(frozen, trainer.corpus.held_out).correct.mean())
        snapshots.append(Snapshot(mark, frozen, acc, heldout_loss(frozen, trainer.corpus)))
    return snapshots[-1].params, snapshots
