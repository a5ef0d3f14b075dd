"""Home: the three problems of word-by-word translation, and which demo answers each."""

from playground.routing import run_inside_entry

run_inside_entry()  # first, before the page's own imports: see playground/routing.py

import numpy as np
import streamlit as st

from attention_core import softmax
from playground.export import chart
from playground.figures.base import weights_bar
from playground.navigation import pages_for_problem
from playground.state import init_from_url
from playground.texts import home as text

SHELVES = ("Pets", "Cooking", "Astronomy")
DEFAULT_SCORES = (3.0, 0.5, -1.0)
NEWSLETTER_SCORES = (0.2, 0.9, 0.1)  # a newsletter's worked example (the blog's 002): its scores ...
NEWSLETTER_CLAIM = (0.10, 0.75, 0.15)  # ... and the shares it says softmax gives them


def scores_ui() -> np.ndarray:
    """One slider per shelf; returns the scores [3] in SHELVES order."""
    for shelf, default in zip(SHELVES, DEFAULT_SCORES):
        init_from_url(f"home_score_{shelf}", default)
        st.slider(f"Match score for the '{shelf}' shelf", -5.0, 5.0, step=0.5, key=f"home_score_{shelf}")
    return np.array([st.session_state[f"home_score_{s}"] for s in SHELVES])


st.title("Attention Playground")
st.markdown(text.INTRO)

st.header("Three problems, one idea")
columns = st.columns(2)
for i, (problem, heading, story) in enumerate(text.PROBLEMS):
    with columns[i % 2].container(border=True):
        st.subheader(heading)
        st.write(story)
        for info in pages_for_problem(problem):
            # the blurb as a caption under a short link: a page link's label is one line and was cut mid-word
            st.page_link(info.path, label=info.title, icon=info.icon)
            st.caption(info.blurb)

st.header("A ten-second taste of attention")
st.markdown(text.TASTE_INTRO)
controls, chart_column = st.columns([1, 2])
with controls:
    scores = scores_ui()  # [3]
shares = softmax(scores)  # [3], sums to 1
top = int(np.argmax(shares))
with chart_column:
    chart(weights_bar(shares, SHELVES, title="Share of attention per shelf (softmax of the scores)",
                      value_name="share", x_title="shelf"),
          ("home", "shelf-shares", "scores", *(f"{v:g}" for v in scores)), key="home_chart")
st.markdown(text.taste_summary(SHELVES[top], shares[top], len(SHELVES)))
with st.container(border=True):
    claim_scores, claimed = np.array(NEWSLETTER_SCORES), np.array(NEWSLETTER_CLAIM)  # [3], [3]
    first, second = (int(i) for i in np.argsort(-claim_scores)[:2])  # the two highest scores
    st.markdown(text.claim_check(NEWSLETTER_SCORES, NEWSLETTER_CLAIM, softmax(claim_scores), first, second,
                                 float(np.log(claimed[first] / claimed[second]))))

st.header("How to use the playground")
st.markdown(text.HOW_TO)
