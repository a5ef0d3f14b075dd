"""Make every page run inside the entry script, even when a server's very first visitor opens a page's URL.

Streamlit keeps a legacy mode for apps with a `pages/` folder: until the entry script has called st.navigation once,
a URL such as /quiz runs pages/quiz.py on its own, without page config, sidebar or navigation. Each page calls
`run_inside_entry()` first; in that legacy situation it switches the server to st.navigation mode and reruns, so the
entry script runs and opens the same page.

Each page calls it before its own imports, and the entry script prepares the server (every import in one thread)
before anything else: the first runs on a fresh server then never import the pages' modules in parallel threads.

The class flag alone misses a race: when a class arrives at once on a fresh server, several sessions start in legacy
mode; the first to reach its page flips the flag, and the others, already past Streamlit's check, would then run
their page outside the entry script (no page config, and none of playground.server_tuning's preparation: measured,
pages failing with "partially initialized module 'pandas'"). So a run also counts as legacy when Streamlit's legacy
runner (`_mpa_v1`) is on the call stack.
"""

from __future__ import annotations

import sys

import streamlit as st

LEGACY_RUNNER = "_mpa_v1"  # streamlit.runtime.scriptrunner.script_runner's function for the pages/ mode


def run_inside_entry() -> None:
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # a Streamlit without the legacy mode
        return
    if getattr(PagesManager, "uses_pages_directory", False) or _in_legacy_run():
        PagesManager.uses_pages_directory = False  # what st.navigation itself sets on its first call
        st.rerun()


def _in_legacy_run() -> bool:
    """True when this script run was started by Streamlit's legacy pages/ runner (whatever the flag says now)."""
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code.co_name == LEGACY_RUNNER:
            return True
        frame = frame.f_back
    return False
