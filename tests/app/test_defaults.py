"""Each page opens with lessons.defaults: the values a page seeds its controls with are read from there."""

from __future__ import annotations

from lessons.defaults import BOTTLENECK, MULTI_HEAD, SELF_ATTENTION, SPEED
from tests.app.conftest import open_page


def test_multi_head_opens_with_its_defaults():
    state = open_page("pages/multi_head.py").session_state
    assert (state["mh_text"], state["mh_heads"], state["mh_d_model"], state["mh_hand"], state["mh_pos"],
            state["mh_seed"]) == (MULTI_HEAD.sentence, MULTI_HEAD.n_heads, MULTI_HEAD.d_model, MULTI_HEAD.hand_built,
                                  MULTI_HEAD.positions, MULTI_HEAD.seed)


def test_self_attention_opens_with_its_defaults():
    state = open_page("pages/self_attention.py").session_state
    d = SELF_ATTENTION
    assert (state["sa_text"], state["sa_scale"], state["sa_temp"], state["sa_causal"], state["sa_pad"],
            state["sa_proj"], state["sa_seed"], state["sa_pos"]) == (
        d.sentence, d.scaled, d.temperature, d.causal, d.n_pad, d.projection, d.seed, d.positions)


def test_speed_and_bottleneck_open_with_their_defaults():
    state = open_page("pages/speed.py").session_state
    assert (state["sp_n_max"], state["sp_d"], state["sp_workers"]) == (SPEED.n_max, SPEED.d, SPEED.workers)
    state = open_page("pages/bottleneck.py").session_state
    assert (state["bn_len"], state["bn_rho"]) == (BOTTLENECK.length, BOTTLENECK.rho)
