"""The browser benchmarks' floor and files, in seconds: the floor app runs and redraws its one heatmap, and the shipped
results have the shape the report reads (the runs themselves take minutes in Chromium: `python -m benchmarks.browser`,
`python -m benchmarks.cold_start --fresh-tab`)."""

from __future__ import annotations

import json
import statistics
from types import SimpleNamespace

import pytest
from streamlit.testing.v1 import AppTest

from benchmarks import browser, cold_start
from benchmarks.results_file import read_result


def test_floor_app_has_one_slider_and_one_heatmap_and_redraws_it():
    at = AppTest.from_file(str(browser.ROOT / browser.FLOOR_APP)).run()
    assert not at.exception
    [chart] = at.get("plotly_chart")
    spec = json.loads(chart.proto.spec)
    assert [t["type"] for t in spec["data"]] == ["heatmap"]
    assert len(at.slider) == 1
    at.slider(key="floor_temperature").set_value(2.0).run()
    assert "2.0" in json.loads(at.get("plotly_chart")[0].proto.spec)["layout"]["title"]["text"]


@pytest.mark.parametrize(("query", "charts", "printed"), [({}, 1, True), ({"charts": "4", "text": "0"}, 4, False),
                                                          ({"charts": "99", "paragraphs": "x"}, 8, True)])
def test_the_chart_cost_app_draws_the_heatmaps_its_url_asks_for(query, charts, printed):
    at = AppTest.from_file(str(browser.ROOT / "benchmarks" / "chart_cost_app.py"))
    at.query_params.update(query)
    at.run()
    assert not at.exception
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    assert len(specs) == charts
    assert all(("texttemplate" in s["data"][0]) == printed for s in specs)
    at.slider(key="floor_temperature").set_value(2.0).run()
    assert all("2.0" in json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart"))


def test_the_chart_cost_app_can_merge_its_heatmaps_into_one_figure_of_subplots():
    at = AppTest.from_file(str(browser.ROOT / "benchmarks" / "chart_cost_app.py"))
    at.query_params.update({"charts": "4", "merge": "1"})
    at.run()
    assert not at.exception
    [chart] = at.get("plotly_chart")
    spec = json.loads(chart.proto.spec)
    assert [(t["type"], t["xaxis"], t["yaxis"]) for t in spec["data"]] == [
        ("heatmap", f"x{s}", f"y{s}") for s in ("", "2", "3", "4")]
    domains = [spec["layout"][f"yaxis{s}"]["domain"] for s in ("", "2", "3", "4")]
    assert all(lo < hi for lo, hi in domains)
    assert all(below[1] < above[0] for above, below in zip(domains, domains[1:]))  # stacked, not overlapping
    assert spec["layout"]["height"] == 4 * 420


def test_the_profile_summary_splits_self_time_by_script_and_forced_layouts_by_caller():
    import collections

    from benchmarks.browser_profile import summarise

    def node(i, name, url, children=()):
        return {"id": i, "callFrame": {"functionName": name, "url": url}, "children": list(children)}

    profile = {"nodes": [node(1, "(root)", "", [2]), node(2, "draw", "http://x/js/PlotlyChart.js", [3]),
                         node(3, "getBoundingClientRect", "")],
               "samples": [2, 3, 3, 1], "timeDeltas": [1000, 2000, 3000, 500]}
    scripts, functions, reads = collections.Counter(), collections.Counter(), collections.Counter()
    summarise(profile, scripts, functions, reads)
    assert scripts == {"PlotlyChart.js": 1.0, "(browser)": 5.0, "(root)": 0.5}
    assert functions[("getBoundingClientRect", "(browser)")] == 5.0
    assert reads == {"getBoundingClientRect <- draw (PlotlyChart.js)": 5.0}


def test_a_result_puts_each_row_against_the_pooled_floor():
    info = SimpleNamespace(title="Home", path="pages/home.py")
    result = browser.build_result([[100.0, 120.0], [110.0]], [(info, "slider", [200.0, 260.0, 230.0])], {"cpus": 2})
    assert result["floor"]["median_ms"] == 110.0
    assert (result["floor"]["median_before_ms"], result["floor"]["median_after_ms"]) == (110.0, 110.0)
    [row] = result["rows"]
    assert row["median_ms"] == 230.0 and row["ratio"] == pytest.approx(230 / 110, abs=0.01)
    assert row["ok"] is (row["ratio"] <= browser.TARGET_RATIO)


def test_shipped_browser_results_put_each_row_against_the_floor_of_its_run():
    result = read_result(browser.RESULT)
    assert result["quiet_ms"] == browser.QUIET_MS and result["floor"]["app"] == browser.FLOOR_APP
    for row in result["rows"]:
        assert "error" not in row, row
        assert row["median_ms"] == pytest.approx(statistics.median(row["times_ms"]), abs=0.1)
        floor_ms = row.get("partial_run", {}).get("floor_median_ms", result["floor"]["median_ms"])
        assert row["ratio"] == pytest.approx(row["median_ms"] / floor_ms, abs=0.01)
    assert result["load_average_before"] is not None and result["load_average_after"] is not None


def test_shipped_fresh_tab_results_put_each_page_against_the_floor():
    result = read_result(cold_start.RESULT["fresh_tab"])
    assert [r["path"] for r in result["rows"]] == [r["path"] for r in result["plain_rows"]]
    for row in result["rows"] + result["plain_rows"]:
        assert row["ratio"] == pytest.approx(row["settled_ms"] / result["floor"]["settled_ms"], abs=0.01)
        assert len(row["runs"]) == result["rounds"] and row["first_visit"]["settled_ms"] > 0
