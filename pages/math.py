"""Math: the deep-dive document, one section at a time, with every worked number computed by attention_core."""

from playground.routing import run_inside_entry

run_inside_entry()  # first, before the page's own imports: see playground/routing.py

import streamlit as st

from playground.deep_dive import section_by_anchor, sections
from playground.state import init_from_url, parse_choice, publish
from playground.texts import math as text

ALL = sections()
WHOLE = "whole-document"


def section_ui() -> str:
    """The section select box, seeded from the URL; returns the chosen anchor (or WHOLE)."""
    anchors = [WHOLE] + [s.anchor for s in ALL]
    titles = {WHOLE: "The whole document"} | {s.anchor: s.title for s in ALL}
    init_from_url("math_section", ALL[0].anchor, "section", parse_choice(anchors))
    return st.selectbox("Section", anchors, format_func=titles.get, key="math_section")


st.title("The math behind the demos")
st.markdown(text.INTRO)
choice = section_ui()
publish(section=choice)
for section in ALL if choice == WHOLE else [section_by_anchor(choice)]:
    st.markdown(section.markdown)
