"""Multi-head attention: several small heads read the same sentence, each following a different kind of link."""

import numpy as np
import pandas as pd
import streamlit as st

from attention_core import MultiHeadParams, MultiHeadResult, multi_head_attention
from lessons.embeddings import MAX_TOKENS, PRESETS, embed, prepare
from lessons.heads import (
    D_MODEL_CHOICES,
    HAND_BUILT,
    HEAD_CHOICES,
    N_FEATURES,
    HeadInfo,
    attention_entropy,
    build_heads,
    column_names,
    default_focus,
    model_input,
    multi_head_multiply_adds,
    multi_head_parameters,
)
from playground.deep_dive import math_link
from playground.figures.multi_head import cost_chart, head_grid, output_path, word_panel
from playground.formatting import pct, quoted
from playground.routing import run_inside_entry
from playground.state import parse_bool, parse_choice, parse_int, parse_text, publish, seed, word_index, word_param

run_inside_entry()

DEFAULT_SENTENCE = "The cat sat on the mat because it was tired"
OWN = "(your own sentence)"
URL_TEXT_CHARS = 1000  # longest sentence kept in the address bar
FOCUSED = 0.4  # a head "clearly prefers" a word when it gives it at least this share
SEED_MAX = 9999


def short(word: str, n: int = 24) -> str:
    """A word for a caption: shortened with an ellipsis, then code-quoted so Markdown shows it as typed."""
    return quoted(word if len(word) <= n else word[: n - 1] + "…")


def head_title(i: int, info: HeadInfo) -> str:
    return f"head {i + 1} · {info.name}"


# ---- callbacks keep the example picker and the text box in step ------------------------------------------------
def _preset_changed() -> None:
    label = st.session_state.mh_preset
    if label in PRESETS:
        st.session_state.mh_text = PRESETS[label]


def _text_changed() -> None:
    text = st.session_state.mh_text
    st.session_state.mh_preset = next((label for label, s in PRESETS.items() if s == text), OWN)


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


st.title("Multi-head attention")
st.markdown(
    "One attention head gives each word a single set of weights, so it can follow only one kind of link at a time. "
    "Yet in *The cat sat on the mat because it was tired* the word *it* is tied to *cat* (what it stands for), "
    "to *was* (its verb) and to *tired* (what is said about it). A multi-head layer splits its width into h smaller "
    "heads, each with its own W_Q, W_K and W_V, runs them side by side, and mixes their answers with W_O. "
    "Below, some heads are **built by hand** so you can read what they do, and the rest are **seeded random**, "
    "like heads before training."
)

# ---- controls --------------------------------------------------------------------------------------------------
seed("mh_text", DEFAULT_SENTENCE, "sentence", parse_text(URL_TEXT_CHARS))
seed("mh_preset", next((label for label, s in PRESETS.items() if s == st.session_state.mh_text), OWN))
seed("mh_heads", 8, "heads", parse_choice(HEAD_CHOICES))
seed("mh_d_model", 64, "d_model", parse_choice(D_MODEL_CHOICES))
seed("mh_hand", True, "hand", parse_bool)
seed("mh_pos", True, "pos", parse_bool)
seed("mh_seed", 0, "seed", parse_int(0, SEED_MAX))

with st.container(border=True):
    left, right = st.columns([3, 2])
    left.text_input(f"Sentence (the first {MAX_TOKENS} words and punctuation marks are used)", key="mh_text",
                    on_change=_text_changed)
    right.selectbox("Or start from an example", [*PRESETS, OWN], key="mh_preset", on_change=_preset_changed)
    c1, c2, c3 = st.columns([2, 3, 3])
    c1.segmented_control("Heads h", HEAD_CHOICES, key="mh_heads", required=True)
    c2.segmented_control("Model width d_model", D_MODEL_CHOICES, key="mh_d_model", required=True)
    with c3:
        st.toggle(f"Hand-built heads (up to {len(HAND_BUILT)}, then random)", key="mh_hand")
        st.toggle("Position columns in the input", key="mh_pos")
    word_slot, seed_slot = st.columns([3, 2])
    seed_slot.number_input("Seed of the random heads", 0, SEED_MAX, step=1, key="mh_seed")

text = st.session_state.mh_text
n_heads, d_model = st.session_state.mh_heads, st.session_state.mh_d_model
hand_built, positions, seed_ = st.session_state.mh_hand, st.session_state.mh_pos, st.session_state.mh_seed
prepared = prepare(text)
tokens = prepared.tokens
settings = dict(heads=n_heads, d_model=d_model, hand=hand_built, pos=positions, seed=seed_)

if not tokens:
    publish(sentence=text[:URL_TEXT_CHARS], **settings)
    st.info("Type a sentence above, or pick an example, to see every head read it.")
    st.stop()
if prepared.truncated:
    st.warning(f"Your text has {prepared.n_original} words and punctuation marks; the first {MAX_TOKENS} are used.")

# The followed word: from the URL on a first visit, reset to a sensible one whenever the sentence changes.
if st.session_state.get("mh_tokens") != tokens:
    if "mh_tokens" not in st.session_state and "word" in st.query_params:
        chosen = word_index(tokens, st.query_params["word"])
    else:
        chosen = None
    st.session_state.mh_word = default_focus(tokens) if chosen is None else chosen
    st.session_state.mh_tokens = tokens
word_slot.selectbox("Word to follow (its row is outlined in red)", range(len(tokens)), key="mh_word",
                    format_func=lambda i: f"{tokens[i][:30]}  (word {i + 1})")
focus = st.session_state.mh_word
publish(sentence=text[:URL_TEXT_CHARS], word=word_param(tokens, focus), **settings)

# ---- the computation: x [n, d_model] -> every head's weights -> concat -> W_O ------------------------------------
_, infos = heads_for(d_model, n_heads, seed_, hand_built)
x, result, entropy = run_layer(tuple(tokens), d_model, n_heads, seed_, hand_built, positions)
d_head = d_model // n_heads
n = len(tokens)
even = float(np.log2(n))
titles = [head_title(i, info) for i, info in enumerate(infos)]
word = tokens[focus]

# ---- every head on the same sentence ---------------------------------------------------------------------------
st.header("Every head reads the same sentence")
with st.expander("How a word becomes a row of d_model numbers, and how the hand-built heads work"):
    st.markdown(
        f"Each word enters as **{d_model}** numbers. The first **{N_FEATURES}** are its readable features "
        "(noun, verb, pronoun, animate, fruit, company, …) from the playground's small lexicon. The other "
        f"**{d_model - N_FEATURES}** columns hold its position as a sinusoidal code"
        f"{' (switched off now: all zeros)' if not positions else ''}. The original Transformer *adds* the position code "
        "onto the embedding; here it gets its own columns, so a head that reads *pronoun* is not disturbed by "
        "position, and changing d_model only changes how many position columns there are.\n\n"
        "The hand-built heads are ordinary W_Q, W_K and W_V matrices with a few chosen non-zero entries:\n"
        "- **pronoun → noun**: the query reads the *pronoun* column, the key reads *noun* (plus a little *animate* "
        "and *person*). A pronoun scores nouns high; other words score everything alike and spread evenly.\n"
        "- **previous word**: the query reads the slow position columns and turns them back by one step (a fixed "
        "rotation), so it matches the key of the word before. It uses positions only, never the words.\n"
        "- **verb ↔ subject/object**: verbs score nouns and pronouns high, and nouns and pronouns score verbs.\n"
        "- **same topic**: query and key both read the topic columns (animate, person, fruit, company, …); a word "
        "scores words about the same kind of thing, itself included.\n\n"
        "Each hand-built head passes on (through W_V) the features it carries and W_O writes them back into the "
        "same feature columns. Random heads use seeded Gaussian matrices, the way a model starts before training."
    )
st.plotly_chart(head_grid(result.weights, tokens, titles, highlight_row=focus,
                          title=f"{n_heads} head{'s' if n_heads > 1 else ''} × {n}×{n} attention weights"),
                key="mh_grid")
mean_entropy = entropy.mean(axis=1)  # [h]
sharp, flat = int(np.argmin(mean_entropy)), int(np.argmax(mean_entropy))
spread = (f"Its rows average {mean_entropy[0]:.2f} bits of entropy" if n_heads == 1 else
          f"Sharpest head on average: {titles[sharp]} ({mean_entropy[sharp]:.2f} bits per row); most spread out: "
          f"{titles[flat]} ({mean_entropy[flat]:.2f} bits)")
st.caption(
    "Each panel is one head: row = the word looking, column = the word looked at; every row adds up to 100%. "
    f"{spread}. Spreading evenly over {n} words would be {even:.2f} bits."
)

# ---- one word, every head --------------------------------------------------------------------------------------
st.header(f"One word, every head: {word[:40]}")
rows = result.weights[:, focus, :]  # [h, n]: the followed word's row in each head
row_entropy = entropy[:, focus]  # [h]
st.plotly_chart(word_panel(rows, row_entropy, tokens, titles, word=word, even_bits=even), key="mh_word_heads")
top = rows.argmax(axis=1)  # [h]
clear = [i for i in range(n_heads) if rows[i, top[i]] >= FOCUSED]
vague = [i + 1 for i in range(n_heads) if i not in clear]
lines = [f"in {titles[i]}, {pct(rows[i, top[i]])} goes to {short(tokens[top[i]])}" for i in clear]
summary = f"{short(word)} looks at different words in different heads: " + "; ".join(lines) + "." if lines else ""
if vague:
    which = "Head " + str(vague[0]) if len(vague) == 1 else "Heads " + ", ".join(map(str, vague))
    summary += (f" {which} give{'s' if len(vague) == 1 else ''} no word as much as {pct(FOCUSED)}: "
                f"{short(word)}'s attention is spread thinly there.")
st.markdown(summary)
st.dataframe(
    pd.DataFrame({
        "head": [i + 1 for i in range(n_heads)],
        "kind": [info.kind for info in infos],
        "looks for": [info.looks_for for info in infos],
        "strongest key": [tokens[j] for j in top],
        "its weight": rows[np.arange(n_heads), top],
        "entropy (bits)": row_entropy,
    }),
    hide_index=True,
    column_config={"its weight": st.column_config.NumberColumn(format="percent"),
                   "entropy (bits)": st.column_config.NumberColumn(format="%.2f")},
    key="mh_table",
)
st.caption(
    f"Entropy measures how spread out a row is: 0 bits means all attention on one word, {even:.2f} bits "
    f"(log₂ {n}) means an even share for each of the {n} words."
)

# ---- the path to the output ------------------------------------------------------------------------------------
st.header("From heads to output: concatenate, then mix with W_O")
st.markdown(
    f"1. Input **x**: [{n}, {d_model}] ({N_FEATURES} feature columns + {d_model - N_FEATURES} position columns).\n"
    f"2. {'The head' if n_heads == 1 else f'Each of the {n_heads} heads'}: Q = x·W_Q, K = x·W_K, V = x·W_V, each "
    f"[{n}, {d_model}]·[{d_model}, {d_head}] → [{n}, {d_head}].\n"
    f"3. Weights = softmax(Q·Kᵀ / √{d_head}): [{n}, {n}] per head (the panels above); "
    f"head output = weights·V: [{n}, {d_head}].\n"
    f"4. Concatenate the head outputs side by side: [{n}, {n_heads}·{d_head}] = {list(result.concat.shape)}"
    f"{' (with one head there is nothing to put beside it)' if n_heads == 1 else ''}.\n"
    f"5. Output = concat·W_O: [{n}, {n_heads * d_head}]·[{n_heads * d_head}, {d_model}] → {list(result.output.shape)}, "
    "one new vector per word, mixing what all heads found."
)
st.plotly_chart(output_path(result.concat, result.output, tokens, n_heads=n_heads, column_names=column_names(d_model),
                            n_features=N_FEATURES), key="mh_path")
out_row = result.output[focus, :N_FEATURES]  # [16]: the followed word's new feature columns
strongest = int(np.argmax(np.abs(out_row)))
st.caption(
    f"After the layer, {short(word)}'s largest feature column is {short(column_names(d_model)[strongest])} "
    f"({out_row[strongest]:+.2f}); before, it was {x[focus, :N_FEATURES][strongest]:+.2f} in that column. "
    "A Transformer adds this output back onto x (the residual connection) before the next layer."
)

# ---- cost ------------------------------------------------------------------------------------------------------
st.header("Same cost, whatever the number of heads")
params_by_h = [multi_head_parameters(d_model, h) for h in HEAD_CHOICES]
full_params = [sum(multi_head_parameters(d_model, h, d_head=d_model).values()) for h in HEAD_CHOICES]
madds_by_h = [multi_head_multiply_adds(n, d_model, h) for h in HEAD_CHOICES]
st.plotly_chart(cost_chart(HEAD_CHOICES, params_by_h, madds_by_h, current=n_heads, d_model=d_model, n=n),
                key="mh_cost")
total = sum(params_by_h[HEAD_CHOICES.index(n_heads)].values())
madds = sum(madds_by_h[HEAD_CHOICES.index(n_heads)].values())
st.markdown(
    f"With d_model = {d_model}, W_Q, W_K, W_V and W_O hold **{total:,}** weights = 4 × {d_model}² "
    f"whether there is 1 head or {HEAD_CHOICES[-1]}: more heads means narrower heads (d_head = {d_model} / h), "
    f"not more work. For these {n} words the layer does **{madds:,}** multiply-adds "
    f"(4·n·d² + 2·n²·d = 4·{n}·{d_model}² + 2·{n}²·{d_model}) for every h. Had each of {HEAD_CHOICES[-1]} heads "
    f"kept the full width, it would need {full_params[-1]:,} weights, {full_params[-1] // total}× as many."
)
header = "| weights | " + " | ".join(f"h = {h}" for h in HEAD_CHOICES) + " |"
lines = [header, "|---" * (len(HEAD_CHOICES) + 1) + "|"]
lines += [f"| d_model = {d} | " + " | ".join(f"{sum(multi_head_parameters(d, h).values()):,}" for h in HEAD_CHOICES)
          + " |" for d in D_MODEL_CHOICES]
st.markdown("\n".join(lines))

# ---- what to notice --------------------------------------------------------------------------------------------
st.header("What to notice")
hand_names = ", ".join(spec.info.name for spec in HAND_BUILT[:n_heads]) if hand_built else ""
st.markdown(
    "- The same word gets **different answers from different heads**: follow *it* and compare the pronoun head "
    "with the previous-word head. Concatenating the heads keeps every answer; W_O then decides how to mix them.\n"
    "- **Hand-built heads are sharp, random heads are vague**: compare their entropies. Training is what turns "
    "random heads into useful ones; the hand-built heads show the kind of pattern training can find"
    + (f" (here: {hand_names})." if hand_names else ".") + "\n"
    "- Switch **position columns** off: the previous-word head loses its only clue and spreads evenly, while "
    "the word-based heads do not change. Attention by itself does not know word order.\n"
    "- Change **h**: the panels get narrower heads (d_head = d_model / h) but the cost bars stay level. "
    "With h = 1 a single head must choose one pattern.\n"
    "- Try your own sentence with a pronoun, or a word the lexicon does not know: unknown words get a fixed "
    "pseudo-random vector, so the hand-built heads mostly ignore them."
)
math_link("multi-head-attention")
