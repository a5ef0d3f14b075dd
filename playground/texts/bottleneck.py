"""The bottleneck page's sentences, formatted from the numbers the page computed (never typed in)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from lessons.seq2seq_views import CurveShape, FairComparison, Focus, InfluenceComparison, LengthAccuracy, LengthBleu

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



SHOW_WEIGHTS = "Show where the model with attention looked, as a heatmap"
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


def _bleu(x: float) -> str:
    return f"{x:.1f}"


def results_table(bleu: Mapping[str, LengthBleu], accuracy: Mapping[str, LengthAccuracy]) -> str:
    """A Markdown table: one row per model, one column per length bucket, BLEU and exact match in each cell."""
    buckets = list(next(iter(bleu.values())).per_bucket)
    rows = ["| model | " + " | ".join(f"{b} tokens" for b in buckets) + " |", "|---" * (len(buckets) + 1) + "|"]
    rows += [f"| {MODEL_LABELS[name]} | " + " | ".join(f"BLEU {_bleu(scores.per_bucket[b])} · "
                                                      f"{pct(accuracy[name].rate(b), 1)} exact" for b in buckets) + " |"
             for name, scores in bleu.items()]
    return "\n".join(rows)


def bleu_summary(bleu: Mapping[str, LengthBleu], accuracy: Mapping[str, LengthAccuracy]) -> str:
    """How far each model's BLEU falls from the shortest bucket to the longest, and its exact match at both ends."""
    parts = []
    for name, scores in bleu.items():
        buckets = list(scores.per_bucket)
        first, last = buckets[0], buckets[-1]
        low, high = min(scores.per_bucket.values()), max(scores.per_bucket.values())
        spread = (f"the same {_bleu(low)} in every bucket" if _bleu(low) == _bleu(high)
                  else f"between {_bleu(low)} and {_bleu(high)} over all buckets")
        parts.append(f"{MODEL_LABELS[name].capitalize()}, BLEU goes from **{_bleu(scores.per_bucket[first])}** on "
                     f"{first}-token sentences to **{_bleu(scores.per_bucket[last])}** on {last}-token ones "
                     f"(**{pct(scores.falls_to())}** of its short-sentence score; {spread}), and exact match from "
                     f"**{pct(accuracy[name].rate(first), 1)}** to **{pct(accuracy[name].rate(last), 1)}**.")
    return " ".join(parts)


def length_notice(bleu: Mapping[str, LengthBleu], accuracy: Mapping[str, LengthAccuracy], n: int) -> str:
    """Both models at the length the slider marks, and what BLEU counts that exact match does not."""
    att, no_att = accuracy["attention"], accuracy["no_attention"]
    text = ("BLEU gives credit for every word and every run of up to four words that the translation shares with the "
            "reference, so a long translation with a few wrong names still scores; exact match gives none.")
    if n in att.per_length:
        text += (f" Of the {att.per_length[n][1]} held-out sentences of exactly {n} tokens, the model with attention "
                 f"translates **{pct(att.rate(n), 1)}** exactly and the one without **{pct(no_att.rate(n), 1)}**.")
    return text


def paper_figure(bleu: Mapping[str, LengthBleu]) -> str:
    """The paper's own Fig. 2 in words, and whether the curves above have its shape (computed, not assumed)."""
    text = ("**In the paper.** Bahdanau, Cho and Bengio (2014, Fig. 2) plot BLEU against sentence length for "
            "English→French. Their RNNencdec-50, the model without attention trained on sentences of up to 50 words, "
            "scores lower and lower as sentences grow, but it never falls to zero; RNNsearch-50, with attention, keeps "
            "a nearly flat curve up to 50 words and beyond. Over the whole test set they report 17.82 BLEU for "
            "RNNencdec-50 and 26.75 for RNNsearch-50. ")
    without, with_ = bleu["no_attention"].falls_to(), bleu["attention"].falls_to()
    if 0 < without <= 0.6 and with_ >= 0.9:
        return text + (f"The chart above has the same shape on the toy language: without attention the longest "
                       f"sentences keep {pct(without)} of the shortest ones' BLEU, with attention {pct(with_)}.")
    return text + (f"On the toy language the curves above do not show that shape as clearly: without attention the "
                   f"longest sentences keep {pct(without)} of the shortest ones' BLEU, with attention {pct(with_)}.")


def same_and_different(fair: FairComparison) -> str:
    """One sentence on what the two translators share and one on what differs, from their weights files."""
    a, b = fair.attention, fair.baseline
    t = a.training or {}
    if fair.same_sizes:
        same = (f"**The same in both:** words embedded in {a.emb} numbers, a GRU decoder state of {a.hidden} numbers "
                f"that reads a context of {a.hidden} numbers at every step, a {a.out}-unit $\\tanh$ output layer, "
                f"{a.src_vocab} Tamil tokens and {a.tgt_vocab} English words")
    else:
        same = "**Not the same sizes:** the two weights files differ in embedding, state or vocabulary size"
    if fair.same_training:
        same += (f"; and the same training: {t['steps']:,} steps of {t['batch_size']} sentences drawn from the same "
                 f"{t['n_train']:,}, Adam with the learning rate falling from {t['lr']:g} to {t['lr_final']:g}, "
                 f"gradients clipped at norm {t['clip']:g}.")
    else:
        differ = ", ".join(fair.differing_settings) or "unrecorded"
        same += f". **Their training differs** in: {differ}."
    different = (f"**What differs:** where the context comes from. Without attention (RNNencdec, as in the paper) "
                 f"a one-way encoder of {b.enc_hidden} numbers reads the sentence and its final state $c = h_n$ is the "
                 f"context at every step; with attention (RNNsearch) a two-way encoder of {a.enc_hidden} + "
                 f"{a.enc_hidden} numbers keeps one annotation per word, and each step's context is a fresh weighted "
                 f"average of them. That leaves the model without attention with {b.params:,} trained numbers and the "
                 f"one with attention with {a.params:,}.")
    return same + "\n\n" + different


def accuracy_caption(count: int) -> str:
    return (f"{count:,} held-out sentences that neither model saw in training, read from the evaluation shipped with "
            "the weights (`python -m models.seq2seq evaluate`); BLEU as sacreBLEU computes it (4-gram, brevity "
            "penalty), 0-100. Equal training is not equal convergence: when training stopped, the model with "
            "attention had long since fitted its training sentences while the one without was still improving, so "
            "part of its loss on long sentences is slower learning, not only the size of one vector.")


def no_sentence(n: int) -> str:
    return f"The held-out set has no sentence of {n} tokens; pick another length."


def trial(source: Sequence[str], english: Sequence[str]) -> str:
    return f"**Tamil** ({len(source)} tokens): {words(source)}  \n**Reference**: {words(english)}"


def focus_summary(focus: Focus, n_source: int) -> str:
    """How concentrated the attention model's weights were, and how many source words it visited."""
    return (f"The model without attention had only $h_n$ to go on. The one with attention put, on average, "
            f"**{pct(focus.mean_top_weight)}** of each step's attention on a single Tamil word, and visited "
            f"{focus.visited} of the {n_source} source words as its main focus.")
