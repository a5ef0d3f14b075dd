"""Class poll: the projector shows the code and the class's answers as they arrive; a student answers on their own
screen. A poll is started with "Ask the class" under a question elsewhere (playground/class_poll_ui.py); the poll
itself lives in classroom/."""

from playground.routing import run_inside_entry

run_inside_entry()  # first, before the page's own imports: see playground/routing.py

import streamlit as st

from playground import class_poll_ui as ui
from playground.texts import class_poll as text

st.title(text.TITLE)
poll, problem = ui.resolve()
if problem:
    st.warning(problem)
if poll is None:
    st.markdown(text.INTRO)
    st.info(text.NO_POLL)
    ui.join_field(key="cp_join_page")  # the sidebar has one too; on a phone it is folded away
    st.stop()

key = ui.teacher_key(poll.code)
if key is not None:
    ui.projector(poll, key)
else:
    ui.student(poll)
