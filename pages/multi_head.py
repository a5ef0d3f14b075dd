"""Multi-head attention: several small heads read the same sentence, each following a different kind of link."""

from playground.routing import run_inside_entry

run_inside_entry()  # first, before the page's own imports: see playground/routing.py

import numpy as np
import streamlit as st

from lessons.embeddings import MAX_TOKENS, prepare
from lessons.guess import hide_row
from lessons.heads import HAND_BUILT, N_FEATURES, column_names, multi_head_multiply_adds, multi_head_parameters
from playground import guess
from playground import multi_head_ui as ui
from playground.deep_dive import math_link
from playground.export import chart, chart_on_request, matrix_download
from playground.figures.multi_head import (
    COST_MIN_PX,
    OUTPUT_PATH_MIN_PX,
    cost_chart,
    grid_numbers,
    head_grid,
    head_grid_cell,
    output_path,
    word_panel,
)
from playground.folded import folded, optional_place
from playground.layout_css import chart_min_widths
from playground.learning_ui import honesty_note, trained_heads
from playground.self_attention_ui import unknown_words_ui
from playground.state import publish
from playground.texts import multi_head as text
from playground.texts.self_attention import unspaced_note

# ---- read the controls -----------------------------------------------------------------------------------------
st.title("Multi-head attention")
st.markdown(text.INTRO)
settings, word_slot = ui.controls()
prepared = prepare(settings.text)
tokens = prepared.tokens
if not tokens:
    publish(**ui.url_params(settings))
    st.info(text.EMPTY)
    st.stop()
with optional_place():
    if prepared.truncated:
        st.warning(text.truncated(prepared.n_original, MAX_TOKENS))
focus = ui.word_ui(word_slot, tokens)
with optional_place():
    unknown_words_ui(tokens)  # next to the tokens: what the vectors are
    if unspaced := unspaced_note(tokens):
        st.caption(unspaced)
publish(**ui.url_params(settings, tokens, focus))

# ---- compute: x [n, d_model] -> every head's weights -> concat -> W_O -------------------------------------------
n_heads, d_model = settings.n_heads, settings.d_model
_, infos = ui.heads_for(d_model, n_heads, settings.seed, settings.hand_built)
x, result, entropy = ui.run_layer(tuple(tokens), d_model, n_heads, settings.seed, settings.hand_built,
                                  settings.positions)
n, d_head, word = len(tokens), d_model // n_heads, tokens[focus]
even = float(np.log2(n))  # bits of an even spread over n words
titles = [text.head_title(i, info.name) for i, info in enumerate(infos)]
mean_entropy = entropy.mean(axis=1)  # [h]
rows = result.weights[:, focus, :]  # [h, n]: the followed word's row in each head
row_entropy = entropy[:, focus]  # [h]
top = rows.argmax(axis=1)  # [h]
top_share = rows[np.arange(n_heads), top]  # [h]
out_row = result.output[focus, :N_FEATURES]  # [16]: the followed word's new feature columns
strongest = int(np.argmax(np.abs(out_row)))
params_by_h = [multi_head_parameters(d_model, h) for h in ui.HEAD_CHOICES]
madds_by_h = [multi_head_multiply_adds(n, d_model, h) for h in ui.HEAD_CHOICES]
full_width = sum(multi_head_parameters(d_model, ui.HEAD_CHOICES[-1], d_head=d_model).values())
now = ui.HEAD_CHOICES.index(n_heads)
totals = {d: [sum(multi_head_parameters(d, h).values()) for h in ui.HEAD_CHOICES] for d in ui.D_MODEL_CHOICES}

# ---- every head on the same sentence ---------------------------------------------------------------------------
st.header("Every head reads the same sentence")
head, pick = 0, None
if guess.switch("mh"):  # guess first: the followed word's row stays hidden in every head until the learner guesses
    head = ui.guess_head_ui(titles)
    pick = guess.ask("mh", (tuple(tokens), focus, settings, head), rows[head], tokens, word,
                     where=f" in {titles[head]}")
    if pick:  # the verdict right under the choices, where the learner is looking
        st.markdown(guess.verdict(pick, rows[head], tokens, word))
hidden = st.session_state.mh_guess and pick is None
box = folded(r"How a word becomes a row of $d_\text{model}$ numbers, and how the hand-built heads work", "mh_explainer_box")
if box.open:
    box.markdown(text.input_explainer(d_model, N_FEATURES, settings.positions))
name = ("multi-head", f"{n_heads}-heads", f"d-model-{d_model}", word)
grid = head_grid(hide_row(result.weights, focus) if hidden else result.weights, tokens, titles, highlight_row=focus)
chart(guess.mark_cell(grid, *head_grid_cell(n_heads, n, head, focus, pick.pick)) if pick else grid,
      (*name[:3], "all-heads"), key="mh_grid")
if not hidden:  # the file would give the hidden row away
    matrix_download(result.weights, tokens, tokens, (*name[:3], "all-heads"), key="mh_grid_csv", blocks=titles,
                    label="Download every head's weights (CSV)")
st.caption(text.grid_caption(titles, mean_entropy, int(np.argmin(mean_entropy)), int(np.argmax(mean_entropy)), n,
                             even, row_numbers=word if grid_numbers(n_heads, n, n, focus) == "row" and not hidden else None))
with optional_place():
    if settings.hand_built:
        honesty_note("head")
with optional_place():
    if settings.trained:
        st.subheader(text.TRAINED_HEADER)
        trained_heads(settings.text, "mh_trained_grid")

# ---- one word, every head --------------------------------------------------------------------------------------
st.header(text.word_header(word))
if hidden:
    st.stop()
if chart_on_request(text.SHOW_WORD, "mh_show_word", "word_chart"):  # the grid's outlined rows, with entropy bars
    chart(word_panel(rows, row_entropy, tokens, titles, word=word, even_bits=even), name, key="mh_word_heads")
matrix_download(rows, titles, tokens, name, key="mh_word_csv", label=text.WORD_CSV)
st.markdown(text.word_summary(word, titles, [tokens[j] for j in top], top_share))
st.markdown(text.head_table([info.kind for info in infos], [info.looks_for for info in infos],
                            [tokens[j] for j in top], top_share, row_entropy))
st.caption(text.entropy_caption(n, even))

# ---- the path to the output ------------------------------------------------------------------------------------
st.header("From heads to output: concatenate, then mix with $W_O$")
st.markdown(text.output_steps(n, d_model, N_FEATURES, n_heads, d_head, result.concat.shape, result.output.shape))
chart_min_widths({"mh_path": OUTPUT_PATH_MIN_PX, "mh_cost": COST_MIN_PX})
if chart_on_request(text.SHOW_PATH, "mh_show_path", "path"):
    chart(output_path(result.concat, result.output, tokens, n_heads=n_heads, column_names=column_names(d_model),
                      n_features=N_FEATURES), (*name[:3], "concat-and-output"), key="mh_path")
st.caption(text.output_caption(word, column_names(d_model)[strongest], out_row[strongest],
                               x[focus, :N_FEATURES][strongest]))

# ---- cost ------------------------------------------------------------------------------------------------------
st.header("Same cost, whatever the number of heads")
st.markdown(text.cost_summary(d_model, n, sum(params_by_h[now].values()), sum(madds_by_h[now].values()),
                              ui.HEAD_CHOICES[-1], full_width))
st.markdown(text.cost_table(ui.HEAD_CHOICES, totals))
if chart_on_request(text.SHOW_COST, "mh_show_cost", "cost"):
    chart(cost_chart(ui.HEAD_CHOICES, params_by_h, madds_by_h, d_model=d_model, n=n),
          ("multi-head", "cost", f"d-model-{d_model}", f"n-{n}"), key="mh_cost")

# ---- what to notice --------------------------------------------------------------------------------------------
st.header("What to notice")
st.markdown(text.what_to_notice([spec.info.name for spec in HAND_BUILT[:n_heads]] if settings.hand_built else []))
math_link("multi-head-attention")
