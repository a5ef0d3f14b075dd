"""Learning to attend: a small Transformer trained in NumPy names what "it" stands for, and one of its heads learned
to look there. The blog's pair, your own sentence, the snapshots of training, and a training of your own."""

from playground.routing import run_inside_entry

run_inside_entry()  # first, before the page's own imports: see playground/routing.py

import streamlit as st

from models import coreference as model
from playground import learning_ui as ui
from playground.export import chart, matrix_download
from playground.figures.learning import accuracy_curve, every_head, head_label, it_row, live_row
from playground.state import publish
from playground.texts import learning as text

config = model.Config()
layer, head = ui.shipped_head()
snaps = ui.snapshots()
steps = tuple(int(s.step) for s in snaps)

st.title(text.TITLE)
st.markdown(text.intro(config.n_layers, config.n_heads, config.d_model))

# ---- the blog's pair -----------------------------------------------------------------------------------------------
st.header(text.PAIR_HEADER)
pair = [ui.view(tuple(model.tokenize(s))) for s in model.BLOG_PAIR]
for i, (col, v) in enumerate(zip(st.columns(2, gap="large"), pair)):
    with col:
        st.markdown(f"*{model.BLOG_PAIR[i]}*")
        chart(it_row(v.it_row, v.tokens, title=f"“it” in {head_label(layer, head)}"),
              ("learning", "blog-pair", f"sentence-{i + 1}", f"layer-{layer + 1}-head-{head + 1}"), key=f"ln_pair_{i}")
        st.markdown(text.pair_caption(v.answer, v.answer_prob, layer, head, v.nouns, v.top))
st.markdown(text.pair_summary([v.answer for v in pair], [v.focus.word for v in pair],
                              [v.tokens[-1] for v in pair]))

# ---- your sentence -------------------------------------------------------------------------------------------------
st.header(text.BUILD_HEADER)
source, sentence, tokens, problem = ui.sentence_ui()
if tokens is None:
    st.error(problem)
else:
    mine = ui.view(tokens)
    chart(every_head(mine.weights, mine.tokens, (layer, head), mine.it_index), ("learning", "every-head", *tokens[:4]),
          key="ln_grid")
    n_layers, n_heads = mine.weights.shape[:2]
    matrix_download(mine.weights.reshape(n_layers * n_heads, *mine.weights.shape[2:]), mine.tokens, mine.tokens,
                    ("learning", "every-head", *tokens[:4]), key="ln_grid_csv", label=text.GRID_CSV,
                    blocks=[head_label(la, h) for la in range(n_layers) for h in range(n_heads)])
    st.markdown(text.grid_caption(layer, head, mine.answer, mine.answer_prob, mine.nouns, mine.top))
with st.expander("The model's vocabulary", expanded=tokens is None):
    st.markdown(text.vocabulary_list(model.vocabulary()))

# ---- how it formed -------------------------------------------------------------------------------------------------
st.header(text.FORMED_HEADER)
st.markdown(text.FORMED_INTRO)
k = ui.snapshot_slider(steps)
probe = tokens if tokens is not None else pair[0].tokens
then = ui.view(probe, k)
left, right = st.columns([3, 2], gap="large")
chart(it_row(then.it_row, then.tokens, title=f"“it” in {head_label(layer, head)} at step {steps[k]}"),
      ("learning", "it-row", f"step-{steps[k]}"), where=left, key="ln_formed_row")
chart(accuracy_curve(steps, [s.heldout_accuracy for s in snaps], current=steps[k]),
      ("learning", "held-out-accuracy", f"step-{steps[k]}"), where=right, key="ln_formed_acc")
st.markdown(text.snapshot_caption(steps[k], layer, head, then.nouns, then.top, then.answer,
                                  then.answer_prob, snaps[k].heldout_accuracy, steps[-1]))
publish(**ui.url_params(source, sentence, steps[k]))

# ---- train it yourself ---------------------------------------------------------------------------------------------
st.header(text.TRAIN_HEADER)
st.markdown(text.TRAIN_INTRO)
status = ui.training_status()
ui.training_controls(status is not None and status.active)


def live_panel(was_active: bool) -> None:
    """Redrawn every POLL_S seconds while the training runs or waits; a full rerun once it ends."""
    now = ui.training_status()
    if now is None:
        return
    if was_active and not now.active:
        st.rerun()  # the controls (Train enabled, Stop disabled) and the polling follow the new state
    st.progress(now.fraction, text=f"{now.steps_done} / {now.total} steps")
    if now.position is not None:
        st.info(text.queue_line(now.position, ui.training_queue().counts()[0]))
    if not now.active:
        st.caption(text.finished(now.state, now.steps_done, now.total, now.seed) + (f" {now.error}" if now.error else ""))
    if now.progress:
        last, step = now.progress[-1].values, now.progress[-1].step
        measured = [p for p in now.progress if p.step == p.values["measured_at"]]  # [k] held-out evaluations
        c1, c2 = st.columns([3, 2], gap="large")
        chart(live_row(last["it_row"], last["tokens"],
                       title=f"“it” in {head_label(last['layer'], last['head'])}, step {step}"),
              ("learning", "your-training-it-row", f"step-{step}"), where=c1, key="ln_live_row")
        chart(accuracy_curve([p.step for p in measured], [p.values["heldout_accuracy"] for p in measured],
                             last_step=now.total, title="Held-out accuracy of your training"),
              ("learning", "your-training-accuracy", f"step-{step}"), where=c2, key="ln_live_acc")
        st.markdown(text.live_caption(step, now.total, last["layer"], last["head"], last["nouns"], last["top"],
                                      last["heldout_accuracy"], last["measured_at"]))


active = status is not None and status.active
st.fragment(live_panel, run_every=ui.POLL_S if active else None)(active)
