"""Widgets, session state and cached work of the Multi-head page. The readers draw the controls and hand the page
plain values; the session keys (mh_*) and their URL parameters live here and nowhere else."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from attention_core import MultiHeadParams, MultiHeadResult, multi_head_attention
from lessons.defaults import MULTI_HEAD, SEED_MAX
from lessons.embeddings import MAX_TOKENS, embed
from lessons.heads import HAND_BUILT, HeadInfo, attention_entropy, build_heads, default_focus, model_input

from .layout_css import whole_columns
from .sentence_picker import blog_pills, word_from_url
from .state import (
    init_from_url,
    init_sentence,
    parse_bool,
    parse_choice,
    parse_int,
    parse_text,
    share_sentence,
    word_param,
)

DEFAULT_SENTENCE = MULTI_HEAD.sentence
URL_TEXT_CHARS = 1000  # longest sentence kept in the address bar
D_MODEL_CHOICES = (32, 64, 128, 256, 512)  # each leaves >= 16 position columns and is divisible by every head count
HEAD_CHOICES = (1, 2, 4, 8)


class Settings(NamedTuple):
    text: str
    n_heads: int
    d_model: int
    hand_built: bool
    positions: bool
    seed: int
    trained: bool = False  # also show the Learning-to-attend model's trained heads


def controls() -> tuple[Settings, DeltaGenerator]:
    """The sentence and the layer's settings, and the slot where the word select box goes once the sentence is
    known."""
    init_sentence("mh_text", DEFAULT_SENTENCE, "sentence", parse_text(URL_TEXT_CHARS))
    init_from_url("mh_heads", MULTI_HEAD.n_heads, "heads", parse_choice(HEAD_CHOICES))
    init_from_url("mh_d_model", MULTI_HEAD.d_model, "d_model", parse_choice(D_MODEL_CHOICES))
    init_from_url("mh_hand", MULTI_HEAD.hand_built, "hand", parse_bool)
    init_from_url("mh_pos", MULTI_HEAD.positions, "pos", parse_bool)
    init_from_url("mh_seed", MULTI_HEAD.seed, "seed", parse_int(0, SEED_MAX))
    init_from_url("mh_trained", False, "trained", parse_bool)
    with st.container(border=True):
        blog_pills("mh_preset", "mh_text")  # as on Self-attention
        st.text_input(f"Your sentence (the first {MAX_TOKENS} words and punctuation marks are used)", key="mh_text")
        c1, c2, c3 = st.columns([2, 3, 3])
        c1.segmented_control("Heads h", HEAD_CHOICES, key="mh_heads", required=True)
        c2.segmented_control("Model width d_model", D_MODEL_CHOICES, key="mh_d_model", required=True)
        with c3:
            # short labels (a cut label on a narrow column reads as a different setting); the details in the help
            st.toggle("Hand-built heads", key="mh_hand",
                      help=f"The first {len(HAND_BUILT)} heads built by hand to follow one kind of link; the rest "
                           "random. Off: every head random.")
            st.toggle("Positions in the input", key="mh_pos", help="Position columns (a sinusoidal code) in x.")
            st.toggle("Trained heads too", key="mh_trained",
                      help="Also read the sentence with the trained heads of the Learning-to-attend model.")
        whole_columns(("mh_heads", "mh_d_model", "mh_hand"))  # on a narrow screen the row wraps, every option shown
        word_slot, seed_slot = st.columns([3, 2])
        seed_slot.number_input("Seed of the random heads", 0, SEED_MAX, step=1, key="mh_seed")
    share_sentence("mh_text")
    state = st.session_state
    return Settings(state.mh_text, state.mh_heads, state.mh_d_model, state.mh_hand, state.mh_pos, state.mh_seed,
                    state.mh_trained), \
        word_slot


def word_ui(slot: DeltaGenerator, tokens: list[str]) -> int:
    """The followed word: from the URL on a first visit, reset to a sensible one whenever the sentence changes."""
    state = st.session_state
    if state.get("mh_tokens") != tokens:
        chosen = word_from_url(tokens) if "mh_tokens" not in state else None
        state.mh_word = default_focus(tokens) if chosen is None else chosen
        state.mh_tokens = tokens
    slot.selectbox("Word to follow (its row is outlined in red)", range(len(tokens)), key="mh_word",
                   format_func=lambda i: f"{tokens[i][:30]}  (word {i + 1})")
    return state.mh_word


def guess_head_ui(titles: list[str]) -> int:
    """Which head the learner guesses for (Guess first); only asked when there is more than one."""
    if len(titles) == 1:
        return 0
    init_from_url("mh_guess_head", 0)
    chosen = st.session_state.mh_guess_head
    if not isinstance(chosen, int) or not 0 <= chosen < len(titles):  # fewer heads now, or a stale value
        st.session_state.mh_guess_head = 0
    return int(st.selectbox("Guess for", range(len(titles)), format_func=titles.__getitem__, key="mh_guess_head"))


def url_params(s: Settings, tokens: list[str] | None = None, word: int | None = None) -> dict:
    """The view as URL parameters; the word only once there is a sentence."""
    followed = {} if tokens is None or word is None else {"word": word_param(tokens, word)}
    return dict(sentence=s.text[:URL_TEXT_CHARS], **followed, heads=s.n_heads, d_model=s.d_model, hand=s.hand_built,
                pos=s.positions, seed=s.seed, trained=s.trained)


# ---- cached work ---------------------------------------------------------------------------------------------------


@st.cache_resource(max_entries=64, show_spinner=False)
def heads_for(d_model: int, n_heads: int, seed_: int, hand_built: bool) -> tuple[MultiHeadParams, tuple[HeadInfo, ...]]:
    params, infos = build_heads(d_model, n_heads, seed_, hand_built)
    for w in params:  # shared by every session: read-only
        w.setflags(write=False)
    return params, infos


@st.cache_data(max_entries=256, show_spinner=False)
def run_layer(tokens: tuple[str, ...], d_model: int, n_heads: int, seed_: int, hand_built: bool, positions: bool
              ) -> tuple[np.ndarray, MultiHeadResult, np.ndarray]:
    """x [n, d_model] -> every head's weights -> concat -> W_O; cached, since choosing another word changes none of it."""
    params, _ = heads_for(d_model, n_heads, seed_, hand_built)
    x = model_input(embed(list(tokens)), d_model, positions)  # [n, 16] features | [n, d_model - 16] positions
    result = multi_head_attention(x, x, params)  # weights [h, n, n], concat [n, d_model], output [n, d_model]
    return x, result, attention_entropy(result.weights)  # entropy [h, n]: bits per query row
