"""Multi-head page: the number of heads (every head count, always a change), the model width, the word to follow,
the hand-built toggle and the example sentence, each with the keyboard. The page opens on its defaults (8 heads)."""

from benchmarks.browser_scenarios import flip_switch, pick_option, step_selectbox

HEADS = ("4", "8", "1", "8", "2", "8")  # from the default 8: every press changes the count


def heads(page, i: int) -> None:
    pick_option(page, "mh_heads", HEADS, i)


def d_model(page, i: int) -> None:
    pick_option(page, "mh_d_model", ("128", "64"), i)


def word(page, i: int) -> None:
    step_selectbox(page, "Word to follow", i)


def hand_built(page, i: int) -> None:
    flip_switch(page, "mh_hand")


def example(page, i: int) -> None:
    step_selectbox(page, "Or start from an example", i)


SCENARIOS = {
    "segmented: heads h": heads,
    "segmented: d_model": d_model,
    "select: word to follow": word,
    "toggle: hand-built heads": hand_built,
    "select: example sentence": example,
}
