"""Widgets, session state and cached work of the Self-attention page. Each reader draws its controls and hands the
page plain values; the session keys (sa_*) and their URL parameters live here and nowhere else."""

from __future__ import annotations

import re
from typing import NamedTuple

import numpy as np
import pandas as pd
import streamlit as st

from attention_core.positional import sinusoidal_positional_encoding
from lessons.defaults import SEED_MAX
from lessons.defaults import SELF_ATTENTION as DEFAULT
from lessons.embeddings import (
    D_MODEL,
    FEATURE_NAMES,
    MAX_TOKENS,
    apply_edits,
    embed,
    in_lexicon,
    lexicon_words,
    suggested_query,
)
from lessons.projection import pca_2d
from lessons.walkthrough import build_mask, projections, saturation_curve, self_attention_steps, word_in_contexts

from .folded import folded, keep_values
from .sentence_picker import blog_pills, word_from_url
from .state import (
    init_from_url,
    init_sentence,
    parse_bool,
    parse_choice,
    parse_float,
    parse_int,
    parse_text,
    share_sentence,
)
from .texts import self_attention as text

PAD = "[pad]"
DEFAULT_TEXT = DEFAULT.sentence
MAX_CHARS = 20_000  # a long paste is fine; only the first MAX_TOKENS tokens are used
URL_TEXT_CHARS = 600
PROJECTIONS = {"identity": "identity (Q = K = V = X)", "random": "random, seeded"}
TABS = ("Step by step", "Why divide by √d?", "The Apple problem", "Edit the embeddings")
TABLE_LIMIT = 20.0


class Settings(NamedTuple):
    scaled: bool
    temperature: float
    causal: bool
    n_pad: int
    proj: str  # a key of PROJECTIONS
    proj_seed: int
    positions: bool


class Table(NamedTuple):
    x: np.ndarray  # [n, D_MODEL]: the embedding table with the learner's edits
    rejected: list[tuple[int, str, object]]  # (row, feature, raw value) of the last edits that were refused
    edited: bool  # the values differ from the built-in ones
    version: int  # the editor's key suffix: a new editor after each accepted edit shows the values in use


# ---- the controls ------------------------------------------------------------------------------------------------


def _parse_temperature(text: str) -> float | None:
    value = parse_float(0.1, 5.0)(text)
    return None if value is None else round(value, 1)


def init_controls_from_url() -> None:
    """Every control's starting value: the shared link's, where it makes sense, on a session's first run."""
    init_sentence("sa_text", DEFAULT_TEXT, "text", parse_text(URL_TEXT_CHARS))
    init_from_url("sa_scale", DEFAULT.scaled, "scale", parse_bool)
    init_from_url("sa_temp", DEFAULT.temperature, "temp", _parse_temperature)
    init_from_url("sa_causal", DEFAULT.causal, "causal", parse_bool)
    init_from_url("sa_pad", DEFAULT.n_pad, "pad", parse_int(0, 4))
    init_from_url("sa_proj", DEFAULT.projection, "proj", parse_choice(PROJECTIONS))
    init_from_url("sa_seed", DEFAULT.seed, "seed", parse_int(0, SEED_MAX))
    init_from_url("sa_pos", DEFAULT.positions, "pos", parse_bool)
    init_from_url("sa_tab", None, "tab", parse_choice(TABS))  # no deep dive open until one is picked


def sentence_ui() -> str:
    """The blog's sentences as pills above the text box; returns the text as typed."""
    blog_pills("sa_preset", "sa_text")
    st.text_area("Your sentence", key="sa_text", max_chars=MAX_CHARS, height=68,
                 help=f"Words and punctuation become tokens; the first {MAX_TOKENS} are used.")
    share_sentence("sa_text")
    return st.session_state.sa_text


SETTINGS_BOX = "sa_settings_box"  # session key: the settings' folded section is open
SETTING_DEFAULTS = {"sa_scale": True, "sa_temp": 1.0, "sa_causal": False, "sa_pad": 0, "sa_proj": "identity",
                    "sa_seed": 0, "sa_pos": False}


def settings_ui() -> Settings:
    # Folded while they hold their defaults, so a phone reaches the heatmap without scrolling past eight controls,
    # and filled only while open, so a first visit does not build them (less for the browser to do); open at first
    # when one differs (a shared link with a mask, a changed temperature ...).
    init_from_url(SETTINGS_BOX, any(st.session_state.get(k, v) != v for k, v in SETTING_DEFAULTS.items()))
    box = folded(text.SETTINGS_LABEL, SETTINGS_BOX)
    if not box.open:
        keep_values(SETTING_DEFAULTS)
    else:
        with box:
            c1, c2, c3, c4 = st.columns(4)
            with c1:
                st.toggle(r"Divide scores by $\sqrt{d_k}$", key="sa_scale",
                          help="The scaling of Vaswani et al. (2017).")
                st.slider("Temperature", 0.1, 5.0, step=0.1, key="sa_temp",
                          help="Scores are divided by it before softmax: below 1 sharpens, above 1 flattens.")
            with c2:
                st.toggle("Causal mask", key="sa_causal",
                          help="No looking ahead: each word may only look at itself and the words before it, as "
                               "when a model writes text one word at a time.")
                st.slider("Padding tokens", 0, 4, key="sa_pad",
                          help="Extra [pad] tokens at the end, as in a batch of sentences of different lengths; "
                               "masked.")
            with c3:
                st.radio("Projections", list(PROJECTIONS), format_func=PROJECTIONS.get, key="sa_proj",
                         help="The matrices $W_Q$, $W_K$, $W_V$ that turn each word into its query, key and value.")
                st.number_input("Seed for the random projections", 0, SEED_MAX, step=1, key="sa_seed",
                                disabled=st.session_state.sa_proj != "random")
            with c4:
                st.toggle("Add positions (sinusoidal)", key="sa_pos",
                          help="Adds each token's position vector, so the two 'the's are no longer identical.")
    state = st.session_state
    return Settings(state.sa_scale, state.sa_temp, state.sa_causal, state.sa_pad, state.sa_proj, state.sa_seed,
                    state.sa_pos)


def url_params(text: str, tokens: list[str], word: str, settings: Settings) -> dict:
    """The view as URL parameters. A long paste is shared as the tokens in use (whole tokens only), so the URL stays
    short and reopens the same view."""
    if len(text) > URL_TEXT_CHARS:
        kept = np.cumsum([len(t) + 1 for t in tokens]) <= URL_TEXT_CHARS + 1  # [n]
        text = " ".join(t for t, keep in zip(tokens, kept) if keep)
    s = settings
    return dict(text=text, word=word, scale=s.scaled, temp=f"{s.temperature:g}", causal=s.causal, pad=s.n_pad,
                proj=s.proj, seed=s.proj_seed, pos=s.positions, tab=st.session_state.sa_tab)  # None: no tab=


def deep_dive_picker() -> str | None:
    """Which deep dive is open: one of TABS, or None (the default). A closed deep dive draws nothing, so the page's
    controls redraw only the main heatmap; the choice is kept in the URL (?tab=)."""
    return st.segmented_control(text.DEEP_DIVE_LABEL, TABS, key="sa_tab", help=text.DEEP_DIVE_HELP)


def step_tabs(names: tuple[str, ...]) -> list:
    """The inspector's tabs, one per matrix; only the open one is drawn."""
    init_from_url("sa_step", names[0])
    return st.tabs(list(names), key="sa_step", on_change="rerun")


def d_slider() -> int:
    init_from_url("sa_d", DEFAULT.sqrt_d)
    return int(st.slider("d, the length of each query and key vector", 4, 512, step=4, key="sa_d"))


# ---- the word doing the looking ------------------------------------------------------------------------------------


def _query_label(tokens: list[str], i: int) -> str:
    return f"{tokens[i]}  (#{i + 1})"


def valid_query(value, tokens: list[str]) -> int:
    """The select box's value as a token index. A browser that picked from the previous sentence's list just before
    a rerun sends that list's label ("it  (#8)"), which Streamlit passes on as text: keep it only if it still fits."""
    if isinstance(value, str):
        match = re.fullmatch(r"(.*)  \(#(\d+)\)", value, flags=re.DOTALL)
        i = int(match.group(2)) - 1 if match else -1
        value = i if match and 0 <= i < len(tokens) and tokens[i] == match.group(1) else None
    ok = isinstance(value, (int, np.integer)) and not isinstance(value, bool) and 0 <= value < len(tokens)
    return int(value) if ok else suggested_query(tokens)


def _clicked_row() -> int | None:
    click = st.session_state.get("sa_heatmap")
    points = (click or {}).get("selection", {}).get("points", []) if isinstance(click, dict) else []
    return int(points[0]["y"]) if points and isinstance(points[0].get("y"), (int, float)) else None


def resolve_query(tokens: list[str]) -> None:
    """Before the select box is drawn: a click on a heatmap row, else the select box, else the URL, else a good
    first word. A new sentence keeps the same word when it still has it."""
    state = st.session_state
    clicked = _clicked_row()
    if "sa_query" not in state:
        from_url = word_from_url(tokens)
        state.sa_query = from_url if from_url is not None else suggested_query(tokens)
    elif state.get("sa_query_for") != tuple(tokens):
        old = state.get("sa_query_word")
        state.sa_query = tokens.index(old) if old in tokens else suggested_query(tokens)
    if clicked is not None and clicked != state.get("sa_last_click") and 0 <= clicked < len(tokens):
        state.sa_query = clicked
    state.sa_last_click = clicked
    state.sa_query = valid_query(state.sa_query, tokens)
    state.sa_query_for = tuple(tokens)


def query_ui(tokens: list[str]) -> int:
    q = st.selectbox("Word doing the looking", list(range(len(tokens))), format_func=lambda i: _query_label(tokens, i),
                     key="sa_query", help="Or click a row of the heatmap.")
    q = valid_query(q, tokens)
    st.session_state.sa_query_word = tokens[q]
    return q


# ---- the editable embedding table ----------------------------------------------------------------------------------


def parse_edited_rows(edited_rows: dict) -> tuple[list[tuple[int, str, float]], list[object]]:
    """st.data_editor's {row: {column: value}} as (row, feature, value) edits for lessons.embeddings.apply_edits,
    and the raw value of each. A row key that is not a number becomes row -1; a value that is not a number (None,
    True, "abc") becomes NaN: apply_edits refuses both."""
    edits, raws = [], []
    for row_key, cells in (edited_rows or {}).items():
        try:
            row = int(row_key)
        except (TypeError, ValueError):
            row = -1
        for feature, raw in (cells or {}).items():
            try:
                ok = isinstance(raw, (int, float, str, np.number)) and not isinstance(raw, bool)
                value = float(raw) if ok else float("nan")
            except (TypeError, ValueError, OverflowError):
                value = float("nan")
            edits.append((row, feature, value))
            raws.append(raw)
    return edits, raws


def embedding_table(tokens: list[str]) -> Table:
    """The table for this sentence, with the edits the editor sent since the last run applied (before anything is
    computed from it)."""
    state = st.session_state
    store = state.get("sa_table")
    if store is None or store["tokens"] != tuple(tokens):
        store = {"tokens": tuple(tokens), "x": embed(tokens), "rejected": [], "edited": False}
        state.sa_table = store
    version = state.setdefault("sa_table_version", 0)
    pending = state.get(f"sa_editor_{version}")
    if pending and pending.get("edited_rows"):
        edits, raws = parse_edited_rows(pending["edited_rows"])
        new_x, refused = apply_edits(store["x"], edits, limit=TABLE_LIMIT)
        rejected = [(edits[k][0], str(edits[k][1]), raws[k]) for k in refused]
        store.update(x=new_x, rejected=rejected, edited=store["edited"] or not np.array_equal(new_x, store["x"]))
        state.sa_table_version = version = version + 1  # a fresh editor shows the values now in use
    return Table(store["x"], store["rejected"], store["edited"], version)


def _reset_table() -> None:
    st.session_state.pop("sa_table", None)
    st.session_state.sa_table_version = st.session_state.get("sa_table_version", 0) + 1


def table_editor(tokens: list[str], table: Table) -> None:
    """The editor over the values in use, and the button that brings back the built-in ones."""
    frame = pd.DataFrame(table.x, index=[f"{i + 1} {t}" for i, t in enumerate(tokens)], columns=list(FEATURE_NAMES))
    st.data_editor(frame, key=f"sa_editor_{table.version}", num_rows="fixed",
                   column_config={f: st.column_config.NumberColumn(f, format="%.2f", min_value=-TABLE_LIMIT,
                                                                   max_value=TABLE_LIMIT, step=0.1)
                                  for f in FEATURE_NAMES})
    st.button("Reset to the built-in values", key="sa_reset", on_click=_reset_table,
              disabled=not table.edited and not table.rejected)


# ---- compute ----------------------------------------------------------------------------------------------------


def attend(tokens: list[str], x_table: np.ndarray, s: Settings):
    """The table's vectors (plus positions, plus zero pad vectors) through one self-attention layer."""
    n = len(x_table)
    labels = tokens + [PAD] * s.n_pad
    x = x_table + (sinusoidal_positional_encoding(n, D_MODEL) if s.positions else 0.0)  # [n, d_model]
    x = np.vstack([x, np.zeros((s.n_pad, D_MODEL))])  # [m, d_model]; pad vectors are zeros, and masked anyway
    w_q, w_k, w_v = projections(D_MODEL, s.proj, seed=int(s.proj_seed))
    mask = build_mask(np.arange(len(labels)) < n, causal=s.causal)  # [m, m]
    steps = self_attention_steps(x, w_q, w_k, w_v, mask=mask, scaled=s.scaled, temperature=s.temperature)
    return labels, mask, steps


# ---- cached work ---------------------------------------------------------------------------------------------------


@st.cache_data(show_spinner=False)
def saturation(ds: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    return saturation_curve(ds, n_keys=8, trials=200, seed=0)


@st.cache_data(show_spinner=False)
def apple(sentences: tuple[str, ...], scaled: bool, temperature: float, positions: bool):
    static, outputs, where = word_in_contexts("Apple", sentences, scaled=scaled, temperature=temperature,
                                              positions=positions)
    return static, outputs, where, pca_2d(np.vstack([static, outputs]))


def unknown_words_ui(tokens: list[str]) -> None:
    """Which tokens the lexicon lacks, and (folded) every word it has, so a learner can pick known ones."""
    unknown = list(dict.fromkeys(t for t in tokens if not in_lexicon(t)))
    if not unknown:
        return
    st.caption(text.unknown_words(unknown, sum(not in_lexicon(t) for t in tokens), len(tokens)))
    words = lexicon_words()
    with st.expander(text.lexicon_title(len(words))):
        st.markdown(text.lexicon_list(words))
