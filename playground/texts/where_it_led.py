"""The Speed page's closing section, "Where it led": from an RNN with attention (still sequential) to the
Transformer, Vaswani et al.'s Table 1 as published, their WMT 2014 results with sources, and where the blog's
comparison table goes wrong. Numbers measured on the page are passed in; the paper's are quoted with their source.
"""

from __future__ import annotations

import math

from ..formatting import tex_eq

HEADER = "Where it led: dropping the recurrence"
FOLDED = ("Read on: why an RNN with attention still works one step at a time, how the Transformer removed the "
          "steps in a row, its Table 1 and results, and where the blog's comparison goes wrong")

BRIDGE = (
    "Attention fixed the compressed summary and the word order, but an RNN with attention is still an RNN: the "
    "encoder reads token $t$ only after token $t - 1$, and the decoder writes word $i$ only after word $i - 1$. "
    "The $n$ steps in a row measured above are still there. Vaswani et al. (2017) removed the recurrence altogether: in the "
    "Transformer every layer is self-attention plus a feed-forward network applied to each position (in their base "
    "model the feed-forward part holds about twice the weights of the attention part: $d_{ff} = 2048$ against "
    "$d_{model} = 512$), and order comes from added position vectors. The encoder computes all positions of a layer "
    "at once, and so does training, where the whole target sentence is known and a causal mask hides each word's "
    "future. Generating a translation is still word by word: the decoder produces word $i$ after word $i - 1$, "
    "reading the words it has produced so far. Their Table 1 compares the three ways of relating $n$ positions of "
    "width $d$:"
)

# Vaswani et al. (2017), Table 1, as published: per layer, n positions of width d, kernel width k, neighbourhood r.
TABLE_1 = (
    ("Self-attention", r"$O(n^2 \cdot d)$", "$O(1)$", "$O(1)$"),
    ("Recurrent", r"$O(n \cdot d^2)$", "$O(n)$", "$O(n)$"),
    ("Convolutional", r"$O(k \cdot n \cdot d^2)$", "$O(1)$", r"$O(\log_k n)$"),
    ("Self-attention (restricted)", r"$O(r \cdot n \cdot d)$", "$O(1)$", "$O(n/r)$"),
)


def table_1() -> str:
    rows = ["| layer type | complexity per layer | sequential operations | maximum path length |",
            "|---|---|---|---|"]
    rows += [f"| {' | '.join(row)} |" for row in TABLE_1]
    return "\n".join(rows)


SHOW_CURVE = "Show this machine's measured times beside the table"

TABLE_CAPTION = (
    r"Vaswani et al. (2017), Table 1. The convolutional path length $O(\log_k n)$ is for dilated convolutions; with "
    "contiguous kernels a stack needs $O(n/k)$ layers before every pair of positions is connected. Restricted "
    "self-attention looks only at a neighbourhood of $r$ positions."
)


def growth_exponent(n: tuple[int, int], seconds: tuple[float, float]) -> float:
    """The exponent b in time ∝ n^b between two measured points (n ascending)."""
    return math.log(seconds[1] / seconds[0]) / math.log(n[1] / n[0])


def measured_versus_table(n: tuple[int, int], attention_s: tuple[float, float], rnn_s: tuple[float, float],
                          d: int) -> str:
    """What this machine's two largest measurements say about the table's first two rows."""
    att, rnn = growth_exponent(n, attention_s), growth_exponent(n, rnn_s)
    if att < 1.8:
        reading = ("Attention's exponent is below the table's 2 here: at these sizes fixed overheads still weigh "
                   "as much as the $n^2$ arithmetic; the counts above show where that arithmetic heads.")
    elif att <= 2.2:
        reading = "Attention's exponent is close to the table's 2."
    else:
        reading = (r"Attention's exponent is above the table's 2 here: the $n \times n$ matrices have outgrown a fast "
                   "cache, or the machine was busy; the arithmetic itself grows as $n^2$.")
    return (
        f"**Beside the measurement.** From {tex_eq('n', n[0])} to {tex_eq('n', n[1])} ($d = {d}$) attention's time "
        f"grew like $n^{{{att:.1f}}}$ and the RNN's like $n^{{{rnn:.1f}}}$, against $n^2$ work for self-attention and "
        f"$n$ for the recurrent layer in the table. {reading} Either way the cost of self-attention grows with $n$; "
        "what it keeps at $O(1)$ is the number of operations that must wait for each other."
    )


BLOG_CORRECTION = (
    "**Where the blog's comparison goes wrong.** Its table calls the cost of self-attention *constant*, explaining "
    "it as $O(1)$ sequential operations. Those are two different columns: the sequential operations are $O(1)$, the "
    r"work is $O(n^2 \cdot d)$ and grows with the square of the length, as the chart above shows. Its convolutional "
    "row is wrong too: it calls CNNs only partly parallel, but a convolutional layer has $O(1)$ sequential "
    r"operations, as parallel as self-attention. What a CNN pays is path length: a stack of $O(\log_k n)$ dilated "
    r"layers, or $O(n/k)$ plain ones, before a word can reach every other, and $O(k \cdot n \cdot d^2)$ work per "
    "layer."
)

# (pair, BLEU, where the number is published)
RESULTS = (
    ("English→German", "28.4", "Vaswani et al. (2017), NeurIPS version and the first arXiv preprint alike"),
    ("English→French", "41.0", "the NeurIPS 2017 proceedings and arXiv 1706.03762 v1 to v4; the figure the blog quotes"),
    ("English→French", "41.8", "arXiv 1706.03762 from v5 on (the latest is v7, 2023)"),
)


def results() -> str:
    rows = ["| WMT 2014 | BLEU, big Transformer | source |", "|---|---|---|"]
    rows += [f"| {pair} | {bleu} | {source} |" for pair, bleu, source in RESULTS]
    return (
        "**The results.** On the WMT 2014 translation benchmarks the big Transformer, trained for 3.5 days on eight "
        "GPUs, set new records: English→German more than 2 BLEU above the best earlier models, ensembles included, "
        "and English→French a new best for a single model:\n\n" + "\n".join(rows)
        + "\n\nBoth English→French numbers are the paper's own; they differ between its versions, so quote the "
        "version you cite."
    )
