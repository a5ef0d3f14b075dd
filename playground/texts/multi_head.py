"""The prose of the Multi-head page: its introductions, and every sentence it formats from the numbers it computed.
A visitor's words reach a sentence only through `short` (code-quoted)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..formatting import pct, quoted

FOCUSED = 0.4  # a head "clearly prefers" a word when it gives it at least this share

INTRO = (
    "One attention head gives each word a single set of weights, so it can follow only one kind of link at a time. "
    "Yet in *The cat sat on the mat because it was tired* the word *it* is tied to *cat* (what it stands for), "
    "to *was* (its verb) and to *tired* (what is said about it). (The blog names *sat* as the syntactic link of "
    "*it*; *sat* is the verb of *cat*, and *it* has a verb of its own, *was*.) A multi-head layer splits its width "
    "into $h$ "
    "smaller heads, each with its own $W_Q$, $W_K$ and $W_V$, runs them side by side, and mixes their answers with "
    "$W_O$. "
    "Below, some heads are **built by hand** so you can read what they do, and the rest are **seeded random**, "
    "like heads before training."
)
TRAINED_HEADER = "The same sentence through trained heads"
EMPTY = "Type a sentence above, or pick an example, to see every head read it."


def short(word: str, n: int = 24) -> str:
    """A word for a caption: shortened with an ellipsis, then code-quoted so Markdown shows it as typed."""
    return quoted(word if len(word) <= n else word[: n - 1] + "…")


def head_title(i: int, name: str) -> str:
    return f"head {i + 1} · {name}"


def truncated(n_original: int, max_tokens: int) -> str:
    return f"Your text has {n_original} words and punctuation marks; the first {max_tokens} are used."


def input_explainer(d_model: int, n_features: int, positions: bool) -> str:
    return (
        f"Each word enters as **{d_model}** numbers. The first **{n_features}** are its readable features "
        "(noun, verb, pronoun, animate, fruit, company, …) from the playground's small lexicon. The other "
        f"**{d_model - n_features}** columns hold its position as a sinusoidal code"
        f"{' (switched off now: all zeros)' if not positions else ''}. The original Transformer *adds* the position "
        "code onto the embedding; here it gets its own columns, so a head that reads *pronoun* is not disturbed by "
        "position, and changing $d_\\text{model}$ only changes how many position columns there are.\n\n"
        "The hand-built heads are ordinary $W_Q$, $W_K$ and $W_V$ matrices with a few chosen non-zero entries:\n"
        "- **pronoun → noun**: the query reads the *pronoun* column, the key reads *noun* (plus a little *animate* "
        "and *person*). A pronoun scores nouns high; other words score everything alike and spread evenly.\n"
        "- **previous word**: the query reads the slow position columns and turns them back by one step (a fixed "
        "rotation), so it matches the key of the word before. It uses positions only, never the words.\n"
        "- **verb ↔ subject/object**: verbs score nouns and pronouns high, and nouns and pronouns score verbs; a "
        "second, smaller term reads the position columns and takes off a little more for every step of distance, so "
        "each word links to the *nearest* word of the other kind (*it* → *was*, *cat* → *sat*).\n"
        "- **same topic**: query and key both read the topic columns (animate, person, fruit, company, …); a word "
        "scores words about the same kind of thing, itself included.\n\n"
        "Each hand-built head passes on (through $W_V$) the features it carries and $W_O$ writes them back into the "
        "same feature columns. Random heads use seeded Gaussian matrices, the way a model starts before training."
    )


def grid_caption(titles: Sequence[str], mean_entropy: Sequence[float], sharp: int, flat: int, n: int,
                 even: float, row_numbers: str | None = None) -> str:
    """`mean_entropy`: each head's average row entropy in bits; `sharp`, `flat`: the heads with the lowest and the
    highest; `even`: the entropy of an even spread over n words; `row_numbers`: the followed word when only its row
    carries numbers."""
    spread = (f"Its rows average {mean_entropy[0]:.2f} bits of entropy" if len(titles) == 1 else
              f"Sharpest head on average: {titles[sharp]} ({mean_entropy[sharp]:.2f} bits per row); most spread out: "
              f"{titles[flat]} ({mean_entropy[flat]:.2f} bits)")
    return (
        "Each panel is one head: row = the word looking, column = the word looked at; every row adds up to 100%. "
        f"{spread}. Spreading evenly over {n} words would be {even:.2f} bits."
        + (f" Numbers are printed only on the outlined row, the one of {short(row_numbers)}; hover any other cell for its weight."
           if row_numbers is not None else "")
    )


WORD_CSV = "Download this word's row in every head (CSV)"
# secondary charts, drawn on request (each chart redrawn costs a key press tens of milliseconds)
SHOW_WORD = "Show this word's row in every head, and each row's spread in bits, as a chart"
SHOW_PATH = "Show the concatenated heads and the output as heatmaps"
SHOW_COST = "Show weights and multiply-adds for every number of heads as a chart"


def word_header(word: str) -> str:
    return f"One word, every head: {word[:40]}"


def word_summary(word: str, titles: Sequence[str], top_words: Sequence[str], top_shares: Sequence[float]) -> str:
    """What the followed word looks at in each head: the heads giving one word at least FOCUSED by name, the rest
    as spread thinly. `top_words`, `top_shares`: each head's strongest key and its weight."""
    clear = [i for i, share in enumerate(top_shares) if share >= FOCUSED]
    vague = [i + 1 for i in range(len(titles)) if i not in clear]
    lines = [f"in {titles[i]}, {pct(top_shares[i])} goes to {short(top_words[i])}" for i in clear]
    summary = f"{short(word)} looks at different words in different heads: " + "; ".join(lines) + "." if lines else ""
    if vague:
        which = "Head " + str(vague[0]) if len(vague) == 1 else "Heads " + ", ".join(map(str, vague))
        summary += (f" {which} give{'s' if len(vague) == 1 else ''} no word as much as {pct(FOCUSED)}: "
                    f"{short(word)}'s attention is spread thinly there.")
    return summary


def entropy_caption(n: int, even: float) -> str:
    return (f"Entropy measures how spread out a row is: 0 bits means all attention on one word, {even:.2f} bits "
            f"($\\log_2 {n}$) means an even share for each of the {n} words.")


def output_steps(n: int, d_model: int, n_features: int, n_heads: int, d_head: int, concat_shape: Sequence[int],
                 output_shape: Sequence[int]) -> str:
    # shapes as plain text ([10, 64] × [64, 16] → [10, 16]); formulas only where they need typesetting: every formula
    # is typeset anew in the browser on each key press
    return (
        f"1. Input $x$: [{n}, {d_model}] ({n_features} feature columns + {d_model - n_features} position columns).\n"
        f"2. {'The head' if n_heads == 1 else f'Each of the {n_heads} heads'}: $Q = x W_Q,\\ K = x W_K,\\ V = x W_V$, "
        f"each [{n}, {d_model}] × [{d_model}, {d_head}] → [{n}, {d_head}].\n"
        rf"3. $\text{{weights}} = \operatorname{{softmax}}(Q K^\top / \sqrt{{{d_head}}})$: [{n}, {n}] per head (the "
        rf"panels above); $\text{{head output}} = \text{{weights}}\ V$: [{n}, {d_head}]." "\n"
        f"4. Concatenate the head outputs side by side: [{n}, {n_heads} · {d_head}] = {list(concat_shape)}"
        f"{' (with one head there is nothing to put beside it)' if n_heads == 1 else ''}.\n"
        rf"5. $\text{{output}} = \text{{concat}}\ W_O$: [{n}, {n_heads * d_head}] × [{n_heads * d_head}, {d_model}] "
        f"→ {list(output_shape)}, one new vector per word, mixing what all heads found."
    )


def output_caption(word: str, column: str, after: float, before: float) -> str:
    """`column`: the followed word's largest feature column after the layer; its value after and before."""
    return (
        f"After the layer, {short(word)}'s largest feature column is {short(column)} "
        f"({after:+.2f}); before, it was {before:+.2f} in that column. "
        "A Transformer adds this output back onto x (the residual connection) before the next layer."
    )


def cost_summary(d_model: int, n: int, total: int, madds: int, most_heads: int, full_width_total: int) -> str:
    """`total`, `madds`: weights and multiply-adds of the layer (the same for every h); `full_width_total`: the
    weights if each of `most_heads` heads kept the full width."""
    return (
        rf"With $d_\text{{model}} = {d_model}$, $W_Q, W_K, W_V$ and $W_O$ hold **{total:,}** weights "
        rf"$= 4 \times {d_model}^2$ whether there is 1 head or {most_heads}: more heads means narrower heads "
        rf"($d_\text{{head}} = {d_model} / h$), not more work. For these {n} words the layer does **{madds:,}** "
        rf"multiply-adds ($4 n d^2 + 2 n^2 d = 4 \cdot {n} \cdot {d_model}^2 + 2 \cdot {n}^2 \cdot {d_model}$) for "
        f"every $h$. Had each of {most_heads} heads "
        f"kept the full width, it would need {full_width_total:,} weights, {full_width_total // total}× as many."
    )


def head_table(kinds: Sequence[str], looks_for: Sequence[str], strongest: Sequence[str], weights: Sequence[float],
               entropy_bits: Sequence[float]) -> str:
    """A Markdown table, a row per head: its kind, what it looks for, the followed word's strongest key (code-quoted:
    a visitor's word), that key's weight and the row's entropy. Markdown, not st.dataframe: a first visit then loads
    no data-grid scripts."""
    lines = ["| head | kind | looks for | strongest key | its weight | entropy (bits) |", "|---" * 6 + "|"]
    lines += [f"| {i + 1} | {k} | {f} | {short(w).replace('|', chr(92) + '|')} | {pct(p, 1)} | {e:.2f} |"
              for i, (k, f, w, p, e) in enumerate(zip(kinds, looks_for, strongest, weights, entropy_bits, strict=True))]
    return "\n".join(lines)


def cost_table(head_counts: Sequence[int], totals: Mapping[int, Sequence[int]]) -> str:
    """A Markdown table of the weights of the layer: a row per d_model (`totals` maps it to one total per head
    count), a column per head count."""
    # the head counts in plain text: each formula is typeset anew in the browser on every key press
    lines = ["| weights | " + " | ".join(f"*h* = {h}" for h in head_counts) + " |",
             "|---" * (len(head_counts) + 1) + "|"]
    lines += [rf"| $d_\text{{model}} = {d}$ | " + " | ".join(f"{t:,}" for t in row) + " |" for d, row in totals.items()]
    return "\n".join(lines)


def what_to_notice(hand_names: Sequence[str]) -> str:
    """`hand_names`: the hand-built heads in the layer now, if any."""
    return (
        "- The same word gets **different answers from different heads**: follow *it* and compare the pronoun head "
        "with the previous-word head. Concatenating the heads keeps every answer; $W_O$ then decides how to mix them.\n"
        "- **Hand-built heads are sharp, random heads are vague**: compare their entropies. Training is what turns "
        "random heads into useful ones; the hand-built heads show the kind of pattern training can find"
        + (f" (here: {', '.join(hand_names)})." if hand_names else ".") + "\n"
        "- Switch **position columns** off: the previous-word head loses its only clue and spreads evenly, while "
        "the word-based heads do not change. Attention by itself does not know word order.\n"
        r"- Change **$h$**: the panels get narrower heads ($d_\text{head} = d_\text{model} / h$) but the cost bars "
        "stay level. With $h = 1$ a single head must choose one pattern.\n"
        "- Try your own sentence with a pronoun, or a word the lexicon does not know: unknown words get a fixed "
        "pseudo-random vector, so the hand-built heads mostly ignore them."
    )
