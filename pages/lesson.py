"""Lesson: a guided path through the five demos for a class. Each step: a short story, the demo's live figure in a
preset state, one question checked on the spot; next/back by button or arrow key. The step is in the URL
(?step=4, counted from 1), so a teacher can project a step while students open the same one."""

from playground.routing import run_inside_entry

run_inside_entry()  # first, before the page's own imports: see playground/routing.py

import streamlit as st

from lessons.lesson_steps import STEPS, parse_step
from playground import lesson_ui as ui
from playground.navigation import page_by_url_path
from playground.state import publish
from playground.texts import lesson as text


def current_step() -> int:
    """The step index: the URL's on a session's first run (a bad value falls back to step 1), then the buttons'."""
    if "ls_step" not in st.session_state:
        st.session_state.ls_step = parse_step(st.query_params.get("step", "1"))
    return st.session_state.ls_step


def go(delta: int) -> None:
    st.session_state.ls_step = min(max(st.session_state.ls_step + delta, 0), len(STEPS) - 1)


def nav(i: int, where: str) -> None:
    """Back and next; the arrow keys press them (one pair per page carries the shortcuts)."""
    back, middle, forward = st.columns([1, 2, 1])
    keys = where == "bottom"
    back.button("Back", key=f"ls_back_{where}", on_click=go, args=(-1,), disabled=i == 0, icon=":material/arrow_back:",
                shortcut="Left" if keys else None, use_container_width=True)
    forward.button("Next", key=f"ls_next_{where}", on_click=go, args=(1,), disabled=i == len(STEPS) - 1,
                   icon=":material/arrow_forward:", shortcut="Right" if keys else None, use_container_width=True)
    middle.progress((i + 1) / len(STEPS), text=f"{i + 1} / {len(STEPS)}")


# ---- read the step -------------------------------------------------------------------------------------------------
st.title(text.TITLE)
st.markdown(text.INTRO)
i = current_step()
step = STEPS[i]
publish(step=i + 1)
nav(i, "top")

# ---- the step: story and live figure, then its question ------------------------------------------------------------
st.header(text.progress(i, len(STEPS), text.STEP_TITLES[step.slug]))
question = ui.VIEWS[step.slug](ui.answered(step.slug) or not step.predict)
ui.answer_ui(step.slug, question)
demo = page_by_url_path(step.demo)
if demo is not None:
    st.page_link(demo.path, label=text.demo_link_label(demo.title), icon=demo.icon)

nav(i, "bottom")
st.caption(text.KEYS)
