"""attention_core: attention mechanisms in pure NumPy, the engine behind every number the playground shows."""

from .attention import AttentionResult, additive_attention, scaled_dot_product_attention, self_attention, softmax
from .chunked import chunked_attention
from .masks import causal_mask, padding_mask
from .multi_head import MultiHeadParams, MultiHeadResult, merge_heads, multi_head_attention, split_heads
from .positional import sinusoidal_positional_encoding
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

__all__ = [
    "AttentionResult",
    "MultiHeadParams",
    "MultiHeadResult",
    "additive_attention",
    "causal_mask",
    "chunked_attention",
    "merge_heads",
    "multi_head_attention",
    "padding_mask",
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
