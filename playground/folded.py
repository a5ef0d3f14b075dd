"""Page sections that cost little on a key press: folded ones filled only while open, optional ones in a fixed place.

A plain st.expander sends its content on every rerun, folded or not: the browser parses and lays out a table or a
long list nobody opened, on the first visit and again after every key press. `folded` is an expander that tracks
whether it is open (a widget, so it reruns the page when clicked); the page fills it only while it is open:

    box = folded("The model's vocabulary", "ln_vocabulary")
    if box.open:
        with box:
            st.markdown(...)
"""

from __future__ import annotations

import streamlit as st

from .state import init_from_url, parse_bool, publish_flag


def folded(label: str, key: str, *, expanded: bool = False):
    """An expander under session key `key`, open at first when `expanded`; its `.open` says whether to fill it."""
    return st.expander(label, expanded=expanded, key=key, on_change="rerun")


def folded_in_url(label: str, key: str, param: str, *, start_open: bool = False):
    """`folded`, its open state kept in the URL as ?<param>=1 (a shared link opens it), or open at first when
    `start_open`."""
    init_from_url(key, start_open, param, parse_bool)
    box = folded(label, key)
    publish_flag(param, box.open)
    return box


def keep_values(keys) -> None:
    """Call on a run that leaves these widgets out (their folded section is closed): Streamlit forgets the value of
    a widget a run does not draw, and they must come back as the learner left them. Not on a run that draws them:
    a value set from the script is sent to the browser and would overwrite a control being dragged."""
    for key in keys:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def optional_place():
    """A container that is always sent, for elements a page shows only sometimes (a warning, a note, a section):
    an element that appears or goes in the middle of a page moves every element after it, and the browser builds
    each moved one anew."""
    return st.container()
