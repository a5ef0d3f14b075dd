"""Widgets, session state, cached work and the shared training queue of the Learning-to-attend page. The session
keys (ln_*) and their URL parameters live here and nowhere else."""

from __future__ import annotations

import contextlib
import uuid
from functools import partial
from typing import NamedTuple

import streamlit as st

from lessons.coreference_views import (
    HandBuiltMiss,
    HeadView,
    ProbeResult,
    ScoreRow,
    StructureRow,
    adjective_frame_scores,
    hand_built_pronoun_head,
    hand_built_self_attention,
    head_view,
    live_training,
    probe_results,
    score_table,
    structure_examples,
)
from lessons.defaults import SEED_MAX
from models import coreference as model

from .state import init_from_url, init_sentence, parse_choice, parse_int, parse_text, share_sentence
from .texts import learning as text
from .training_queue import JobStatus, TrainingQueue, run_in_child_process

SOURCES = {"menus": "Build it from menus", "type": "Type it"}
URL_TEXT_CHARS = 300
POLL_S = 1.0  # the training panel redraws this often while a training runs or waits


# ---- cached work: the shipped weights and snapshots are loaded once per server and only read ------------------------


@st.cache_resource(show_spinner=False)
def shipped():
    return model.load_shipped()


@st.cache_resource(show_spinner=False)
def snapshots() -> tuple:
    return tuple(model.load_snapshots())


@st.cache_resource(show_spinner=False)
def evaluation() -> dict:
    """The shipped weights on every held-out set, with the baselines: `python -m models.coreference evaluate`, as
    stored beside the weights; evaluated here (several seconds) only when the stored copy is stale."""
    return model.stored_evaluation() or model.evaluate(shipped())


@st.cache_resource(show_spinner=False)
def scores() -> tuple[ScoreRow, ...]:
    return tuple(score_table(evaluation()))


@st.cache_resource(show_spinner=False)
def structures() -> tuple[StructureRow, ...]:
    return tuple(structure_examples())


@st.cache_resource(show_spinner=False)
def adjective_frames() -> dict[tuple[str, str], float]:
    return adjective_frame_scores(shipped())


@st.cache_resource(show_spinner=False)
def probes() -> tuple[ProbeResult, ...]:
    return tuple(probe_results(shipped()))


@st.cache_data(max_entries=512, show_spinner=False)
def view(tokens: tuple[str, ...], snapshot: int | None = None) -> HeadView:
    """`tokens` through the shipped model (or snapshot number `snapshot`)."""
    params = shipped() if snapshot is None else snapshots()[snapshot].params
    return head_view(params, tokens)


def parse(sentence: str, here: bool = True) -> tuple[tuple[str, ...] | None, str]:
    """The sentence's tokens, or None and why the model cannot answer (unknown words named, no "it", several,
    fewer than two nouns); `here`: the message is shown on the Learning-to-attend page (else on another page)."""
    try:
        tokens = tuple(model.tokenize(sentence))
    except ValueError as exc:
        return None, text.unknown_words(str(exc), len(model.vocabulary()), here)
    if "it" not in tokens:
        return None, text.NO_IT
    try:
        model.check_input(tokens)
    except ValueError as exc:
        return None, text.input_problem(str(exc))
    return tokens, ""


# ---- the sentence ------------------------------------------------------------------------------------------------


FRAME_LABELS = {"cross": "… didn't cross the …", "fit": "… didn't fit in the …", "chase": "… chased / was chased by …"}
MENU_KEYS = ("frame", "n1", "verb", "n2", "adj", "voice")  # session keys ln_<key>, URL parameters <key>
MENU_WIDTH_PX = 125  # "suitcase" or "attacked" and the arrow; five in a row fit the page's 704 px


class Choices(NamedTuple):
    frame: str
    n1: str
    verb: str | None  # the chase frame's verb; None for the others
    n2: str
    adj: str
    voice: str

    def sentence(self) -> str:
        """The sentence the menus build; ValueError for a combination the grammar does not allow (a noun twice)."""
        return model.build_sentence(self.frame, self.n1, self.n2, self.adj, self.voice, self.verb or None)


def menu_options(frame: str) -> dict[str, tuple[str, ...]]:
    """What each menu offers for `frame` (models.coreference.MENUS): the two noun slots, the verbs, the adjectives
    (those naming the first noun, then those naming the second) and the voices."""
    m = model.MENUS
    nouns, adjectives = m["nouns"][frame], m["adjectives"][frame]
    return dict(frame=tuple(m["frames"]), n1=tuple(nouns["first"]), verb=tuple(m["verbs"].get(frame, ())),
                n2=tuple(nouns["second"]), adj=tuple(adjectives["first"]) + tuple(adjectives["second"]),
                voice=tuple(m["voice"][frame]))


def _menus() -> Choices:
    """The menus, each showing only what the chosen frame allows (a value the new frame lacks falls back to the
    first option before its menu is drawn)."""
    state = st.session_state
    init_from_url("ln_frame", "cross", "frame", parse_choice(model.MENUS["frames"]))
    options = menu_options(state.ln_frame)
    defaults = dict(n1="animal", verb="", n2="street", adj="wide", voice="active")
    for key in MENU_KEYS[1:]:
        if options[key]:  # a frame without the default word opens on its first, the second noun on another one
            fallback = next(o for o in options[key] if key != "n2" or o != state.get("ln_n1"))
            init_from_url(f"ln_{key}", defaults[key] if defaults[key] in options[key] else fallback, key,
                 parse_choice(options[key]))
    labels = dict(n1="First noun", verb="Verb", n2="Second noun", adj="Adjective", voice="Voice")
    # the kind of sentence on a row of its own, and the word menus at a width that fits their longest word,
    # wrapping onto a second row on a narrow screen: in equal columns the labels were cut ("… didn't cross th")
    st.selectbox("Sentence", options["frame"], key="ln_frame", format_func=FRAME_LABELS.get, width=320)
    row = st.container(horizontal=True, gap="small")
    for key in (k for k in MENU_KEYS[1:] if options[k]):
        if state[f"ln_{key}"] not in options[key]:  # the second noun falls back to one other than the first
            state[f"ln_{key}"] = next((o for o in options[key] if key != "n2" or o != state.ln_n1), options[key][0])
        row.selectbox(labels[key], options[key], key=f"ln_{key}", width=MENU_WIDTH_PX)
    return Choices(state.ln_frame, state.ln_n1, state.ln_verb if options["verb"] else None, state.ln_n2,
                   state.ln_adj, state.ln_voice)


def menu_choices(sentence: str) -> Choices | None:
    """The menu settings that build `sentence`, or None when the menus cannot build it (another structure, a
    modifier, an unknown word)."""
    try:
        tokens = model.tokenize(sentence)
    except ValueError:
        return None
    sk = model.structure_of(tokens)  # the menus build the plainest skeleton of each frame and voice
    nouns = [t for t in tokens if model.kind_of(t)]
    if sk is None or (sk.reason, sk.order, sk.extra) != ("adjective", "after", "none") or len(nouns) != 2:
        return None
    n1, n2 = nouns if sk.voice == "active" else nouns[::-1]  # the first role comes second in the passive
    c = Choices(sk.frame, n1, next((t for t in tokens if t in model.VERBS), None), n2, tokens[-1], sk.voice)
    try:
        return c if c.sentence().split() == tokens else None  # no attributive adjective, no distractor
    except ValueError:
        return None


def _keep_sentence() -> None:
    """On switching between the menus and the text box, the sentence stays what it was where it can: the menus
    take a typed sentence they can build; the text box starts from the menus' sentence, or gets back the learner's
    own sentence that the menus could not build (Streamlit forgets a widget's value while it is not drawn)."""
    state = st.session_state
    if state.ln_source == "menus":  # leaving the text box: its sentence is still in ln_text
        state.ln_typed = state.get("ln_text")
        if (c := menu_choices(state.ln_typed or "")) is not None:
            for key, value in c._asdict().items():
                if value is not None:
                    state[f"ln_{key}"] = value
        return
    typed = state.get("ln_typed")
    if typed is not None and menu_choices(typed) is None:
        state.ln_text = typed
    elif "ln_frame" in state:
        with contextlib.suppress(ValueError):  # the same noun twice: the text box keeps its own sentence
            state.ln_text = Choices(*(state.get(f"ln_{k}") for k in MENU_KEYS)).sentence()


def sentence_ui() -> tuple[str, str, tuple[str, ...] | None, str]:
    """(source, sentence, tokens, problem): the sentence from the menus or typed, its tokens, or None and a message
    saying why the model cannot read it."""
    init_from_url("ln_source", "menus", "source", parse_choice(SOURCES))
    # the sentence typed on Self-attention or Multi-head follows the learner here
    init_sentence("ln_text", model.BLOG_PAIR[1], "sentence", parse_text(URL_TEXT_CHARS), URL_TEXT_CHARS)
    st.segmented_control("Your sentence", list(SOURCES), format_func=SOURCES.get, key="ln_source", required=True,
                         on_change=_keep_sentence)
    state = st.session_state
    # one container for either input: what follows keeps its place in the page, so switching leaves its charts as
    # they are instead of drawing them anew
    with st.container():
        if state.ln_source == "type":
            st.text_input("A sentence in the model's vocabulary, with “it” and two nouns", key="ln_text",
                          max_chars=URL_TEXT_CHARS)
            share_sentence("ln_text")
            return "type", state.ln_text, *parse(state.ln_text)
        c = _menus()
    try:
        sentence = c.sentence()
    except ValueError as exc:  # the same noun twice
        return "menus", "", None, text.menu_problem(str(exc))
    return "menus", sentence, *parse(sentence)


def url_params(source: str, sentence: str, step: int) -> dict:
    state = st.session_state
    chosen = ({k: state[f"ln_{k}"] for k in MENU_KEYS if f"ln_{k}" in state} if source == "menus"
              else {"sentence": sentence[:URL_TEXT_CHARS]})
    return dict(source=source, **chosen, step=step, seed=st.session_state.get("ln_seed", 0))


def snapshot_slider(steps: tuple[int, ...]) -> int:
    """The snapshot shown in "How it formed"; returns its index."""
    init_from_url("ln_step", steps[-1], "step", parse_choice(steps))
    st.select_slider("Training step", steps, key="ln_step")
    return steps.index(st.session_state.ln_step)


# ---- live training -----------------------------------------------------------------------------------------------


@st.cache_resource(show_spinner=False)
def training_queue() -> TrainingQueue:
    """The one queue of the server: at most one live training per CPU core (each in a child process), the others
    wait."""
    return TrainingQueue(partial(run_in_child_process, live_training))


def session_key() -> str:
    """This session's own key into the queue: a random token kept in its session state (one per browser tab)."""
    if "ln_session" not in st.session_state:
        st.session_state.ln_session = uuid.uuid4().hex
    return st.session_state.ln_session


def total_steps() -> int:
    # tests set ln_test_steps to train a handful of steps; a learner always trains the quick schedule
    return int(st.session_state.get("ln_test_steps") or model.QUICK.steps)


def _train() -> None:
    training_queue().submit(session_key(), st.session_state.ln_seed, total_steps())


def _stop() -> None:
    training_queue().stop(session_key())


def training_controls(active: bool) -> None:
    init_from_url("ln_seed", 0, "seed", parse_int(0, SEED_MAX))
    c1, c2, c3 = st.columns([2, 1, 1], vertical_alignment="bottom")
    c1.number_input("Seed of the starting weights", 0, SEED_MAX, step=1, key="ln_seed", disabled=active)
    c2.button("Train", key="ln_train", on_click=_train, type="primary", disabled=active, icon=":material/play_arrow:")
    c3.button("Stop", key="ln_stop", on_click=_stop, disabled=not active, icon=":material/stop:")


def training_status() -> JobStatus | None:
    return training_queue().status(session_key())


# ---- on the hand-built pages -------------------------------------------------------------------------------------

LEARNING_PAGE = "pages/learning.py"


@st.cache_data(show_spinner=False)
def _misses() -> dict[str, HandBuiltMiss]:
    return {"lexicon": hand_built_self_attention(), "head": hand_built_pronoun_head()}


def honesty_note(kind: str) -> None:
    """Beside a hand-built chart (kind "lexicon": Self-attention, "head": Multi-head): the link from "it" is set by
    hand, the blog's "wide" sentence shows it failing, and a trained model is one click away."""
    miss = _misses()[kind]
    with st.container(border=True):
        st.markdown(text.hand_built_note(kind, miss.sentence, miss.wrong, miss.wrong_weight, miss.right,
                                         miss.right_weight))
        st.page_link(LEARNING_PAGE, label=text.LINK_LABEL, icon=":material/model_training:")


def trained_heads(sentence: str, key: str) -> None:
    """The Learning-to-attend model's heads on `sentence`, every layer, for the Multi-head page; a note instead when
    the sentence has words the model never saw (or no "it")."""
    from .export import chart
    from .figures.learning import every_head

    tokens, problem = parse(sentence, here=False)
    if tokens is None:
        st.info(text.trained_unavailable(problem))
        st.page_link(LEARNING_PAGE, label=text.LINK_LABEL, icon=":material/model_training:")
        return
    v = view(tokens)
    chart(every_head(v.weights, v.tokens, None, v.it_index), ("multi-head", "trained-heads", *tokens[:4]), key=key)
    st.markdown(text.trained_caption(v.answer, v.answer_prob, v.nouns, v.top))
