"""The quiz: a bank of questions, answer parsing and checking. Pure, no UI.

Every numeric answer is computed with attention_core from the numbers written in the question itself, and each
explanation is formatted from the same computation, so the prompt, the answer and the explanation cannot drift apart.
A question names its topic and the deep-dive section behind it by plain identifiers; which page, label or link
stands for them is the playground's business.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from attention_core.attention import scaled_dot_product_attention, softmax
from attention_core.masks import causal_mask
from attention_core.multi_head import MultiHeadParams
from attention_core.positional import sinusoidal_positional_encoding
from lessons.defaults import MULTI_HEAD

__all__ = [
    "TOPICS", "MAX_ANSWER_CHARS", "Question", "Feedback", "question_bank", "question_by_id", "parse_number",
    "check_answer", "score", "missed",
]

# the topics, in the order the bank asks them: the five demos first, then the math
TOPICS = ("bottleneck", "reordering", "speed", "self-attention", "multi-head", "math")

MAX_ANSWER_CHARS = 40


@dataclass(frozen=True)
class Question:
    id: str
    topic: str  # one of TOPICS
    prompt: str  # Markdown; numbers in it are the ones the answer is computed from
    kind: str  # "choice" or "number"
    answer: float | int  # index into options for "choice"; the value for "number"
    explanation: str  # why the answer is what it is, formatted from the computation
    section: str = ""  # the deep-dive section behind it: its heading's anchor in ATTENTION_MATH_DEEP_DIVE.md
    options: tuple[str, ...] = ()  # for "choice"
    tolerance: float = 0.0  # for "number": |given - answer| <= tolerance counts as right
    unit: str = ""  # for "number": "%" makes a share typed as a fraction (0.665 for 66.5%) count too
    decimals: int = 0  # for "number": how the right answer is shown

    @property
    def answer_text(self) -> str:
        if self.kind == "choice":
            return self.options[int(self.answer)]
        return f"{self.answer:,.{self.decimals}f}{self.unit}"


@dataclass(frozen=True)
class Feedback:
    correct: bool
    given: str  # the learner's answer as shown back to them
    message: str  # one line: right or wrong, and the right answer when wrong


# ---------------------------------------------------------------------------------------------------------------
# Parsing a typed number

_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?")


def parse_number(text: str) -> float:
    """A typed answer -> float. Accepts '66.5', '66,5', '66.5 %', '1,048,576', '1 048 576', '1e-3', '−2'.

    Anything else (empty, words, NaN, inf, absurdly long) is a ValueError whose message can be shown as is; the
    message never repeats the learner's text, so a page may print it as Markdown safely.
    """
    if text is None or not str(text).strip():
        raise ValueError("Type a number first.")
    raw = str(text).strip()
    if len(raw) > MAX_ANSWER_CHARS:
        raise ValueError(f"That answer is {len(raw)} characters long; a number needs far fewer.")
    t = raw.replace("\u2212", "-").replace("\u00a0", " ").replace("_", "").rstrip("%").strip()
    t = re.sub(r"(?<=\d) (?=\d{3}\b)", "", t)  # '1 048 576' -> '1048576'
    if _THOUSANDS.fullmatch(t):
        t = t.replace(",", "")
    elif t.count(",") == 1 and "." not in t:
        t = t.replace(",", ".")  # decimal comma
    try:
        value = float(t)
    except ValueError:
        raise ValueError("That is not a number. Type digits, for example 12.5.") from None
    if not math.isfinite(value):
        raise ValueError("Infinity and NaN are not answers here. Type an ordinary number, for example 12.5.")
    return value


# ---------------------------------------------------------------------------------------------------------------
# Checking


def check_answer(question: Question, given) -> Feedback:
    """Compare an answer with the right one. `given`: option index for "choice", typed text for "number".

    Raises ValueError (with a message meant for the learner) when there is nothing to check yet: no option chosen,
    or text that is not a number. Such a non-answer must not count as an attempt.
    """
    if question.kind == "choice":
        if given is None:
            raise ValueError("Pick one of the options first.")
        if isinstance(given, bool) or not isinstance(given, (int, np.integer)) or not 0 <= given < len(question.options):
            raise ValueError(f"Option {given!r} does not exist; pick one of the {len(question.options)} options.")
        right = int(given) == int(question.answer)
        shown = question.options[int(given)]
    else:
        value = parse_number(given)
        right = abs(value - question.answer) <= question.tolerance
        if question.unit == "%" and not right:
            right = abs(100 * value - question.answer) <= question.tolerance  # typed as a fraction
        shown = str(given).strip()
    if right:
        return Feedback(True, shown, "Right.")
    return Feedback(False, shown, f"Not quite: the answer is {question.answer_text}.")


def score(results: Mapping[str, Feedback | None], question_ids: Iterable[str]) -> dict[str, int]:
    """Counts over the given questions: right, wrong, skipped (None), open (no entry), total."""
    ids = list(question_ids)
    done = [results[q] for q in ids if q in results]
    right = sum(1 for f in done if f is not None and f.correct)
    wrong = sum(1 for f in done if f is not None and not f.correct)
    skipped = sum(1 for f in done if f is None)
    return {"right": right, "wrong": wrong, "skipped": skipped, "open": len(ids) - len(done), "total": len(ids)}


def missed(results: Mapping[str, Feedback | None], question_ids: Iterable[str]) -> tuple[Question, ...]:
    """The given questions answered wrong or skipped (None), in the bank's order: what is worth another look."""
    ids = set(question_ids)
    return tuple(q for q in question_bank() if q.id in ids and q.id in results
                 and not (results[q.id] and results[q.id].correct))


# ---------------------------------------------------------------------------------------------------------------
# The questions. Each builder computes its answer from the numbers that appear in its own prompt.


def _q_decoder_input() -> Question:
    return Question(
        "bottleneck-summary", "bottleneck",
        "An RNN encoder without attention reads a 40-word sentence. What does the decoder get to work from?",
        "choice", 2,
        "Without attention the decoder works from the encoder's final hidden state alone (in Bahdanau et al.'s "
        "baseline it is handed to every decoder step, but it is the same vector each time). It has the same size "
        "for a 4-word sentence and a 40-word one, so a longer sentence has to be squeezed harder. Attention keeps "
        "all 40 states and lets the decoder read whichever it needs.",
        section="the-rnn-encoder-and-its-bottleneck",
        options=("All 40 encoder hidden states, one per word",
                 "The 40 word embeddings, unchanged",
                 "One fixed-size vector: the encoder's last hidden state",
                 "A summary whose size grows with the sentence length"),
    )


def _q_jacobian_power() -> Question:
    from models.rnn import jacobian_product  # imported here, so the rest of the bank loads without models.rnn

    w, n, t = 0.8, 20, 10
    # A one-unit linear RNN h_k = w * h_{k-1}: every step's Jacobian is the 1x1 matrix [[w]].
    steps = np.full((n, 1, 1), w)  # [n, 1, 1]
    value = float(jacobian_product(steps, t - 1)[0, 0])  # states[t-1] is h_t in 1-based terms
    return Question(
        "bottleneck-jacobian", "bottleneck",
        rf"A one-unit linear RNN updates its state by $h_k = {w} \cdot h_{{k-1}}$. How large is the derivative "
        rf"$\partial h_{{{n}}} / \partial h_{{{t}}}$? Give three decimals.",
        "number", value,
        f"The chain rule multiplies one factor per step from $h_{{{t}}}$ to $h_{{{n}}}$: {n - t} factors of {w}, so "
        f"the derivative is ${w}^{{{n - t}}} = {value:.3f}$. Below 1 the product shrinks exponentially (vanishing); "
        "above 1 it blows up (exploding). In a real RNN each factor is a matrix and its spectral radius plays the "
        "role of $w$.",
        section="the-rnn-encoder-and-its-bottleneck",
        tolerance=0.0015, decimals=3,
    )


def _q_spectral_radius() -> Question:
    return Question(
        "bottleneck-spectral", "bottleneck",
        "The recurrent weight matrix of a $\\tanh$ RNN has spectral radius 0.6. As the gap $n - t$ grows, what "
        "typically happens to $\\lVert \\partial h_n / \\partial h_t \\rVert$, the influence of an early state on the "
        "last one?",
        "choice", 1,
        "Each step multiplies by the recurrent matrix (and by $\\tanh' \\le 1$). With spectral radius below 1 the "
        "product of $n - t$ such factors shrinks roughly like $0.6^{n - t}$: early words barely move the final state, "
        "and their gradients vanish. Above 1 the product can grow instead (exploding gradients).",
        section="the-rnn-encoder-and-its-bottleneck",
        options=("It stays about the same", "It shrinks exponentially", "It grows exponentially",
                 "It oscillates between 0 and 1"),
    )


def _q_modal() -> Question:
    return Question(
        "reordering-can", "reordering",
        "Translating “நாளைக்குள் அந்த report-ஐ அனுப்ப முடியுமா” (tomorrow-by · that · report · send · can-you?) "
        "into “Can you send the report by tomorrow?”: while writing the English word “Can”, where should a "
        "trained attention decoder look?",
        "choice", 3,
        "“Can” translates the modal முடியுமா, the last Tamil word (position 5). The decoder writes English left to "
        "right but reads the Tamil in whatever order it needs: 5 for “Can”, 4 for “send”, back to 1 for "
        "“tomorrow”. A left-to-right alignment would pair “Can” with the first word and go wrong.",
        section="bahdanau-additive-attention",
        options=("நாளைக்குள் (position 1: by tomorrow)", "report-ஐ (position 3: the report)",
                 "அனுப்ப (position 4: send)", "முடியுமா (position 5: can you?)"),
    )


def _q_reorder_matrix() -> Question:
    return Question(
        "reordering-matrix", "reordering",
        "In the attention matrix of a trained translator (one row per English word written, one column per Tamil "
        "word read), what shows that the model reorders words?",
        "choice", 0,
        "If the two languages had the same word order, the bright cell of each row would step along the diagonal. "
        "Tamil is verb-final and English is not, so the bright cells jump around: off the diagonal, sometimes "
        "backwards. Each row still sums to 1.",
        section="bahdanau-additive-attention",
        options=("The largest weights lie off the diagonal, jumping back and forth",
                 "Every row sums to exactly 1",
                 "The weights along the diagonal are all equal",
                 "The last column holds the largest weights of every row"),
    )


def _q_sequential_steps() -> Question:
    return Question(
        "speed-sequential", "speed",
        "A layer processes a 100-word sentence. How many steps must run strictly one after another in a "
        "recurrent layer, and in a self-attention layer?",
        "choice", 2,
        "A recurrent state $h_t$ needs $h_{t-1}$ first, so 100 words take 100 steps in a chain. Self-attention "
        "compares all pairs in a few matrix products: the weights times $V$ wait for the softmax, which waits for "
        "the scores, but that chain has the same few links for 10 words or 10,000: a constant number of "
        "sequential steps, whatever the length. It pays with $n^2$ comparisons instead.",
        section="complexity-recurrent-versus-self-attention",
        options=("100 and 100", "1 and 100", "100 and a constant number independent of length", "10 and 10"),
    )


def _q_weight_count() -> Question:
    n = 300
    # One head's weight matrix for n words: count the entries attention_core actually produces.
    x = np.zeros((n, 1))  # [n, 1]
    weights = scaled_dot_product_attention(x, x, x).weights  # [n, n]
    count = int(weights.size)
    return Question(
        "speed-pairs", "speed",
        f"Self-attention over a sequence of {n} tokens: how many attention weights does one head compute?",
        "number", count,
        f"Every token looks at every token, itself included: {n} × {n} = {count:,} weights. Twice the length gives "
        "four times the weights, which is why long sequences need chunked (memory-saving) attention.",
        section="complexity-recurrent-versus-self-attention",
        tolerance=0.5,
    )


def _q_softmax_share() -> Question:
    scores = (2.0, 1.0, 0.0)
    shares = softmax(np.array(scores))  # [3]
    value = 100 * float(shares[0])
    return Question(
        "self-softmax", "self-attention",
        f"A word's attention scores for three words are {', '.join(f'{s:g}' for s in scores)}. What percentage "
        "of its attention goes to the first word? One decimal.",
        "number", value,
        f"Softmax exponentiates and normalises: $e^{{{scores[0]:g}}} / (e^{{{scores[0]:g}}} + e^{{{scores[1]:g}}} + "
        f"e^{{{scores[2]:g}}})$ = {value:.1f}%. The other two get {100 * shares[1]:.1f}% and {100 * shares[2]:.1f}%.",
        section="scaled-dot-product-attention",
        tolerance=0.051, unit="%", decimals=1,
    )


def _q_self_vs_cross() -> Question:
    return Question(
        "self-qkv", "self-attention",
        "In self-attention, where do the queries, keys and values come from?",
        "choice", 1,
        "Self-attention projects one sequence three ways: $X W_Q$, $X W_K$ and $X W_V$, so every word can look at every "
        "other word of the same sentence. In cross-attention (the translator's decoder) the queries come from one "
        "sequence and the keys and values from another.",
        section="queries-keys-and-values",
        options=("Queries from the decoder, keys and values from the encoder",
                 "All three from the same sequence, through three different projections",
                 "Keys and values are the word embeddings, queries are random",
                 "All three are the same matrix, with no projection"),
    )


def _q_head_size() -> Question:
    d_model, h = 512, 8
    d_head = MultiHeadParams.random(d_model, h, seed=0).d_head
    return Question(
        "multi-head-size", "multi-head",
        rf"A multi-head layer has $d_\text{{model}} = {d_model}$ and {h} heads. How many dimensions does each head's query "
        "vector have?",
        "number", d_head,
        f"The model width is split evenly: ${d_model} / {h} = {d_head}$. The heads together still span {d_model} "
        "dimensions, so the cost stays about that of one full-width head.",
        section="multi-head-attention",
        tolerance=0.5,
    )


def _q_param_count() -> Question:
    d_model, heads = MULTI_HEAD.d_model, (1, 4)  # the Multi-head page's width
    counts = [sum(w.size for w in MultiHeadParams.random(d_model, h, seed=0)) for h in heads]
    biases = 4 * d_model  # one bias vector of d_model per projection, if the layer had them
    return Question(
        "multi-head-params", "multi-head",
        rf"With $d_\text{{model}} = {d_model}$ and no biases, how many weights do $W_Q$, $W_K$, $W_V$ and $W_O$ hold "
        f"together when the layer has {heads[1]} heads?",
        "number", counts[1],
        rf"Each of the four projections maps {d_model} numbers to {d_model}: $4 \cdot {d_model}^2$ = {counts[1]:,} weights. "
        f"With {heads[0]} head it is {counts[0]:,} as well: more heads cut the width into slices, they do not add "
        f"parameters. With a bias of {d_model} numbers on each projection (as in PyTorch's nn.MultiheadAttention by "
        rf"default) it would be {counts[1]:,} + $4 \cdot {d_model}$ = {counts[1] + biases:,}.",
        section="multi-head-attention",
        tolerance=0.5,
    )


def _q_scale() -> Question:
    d = 64
    # The library's default scale: the ratio between a raw score and the logit that goes into softmax.
    ones = np.ones((1, d))  # [1, d]
    res = scaled_dot_product_attention(ones, ones, ones)
    divisor = float(res.scores[0, 0] / res.logits[0, 0])
    return Question(
        "math-sqrt-d", "math",
        f"Query and key vectors have $d = {d}$ components, each independent with mean 0 and variance 1. Their dot "
        "product then has standard deviation $\\sqrt{d}$. By what number does scaled dot-product attention divide "
        "the scores?",
        "number", divisor,
        f"A dot product sums {d} independent terms of variance 1, so its variance is {d} and its standard deviation "
        rf"$\sqrt{{{d}}} = {divisor:g}$. Dividing by it brings the scores back to variance 1, so softmax does not "
        "saturate as $d$ grows.",
        section="scaled-dot-product-attention",
        tolerance=0.01, decimals=0,
    )


def _q_temperature() -> Question:
    scores, temperature = (1.0, 0.0), 0.5
    q = np.array([[1.0]])  # [1, 1]; with k = scores as a column the raw scores are exactly `scores`
    k = np.array(scores)[:, None]  # [2, 1]
    w = scaled_dot_product_attention(q, k, k, scale=1.0, temperature=temperature).weights[0]  # [2]
    value = 100 * float(w[0])
    return Question(
        "math-temperature", "math",
        f"Two keys score {scores[0]:g} and {scores[1]:g}. Softmax is applied at temperature $T = {temperature:g}$ "
        "(the scores are divided by $T$ first). What share of the attention goes to the first key, in percent? "
        "One decimal.",
        "number", value,
        f"Dividing by $T = {temperature:g}$ turns the scores into {scores[0] / temperature:g} and "
        f"{scores[1] / temperature:g}; softmax gives {value:.1f}% and {100 * float(w[1]):.1f}%. A temperature below "
        "1 sharpens the distribution, above 1 flattens it.",
        section="scaled-dot-product-attention",
        tolerance=0.051, unit="%", decimals=1,
    )


def _q_causal() -> Question:
    n, word = 5, 3
    allowed = [int(j) + 1 for j in np.flatnonzero(causal_mask(n)[word - 1])]
    options = ("Words 1 to 5: all of them", "Words 1 to 3", "Word 3 only", "Words 3 to 5")
    answer = options.index(f"Words 1 to {allowed[-1]}") if allowed[0] == 1 else options.index("Word 3 only")
    return Question(
        "math-causal", "math",
        f"A causal mask is applied to a {n}-word sentence. Which words may word {word} attend to?",
        "choice", answer,
        f"A causal mask lets a word see itself and the words before it, never the future: word {word} sees words "
        f"{', '.join(map(str, allowed))}. Masked scores become −∞, so their softmax weight is exactly 0.",
        section="masking",
        options=options,
    )


def _q_empty_row() -> Question:
    q = np.ones((1, 2))  # [1, 2]
    res = scaled_dot_product_attention(q, np.ones((3, 2)), np.ones((3, 2)), mask=np.zeros((1, 3), dtype=bool))
    total = float(res.weights.sum())
    filled = softmax(np.full(3, -1e9))  # [3]: the row with -1e9 written over every masked score instead of -inf
    return Question(
        "math-empty-row", "math",
        "A query row is masked everywhere: all 3 of its keys are padding. In this playground's attention_core, what "
        "do that row's attention weights add up to?",
        "number", total,
        f"Softmax of a row that is −∞ everywhere would be 0/0. The library's rule: such a row gets weights all 0 "
        f"(sum {total:g}) and an output of all 0, never NaN. Every other row sums to 1. Other libraries differ: "
        "PyTorch's F.scaled_dot_product_attention returned NaN for such a row before version 2.5 and returns "
        f"zeros since; filling masked scores with −1e9 instead of −∞ (a common trick) gives uniform weights, "
        f"{filled[0]:.3f} each here, so the query reads the padding after all.",
        section="masking",
        tolerance=1e-9,
    )


def _q_saturation() -> Question:
    return Question(
        "math-saturation", "math",
        "Softmax has become saturated: one weight is 0.999, the others share the remaining 0.001. What happens to "
        "the gradient flowing back to the scores?",
        "choice", 2,
        "The softmax Jacobian is $\\operatorname{diag}(a) - a^\\top a$: its entries are $a_i (\\delta_{ij} - a_j)$. "
        "With $a \\approx (1, 0, \\dots)$ every entry is close to 0, so the scores barely receive a gradient and the "
        "model stops learning where to look. The $\\sqrt{d}$ scaling keeps scores small enough to avoid this at "
        "the start of training.",
        section="the-gradient-of-softmax",
        options=("It becomes very large (exploding)", "It stays the same as for uniform weights",
                 "It becomes very small, so learning stalls", "It becomes exactly 1 for the winning score"),
    )


def _q_position() -> Question:
    pos, d = 1, 4
    pe = sinusoidal_positional_encoding(pos + 1, d)  # [pos + 1, d]
    value = float(pe[pos, 0])
    return Question(
        "math-position", "math",
        rf"Sinusoidal positional encoding with $d = {d}$: $\mathit{{PE}}[p, 2i] = \sin(p / 10000^{{2i/d}})$. What is "
        rf"$\mathit{{PE}}[{pos}, 0]$, the first component for position {pos}? Three decimals.",
        "number", value,
        rf"For column 0, $i = 0$ and the denominator is $10000^0 = 1$, so "
        rf"$\mathit{{PE}}[{pos}, 0] = \sin({pos}) = {value:.3f}$. "
        "Later columns turn more slowly, so each position gets a distinct pattern of sines and cosines.",
        section="sinusoidal-positional-encoding",
        tolerance=0.0015, decimals=3,
    )


def _q_it_gradient() -> Question:
    scores, g = (1.0, 0.0, 0.0), (-1.0, 1.0, 0.0)
    a = softmax(np.array(scores))  # [3] the head's weights on animal, street, the adjective
    g_z = a * (np.array(g) - a @ np.array(g))  # [3] softmax's Jacobian applied to dL/da
    value = float(g_z[0])
    return Question(
        "math-it-gradient", "math",
        f"A head's \"it\" row has scores {', '.join(f'{s:g}' for s in scores)} for animal, street and the "
        f"adjective, and the loss's gradient with respect to its weights is g = {', '.join(f'{x:g}' for x in g)} "
        "(more weight on animal, the referent, would lower the loss). With "
        "$\\partial L / \\partial z_j = a_j (g_j - \\sum_k a_k g_k)$, what is $\\partial L / \\partial z$ for animal? "
        "Three decimals.",
        "number", value,
        f"Softmax gives a = {', '.join(f'{x:.3f}' for x in a)}; the weighted average of g is {a @ np.array(g):.3f}, "
        rf"so $\partial L / \partial z_\text{{animal}} = {a[0]:.3f} \times ({g[0]:g} - ({a @ np.array(g):.3f})) "
        f"= {value:.3f}$. It is negative, so a gradient step raises animal's score: this is how $W_Q$ and $W_K$ learn "
        "to point \"it\" at its referent.",
        section="how-a-head-learns-what-it-refers-to",
        tolerance=0.0015, decimals=3,
    )


def _q_binary_target() -> Question:
    return Question(
        "math-binary-target", "math",
        "A model is trained on \"the animal didn't cross the street because it was too tired / wide\" and similar "
        "sentences. Why train it to name the referent (\"animal\", \"street\") rather than to answer \"is the "
        "referent an animal?\"",
        "choice", 1,
        "In these sentences the adjective alone decides the yes/no answer (tired: an animal; wide: a place), so an "
        "output reading the adjective is always right with attention spread evenly, and the two candidates get the "
        "same gradient. Naming the word needs the referent's identity at the position of \"it\", so the loss "
        "rewards a head that looks at it.",
        section="how-a-head-learns-what-it-refers-to",
        options=("A yes/no target trains too slowly to converge",
                 "A yes/no answer can be read off the adjective alone, so no head has to find the referent",
                 "Cross-entropy cannot be used with two classes",
                 "Naming the word needs no attention at all"),
    )


def _q_shortcut() -> Question:
    return Question(
        "math-shortcut", "math",
        "A model answers \"who is it?\" and scores 100% on a held-out set made of its training templates with new "
        "nouns. A lookup table that remembers, for each (sentence length, adjective), where the answer stood in "
        "training also scores 100% on that set. What does the model's score show?",
        "choice", 1,
        "When a shortcut scores as well as the model, the set cannot tell the two apart: in fixed templates the "
        "length and the adjective fix the answer's position. A held-out set of sentence structures never trained "
        "on moves the candidates, so the lookup fails there, and a high score there cannot come from remembering "
        "where answers stood.",
        section="shortcut-learning-and-held-out-sets",
        options=("That it resolves \"it\" in sentences of any shape",
                 "Nothing more than the lookup table shows: the set cannot tell resolving from remembering templates",
                 "That the lookup table resolves \"it\" as well",
                 "That the model has too many parameters"),
    )


_BUILDERS = (
    _q_decoder_input, _q_jacobian_power, _q_spectral_radius,
    _q_modal, _q_reorder_matrix,
    _q_sequential_steps, _q_weight_count,
    _q_softmax_share, _q_self_vs_cross,
    _q_head_size, _q_param_count,
    _q_scale, _q_temperature, _q_causal, _q_empty_row, _q_saturation, _q_position,
    _q_it_gradient, _q_binary_target, _q_shortcut,
)


@functools.cache
def question_bank() -> tuple[Question, ...]:
    """All questions, in the order they are asked (the demos first, then the math). Built once, read-only."""
    return tuple(build() for build in _BUILDERS)


def question_by_id(question_id: str) -> Question:
    for q in question_bank():
        if q.id == question_id:
            return q
    raise ValueError(f"no quiz question with id {question_id!r}")
