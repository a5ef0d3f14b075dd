"""Quiz: questions on the five demos and the math, checked at once, with a score kept for this learner only.

The bank and the checking are lessons.quiz; where a topic points (label, demo page, deep-dive section) is
playground.quiz_topics; every sentence formatted from the score or an answer is playground.texts.quiz."""

from playground.routing import run_inside_entry

run_inside_entry()  # first, before the page's own imports: see playground/routing.py

import streamlit as st

from classroom import Question as PollQuestion
from lessons.quiz import MAX_ANSWER_CHARS, Question, check_answer, missed, question_bank, question_by_id, score
from playground.class_poll_ui import ask_button
from playground.deep_dive import math_link
from playground.quiz_topics import TOPIC_LABELS, demo_page, demo_pages, section_title
from playground.state import init_from_url, parse_choice, parse_int, publish
from playground.texts import quiz as text

ALL = "all"
RESULTS, NOTICES = "qz_results", "qz_notices"  # qid -> Feedback (None = skipped); qid -> why an answer was not taken

st.title("Check yourself")
st.markdown(
    "The blog's newsletter ends with a quiz, and so does the playground. The questions follow the demos: the "
    "compressed summary, word order, speed, self-attention and multi-head attention, then the math behind them. "
    "Numeric answers are computed by the same library that draws the charts, from the numbers in the question. "
    "Each answer is checked as soon as you submit it, with a short explanation and a pointer to the demo or the "
    "section of `ATTENTION_MATH_DEEP_DIVE.md` to revisit."
)

# Per-learner state, this session's only. The URL carries the question set and the position, never an answer: a
# teacher who tries the quiz and shares the link hands out the questions, not the results. An old link's answers
# are dropped (a reload starts the quiz afresh).
if "answers" in st.query_params:
    del st.query_params["answers"]
st.session_state.setdefault(RESULTS, {})
results = st.session_state[RESULTS]
notices = st.session_state.setdefault(NOTICES, {})


# ---------------------------------------------------------------------------------------------------------------
# What the controls do (callbacks run before the rerun that shows their effect)


def check(qid: str) -> None:
    if qid in results:  # answered twice (a double click, a stale tab): the first answer stands
        return
    given = st.session_state.get(f"qz_in_{qid}")
    try:
        feedback = check_answer(question_by_id(qid), given)
    except ValueError as err:  # nothing checkable yet: say why, and do not count it as an attempt
        notices[qid] = text.not_taken(given.strip() if isinstance(given, str) else "", str(err))
        return
    notices.pop(qid, None)
    results[qid] = feedback


def retry(qid: str) -> None:
    """Forget a wrong answer so the question can be answered again."""
    results.pop(qid, None)
    st.session_state.pop(f"qz_in_{qid}", None)


def skip(qid: str) -> None:
    if qid not in results:
        notices.pop(qid, None)
        results[qid] = None


def reset() -> None:
    for key in [k for k in st.session_state if k.startswith("qz_") and k != "qz_topic"]:
        del st.session_state[key]
    st.session_state[RESULTS] = {}
    st.session_state["qz_pos"] = 0  # back to the first question, not the link's


def move(step: int, count: int) -> None:
    st.session_state["qz_pos"] = min(max(st.session_state.get("qz_pos", 0) + step, 0), count - 1)


def jumped() -> None:
    if st.session_state.get("qz_jump") is not None:  # clicking the selected pill unselects it: stay put
        st.session_state["qz_pos"] = st.session_state["qz_jump"]


def status_mark(qid: str) -> str:
    if qid not in results:
        return ""
    feedback = results[qid]
    return " –" if feedback is None else (" ✓" if feedback.correct else " ✗")


# ---------------------------------------------------------------------------------------------------------------
# Controls, read into plain values


def topic_control(count: int) -> str:
    """The topic the questions are on ("all" for every topic), seeded from and mirrored to the URL."""
    topics = (ALL, *TOPIC_LABELS)
    init_from_url("qz_topic", ALL, "topic", parse_choice(topics))
    controls, reset_col = st.columns([3, 1], vertical_alignment="bottom")
    controls.selectbox("Questions on", topics, key="qz_topic", on_change=lambda: st.session_state.update(qz_pos=0),
                       format_func=lambda t: text.every_topic(count) if t == ALL else TOPIC_LABELS[t])
    reset_col.button("Start over", key="qz_reset", icon=":material/restart_alt:", on_click=reset,
                     help="Forget every answer and begin again.")
    topic = st.session_state["qz_topic"]
    publish(topic=topic)
    return topic


def position_control(questions: list[Question]) -> int:
    """The question shown, one at a time; the pills show every question's state (✓ right, ✗ wrong, – skipped)."""
    if "qz_pos" not in st.session_state:  # a shared link opens on its question (?q=3 is the third)
        try:
            st.session_state["qz_pos"] = (parse_int(1, len(questions))(st.query_params.get("q", "1")) or 1) - 1
        except ValueError:
            st.session_state["qz_pos"] = 0
    pos = min(st.session_state["qz_pos"], len(questions) - 1)
    st.session_state["qz_pos"] = pos
    publish(q=pos + 1)
    st.session_state["qz_jump"] = pos
    st.pills("Go to question", range(len(questions)), key="qz_jump", on_change=jumped,
             format_func=lambda i: f"{i + 1}{status_mark(questions[i].id)}")
    return pos


# ---------------------------------------------------------------------------------------------------------------
# One question: its form, or its result with where to look again


def ask(q: Question) -> None:
    with st.form(key=f"qz_form_{q.id}", border=False):
        if q.kind == "choice":
            st.radio("Your answer", range(len(q.options)), index=None, key=f"qz_in_{q.id}",
                     format_func=lambda i, q=q: q.options[i])
        else:
            unit = " (in percent)" if q.unit == "%" else ""
            st.text_input(f"Your answer{unit}", key=f"qz_in_{q.id}", max_chars=MAX_ANSWER_CHARS,
                          placeholder="a number, for example 12.5")
        left, right = st.columns([1, 3])
        with left:
            st.form_submit_button("Check", key=f"qz_check_{q.id}", type="primary", on_click=check, args=(q.id,))
        with right:
            st.form_submit_button("Skip and show the answer", key=f"qz_skip_{q.id}", on_click=skip, args=(q.id,))
    if q.id in notices:
        st.warning(notices[q.id], icon=":material/edit:")
    if q.kind == "choice":  # a class can vote on options; a number is typed, so it is not polled
        ask_button(PollQuestion(q.prompt, q.options, int(q.answer), f"the Quiz, {TOPIC_LABELS[q.topic]}",
                                q.explanation), key=f"qz_class_{q.id}")


def show_result(q: Question) -> None:
    feedback = results[q.id]
    if feedback is None:
        st.info(text.skipped(q.answer_text), icon=":material/skip_next:")
    elif feedback.correct:
        st.success(text.right(feedback.given), icon=":material/check_circle:")
    else:
        st.error(text.wrong(feedback.given, feedback.message), icon=":material/cancel:")
        st.button("Try again", key=f"qz_retry_{q.id}", icon=":material/replay:", on_click=retry, args=(q.id,),
                  help="Answer this question once more; the other answers stay.")
    st.markdown(q.explanation)
    info = demo_page(q.topic)  # the demo, when it is in the navigation
    if info is not None:
        st.page_link(info.path, label=text.revisit_demo(info.title), icon=info.icon)
    if q.section:
        math_link(q.section, "The math to revisit")
        st.caption(text.section_pointer(section_title(q.section), q.section))


# ---------------------------------------------------------------------------------------------------------------
bank = question_bank()
topic = topic_control(len(bank))
questions = [q for q in bank if topic in (ALL, q.topic)]
tally = score(results, [q.id for q in questions])
done = tally["total"] - tally["open"]

cols = st.columns(4)
cols[0].metric("Right", tally["right"])
cols[1].metric("Wrong", tally["wrong"])
cols[2].metric("Skipped", tally["skipped"])
cols[3].metric("Still open", tally["open"])
st.progress(done / tally["total"] if tally["total"] else 0.0, text=text.progress(done, tally["total"], tally["right"]))

pos = position_control(questions)
q = questions[pos]
with st.container(border=True, key="qz_card"):
    st.markdown(text.question_heading(pos, len(questions), TOPIC_LABELS[q.topic]))
    st.markdown(q.prompt)
    if q.id in results:
        show_result(q)
    else:
        ask(q)
    back, forward = st.columns(2)
    back.button("Previous", key="qz_prev", icon=":material/arrow_back:", disabled=pos == 0,
                on_click=move, args=(-1, len(questions)))
    forward.button("Next question", key="qz_next", icon=":material/arrow_forward:", disabled=pos == len(questions) - 1,
                   type="primary" if q.id in results else "secondary", on_click=move, args=(1, len(questions)))

st.header("Your result")
if tally["open"]:
    st.markdown(text.still_open(tally["open"], tally["total"]))
else:
    st.markdown(text.result(tally["right"], tally["total"]))
    pages = demo_pages(m.topic for m in missed(results, [question.id for question in questions]))
    if pages:
        st.markdown("Demos worth another look, from the questions you missed or skipped:")
        for info in pages:
            st.page_link(info.path, label=info.title, icon=info.icon)
    elif tally["right"] == tally["total"]:
        st.markdown("Every answer right. Try explaining one of the demos to someone else: that is the real test.")
st.markdown(
    "**What to notice:** the numeric questions are small versions of what the demos compute: one softmax, one "
    "Jacobian product, one count of weights. If a number surprised you, change the matching slider in the demo and "
    "watch the same quantity move."
)
