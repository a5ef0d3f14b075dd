"""The prose of the Home page: the three problems of word-by-word translation, the softmax taste, how to use the
playground."""

from __future__ import annotations

import math
from collections.abc import Sequence

from ..formatting import pct

INTRO = (
    "Translate a sentence one word at a time and three things go wrong: the meaning of a long sentence does not fit "
    "in one summary, the words come out in the wrong order, and the work cannot be shared out because every step "
    "waits for the one before. Attention, added to a recurrent translator, fixes the first two by letting the model "
    "**look back** at every word instead of carrying a compressed memory of them. It does not fix the third: the "
    "recurrent encoder and decoder still take one step after another. Speed came when the recurrence itself was "
    "dropped and words attended to each other directly (self-attention, the Transformer of Vaswani et al., 2017). "
    "Each demo here shows one of those steps, with numbers computed from what you type and choose; the few that "
    "would take too long to compute on a visit (the trained models' scores on their held-out sentences, the "
    "snapshots of a training) are read from files stored with the models, and the page that shows them says so."
)

# (problem, as navigation.pages_for_problem knows it; heading; story)
PROBLEMS = (
    ("summary", "1 · The compressed summary",
     "A recurrent encoder folds the whole sentence into one fixed-size vector, as large for fifty words as for five. "
     "The longer the sentence, the more that one vector must hold, and the translation drifts; in a plain recurrent "
     "network the early words also fade, since every step rescales their influence. The Bottleneck page measures "
     "both in the app's own models. Bahdanau, Cho and Bengio (2014) kept every encoder state and let the decoder "
     "choose which ones to read."),
    ("order", "2 · Word order",
     "Tamil puts the verb last. An English question puts the modal first, because a question swaps the subject and "
     "the auxiliary: \"you can send\" becomes \"Can you send …\", with the verb third. Going left to right, a "
     "translator writes \"by tomorrow the report send\" and gets stuck. With attention the decoder jumps to "
     "whichever source word it needs next, in any order."),
    ("speed", "3 · Speed",
     "A recurrent network takes $n$ steps, one after another: step 5 cannot start before step 4 ends, and adding "
     "attention to it does not change that. The Transformer dropped the recurrence: self-attention relates every "
     "pair of words in a few matrix products, so the work can run side by side, at the price of $n^2$ comparisons. The "
     "Speed page ends with where that led: Vaswani et al.'s comparison table and their translation results."),
    ("mechanism", "The mechanism itself",
     "Self-attention lets every word of a sentence weigh every other word; several heads do it at once, each with "
     "its own idea of what matters."),
)

TASTE_INTRO = (
    "You ask a librarian for *a book about cats*. Each shelf has a label, and the librarian scores how well each "
    "label matches your request. Softmax turns those scores into shares of attention that add up to 100%: "
    "the better the match, the larger the share. Drag the scores and watch the shares move."
)


def taste_summary(top_shelf: str, top_share: float, n_shelves: int) -> str:
    return (
        f"With these scores the **{top_shelf}** shelf gets **{pct(top_share)}** of the attention. "
        rf"A score 1 point higher multiplies a shelf's share by $e \approx {math.e:.2f}$ relative to the others; "
        f"equal scores would give each shelf {pct(1 / n_shelves)}."
    )



def claim_check(scores: Sequence[float], claimed: Sequence[float], real: Sequence[float], top: int, second: int,
                gap_needed: float) -> str:
    """A newsletter's softmax example against the real softmax of its scores. `claimed`: the shares it printed;
    `real`: softmax(scores); `top`, `second`: the keys with the highest and second-highest score; `gap_needed`: how
    far the top score would have to lead the second to get the claimed ratio, ln(claimed[top] / claimed[second])."""
    listed = lambda shares: ", ".join(pct(x, 1) for x in shares)  # noqa: E731
    return (
        f"**Check the claim.** A newsletter on attention scores three keys {', '.join(f'{z:g}' for z in scores)} and "
        f"says softmax turns them into {listed(claimed)}. Softmax of those scores is **{listed(real)}**. Scores that "
        f"close together give shares that are close together: for key {top + 1} to get {pct(claimed[top])} against "
        f"key {second + 1}'s {pct(claimed[second])}, its score would have to lead by "
        rf"$\ln({claimed[top] / claimed[second]:g}) = {gap_needed:.2f}$, not by {scores[top] - scores[second]:g}. "
        "And softmax never reverses an order: the lowest score cannot get more than a higher one, as the claimed "
        "last share does."
    )

HOW_TO = (
    "- Pick a demo in the sidebar. Each page starts with the problem it answers, then the controls, then the chart, "
    "then what to notice.\n"
    "- Hover any heatmap cell for the exact value; rows are the word doing the looking, columns the word looked at.\n"
    "- The address bar keeps your sentence and main settings: copy it to share exactly what you see, "
    "for instance on a classroom projector.\n"
    "- The math behind every chart, with worked numbers that the tests recompute, is on the Math deep dive page "
    "(the same text as `ATTENTION_MATH_DEEP_DIVE.md` in the repository). The Quiz checks what stuck."
)
