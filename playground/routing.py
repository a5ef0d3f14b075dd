"""Make every page run inside the entry script, even when a server's very first visitor opens a page's URL.

Streamlit keeps a legacy mode for apps with a `pages/` folder: until the entry script has called st.navigation once,
a URL such as /quiz runs pages/quiz.py on its own, without page config, sidebar or navigation. Each page calls
`run_inside_entry()` first; in that legacy situation it switches the server to st.navigation mode and reruns, so the
entry script runs and opens the same page.
"""

from __future__ import annotations

import streamlit as st


def run_inside_entry() -> None:
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # a Streamlit without the legacy mode
        return
    if getattr(PagesManager, "uses_pages_directory", False):
        PagesManager.uses_pages_directory = False  # what st.navigation itself sets on its first call
        st.rerun()
