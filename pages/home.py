"""Home: the three problems of word-by-word translation, and which demo answers each."""

import numpy as np
import streamlit as st

from attention_core import softmax
from playground.figures.base import weights_bar
from playground.formatting import pct
from playground.navigation import pages_for_problem
from playground.state import seed

st.title("Attention Playground")
st.markdown(
    "Translate a sentence one word at a time and three things go wrong: the meaning of a long sentence does not fit "
    "in one summary, the words come out in the wrong order, and the work cannot be shared out because every step "
    "waits for the one before. Attention fixes all three by letting the model **look back** at every word instead of "
    "carrying a compressed memory of them. Each demo here shows one of those fixes happening, with numbers computed "
    "from what you type and choose."
)

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

st.header("Three problems, one idea")
columns = st.columns(2)
for i, (problem, heading, story) in enumerate(PROBLEMS):
    with columns[i % 2].container(border=True):
        st.subheader(heading)
        st.write(story)
        for info in pages_for_problem(problem):
            st.page_link(info.path, label=f"{info.title}: {info.blurb}", icon=info.icon)

st.header("A ten-second taste of attention")
st.markdown(
    "You ask a librarian for *a book about cats*. Each shelf has a label, and the librarian scores how well each "
    "label matches your request. Softmax turns those scores into shares of attention that add up to 100%: "
    "the better the match, the larger the share. Drag the scores and watch the shares move."
)
SHELVES = ("Pets", "Cooking", "Astronomy")
DEFAULT_SCORES = (3.0, 0.5, -1.0)
controls, chart = st.columns([1, 2])
with controls:
    for shelf, default in zip(SHELVES, DEFAULT_SCORES):
        seed(f"home_score_{shelf}", default)
        st.slider(f"Match score for the '{shelf}' shelf", -5.0, 5.0, step=0.5, key=f"home_score_{shelf}")
scores = np.array([st.session_state[f"home_score_{s}"] for s in SHELVES])  # [3]
shares = softmax(scores)  # [3], sums to 1
top = int(np.argmax(shares))
with chart:
    st.plotly_chart(
        weights_bar(shares, SHELVES, title="Share of attention per shelf (softmax of the scores)",
                    value_name="share", x_title="shelf"),
        key="home_chart",
    )
st.markdown(
    f"With these scores the **{SHELVES[top]}** shelf gets **{pct(shares[top])}** of the attention. "
    f"A score 1 point higher multiplies a shelf's share by e ≈ 2.72 relative to the others; "
    f"equal scores would give each shelf {pct(1 / len(SHELVES))}."
)

st.header("How to use the playground")
st.markdown(
    "- Pick a demo in the sidebar. Each page starts with the problem it answers, then the controls, then the chart, "
    "then what to notice.\n"
    "- Hover any heatmap cell for the exact value; rows are the word doing the looking, columns the word looked at.\n"
    "- The address bar keeps your sentence and main settings: copy it to share exactly what you see, "
    "for instance on a classroom projector.\n"
    "- The math behind every chart, with worked numbers that the tests recompute, is on the Math deep dive page "
    "(the same text as `ATTENTION_MATH_DEEP_DIVE.md` in the repository). The Quiz checks what stuck."
)
