"""The class poll in the app: "Ask the class" under a question, the projector's view, the students' view.

The poll itself (codes, keys, rounds, the store) is classroom/; this module only draws it and wires the widgets.
The teacher key lives in the teacher's session (session_state[KEYS]) and in a teacher link; it is never put in the
address bar the projector shows. The views refresh themselves (st.fragment run_every), so the projector counts
answers without anyone touching it.
"""

from __future__ import annotations

import csv
import io
import time
import uuid
from functools import partial

import streamlit as st

from classroom import PollError, PollStore, Question, data_dir, default_store, normalize_code
from classroom.poll import Poll
from classroom.store import poll_ttl_s

from .export import chart
from .figures.class_poll import poll_bars
from .texts import class_poll as text

PAGE = "pages/class_poll.py"
KEYS = "cp_keys"  # code -> teacher key, for the polls this session started (or opened with a teacher link)
SESSION = "cp_session"  # this browser session's random id: one answer per session and round
CODE = "cp_code"  # the poll this session is looking at
PROJECTOR_REFRESH_S = 1.0
STUDENT_REFRESH_S = 2.0


@st.cache_resource(show_spinner=False)
def _store_at(directory: str) -> PollStore:
    return default_store(directory)


def store() -> PollStore:
    """The server's poll store (one per data directory: every replica of one machine shares its file)."""
    return _store_at(str(data_dir()))


def session_id() -> str:
    """This browser's voter id. It rides in the URL (?voter=), so a browser that reconnects to another replica (its
    own replica restarted) is still the same voter and its answer is replaced, not counted twice."""
    if SESSION not in st.session_state:
        given = st.query_params.get("voter", "")
        ok = len(given) == 32 and all(c in "0123456789abcdef" for c in given)
        st.session_state[SESSION] = given if ok else uuid.uuid4().hex
    if st.query_params.get("voter") != st.session_state[SESSION]:
        st.query_params["voter"] = st.session_state[SESSION]
    return st.session_state[SESSION]


def teacher_key(code: str) -> str | None:
    return st.session_state.get(KEYS, {}).get(code)


# ---- starting a poll from any question ------------------------------------------------------------------------------


def _start(question: Question) -> None:
    # the button's callback: the poll is created before the page reruns, which then opens the projector view
    now = time.time()
    try:
        store().cleanup(now)  # expired polls go whenever a new one starts
        poll, key = store().create(question, now, poll_ttl_s())
    except PollError as exc:
        st.session_state["cp_ask_error"] = str(exc)
        return
    st.session_state.setdefault(KEYS, {})[poll.code] = key
    st.session_state[CODE] = poll.code
    st.session_state["cp_started"] = poll.code


def ask_button(question: Question, key: str) -> None:
    """A small "Ask the class" button under a question: starts a poll on it and opens the projector view."""
    st.button(text.ASK_BUTTON, key=key, icon=":material/groups:", help=text.ASK_HELP, on_click=_start,
              args=(question,))
    if msg := st.session_state.pop("cp_ask_error", None):
        st.error(msg)
    if code := st.session_state.pop("cp_started", None):
        st.switch_page(PAGE, query_params={"code": code})


# ---- which poll, and who is looking --------------------------------------------------------------------------------


def resolve() -> tuple[Poll | None, str | None]:
    """The poll this session looks at (URL ?code=, else the last one) and an error to show, if any. A teacher link's
    ?key= moves into the session and out of the address bar."""
    params = st.query_params
    if "code" in params:
        st.session_state[CODE] = params["code"]
    raw = st.session_state.get(CODE)
    if raw is None:
        return None, None
    try:
        code = normalize_code(raw)
    except PollError as exc:
        st.session_state.pop(CODE, None)
        return None, str(exc)
    if "key" in params:
        if store().is_teacher(code, params["key"]):
            st.session_state.setdefault(KEYS, {})[code] = params["key"]
        del st.query_params["key"]
    poll = store().get(code, time.time())
    if poll is None:
        st.session_state.pop(CODE, None)
        return None, (f"There is no class poll {code}: it has ended or expired. Check the code on the projector.")
    if st.query_params.get("code") != code:
        st.query_params["code"] = code
    return poll, None


def _joined(widget: str) -> None:
    typed = st.session_state.get(widget, "")
    st.session_state[widget] = ""  # consumed: the box is empty when the learner comes back
    try:
        st.session_state["cp_goto"] = normalize_code(typed)
    except PollError as exc:
        st.session_state["cp_join_error"] = str(exc)


def join_field(where=None, key: str = "cp_join") -> None:
    """"Join a class": a code typed here opens the poll page on it (a wrong one gets a message where it was typed)."""
    place = where or st
    place.text_input(text.JOIN_LABEL, key=key, placeholder=text.JOIN_PLACEHOLDER, help=text.JOIN_HELP, max_chars=12,
                     on_change=_joined, args=(key,))
    if msg := st.session_state.pop("cp_join_error", None):
        place.error(msg)
    if code := st.session_state.pop("cp_goto", None):
        st.session_state[CODE] = code
        st.switch_page(PAGE, query_params={"code": code})


# ---- the projector -------------------------------------------------------------------------------------------------


def _join_url() -> str:
    host = st.context.headers.get("host", "localhost:8501")
    return f"http://{host}/class_poll?code="


def answers_csv(poll: Poll, rounds: list[list[int]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["option", *[f"round {r + 1}" for r in range(len(rounds))], "right answer"])
    for i, option in enumerate(poll.question.options):
        w.writerow([f"{i + 1}:{option}", *[counts[i] for counts in rounds], "yes" if i == poll.question.answer else ""])
    return buf.getvalue()


def _control(code: str, key: str, action: str) -> None:
    try:
        store().control(code, key, action, time.time())
    except PollError as exc:
        st.session_state["cp_error"] = str(exc)
    if action == "end":
        st.session_state.pop(CODE, None)
        st.session_state.get(KEYS, {}).pop(code, None)
        st.query_params.pop("code", None)


def projector(poll: Poll, key: str) -> None:
    """The teacher's view: the code, large; the live answers; the controls."""
    st.html(text.code_banner(poll.code, _join_url() + poll.code))
    st.markdown(f"### {poll.question.prompt}")
    live = st.fragment(_projector_live, run_every=PROJECTOR_REFRESH_S)
    live(poll.code)
    cols = st.columns(5)
    for col, action in zip(cols, ("close", "open", "reveal", "again", "end")):
        col.button(text.CONTROLS[action], key=f"cp_{action}", on_click=_control, args=(poll.code, key, action),
                   use_container_width=True, type="primary" if action == "reveal" else "secondary")
    if msg := st.session_state.pop("cp_error", None):
        st.error(msg)
    with st.expander(text.TEACHER_LINK_TITLE):
        st.markdown(text.teacher_link(f"{_join_url()}{poll.code}&key={key}"))


def _rounds(code: str, last: int) -> list[list[int]]:
    """Round 1 and the latest round (more would crowd the chart; the CSV has every round)."""
    shown = [1, last] if last > 1 else [1]
    return [store().counts(code, r) for r in shown]


def _live_poll(code: str) -> Poll | None:
    """The poll as it is now, with its state line; None (and a note) once it has ended."""
    poll = store().get(code, time.time())
    if poll is None:
        st.info(text.ENDED)
        return None
    st.caption(text.heading(poll.question.source, poll.round, poll.state))
    return poll


def _projector_live(code: str) -> None:
    if (poll := _live_poll(code)) is None:
        return
    counts_now = store().counts(code, poll.round)
    st.markdown(text.answered(sum(counts_now)))
    rounds = _rounds(code, poll.round)
    shown = poll.state == "revealed"
    chart(poll_bars(poll.question.options, rounds, answer=poll.question.answer if shown else -1,
                    shares=poll.question.shares if shown else ()),
          ("class-poll", code, f"round-{poll.round}"), key="cp_bars")
    if shown:
        st.markdown(text.revealed(poll.question.options, poll.question.answer, counts_now, poll.question.note))
    if len(rounds) > 1 and (line := text.round_compare(rounds[0], rounds[-1], poll.question.answer)) and shown:
        st.markdown(line)
    every = [store().counts(code, r) for r in range(1, poll.round + 1)]
    st.download_button(text.CSV_LABEL, partial(answers_csv, poll, every), file_name=f"class-poll-{code}.csv",
                       mime="text/csv", key="cp_csv", on_click="ignore", icon=":material/download:")


# ---- a student ------------------------------------------------------------------------------------------------------


def student(poll: Poll) -> None:
    session_id()  # in the URL from the first view on, before any answer
    st.markdown(f"### {poll.question.prompt}")
    live = st.fragment(_student_live, run_every=STUDENT_REFRESH_S)
    live(poll.code)


def _answer(code: str, widget: str) -> None:
    choice = st.session_state.get(widget)
    if choice is None:
        return
    try:
        store().answer(code, session_id(), int(choice), time.time())
    except PollError as exc:
        st.session_state["cp_error"] = str(exc)


def _student_live(code: str) -> None:
    if (poll := _live_poll(code)) is None:
        return
    mine = store().my_answer(code, poll.round, session_id())
    widget = f"cp_pick_{code}_{poll.round}"
    if mine is not None:
        st.session_state[widget] = mine
    st.pills(text.student_prompt(poll.state == "open"), range(len(poll.question.options)),
             format_func=lambda i: poll.question.options[i], key=widget, on_change=_answer, args=(code, widget),
             disabled=poll.state != "open", width="stretch", wrap=True)
    if msg := st.session_state.pop("cp_error", None):
        st.error(msg)
    st.markdown(text.your_answer(None if mine is None else poll.question.options[mine]))
    if poll.state == "revealed":  # the same picture as the projector's, on the student's own screen
        counts = store().counts(code, poll.round)
        st.success(text.revealed(poll.question.options, poll.question.answer, counts, poll.question.note))
        chart(poll_bars(poll.question.options, [counts], answer=poll.question.answer, shares=poll.question.shares),
              ("class-poll", code, f"round-{poll.round}"), key="cp_student_bars")
