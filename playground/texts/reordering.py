"""The reordering page's sentences, formatted from the numbers the page computed (never typed in).

Words shown come from the toy language's fixed vocabularies or the model's output; a visitor's typed text reaches
a sentence only through `quoted`.
"""

from __future__ import annotations

from collections.abc import Sequence

from lessons.seq2seq_views import AlignmentReading, ScoringComparison

from ..formatting import pct, quoted
from .seq2seq import words


def load_error(error: str) -> str:
    return ("The trained translator could not be loaded, so this page cannot show its attention; every other page "
            f"works as usual. The loader said: {error}")


def max_tokens_help(max_len: int) -> str:
    return f"At most {max_len} tokens, from the toy language's vocabulary."


def gloss_table(tokens: Sequence[str], glosses: Sequence[str], max_columns: int = 8) -> str:
    """A Markdown table (position, Tamil word, gloss) for short sentences; longer ones as a wrapping line of
    numbered words, which a wide table would push off the page."""
    if len(tokens) > max_columns:
        return " · ".join(f"{i + 1} **{t}** *({g})*" for i, (t, g) in enumerate(zip(tokens, glosses, strict=True)))
    return ("| | " + " | ".join(str(i + 1) for i in range(len(tokens))) + " |\n"
            + "|---" * (len(tokens) + 1) + "|\n"
            + "| **Tamil** | " + " | ".join(tokens) + " |\n"
            + "| *gloss* | " + " | ".join(f"*{g}*" for g in glosses) + " |")


def translation(shown: str, reference: Sequence[str] | None, exact: bool) -> str:
    """The model's translation (already marked against the reference when there is one), the verdict, the reference."""
    if reference is None:
        return f"**Model's translation:** {shown or '*(nothing)*'} "
    verdict = "— ✓ exactly the reference" if exact else "— ✗ differs from the reference"
    return f"**Model's translation:** {shown or '*(nothing)*'} {verdict}  \n**Reference:** {words(reference)}"


def alignment_summary(reading: AlignmentReading) -> str:
    """How many output words look where a left-to-right reading would, and how often the focus jumps back."""
    n = len(reading.guide)
    return (f"Of the {n} English words, **{reading.as_naive}** look mostly at the Tamil word a left-to-right reading "
            f"would give them and **{n - reading.as_naive}** look elsewhere. Moving from one English word to the next, "
            f"the model's main focus jumps back towards the start of the Tamil sentence **{reading.jumps}** "
            f"time{'s' if reading.jumps != 1 else ''}.")


def guide_markdown(reading: AlignmentReading, tokens: Sequence[str], glosses: Sequence[str]) -> str:
    """One numbered line per English word: the Tamil word it looks at most (and the next, when the top is < 50%)."""
    lines = []
    for i, g in enumerate(reading.guide):
        line = (f"{i + 1}. {quoted(g.word)} looks mostly at **{tokens[g.source]}** ({glosses[g.source]}), "
                f"word {g.source + 1}: {pct(g.weight)}")
        if g.weight < 0.5 and g.runner_up >= 0:
            line += f"; next comes {tokens[g.runner_up]} ({glosses[g.runner_up]}) with {pct(g.runner_up_weight)}"
        lines.append(line)
    return "\n".join(lines)


def guide_notice(reading: AlignmentReading, tokens: Sequence[str]) -> str:
    """'What to notice' under the alignment: where the first English word looks, who reads the first Tamil word,
    and the flattest row."""
    guide = reading.guide
    opening = "Here the learned matrix happens to follow the Tamil order." if reading.in_order else \
        "The learned matrix is not a diagonal."
    first = guide[0]
    text = (f"**What to notice.** {opening} {quoted(first.word)}, the first English word, takes its attention from "
            f"Tamil word {first.source + 1} of {len(tokens)}")
    if reading.first_reader >= 0:
        i = reading.first_reader
        text += (f", and the sentence's first Tamil word, {tokens[0]}, is read mostly while writing "
                 f"{quoted(guide[i].word)}, English word {i + 1} of {len(guide)}")
    flat = guide[reading.flattest]
    sharp = max(guide, key=lambda g: g.weight)
    return text + (f". Nobody told the model where the words are; it found the alignment because translating needed "
                   f"it. Rows differ in how sharp they are: the flattest here is {quoted(flat.word)}, whose top Tamil "
                   f"word gets only {pct(flat.weight)}, the sharpest {quoted(sharp.word)}, with {pct(sharp.weight)} "
                   "on one Tamil word. Sharpness alone does not say whether an English word has a Tamil word of its "
                   "own: a word the Tamil leaves unsaid can still take nearly all its attention from one place.")


def model_description(hidden: int, attn: int, out: int) -> str:
    """What the trained translator is, with the sizes of the shipped weights (hidden: the decoder state and the
    annotation, each direction of the encoder has half; attn: d_a; out: the tanh output layer)."""
    half = hidden // 2
    return (f"**The model** is RNNsearch as Bahdanau, Cho and Bengio (2014) built it, at toy size. A bidirectional "
            "GRU encoder reads the Tamil sentence both ways, and each word's *annotation* "
            r"$h_j = [\overrightarrow{h}_j; \overleftarrow{h}_j]$ joins "
            f"a forward state ({half} numbers, the words up to $j$) and a backward one ({half} numbers, the words from "
            f"$j$ to the end): {hidden} numbers that summarise both sides of the word. Before writing English word $i$, "
            f"the decoder's *previous* state $s_{{i-1}}$ ({hidden} numbers) scores every annotation with "
            r"$e_{ij} = v_a^\top \tanh(W_a s_{i-1} + U_a h_j)$, " f"a small network with {attn} hidden units; the "
            r"softmax weights $\alpha_{ij}$ average the annotations into a context $c_i$, which goes into the decoder's "
            r"GRU together with the previous English word to give $s_i$. " f"A single $\\tanh$ layer of {out} units "
            r"(the paper uses maxout) reads $s_i$, the previous word and $c_i$ and picks the word. The heatmap above "
            r"shows the $\alpha_{ij}$.")


def scoring_intro(n_output: int, n_source: int, width: int) -> str:
    return ("Attention needs a score for how well the decoder's previous state $s_{i-1}$ (the query) matches each "
            "annotation $h_j$ (the key). The model was trained with Bahdanau's additive score, a small learned network. "
            "Luong's dot product and the Transformer's scaled dot product have no parameters of their own, but a "
            "Transformer never uses them bare: learned projections $W_Q$ and $W_K$ always come first. Here the two dot "
            f"products are applied bare, and all three score the very same {n_output} queries "
            rf"$s_0 \dots s_{{{n_output - 1}}}$ "
            f"against the same {n_source} annotations; both have {width} numbers, so their dot product is defined.")


READING_BOXES = ("**Dotted boxes:** where a strict left-to-right reading would look, one Tamil word after another "
                 "(stretched when the two sentences differ in length). Where the dark cells leave the boxes, the model "
                 "looks elsewhere than that reading; where they step back to the left from one row to the next, it "
                 "reads the source out of order.")
SHOW_SCORINGS = "Show the scorings as a heatmap, one at a time"
SCORING_PICKER = "Scoring to draw"
SCORING_PICKER_HELP = ("Flip between them: the same queries, keys and colour scale (the raw scores of all three share "
                       "one), only the score changes. One chart at a time keeps each readable on a phone, and a click "
                       "redraws one chart, not three.")


def scoring_title(name: str) -> str:
    return f"{name} score"


def scoring_bullets(c: ScoringComparison) -> str:
    """One bullet per scoring function: peakedness, logit spread, agreement with the trained additive score."""
    add, dot, scaled = c.summaries["additive"], c.summaries["dot"], c.summaries["scaled dot"]
    return (f"- **additive** (trained): on average **{pct(add.mean_top_weight)}** of a row's attention goes to its "
            f"top Tamil word; scores within a row span **{add.score_spread:.1f}**.\n"
            f"- **dot**: scores span **{dot.score_spread:.1f}** per row, so softmax gives the top word "
            f"**{pct(dot.mean_top_weight)}** on average; it picks the same top word as the trained score for "
            f"**{dot.agree} of {dot.rows}** English words.\n"
            rf"- **scaled dot** ($\div \sqrt{{{c.width}}} \approx {c.divisor:.1f}$): the same ranking as dot, but the "
            "spread shrinks to "
            f"**{scaled.score_spread:.1f}** and the top word gets **{pct(scaled.mean_top_weight)}**; same top word "
            f"as the trained score for **{scaled.agree} of {scaled.rows}**.")


def scoring_notice(c: ScoringComparison) -> str:
    dot = c.summaries["dot"]
    return (r"**What to notice.** Dividing by $\sqrt{d}$ changes how sharp the weights are, not which word wins: "
            f"dot and "
            f"scaled dot pick the same top Tamil word for {c.same_winner} of {dot.rows} English words. Without "
            f"training, a dot product rewards annotations that *resemble* the decoder's state, and resembling is "
            f"not the same as being the word needed next: here the plain dot product matches the trained choice for "
            f"{dot.agree} of {dot.rows} words. In a Transformer, learned projections $W_Q$ and $W_K$ in front of the dot "
            "product do the job of Bahdanau's small network.")

