"""attention_core: attention mechanisms in pure NumPy, the engine behind every number the playground shows."""

from . import embeddings, heads, projection, quiz, rnn, seq2seq, seq2seq_views, toy_tamil, walkthrough
from .attention import AttentionResult, additive_attention, scaled_dot_product_attention, self_attention, softmax
from .chunked import chunked_attention
from .heads import attention_entropy
from .masks import causal_mask, padding_mask
from .multi_head import MultiHeadParams, MultiHeadResult, merge_heads, multi_head_attention, split_heads
from .positional import sinusoidal_positional_encoding
from .projection import pca_2d
from .speed import (
    LayerCosts,
    MemoryPoint,
    SpeedPoint,
    WorkSpan,
    attention_costs,
    attention_pass,
    attention_slower_from,
    attention_work_span,
    check_benchmark,
    crossover_n,
    log_grid,
    measure_memory,
    measure_point,
    parallel_ticks,
    rnn_costs,
    rnn_pass,
    rnn_work_span,
    time_call,
    traced_peak,
    weights_bytes,
)

# Modules for the pages beyond the core contract, reached as attention_core.<module>: embeddings (words to vectors),
# heads (hand-built multi-head heads), projection, walkthrough (self-attention step by step), toy_tamil (the toy
# corpus), rnn (GRU/Elman with backward passes), seq2seq (the trained translators), seq2seq_views, quiz.
__all__ = [
    "embeddings",
    "heads",
    "projection",
    "quiz",
    "rnn",
    "seq2seq",
    "seq2seq_views",
    "toy_tamil",
    "walkthrough",
    "AttentionResult",
    "MultiHeadParams",
    "MultiHeadResult",
    "additive_attention",
    "attention_entropy",
    "causal_mask",
    "chunked_attention",
    "merge_heads",
    "multi_head_attention",
    "padding_mask",
    "pca_2d",
    "scaled_dot_product_attention",
    "self_attention",
    "sinusoidal_positional_encoding",
    "softmax",
    "split_heads",
    # speed: sequential RNN vs parallel attention
    "LayerCosts",
    "MemoryPoint",
    "SpeedPoint",
    "WorkSpan",
    "attention_costs",
    "attention_pass",
    "attention_slower_from",
    "attention_work_span",
    "check_benchmark",
    "crossover_n",
    "log_grid",
    "measure_memory",
    "measure_point",
    "parallel_ticks",
    "rnn_costs",
    "rnn_pass",
    "rnn_work_span",
    "time_call",
    "traced_peak",
    "weights_bytes",
]
