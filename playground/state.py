"""Widget state that a teacher can share: read from st.query_params on a session's first run, mirrored back after.

Pages create their widgets with `key=` and no default value; `init_from_url` puts the starting value in session state
first, so Streamlit never sees two sources for one widget.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import streamlit as st


def init_from_url(key: str, default: Any, param: str | None = None, parse: Callable[[str], Any] | None = None) -> None:
    """Give widget `key` its starting value: the URL's `param` when it parses to a valid value, else `default`."""
    if key in st.session_state:
        return
    value = default
    if param is not None and parse is not None and param in st.query_params:
        try:
            parsed = parse(st.query_params[param])
        except (ValueError, TypeError):
            parsed = None
        if parsed is not None:
            value = parsed
    st.session_state[key] = value


def publish(**params: Any) -> None:
    """Mirror the current view into the URL (only what changed, so the browser history stays quiet); a None value
    removes its parameter. The changes go out as one message: each message makes the browser rewrite its address and
    check the message's origin (a first visit sets every parameter of the page)."""
    changed = {}
    for name, value in params.items():
        if value is None:
            if name in st.query_params:
                del st.query_params[name]
            continue
        text = _to_text(value)
        if st.query_params.get(name) != text:
            changed[name] = text
    if changed:
        st.query_params.update(changed)


def url_toggle(label: str, key: str, param: str, help: str | None = None) -> bool:
    """A toggle (session key `key`), off unless the URL says ?<param>=1, mirrored to the URL while on."""
    init_from_url(key, False, param, parse_bool)
    on = bool(st.toggle(label, key=key, help=help))
    publish_flag(param, on)
    return on


def publish_flag(param: str, on: bool) -> None:
    """?<param>=1 in the URL while `on`, no such parameter otherwise."""
    publish(**{param: True if on else None})


def word_param(tokens: list[str], i: int) -> str:
    """The URL form of token i: "it" for the first "it", "the~2" for the second "the", so a link picks the same one."""
    k = tokens[: i + 1].count(tokens[i])
    return tokens[i] if k == 1 else f"{tokens[i]}~{k}"


def word_index(tokens: list[str], text: str) -> int | None:
    """The inverse of word_param (falling back to a case-insensitive match); None when the word is not there."""
    word, _, k = text.rpartition("~")
    if not (word and k.isdigit()):
        word, k = text, "1"
    hits = [i for i, t in enumerate(tokens) if t == word] or [i for i, t in enumerate(tokens) if t.lower() == word.lower()]
    return hits[int(k) - 1] if 1 <= int(k) <= len(hits) else None


def _to_text(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


# Parsers for `init_from_url`: each returns None for a value that makes no sense, and the default is used instead.
def parse_bool(text: str) -> bool | None:
    return {"1": True, "true": True, "on": True, "0": False, "false": False, "off": False}.get(text.strip().lower())


def parse_choice(options: Iterable[Any]) -> Callable[[str], Any]:
    options = list(options)

    def parse(text: str) -> Any:
        return next((o for o in options if _to_text(o) == text), None)

    return parse


def parse_int(lo: int, hi: int) -> Callable[[str], int | None]:
    def parse(text: str) -> int | None:
        value = int(text)
        return value if lo <= value <= hi else None

    return parse


def parse_float(lo: float, hi: float) -> Callable[[str], float | None]:
    def parse(text: str) -> float | None:
        value = float(text)
        return value if lo <= value <= hi else None  # NaN fails both comparisons

    return parse


def parse_text(max_chars: int) -> Callable[[str], str | None]:
    def parse(text: str) -> str | None:
        return text[:max_chars]

    return parse


# ---- the learner's sentence, carried between the pages that read one (Self-attention, Multi-head, ...) -------------
SHARED_SENTENCE = "shared_sentence"


def init_sentence(key: str, default: str, param: str, parse: Callable[[str], Any], max_chars: int | None = None) -> bool:
    """Start text widget `key`: on a session's first run like `init_from_url` (a shared link's sentence, else
    `default`); after that, the sentence the learner last typed on any page, so it follows them from page to page.
    Returns True when the sentence came from another page."""
    shared = st.session_state.get(SHARED_SENTENCE)
    seen = f"{key}__shared"  # the shared sentence as this page last saw it
    carried = shared is not None and st.session_state.get(key) != shared and (
        key not in st.session_state or st.session_state.get(seen) != shared)
    if carried:
        st.session_state[key] = shared[:max_chars]
    init_from_url(key, default, param, parse)
    st.session_state[seen] = shared
    return carried


def share_sentence(key: str) -> None:
    """After the widget ran: its text is now the learner's sentence, for the other pages."""
    st.session_state[SHARED_SENTENCE] = st.session_state[f"{key}__shared"] = st.session_state[key]
