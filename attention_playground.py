"""Attention Playground: the entry script. Declares the navigation and the shared sidebar, then runs the chosen page.

The page runs as a fragment of this script: a widget on the page reruns the page alone, and the sidebar and the
navigation, which the page's widgets do not change, are neither run again nor sent to the browser again, so a key
press on a page leaves the browser less to redraw (`python -m benchmarks.browser` times it). A widget of the sidebar,
or another page, reruns everything.
"""

from playground.server_tuning import collect_if_due, prepare_server

# Once per server process, before anything else is imported: every module loaded in one thread (several students'
# first runs importing at once can deadlock on Python's import locks), then the import-time heap frozen.
prepare_server()

import streamlit as st  # noqa: E402
from streamlit.errors import FragmentHandledException  # noqa: E402

from playground import class_poll_ui, display, export, layout_css  # noqa: E402
from playground.navigation import APP_ICON_SVG, PAGES  # noqa: E402

st.set_page_config(page_title="Attention Playground", page_icon=APP_ICON_SVG, layout="wide",
                   initial_sidebar_state="auto")  # "auto": collapsed on narrow screens (phones)
layout_css.apply()

sections: dict[str, list] = {}
for info in PAGES:
    page = st.Page(info.path, title=info.title, icon=info.icon, url_path=info.url_path, default=info is PAGES[0])
    sections.setdefault(info.section, []).append(page)
current = st.navigation(sections)

with st.sidebar:
    st.caption(
        "Every number here is computed live, in NumPy, from what you choose on the page. "
        "Hover a chart for exact values; copy the address bar to share the view you are looking at."
    )
    class_poll_ui.join_field()
    display.sidebar()
    export.format_picker()


@st.fragment
def run_page(page) -> None:
    """The page alone: what its own widgets rerun (see the docstring)."""
    # Streamlit runs the page st.navigation returned once per run of this script, and a fragment rerun runs the page
    # again without this script: the flag is the whole of that guard (tests/e2e/test_routing.py reruns a page four times)
    page._can_be_called = True
    try:
        page.run()
    except FragmentHandledException:  # a fragment inside the page (Self-attention's word view ...) showed its error
        st.stop()  # already: this fragment would show it a second time
    finally:  # also after st.stop() / st.rerun(): a full garbage collection every 30 s, not after every rerun
        collect_if_due()


run_page(current)
