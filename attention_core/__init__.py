"""attention_core: the attention kernel in pure NumPy (plus the standard library).

softmax, scaled dot-product, additive (Bahdanau), self- and multi-head attention, masks, sinusoidal positions and
chunked (online-softmax) attention. Everything the playground shows is computed by these functions; the tiny models
(`models`), the lesson content (`lessons`) and the UI (`playground`, `pages`) sit on top and are never imported here.
The conventions (shapes, mask polarity, error rules) are written down in docs/ARCHITECTURE.md.
"""

from .attention import AttentionResult, additive_attention, scaled_dot_product_attention, self_attention, softmax
from .chunked import chunked_attention
from .masks import causal_mask, padding_mask
from .multi_head import MultiHeadParams, MultiHeadResult, merge_heads, multi_head_attention, split_heads
from .positional import sinusoidal_positional_encoding

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
]
