"""Display modes in the app: the sidebar setting (colour-blind safe colours, projector-sized text), kept in the URL,
and this session's choice (`current`). What a mode does to a chart is playground/figures/display_modes.py, one step
of the chart pipeline (playground/figures/render.py); this module adds the page's own larger text (PROJECTOR_CSS).

The mode is a plain frozen value, read from the session once per rerun; nothing here is module-level mutable state.
"""

from __future__ import annotations

import streamlit as st

from .figures.display_modes import Display, parse, to_param

__all__ = ["PARAM", "KEY", "OPTIONS", "current", "sidebar", "PROJECTOR_CSS"]

PARAM = "display"  # ?display=colorblind, ?display=projector, ?display=colorblind,projector
KEY = "display_modes"  # the sidebar widget
OPTIONS = {"colorblind": "Colour-blind safe", "projector": "Projector"}  # URL name (a Display field) -> label


def current() -> Display:
    """This session's mode: the sidebar's choice, or the URL's before the sidebar has run (a page run on its own)."""
    if KEY in st.session_state:
        return parse(",".join(st.session_state[KEY] or ()))
    return parse(st.query_params.get(PARAM, ""))


# Bigger text everywhere on the page; static, no user text.
PROJECTOR_CSS = """<style>
.stMainBlockContainer, [data-testid="stSidebarContent"] { font-size: 1.3rem; }
.stMainBlockContainer p, .stMainBlockContainer li,
[data-testid="stSidebarContent"] p { font-size: 1.3rem; line-height: 1.5; }
.stMainBlockContainer label p, [data-testid="stSidebarContent"] label p { font-size: 1.15rem; }
.stMainBlockContainer input, .stMainBlockContainer textarea, .stMainBlockContainer [data-baseweb="select"] div,
.stMainBlockContainer button p { font-size: 1.15rem; }
[data-testid="stSliderThumbValue"], [data-testid="stSliderTickBarMin"], [data-testid="stSliderTickBarMax"] {
  font-size: 1rem; }
.stMainBlockContainer h1 { font-size: 3rem; }
.stMainBlockContainer h2 { font-size: 2.2rem; }
.stMainBlockContainer h3 { font-size: 1.8rem; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p { font-size: 1.1rem; }
</style>"""


def sidebar() -> Display:
    """The setting in the entry script's sidebar: seeded from ?display=, mirrored back into the URL."""
    if KEY not in st.session_state:
        start = parse(st.query_params.get(PARAM, ""))
        st.session_state[KEY] = [name for name in OPTIONS if getattr(start, name)]
    st.pills("Display", list(OPTIONS), format_func=OPTIONS.get, selection_mode="multi", key=KEY,
             help="Colour-blind safe: Viridis for weights, purple-orange for scores, Okabe-Ito colours for lines. "
                  "Projector: larger text and thicker lines. Both are kept in the address bar.")
    display = current()
    text = to_param(display)
    if text and st.query_params.get(PARAM) != text:
        st.query_params[PARAM] = text
    elif not text and PARAM in st.query_params:
        del st.query_params[PARAM]
    if display.projector:
        st.html(PROJECTOR_CSS)
    return display
