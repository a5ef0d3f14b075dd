"""Attention Playground: the entry script. Declares the navigation and the shared sidebar, then runs the chosen page."""

import streamlit as st

from playground.navigation import PAGES

st.set_page_config(page_title="Attention Playground", page_icon=":material/visibility:", layout="wide")

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

current.run()
