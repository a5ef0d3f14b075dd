"""The bottleneck page's sentences, formatted from the numbers the page computed (never typed in)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from lessons.seq2seq_views import CurveShape, Focus, InfluenceComparison, LengthAccuracy

from ..formatting import pct
from .seq2seq import MODEL_LABELS, plural, ratio_text, words


def load_error(error: str) -> str:
    return ("The trained translators could not be loaded, so this page shows only the random network; every other "
            f"page works as usual. The loader said: {error}")


def influence_summary(rho: float, c: InfluenceComparison, source: Sequence[str], glosses: Sequence[str]) -> str:
    """How much the first word moves h_n compared with the last, in both networks (source and glosses: the words of
    the trained encoder's sentence, empty without one)."""
    if c.random_ratio is None:
        # a one-word sentence has nothing to compare; an influence of exactly 0 (saturated tanh) has no ratio
        return f"With {plural(c.n, 'word')} and $\\rho = {rho:.2f}$ there is no first-to-last ratio to report."
    text = (f"In the random RNN with $\\rho = {rho:.2f}$, the first of the {c.n} words moves $h_n$ "
            f"**{ratio_text(c.random_ratio)}** as much as the last word does: a factor of "
            f"**{c.random_step:.3f}** per step back, on average.")
    if c.trained_ratio is None or not source:
        return text
    return text + (f" In the trained encoder the first word moves $h_n$ **{ratio_text(c.trained_ratio)}** as much as "
                   f"the last word (a factor of **{c.trained_step:.3f}** per step back, "
                   f"{'closer to' if c.trained_flatter else 'further from'} 1 than the random RNN's); the word that "
                   f"moves it most is word {c.strongest + 1}, {source[c.strongest]} ({glosses[c.strongest]}).")



RHO_HELP = ("The largest $\\lvert\\text{eigenvalue}\\rvert$ of $W_h$. It sets the long run: below 1 a product of many steps "
            "shrinks (like $\\rho$ per step, eventually), above 1 it can grow. A single step can still stretch some "
            "directions by more than $\\rho$, up to $W_h$'s largest singular value $\\sigma_{\\max}(W_h)$, given below the "
            "chart.")


def _g(x: float) -> str:
    return f"{x:.3g}"


def step_stretch(rho: float, stretch: float) -> str:
    """What ρ does and does not promise, with σ_max(W_h) = `stretch` of the red curve's network."""
    text = f"At $\\rho = {rho:.2f}$ the red network's $W_h$ has largest singular value **{stretch:.2f}**"
    if rho < 1 and stretch > 1:
        return text + (f": a single step can stretch some directions by up to {stretch:.2f}×, even though $\\rho < 1$. "
                       "$\\rho$ governs only the long run: every eigenvalue is below 1 in size, so the product of many "
                       "steps shrinks eventually, roughly by $\\rho$ per step.")
    if rho < 1:
        return text + ", so every step shrinks what came before, and the product of $k$ steps shrinks like $\\rho^k$."
    return text + (". With $\\rho \\ge 1$ products of many steps no longer shrink; only the $\\tanh$ derivatives (at most 1) "
                   "hold them back.")


def curve_notice(shape: CurveShape, n: int) -> str:
    """What the red curve (influence of word t on h_n, t = 1..n) actually looks like."""
    ends = f"word 1 moves $h_n$ by {_g(shape.first)}, the last word by {_g(shape.last)}"
    sensitivity = (" The large influence of the earliest words is exploding sensitivity, not memory: a change to an "
                   "early word is amplified step after "
                   "step together with everything read after it, so $h_n$ depends strongly on that word without "
                   "holding it in a form the decoder could read back. Bengio, Simard and Frasconi (1994) showed the "
                   "dilemma: storing information robustly needs steps that contract, and contracting steps make "
                   "the gradients vanish.")
    if n < 2:
        return "With one word there is no curve to read."
    if shape.low == 0:
        return (f"The red curve rises from word 1 to word {n} ({ends}): each step back multiplies the influence by a "
                "roughly constant factor, a near-straight line on the log axis, so early words fade geometrically.")
    if shape.u_shaped:
        return (f"The red curve is U-shaped: {ends}, and in between it falls to {_g(shape.lowest)} at word "
                f"{shape.low + 1}. The middle of the sentence is the least audible part." + sensitivity)
    if shape.low == n - 1:
        return f"The red curve falls from word 1 to word {n} ({ends}): the earliest word moves $h_n$ most." + sensitivity
    return (f"The red curve is nearly flat at the start and lowest at word {shape.low + 1} ({_g(shape.lowest)}); "
            f"{ends}. This is the narrow band near $\\rho = 1$ where influence neither fades nor explodes quickly.")

def sentence_caption(source: Sequence[str], english: Sequence[str]) -> str:
    return f"The sentence (held-out, {len(source)} tokens): {words(source)} — reference translation: “{words(english)}”."


def accuracy_spinner(count: int) -> str:
    return f"Translating the {count:,} held-out sentences with both models (once per server) …"


def accuracy_table(accuracy: Mapping[str, LengthAccuracy]) -> str:
    """A Markdown table: one row per model, one column per length bucket."""
    buckets = list(next(iter(accuracy.values())).per_bucket)
    rows = ["| model | " + " | ".join(f"{b} tokens" for b in buckets) + " |", "|---" * (len(buckets) + 1) + "|"]
    rows += [f"| {MODEL_LABELS[name]} | " + " | ".join(pct(acc.rate(b), 1) for b in buckets) + " |"
             for name, acc in accuracy.items()]
    return "\n".join(rows)


def accuracy_summary(accuracy: Mapping[str, LengthAccuracy], n: int) -> str:
    """The fall of the model without attention, the range of the one with it, and both at length n."""
    no_att, att = accuracy["no_attention"], accuracy["attention"]
    buckets = list(att.per_bucket)
    low, high = (pct(rate, 1) for rate in att.bucket_range())
    spread = f"stays at **{low}** in every bucket" if low == high else f"stays between **{low}** and **{high}**"
    text = (f"Without attention, exact match goes from **{pct(no_att.rate(buckets[0]), 1)}** on {buckets[0]}-token "
            f"sentences to **{pct(no_att.rate(buckets[-1]), 1)}** on {buckets[-1]}-token ones; with attention it "
            f"{spread}.")
    if n in att.per_length:
        text += (f" Of the {att.per_length[n][1]} held-out sentences of exactly {n} tokens, the model with attention "
                 f"gets **{pct(att.rate(n), 1)}** right and the one without **{pct(no_att.rate(n), 1)}**.")
    return text


def accuracy_caption(count: int, hidden: int) -> str:
    """hidden: the decoder state's size, the same in both models (and the attention model's annotation size)."""
    return (f"Both models have the same GRU decoder ({hidden} numbers of state), output layer and training. The one "
            f"without attention reads the Tamil one way ({hidden} numbers) and gets only its final state $h_n$; the one "
            f"with attention reads it both ways ({hidden // 2} + {hidden // 2} numbers) and looks at every word's "
            f"state. {count:,} held-out sentences that neither model saw in training, evaluated live from the "
            "shipped weights.")


def no_sentence(n: int) -> str:
    return f"The held-out set has no sentence of {n} tokens; pick another length."


def trial(source: Sequence[str], english: Sequence[str]) -> str:
    return f"**Tamil** ({len(source)} tokens): {words(source)}  \n**Reference**: {words(english)}"


def focus_summary(focus: Focus, n_source: int) -> str:
    """How concentrated the attention model's weights were, and how many source words it visited."""
    return (f"The model without attention had only $h_n$ to go on. The one with attention put, on average, "
            f"**{pct(focus.mean_top_weight)}** of each step's attention on a single Tamil word, and visited "
            f"{focus.visited} of the {n_source} source words as its main focus.")
