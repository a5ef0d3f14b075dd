"""docs/PERFORMANCE.md is what `python -m benchmarks.report` writes from benchmarks/results/*.json, and every
figure the README quotes is one the result files give (`benchmarks.report.readme_figures`). Seconds: nothing is
measured here."""

from __future__ import annotations

import json
import re
from pathlib import Path

from benchmarks import report, results_file
from playground.navigation import PAGES

ROOT = Path(__file__).resolve().parents[2]
# A figure in the README's prose: a number or a range, then a unit of time or a class size.
FIGURE = re.compile(r"(?<![\w.,])(\d+(?:[.,]\d+)*(?:\s?[–-]\s?\d+(?:[.,]\d+)*)?)\s?(ms|s|students)\b")


def normal(figure: str) -> str:
    return re.sub(r"\s?[–-]\s?", "–", " ".join(figure.split()))


def readme_figures() -> list[tuple[str, str]]:
    """(figure, the README line it is on) for every figure outside code blocks and code spans."""
    text = re.sub(r"```.*?```", "", (ROOT / "README.md").read_text(), flags=re.DOTALL)
    out = []
    for line in text.splitlines():
        prose = re.sub(r"`[^`]*`", "", line)
        out += [(normal(f"{m[1]} {m[2]}"), line.strip()) for m in FIGURE.finditer(prose)]
    return out


def test_the_committed_document_is_what_the_report_writes():
    expected = report.render(report.load_results()).splitlines()
    committed = report.DOCUMENT.read_text().splitlines()
    stale = next((i for i, (a, b) in enumerate(zip(committed, expected)) if a != b), None)
    if stale is None and len(committed) != len(expected):
        stale = min(len(committed), len(expected))
    assert stale is None, (f"docs/PERFORMANCE.md is stale from line {stale + 1}: run `python -m benchmarks.report`"
                           f"\n  committed: {committed[stale] if stale < len(committed) else '(end)'}"
                           f"\n  expected:  {expected[stale] if stale < len(expected) else '(end)'}")


def test_every_figure_the_readme_quotes_comes_from_a_result_file():
    quoted = readme_figures()
    assert len(quoted) >= 5, quoted  # the README's "How fast" and "For teachers" quote several
    given = {normal(figure) for _, figure, _ in report.readme_figures(report.load_results())}
    missing = [f"{figure!r} in: {line[:100]}" for figure, line in quoted if figure not in given]
    assert not missing, ("README.md quotes figures that no result file gives (benchmarks.report.readme_figures "
                         "lists those that one does):\n  " + "\n  ".join(missing))


def test_every_result_file_says_how_it_was_made_first():
    for path in sorted(results_file.RESULTS.glob("*.json")):
        result = json.loads(path.read_text())
        assert list(result)[:3] == list(results_file.HEAD), path.name
        assert re.fullmatch(r"\d{4}-\d\d-\d\d", result["date"]), path.name
        assert result["command"].startswith("python -m benchmarks."), path.name
        assert result["load_average_before"] is None or result["load_average_before"] >= 0, path.name


def test_a_page_no_result_covers_is_reported_as_not_yet_measured():
    results = report.load_results()
    home = [r for r in results["browser"]["rows"] if r["path"] == PAGES[0].path]
    results["browser"] = {**results["browser"], "rows": home}
    results["rerun"] = {**results["rerun"], "rows": [r for r in results["rerun"]["rows"] if r["path"] != PAGES[1].path]}
    text = report.render(results)
    assert f"| {PAGES[-1].title} | {report.NOT_MEASURED} |" in text
    assert f"| {PAGES[1].title} | {report.NOT_MEASURED} |" in text
    assert f"met by {sum(r['ratio'] <= 2 for r in home)} of 1 controls" in text


def test_a_missing_result_names_the_command_that_writes_it():
    text = report.render({})
    assert "`python -m benchmarks.rerun` writes `benchmarks/results/rerun.json`" in text
    assert "`python -m benchmarks.browser` writes `benchmarks/results/browser.json`" in text


def test_check_fails_on_a_stale_document(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(report, "DOCUMENT", tmp_path / "PERFORMANCE.md")
    (tmp_path / "PERFORMANCE.md").write_text("# Performance\n\nsomething typed by hand\n")
    assert report.main(["--check"]) == 1
    assert "run `python -m benchmarks.report`" in capsys.readouterr().err
    assert report.main([]) == 0 and report.main(["--check"]) == 0


def test_a_partial_run_replaces_its_rows_and_says_which_run_measured_them(tmp_path):
    full = {"rows": [{"path": "pages/a.py", "page": "A", "change": "x", "median_ms": 10.0},
                     {"path": "pages/b.py", "page": "B", "change": "y", "median_ms": 20.0}]}
    results_file.write_result("r", "python -m benchmarks.r", full, 0.5, folder=tmp_path)
    part = {"rows": [{"path": "pages/b.py", "page": "B", "change": "y", "median_ms": 25.0}]}
    results_file.merge_rows("r", "python -m benchmarks.r --page pages/b.py", part, lambda r: r["path"] == "pages/b.py",
                            1.5, folder=tmp_path, floor_median_ms=150.0)
    saved = results_file.read_result("r", folder=tmp_path)
    assert (saved["command"], saved["load_average_before"]) == ("python -m benchmarks.r", 0.5)
    assert [(r["path"], r["median_ms"]) for r in saved["rows"]] == [("pages/a.py", 10.0), ("pages/b.py", 25.0)]
    mark = saved["rows"][1]["partial_run"]
    assert mark["command"].endswith("--page pages/b.py") and mark["load_average_before"] == 1.5
    assert mark["floor_median_ms"] == 150.0 and "partial_run" not in saved["rows"][0]
    assert "later run of part of the benchmark" in report.partial_runs(saved["rows"])


def test_the_command_is_recorded_as_typed():
    assert results_file.command_line("benchmarks.rerun", ["--page", "pages/home.py"]) == \
        "python -m benchmarks.rerun --page pages/home.py"
    assert results_file.command_line("benchmarks.classroom", ["--sweep", "20,40"]) == \
        "python -m benchmarks.classroom --sweep 20,40"
