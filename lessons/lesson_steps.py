"""The guided lesson's path: which demo each step shows, in which preset state, and what kind of question it asks.
UI-free: the page draws each step with the demos' own figure code and computes every answer from live numbers.

The order follows the blog's story: the one-vector bottleneck, word order, speed, then self-attention and several
heads."""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["STEPS", "Step", "bucket", "parse_step"]


class Step(NamedTuple):
    slug: str  # names the step's view, text and question
    demo: str  # url_path of the page the step borrows its figure from
    predict: bool  # the figure keeps the asked-about row hidden until the learner answers


STEPS: tuple[Step, ...] = (
    Step("fade", "bottleneck", False),
    Step("explode", "bottleneck", False),
    Step("naive", "reordering", False),
    Step("learned", "reordering", True),
    Step("counts", "speed", False),
    Step("workers", "speed", False),
    Step("ready", "self_attention", True),
    Step("animal", "self_attention", True),
    Step("trained", "learning", True),
    Step("scaling", "self_attention", False),
    Step("causal", "self_attention", False),
    Step("heads", "multi_head", True),
    Step("cost", "multi_head", False),
)


def parse_step(raw: object, n_steps: int = len(STEPS)) -> int:
    """The URL's ?step= (1-based, as a teacher says it) as an index 0..n_steps-1: anything that is not a whole number
    in range falls back to the first step, or to the nearest end for a number past it."""
    try:
        number = int(str(raw).strip())
    except (TypeError, ValueError):
        return 0
    return min(max(number, 1), n_steps) - 1


def bucket(position: int, length: int) -> int:
    """Which third of a sequence of `length` items position (0-based) falls in: 0 first, 1 middle, 2 last."""
    return min(2, 3 * position // max(length, 1))
