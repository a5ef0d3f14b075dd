"""Browser scenarios for `python -m benchmarks.browser`: one module per page, named after the page file
(pages/home.py -> browser_scenarios/home.py), like benchmarks/scenarios/ for the AppTest figures.

Each module defines
  SCENARIOS: {label: change(page, i)} where change performs ONE user action on a Playwright (sync API) page, with
             the keyboard as a learner would (arrow keys on a slider, a choice in a select box); i = 0, 1, 2, ...
             must alternate values so that every action changes what is drawn. Use the AppTest scenario's label
             for the same control, so the table can put the two figures side by side.
  QUERY:     optional URL query string to open the page with (for example a small n for a page that measures).

The helpers below cover the common controls.
"""

from __future__ import annotations


def step_slider(page, name: str | None, i: int, index: int = 0) -> None:
    """One arrow key on a slider or select_slider, right on even i and left on odd i (so values alternate).

    `name` is (part of) the widget's label, its accessible name; None picks the `index`-th slider on the page.
    """
    slider = page.get_by_role("slider", name=name) if name else page.get_by_role("slider").nth(index)
    slider.focus()
    page.keyboard.press("ArrowRight" if i % 2 == 0 else "ArrowLeft")


def step_selectbox(page, name: str, i: int) -> None:
    """Pick the next option of a select box on even i and the previous one on odd i, with the keyboard only.

    Opening the list with ArrowDown already highlights the option after the current one; Enter picks it.
    """
    box = page.get_by_role("combobox", name=name)
    box.focus()
    page.keyboard.press("ArrowDown")
    page.get_by_role("listbox").first.wait_for()
    if i % 2 == 1:
        page.keyboard.press("ArrowUp")  # back to the current option
        page.keyboard.press("ArrowUp")  # and one before it
    page.keyboard.press("Enter")
