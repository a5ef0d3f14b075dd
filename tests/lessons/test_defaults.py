"""lessons.defaults is the one place a page's opening view is written: the pages open with it, and what quotes
"the page as it opens" (the Lesson's steps, the Learning page's hand-built comparison) uses the same values."""

from __future__ import annotations

import dataclasses

import pytest

from lessons import defaults


@pytest.mark.parametrize("name", ["SELF_ATTENTION", "MULTI_HEAD", "SPEED", "BOTTLENECK"])
def test_defaults_cannot_be_changed_at_run_time(name):
    value = getattr(defaults, name)
    field = dataclasses.fields(value)[0].name
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(value, field, None)


def test_multi_head_width_splits_into_the_heads():
    assert defaults.MULTI_HEAD.d_model % defaults.MULTI_HEAD.n_heads == 0
