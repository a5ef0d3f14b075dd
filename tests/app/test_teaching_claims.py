"""Corrected teaching sentences, checked where they are formatted (the pages' text modules), without a page run."""

from playground.texts import reordering, self_attention


def test_reordering_does_not_say_a_transformer_scores_without_parameters():
    intro = reordering.scoring_intro(5, 6, 32)
    assert "use no parameters" not in intro
    assert "$W_Q$ and $W_K$ always come first" in intro


def test_saturation_names_the_whole_jacobian_not_just_the_losers():
    assert "gradients for the others" not in self_attention.SQRT_INTRO
    assert "winner's own entry" in self_attention.SQRT_INTRO


def test_why_sqrt_d_names_each_initialisation_rule_with_its_own_variance():
    intro = self_attention.SQRT_INTRO
    assert "$1/d$ (LeCun's rule" in intro and "$2/(d_{in} + d_{out})$" in intro and "$2/d_{in}$" in intro
    assert "Glorot/Xavier, He): a layer that sums $d$ products gets weights of variance $1/d$" not in intro
