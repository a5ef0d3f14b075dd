"""Two tiny Tamil -> English translators trained in pure NumPy: the same GRU encoder and GRU decoder, with and
without Bahdanau (additive) attention. They exist to show the blog's first two problems happening in real models:
without attention the whole sentence must squeeze through the encoder's final state and long sentences fail;
with attention the decoder looks back at every source word, in whatever order English needs.

    model      parameters, forward pass, loss and hand-written backward pass
    decoding   greedy decoding, the attention states of one sentence, exact-match accuracy
    training   batches, Adam with global-norm clipping, the training loop
    files      the weights files in models/weights/ (save, load, WeightsError)
    __main__   the command line:

    python -m models.seq2seq train            # rebuilds models/weights/*.npz from a fixed seed
    python -m models.seq2seq evaluate --json  # exact match per source-length bucket on the held-out set

Use it as `from models import seq2seq` and `seq2seq.translate(...)`: every public name of the modules above is
available here. WEIGHTS_DIR here is the folder the loaders read; setting it points them all elsewhere.
"""

from .decoding import (
    MAX_TARGET_LEN,
    AttentionStates,
    Translation,
    attention_states,
    evaluate,
    translate,
    translate_batch,
)
from .files import WEIGHTS_DIR, WeightsError, load_model, load_models, save_model, weights_path
from .model import (
    BOS,
    EOS,
    MODEL_NAMES,
    PAD,
    UNK,
    Batch,
    Config,
    Seq2Seq,
    encoder_input_influence,
    encoder_states,
    init_model,
    loss_and_grads,
)
from .training import TrainSettings, make_batch, train_model

__all__ = [
    "BOS", "EOS", "MAX_TARGET_LEN", "MODEL_NAMES", "PAD", "UNK", "WEIGHTS_DIR",
    "AttentionStates", "Batch", "Config", "Seq2Seq", "TrainSettings", "Translation", "WeightsError",
    "attention_states", "encoder_input_influence", "encoder_states", "evaluate", "init_model", "load_model",
    "load_models", "loss_and_grads", "make_batch", "save_model", "train_model", "translate", "translate_batch",
    "weights_path",
]
