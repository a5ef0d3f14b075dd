"""Learning-to-attend page, training excluded (it runs in a child process; benchmarks/training_load.py times reruns
while trainings run). RERUN: each scenario alternates values so that every rerun redraws the small multiples or the
snapshot view. BROWSER: the snapshot of training (it opens on the last one, so the first press goes left), the
adjective of the built sentence and the sentence source, with the keyboard."""

from benchmarks import keyboard
from models import coreference as model

# ---- server reruns (AppTest) ----------------------------------------------------------------------------------------

TYPED = (model.BLOG_PAIR[0], model.BLOG_PAIR[1], "The trophy didn't fit in the suitcase because it was too small")


def _menus(at) -> None:
    if at.segmented_control(key="ln_source").value != "menus":
        at.segmented_control(key="ln_source").set_value("menus")
        at.run()


def pick_adjective(at, i: int) -> None:
    _menus(at)
    options = at.selectbox(key="ln_adj").options
    at.selectbox(key="ln_adj").set_value(options[i % len(options)])


def slide_snapshot(at, i: int) -> None:
    options = at.select_slider(key="ln_step").options
    at.select_slider(key="ln_step").set_value(int(options[(3 * i) % len(options)]))


def type_sentence(at, i: int) -> None:
    if at.segmented_control(key="ln_source").value != "type":
        at.segmented_control(key="ln_source").set_value("type")
        at.run()
    at.text_input(key="ln_text").set_value(TYPED[i % len(TYPED)])


RERUN = {
    "select: adjective": pick_adjective,
    "slider: snapshot step": slide_snapshot,
    "text: typed sentence": type_sentence,
}

# ---- key presses in Chromium ----------------------------------------------------------------------------------------

SOURCE_LABELS = ("Type it", "Build it from menus")  # from the default, the text box first


def snapshot(page, i: int) -> None:
    keyboard.step_slider(page, "Training step", i, left_first=True)


def adjective(page, i: int) -> None:
    keyboard.step_selectbox(page, "Adjective", i)


def source(page, i: int) -> None:
    keyboard.pick_option(page, "ln_source", SOURCE_LABELS, i)


BROWSER = {
    "slider: snapshot step": snapshot,
    "select: adjective": adjective,
    "segmented: sentence source": source,
}
