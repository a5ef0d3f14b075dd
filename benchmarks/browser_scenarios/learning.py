"""Learning-to-attend page: the snapshot of training (it opens on the last one, so the first press goes left), the
adjective of the built sentence and the sentence source, with the keyboard. Training is left out: it runs in a child
process and benchmarks/training_load.py measures reruns while it does."""

from benchmarks.browser_scenarios import pick_option, step_selectbox, step_slider

SOURCES = ("Type it", "Build it from menus")  # from the default, the text box first


def snapshot(page, i: int) -> None:
    step_slider(page, "Training step", i, left_first=True)


def adjective(page, i: int) -> None:
    step_selectbox(page, "Adjective", i)


def source(page, i: int) -> None:
    pick_option(page, "ln_source", SOURCES, i)


SCENARIOS = {
    "slider: snapshot step": snapshot,
    "select: adjective": adjective,
    "segmented: sentence source": source,
}
