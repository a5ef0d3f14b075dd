"""Random input on every page in the navigation: whatever a visitor types, drags, clicks or pastes, in any order,
the page shows no exception, no traceback and no NaN, in its text or in its charts.

Each example opens a page, then repeats: find the controls now on screen (pages grow and shrink their controls),
pick one, send it a random valid value. Pages join automatically when they join playground/navigation.py.

    AP_FUZZ_EXAMPLES=200 .venv/bin/python -m pytest tests/app/test_fuzz_pages.py -q   # more examples per page
    AP_FUZZ_STEPS=12 ...       # longer sequences of actions per example (default 5)
    AP_FUZZ_RANDOM=1 ...       # a fresh random seed each run instead of the fixed, reproducible one
    AP_FUZZ_PAGES=pages/x.py ...  # also fuzz pages that have not joined the navigation yet (opened on their own)
On failure hypothesis prints the shortest action sequence it found, and a @reproduce_failure blob.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, Phase, given, note, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from playground.navigation import PAGES, page_by_path
from tests.app.conftest import ENTRY, TIMEOUT_S
from tests.app.fuzz_support import Control, Session, discover, edge_values, problems, values_for, visit_all_tabs

EXAMPLES = int(os.environ.get("AP_FUZZ_EXAMPLES", "15"))
STEPS = int(os.environ.get("AP_FUZZ_STEPS", "5"))
RANDOM = os.environ.get("AP_FUZZ_RANDOM") == "1"
EXTRA = [p for p in os.environ.get("AP_FUZZ_PAGES", "").split(",") if p]  # pages not in the navigation yet
WARM_TIMEOUT_S = 300
PAGE_PATHS = [p.path for p in PAGES] + [p for p in EXTRA if p not in {q.path for q in PAGES}]

FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,  # a page that measures timings is slow on its first visit, and that is not a failure
    derandomize=not RANDOM,  # CI runs the same examples every time
    database=None,
    print_blob=True,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.generate, Phase.shrink, Phase.explain],
)


@pytest.fixture(scope="module")
def warm_pages() -> set[str]:
    return set()


@pytest.fixture
def warmed(path, warm_pages):
    """Open the page once before its first examples, with a generous timeout: a first visit trains or loads models
    and fills caches, which on a loaded machine can outlast AppTest's usual 60 s and is not what this test is about."""
    if path not in warm_pages:
        warm = AppTest.from_file(ENTRY, default_timeout=WARM_TIMEOUT_S).run()
        if page_by_path(path) is not None and path != PAGES[0].path:
            warm.switch_page(path).run()
        warm_pages.add(path)
    return path


def fail_with(session: Session, found: list[str]) -> None:
    # AssertionError, not pytest.fail: hypothesis shrinks on ordinary exceptions
    raise AssertionError(f"{session.path}: after\n  {session.story()}\nthe page shows:\n  " + "\n  ".join(found))


@pytest.mark.parametrize("path", PAGE_PATHS)
@FUZZ_SETTINGS
@given(data=st.data())
def test_random_input_never_breaks_a_page(warmed, path, data):
    session = Session(path)
    if found := problems(session.at):
        fail_with(session, found)
    for _ in range(data.draw(st.integers(1, STEPS), label="number of actions")):
        controls = session.controls()
        if not controls:
            break
        control = data.draw(st.sampled_from(controls), label="control")
        value = data.draw(values_for(control), label=f"value for {control!r}")
        note(f"{control!r} <- {value!r}"[:300])
        if session.operate(control, value) and (found := problems(session.at)):
            fail_with(session, found)


@pytest.mark.parametrize("path", PAGE_PATHS)
def test_edge_values_on_every_control(warmed, path):
    """Deterministic sweep next to the random one: every control on the page, in every tab, gets each of its edge
    values in turn (slider ends, first/last option, empty selection, every awkward text, 10,000 characters)."""
    session = Session(path)
    tried = set()
    for _ in range(3):  # controls that appear only after others change are swept on the next round
        todo = [c for c in session.controls() if c.id not in tried and c.kind != "tabs"]
        if not todo:
            break
        for control in todo:
            tried.add(control.id)
            for i in range(len(edge_values(control))):
                now = next((c for c in session.controls() if c.id == control.id), None)
                if now is None:  # the page took it away; it is swept if it comes back
                    tried.discard(control.id)
                    break
                values = edge_values(now)  # from the control as it is now: its options may have changed
                if i < len(values) and session.operate(now, values[i]) and (found := problems(session.at)):
                    fail_with(session, found)
    for at in visit_all_tabs(session):
        assert not problems(at), problems(at)


SELECTIONS = ("selectbox", "radio", "select_slider", "multiselect", "button_group")
TEXTS = ("text_input", "text_area")
TYPED = "cat sat"  # two words, fewer than any default sentence has: a list of its words loses options
# The selections whose options are made from text the visitor types: page -> (text box key, selection key).
# test_typed_text_changes_no_other_options keeps this list complete.
OPTIONS_FROM_TEXT = {
    "pages/self_attention.py": ("sa_text", "sa_query"),
    "pages/multi_head.py": ("mh_text", "mh_word"),
}


def control_by_key(session: Session, key: str) -> Control:
    found = [c for c in session.controls() if c.key == key]
    assert len(found) == 1, f"{session.path}: expected one control {key!r}, found {found}"
    return found[0]


@pytest.mark.parametrize("path", sorted(OPTIONS_FROM_TEXT))
def test_an_option_picked_just_before_a_rerun_changed_the_options(warmed, path):
    """A race every slow page meets: the visitor edits the text, and before the page has redrawn picks an option
    from the old list. The browser then sends a label the new run does not have; Streamlit hands the page that
    label as a plain string. The page must cope (fall back to a valid choice), not crash."""
    text_key, select_key = OPTIONS_FROM_TEXT[path]
    session = Session(path)
    old = control_by_key(session, select_key)
    session.operate(control_by_key(session, text_key), TYPED)
    now = control_by_key(session, select_key)
    gone = [o for o in old.spec["options"] if o not in now.spec["options"]]
    assert gone, f"typing {TYPED!r} left every option of {select_key} in place: the race is not exercised"
    assert session.operate(now, gone[0])
    if found := problems(session.at):
        fail_with(session, found)
    chosen = session.at.session_state[select_key]
    assert chosen in range(len(now.spec["options"])), f"{select_key} is {chosen!r} after the stale label"


@pytest.mark.parametrize("path", PAGE_PATHS)
def test_typed_text_changes_no_other_options(warmed, path):
    """Typing into any text box of the page changes no selection's options but those listed in OPTIONS_FROM_TEXT,
    so every selection that can meet the race above is tested there."""
    session = Session(path)
    texts = [c for c in session.controls() if c.kind in TEXTS and not c.form_id]
    listed = OPTIONS_FROM_TEXT.get(path)
    if listed:
        assert listed[0] in {c.key for c in texts}, f"{path} has no text box {listed[0]!r}"
    changed = []
    for text in texts:
        before = {c.id: c for c in session.controls() if c.kind in SELECTIONS}
        session.operate(text, TYPED)
        after = {c.id: c for c in session.controls() if c.kind in SELECTIONS}
        changed += [(text.key, c.key) for i, c in before.items()
                    if i in after and c.spec["options"] != after[i].spec["options"]]
    assert set(changed) <= ({listed} if listed else set()), (
        f"{path}: typing changed the options of {changed}; list them in OPTIONS_FROM_TEXT")


@pytest.mark.parametrize("path", PAGE_PATHS)
def test_the_fuzzer_can_drive_every_control(path):
    """A control kind the fuzzer does not know would go untested; name it here so fuzz_support learns it."""
    session = Session(path)
    missing, kinds = set(), set()
    for at in visit_all_tabs(session):
        controls, unsupported = discover(at)
        missing.update(unsupported)
        kinds.update(c.kind for c in controls)
        assert not problems(at), problems(at)
    assert not missing, f"{path}: the fuzzer cannot drive {sorted(missing)}"
    print(f"{path}: drives {sorted(kinds)}")


# ---------------------------------------------------------------------------------------------------------------
# The fuzzer itself: every kind of control it claims to drive really reaches the script, as the browser sends it.

EVERY_CONTROL = '''
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

words = ["cat", "mat", "tired"]
st.slider("s", 0.0, 1.0, 0.5, step=0.25, key="s")
st.slider("r", 0, 10, (2, 8), key="r")
st.select_slider("ss", [1, 2, 4, 8], format_func=lambda v: f"{v} x", key="ss")
st.number_input("n", 0, 100, 5, key="n")
st.text_input("t", key="t")
st.text_area("ta", key="ta", max_chars=5)
st.selectbox("sb", range(3), format_func=lambda i: words[i], key="sb")
st.radio("ra", ["a", "b"], format_func=str.upper, key="ra")
st.multiselect("ms", range(3), format_func=lambda i: words[i], key="ms")
st.pills("pi", range(3), format_func=lambda i: words[i], key="pi")
st.checkbox("cb", key="cb")
st.toggle("tg", key="tg")
if st.button("b", key="b"):
    st.write("clicked b")
with st.form("f"):
    st.radio("fr", range(2), format_func=lambda i: words[i], key="fr")
    st.form_submit_button("go", key="go")
tab = st.tabs(["one", "two"], key="tabs", on_change="rerun")
with st.expander("ex", key="ex", on_change="rerun"):
    st.write("inside")
st.plotly_chart(go.Figure(go.Heatmap(z=[[1, 2], [3, 4]], x=words[:2], y=words[:2])), key="pc", on_select="rerun",
                selection_mode="points")
st.data_editor(pd.DataFrame({"v": [1.0, 2.0]}), key="de", num_rows="fixed")
st.write("state", {k: st.session_state[k] for k in sorted(st.session_state) if k not in ("de",)})
'''


def synthetic_session() -> Session:
    return Session("synthetic", at=AppTest.from_string(EVERY_CONTROL, default_timeout=TIMEOUT_S).run())


@pytest.mark.parametrize(("key", "value", "seen"), [
    ("s", 1.0, 1.0),
    ("r", (0, 10), (0, 10)),
    ("ss", "8 x", 8),
    ("n", 100, 100),
    ("t", "தமிழ் <b>", "தமிழ் <b>"),
    ("sb", "tired", 2),
    ("ra", "B", "b"),
    ("ms", ["mat", "cat"], [1, 0]),
    ("pi", ["tired"], 2),
    ("cb", True, True),
    ("tg", True, True),
    ("tabs", "two", "two"),
    ("ex", True, True),
])
def test_session_sends_what_the_browser_sends(key, value, seen):
    session = synthetic_session()
    control = next(c for c in session.controls() if c.key == key)
    assert session.operate(control, value)
    assert session.at.session_state[key] == seen
    session.run()  # the browser keeps sending the value on later runs
    assert session.at.session_state[key] == seen


def test_session_handles_buttons_forms_charts_and_editors():
    session = synthetic_session()
    by_key = {c.key: c for c in session.controls()}
    assert {c.kind for c in by_key.values()} >= {"submit", "button", "plotly_select", "data_editor"}
    clicked = lambda: any(m.value == "clicked b" for m in session.at.markdown)  # noqa: E731
    assert session.operate(by_key["b"], True) and clicked()
    session.run()
    assert not clicked()  # a click is a trigger, not a state
    assert not session.operate(by_key["fr"], "mat")  # inside a form: nothing happens until submit
    assert session.at.session_state["fr"] == 0
    assert session.operate(by_key["go"], True) and session.at.session_state["fr"] == 1
    point = next(p for p in by_key["pc"].spec["points"] if p["point_index"] == [1, 0])
    session.operate(by_key["pc"], [point])
    assert session.at.session_state["pc"]["selection"]["points"][0]["y"] == "mat"
    session.operate(by_key["de"], [(1, "v", 7.5)])
    session.operate(session.controls()[-1], [(0, "v", None)])
    assert session.at.session_state["de"]["edited_rows"] == {1: {"v": 7.5}, 0: {"v": None}}
    assert problems(session.at) == []
