"""Two tiny Tamil -> English translators trained in pure NumPy, at toy size: RNNsearch (Bahdanau, Cho and Bengio
2014: a bidirectional GRU encoder, additive attention queried by the previous decoder state s_{i-1}, the context
fed into the GRU decoder and a tanh output layer) and the RNN encoder-decoder it was compared with, RNNencdec (Cho
et al. 2014: a one-way GRU encoder whose final state c = h_n enters every decoder step; same sizes, same training).
They exist to show the blog's first two problems happening in real models: without attention the whole sentence
must squeeze through c and long sentences suffer; with attention the decoder looks back at every source word, in
whatever order English needs.

    model      parameters, forward pass, loss and hand-written backward pass
    decoding   greedy decoding, the attention states of one sentence, exact match and BLEU per length bucket
    bleu       corpus BLEU as sacreBLEU computes it
    stored     the held-out evaluation shipped beside the weights
    training   batches, Adam with global-norm clipping, the training loop
    files      the weights files in models/weights/ (save, load, WeightsError)
    __main__   the command line:

    python -m models.seq2seq train            # rebuilds models/weights/*.npz from a fixed seed
    python -m models.seq2seq evaluate --json  # exact match and BLEU per source-length bucket on the held-out set
    python -m models.seq2seq encode "…" --json     # the attention model's annotations of a Tamil sentence
    python -m models.seq2seq translate "…" --json  # its translation and attention weights

Use it as `from models import seq2seq` and `seq2seq.translate(...)`: every public name of the modules above is
available here. WEIGHTS_DIR here is the folder the loaders read; setting it points them all elsewhere.
"""

from .bleu import BleuStats, corpus_bleu
from .decoding import (
    MAX_TARGET_LEN,
    AttentionStates,
    Translation,
    attention_states,
    bleu_by_bucket,
    evaluate,
    translate,
    translate_batch,
)
from .files import (
    WEIGHTS_DIR,
    WeightsError,
    load_model,
    load_models,
    parameter_count,
    save_model,
    training_settings,
    weights_path,
)
from .model import (
    BOS,
    EOS,
    MODEL_NAMES,
    PAD,
    UNK,
    Batch,
    Config,
    Decoded,
    Encoded,
    Seq2Seq,
    decode_step,
    encoder_input_influence,
    encoder_states,
    init_model,
    init_state,
    loss_and_grads,
)
from .training import DEFAULT_STEPS, TrainSettings, make_batch, train_model

__all__ = [
    "BOS", "DEFAULT_STEPS", "EOS", "MAX_TARGET_LEN", "MODEL_NAMES", "PAD", "UNK", "WEIGHTS_DIR",
    "AttentionStates", "Batch", "BleuStats", "Config", "Decoded", "Encoded", "Seq2Seq", "TrainSettings",
    "Translation", "WeightsError", "attention_states", "bleu_by_bucket", "corpus_bleu", "decode_step",
    "encoder_input_influence", "encoder_states", "evaluate", "init_model", "init_state", "load_model",
    "load_models", "loss_and_grads", "make_batch", "parameter_count", "save_model", "train_model",
    "training_settings", "translate", "translate_batch", "weights_path",
]
