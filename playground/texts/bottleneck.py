"""The bottleneck page's sentences, formatted from the numbers the page computed (never typed in)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from lessons.seq2seq_views import Focus, InfluenceComparison, LengthAccuracy

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
        return f"With {plural(c.n, 'word')} and ρ = {rho:.2f} there is no first-to-last ratio to report."
    text = (f"In the random RNN with ρ = {rho:.2f}, the first of the {c.n} words moves h_n "
            f"**{ratio_text(c.random_ratio)}** as much as the last word does: a factor of "
            f"**{c.random_step:.3f}** per step back, on average.")
    if c.trained_ratio is None or not source:
        return text
    return text + (f" In the trained encoder the first word moves h_n **{ratio_text(c.trained_ratio)}** as much as "
                   f"the last word (a factor of **{c.trained_step:.3f}** per step back, "
                   f"{'closer to' if c.trained_flatter else 'further from'} 1 than the random RNN's); the word that "
                   f"moves it most is word {c.strongest + 1}, {source[c.strongest]} ({glosses[c.strongest]}).")


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


def accuracy_caption(count: int) -> str:
    return (f"Both models share the same GRU sizes and training; {count:,} held-out sentences that neither model saw "
            "in training, evaluated live from the shipped weights.")


def no_sentence(n: int) -> str:
    return f"The held-out set has no sentence of {n} tokens; pick another length."


def trial(source: Sequence[str], english: Sequence[str]) -> str:
    return f"**Tamil** ({len(source)} tokens): {words(source)}  \n**Reference**: {words(english)}"


def focus_summary(focus: Focus, n_source: int) -> str:
    """How concentrated the attention model's weights were, and how many source words it visited."""
    return (f"The model without attention had only h_n to go on. The one with attention put, on average, "
            f"**{pct(focus.mean_top_weight)}** of each step's attention on a single Tamil word, and visited "
            f"{focus.visited} of the {n_source} source words as its main focus.")
