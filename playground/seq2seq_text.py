"""Captions of the bottleneck and reordering pages, formatted from the numbers they describe (never typed in).

Words shown come from the toy language's fixed vocabularies; a visitor's typed text reaches a caption only through
`quoted`, and nothing here goes through unsafe_allow_html.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from lessons.seq2seq_views import GuideLine, LengthAccuracy, MarkedWord, ScoringSummary, decay_per_step
from models import toy_tamil

from .formatting import pct, quoted

MODEL_LABELS = {"no_attention": "without attention", "attention": "with attention"}


def plural(count: int, word: str) -> str:
    """3, 'wrong word' -> '3 wrong words'; 1 -> '1 wrong word'."""
    return f"{count} {word}" + ("" if count == 1 else "s")


def ratio_text(r: float) -> str:
    """A ratio of two influences, to read before "as much as": 0.0031 -> '1/323', 2.5 -> '2.5 times'."""
    if r >= 0.5:
        return f"{r:.2g} times"
    return f"1/{1 / r:,.0f}" if r > 1e-6 else f"{r:.1e} times"


def marked_markdown(marked: Sequence[MarkedWord]) -> str:
    """Words of a translation with wrong ones struck through and flagged ✗, missing ones named: never colour alone."""
    parts = []
    for word, status in marked:
        if status == "ok":
            parts.append(word)
        elif status == "wrong":
            parts.append(f"~~{word}~~ ✗")
        else:
            parts.append(f"[missing: *{word}*]")
    return " ".join(parts) if parts else "*(nothing: the model stopped at once)*"


def verdict(marked: Sequence[MarkedWord]) -> str:
    """✓ when the translation is the reference, else how many words are wrong and missing."""
    wrong = sum(m.status == "wrong" for m in marked)
    missing = sum(m.status == "missing" for m in marked)
    if not wrong and not missing:
        return "✓ exactly the reference translation"
    return f"✗ {plural(wrong, 'wrong word')}, {plural(missing, 'missing word')}"


# ---------------------------------------------------------------------------------------------------------------
# Bottleneck


def influence_summary(rho: float, random_curve: np.ndarray, trained_curve: np.ndarray | None,
                      sentence: toy_tamil.Sentence | None) -> str:
    """How much the first word moves h_n compared with the last, in both networks."""
    n = len(random_curve)
    curves = [c for c in (random_curve, trained_curve) if c is not None]
    if n < 2 or not all(np.all(np.isfinite(c)) and np.all(c > 0) for c in curves):
        # a one-word sentence has nothing to compare; an influence of exactly 0 (saturated tanh) has no ratio
        return f"With {n} word{'s' if n != 1 else ''} and ρ = {rho:.2f} there is no first-to-last ratio to report."
    text = (f"In the random RNN with ρ = {rho:.2f}, the first of the {n} words moves h_n "
            f"**{ratio_text(float(random_curve[0] / random_curve[-1]))}** as much as the last word does: a factor of "
            f"**{decay_per_step(random_curve):.3f}** per step back, on average.")
    if trained_curve is None or sentence is None:
        return text
    strongest = int(np.argmax(trained_curve))
    trained_step = decay_per_step(trained_curve)
    flatter = abs(np.log(trained_step)) < abs(np.log(decay_per_step(random_curve)))
    return text + (f" In the trained encoder the first word moves h_n "
                   f"**{ratio_text(float(trained_curve[0] / trained_curve[-1]))}** as much as the last word (a factor "
                   f"of **{trained_step:.3f}** per step back, {'closer to' if flatter else 'further from'} 1 than the "
                   f"random RNN's); the word that moves it most is word {strongest + 1}, {sentence.source[strongest]} "
                   f"({sentence.glosses[strongest]}).")


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
    low, high = pct(min(att.rate(b) for b in buckets), 1), pct(max(att.rate(b) for b in buckets), 1)
    spread = f"stays at **{low}** in every bucket" if low == high else f"stays between **{low}** and **{high}**"
    text = (f"Without attention, exact match goes from **{pct(no_att.rate(buckets[0]), 1)}** on {buckets[0]}-token "
            f"sentences to **{pct(no_att.rate(buckets[-1]), 1)}** on {buckets[-1]}-token ones; with attention it "
            f"{spread}.")
    if n in att.per_length:
        text += (f" Of the {att.per_length[n][1]} held-out sentences of exactly {n} tokens, the model with attention "
                 f"gets **{pct(att.rate(n), 1)}** right and the one without **{pct(no_att.rate(n), 1)}**.")
    return text


def focus_summary(weights: np.ndarray, n_source: int) -> str:
    """How concentrated the attention model's weights [T, S] were, and how many source words it visited."""
    visited = len(set(np.argmax(weights, axis=1).tolist()))
    return (f"The model without attention had only h_n to go on. The one with attention put, on average, "
            f"**{pct(float(np.max(weights, axis=1).mean()))}** of each step's attention on a single Tamil word, and "
            f"visited {visited} of the {n_source} source words as its main focus.")


# ---------------------------------------------------------------------------------------------------------------
# Reordering


def unknown_words_warning(unknown: Sequence[str]) -> str:
    """Names every unknown token (each shortened to 30 characters, at most 12 of them) in code style."""
    shown = ", ".join(quoted(t if len(t) <= 30 else t[:29] + "…") for t in unknown[:12])
    shown += " …" if len(unknown) > 12 else ""
    return (f"Not in the toy language's vocabulary ({len(unknown)} of them): {shown}. The model knows only the words "
            "the sentence builder offers; nothing is translated until every word is one of them.")


def gloss_table(tokens: Sequence[str], glosses: Sequence[str], max_columns: int = 8) -> str:
    """A Markdown table (position, Tamil word, gloss) for short sentences; longer ones as a wrapping line of
    numbered words, which a wide table would push off the page."""
    if len(tokens) > max_columns:
        return " · ".join(f"{i + 1} **{t}** *({g})*" for i, (t, g) in enumerate(zip(tokens, glosses, strict=True)))
    return ("| | " + " | ".join(str(i + 1) for i in range(len(tokens))) + " |\n"
            + "|---" * (len(tokens) + 1) + "|\n"
            + "| **Tamil** | " + " | ".join(tokens) + " |\n"
            + "| *gloss* | " + " | ".join(f"*{g}*" for g in glosses) + " |")


def alignment_summary(guide: Sequence[GuideLine], naive: np.ndarray, jumps: int) -> str:
    """How many output words look where a left-to-right reading would, and how often the focus jumps back."""
    naive_top = np.argmax(naive, axis=1)
    same = sum(line.source == int(naive_top[i]) for i, line in enumerate(guide))
    return (f"Of the {len(guide)} English words, **{same}** look mostly at the Tamil word a left-to-right reading "
            f"would give them and **{len(guide) - same}** look elsewhere. Moving from one English word to the next, "
            f"the model's main focus jumps back towards the start of the Tamil sentence **{jumps}** "
            f"time{'s' if jumps != 1 else ''}.")


def guide_markdown(guide: Sequence[GuideLine], tokens: Sequence[str], glosses: Sequence[str]) -> str:
    """One numbered line per English word: the Tamil word it looks at most (and the next, when the top is < 50%)."""
    lines = []
    for i, g in enumerate(guide):
        line = (f"{i + 1}. {quoted(g.word)} looks mostly at **{tokens[g.source]}** ({glosses[g.source]}), "
                f"word {g.source + 1}: {pct(g.weight)}")
        if g.weight < 0.5 and g.runner_up >= 0:
            line += f"; next comes {tokens[g.runner_up]} ({glosses[g.runner_up]}) with {pct(g.runner_up_weight)}"
        lines.append(line)
    return "\n".join(lines)


def guide_notice(guide: Sequence[GuideLine], naive: np.ndarray, jumps: int, tokens: Sequence[str]) -> str:
    """'What to notice' under the alignment, from the matrix: where the first English word looks, who reads the
    first Tamil word, and the flattest row."""
    naive_top = np.argmax(naive, axis=1)
    in_order = jumps == 0 and all(g.source == int(naive_top[i]) for i, g in enumerate(guide))
    opening = "Here the learned matrix happens to follow the Tamil order." if in_order else \
        "The learned matrix is not a diagonal."
    first = guide[0]
    text = (f"**What to notice.** {opening} {quoted(first.word)}, the first English word, takes its attention from "
            f"Tamil word {first.source + 1} of {len(tokens)}")
    readers = [i for i, g in enumerate(guide) if g.source == 0]
    if readers:
        i = readers[-1]
        text += (f", and the sentence's first Tamil word, {tokens[0]}, is read mostly while writing "
                 f"{quoted(guide[i].word)}, English word {i + 1} of {len(guide)}")
    flat = min(range(len(guide)), key=lambda k: guide[k].weight)
    return text + (f". Nobody told the model where the words are; it found the alignment because translating needed "
                   f"it. English words without a Tamil word of their own have spread-out rows: the flattest here is "
                   f"{quoted(guide[flat].word)}, whose top Tamil word gets only {pct(guide[flat].weight)}.")


def scoring_bullets(summaries: Mapping[str, ScoringSummary], d: int) -> str:
    """One bullet per scoring function: peakedness, logit spread, agreement with the trained additive score."""
    add, dot, scaled = summaries["additive"], summaries["dot"], summaries["scaled dot"]
    return (f"- **additive** (trained): on average **{pct(add.mean_top_weight)}** of a row's attention goes to its "
            f"top Tamil word; scores within a row span **{add.score_spread:.1f}**.\n"
            f"- **dot**: scores span **{dot.score_spread:.1f}** per row, so softmax gives the top word "
            f"**{pct(dot.mean_top_weight)}** on average; it picks the same top word as the trained score for "
            f"**{dot.agree} of {dot.rows}** English words.\n"
            f"- **scaled dot** (÷ √{d} ≈ {np.sqrt(d):.1f}): the same ranking as dot, but the spread shrinks to "
            f"**{scaled.score_spread:.1f}** and the top word gets **{pct(scaled.mean_top_weight)}**; same top word "
            f"as the trained score for **{scaled.agree} of {scaled.rows}**.")


def scoring_notice(same_winner: int, dot: ScoringSummary) -> str:
    return (f"**What to notice.** Dividing by √d changes how sharp the weights are, not which word wins: dot and "
            f"scaled dot pick the same top Tamil word for {same_winner} of {dot.rows} English words. Without "
            f"training, a dot product rewards encoder states that *resemble* the decoder's state, and resembling is "
            f"not the same as being the word needed next: here the plain dot product matches the trained choice for "
            f"{dot.agree} of {dot.rows} words. In a Transformer, learned projections W_Q and W_K in front of the dot "
            "product do the job of Bahdanau's small network.")
