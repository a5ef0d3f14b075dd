"""One student with a script, on a real server: Streamlit's own WebSocket messages, sent as no page would send them,
must not harm the class or break the sender's session for good (playground/server_tuning.harden_sessions)."""

from __future__ import annotations

import asyncio
import re
import urllib.request

import pytest
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

from tooling.servers import start_server, stop_server, wait_healthy
from tooling.st_client import Session

PAGE = "multi_head"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    proc, url = start_server(tmp_path_factory.mktemp("hostile") / "server.log")
    try:
        wait_healthy(url, proc)
        yield url
    finally:
        stop_server(proc)


def cache_misses(url: str, name: str) -> int:
    """How often the cached function `name` has computed instead of answering from its cache (the server's metrics)."""
    with urllib.request.urlopen(f"{url}/_stcore/metrics", timeout=30) as r:
        text = r.read().decode()
    found = re.findall(rf'cache_lookups_total{{cache="{re.escape(name)}"[^}}]*result="miss"}} (\d+)', text)
    return sum(int(v) for v in found)


def run(coro):
    return asyncio.run(coro)


def test_clear_cache_from_a_student_leaves_the_shared_caches(server):
    cached = "playground.multi_head_ui.run_layer"  # the page's layer, computed once per setting for every session

    async def scenario():
        teacher, student = Session(server), Session(server)
        assert (await teacher.open(PAGE)).ok
        assert (await student.open(PAGE)).ok
        before = await asyncio.to_thread(cache_misses, server, cached)
        await student.ws.send(BackMsg(clear_cache=True).SerializeToString())
        runs = [await student.change([]), await teacher.change([])]
        await teacher.close()
        await student.close()
        return before, await asyncio.to_thread(cache_misses, server, cached), runs

    before, after, runs = run(scenario())
    assert before >= 1 and after == before, f"the class recomputed the cached layer: {before} -> {after} misses"
    assert all(r.ok for r in runs)


def test_a_value_of_the_wrong_kind_does_not_break_the_session(server):
    async def scenario():
        s = Session(server, timeout_s=30)
        assert (await s.open(PAGE)).ok
        box = next(w for w, (kind, _) in s.widgets.items() if kind == "selectbox")
        runs = [await s.change([WidgetState(id=box, trigger_value=True)]) for _ in range(2)]
        s.widget_states[box] = WidgetState(id=box, double_array_value={"data": [3.0]})  # kept and sent every rerun
        runs += [await s.change([]) for _ in range(2)]
        await s.close()
        return runs

    runs = run(scenario())
    assert all(r.ok for r in runs), [r.exceptions for r in runs]


def test_a_rerun_of_an_unknown_fragment_still_finishes(server):
    async def scenario():
        s = Session(server, timeout_s=30)
        assert (await s.open(PAGE)).ok
        msg = BackMsg()
        msg.rerun_script.fragment_id = "no-such-fragment"
        msg.rerun_script.page_script_hash = s.page_hashes.get(PAGE, "")
        result = await s._run(msg)
        after = await s.change([])
        await s.close()
        return result, after

    result, after = run(scenario())
    assert result.ok, result.exceptions
    assert after.ok
