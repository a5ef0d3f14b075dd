"""What the benchmarks do on each page: one module per page, named after the page file (pages/home.py ->
benchmarks/scenarios/home.py), holding both ways of timing the page's controls side by side.

  RERUN:   {label: change(at, i)}, for `python -m benchmarks.rerun` (and rerun_cpu, training_load): changes one
           widget of a running AppTest. Required: tests/app/test_benchmark_scenarios.py fails for a page in the
           navigation without at least one.
  BROWSER: {label: change(page, i)}, for `python -m benchmarks.browser` (and browser_profile): ONE user action on a
           Playwright (sync API) page, with the keyboard as a learner would, through benchmarks/keyboard.py.
           Optional: a page without it is timed on its first slider.
  BROWSER_QUERY: optional URL query string the browser opens the page with (a small n for a page that measures).

In both, calls i = 0, 1, 2, ... must alternate values, so that every rerun or key press has real work to do.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType


def module_for(page_path: str) -> ModuleType | None:
    """The scenario module of a page file (pages/home.py -> benchmarks.scenarios.home), or None if it has none."""
    name = f"{__name__}.{Path(page_path).stem}"
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name != name:  # the module exists but something it imports does not
            raise
        return None
