"""The Lesson page's prose: each step's short story, its question and the feedback, formatted from the numbers the
step computed. Written for this project, following the blog's order: bottleneck, order, speed, self-attention,
heads."""

from __future__ import annotations

from ..formatting import pct, quoted

TITLE = "Lesson: attention in thirteen steps"
INTRO = ("A guided path through the playground's demos for a class. Every figure is live, drawn by the demo's own "
         "code in a preset state; each step asks one question before moving on. The address bar holds the step, so a "
         "projected step and a student's phone can show the same one.")
KEYS = "Keys: **→** next step, **←** previous step (when the page has focus)."
THIRDS = ("the first words", "the words in the middle", "the last words")

STEP_TITLES = {
    "fade": "One vector has to carry the whole sentence",
    "explode": "Turning the dial the other way does not help",
    "naive": "Tamil and English put words in different orders",
    "learned": "A decoder with attention reads in English order",
    "counts": "Attention pays for its speed in arithmetic",
    "workers": "What many workers buy",
    "ready": "Self-attention: every word scores every word",
    "animal": "Who is 'it'?",
    "trained": "Who is 'it', once a model has learned it",
    "scaling": r"Why the scores are divided by $\sqrt{d}$",
    "causal": "No looking ahead",
    "heads": "Several heads, several kinds of link",
    "cost": "More heads for the same price",
}

STORY = {
    "fade": ("A recurrent encoder reads the Tamil sentence word by word and passes the decoder one final state. The "
             "chart measures how much that state still changes when each input word changes. The dashed line is a "
             "random recurrent network whose recurrent matrix has spectral radius $\\rho = {rho:g}$; the solid one is the "
             "trained encoder of the translator without attention, on a held-out sentence of {n} words."),
    "explode": ("Here the same random network has $\\rho = {rho:g}$, the top of the Bottleneck page's slider. Now "
                "products of many steps no longer shrink: a change to an early word is amplified step after step. "
                "Bahdanau, Cho and Bengio (2014) did not look for a better setting; they let the decoder look back "
                "at every encoder state instead of one vector."),
    "naive": ("The blog's Tamil sentence says, word for word, *by tomorrow · that · report · to send · can you?*. "
              "English wants *can you send the report by tomorrow*. The heatmap shows what a translator that walks "
              "through the source strictly left to right would pair each English word with."),
    "learned": ("This is a small translator trained in NumPy on a toy Tamil→English language, with attention: rows "
                "are the English words it writes, columns the Tamil words it can look at. One row is hidden until "
                "you answer."),
    "counts": ("A recurrent layer does $n$ steps one after another; self-attention compares all pairs in one go. The "
               "chart counts multiply-adds for a layer of width $d = {d}$: the RNN's grow like $n d^2$, attention's "
               "like $n^2 d$."),
    "workers": ("Counting work is half the story. With $P$ workers that each do one multiply-add per tick, a layer "
                "takes at least as many ticks as its longest chain of dependent steps. The RNN's chain is $n$ steps "
                "long; attention's does not grow with $n$. Here $n = {n}$, $d = {d}$."),
    "ready": ("Now the Transformer's move: inside one sentence, every word scores every other word, turns the scores "
              "into weights with softmax and takes a weighted mix. The blog's sentence nests two clauses between "
              "*report* and *ready*, with {gap} words between them. Rows are the words doing the looking. The row of *ready* is "
              "hidden until you answer."),
    "animal": ("The newsletter's example: in this sentence *it* could mean the animal or the street. In the "
               "playground's small hand-made word vectors, *it* and *animal* share an 'animate' feature, while "
               "*street* is mostly a place. The row of *it* is hidden until you answer."),
    "trained": ("The hand-made vectors send *it* to *animal* whatever the adjective says. This small Transformer "
                "was trained in NumPy on sentences from a grammar, and this sentence was never one of them. Its "
                "answer is a pointer: one attention head on top, trained to point from *it* at the noun it means. "
                "The grid shows the heads beneath it, which learned by themselves whatever helps the pointer. The "
                "pointer's row is hidden until you answer."),
    "scaling": ("A dot product of two random vectors of length $d$ is a sum of $d$ terms, so its spread grows like "
                "$\\sqrt{{d}}$. Left: softmax of eight such scores for $d = {d}$, as they are. Right: the same scores "
                "divided by $\\sqrt{{d}}$, as Vaswani et al. (2017) do."),
    "causal": ("A model that writes text one word at a time may not peek at the words it has not written yet. The "
               "causal mask sets those scores to $-\\infty$ before softmax, so their weights are exactly zero: the heatmap's "
               "upper-right triangle."),
    "heads": ("Multi-head attention runs several small attention layers side by side on the same sentence, each with "
              "its own $W_Q$, $W_K$, $W_V$. The first heads here are built by hand so that each follows one kind of link; "
              "the rest are random. The row of *it* is hidden in every head until you answer."),
    "cost": ("With $h$ heads each head works in $d_\\text{{model}} / h$ dimensions, so splitting one wide head into "
             "several narrow ones changes what the layer can look for, not what it costs. The chart counts parameters "
             "and multiply-adds for $d_\\text{{model}} = {d_model}$ and the {n} words of the cat sentence."),
}

PROMPTS = {
    "fade": "With $\\rho = {rho:g}$, which words move the random network's final state the most?",
    "explode": "With $\\rho = {rho:g}$, which words move the final state the most?",
    "naive": "Walking left to right, which Tamil word does the first English word, {word}, get?",
    "learned": "When the model writes {word}, which Tamil word does it look at most?",
    "counts": "With $d = {d}$, at which sentence length $n$ do attention and the RNN do the same number of multiply-adds?",
    "workers": "With $P$ = {p:,} workers, which layer finishes in fewer ticks?",
    "ready": "Which word does {word} look at most?",
    "animal": "Which word does {word} look at most?",
    "trained": "In the trained model, which word does the pointer from {word} choose?",
    "scaling": "Without the division, how much of the attention does the strongest of the eight keys take at $d = {d}$?",
    "causal": "With the causal mask on, how much of its attention does the first word, {word}, put on itself?",
    "heads": "In which head does {word} look most at {target}?",
    "cost": "Going from 1 head to {h} heads at $d_\\text{{model}} = {d_model}$, the number of weights in the layer…",
}

WHY = {
    "fade": ("Word {n} moves the final state {ratio:,.0f} times as much as word 1: each step back multiplies the "
             "influence by a roughly constant factor, so the start of a long sentence fades."),
    "explode": ("Word 1 now moves the final state {ratio:,.1f} times as much as word {n}, and word {low} least of "
                "all. That is sensitivity, not memory: the early word is amplified together with everything read "
                "after it, not kept in a form the decoder could read back. Shrinking or growing, one vector never "
                "keeps every word equally audible."),
    "naive": ("Left to right, {word} gets {naive}. But *can you?* is {last}, the last Tamil word: word order alone "
              "pairs the wrong words."),
    "learned": "Writing {word}, the model puts {share} of its attention on {top}.",
    "counts": ("The bare RNN does $2 n d^2$ multiply-adds and bare attention $2 n^2 d$; they meet at $n = d = {cross}$. "
               "From $n = {cross} + 1$ on, attention does more arithmetic, yet its steps can run side by side. (Both "
               "are bare layers: projections add $4 n d^2$ to attention, and a GRU does $6 n d^2$, not $2 n d^2$.)"),
    "workers": "The RNN needs {rnn:,} ticks, attention {att:,}.",
    "ready": "{word} puts {share} of its attention on {top}.",
    "animal": "{word} puts {share} of its attention on {top}.",
    "trained": ("The pointer from {word} puts {share} on {top}. On sentence structures it never trained on, it is "
                "right {accuracy} of the time."),
    "scaling": ("Unscaled, the strongest key gets {raw}; divided by $\\sqrt{{{d}}}$ it gets {scaled}. Softmax of widely spread "
                "scores is nearly one-hot, and its gradients vanish."),
    "causal": ("The first word has only itself to look at, so it puts {share} there; the last word, {last}, can "
               "spread over all {n}."),
    "heads": "{word} puts {share} of its attention on {target} in {head}.",
    "cost": ("{params_1:,} weights with one head, {params_h:,} with {h}: every head is $d_\\text{{model}} / h$ wide, "
             "so the total stays $4 d_\\text{{model}}^2$."),
}

COST_OPTIONS = ("grows {h} times", "stays the same", "shrinks {h} times")
SCALING_OPTIONS = ("about an even share (1/8)", "about half", "nearly all of it")
CAUSAL_OPTIONS = ("100%", "about half", "an even share, 1/{n}")
WORKERS_OPTIONS = ("the RNN", "self-attention", "a tie")


def progress(i: int, n: int, title: str) -> str:
    return f"Step {i + 1} of {n}: {title}"


def demo_link_label(page_title: str) -> str:
    return f"Open the full {page_title} demo"


def poll_source(slug: str) -> str:
    return f"the Lesson, {STEP_TITLES[slug]}"


def retry(first: str, first_right: bool) -> str:
    verdict = "right" if first_right else "not right"
    return f"**This is a retry.** Your first answer, the one that counts, was **{first}** ({verdict})."


def feedback(right: bool, answer: str, why: str) -> str:
    head = "**Right.**" if right else f"**Not quite:** the answer is **{answer}**."
    return f"{head} {why}"


def share(x: float) -> str:
    return pct(x)


def word(w: str) -> str:
    return quoted(w)
