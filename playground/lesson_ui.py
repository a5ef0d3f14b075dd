"""The Lesson page's steps: each draws its demo's live figure in a preset state, with the demo's own figure code and
cached compute (nothing copied), and returns its question with the answer computed from the numbers drawn. A
predict step keeps the asked-about row hidden (lessons.guess.hide_row) until the learner has answered."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np
import streamlit as st

from classroom import Question as PollQuestion
from lessons.defaults import BOTTLENECK, MULTI_HEAD, SELF_ATTENTION, SPEED
from lessons.embeddings import PRESETS, embed, prepare
from lessons.guess import hide_row
from lessons.heads import multi_head_multiply_adds, multi_head_parameters
from lessons.lesson_steps import bucket
from lessons.seq2seq_views import pick_sentence, read_alignment
from lessons.speed import (
    attention_costs,
    attention_work_span,
    crossover_n,
    log_grid,
    parallel_ticks,
    rnn_costs,
    rnn_work_span,
)
from lessons.walkthrough import scaling_demo
from models import coreference as model
from models import toy_tamil

from . import learning_ui as ln
from . import multi_head_ui as mh
from . import self_attention_ui as sa
from . import seq2seq_ui as s2s
from .class_poll_ui import ask_button
from .export import chart
from .figures.learning import every_head, it_row
from .figures.multi_head import cost_chart, head_grid
from .figures.self_attention import query_bar, scaling_bars, weights_heatmap
from .figures.seq2seq import alignment_heatmap, influence_chart
from .figures.speed import counts_chart, workers_chart
from .texts import lesson as text

SA_DEFAULT = sa.Settings(scaled=SELF_ATTENTION.scaled, temperature=SELF_ATTENTION.temperature,
                         causal=SELF_ATTENTION.causal, n_pad=SELF_ATTENTION.n_pad, proj=SELF_ATTENTION.projection,
                         proj_seed=SELF_ATTENTION.seed, positions=SELF_ATTENTION.positions)
REPORT = PRESETS["Report and client (nested clauses)"]
ANIMAL = PRESETS["Animal and street: what is 'it'?"]
CAT = MULTI_HEAD.sentence


class Question(NamedTuple):
    prompt: str
    options: list[str]
    answer: int  # index into options, computed from the numbers on screen
    why: str  # shown after the answer, formatted from the same numbers


def _chart(fig, slug: str, name: str = "fig") -> None:
    chart(fig, ("lesson", slug, name), key=f"ls_{slug}_{name}")  # the display mode and the camera's file name


# ---- bottleneck ----------------------------------------------------------------------------------------------------
def _influence(slug: str, rho: float, n: int = BOTTLENECK.length) -> Question:
    models = s2s.load_models()
    sentence = pick_sentence(toy_tamil.held_out_set(), n, 0)
    curve = s2s.random_influence(n, rho)  # [n]
    trained = (s2s.trained_influence(models.fingerprint, "no_attention", sentence.source)
               if models.by_name and sentence else None)
    st.markdown(text.STORY[slug].format(rho=rho, n=n))
    _chart(influence_chart(trained, sentence.source if sentence else (), sentence.glosses if sentence else (), curve,
                           rho, trained_name="trained encoder (model without attention)"), slug)
    strongest = int(np.argmax(curve))
    ratio = curve[-1] / curve[0] if slug == "fade" else curve[0] / curve[-1]
    return Question(text.PROMPTS[slug].format(rho=rho), [*text.THIRDS, "all of them about equally"],
                    bucket(strongest, n), text.WHY[slug].format(n=n, ratio=float(ratio), low=int(np.argmin(curve)) + 1))


def fade(answered: bool) -> Question:
    return _influence("fade", BOTTLENECK.rho)


def explode(answered: bool) -> Question:
    return _influence("explode", 1.5)


# ---- reordering ----------------------------------------------------------------------------------------------------
def _blog_attention():
    models = s2s.load_models()
    if models.error:
        st.error(models.error)
        st.stop()
    source = toy_tamil.BLOG_SOURCE
    glosses = tuple(toy_tamil.gloss(t) for t in source)
    states = s2s.attention_states(models.fingerprint, source)
    labels = [f"{t} ({g})" for t, g in zip(source, glosses)]
    return source, glosses, states.target, states.weights, labels


def naive(answered: bool) -> Question:
    source, glosses, output, weights, labels = _blog_attention()
    reading = read_alignment(weights, output, len(source))
    st.markdown(text.STORY["naive"])
    _chart(alignment_heatmap(reading.naive, output, source, glosses,
                             title="Naive alignment: left to right, one word after another"), "naive")
    answer = int(np.argmax(reading.naive[0]))
    return Question(text.PROMPTS["naive"].format(word=text.word(output[0])), labels, answer,
                    text.WHY["naive"].format(word=text.word(output[0]), naive=text.word(labels[answer]),
                                             last=text.word(labels[-1])))


def learned(answered: bool) -> Question:
    source, glosses, output, weights, labels = _blog_attention()
    row = output.index("send") if "send" in output else 0
    st.markdown(text.STORY["learned"])
    shown = weights if answered else hide_row(weights, row)
    _chart(alignment_heatmap(shown, output, source, glosses, title="Learned attention (trained model)"), "learned")
    top = int(np.argmax(weights[row]))
    return Question(text.PROMPTS["learned"].format(word=text.word(output[row])), labels, top,
                    text.WHY["learned"].format(word=text.word(output[row]), share=text.share(weights[row, top]),
                                               top=text.word(labels[top])))


# ---- speed ---------------------------------------------------------------------------------------------------------
def counts(answered: bool, d: int = SPEED.d) -> Question:
    cross = crossover_n(d)
    grid = log_grid(max(512, 2 * cross))
    st.markdown(text.STORY["counts"].format(d=d))
    _chart(counts_chart(grid, [rnn_costs(n, d).multiply_adds for n in grid],
                        [attention_costs(n, d).multiply_adds for n in grid], cross), "counts")
    options = [16, d, 8 * d]
    equal = next(n for n in range(1, 8 * d + 1) if attention_costs(n, d).multiply_adds == rnn_costs(n, d).multiply_adds)
    return Question(text.PROMPTS["counts"].format(d=d), [f"n = {n}" for n in options] + ["never"],
                    options.index(equal), text.WHY["counts"].format(cross=cross))


def workers(answered: bool, n: int = SPEED.n_max, d: int = SPEED.d, p: int = SPEED.workers) -> Question:
    ps = np.array([2**k for k in range(31)])
    rnn_ws, att_ws = rnn_work_span(n, d), attention_work_span(n, d)
    rnn_ticks, att_ticks = parallel_ticks(rnn_ws, ps), parallel_ticks(att_ws, ps)
    st.markdown(text.STORY["workers"].format(n=n, d=d))
    _chart(workers_chart(ps, rnn_ticks, att_ticks, p, rnn_ws.span, n, d), "workers")
    rnn, att = int(rnn_ticks[ps == p][0]), int(att_ticks[ps == p][0])
    return Question(text.PROMPTS["workers"].format(p=p), list(text.WORKERS_OPTIONS),
                    0 if rnn < att else 1 if att < rnn else 2, text.WHY["workers"].format(rnn=rnn, att=att))


# ---- self-attention ------------------------------------------------------------------------------------------------
def _row_question(slug: str, sentence: str, word: str, answered: bool) -> Question:
    tokens = prepare(sentence).tokens
    labels, _, steps = sa.attend(tokens, embed(tokens), SA_DEFAULT)
    q = tokens.index(word)
    row = steps.weights[q]  # [n]
    st.markdown(text.STORY[slug].format(gap=tokens.index("ready") - tokens.index("report") - 1
                                        if "ready" in tokens else 0))
    left, right = st.columns([3, 2], gap="large")
    shown = steps.weights if answered else hide_row(steps.weights, q)
    with left:
        _chart(weights_heatmap(shown, labels, selected=q, scaled=True, d_k=steps.q.shape[1], temperature=1.0), slug)
    if answered:
        with right:
            _chart(query_bar(row, labels, tokens[q], q), slug, "bar")
    top = int(np.argmax(row))
    return Question(text.PROMPTS[slug].format(word=text.word(word)), labels, top,
                    text.WHY[slug].format(word=text.word(word), share=text.share(row[top]),
                                          top="itself" if top == q else text.word(labels[top])))


def ready(answered: bool) -> Question:
    return _row_question("ready", REPORT, "ready", answered)


def animal(answered: bool) -> Question:
    return _row_question("animal", ANIMAL, "it", answered)


def trained(answered: bool) -> Question:
    """The blog's "wide" sentence, where the hand-built vectors fail, read by the Learning-to-attend model."""
    v = ln.view(tuple(model.tokenize(model.BLOG_PAIR[1])))
    st.markdown(text.STORY["trained"])
    _chart(every_head(v.weights, v.tokens, None, v.it_index), "trained")
    if answered:
        _chart(it_row(v.it_row, v.tokens, title="the pointer's row from “it”"), "trained", "bar")
    top = int(np.argmax(v.it_row))
    return Question(text.PROMPTS["trained"].format(word=text.word("it")), list(v.tokens), top,
                    text.WHY["trained"].format(word=text.word("it"), share=text.share(v.it_row[top]),
                                               top=text.word(v.tokens[top]),
                                               accuracy=text.share(ln.evaluation()["structure_heldout"])))


def scaling(answered: bool, d: int = 512) -> Question:
    demo = scaling_demo(d, n_keys=8, seed=0)
    st.markdown(text.STORY["scaling"].format(d=d))
    left_fig, right_fig = scaling_bars(demo.unscaled, demo.scaled, d)
    c1, c2 = st.columns(2)
    with c1:
        _chart(left_fig, "scaling", "raw")
    with c2:
        _chart(right_fig, "scaling", "scaled")
    raw = float(demo.unscaled.max())
    return Question(text.PROMPTS["scaling"].format(d=d), list(text.SCALING_OPTIONS),
                    0 if raw < 0.3 else 1 if raw < 0.75 else 2,
                    text.WHY["scaling"].format(raw=text.share(raw), scaled=text.share(demo.scaled.max()), d=d))


def causal(answered: bool) -> Question:
    tokens = prepare(CAT).tokens
    labels, _, steps = sa.attend(tokens, embed(tokens), SA_DEFAULT._replace(causal=True))
    st.markdown(text.STORY["causal"])
    _chart(weights_heatmap(steps.weights, labels, selected=0, scaled=True, d_k=steps.q.shape[1], temperature=1.0),
           "causal")
    first, n = float(steps.weights[0, 0]), len(tokens)
    return Question(text.PROMPTS["causal"].format(word=text.word(tokens[0])),
                    [o.format(n=n) for o in text.CAUSAL_OPTIONS], 0 if first > 0.99 else 1 if first > 0.3 else 2,
                    text.WHY["causal"].format(share=text.share(first), last=text.word(tokens[-1]), n=n))


# ---- multi-head ----------------------------------------------------------------------------------------------------
def heads(answered: bool, d_model: int = MULTI_HEAD.d_model, n_heads: int = MULTI_HEAD.n_heads) -> Question:
    tokens = prepare(CAT).tokens
    _, infos = mh.heads_for(d_model, n_heads, MULTI_HEAD.seed, MULTI_HEAD.hand_built)
    _, result, _ = mh.run_layer(tuple(tokens), d_model, n_heads, MULTI_HEAD.seed, MULTI_HEAD.hand_built,
                                MULTI_HEAD.positions)
    q, target = tokens.index("it"), tokens.index("cat")
    titles = [f"head {i + 1} · {info.name}" for i, info in enumerate(infos)]
    st.markdown(text.STORY["heads"])
    shown = result.weights if answered else hide_row(result.weights, q)
    _chart(head_grid(shown, tokens, titles, highlight_row=q), "heads")
    best = int(np.argmax(result.weights[:, q, target]))
    return Question(text.PROMPTS["heads"].format(word=text.word("it"), target=text.word("cat")), titles, best,
                    text.WHY["heads"].format(word=text.word("it"), target=text.word("cat"), head=titles[best],
                                             share=text.share(result.weights[best, q, target])))


def cost(answered: bool, d_model: int = MULTI_HEAD.d_model) -> Question:
    n = len(prepare(CAT).tokens)
    params = [multi_head_parameters(d_model, h) for h in mh.HEAD_CHOICES]
    madds = [multi_head_multiply_adds(n, d_model, h) for h in mh.HEAD_CHOICES]
    h = mh.HEAD_CHOICES[-1]
    st.markdown(text.STORY["cost"].format(d_model=d_model, n=n))
    _chart(cost_chart(mh.HEAD_CHOICES, params, madds, current=h, d_model=d_model, n=n), "cost")
    one, many = sum(params[0].values()), sum(params[-1].values())
    return Question(text.PROMPTS["cost"].format(h=h, d_model=d_model), [o.format(h=h) for o in text.COST_OPTIONS],
                    1 if one == many else 0 if many > one else 2,
                    text.WHY["cost"].format(params_1=one, params_h=many, h=h))


VIEWS: dict[str, Callable[[bool], Question]] = {
    "fade": fade, "explode": explode, "naive": naive, "learned": learned, "counts": counts, "workers": workers,
    "ready": ready, "animal": animal, "trained": trained, "scaling": scaling, "causal": causal, "heads": heads, "cost": cost,
}


def answer_ui(slug: str, question: Question) -> int | None:
    """The step's question as word pills: one click answers (and, on a predict step, reveals the row)."""
    pick = st.pills(question.prompt, range(len(question.options)), format_func=question.options.__getitem__,
                    key=f"ls_answer_{slug}", width="stretch", wrap=True)
    if pick is not None:
        first = st.session_state.setdefault(f"ls_first_{slug}", pick)  # the first answer counts, a change is a retry
        if pick != first:
            st.session_state[f"ls_retried_{slug}"] = True
        if st.session_state.get(f"ls_retried_{slug}"):
            st.info(text.retry(question.options[first], first == question.answer))
        right = pick == question.answer
        (st.success if right else st.error)(text.feedback(right, question.options[question.answer], question.why))
    ask_button(PollQuestion(question.prompt, tuple(question.options), question.answer, text.poll_source(slug),
                            question.why), key=f"ls_class_{slug}")
    return pick


def answered(slug: str) -> bool:
    return st.session_state.get(f"ls_answer_{slug}") is not None

