"""The prose of the Self-attention page: its introductions, and every sentence it formats from the numbers it
computed. A visitor's words reach a sentence only through `quoted`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from ..formatting import pct, quoted

PAPER_D_MODEL = 512  # the base Transformer's width (Vaswani et al., 2017)
# the inspector's matrices (playground.figures.self_attention.STEPS) as formulas
MATRIX_TEX = {"X": "X", "Q": "Q", "K": "K", "V": "V", "Q·Kᵀ": r"Q K^\top", "weights": r"\text{weights}",
              "output": r"\text{output}"}
SHOW_BAR = "Show this word's weights as bars"
SETTINGS_LABEL = "Settings: scaling, temperature, mask, padding, projections, positions"
EMPTY = "Type a sentence above (or pick one from the blog) to see its attention pattern."


def _s(count: int, one: str = "", many: str = "s") -> str:
    return one if count == 1 else many


def intro(gap: int) -> str:
    """`gap`: how many words stand between "report" and "ready" in the blog's sentence."""
    return (
        f"In *The report that the client who called yesterday requested is ready*, the word **ready** describes the "
        f"report, with {gap} words in between. A recurrent network has to carry that link through every step on the "
        "way; self-attention lets each word score every other word directly and take a weighted mix of them. "
        "Type a sentence or pick one from the blog, choose a word, and see where it looks."
    )


def truncated(n_original: int, max_tokens: int, last: str) -> str:
    return (f"Your text has {n_original} tokens; this page uses the first {max_tokens}, "
            f"so everything after {quoted(last)} (token {max_tokens}) is left out.")


def token_line(tokens: Sequence[str]) -> str:
    return f"{len(tokens)} tokens: " + " ".join(quoted(t) for t in tokens)


def lexicon_title(count: int) -> str:
    return f"The {count} words of the built-in lexicon"


def lexicon_list(words: Sequence[str]) -> str:
    """Every lexicon word, code-quoted so Markdown shows it as it is typed."""
    return ("Each of these gets a hand-set vector of readable features (any capitalisation): "
            + ", ".join(quoted(w) for w in words) + ". Any other word gets a fixed pseudo-random vector.")


def unknown_words(unknown: Sequence[str], n_unknown: int | None = None, n_tokens: int | None = None) -> str:
    """unknown: the distinct tokens the lexicon lacks; n_unknown of the n_tokens tokens are such words."""
    listed = ", ".join(quoted(t) for t in unknown[:8]) + (" …" if len(unknown) > 8 else "")
    if n_unknown is None or not n_tokens:
        count = "These are"
    elif n_unknown == n_tokens:
        count = "The one token is" if n_tokens == 1 else f"All {n_tokens} tokens are"
    else:
        count = f"{n_unknown} of the {n_tokens} tokens are"
    return (f"{count} not in the built-in English lexicon, so each gets a fixed pseudo-random vector computed from "
            f"its spelling (the same on every computer): it means nothing and resembles no other word, so what "
            f"attention does with it says nothing about the word: {listed}.")


_NO_SPACE_SCRIPTS = ("CJK", "HIRAGANA", "KATAKANA", "THAI", "LAO", "KHMER", "MYANMAR")


def unspaced_note(tokens: Sequence[str]) -> str | None:
    """A note when a token is a run of a script written without spaces (Japanese, Chinese, Thai ...), else None."""
    import unicodedata

    long_runs = [t for t in tokens if len(t) > 1 and any(
        unicodedata.name(c, "").startswith(_NO_SPACE_SCRIPTS) for c in t)]
    if not long_runs:
        return None
    t = max(long_runs, key=len)
    return (f"The tokenizer splits at spaces and punctuation only, so text written without spaces stays in one "
            f"piece: {quoted(t)} is a single token of {len(t)} characters. A real model's tokenizer (WordPiece, BPE) "
            "would cut it into pieces it has seen in training.")


def query_caption(labels: Sequence[str], row: Sequence[float], q: int, order: Sequence[int], hidden: int,
                  n_pad: int) -> str:
    """Where word q looks: its top keys in `order` (indices into labels, largest weight first), the keys the
    causal mask hides after it and the padding tokens."""
    name = lambda j: "itself" if j == q else quoted(labels[j])  # noqa: E731
    caption = f"{quoted(labels[q])} puts **{pct(row[order[0]])}** of its attention on {name(order[0])}"
    rest = [f"{pct(row[j])} on {name(j)}" for j in order[1:3] if row[j] >= 0.005]
    caption += (", then " + " and ".join(rest) if rest else "") + "."
    if hidden:
        caption += f" The causal mask hides the {hidden} word{_s(hidden)} after it: exactly 0% each."
    if n_pad:
        caption += f" The {n_pad} padding token{_s(n_pad, ' gets', 's get')} exactly 0%."
    return caption


def what_to_notice(tokens: Sequence[str], q: int, *, link: tuple[int, int, float] | None,
                   overlap: tuple[int, float, float] | None, proj: str, proj_seed: int, focused: float,
                   mean_peak: float, scaled: bool, d_k: int, temperature: float, first_self: float | None) -> str:
    """Bullet points: `link` (a, b, weight), the strongest link between two different words (None for a single
    token); `overlap` (other, score of q·other, score of q·q) for word q's favourite other word; `focused`, the
    largest weight a word with a choice gives to one key; `mean_peak`, a row's largest weight on average;
    `first_self`, what the first word gives itself under the causal mask (None without the mask)."""
    if link is not None:
        a, b, share = link
        notes = [f"Every row adds up to 100%: a word shares out one unit of attention. The strongest link between two "
                 f"different words here is {quoted(tokens[a])} → {quoted(tokens[b])} at **{pct(share)}**."]
    else:
        notes = ["With a single token, all its attention goes to itself."]
    if proj == "identity" and overlap is not None:
        other, score_other, score_self = overlap
        notes.append(f"With identity projections a score is plain feature overlap: {quoted(tokens[q])}·"
                     f"{quoted(tokens[other])} = {score_other:.2f} against {score_self:.2f} for "
                     f"{quoted(tokens[q])}·{quoted(tokens[q])}, so words that share features (animate, person, work, "
                     "…) find each other.")
    elif proj == "random":
        notes.append(f"With random projections (seed {proj_seed}) the pattern no longer follows the features: "
                     f"training is what would make $W_Q$ and $W_K$ useful. The most focused word gives {pct(focused)} to "
                     "a single key.")
    notes.append(f"On average a word's largest weight is **{pct(mean_peak)}**"
                 + (rf"; the scores are divided by $\sqrt{{{d_k}}} = {np.sqrt(d_k):.2f}$" if scaled
                    else "; nothing divides the scores")
                 + (f" and by the temperature {temperature:g}." if temperature != 1 else ".")
                 + (" Turn scaling off or lower the temperature and the rows get peakier." if scaled else
                    " Turn scaling back on or raise the temperature and the rows flatten out."))
    if first_self is not None:
        notes.append(f"The causal mask empties everything above the diagonal: the first word can only look at itself "
                     f"({pct(first_self)}), the last at all {len(tokens)}.")
    return "\n".join(f"- {s}" for s in notes)


# ---- the deep-dive tabs ------------------------------------------------------------------------------------------
DEEP_DIVE_LABEL = "Go deeper: open one"
DEEP_DIVE_HELP = "Each opens below the heatmap; click it again to close it. Only the open one is computed and drawn."
DEEP_DIVE_CLOSED = ("Four deep dives sit behind the buttons above: every matrix on the way from words to output, why "
                    r"the scores are divided by $\sqrt{d}$, how attention gives *Apple* two meanings, and the word vectors "
                    "themselves, which you can edit.")


def steps_intro(scaled: bool, d_k: int, temperature: float) -> str:
    return (
        "Self-attention in six moves: project the inputs $X$ into queries, keys and values "
        r"($Q = X W_Q$, $K = X W_K$, $V = X W_V$), score every query against every key ($Q K^\top$), "
        + (rf"divide by $\sqrt{{d_k}} = {np.sqrt(d_k):.2f}$" if scaled else "skip the scaling")
        + (" and the temperature" if temperature != 1 else "") + ", hide what the mask forbids, "
        r"take softmax row by row, and mix the values: $\text{output} = \text{weights}\ V$."
    )


def steps_shapes(shapes: Mapping[str, tuple[int, int]], proj: str, proj_seed: int, d_model: int, d_k: int,
                 d_k_random: int) -> str:
    """`shapes`: the matrices to name on the way, with their shapes; `d_k_random`: dₖ of the random projections."""
    path = " → ".join(f"${MATRIX_TEX[k]}" + rf"\ [{rows} \times {cols}]$" for k, (rows, cols) in shapes.items())
    if proj == "identity":
        how = ("With identity projections $Q$, $K$ and $V$ all equal $X$; choose random projections to see them differ and "
               f"shrink to $d_k = {d_k_random}$ columns.")
    else:
        how = f"Random projections (seed {proj_seed}) map {d_model} features to $d_k = {d_k}$ unnamed dimensions."
    return f"Each tab is one matrix on the way from input to output: {path}. " + how


def step_csv_label(step: str) -> str:
    """The CSV button under one of the inspector's query × key matrices (Q·Kᵀ, scaled, masked, weights)."""
    what = "weights" if step == "weights" else "scores" if step == "Q·Kᵀ" else f"{step} scores"
    return f"Download the {what} (CSV)"


SQRT_INTRO = (
    r"A dot product of two random vectors adds up $d$ products, so its typical size grows like $\sqrt{d}$. "
    "Feed such large scores to softmax and almost all the weight lands on one key. Then the whole "
    r"softmax Jacobian $\operatorname{diag}(a) - a^\top a$ (for a row of weights $a$) is close to zero, the winner's "
    r"own entry $a_k (1 - a_k)$ included, so no score gets a gradient and learning stalls. Dividing by $\sqrt{d}$ "
    "keeps the scores near size 1 whatever $d$ is. It is the same variance argument that sets the initial weights "
    "of deep networks: a layer that sums $d$ products keeps its outputs at unit spread with weights of variance "
    "$1/d$ (LeCun's rule; Glorot and Bengio's $2/(d_{in} + d_{out})$ balances the backward pass too, and He's "
    "$2/d_{in}$ makes up for the half of the signal a ReLU cuts off). "
    "Below, one random query meets eight random keys (always the same draw for a given $d$)."
)


def position_norms(tokens: Sequence[str], word_norms: Sequence[float], position_norm: float, d: int) -> str:
    """How large the added position vectors are next to the word vectors (norms computed by the page)."""
    order = np.argsort(word_norms, kind="stable")
    small, large = int(order[0]), int(order[-1])
    below = int(np.sum(np.asarray(word_norms) < position_norm))
    return (
        rf"Every position vector has norm $\sqrt{{d/2}} = \sqrt{{{d}/2}}$ = **{position_norm:.2f}**, whatever its "
        "position. The word "
        f"vectors here range from {word_norms[small]:.2f} ({quoted(tokens[small])}) to {word_norms[large]:.2f} "
        f"({quoted(tokens[large])}); {below} of {len(tokens)} are shorter than the position vector added to them, so "
        r"positions are far from negligible. Vaswani et al. multiply their embeddings by $\sqrt{d_\text{model}}$ and "
        "give no reason for it. One reading (ours, not the paper's): were an embedding initialised with entries of "
        r"variance $1/d_\text{model}$, its norm would be about 1, and the factor would make it about "
        r"$\sqrt{d_\text{model}}$, above the position vector's norm $\sqrt{d_\text{model}/2}$, "
        rf"{np.sqrt(PAPER_D_MODEL / 2):g} at their $d_\text{{model}} = {PAPER_D_MODEL}$. These hand-made vectors "
        "are not scaled."
    )


def sqrt_summary(d: int, score_std: float, top_unscaled: float, top_scaled: float) -> str:
    return (
        f"With $d = {d}$ the raw scores spread with standard deviation **{score_std:.1f}** "
        rf"($\sqrt{{{d}}} = {np.sqrt(d):.1f}$). Unscaled, the top key takes **{pct(top_unscaled)}**; "
        rf"divided by $\sqrt{{{d}}}$, it takes **{pct(top_scaled)}** and the other keys keep a share."
    )


def apple_intro(d_model: int) -> str:
    return (
        "A static embedding gives *Apple* one vector, whether it is eaten or traded. Self-attention rebuilds "
        "each word from its neighbours, so the output for *Apple* leans towards the fruit next to *juicy* and "
        f"towards the company next to *stock*. The map squeezes the {d_model} features into the two directions "
        "along which these vectors differ most (principal components, via NumPy's SVD)."
    )


def apple_summary(contexts: Sequence[str], n_fruit: int, n_company: int, static_fruit: float,
                  fruit: Sequence[float], company: Sequence[float], leaning: tuple[int, int], mine: str | None) -> str:
    """`fruit`, `company`: the output's two feature values for each context, the fruit sentences first; `leaning`:
    how many fruit sentences lean fruit and how many company sentences lean company; `mine`: the sense the
    visitor's own sentence leans to, or None."""
    return (
        f"The static vector has fruit = company = {static_fruit:.2f}. After self-attention, "
        f"{quoted(contexts[0])} gives fruit **{fruit[0]:.2f}** vs company {company[0]:.2f}, "
        f"while {quoted(contexts[n_fruit])} gives fruit {fruit[n_fruit]:.2f} "
        f"vs company **{company[n_fruit]:.2f}**. "
        f"{leaning[0]} of {n_fruit} fruit sentences lean fruit and "
        f"{leaning[1]} of {n_company} company sentences lean company. "
        + (f"Your sentence leans **{mine}**. " if mine else "")
        + "Computed with identity projections and your scaling, temperature and position settings."
    )


def table_intro(limit: float, positions: bool) -> str:
    return (
        f"These are the vectors the page feeds in, one row per token and one column per named feature. "
        f"Change a number and the heatmap above is recomputed; values must be numbers between "
        f"−{limit:g} and {limit:g}."
        + (" Positions are added on top of these values." if positions else "")
    )


def rejected_edit(row: int, feature: str, raw: object, tokens: Sequence[str], limit: float) -> str:
    where = f"row {row + 1} ({quoted(tokens[row])})" if 0 <= row < len(tokens) else f"row {row + 1}"
    return (f"Rejected the value {quoted(str(raw))} in {where}, column {quoted(feature)}: it must be a "
            f"finite number between −{limit:g} and {limit:g}. The previous value is kept.")


EDITED = "Edited values are in use for this sentence; they are not stored in the page address."
