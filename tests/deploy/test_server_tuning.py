"""playground.server_tuning: one full garbage collection per interval, not one per rerun."""

from __future__ import annotations

import gc

import pytest

from playground import server_tuning


@pytest.fixture
def postscript_gc_off(monkeypatch):
    monkeypatch.setattr(server_tuning, "gc_interval_s", lambda: 30.0)
    monkeypatch.setattr(server_tuning, "_last_gc", [0.0])


def test_collects_once_per_interval(postscript_gc_off, monkeypatch):
    calls = []
    monkeypatch.setattr(gc, "collect", lambda *a: calls.append(a) or 0)
    ran = [server_tuning.collect_if_due(clock=lambda t=t: t) for t in (10.0, 29.9, 30.0, 31.0, 59.0, 60.5)]
    assert ran == [False, False, True, False, False, True]
    assert len(calls) == 2


def test_streamlit_collecting_itself_turns_the_clock_off(monkeypatch):
    from streamlit import config

    monkeypatch.setattr(config, "get_option", lambda name: True if name == "runner.postScriptGC" else None)
    assert server_tuning.gc_interval_s() == 0.0
    assert server_tuning.collect_if_due(clock=lambda: 1e9) is False


def test_the_shipped_config_turns_postscript_gc_off_and_the_watcher_off():
    from pathlib import Path

    import tomllib

    conf = tomllib.loads((Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml").read_text())
    assert conf["runner"]["postScriptGC"] is False
    assert conf["server"]["fileWatcherType"] == "none"
