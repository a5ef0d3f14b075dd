"""A Streamlit client at the protocol level: what the browser's frontend says over its WebSocket, without a browser.

One `Session` is one browser tab: it fetches the page over HTTP (so a proxy can hand it its affinity cookie), opens
`/_stcore/stream`, and speaks Streamlit's own protobuf messages (BackMsg up, ForwardMsg down; streamlit/proto). A
rerun is a `BackMsg.rerun_script` carrying the page (page_script_hash / page_name), the URL's query string and the
state of every widget on the page, as the frontend sends it; the server answers with a new_session message, the
page's deltas, and `script_finished`. `Session.rerun` returns when script_finished arrives, with every element seen
on the way (widgets to change next, exceptions to count as errors).

Used by benchmarks/classroom.py (N students), benchmarks/failover.py and deploy/serve.py (warming each replica).
"""

from __future__ import annotations

import asyncio
import os
import time
import urllib.request
from dataclasses import dataclass, field

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import connect

from playground.navigation import PAGES

WIDGET_TYPES = ("slider", "radio", "selectbox", "checkbox", "text_input", "text_area", "button_group",
                "number_input", "button")
FINISHED = ForwardMsg.ScriptFinishedStatus
RERUN_TIMEOUT_S = 60.0
WARM_TIMEOUT_S = 600.0  # a page's very first run may compute its caches (Bottleneck: 2,000 sentences)


@dataclass
class RunResult:
    """One rerun as the client saw it."""

    ok: bool  # finished successfully, no exception element
    seconds: float  # send -> script_finished (all deltas received before it, in order)
    exceptions: list[str] = field(default_factory=list)  # the exception elements' messages
    widgets: dict[str, tuple[str, object]] = field(default_factory=dict)  # id -> (element type, proto)
    elements: int = 0
    texts: list[str] = field(default_factory=list)  # the Markdown bodies the run wrote, in order


class Session:
    """One browser tab on `base_url` (http://127.0.0.1:port), over the real WebSocket protocol."""

    def __init__(self, base_url: str, timeout_s: float = RERUN_TIMEOUT_S) -> None:
        if not base_url.startswith(("http://127.0.0.1", "http://localhost")):
            raise ValueError(f"this client only talks to this machine, not {base_url}")
        self.base_url = base_url.rstrip("/")
        self.timeout_s = timeout_s
        self.ws = None
        self.cookie = ""
        self.query_string = ""
        self.page_hashes: dict[str, str] = {}  # url_path -> page_script_hash, from the navigation message
        self.page = ""  # url_path of the page on screen
        self.widget_states: dict[str, WidgetState] = {}  # what the frontend would send: values the student set
        self.widgets: dict[str, tuple[str, object]] = {}
        self._queue: asyncio.Queue = asyncio.Queue()
        self._reader: asyncio.Task | None = None

    async def open(self, page: str, cookie: str = "", query: str = "") -> RunResult:
        """Load `page` (a url_path) as a browser does: GET the page, open the WebSocket, run the script. `cookie` is
        the affinity cookie a browser already holds (a reload or a reconnect after its replica went away); `query`
        the URL's query string ("code=BCDF")."""
        self.cookie = await asyncio.to_thread(self._get_cookie, f"{self.base_url}/{page}", cookie)
        self.query_string = query
        ws_url = self.base_url.replace("http://", "ws://", 1) + "/_stcore/stream"
        headers = {"Cookie": self.cookie} if self.cookie else {}
        self.ws = await connect(ws_url, subprotocols=["streamlit"], additional_headers=headers, max_size=None,
                                open_timeout=RERUN_TIMEOUT_S, ping_interval=None)
        self._reader = asyncio.create_task(self._read())
        self.page = page
        return await self._run(self._page_request(page, query))

    def _page_request(self, page: str, query: str = "") -> BackMsg:
        # The default page lives at "/" (url_pathname ""); the frontend names a page by its URL path.
        name = "" if page == PAGES[0].url_path else page
        return BackMsg(rerun_script={"query_string": query, "page_name": name,
                                     "page_script_hash": self.page_hashes.get(name, "")})

    @staticmethod
    def _get_cookie(url: str, cookie: str = "") -> str:
        req = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
        with urllib.request.urlopen(req, timeout=RERUN_TIMEOUT_S) as r:
            r.read()
            cookies = [c.split(";", 1)[0] for c in r.headers.get_all("Set-Cookie") or []]
        return "; ".join(c for c in cookies if c.startswith("ap_replica=")) or cookie

    @property
    def replica(self) -> str:
        """The replica that holds this session, as nginx names it (X-Playground-Replica), or "" without a proxy."""
        return self.ws.response.headers.get("X-Playground-Replica", "") if self.ws is not None else ""

    async def goto(self, page: str) -> RunResult:
        """Click a page in the sidebar: the new page's script, its own query string, no widget states."""
        self.page, self.query_string, self.widget_states = page, "", {}
        return await self._run(self._page_request(page))

    async def change(self, states: list[WidgetState]) -> RunResult:
        """Set widgets (as a student does) and rerun with every widget value the frontend holds."""
        triggers = [s for s in states if s.WhichOneof("value") == "trigger_value"]
        for s in states:
            if s not in triggers:
                self.widget_states[s.id] = s
        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string = self.query_string
        cs.page_script_hash = self.page_hashes.get("" if self.page == PAGES[0].url_path else self.page, "")
        for wid, s in self.widget_states.items():
            if wid in self.widgets:
                cs.widget_states.widgets.append(s)
        cs.widget_states.widgets.extend(triggers)  # a button click is sent once, never remembered
        return await self._run(msg)

    async def close(self) -> None:
        if self._reader:
            self._reader.cancel()
        if self.ws is not None:
            await self.ws.close()

    async def _read(self) -> None:
        try:
            async for data in self.ws:
                msg = ForwardMsg()
                msg.ParseFromString(data)
                await self._queue.put(msg)
        except Exception as e:  # connection lost: the waiting rerun sees it
            await self._queue.put(e)
        else:
            await self._queue.put(ConnectionError("server closed the WebSocket"))

    async def _run(self, msg: BackMsg) -> RunResult:
        result = RunResult(ok=False, seconds=0.0)
        while not self._queue.empty():  # stale messages of an earlier run (none expected, but never mix runs)
            item = self._queue.get_nowait()
            if isinstance(item, Exception):  # the connection dropped while the student was thinking
                result.exceptions.append(f"connection: {item!r}")
                return result
            self._handle(item, None)
        t0 = time.perf_counter()
        try:
            await self.ws.send(msg.SerializeToString())
        except Exception as e:  # the server (or the proxy) closed this session
            result.exceptions.append(f"connection: {e!r}")
            return result
        deadline = t0 + self.timeout_s
        while True:
            try:
                item = await asyncio.wait_for(self._queue.get(), max(0.0, deadline - time.perf_counter()))
            except asyncio.TimeoutError:
                result.exceptions.append(f"no script_finished within {self.timeout_s:.0f} s")
                break
            if isinstance(item, Exception):
                result.exceptions.append(f"connection: {item!r}")
                break
            status = self._handle(item, result)
            if status is None:
                continue
            if status == FINISHED.FINISHED_EARLY_FOR_RERUN:  # st.rerun() or a newer request: the next run counts
                result.widgets = {}
                continue
            result.ok = status == FINISHED.FINISHED_SUCCESSFULLY and not result.exceptions
            if status != FINISHED.FINISHED_SUCCESSFULLY:
                result.exceptions.append(f"script finished with {FINISHED.Name(status)}")
            break
        result.seconds = time.perf_counter() - t0
        if result.ok:
            self.widgets = result.widgets
        return result

    def _handle(self, msg: ForwardMsg, result: RunResult | None) -> int | None:
        """Fold one ForwardMsg into the session (and the current run); return script_finished's status, if it is one."""
        kind = msg.WhichOneof("type")
        if kind == "script_finished":
            return msg.script_finished
        if kind == "navigation":
            self.page_hashes.update({p.url_pathname: p.page_script_hash for p in msg.navigation.app_pages})
        elif kind == "page_info_changed":
            self.query_string = msg.page_info_changed.query_string
        elif kind == "page_not_found" and result is not None:
            result.exceptions.append(f"page not found: {msg.page_not_found.page_name}")
        elif kind == "session_event" and msg.session_event.WhichOneof("type") == "script_compilation_exception":
            if result is not None:
                result.exceptions.append(msg.session_event.script_compilation_exception.message)
        elif kind == "delta" and result is not None and msg.delta.WhichOneof("type") == "new_element":
            el = msg.delta.new_element
            etype = el.WhichOneof("type")
            result.elements += 1
            if etype == "exception":
                result.exceptions.append(f"{el.exception.type}: {el.exception.message}")
                if os.environ.get("AP_CLIENT_TRACEBACKS"):
                    print("\n".join(el.exception.stack_trace))
            elif etype == "markdown":
                result.texts.append(el.markdown.body)
            elif etype in WIDGET_TYPES:
                proto = getattr(el, etype)
                result.widgets[proto.id] = (etype, proto)
        return None


async def visit_all_pages(base_url: str) -> list[RunResult]:
    """Open every page of the navigation once in one session (a teacher checking the app before class)."""
    s = Session(base_url, timeout_s=WARM_TIMEOUT_S)
    try:
        results = [await s.open(PAGES[0].url_path)]
        for info in PAGES[1:]:
            results.append(await s.goto(info.url_path))
        return results
    finally:
        await s.close()


def warm_up(base_url: str) -> None:
    """Run every page once on the server at base_url, so imports, weights and caches are loaded; raise on errors."""
    bad = [r.exceptions for r in asyncio.run(visit_all_pages(base_url)) if not r.ok]
    if bad:
        raise RuntimeError(f"warm-up of {base_url} failed: {bad}")
