"""Bottleneck: a recurrent encoder must fold the whole sentence into its final state, and long sentences suffer."""

import streamlit as st

from attention_core import toy_tamil
from attention_core.seq2seq_views import decay_per_step, mark_words, pick_sentence
from playground import seq2seq_ui as ui
from playground.seq2seq_charts import accuracy_chart, alignment_heatmap, influence_chart
from playground.state import parse_choice, parse_float, parse_int, publish, seed
from playground.text import pct

LENGTHS = (3, toy_tamil.MAX_SOURCE_LEN)
RHO = (0.5, 1.5)
SOURCES = {"test": "a held-out sentence of the length above", "build": "a sentence I build"}
LABELS = {"no_attention": "without attention", "attention": "with attention"}

st.title("The bottleneck: a whole sentence in one vector")
st.markdown(
    "The first thing that breaks in word-by-word translation is memory. A recurrent encoder reads the Tamil "
    "sentence one token at a time and hands the decoder a single vector, its final state h_n; everything the "
    "decoder will ever know about the sentence has to survive inside it. Bahdanau, Cho and Bengio (2014) found that "
    "translation quality collapses as sentences get longer, and that letting the decoder look back at every encoder "
    "state fixes it. Below, two tiny translators trained in NumPy on a toy Tamil→English language show both halves."
)

models = ui.load_models()
if models.error:
    st.error(
        "The trained translators could not be loaded, so this page shows only the random network; every other page "
        f"works as usual. The loader said: {models.error}"
    )
test_set = toy_tamil.held_out_set()

# ---------------------------------------------------------------------------------------------------------------
st.header("How much of each word reaches the final state?")
st.markdown(
    "For every input position t, ‖∂h_n/∂x_t‖ measures how much the final state moves when word t changes: computed "
    "exactly by backpropagation through every step. The blue curve is the trained encoder of the model "
    "*without* attention, on a held-out sentence; the red one a random RNN whose recurrent matrix you scale."
)
seed("bn_len", 20, "len", parse_int(*LENGTHS))
seed("bn_rho", 0.9, "rho", parse_float(*RHO))
seed("bn_pick", 0, "pick", parse_int(0, 10_000))
left, right = st.columns(2)
left.slider("Sentence length, in Tamil tokens", *LENGTHS, key="bn_len")
right.slider("Spectral radius ρ of the random RNN's recurrent matrix", *RHO, step=0.05, key="bn_rho",
             help="The largest |eigenvalue| of W_h. Below 1 each step shrinks what came before; above 1 it grows.")
n, rho = st.session_state.bn_len, float(st.session_state.bn_rho)


def _next_sentence() -> None:
    st.session_state.bn_pick += 1


left.button("Another held-out sentence of this length", key="bn_another", on_click=_next_sentence,
            icon=":material/shuffle:")
sentence = pick_sentence(test_set, n, st.session_state.bn_pick)

random_curve = ui.random_influence(n, rho)
trained_curve = None
if models.by_name and sentence is not None:
    trained_curve = ui.trained_influence(models.fingerprint, "no_attention", sentence.source)
st.plotly_chart(
    influence_chart(trained_curve, sentence.source if sentence else (), sentence.glosses if sentence else (),
                    random_curve, rho, trained_name="trained encoder (model without attention)"),
    key="bn_influence",
)

random_ratio = float(random_curve[0] / random_curve[-1])
random_step = decay_per_step(random_curve)
lines = [f"In the random RNN with ρ = {rho:.2f}, the first of the {n} words moves h_n "
         f"**{ui.ratio_text(random_ratio)}** as much as the last word does: a factor of **{random_step:.3f}** "
         f"per step back, on average."]
if trained_curve is not None:
    trained_ratio = float(trained_curve[0] / trained_curve[-1])
    strongest = int(trained_curve.argmax())
    lines.append(f"In the trained encoder the first word moves h_n **{ui.ratio_text(trained_ratio)}** as much as "
                 f"the last word (a factor of **{decay_per_step(trained_curve):.3f}** per step back); the word that "
                 f"moves it most is word {strongest + 1}, {sentence.source[strongest]} "
                 f"({sentence.glosses[strongest]}).")
st.markdown(" ".join(lines))
if sentence is not None:
    st.caption(f"The sentence (held-out, {n} tokens): {' '.join(sentence.source)} — "
               f"reference translation: “{' '.join(sentence.english)}”.")
st.markdown(
    "**What to notice.** Below ρ = 1 the red curve is close to a straight line on the log axis: each step back "
    "multiplies the influence by roughly the same factor, so early words fade geometrically. Above 1 the early "
    "words dominate instead and the state is ruled by noise from long ago. Neither keeps every word equally "
    "audible, and the trained encoder, too, hears its last words loudest."
)

# ---------------------------------------------------------------------------------------------------------------
st.header("Accuracy against sentence length")
if models.by_name:
    with st.spinner(f"Translating the {len(test_set):,} held-out sentences with both models (once per server) …"):
        accuracy = {name: ui.held_out_accuracy(models.fingerprint, name) for name in LABELS}
    st.plotly_chart(accuracy_chart({k: v.per_length for k, v in accuracy.items()}, marked_length=n),
                    key="bn_accuracy")
    buckets = list(accuracy["attention"].per_bucket)
    rows = ["| model | " + " | ".join(f"{b} tokens" for b in buckets) + " |", "|---" * (len(buckets) + 1) + "|"]
    for name, acc in accuracy.items():
        rows.append(f"| {LABELS[name]} | " + " | ".join(pct(acc.rate(b), 1) for b in buckets) + " |")
    st.markdown("\n".join(rows))
    no_att, att = accuracy["no_attention"], accuracy["attention"]
    first, last = buckets[0], buckets[-1]
    low, high = pct(min(att.rate(b) for b in buckets), 1), pct(max(att.rate(b) for b in buckets), 1)
    att_range = f"stays at **{low}** in every bucket" if low == high else f"stays between **{low}** and **{high}**"
    summary = (f"Without attention, exact match goes from **{pct(no_att.rate(first), 1)}** on {first}-token "
               f"sentences to **{pct(no_att.rate(last), 1)}** on {last}-token ones; with attention it {att_range}.")
    if n in att.per_length:
        summary += (f" Of the {att.per_length[n][1]} held-out sentences of exactly {n} tokens, the model with "
                    f"attention gets **{pct(att.rate(n), 1)}** right and the one without **{pct(no_att.rate(n), 1)}**.")
    st.markdown(summary)
    st.caption(f"Both models share the same GRU sizes and training; {len(test_set):,} held-out sentences that "
               "neither model saw in training, evaluated live from the shipped weights.")
else:
    st.info("No accuracy curve without the trained weights.")

# ---------------------------------------------------------------------------------------------------------------
st.header("Try it: both translators on one sentence")
seed("bn_src", "test", "src", parse_choice(SOURCES))
st.radio("Sentence", list(SOURCES), key="bn_src", format_func=SOURCES.__getitem__, horizontal=True)
if st.session_state.bn_src == "build":
    slots = ui.sentence_builder("bn", "slots", toy_tamil.BLOG_SLOTS)
    built = toy_tamil.build(slots)
    trial = built
    publish(len=n, rho=rho, pick=st.session_state.bn_pick, src="build", slots=ui.encode_slots(slots))
else:
    trial = sentence
    publish(len=n, rho=rho, pick=st.session_state.bn_pick, src="test")

if trial is None:
    st.info(f"The held-out set has no sentence of {n} tokens; pick another length.")
elif models.by_name:
    st.markdown(f"**Tamil** ({len(trial.source)} tokens): {' '.join(trial.source)}  \n"
                f"**Reference**: {' '.join(trial.english)}")
    outputs = {name: ui.translation(models.fingerprint, name, trial.source) for name in LABELS}
    columns = st.columns(2)
    for column, (name, out) in zip(columns, outputs.items()):
        marked = mark_words(out.tokens, trial.english)
        wrong = sum(m.status == "wrong" for m in marked)
        missing = sum(m.status == "missing" for m in marked)
        with column.container(border=True):
            st.markdown(f"**{LABELS[name].capitalize()}**")
            st.markdown(ui.marked_markdown(marked))
            if out.tokens == trial.english:
                st.markdown("✓ exactly the reference translation")
            else:
                st.markdown(f"✗ {ui.plural(wrong, 'wrong word')}, {ui.plural(missing, 'missing word')}")
    st.caption("~~struck~~ ✗ marks a word that is not in the reference at that place; [missing: …] a reference word "
               "the translation left out.")
    weights = outputs["attention"].weights
    if not len(outputs["attention"].tokens):
        st.info("The model with attention wrote nothing for this sentence, so it has no attention weights to show.")
        st.stop()
    st.plotly_chart(
        alignment_heatmap(weights, outputs["attention"].tokens, trial.source, trial.glosses,
                          title="Where the model with attention looked while writing each English word"),
        key="bn_try_heatmap",
    )
    tops = weights.argmax(axis=1)
    st.markdown(
        f"The model without attention had only h_n to go on. The one with attention put, on average, "
        f"**{pct(weights.max(axis=1).mean())}** of each step's attention on a single Tamil word, and visited "
        f"{len(set(tops.tolist()))} of the {len(trial.source)} source words as its main focus."
    )
else:
    st.info("The translations need the trained weights.")
