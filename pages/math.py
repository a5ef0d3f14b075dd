"""Math: the deep-dive document, one section at a time, with every worked number computed by attention_core."""

import streamlit as st

from playground.deep_dive import section_by_anchor, sections
from playground.routing import run_inside_entry
from playground.state import parse_choice, publish, seed

run_inside_entry()

st.title("The math behind the demos")
st.markdown(
    "Each demo has a section here: the variables, the derivation step by step, and a small worked example. "
    "The numbers in the examples are not typed in: the test suite recomputes every one of them with "
    "`attention_core`, the library that draws the charts, and fails if a single digit disagrees."
)

ALL = sections()
WHOLE = "whole-document"
anchors = [WHOLE] + [s.anchor for s in ALL]
titles = {WHOLE: "The whole document"} | {s.anchor: s.title for s in ALL}
seed("math_section", ALL[0].anchor, "section", parse_choice(anchors))
choice = st.selectbox("Section", anchors, format_func=titles.get, key="math_section")
publish(section=choice)

for section in ALL if choice == WHOLE else [section_by_anchor(choice)]:
    st.markdown(section.markdown)
