"""Browser scenarios for `python -m benchmarks.browser`: one module per page, named after the page file
(pages/home.py -> browser_scenarios/home.py), like benchmarks/scenarios/ for the AppTest figures.

Each module defines
  SCENARIOS: {label: change(page, i)} where change performs ONE user action on a Playwright (sync API) page, with
             the keyboard as a learner would (arrow keys on a slider, a choice in a select box); i = 0, 1, 2, ...
             must alternate values so that every action changes what is drawn. Use the AppTest scenario's label
             for the same control, so the table can put the two figures side by side.
  QUERY:     optional URL query string to open the page with (for example a small n for a page that measures).

The helpers below cover the common controls; every one uses the keyboard only.
"""

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
