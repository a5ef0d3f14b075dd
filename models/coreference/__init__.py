""""Who is it?": a tiny Transformer encoder, trained in NumPy, that points at the noun "it" refers to.

The sentences come from a small grammar (three kinds of events, active and passive, the because-clause before or
after, "it" as subject or object, extra clauses, distractor nouns), and the answer is a pointer over the
sentence's own positions: the row from "it" of one attention head on top of two blocks of four heads, d = 48,
pre-norm, trained with Adam from a fixed seed. Whole sentence structures, some adjective x frame pairings, the
blog's "the animal didn't cross the street because it was too tired / wide" and Winograd's "the trophy didn't
fit in the suitcase because it was too big / small" are never trained on.

    corpus     the grammar, its held-out sets, the tokenizer, the menus, the structure of a typed sentence
    model      ModelConfig, parameters, forward pass (attention_core), batched forward and backward pass
    training   TrainConfig, Trainer (one step at a time, as the page drives it), the shipped run with snapshots
    analysis   attend (one sentence), head resolution, the lookup and slot-rule baselines, evaluate
    files      the shipped weights and snapshots in models/weights/ (WeightsError names the rebuild command)
    stored     the shipped evaluation (coreference_evaluation.json), keyed by the weights, corpus and code
    __main__   the command line:

    python -m models.coreference train                # rebuilds coreference.npz and coreference_snapshots.npz
    python -m models.coreference train --quick --json # the page's live training, timed
    python -m models.coreference evaluate --json      # the shipped weights against the targets (and store it)
    python -m models.coreference attend "SENTENCE" --json
    python -m models.coreference vocab                # every word the model knows
"""

from .analysis import (
    Attended,
    attend,
    baselines,
    check_input,
    evaluate,
    head_resolution,
    minimal_pair_share,
    quick_metrics,
    resolution,
    resolving_head,
)
from .corpus import (
    ADJECTIVE_FRAME_HELDOUT,
    ADJECTIVES,
    BLOG_PAIR,
    FRAMES,
    HELDOUT_STRUCTURES,
    MAX_TOKENS,
    MENUS,
    NOUNS,
    SKELETONS,
    TROPHY_PAIR,
    VALIDATION_STRUCTURES,
    VERBS,
    VOCAB,
    Corpus,
    Sentence,
    Skeleton,
    build_sentence,
    every_pair_trained,
    kind_of,
    make_corpus,
    make_sentence,
    structure_of,
    tokenize,
    validation_folds,
    validation_sets,
    vocabulary,
)
from .files import SNAPSHOTS_PATH, WEIGHTS_PATH, Snapshot, WeightsError, load_shipped, load_snapshots
from .model import ModelConfig, Params, forward, init_params
from .stored import EVALUATION_PATH, evaluate_and_write, stored_evaluation
from .training import QUICK, SHIPPED, SHIPPED_SEED, SNAPSHOT_STEPS, StepInfo, TrainConfig, Trainer, train_with_snapshots

__all__ = [
    "ADJECTIVES", "ADJECTIVE_FRAME_HELDOUT", "BLOG_PAIR", "EVALUATION_PATH", "FRAMES", "HELDOUT_STRUCTURES",
    "MAX_TOKENS", "MENUS", "NOUNS", "QUICK", "SHIPPED", "SHIPPED_SEED", "SKELETONS", "SNAPSHOTS_PATH", "SNAPSHOT_STEPS",
    "TROPHY_PAIR", "VALIDATION_STRUCTURES", "VERBS", "VOCAB",
    "WEIGHTS_PATH",
    "Attended", "Corpus", "ModelConfig", "Params", "Sentence", "Skeleton", "Snapshot", "StepInfo", "TrainConfig",
    "Trainer", "WeightsError",
    "attend", "baselines", "build_sentence", "check_input", "evaluate", "evaluate_and_write", "forward",
    "head_resolution", "init_params",
    "kind_of", "load_shipped", "load_snapshots", "make_corpus", "make_sentence", "minimal_pair_share",
    "quick_metrics", "resolution", "resolving_head", "stored_evaluation", "structure_of", "tokenize",
    "train_with_snapshots", "validation_folds", "validation_sets",
    "vocabulary", "every_pair_trained",
]
