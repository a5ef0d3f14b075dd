"""Shared by the bottleneck and reordering pages: the trained translators loaded once per server (and again when
the weights on disk change), their held-out evaluation cached, the sentence builder's drop-downs, the translation
cards and the typed-sentence checks."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import NamedTuple

import numpy as np
import streamlit as st

from lessons.seq2seq_views import (
    FairComparison,
    LengthAccuracy,
    LengthBleu,
    bleu_per_bucket,
    compare_models,
    exact_match,
    exact_match_counts,
    mark_words,
    mistakes,
    model_facts,
)
from models import seq2seq, toy_tamil
from models.rnn import elman_influence_curve
from models.seq2seq.stored import sentence_bleu, stored_bleu, stored_exact

from .texts import seq2seq as text

SLOT_NAMES = tuple(s.name for s in toy_tamil.builder_slots())
NONE = "-"  # toy_tamil's key for "leave this slot empty"


# ---------------------------------------------------------------------------------------------------------------
# Models and cached work. Every cached function takes the weights' fingerprint first, so re-trained weights on
# disk are picked up on the next rerun instead of being hidden behind an old cache entry.


def weights_fingerprint() -> tuple:
    """(name, path, size, mtime) of each shipped weights file, None for a missing one: a cache key that changes when
    the weights are re-trained, so a page never shows numbers from weights that are no longer on disk."""
    out = []
    for name in seq2seq.MODEL_NAMES:
        path = seq2seq.weights_path(name)
        try:
            info = os.stat(path)
            out.append((name, str(path), info.st_size, info.st_mtime_ns))
        except OSError:
            out.append((name, str(path), None, None))
    return tuple(out)


# The two spinners show on a fresh server's first visit only (a cache miss): before, the page showed its intro
# alone for ~3 s with no sign that anything was coming.
@st.cache_resource(show_spinner="Loading the two trained translators (first visit to this server only) …", max_entries=2)
def _load(fingerprint: tuple) -> dict[str, seq2seq.Seq2Seq]:
    return seq2seq.load_models()


class Models(NamedTuple):
    fingerprint: tuple
    by_name: dict[str, seq2seq.Seq2Seq] | None  # None when the weights could not be loaded
    error: str | None


def load_models() -> Models:
    """Both shipped models, or the loader's message when a weights file is missing or corrupt."""
    fp = weights_fingerprint()
    try:
        return Models(fp, _load(fp), None)
    except seq2seq.WeightsError as exc:
        return Models(fp, None, str(exc))


@st.cache_data(show_spinner=False, max_entries=4)
def held_out_accuracy(fingerprint: tuple, name: str) -> LengthAccuracy:
    """Exact match per length and per bucket of one model on the whole held-out set: from the evaluation shipped
    with the weights (models/weights/evaluation.json) when it was made from these very weights, otherwise
    translated here, once per server (a few seconds, under the page's spinner)."""
    test = toy_tamil.held_out_set()
    shipped = stored_exact(name, test)
    if shipped is not None:
        return exact_match_counts(test, shipped)
    outputs = seq2seq.translate_batch(_load(fingerprint)[name], [s.source for s in test])
    return exact_match(test, outputs)


@st.cache_data(show_spinner=False, max_entries=4)
def held_out_bleu(fingerprint: tuple, name: str) -> LengthBleu:
    """Corpus BLEU per length bucket of one model on the held-out set: from the shipped evaluation when it was made
    from these weights, otherwise translated here once per server."""
    test = toy_tamil.held_out_set()
    shipped = stored_bleu(name, test)
    if shipped is None:
        outputs = seq2seq.translate_batch(_load(fingerprint)[name], [s.source for s in test])
        shipped = sentence_bleu(outputs, test)
    return bleu_per_bucket(test, shipped)


@st.cache_data(show_spinner=False, max_entries=2)
def fair_comparison(fingerprint: tuple) -> FairComparison:
    """Both models' sizes, parameter counts and saved training settings, side by side."""
    models = _load(fingerprint)
    facts = {n: model_facts(m, seq2seq.training_settings(seq2seq.weights_path(n))) for n, m in models.items()}
    return compare_models(facts["attention"], facts["no_attention"])


@st.cache_data(show_spinner=False, max_entries=512)
def trained_influence(fingerprint: tuple, name: str, tokens: tuple[str, ...]) -> np.ndarray:
    """‖∂h_n/∂x_t‖ of one trained encoder for every position of `tokens`."""
    return seq2seq.encoder_input_influence(_load(fingerprint)[name], tokens)


@st.cache_data(show_spinner=False, max_entries=512)
def random_influence(n: int, rho: float) -> np.ndarray:
    """‖∂h_n/∂x_t‖ of the random Elman RNN with spectral radius rho, over n random inputs."""
    return elman_influence_curve(n, rho)


@st.cache_data(show_spinner=False, max_entries=512)
def translation(fingerprint: tuple, name: str, tokens: tuple[str, ...]) -> seq2seq.Translation:
    return seq2seq.translate(_load(fingerprint)[name], tokens)


@st.cache_data(show_spinner=False, max_entries=512)
def attention_states(fingerprint: tuple, tokens: tuple[str, ...]) -> seq2seq.AttentionStates:
    """The attention model's annotations, its queries s_{i-1} and weights for its own translation of `tokens`."""
    return seq2seq.attention_states(_load(fingerprint)["attention"], tokens)


# ---------------------------------------------------------------------------------------------------------------
# The sentence builder


def encode_slots(chosen: Mapping[str, str]) -> str:
    """Slots -> the URL's compact form: every slot's key in builder order, comma-separated."""
    return ",".join(chosen.get(name, NONE) for name in SLOT_NAMES)


def parse_slots(raw: str) -> dict[str, str] | None:
    """The URL's form -> slots, or None unless it names a grammatical clause."""
    parts = raw.split(",")
    if len(parts) != len(SLOT_NAMES):
        return None
    chosen = dict(zip(SLOT_NAMES, parts, strict=True))
    try:
        toy_tamil.build(chosen)
    except ValueError:
        return None
    return chosen


def _label(option: toy_tamil.Option) -> str:
    if not option.tamil:
        return option.english
    return f"{option.english} · {' '.join(option.tamil)}"


def sentence_builder(prefix: str, param: str, default: Mapping[str, str]) -> dict[str, str]:
    """One clause's drop-downs, each offering only what keeps the clause grammatical given the slots before it
    (so every choice builds a sentence). Seeded from the URL's `param` when it holds a grammatical clause.
    Slots with a single possible value are not shown. Returns the chosen slots."""
    start = parse_slots(st.query_params.get(param, "")) or {**{n: NONE for n in SLOT_NAMES}, **default}
    chosen: dict[str, str] = {}
    columns: list = []
    shown = 0
    for name, label in ((s.name, s.label) for s in toy_tamil.builder_slots()):
        options = toy_tamil.slot_options(name, chosen)
        keys = [o.key for o in options]
        if len(keys) == 1:
            chosen[name] = keys[0]
            continue
        key = f"{prefix}_slot_{name}"
        if key in st.session_state and st.session_state[key] not in keys:
            # an earlier choice ruled this value out (past tense and "by tomorrow"): fall back to the first option
            st.session_state[key] = keys[0]
        elif key not in st.session_state:
            st.session_state[key] = start.get(name) if start.get(name) in keys else keys[0]
        labels = {o.key: _label(o) for o in options}
        if shown % 4 == 0:  # a new row of four: reading order and keyboard (Tab) order both go across the rows
            columns = st.columns(4)
        columns[shown % 4].selectbox(label, keys, key=key, format_func=labels.__getitem__)
        shown += 1
        chosen[name] = st.session_state[key]
    return chosen


# ---------------------------------------------------------------------------------------------------------------
# Blocks of widgets and text the pages share


def translation_cards(outputs: Mapping[str, seq2seq.Translation], reference: tuple[str, ...]) -> None:
    """Side by side, one bordered card per model: its translation with wrong words struck through and flagged ✗,
    and a ✓/✗ verdict against the reference."""
    for column, (name, out) in zip(st.columns(len(outputs)), outputs.items(), strict=True):
        marked = mark_words(out.tokens, reference)
        card = column.container(border=True)
        card.markdown(text.card_title(name))
        card.markdown(text.marked_markdown(marked))
        card.markdown(text.verdict(*mistakes(marked)))
    st.caption(text.CARDS_CAPTION)


def typed_sentence(raw: str, max_chars: int) -> tuple[tuple[str, ...], toy_tamil.Sentence | None]:
    """A typed Tamil sentence -> (tokens to translate, the Sentence with its reference or None).

    Says why on the page when nothing can be translated: empty, longer than the models' limit (stated), or words
    outside the vocabulary (each named). Known words outside the grammar are translated, without a reference."""
    if len(raw) > max_chars:
        st.warning(text.cut_warning(max_chars))
    typed = toy_tamil.tokenize(raw[:max_chars])
    if not typed.tokens:
        st.info(text.type_hint(toy_tamil.BLOG_SOURCE))
        return (), None
    if len(typed.tokens) > typed.max_len:
        st.warning(text.too_long_warning(len(typed.tokens), typed.max_len))
        return (), None
    if typed.unknown:
        st.warning(text.unknown_words_warning(typed.unknown))
        vocabulary = toy_tamil.source_vocabulary()
        st.expander(text.vocabulary_title(len(vocabulary))).markdown(
            text.vocabulary(vocabulary, [toy_tamil.gloss(w) for w in vocabulary]))
        return (), None
    try:
        return typed.tokens, toy_tamil.parse(typed.tokens)
    except ValueError as exc:
        st.info(text.outside_grammar(str(exc)))
        return typed.tokens, None
