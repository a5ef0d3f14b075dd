"""The prose of the Home page: the three problems of word-by-word translation, the softmax taste, how to use the
playground."""

from __future__ import annotations

from ..formatting import pct

INTRO = (
    "Translate a sentence one word at a time and three things go wrong: the meaning of a long sentence does not fit "
    "in one summary, the words come out in the wrong order, and the work cannot be shared out because every step "
    "waits for the one before. Attention fixes all three by letting the model **look back** at every word instead of "
    "carrying a compressed memory of them. Each demo here shows one of those fixes happening, with numbers computed "
    "from what you type and choose."
)

# (problem, as navigation.pages_for_problem knows it; heading; story)
PROBLEMS = (
    ("summary", "1 · The compressed summary",
     "A recurrent encoder folds the whole sentence into one fixed-size vector. The longer the sentence, the more of "
     "its beginning fades from that vector, and the translation drifts. Bahdanau, Cho and Bengio (2014) kept every "
     "encoder state and let the decoder choose which ones to read."),
    ("order", "2 · Word order",
     "Tamil puts the verb last; English puts it second and the modal first. Going left to right, a translator writes "
     "\"by tomorrow the report send\" and gets stuck. With attention the decoder jumps to whichever source word it "
     "needs next, in any order."),
    ("speed", "3 · Speed",
     "A recurrent network takes n steps, one after another: step 5 cannot start before step 4 ends. Self-attention "
     "relates every pair of words in one matrix product, so the steps can run side by side, at the price of n² "
     "comparisons."),
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
        f"A score 1 point higher multiplies a shelf's share by e ≈ 2.72 relative to the others; "
        f"equal scores would give each shelf {pct(1 / n_shelves)}."
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
