"""attention_core: attention mechanisms in pure NumPy, the engine behind every number the playground shows."""

from .attention import AttentionResult, additive_attention, scaled_dot_product_attention, self_attention, softmax
from .masks import causal_mask, padding_mask
from .multi_head import MultiHeadParams, MultiHeadResult, merge_heads, multi_head_attention, split_heads
from .positional import sinusoidal_positional_encoding

__all__ = [
    "AttentionResult",
    "MultiHeadParams",
    "MultiHeadResult",
    "additive_attention",
    "causal_mask",
    "merge_heads",
    "multi_head_attention",
    "padding_mask",
    "scaled_dot_product_attention",
    "self_attention",
    "sinusoidal_positional_encoding",
    "softmax",
    "split_heads",
]
