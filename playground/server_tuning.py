"""Once per server process, before the first page runs: load every module, then keep garbage collection cheap.

Called by the entry script on every rerun; only the first call in a process does anything, and concurrent first
calls (a class arriving at once on a fresh server) wait for it.

- **Imports up front, under one lock.** Each session runs its script in its own thread. When several students'
  first runs import pandas (or Plotly, or a lesson) at the same moment, one thread can see the module half
  initialised ("partially initialized module 'pandas' has no attribute 'NaT'", with 10 students on a cold
  server; `tests/deploy` reproduces it). Importing everything here, in one thread, removes the race.
- **One BLAS thread** (`one_blas_thread`, before NumPy loads; an operator's OPENBLAS_NUM_THREADS wins): the
  matrices are small and sessions run in threads of their own, so OpenBLAS's thread pool only fought the browser
  and the other sessions for the cores.
- **gc.freeze() after the imports.** The import-time objects (hundreds of thousands, never garbage) move to a
  permanent generation that no collection walks again, so every later full collection only visits what the
  sessions built.
- **No student can harm the others over the WebSocket** (`harden_sessions`, Streamlit's own messages, sent by a
  script instead of the page): a `clear_cache` message clears only the sender's own session state, never the
  server's caches (they are shared by every session: one message would make a whole class recompute them); a widget
  value of the wrong kind (a `trigger_value` for a select box) is dropped instead of raising TypeError on this and
  every later rerun of that session; a rerun of a fragment the session does not hold runs the whole page instead
  of never answering. docs/ARCHITECTURE.md shows each upstream behaviour with a minimal reproduction.
- **A full collection at most every GC_INTERVAL_S seconds** (environment AP_GC_INTERVAL_S; 0 turns it off), run
  by `collect_if_due` at the end of whichever session's rerun comes first after the interval (the same place
  Streamlit runs its own), when Streamlit's after-every-rerun collection is off (`runner.postScriptGC = false` in
  .streamlit/config.toml: it costs ~28 ms of held interpreter lock per rerun, 82 % of the lock time at 40
  students). It reclaims the reference cycles reruns leave behind (figures, script-run contexts), which Python's
  own generation thresholds let pile up between rare full collections.
"""

from __future__ import annotations

import gc
import importlib
import os
import pkgutil
import threading
import time
from collections.abc import Callable

GC_INTERVAL_S = 30.0
HEAVY_MODULES = ("numpy", "pandas", "pyarrow", "plotly.graph_objects", "plotly.subplots", "plotly.io")
OWN_PACKAGES = ("playground", "lessons", "models")

_lock = threading.Lock()  # process-wide setup, not session state: it guards the one-time preparation below
_prepared = threading.Event()


def prepare_server() -> None:
    """Import everything the pages use, freeze the import-time heap, start the periodic collection (once)."""
    if _prepared.is_set():
        return
    with _lock:
        if _prepared.is_set():
            return
        one_blas_thread()
        for name in (*HEAVY_MODULES, *_own_modules()):
            importlib.import_module(name)
        harden_sessions()
        gc.collect()
        gc.freeze()
        _prepared.set()


BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def one_blas_thread(environ=os.environ) -> None:
    """One BLAS thread per NumPy call, unless the operator set otherwise: before NumPy is imported, the only time
    OpenBLAS reads it. The server's matrices are small (at most 40 words by 512 columns) and every session already
    runs in its own thread, so a BLAS thread pool only competes for the cores: with Chromium on the same two cores, a
    Bottleneck rerun that translates a new sentence took two to three times as long with OpenBLAS's default pool."""
    for name in BLAS_THREAD_VARIABLES:
        environ.setdefault(name, "1")


MALFORMED_VALUE_ERRORS = (TypeError, ValueError, IndexError, KeyError, AttributeError)


def harden_sessions() -> None:
    """Guard Streamlit's session against hostile BackMsgs (idempotent; see the module docstring). Each guard wraps
    a method of Streamlit's own; a Streamlit without that method keeps working unguarded there, with a warning
    (tests/deploy/test_hostile_messages.py then fails, so an upgrade cannot drop a guard silently)."""
    import logging

    from streamlit.runtime.app_session import AppSession
    from streamlit.runtime.state.session_state import SessionState, WStates

    if getattr(AppSession, "_playground_hardened", False):
        return
    guards = ((AppSession, "_handle_clear_cache_request", lambda _: _clear_own_state_only),
              (AppSession, "request_rerun", _rerun_unknown_fragment_as_page),
              (WStates, "set_widget_from_proto", _drop_mistyped_value),
              (SessionState, "register_widget", _forget_undecodable_value))
    for owner, name, guard in guards:
        original = getattr(owner, name, None)
        if original is None:
            logging.getLogger(__name__).warning("Streamlit has no %s.%s: that guard is off", owner.__name__, name)
            continue
        setattr(owner, name, guard(original))
    AppSession._playground_hardened = True


def _clear_own_state_only(self) -> None:
    # Streamlit's own handler clears st.cache_data and st.cache_resource for every session of the server.
    self._session_state.clear()


def _rerun_unknown_fragment_as_page(request_rerun):
    def guarded(self, client_state):
        if client_state is not None and client_state.fragment_id and not self.has_fragment(client_state.fragment_id):
            from streamlit.proto.ClientState_pb2 import ClientState

            whole_page = ClientState()
            whole_page.CopyFrom(client_state)
            whole_page.fragment_id = ""  # Streamlit would drop the request and the client would wait for ever
            client_state = whole_page
        return request_rerun(self, client_state)

    return guarded


def _drop_mistyped_value(set_widget_from_proto):
    def guarded(self, widget_state) -> None:
        metadata = self.widget_metadata.get(widget_state.id)
        if metadata is not None and metadata.value_type and widget_state.WhichOneof("value") != metadata.value_type:
            return  # not a value this widget can hold: keep the one it has
        set_widget_from_proto(self, widget_state)

    return guarded


def _forget_undecodable_value(register_widget):
    def guarded(self, metadata, user_key):
        try:
            return register_widget(self, metadata, user_key)
        except MALFORMED_VALUE_ERRORS:
            # A value sent before the widget was known, of a kind its deserializer cannot read: the widget starts
            # from its default, as on a first visit.
            self._new_widget_state.states.pop(metadata.id, None)
            return register_widget(self, metadata, user_key)

    return guarded


def _own_modules() -> list[str]:
    names = []
    for package in OWN_PACKAGES:
        path = importlib.import_module(package).__path__
        names += [m.name for m in pkgutil.walk_packages(path, package + ".") if not m.name.endswith("__main__")]
    return names


def gc_interval_s() -> float:
    """Seconds between full collections; 0 when Streamlit collects after every rerun itself (or when turned off)."""
    from streamlit import config

    if config.get_option("runner.postScriptGC"):
        return 0.0
    return float(os.environ.get("AP_GC_INTERVAL_S", GC_INTERVAL_S))


_gc_lock = threading.Lock()
_last_gc = [time.monotonic()]  # process-wide clock of the last full collection (not session state)


def collect_if_due(clock: Callable[[], float] = time.monotonic) -> bool:
    """Run a full collection when the last one is GC_INTERVAL_S old; True when this call collected."""
    interval = gc_interval_s()
    if interval <= 0 or clock() - _last_gc[0] < interval or not _gc_lock.acquire(blocking=False):
        return False
    try:
        _last_gc[0] = clock()
        gc.collect()
    finally:
        _gc_lock.release()
    return True
