"""Attention Playground: the entry script. Declares the navigation and the shared sidebar, then runs the chosen page."""

from playground.server_tuning import collect_if_due, prepare_server

# Once per server process, before anything else is imported: every module loaded in one thread (several students'
# first runs importing at once can deadlock on Python's import locks), then the import-time heap frozen.
prepare_server()

import streamlit as st  # noqa: E402

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

try:
    current.run()
finally:  # also after st.stop() / st.rerun(): a full garbage collection every 30 s, not after every rerun
    collect_if_due()
