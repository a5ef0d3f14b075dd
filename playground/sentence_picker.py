"""The sentence picker of the pages that read a sentence (Self-attention, Multi-head): the example sentences kept in
step with the text box (`blog_pills`), and the word of the sentence a shared link asks for."""

from __future__ import annotations

import streamlit as st

from lessons.embeddings import PRESETS

from .state import word_index


def preset_of(text: str) -> str | None:
    """The label of the example sentence `text` is, or None when it is the visitor's own."""
    return next((label for label, sentence in PRESETS.items() if sentence == text), None)


def load_preset(preset_key: str, text_key: str) -> None:
    """Callback of the example picker: put the chosen example into the text box."""
    label = st.session_state.get(preset_key)
    if label in PRESETS:
        st.session_state[text_key] = PRESETS[label]


def follow_text(text_key: str, preset_key: str) -> None:
    """Point the example pills at the sentence now in the text box (none selected for the visitor's own)."""
    st.session_state[preset_key] = preset_of(st.session_state[text_key])


def blog_pills(preset_key: str, text_key: str) -> None:
    """The blog's sentences as pills above a page's text box (session key `text_key`): the pill of the sentence in
    the box is selected, none for the visitor's own, and one click puts its sentence in the box."""
    follow_text(text_key, preset_key)
    st.pills("Sentences from the blog", list(PRESETS), key=preset_key, on_change=load_preset,
             args=(preset_key, text_key))


def word_from_url(tokens: list[str]) -> int | None:
    """The token the address bar's `word` names (see state.word_param), or None."""
    return word_index(tokens, st.query_params["word"]) if "word" in st.query_params else None
