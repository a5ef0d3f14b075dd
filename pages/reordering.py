"""Reordering: Tamil is verb-final, English is not; with attention the decoder reads the source in English order."""

import numpy as np
import streamlit as st

from attention_core import toy_tamil
from attention_core.seq2seq_views import (
    SCORINGS,
    mark_words,
    naive_alignment,
    order_jumps,
    pick_sentence,
    reading_guide,
    score_with,
    scoring_summary,
)
from playground import seq2seq_ui as ui
from playground.seq2seq_charts import alignment_heatmap
from playground.state import parse_bool, parse_choice, parse_int, parse_text, publish, seed
from playground.text import pct, quoted

SOURCES = {"blog": "the blog's sentence", "build": "build one", "test": "a held-out sentence", "type": "type Tamil"}
MAX_CHARS = 600  # typed text beyond this is cut before tokenizing, with a warning
LENGTHS = (3, toy_tamil.MAX_SOURCE_LEN)

st.title("Word order: reading the source out of order")
st.markdown(
    "The second thing that breaks in word-by-word translation is order. Tamil puts the verb at the end and the "
    "question marker after it, so reading left to right gives *by tomorrow that report send can-you?*, while English "
    "wants *can you send the report by tomorrow*. A decoder with attention is free to look at any source word at each "
    "step; below, a tiny model trained in NumPy shows where it actually looks."
)

models = ui.load_models()
if models.error:
    st.error(f"The trained translator could not be loaded, so this page cannot show its attention; every other page "
             f"works as usual. The loader said: {models.error}")
    st.stop()

# ---------------------------------------------------------------------------------------------------------------
seed("ro_src", "blog", "src", parse_choice(SOURCES))
st.radio("Sentence", list(SOURCES), key="ro_src", format_func=SOURCES.__getitem__, horizontal=True)
source_kind = st.session_state.ro_src
params: dict = {"src": source_kind}
sentence: toy_tamil.Sentence | None = None  # with its reference translation
tokens: tuple[str, ...] = ()

if source_kind == "blog":
    sentence = toy_tamil.build(toy_tamil.BLOG_SLOTS)
elif source_kind == "build":
    slots = ui.sentence_builder("ro", "slots", toy_tamil.BLOG_SLOTS)
    sentence = toy_tamil.build(slots)
    params["slots"] = ui.encode_slots(slots)
elif source_kind == "test":
    seed("ro_len", 8, "len", parse_int(*LENGTHS))
    seed("ro_pick", 0, "pick", parse_int(0, 10_000))
    left, right = st.columns([3, 2])
    left.slider("Source length, in Tamil tokens", *LENGTHS, key="ro_len")

    def _next_sentence() -> None:
        st.session_state.ro_pick += 1

    right.button("Another held-out sentence", key="ro_another", on_click=_next_sentence, icon=":material/shuffle:")
    sentence = pick_sentence(toy_tamil.held_out_set(), st.session_state.ro_len, st.session_state.ro_pick)
    params.update(len=st.session_state.ro_len, pick=st.session_state.ro_pick)
    if sentence is None:
        st.info(f"The held-out set has no sentence of {st.session_state.ro_len} tokens; pick another length.")
else:
    seed("ro_text", " ".join(toy_tamil.BLOG_SOURCE), "text", parse_text(MAX_CHARS))
    st.text_input("A Tamil sentence of the toy language, words separated by spaces", key="ro_text",
                  help=f"At most {toy_tamil.MAX_SOURCE_LEN} tokens, from the toy language's vocabulary.")
    text = st.session_state.ro_text
    params["text"] = text[:MAX_CHARS]
    if len(text) > MAX_CHARS:
        st.warning(f"Only the first {MAX_CHARS} characters are read.")
    typed = toy_tamil.tokenize(text[:MAX_CHARS])
    if not typed.tokens:
        st.info("Type a few Tamil words separated by spaces, for example: " + " ".join(toy_tamil.BLOG_SOURCE))
    elif len(typed.tokens) > typed.max_len:
        st.warning(f"That is {len(typed.tokens)} tokens; the models were trained on sentences of at most "
                   f"{typed.max_len} tokens, so longer ones are refused. Shorten it, or split it in two.")
    elif typed.unknown:
        shown = ", ".join(quoted(t if len(t) <= 30 else t[:29] + "…") for t in typed.unknown[:12])
        shown += " …" if len(typed.unknown) > 12 else ""
        st.warning(f"Not in the toy language's vocabulary ({len(typed.unknown)} of them): {shown}. "
                   "The model knows only the words the sentence builder offers; nothing is translated until "
                   "every word is one of them.")
    else:
        tokens = typed.tokens
        try:
            sentence = toy_tamil.parse(tokens)
        except ValueError as exc:
            st.info(f"All words are known, but this is not a sentence of the toy grammar ({exc}), so there is no "
                    "reference translation to compare with. The model translates it anyway.")

if sentence is not None:
    tokens = sentence.source
publish(**params)
if not tokens:
    st.stop()

glosses = tuple(toy_tamil.gloss(t) for t in tokens)
states = ui.attention_states(models.fingerprint, tokens)
output, weights = states.target, states.weights

st.markdown(
    "| | " + " | ".join(str(i + 1) for i in range(len(tokens))) + " |\n"
    + "|---" * (len(tokens) + 1) + "|\n"
    + "| **Tamil** | " + " | ".join(tokens) + " |\n"
    + "| *gloss* | " + " | ".join(f"*{g}*" for g in glosses) + " |"
)
if sentence is not None:
    marked = mark_words(output, sentence.english)
    verdict = "✓ exactly the reference" if output == sentence.english else "✗ differs from the reference"
    st.markdown(f"**Model's translation:** {ui.marked_markdown(marked)} — {verdict}  \n"
                f"**Reference:** {' '.join(sentence.english)}")
else:
    st.markdown(f"**Model's translation:** {' '.join(output) or '*(nothing)*'}")
if not output:
    st.info("The model wrote nothing for this sentence, so there is no attention to show.")
    st.stop()

# ---------------------------------------------------------------------------------------------------------------
st.header("Where the model looks, against reading left to right")
naive = naive_alignment(len(output), len(tokens))
learned_col, naive_col = st.columns(2)
with learned_col:
    st.plotly_chart(alignment_heatmap(weights, output, tokens, glosses, title="Learned attention (trained model)"),
                    key="ro_learned")
with naive_col:
    st.plotly_chart(alignment_heatmap(naive, output, tokens, glosses,
                                      title="Naive alignment: left to right, one word after another"),
                    key="ro_naive")

guide = reading_guide(weights, output)
naive_cols = naive.argmax(axis=1)
same = sum(line.source == int(naive_cols[i]) for i, line in enumerate(guide))
jumps = order_jumps(weights)
st.markdown(
    f"Of the {len(output)} English words, **{same}** look mostly at the Tamil word a left-to-right reading would give "
    f"them and **{len(output) - same}** look elsewhere. Moving from one English word to the next, the model's main "
    f"focus jumps back towards the start of the Tamil sentence **{jumps}** time{'s' if jumps != 1 else ''}."
)
st.subheader("Reading guide")


def _guide_line(i: int, line) -> str:
    text = (f"{i + 1}. {quoted(line.word)} looks mostly at **{tokens[line.source]}** ({glosses[line.source]}), "
            f"word {line.source + 1}: {pct(line.weight)}")
    if line.weight < 0.5 and line.runner_up >= 0:
        text += (f"; next comes {tokens[line.runner_up]} ({glosses[line.runner_up]}) with "
                 f"{pct(line.runner_up_weight)}")
    return text


st.markdown("\n".join(_guide_line(i, line) for i, line in enumerate(guide)))
first = guide[0]
in_order = jumps == 0 and same == len(output)
opening = "Here the learned matrix happens to follow the Tamil order." if in_order else "The learned matrix is not a diagonal."
notice = (f"**What to notice.** {opening} {quoted(first.word)}, the first English word, "
          f"takes its attention from Tamil word {first.source + 1} of {len(tokens)}")
readers_of_first = [i for i, line in enumerate(guide) if line.source == 0]
if readers_of_first:
    i = readers_of_first[-1]
    notice += (f", and the sentence's first Tamil word, {tokens[0]}, is read mostly while writing "
               f"{quoted(guide[i].word)}, English word {i + 1} of {len(output)}")
flattest = min(range(len(guide)), key=lambda i: guide[i].weight)
notice += (f". Nobody told the model where the words are; it found the alignment because translating needed it. "
           f"English words without a Tamil word of their own have spread-out rows: the flattest here is "
           f"{quoted(guide[flattest].word)}, whose top Tamil word gets only {pct(guide[flattest].weight)}.")
st.markdown(notice)

# ---------------------------------------------------------------------------------------------------------------
st.header("Three ways to score a match, on the same states")
st.markdown(
    "Attention needs a score for how well the decoder's state (the query) matches each encoder state (the key). "
    "The model was trained with Bahdanau's additive score, a small learned network. Luong's dot product and the "
    "Transformer's scaled dot product use no parameters at all. Here all three score the very same "
    f"{len(output)} decoder states against the same {len(tokens)} encoder states of {states.encoder.shape[1]} "
    "numbers each."
)
seed("ro_raw", False, "raw", parse_bool)
st.toggle("Show the raw scores instead of the weights", key="ro_raw")
raw = bool(st.session_state.ro_raw)
publish(raw=raw)
results = {name: score_with(models.by_name["attention"], states, name) for name in SCORINGS}
columns = st.columns(len(SCORINGS))
for column, name in zip(columns, SCORINGS):
    res = results[name]
    matrix = res.scores if raw else res.weights
    with column:
        st.plotly_chart(alignment_heatmap(matrix, output, tokens, glosses, title=f"{name} score",
                                          kind="scores" if raw else "weights", compact=True),
                        key=f"ro_score_{name.replace(' ', '_')}")
summaries = {name: scoring_summary(results[name], results["additive"]) for name in SCORINGS}
add, dot, scaled = (summaries[n] for n in SCORINGS)
sqrt_h = float(np.sqrt(states.encoder.shape[1]))
st.markdown(
    f"- **additive** (trained): on average **{pct(add.mean_top_weight)}** of a row's attention goes to its "
    f"top Tamil word; scores within a row span **{add.score_spread:.1f}**.\n"
    f"- **dot**: scores span **{dot.score_spread:.1f}** per row, so softmax gives the top word "
    f"**{pct(dot.mean_top_weight)}** on average; it picks the same top word as the trained score for "
    f"**{dot.agree} of {dot.rows}** English words.\n"
    f"- **scaled dot** (÷ √{states.encoder.shape[1]} ≈ {sqrt_h:.1f}): the same ranking as dot, but the spread "
    f"shrinks to **{scaled.score_spread:.1f}** and the top word gets **{pct(scaled.mean_top_weight)}**; "
    f"same top word as the trained score for **{scaled.agree} of {scaled.rows}**."
)
same_winner = int(np.sum(results["dot"].weights.argmax(axis=1) == results["scaled dot"].weights.argmax(axis=1)))
st.markdown(
    f"**What to notice.** Dividing by √d changes how sharp the weights are, not which word wins: dot and scaled dot "
    f"pick the same top Tamil word for {same_winner} of {len(output)} English words. Without training, a dot "
    f"product rewards encoder states that *resemble* the decoder's state, and resembling is not the same as being "
    f"the word needed next: here the plain dot product matches the trained choice for {dot.agree} of {dot.rows} "
    "words. In a Transformer, learned projections W_Q and W_K in front of the dot product do the job of "
    "Bahdanau's small network."
)
