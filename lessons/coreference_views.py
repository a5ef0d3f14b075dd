"""What the Learning-to-attend page shows, computed from models.coreference: the resolving head's "it" row, what it
favours, each snapshot's view of a sentence, and the live training a learner starts (as a `run` for the page's
training queue). No Streamlit here: the page formats these numbers, the tests call the same functions.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np

from attention_core import multi_head_attention
from lessons.embeddings import D_MODEL, embed
from lessons.embeddings import tokenize as lexicon_tokens
from lessons.heads import build_heads, model_input
from lessons.walkthrough import projections, self_attention_steps
from models import coreference as model

__all__ = ["LIVE_EVERY", "LIVE_EVALUATE_EVERY", "BLOG_CANDIDATES", "Focus", "HeadView", "top_of", "nouns_of", "head_view", "live_values",
           "live_training", "live_training_process", "HandBuiltMiss", "hand_built_self_attention", "hand_built_pronoun_head"]

LIVE_EVERY = 25  # a live training redraws the "it" row every this many steps
LIVE_EVALUATE_EVERY = 100  # and measures held-out accuracy (and picks the resolving head) every this many
# the blog's "it" chooses between these two nouns; in the "wide" sentence (BLOG_PAIR[1]) the right one is the second
BLOG_CANDIDATES = ("animal", "street")


class Focus(NamedTuple):
    index: int  # a token of the sentence
    word: str
    weight: float  # the weight the "it" row gives it


class HeadView(NamedTuple):
    """One sentence read by one set of parameters, seen through one head."""
    tokens: tuple[str, ...]
    answer: str
    answer_prob: float
    layer: int  # 0-based, as the model counts
    head: int  # 0-based
    it_index: int
    it_row: np.ndarray  # [n]: the head's weights from "it" to every token
    nouns: tuple[Focus, ...]  # the candidate nouns (first occurrence of each), the one the row favours first
    top: Focus  # the token the row favours most, "it" itself left out (a head may keep weight on "it")
    weights: np.ndarray  # [L, H, n, n]: every head, for the small multiples

    @property
    def focus(self) -> Focus:
        """The candidate noun the head favours (the top token when the sentence has no candidate)."""
        return self.nouns[0] if self.nouns else self.top


def top_of(row: np.ndarray, tokens: Sequence[str], it_index: int) -> Focus:
    """The token an "it" row favours most, "it" itself left out."""
    others = np.where(np.arange(len(row)) == it_index, -np.inf, row)  # [n]
    j = int(np.argmax(others))
    return Focus(j, tokens[j], float(row[j]))


def nouns_of(row: np.ndarray, tokens: Sequence[str], candidates: Sequence[str]) -> tuple[Focus, ...]:
    """The row's weight on each candidate noun (its first occurrence), largest first."""
    found = [Focus(tokens.index(w), w, float(row[tokens.index(w)])) for w in dict.fromkeys(candidates)
             if w in tokens]
    return tuple(sorted(found, key=lambda f: -f.weight))


def head_view(params, tokens: Sequence[str], head: tuple[int, int] | None = None) -> HeadView:
    """`tokens` through `params`, seen through `head` (default: the head that resolves "it" in these params)."""
    att = model.attend(params, list(tokens))
    layer, h = model.resolving_head(params) if head is None else head
    w = np.asarray(att.weights, dtype=float)  # [L, H, n, n]
    row = w[layer, h, att.it_index]  # [n]
    toks = tuple(att.tokens)
    return HeadView(toks, att.answer, float(att.answer_prob), int(layer), int(h), int(att.it_index), row,
                    nouns_of(row, toks, list(att.candidates)), top_of(row, toks, att.it_index), w)


def live_values(trainer, tokens: Sequence[str], metrics: Mapping[str, Any]) -> dict[str, Any]:
    """What a live training reports at one step: the last held-out accuracy, and the probe sentence through the
    head that resolved "it" best at the last evaluation (it changes while training; at step 0 every head is nearly
    uniform). `metrics`: the last trainer.evaluate()."""
    head = metrics.get("resolving_head")  # evaluate() picks it already; picking it again would double the cost
    view = head_view(trainer.params, tokens, None if head is None else (int(head[0]), int(head[1])))
    return dict(heldout_accuracy=float(metrics["heldout_accuracy"]), layer=view.layer, head=view.head,
                answer=view.answer, answer_prob=view.answer_prob, it_row=tuple(view.it_row.tolist()),
                tokens=view.tokens, it_index=view.it_index, nouns=view.nouns, top=view.top)


def live_training(seed: int, total: int, report: Callable[[int, Mapping[str, Any]], None],
                  should_stop: Callable[[], bool], *, probe: str | None = None, every: int = LIVE_EVERY,
                  evaluate_every: int = LIVE_EVALUATE_EVERY, make_trainer: Callable[[int], Any] | None = None) -> None:
    """Train from scratch with `seed` for `total` steps, reporting at step 0, every `every` steps and at the end;
    return early once `should_stop()` is true. The held-out evaluation (which also picks the resolving head) costs
    several training steps, so it runs only every `evaluate_every` steps and at the end; the "it" row of the probe
    sentence (one forward pass) is redrawn at every report. Runs in a worker thread of the page's training queue."""
    trainer = make_trainer(seed) if make_trainer else model.Trainer(seed=seed)
    tokens = model.tokenize(probe or model.BLOG_PAIR[0])
    metrics, measured = trainer.evaluate(), 0
    report(0, dict(live_values(trainer, tokens, metrics), measured_at=0))
    while trainer.steps_done < total and not should_stop():
        trainer.step(1)
        time.sleep(0)  # hand the GIL to the server's other threads between steps: reruns stay quick
        done = trainer.steps_done
        if done % evaluate_every == 0 or done >= total:
            metrics, measured = trainer.evaluate(), done
        if done % every == 0 or done >= total:
            report(done, dict(live_values(trainer, tokens, metrics), measured_at=measured))


def live_training_process(seed: int, total: int, report: Callable[[int, Mapping[str, Any]], None],
                          should_stop: Callable[[], bool], *, poll_s: float = 0.1, **options: Any) -> None:
    """`live_training` in a child process at low priority, relaying its reports. The server's sessions share one
    process: a training thread there would hold the GIL for most of each NumPy step (the arrays are small, so the
    Python around them dominates) and slow every other page's rerun. A child process has its own interpreter, and
    its lower priority hands the cores to the server whenever a rerun needs one."""
    ctx = multiprocessing.get_context("spawn")  # never fork a server that runs threads
    receive, send = ctx.Pipe(duplex=False)
    stop = ctx.Event()
    child = ctx.Process(target=_train_in_child, args=(seed, total, send, stop, options), daemon=True,
                        name=f"live-training-{seed}")
    child.start()
    send.close()
    try:
        while True:
            if should_stop():
                stop.set()
            if receive.poll(poll_s):
                try:
                    message = receive.recv()
                except EOFError:  # the child is gone
                    break
                if message is None:
                    break
                if message[0] == "error":
                    raise RuntimeError(message[1])
                report(message[1], message[2])
            elif not child.is_alive():
                break
    finally:
        stop.set()
        child.join(10)
        if child.is_alive():
            child.terminate()
            child.join()
        receive.close()


def _train_in_child(seed: int, total: int, send, stop, options: Mapping[str, Any]) -> None:
    os.nice(10)  # a lower priority than the server's reruns
    try:
        live_training(seed, total, lambda step, values: send.send(("report", step, dict(values))), stop.is_set,
                      **options)
        send.send(None)
    except Exception as exc:  # say why in the parent, which marks the job failed
        send.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        send.close()


# ---- the hand-built pages, on the blog's "wide" sentence ----------------------------------------------------------


class HandBuiltMiss(NamedTuple):
    """Where hand-built attention sends "it" in a sentence whose right referent is `right`."""
    sentence: str
    wrong: str
    wrong_weight: float
    right: str
    right_weight: float


def _miss(sentence: str, tokens: Sequence[str], row: np.ndarray) -> HandBuiltMiss:
    wrong, right = BLOG_CANDIDATES
    return HandBuiltMiss(sentence, wrong, float(row[list(tokens).index(wrong)]), right,
                         float(row[list(tokens).index(right)]))


def hand_built_self_attention(sentence: str | None = None) -> HandBuiltMiss:
    """The Self-attention page as it opens (lexicon vectors, identity projections, scaled, no positions): the "it"
    row on the blog's "wide" sentence."""
    sentence = sentence or model.BLOG_PAIR[1]
    tokens = lexicon_tokens(sentence)
    w_q, w_k, w_v = projections(D_MODEL, "identity")
    steps = self_attention_steps(embed(tokens), w_q, w_k, w_v, scaled=True)  # weights [n, n]
    return _miss(sentence, tokens, steps.weights[tokens.index("it")])


def hand_built_pronoun_head(sentence: str | None = None, d_model: int = 64, n_heads: int = 8) -> HandBuiltMiss:
    """The Multi-head page's hand-built pronoun head (head 1) as the page opens: the "it" row on the "wide"
    sentence."""
    sentence = sentence or model.BLOG_PAIR[1]
    tokens = lexicon_tokens(sentence)
    params, _ = build_heads(d_model, n_heads, 0, True)
    x = model_input(embed(tokens), d_model, True)  # [n, d_model]
    weights = multi_head_attention(x, x, params).weights  # [h, n, n]
    return _miss(sentence, tokens, weights[0, tokens.index("it")])
