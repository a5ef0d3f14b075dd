"""Learning to attend: a small Transformer trained in NumPy points at what "it" stands for, in sentence structures
it never saw. What it was trained on, its scores beside the shortcuts, the blog's pair, the heads, your own
sentence, probes of what it learned, the snapshots of training, and a training of your own."""

from playground.routing import run_inside_entry

run_inside_entry()  # first, before the page's own imports: see playground/routing.py

import streamlit as st

from models import coreference as model
from playground import learning_ui as ui
from playground.export import chart, chart_on_request, matrix_download
from playground.figures.learning import accuracy_curve, every_head, head_label, it_row, live_row
from playground.folded import folded
from playground.formatting import markdown_table, pct
from playground.state import publish
from playground.texts import learning as text

config = ui.shipped().config
corpus = model.make_corpus()
evaluation = ui.evaluation()
snaps = ui.snapshots()
steps = tuple(int(s.step) for s in snaps)
rows = ui.structures()
n_trained = sum(r.trained for r in rows)

st.title(text.TITLE)
st.markdown(text.intro(config.n_layers, config.n_heads, config.d_model, len(corpus.train), n_trained))

# ---- what it was trained on ----------------------------------------------------------------------------------------
st.header(text.TRAINED_HEADER)
n_validation = sum(r.role == "validation" for r in rows)
n_heldout = len(rows) - n_trained
st.markdown(text.trained_on(n_trained, n_validation, n_heldout, len(corpus.train), len(model.validation_folds())))
box = folded(text.structure_table_caption(n_trained, n_validation, n_heldout), "ln_structures_box")
if box.open:
    box.markdown(markdown_table(text.STRUCTURE_COLUMNS, [(r.name, text.ROLE_NAMES[r.role], r.example) for r in rows]))

# ---- scores beside the shortcuts -----------------------------------------------------------------------------------
st.header(text.SCORES_HEADER)
st.markdown(text.scores_intro(evaluation["structure_heldout"], evaluation["lookup_baseline"]["structure_heldout"]))
scores = ui.scores()
st.markdown(markdown_table(text.SCORE_COLUMNS, [(r.label, r.size, pct(r.model), pct(r.lookup), pct(r.slot_rule))
                                                for r in scores]))
by_structure = evaluation["structure_heldout_by_structure"]
worst = min(by_structure, key=by_structure.get)
box = folded(text.by_structure_caption(len(corpus.structure_heldout) // len(by_structure), worst, by_structure[worst]),
             "ln_by_structure_box")
if box.open:
    box.markdown(markdown_table(text.BY_STRUCTURE_COLUMNS, [(name, pct(x)) for name, x in by_structure.items()]))
st.markdown(text.limit_note(evaluation["adjective_frame_heldout"],
                            [(a, f, x) for (f, a), x in ui.adjective_frames().items()]))

# ---- the blog's pair -----------------------------------------------------------------------------------------------
st.header(text.PAIR_HEADER)
pair = [ui.view(tuple(model.tokenize(s))) for s in model.BLOG_PAIR]
for i, (col, v) in enumerate(zip(st.columns(2, gap="large"), pair)):
    with col:
        st.markdown(f"*{model.BLOG_PAIR[i]}*")
        chart(it_row(v.it_row, v.tokens, title="the pointer's row from “it”"),
              ("learning", "blog-pair", f"sentence-{i + 1}", "pointer"), key=f"ln_pair_{i}")
        st.markdown(text.pair_caption(v.answer, v.answer_prob, v.nouns, v.top))
trophy = [ui.view(tuple(model.tokenize(s))) for s in model.TROPHY_PAIR]
st.markdown(text.pair_summary([v.answer for v in pair], [v.tokens[-1] for v in pair],
                              [(s, v.answer, v.answer_prob) for s, v in zip(model.TROPHY_PAIR, trophy, strict=True)]))

# ---- which heads favour the referent -------------------------------------------------------------------------------
st.header(text.HEADS_HEADER)
resolution = evaluation["head_resolution"]
blocks = resolution["blocks"]  # [L][H]
best = max(((la, h) for la in range(len(blocks)) for h in range(len(blocks[0]))), key=lambda lh: blocks[lh[0]][lh[1]])
st.markdown(text.heads_intro(resolution["pointer"], best, blocks[best[0]][best[1]], len(corpus.structure_heldout),
                             evaluation["structure_heldout"]))
st.markdown(markdown_table(text.HEADS_COLUMNS, [("pointer (trained to point)", pct(resolution["pointer"], 1))]
                            + [(head_label(la, h).replace("layer", "block"), pct(blocks[la][h], 1))
                               for la in range(len(blocks)) for h in range(len(blocks[0]))]))

# ---- your sentence -------------------------------------------------------------------------------------------------
st.header(text.BUILD_HEADER)
source, sentence, tokens, problem = ui.sentence_ui()
if tokens is None:
    st.error(problem)
else:
    mine = ui.view(tokens)
    note = text.structure_note(mine.structure, mine.heldout_structure)
    (st.warning if mine.structure is None else st.caption)(note)
    chart(it_row(mine.it_row, mine.tokens, title="the pointer's row from “it”: the answer"),
          ("learning", "pointer", *tokens[:4]), key="ln_pointer")
    caption = st.empty()  # the caption says whether a grid follows
    grid = chart_on_request(text.SHOW_GRID, "ln_show_grid", "heads")  # the heads table above names the best head
    caption.markdown(text.answer_caption(mine.answer, mine.answer_prob, mine.nouns, mine.top, grid=grid))
    if grid:
        chart(every_head(mine.weights, mine.tokens, None, mine.it_index), ("learning", "every-head", *tokens[:4]),
              key="ln_grid")
    n_layers, n_heads = mine.weights.shape[:2]
    matrix_download(mine.weights.reshape(n_layers * n_heads, *mine.weights.shape[2:]), mine.tokens, mine.tokens,
                    ("learning", "every-head", *tokens[:4]), key="ln_grid_csv", label=text.GRID_CSV,
                    blocks=[head_label(la, h) for la in range(n_layers) for h in range(n_heads)])
# open beside a refusal: `expanded` is part of the widget's identity, so a refused sentence opens it afresh (and a
# readable one folds it again)
box = folded("The model's vocabulary", "ln_vocabulary_box", expanded=tokens is None)
if box.open:
    box.markdown(text.vocabulary_list(model.vocabulary()))

# ---- probes --------------------------------------------------------------------------------------------------------
st.header(text.PROBES_HEADER)
probes = ui.probes()
st.markdown(text.probes_intro(sum(p.right for p in probes), len(probes)))
st.markdown(markdown_table(text.PROBE_COLUMNS, [(p.probe.test, p.probe.sentence, p.probe.expected, p.answer,
                                                pct(p.weight), "yes" if p.right else "no",
                                                text.probe_structure(p.structure, p.heldout_structure))
                                               for p in probes]))

# ---- how it formed -------------------------------------------------------------------------------------------------
st.header(text.FORMED_HEADER)
st.markdown(text.formed_intro(model.BLOG_PAIR[1]))
k = ui.snapshot_slider(steps)
then = ui.view(pair[1].tokens, k)  # the blog's sentence, whatever is built above: a new one redraws only its charts
left, right = st.columns([3, 2], gap="large")
chart(it_row(then.it_row, then.tokens, title=f"the pointer's row from “it” at step {steps[k]}"),
      ("learning", "it-row", f"step-{steps[k]}"), where=left, key="ln_formed_row")
chart(accuracy_curve(steps, [s.heldout_accuracy for s in snaps], current=steps[k],
                     title="Accuracy on structures never trained"),
      ("learning", "held-out-accuracy", f"step-{steps[k]}"), where=right, key="ln_formed_acc")
st.markdown(text.snapshot_caption(steps[k], then.nouns, then.top, then.answer, snaps[k].heldout_accuracy, steps[-1]))
publish(**ui.url_params(source, sentence, steps[k]))

# ---- train it yourself ---------------------------------------------------------------------------------------------
st.header(text.TRAIN_HEADER)
st.markdown(text.TRAIN_INTRO)
status = ui.training_status()
ui.training_controls(status is not None and status.active)


def live_panel(was_active: bool) -> None:
    """Redrawn every POLL_S seconds while the training runs or waits (a fragment); a full rerun once it ends."""
    now = ui.training_status()
    if now is None:
        return
    if was_active and not now.active:
        st.rerun()  # the controls (Train enabled, Stop disabled) and the polling follow the new state
    st.progress(now.fraction, text=text.progress_line(now.steps_done, now.total, now.state == "running",
                                                      now.seconds_left))
    if now.position is not None:
        st.info(text.queue_line(now.position, ui.training_queue().counts()[0], now.seconds_left))
    if not now.active:
        st.caption(text.finished(now.state, now.steps_done, now.total, now.seed) + (f" {now.error}" if now.error else ""))
    if now.progress:
        last, step = now.progress[-1].values, now.progress[-1].step
        measured = [p for p in now.progress if p.step == p.values["measured_at"]]  # [k] held-out evaluations
        c1, c2 = st.columns([3, 2], gap="large")
        chart(live_row(last["it_row"], last["tokens"], title=f"the pointer's row from “it”, step {step}"),
              ("learning", "your-training-it-row", f"step-{step}"), where=c1, key="ln_live_row")
        chart(accuracy_curve([p.step for p in measured], [p.values["heldout_accuracy"] for p in measured],
                             last_step=now.total, title="Your training, on structures never trained"),
              ("learning", "your-training-accuracy", f"step-{step}"), where=c2, key="ln_live_acc")
        st.markdown(text.live_caption(step, now.total, last["nouns"], last["top"], last["heldout_accuracy"],
                                      last["measured_at"]))


active = status is not None and status.active
if active:
    st.fragment(live_panel, run_every=ui.POLL_S)(active)
else:
    # a plain call: Streamlit stops the browser's timer only for a fragment that is not registered again, so the
    # same fragment without run_every would go on polling after Stop (the page reruns alone, see the entry script)
    live_panel(active)
