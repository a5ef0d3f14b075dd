"""What a learner does with the keyboard in Chromium, for the BROWSER scenarios of benchmarks/scenarios/<page>.py:
one key press (or one choice) on a control, through Playwright's sync API. Every helper uses the keyboard only, and
every call is one user action."""

from __future__ import annotations


def step_slider(page, name: str | None, i: int, index: int = 0, *, left_first: bool = False) -> None:
    """One arrow key on a slider or select_slider, right on even i and left on odd i (so values alternate); the
    other way round with `left_first` (a slider that starts at its maximum).

    `name` is (part of) the widget's label, its accessible name; None picks the `index`-th slider on the page.
    """
    slider = page.get_by_role("slider", name=name) if name else page.get_by_role("slider").nth(index)
    slider.focus()
    page.keyboard.press("ArrowRight" if (i % 2 == 0) != left_first else "ArrowLeft")


def step_selectbox(page, name: str, i: int) -> None:
    """Pick the next option of a select box on even i and the previous one on odd i, with the keyboard only.

    Opening the list with ArrowDown already highlights the option after the current one; Enter picks it.
    """
    box = page.get_by_role("combobox", name=name)
    for attempt in range(3):  # now and then the list does not open on the first ArrowDown after a rerun
        box.focus()
        page.keyboard.press("ArrowDown")
        try:
            page.get_by_role("listbox").first.wait_for(timeout=3_000)
            break
        except Exception:  # Playwright's TimeoutError
            if attempt == 2:
                raise
            page.keyboard.press("Escape")
    if i % 2 == 1:
        page.keyboard.press("ArrowUp")  # back to the current option
        page.keyboard.press("ArrowUp")  # and one before it
    page.keyboard.press("Enter")


def flip_switch(page, key: str) -> None:
    """A toggle (st.toggle, session key `key`) flipped with the space bar: every call changes its value."""
    page.locator(f".st-key-{key} input[role=switch]").focus()
    page.keyboard.press("Space")


def pick_option(page, key: str, labels: tuple[str, ...], i: int) -> None:
    """The `i`-th of `labels` (cyclically) in a radio group, segmented control or pills (session key `key`), focused
    and chosen with the space bar. Consecutive labels must differ so every call changes the value."""
    page.locator(f".st-key-{key}").get_by_role("radio", name=labels[i % len(labels)], exact=True).focus()
    page.keyboard.press("Space")


def press_button(page, key: str) -> None:
    """A button (session key `key`) pressed with Enter."""
    page.locator(f".st-key-{key} button").first.focus()
    page.keyboard.press("Enter")


def type_and_enter(page, key: str, text: str) -> None:
    """`text` typed into the text input of session key `key`, then Enter (which submits it)."""
    box = page.locator(f".st-key-{key} input").first
    box.fill(text)
    box.press("Enter")
