""""Who is it?": a tiny Transformer encoder, trained in NumPy, that names the noun "it" refers to.

The blog's "the animal didn't cross the street because it was too tired / wide" and Winograd's "the trophy didn't
fit in the suitcase because it was too big / small" are resolved by a head that *learned* where to look, not by
hand-set features. Two layers of four heads, d = 32, pre-norm, trained with Adam from a fixed seed.

    corpus     the template sentences, the held-out noun pairs and minimal pairs, the tokenizer, the menus
    model      parameters, forward pass (attention_core.multi_head_attention), batched forward and backward pass
    training   Trainer (one step at a time, as the page drives it) and the shipped run with its snapshots
    analysis   attend (one sentence), resolving_head, evaluate
    files      the shipped weights and snapshots in models/weights/ (WeightsError names the rebuild command)
    __main__   the command line:

    python -m models.coreference train                # rebuilds coreference.npz and coreference_snapshots.npz
    python -m models.coreference train --quick --json # the page's live training, timed
    python -m models.coreference evaluate --json      # the shipped weights against the targets
    python -m models.coreference attend "SENTENCE" --json
    python -m models.coreference vocab                # every word the model knows
"""

from .analysis import Attended, attend, evaluate, minimal_pair_share, quick_metrics, resolution, resolving_head
from .corpus import (
    ADJECTIVES,
    BLOG_PAIR,
    FRAMES,
    MENUS,
    NOUNS,
    TROPHY_PAIR,
    VERBS,
    VOCAB,
    Corpus,
    Sentence,
    build_sentence,
    make_corpus,
    make_sentence,
    tokenize,
    vocabulary,
)
from .files import SNAPSHOTS_PATH, WEIGHTS_PATH, Snapshot, WeightsError, load_shipped, load_snapshots
from .model import Config, Params, forward, init_params
from .training import QUICK_STEPS, SNAPSHOT_STEPS, StepInfo, Trainer, train_with_snapshots

__all__ = [
    "ADJECTIVES", "BLOG_PAIR", "FRAMES", "MENUS", "NOUNS", "QUICK_STEPS", "SNAPSHOTS_PATH", "SNAPSHOT_STEPS",
    "TROPHY_PAIR", "VERBS", "VOCAB", "WEIGHTS_PATH",
    "Attended", "Config", "Corpus", "Params", "Sentence", "Snapshot", "StepInfo", "Trainer", "WeightsError",
    "attend", "build_sentence", "evaluate", "forward", "init_params", "load_shipped", "load_snapshots",
    "make_corpus", "make_sentence", "minimal_pair_share", "quick_metrics", "resolution", "resolving_head",
    "tokenize", "train_with_snapshots", "vocabulary",
]
