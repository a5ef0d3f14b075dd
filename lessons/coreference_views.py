"""What the Learning-to-attend page shows, computed from models.coreference: the pointer's row from "it", what it
favours, the grammar's structures, the scores beside the baselines, the probes, each snapshot's view of a
sentence, and the live training a learner starts (as a `run` for the page's training queue, which runs it in a
child process). No Streamlit and no processes here: the page formats these numbers, the tests call the same
functions.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np

from attention_core import multi_head_attention
from lessons.defaults import MULTI_HEAD, SELF_ATTENTION
from lessons.embeddings import D_MODEL, embed
from lessons.embeddings import tokenize as lexicon_tokens
from lessons.heads import build_heads, model_input
from lessons.walkthrough import projections, self_attention_steps
from models import coreference as model

__all__ = ["LIVE_EVERY", "LIVE_EVALUATE_EVERY", "BLOG_CANDIDATES", "PROBES", "Focus", "HeadView", "Probe",
           "ProbeResult", "top_of", "nouns_of", "head_view", "live_values", "live_training",
           "probe_results", "structure_examples", "score_table", "adjective_frame_scores", "HandBuiltMiss", "hand_built_self_attention",
           "hand_built_pronoun_head"]

LIVE_EVERY = 25  # a live training redraws the pointer row every this many steps
LIVE_EVALUATE_EVERY = 100  # and measures accuracy on the structures never trained every this many
# the blog's "it" chooses between these two nouns; in the "wide" sentence (BLOG_PAIR[1]) the right one is the second
BLOG_CANDIDATES = ("animal", "street")


class Focus(NamedTuple):
    index: int  # a token of the sentence
    word: str
    weight: float  # the weight the "it" row gives it


class HeadView(NamedTuple):
    """One sentence read by one set of parameters: the pointer's row from "it" and every block head."""
    tokens: tuple[str, ...]
    answer: str
    answer_prob: float  # the pointer's weight on the answer
    it_index: int
    it_row: np.ndarray  # [n]: the pointer's weights from "it" to every token
    nouns: tuple[Focus, ...]  # the nouns of the sentence (first occurrence of each), the one the row favours first
    top: Focus  # the token the row favours most, "it" itself left out
    weights: np.ndarray  # [L, H, n, n]: every block head, for the small multiples
    structure: str | None  # the grammar's name for the sentence's structure; None: outside the grammar
    heldout_structure: bool  # a structure of the grammar never trained on

    @property
    def focus(self) -> Focus:
        """The noun the pointer favours (the top token when the sentence has no noun)."""
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


def head_view(params, tokens: Sequence[str]) -> HeadView:
    """`tokens` through `params`: the pointer's row from "it", its favourite nouns, every block head's weights."""
    att = model.attend(params, list(tokens))
    w = np.asarray(att.weights, dtype=float)  # [L, H, n, n]
    row = np.asarray(att.pointer, dtype=float)  # [n]
    toks = tuple(att.tokens)
    return HeadView(toks, att.answer, float(att.answer_prob), int(att.it_index), row,
                    nouns_of(row, toks, list(att.candidates)), top_of(row, toks, att.it_index), w,
                    att.structure.name if att.structure else None, att.heldout_structure)


# ---- what the page says the model was trained and tested on ------------------------------------------------------


ROLES = ("trained", "validation", "held out")  # what a structure is for, in the order the table lists them


class StructureRow(NamedTuple):
    name: str  # the skeleton's name
    role: str  # one of ROLES: trained on; trained on, after a validation fold kept it out; kept out to test on
    example: str  # one sentence of it: from the training or the structure-held-out set

    @property
    def trained(self) -> bool:
        return self.role != "held out"


def structure_examples(corpus=None) -> list[StructureRow]:
    """Every skeleton of the grammar with one sentence of it: trained ones first, then those of the validation folds
    (trained too, once the settings were chosen), then held out."""
    corpus = corpus or model.make_corpus()
    first: dict[str, str] = {}
    for s in (*corpus.train, *corpus.validation, *corpus.structure_heldout):
        first.setdefault(s.structure, s.text)
    folds = {sk for fold in model.validation_folds() for sk in fold}

    def role(sk) -> str:
        return "held out" if sk in model.HELDOUT_STRUCTURES else "validation" if sk in folds else "trained"

    rows = [StructureRow(sk.name, role(sk), first[sk.name]) for sk in model.SKELETONS]
    return sorted(rows, key=lambda r: ROLES.index(r.role))


SCORED_SETS = (  # (evaluate's key, what the set holds)
    ("heldout_accuracy", "new sentences of trained structures"),
    ("structure_heldout", "sentence structures never trained on"),
    ("minimal_pairs", "minimal pairs in those structures (both sentences right)"),
    ("outside_check", "structures the grammar does not make (two extra clauses, two distractors, two adjectives)"),
    ("adjective_frame_heldout", "an adjective in a kind of sentence it never had in training (a limit)"),
)


class ScoreRow(NamedTuple):
    key: str
    label: str
    model: float
    lookup: float
    slot_rule: float
    size: int  # sentences (pairs for minimal_pairs)


def score_table(evaluation: Mapping[str, Any], corpus=None) -> list[ScoreRow]:
    """The model's accuracy beside the two trivial baselines, for every held-out set (`evaluation`: evaluate's)."""
    corpus = corpus or model.make_corpus()
    sizes = {"heldout_accuracy": len(corpus.held_out), "structure_heldout": len(corpus.structure_heldout),
             "minimal_pairs": len(corpus.minimal_pairs), "outside_check": len(corpus.outside),
             "adjective_frame_heldout": len(corpus.adjective_frame_heldout)}
    return [ScoreRow(k, label, float(evaluation[k]), float(evaluation["lookup_baseline"][k]),
                     float(evaluation["slot_rule_baseline"][k]), sizes[k]) for k, label in SCORED_SETS]


def adjective_frame_scores(params, corpus=None) -> dict[tuple[str, str], float]:
    """(frame, adjective) -> the model's accuracy on the adjective x frame held-out sentences of that pairing."""
    corpus = corpus or model.make_corpus()
    sentences = corpus.adjective_frame_heldout
    correct = model.resolution(params, sentences).correct
    out: dict[tuple[str, str], list[bool]] = {}
    for s, ok in zip(sentences, correct, strict=True):
        out.setdefault((s.frame, s.adjective), []).append(bool(ok))
    return {k: float(np.mean(v)) for k, v in sorted(out.items())}


# ---- probes: does it resolve "it", or follow a shortcut? -----------------------------------------------------------


class Probe(NamedTuple):
    test: str  # what the probe changes
    sentence: str
    expected: str  # the noun a reader picks
    why: str  # how a reader knows


PROBES: tuple[Probe, ...] = (
    Probe("nouns swapped into the other slot", "the street didn't cross the animal because it was too tired",
          "animal", "only an animal gets tired, wherever it stands"),
    Probe("nouns swapped into the other slot", "the street didn't cross the animal because it was too wide",
          "street", "a street is wide, an animal is not"),
    Probe("because-clause moved first", "because it was too tired the animal didn't cross the street", "animal",
          "the same sentence, reordered"),
    Probe("passive, clause first", "because it was too wide the street wasn't crossed by the animal", "street",
          "the same event told from the street's side"),
    Probe("'it' as an object", "the animal didn't cross the street because snow covered it", "street",
          "snow covers places"),
    Probe("'it' as an object", "the animal didn't cross the street because the lion scared it", "animal",
          "a lion scares animals, not streets"),
    Probe("a distractor and an extra clause", "the dog chased the cat and the animal near the box didn't cross "
          "the street because it was too tired", "animal", "the clause with 'it' is about the animal and the street"),
    Probe("cue words before the nouns", "the tired animal didn't cross the wide street because it was too busy",
          "street", "only the adjective after 'it was' says who; the others describe"),
    Probe("two adjectives before a noun, one a cue word", "the old brown dog didn't cross the icy road because it "
          "was too tired", "dog", "only the adjective after 'it was' says who; the others describe"),
    Probe("same adjective, other frame", "the box didn't fit in the bag because it was too wide", "box",
          "too wide to fit: the one going in"),
    Probe("same adjective, other frame", "the rabbit didn't cross the river because it was too tiny", "rabbit",
          "too tiny to cross: the animal"),
    Probe("adjective never trained in this frame", "the lion attacked the cow because it was slow", "cow",
          "the slow one is caught; training saw 'slow' only for animals that did not cross"),
    Probe("two animals, then two more", "because it was scared the dog chased the cat and the horse followed the "
          "lion", "cat", "the scared one is chased, in the clause that 'because' belongs to"),
    Probe("two animals, then two more", "the fox chased the rabbit and the cow was chased by the lion because it "
          "was weak", "cow", "the weak one is chased, in the clause that 'because' belongs to"),
)


class ProbeResult(NamedTuple):
    probe: Probe
    answer: str
    weight: float  # the pointer's weight on its answer
    right: bool
    structure: str | None  # None: outside the grammar
    heldout_structure: bool


def probe_results(params, probes: Sequence[Probe] = PROBES) -> list[ProbeResult]:
    """The model's real answer to every probe, right or wrong."""
    out = []
    for p in probes:
        v = head_view(params, model.tokenize(p.sentence))
        out.append(ProbeResult(p, v.answer, v.answer_prob, v.answer == p.expected, v.structure, v.heldout_structure))
    return out


def live_values(trainer, tokens: Sequence[str], metrics: Mapping[str, Any]) -> dict[str, Any]:
    """What a live training reports at one step: the last accuracy on the structures never trained, and the
    probe sentence's pointer row. `metrics`: the last trainer.evaluate()."""
    view = head_view(trainer.params, tokens)
    return dict(heldout_accuracy=float(metrics["heldout_accuracy"]), answer=view.answer,
                answer_prob=view.answer_prob, it_row=tuple(view.it_row.tolist()), tokens=view.tokens,
                it_index=view.it_index, nouns=view.nouns, top=view.top)


def live_training(seed: int, total: int, report: Callable[[int, Mapping[str, Any]], None],
                  should_stop: Callable[[], bool], *, probe: str | None = None, every: int = LIVE_EVERY,
                  evaluate_every: int = LIVE_EVALUATE_EVERY, make_trainer: Callable[[int], Any] | None = None) -> None:
    """Train from scratch with `seed` for `total` steps, reporting at step 0, every `every` steps and at the end;
    return early once `should_stop()` is true. The held-out evaluation costs several training steps, so it runs
    only every `evaluate_every` steps and at the end; the pointer row of the probe sentence (one forward pass) is
    redrawn at every report. The page's training queue runs it in a child process
    (playground.training_queue.run_in_child_process)."""
    trainer = make_trainer(seed) if make_trainer else model.Trainer(train_config=model.QUICK, seed=seed)
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
    w_q, w_k, w_v = projections(D_MODEL, SELF_ATTENTION.projection)
    steps = self_attention_steps(embed(tokens), w_q, w_k, w_v, scaled=SELF_ATTENTION.scaled)  # weights [n, n]
    return _miss(sentence, tokens, steps.weights[tokens.index("it")])


def hand_built_pronoun_head(sentence: str | None = None, d_model: int = MULTI_HEAD.d_model,
                            n_heads: int = MULTI_HEAD.n_heads) -> HandBuiltMiss:
    """The Multi-head page's hand-built pronoun head (head 1) as the page opens: the "it" row on the "wide"
    sentence."""
    sentence = sentence or model.BLOG_PAIR[1]
    tokens = lexicon_tokens(sentence)
    params, _ = build_heads(d_model, n_heads, MULTI_HEAD.seed, MULTI_HEAD.hand_built)
    x = model_input(embed(tokens), d_model, MULTI_HEAD.positions)  # [n, d_model]
    weights = multi_head_attention(x, x, params).weights  # [h, n, n]
    return _miss(sentence, tokens, weights[0, tokens.index("it")])
