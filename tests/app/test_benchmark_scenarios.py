"""Every page in the navigation can be benchmarked: it has a scenario file, benchmarks/scenarios/<page>.py, with at
least one RERUN scenario (`python -m benchmarks.rerun`), and whatever BROWSER scenarios it has are well formed. No
Chromium here: a page the shipped browser results do not cover yet is reported as not yet measured by
`python -m benchmarks.report`, never a failure."""

from __future__ import annotations

import inspect
from pathlib import Path

from benchmarks import browser, rerun, scenarios
from playground.navigation import PAGES

ROOT = Path(__file__).resolve().parents[2]


def test_every_page_has_a_scenario_file_with_a_rerun_scenario():
    missing = [f"benchmarks/scenarios/{Path(info.path).stem}.py (for {info.path})" for info in PAGES
               if not (ROOT / "benchmarks" / "scenarios" / f"{Path(info.path).stem}.py").is_file()]
    assert not missing, f"add a scenario file: {missing}"
    empty = [f"benchmarks/scenarios/{Path(info.path).stem}.py" for info in PAGES
             if not getattr(scenarios.module_for(info.path), "RERUN", None)]
    assert not empty, f"these scenario files have no RERUN scenario: {empty}"


def test_each_scenario_is_a_change_of_one_widget_per_call():
    for info in PAGES:
        module = scenarios.module_for(info.path)
        for kind in ("RERUN", "BROWSER"):
            for label, change in getattr(module, kind, {}).items():
                assert label and callable(change), (info.path, kind, label)
                assert len(inspect.signature(change).parameters) == 2, (info.path, kind, label)  # (at or page, i)


def test_the_benchmarks_read_the_same_file():
    for info in PAGES:
        module = scenarios.module_for(info.path)
        assert rerun.scenarios_for(info.path) is module.RERUN
        browser_scenarios, queries = browser.scenarios_for(info.path)
        if getattr(module, "BROWSER", None):
            assert browser_scenarios is module.BROWSER and set(queries) == set(module.BROWSER)
            own = getattr(module, "BROWSER_QUERIES", {})
            assert set(own) <= set(module.BROWSER), info.path  # an override names one of the page's controls
            for label, query in queries.items():
                assert query == own.get(label, getattr(module, "BROWSER_QUERY", "")), (info.path, label)
        else:  # a page without browser scenarios is timed on its first slider
            assert list(browser_scenarios) == ["first slider (fallback)"]
    assert "segmented: heads h" in browser.scenarios_for("pages/multi_head.py")[0]


def test_a_page_without_a_scenario_file_is_named_in_the_error():
    assert scenarios.module_for("pages/no_such_page.py") is None
    try:
        rerun.scenarios_for("pages/no_such_page.py")
    except LookupError as exc:
        assert "benchmarks/scenarios/no_such_page.py" in str(exc)
    else:
        raise AssertionError("a page without scenarios was accepted")
    assert list(browser.scenarios_for("pages/no_such_page.py")[0]) == ["first slider (fallback)"]
