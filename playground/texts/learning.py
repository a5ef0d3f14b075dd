"""The prose of the Learning-to-attend page, and the honesty notes other pages show beside their hand-built charts.
Every sentence that states a number is formatted here from numbers the page computed; a visitor's words reach a
sentence only code-quoted."""

from __future__ import annotations

from collections.abc import Sequence

from ..formatting import pct, quoted

TITLE = "Learning to attend"


def intro(n_layers: int, n_heads: int, d_model: int) -> str:
    """`n_layers`, `n_heads`, `d_model`: the model's configuration."""
    return (
        "On the Self-attention and Multi-head pages, *it* finds *animal* because someone wrote it in: the lexicon "
        "marks *it* as animate and a hand-built head prefers animate nouns. Here nothing is written in. A small "
        f"Transformer encoder ({n_layers} layers of {n_heads} self-attention heads, $d_\\text{{model}} = {d_model}$, "
        "trained in "
        "NumPy on template sentences) reads a sentence and must **name the noun that *it* stands for**, read out "
        "at the position of *it*. To do that it has to carry information from the right noun to *it*, and one of "
        "its heads learns to look there."
    )


PAIR_HEADER = "The blog's pair: one word changes"
BUILD_HEADER = "Try your own sentence"
FORMED_HEADER = "How it formed"
TRAIN_HEADER = "Train it yourself"
FORMED_INTRO = (
    "The model was saved while it trained. Slide through those snapshots: at step 0 its weights are random and "
    "the head spreads its attention; by the end it has learned where to look."
)
TRAIN_INTRO = (
    "Train the same model from scratch, here and now, from random weights chosen by the seed. Every few dozen "
    "steps the panel redraws the *it* row of whichever head resolves *it* best so far, and the model's accuracy "
    "on held-out sentences it never trains on."
)


def head_name(layer: int, head: int) -> str:
    """1-based for people: the model counts from 0."""
    return f"head {head + 1} of layer {layer + 1}"


def looks(nouns: Sequence, top) -> str:
    """Where the *it* row goes: its weight on each candidate noun (`nouns`: .word, .weight, largest first), and its
    largest share when that goes to another word (`top`)."""
    shares = " and ".join(f"{quoted(f.word)} {pct(f.weight)}" for f in nouns) or "no noun anything"
    elsewhere = (f" (its largest share, {pct(top.weight)}, goes to {quoted(top.word)})"
                 if not nouns or top.word != nouns[0].word else "")
    return f"*it* gives {shares}{elsewhere}"


def pair_caption(answer: str, prob: float, layer: int, head: int, nouns: Sequence, top) -> str:
    return f"The model answers **{answer}** ({pct(prob)} sure). In {head_name(layer, head)}, {looks(nouns, top)}."


def pair_summary(answers: Sequence[str], favourites: Sequence[str], adjectives: Sequence[str]) -> str:
    """`answers`, `favourites`: the model's answer and the noun the head favours, for the two blog sentences."""
    change = f"Changing {quoted(adjectives[0])} to {quoted(adjectives[1])}"
    what = (f"{change} flips the answer from **{answers[0]}** to **{answers[1]}**" if answers[0] != answers[1] else
            f"{change} does **not** change the answer (**{answers[0]}** both times)")
    head = (f"and the head's preference moves with it, from {quoted(favourites[0])} to {quoted(favourites[1])}"
            if favourites[0] != favourites[1] else f"while the head favours {quoted(favourites[0])} both times")
    return (f"{what}, {head}. The adjective is the only clue: animals get tired, streets are wide. Nobody told the "
            "model which nouns are animals; it learned it from which answers were right.")


def grid_caption(layer: int, head: int, answer: str, prob: float, nouns: Sequence, top) -> str:
    return (f"Each panel is one head (L{layer + 1} H{head + 1} = {head_name(layer, head)}): row = the word looking "
            "(query), column = the word looked at (key); the outlined *it* row is printed in percent, hover any cell "
            f"for its weight. The model answers **{answer}** ({pct(prob)}). {head_name(layer, head).capitalize()}, "
            f"framed in red, is the head that resolves *it*: there {looks(nouns, top)}. The other heads follow "
            "other links.")


def unknown_words(message: str, vocabulary_size: int, here: bool = True) -> str:
    """`message`: the model's own, naming the unknown words; `here`: on the Learning-to-attend page itself."""
    where = ("listed under **The model's vocabulary** below; or build the sentence from the menus" if here else
             "listed on the Learning-to-attend page")
    return (f"The model cannot read this sentence: {message.rstrip('.')}. It knows only the {vocabulary_size} "
            f"words of its training sentences, {where}.")


def menu_problem(message: str) -> str:
    return f"These choices make no sentence of the model's: {message}."


NO_IT = ("The model answers one question, *who is it?*, so the sentence needs the word *it* (and two nouns for it to "
         "choose between).")


def vocabulary_list(words: Sequence[str]) -> str:
    return ", ".join(quoted(w) for w in sorted(words))


def snapshot_caption(step: int, layer: int, head: int, nouns: Sequence, top, answer: str, prob: float,
                     accuracy: float, final_step: int) -> str:
    return (f"At step {step} of {final_step}, in {head_name(layer, head)} {looks(nouns, top)}; the model answers "
            f"**{answer}** ({pct(prob)}), and it gets {pct(accuracy)} of the held-out sentences right.")


def queue_line(position: int, running: int) -> str:
    return (f"Waiting: you are **number {position}** in line. {running} training{'s' if running != 1 else ''} "
            "run now (one per CPU core of the server); yours starts when one finishes.")


def live_caption(step: int, total: int, layer: int, head: int, nouns: Sequence, top, accuracy: float,
                 measured_at: int) -> str:
    """`layer`, `head`: the head that resolved "it" best at the last evaluation, at step `measured_at`."""
    return (f"Step {step} of {total}: in {head_name(layer, head)} (the best at resolving *it* at step "
            f"{measured_at}), {looks(nouns, top)}. Held-out accuracy at step {measured_at}: {pct(accuracy)}.")


def finished(state: str, step: int, total: int, seed: int) -> str:
    if state == "done":
        return f"Training with seed {seed} finished: {step} steps."
    if state == "stopped":
        return f"Training with seed {seed} stopped at step {step} of {total}."
    return f"Training with seed {seed} failed at step {step}."


# ---- honesty notes for the hand-built pages ---------------------------------------------------------------------


def hand_built_note(page: str, sentence: str, wrong: str, weight: float, right: str, right_weight: float) -> str:
    """What the Self-attention (page="lexicon") or Multi-head (page="head") page says next to its chart: the link
    from "it" is set by hand, and the "wide" sentence shows it."""
    made = ("the lexicon gives *it* an **animate** feature, written in by hand, and *animal* has it too"
            if page == "lexicon" else
            "the pronoun head is **built by hand**: its query reads *pronoun*, its key reads *noun* plus a little "
            "*animate*")
    return (f"**Set by hand, not learned.** Here {made}, so *it* finds *animal* whatever the adjective says. "
            f"In {quoted(sentence)} the right answer is {quoted(right)}, yet with the settings this page opens "
            f"with, the hand-built weights still send *it* to {quoted(wrong)} ({pct(weight)}, against "
            f"{pct(right_weight)} for {quoted(right)}). A trained model has to get this right, and learns to.")


def trained_unavailable(problem: str) -> str:
    """`problem`: why the Learning-to-attend model cannot read the sentence (unknown_words or NO_IT)."""
    return ("**Trained heads are not available for this sentence.** They come from the Learning-to-attend model, "
            f"which reads only sentences of its own small vocabulary. {problem} Try "
            "*The animal didn't cross the street because it was too tired*.")


LINK_LABEL = "Learning to attend: a trained model that gets both sentences right"


def trained_caption(layer: int, head: int, answer: str, prob: float, nouns: Sequence, top) -> str:
    return (f"Trained, not built: these heads come from the Learning-to-attend model (every layer). It answers "
            f"**{answer}** ({pct(prob)}); in {head_name(layer, head)}, the head that learned to resolve *it*, "
            f"{looks(nouns, top)}.")


GRID_CSV = "Download every head's weights (CSV)"
