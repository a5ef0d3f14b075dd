"""Machinery for fuzzing any page: find its controls in the AppTest element tree, draw valid values a visitor could
send from a browser, send them, and list what went wrong on screen.

Nothing here knows a particular page. A control is driven the way the browser drives it: its new value goes to the
server as the same WidgetState the frontend would send (formatted option labels for select boxes, radios, pills and
select sliders; JSON for chart selections and table edits), so a page's format_func never has to be guessed.
Controls that AppTest does not model as widgets (stateful tabs, keyed expanders, chart selections, data editors) keep
their last value on every later run, as the browser keeps sending it.
"""

from __future__ import annotations

import base64
import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from hypothesis import strategies as st
from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block, Dataframe, Widget

from playground.navigation import page_by_path
from tests.app.conftest import TIMEOUT_S, open_page

ROOT = Path(__file__).resolve().parents[2]

# ---------------------------------------------------------------------------------------------------------------
# Text a visitor might type or paste

TEN_THOUSAND = 10_000
AWKWARD_TEXTS = (
    "",
    " ",
    "   \t \n  ",
    "\n\n\n",
    ".",
    "a",
    "The cat sat on the mat because it was tired.",
    "😀 🐈‍⬛ 🤖 👩🏽‍💻 🇮🇳 🏳️‍🌈",
    "நாளைக்குள் அறிக்கையை அனுப்ப வேண்டும்",  # Tamil
    "அவள் பழைய அறிக்கையை கவனமாக படித்தாள்",
    "القطة جلست على الحصيرة لأنها كانت متعبة",  # Arabic, right to left
    "החתול ישב על השטיח כי הוא היה עייף",  # Hebrew, right to left
    "mixed עברית and English العربية 123",
    "<script>alert('x')</script>",
    "<b>bold</b> <img src=x onerror=alert(1)> &amp; &lt;",
    "**bold** _italic_ `code` ~~gone~~ # heading > quote",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "$$\\frac{1}{0}$$ and $x^2$ and \\(y\\)",
    "```python\nprint(1)\n```",
    "[link](javascript:alert(1)) <https://example.com>",
    ":material/home: :smile: {0} {{x}} %s %d",
    "e\u0301 a\u0300 \u200b\u200c\u200d \ufeff zero width",
    "\u202eright-to-left override\u202c and \u2066isolate\u2069",
    "' \" ` \\ / ; -- /* */",
    "word " * (TEN_THOUSAND // 5),
    "x" * TEN_THOUSAND,
    "தமிழ் " * (TEN_THOUSAND // 6),
    "😀" * TEN_THOUSAND,
)
_NAN_WORD = re.compile(r"nan", re.IGNORECASE)  # typed text with "nan" in it would be echoed and trip the NaN check


def texts() -> st.SearchStrategy[str]:
    """Awkward fixed texts, random unicode, and sentences glued from the awkward pieces."""
    pieces = st.sampled_from(AWKWARD_TEXTS[:24])
    return st.one_of(
        st.sampled_from(AWKWARD_TEXTS),
        st.text(max_size=60),
        st.lists(st.one_of(pieces, st.text(max_size=12)), min_size=2, max_size=6).map(" ".join),
    ).filter(lambda s: not _NAN_WORD.search(s))


# ---------------------------------------------------------------------------------------------------------------
# Controls found on a page


@dataclass(frozen=True)
class Control:
    """One thing a visitor can operate: its kind, the id the browser reports it under, and what it accepts."""

    kind: str
    id: str
    key: str | None
    label: str
    spec: dict = field(default_factory=dict, compare=False, hash=False)
    form_id: str = ""

    def __repr__(self) -> str:  # shows up in hypothesis' failure report
        return f"{self.kind}({self.key or self.label!r})"

    @property
    def sticky(self) -> bool:
        # AppTest does not send these back on its own; the browser does, on every run
        return self.kind in ("tabs", "expander", "plotly_select", "data_editor")


UNSUPPORTED_WIDGETS = frozenset({
    "audio_input", "camera_input", "chat_input", "date_input", "date_time_input", "feedback", "file_uploader",
    "menu_button", "pagination", "time_input",
})


def _short_label(proto: Any) -> str:
    return str(getattr(proto, "label", "") or "")[:60]


def _walk(at: AppTest) -> Iterator[Any]:
    for root in (at.main, at.sidebar):
        yield from root  # a Block iterates over itself and everything below it


def discover(at: AppTest) -> tuple[list[Control], list[str]]:
    """The enabled controls now on screen, in page order, and a note for each control this module cannot drive."""
    controls, unsupported = [], []
    for node in _walk(at):
        control = None
        if isinstance(node, Widget):
            if getattr(node.proto, "disabled", False):
                continue
            control = _widget_control(node)
            if control is None:
                unsupported.append(f"{node.type} {node.key or _short_label(node.proto)!r}")
        elif isinstance(node, Block):
            control = _block_control(node)
        elif isinstance(node, Dataframe):
            control = _editor_control(node)
            if getattr(node.proto, "selection_mode", None):
                unsupported.append(f"dataframe row/column selection {node.key!r}")
        elif getattr(node, "type", None) == "plotly_chart":
            control = _chart_control(node)
        if control is not None:
            controls.append(control)
    return controls, unsupported


def _widget_control(node: Widget) -> Control | None:
    p, kind = node.proto, node.type
    base = dict(id=node.id, key=node.key, label=_short_label(p), form_id=getattr(p, "form_id", "") or "")
    if kind == "slider":
        if p.data_type not in (0, 1):  # INT, FLOAT; dates and times are not used by the playground
            return None
        return Control("slider", spec=dict(lo=p.min, hi=p.max, step=p.step, is_int=p.data_type == 0,
                                           is_range=len(p.default) == 2), **base)
    if kind == "select_slider":
        return Control("select_slider", spec=dict(options=tuple(p.options), is_range=len(p.default) == 2), **base)
    if kind == "number_input":
        return Control("number_input", spec=dict(lo=p.min if p.has_min else None, hi=p.max if p.has_max else None,
                                                 step=p.step, is_int=p.data_type == 0), **base)
    if kind in ("text_input", "text_area"):
        return Control(kind, spec=dict(max_chars=p.max_chars), **base)
    if kind in ("selectbox", "radio"):
        return Control(kind, spec=dict(options=tuple(p.options), free=bool(getattr(p, "accept_new_options", False))),
                       **base)
    if kind == "multiselect":
        return Control("multiselect", spec=dict(options=tuple(p.options), most=p.max_selections,
                                                free=bool(p.accept_new_options)), **base)
    if kind == "button_group":
        return Control("button_group", spec=dict(options=tuple(o.content for o in p.options),
                                                 single=p.click_mode == 0, required=bool(p.required)), **base)
    if kind in ("checkbox", "toggle"):
        return Control(kind, **base)
    if kind in ("button", "download_button"):
        submit = kind == "button" and bool(p.is_form_submitter)
        return Control("submit" if submit else "button", **base)
    if kind == "color_picker":
        return Control("color_picker", **base)
    return None  # UNSUPPORTED_WIDGETS and anything newer


def _block_control(node: Block) -> Control | None:
    proto = node.proto
    if getattr(node, "type", None) == "tab_container" and proto is not None and proto.id:
        labels = tuple(child.label for child in node.children.values() if getattr(child, "type", None) == "tab")
        return Control("tabs", id=proto.id, key=node.key, label=" | ".join(labels)[:60], spec=dict(options=labels))
    if getattr(node, "type", None) == "expander" and getattr(proto, "id", ""):
        return Control("expander", id=proto.id, key=node.key, label=str(proto.label)[:60])
    return None


def _editor_control(node: Dataframe) -> Control | None:
    p = node.proto
    if p.editing_mode == 0 or p.disabled or not p.id:  # READ_ONLY
        return None
    frame = node.value
    config = json.loads(p.columns) if p.columns else {}
    columns = []
    for name, dtype in zip(frame.columns, frame.dtypes):
        cfg = config.get(str(name), {})
        if cfg.get("disabled"):
            continue
        columns.append((str(name), str(dtype), cfg.get("type_config", {}), bool(cfg.get("required"))))
    if not columns:
        return None
    return Control("data_editor", id=p.id, key=node.key, label=f"{len(frame)} x {len(columns)} table",
                   spec=dict(rows=len(frame), columns=tuple(columns), mode=p.editing_mode))


def _chart_control(node: Any) -> Control | None:
    p = node.proto
    if not p.id or not len(p.selection_mode):
        return None
    spec = json.loads(p.spec)
    points = tuple(_chart_points(spec.get("data", [])))
    if not points:
        return None
    return Control("plotly_select", id=p.id, key=node.key, label=str(node.key),
                   spec=dict(points=points, box=1 in p.selection_mode))


def plain(values: Any) -> Any:
    """A figure array as plain Python lists: Plotly writes NumPy arrays as base64 'bdata' with a dtype and shape."""
    if isinstance(values, dict) and "bdata" in values:
        flat = np.frombuffer(base64.b64decode(values["bdata"]), dtype=np.dtype(values["dtype"]))
        shape = [int(n) for n in str(values.get("shape", len(flat))).split(",")]
        return flat.reshape(shape).tolist()
    return values


def _chart_points(traces: list[dict]) -> Iterator[dict]:
    # The points a click can report, shaped like the frontend's event (snake_case Plotly event fields).
    for c, trace in enumerate(traces):
        kind = trace.get("type", "scatter")
        xs, ys = plain(trace.get("x")) or [], plain(trace.get("y")) or []
        if kind == "heatmap" and trace.get("z") is not None:
            for i, row in enumerate(plain(trace["z"])):
                for j, value in enumerate(row):
                    yield dict(curve_number=c, point_number=[i, j], point_index=[i, j],
                               x=xs[j] if j < len(xs) else j, y=ys[i] if i < len(ys) else i, z=value)
        elif kind in ("scatter", "scattergl", "bar"):
            for k in range(max(len(xs), len(ys))):
                yield dict(curve_number=c, point_number=k, point_index=k,
                           x=xs[k] if k < len(xs) else k, y=ys[k] if k < len(ys) else k)


# ---------------------------------------------------------------------------------------------------------------
# Values a browser could send


def _grid(lo: float, hi: float, step: float, is_int: bool) -> st.SearchStrategy[float]:
    steps = max(int(math.floor((hi - lo) / step + 1e-9)), 0) if step > 0 else 0

    def at(k: int) -> float:
        v = min(max(lo + k * step, lo), hi)
        return int(round(v)) if is_int else round(v, 12)

    return st.one_of(st.just(0), st.just(steps), st.integers(0, steps)).map(at)


def _labels_subset(options: tuple, most: int) -> st.SearchStrategy[list]:
    cap = len(options) if most <= 0 else min(most, len(options))
    return st.lists(st.sampled_from(options), max_size=cap, unique=True) if options else st.just([])


def values_for(control: Control) -> st.SearchStrategy[Any]:
    """Every value the browser could send for this control (ends of ranges included)."""
    s, kind = control.spec, control.kind
    if kind == "slider":
        one = _grid(s["lo"], s["hi"], s["step"], s["is_int"])
        return st.tuples(one, one).map(sorted).map(tuple) if s["is_range"] else one
    if kind == "number_input":
        if s["is_int"]:
            lo = int(s["lo"]) if s["lo"] is not None else -(2**53 - 1)  # the browser's largest safe integer
            hi = int(s["hi"]) if s["hi"] is not None else 2**53 - 1
            return st.one_of(st.just(lo), st.just(hi), st.integers(lo, hi), st.integers(max(lo, -5), min(hi, 5)))
        lo = s["lo"] if s["lo"] is not None else -1e308
        hi = s["hi"] if s["hi"] is not None else 1e308
        return st.one_of(st.just(lo), st.just(hi), st.floats(lo, hi, allow_nan=False, allow_infinity=False),
                         st.floats(max(lo, -10.0), min(hi, 10.0)))
    if kind in ("text_input", "text_area"):
        cap = s["max_chars"]
        return texts().map(lambda t: t[:cap] if cap else t)
    if kind in ("select_slider",):
        options = s["options"]
        if s["is_range"]:
            idx = st.tuples(st.integers(0, len(options) - 1), st.integers(0, len(options) - 1)).map(sorted)
            return idx.map(lambda ij: (options[ij[0]], options[ij[1]]))
        return st.sampled_from(options)
    if kind in ("selectbox", "radio"):
        picks = st.sampled_from(s["options"]) if s["options"] else st.nothing()
        return st.one_of(picks, texts().filter(bool)) if s["free"] else picks
    if kind == "multiselect":
        picks = _labels_subset(s["options"], s["most"])
        if s["free"]:
            return st.tuples(picks, st.lists(texts().filter(bool), max_size=2)).map(lambda t: t[0] + t[1])
        return picks
    if kind == "button_group":
        if s["single"]:
            one = st.sampled_from(s["options"]).map(lambda o: [o])
            return one if s["required"] else st.one_of(one, st.just([]))
        return _labels_subset(s["options"], 0)
    if kind in ("checkbox", "toggle", "expander"):
        return st.booleans()
    if kind in ("button", "submit"):
        return st.just(True)
    if kind == "color_picker":
        return st.integers(0, 0xFFFFFF).map(lambda c: f"#{c:06x}")
    if kind == "tabs":
        return st.sampled_from(s["options"])
    if kind == "plotly_select":
        return st.one_of(st.just([]), st.lists(st.sampled_from(s["points"]), min_size=1, max_size=2, unique_by=str))
    if kind == "data_editor":
        return st.lists(_cell_edit(s), min_size=1, max_size=3)
    raise ValueError(f"no values known for control kind {kind!r}")


def _grid_ends(lo: float, hi: float, step: float, is_int: bool) -> tuple[float, float]:
    steps = max(int(math.floor((hi - lo) / step + 1e-9)), 0) if step > 0 else 0
    top = min(lo + steps * step, hi)
    return (int(round(lo)), int(round(top))) if is_int else (lo, round(top, 12))


def edge_values(control: Control) -> list[Any]:
    """The values most likely to break a page, to try one at a time: both ends of every range, first and last
    options, empty and full selections, every awkward text."""
    s, kind = control.spec, control.kind
    if kind == "slider":
        lo, hi = _grid_ends(s["lo"], s["hi"], s["step"], s["is_int"])
        return [(lo, lo), (hi, hi), (lo, hi)] if s["is_range"] else [lo, hi]
    if kind == "number_input":
        big = 2**53 - 1 if s["is_int"] else 1e308
        lo = s["lo"] if s["lo"] is not None else -big
        hi = s["hi"] if s["hi"] is not None else big
        return [int(lo), int(hi)] if s["is_int"] else [lo, hi]
    if kind in ("text_input", "text_area"):
        cap = s["max_chars"]
        return list(dict.fromkeys(t[:cap] if cap else t for t in AWKWARD_TEXTS))
    if kind == "select_slider":
        first, last = s["options"][0], s["options"][-1]
        return [(first, first), (last, last), (first, last)] if s["is_range"] else [first, last]
    if kind in ("selectbox", "radio", "tabs"):
        return list(dict.fromkeys([s["options"][0], s["options"][-1]])) if s["options"] else []
    if kind == "multiselect":
        cap = len(s["options"]) if s["most"] <= 0 else s["most"]
        return [[], list(s["options"][:cap])]
    if kind == "button_group":
        ends = [[s["options"][0]], [s["options"][-1]]] if s["single"] else [list(s["options"])]
        return ends if s.get("required") else [*ends, []]
    if kind in ("checkbox", "toggle", "expander"):
        return [True, False]
    if kind in ("button", "submit"):
        return [True]
    if kind == "color_picker":
        return ["#000000", "#ffffff"]
    if kind == "plotly_select":
        return [[s["points"][0]], [s["points"][-1]], []]
    if kind == "data_editor":
        edits = []
        for name, dtype, cfg, required in s["columns"]:
            if (cfg.get("type") or "number") == "number" and dtype.startswith(("float", "int")):
                lo, hi = cfg.get("min_value", -1e12), cfg.get("max_value", 1e12)
                edits += [[(0, name, lo)], [(s["rows"] - 1, name, hi)]]
            if not required:
                edits.append([(0, name, None)])
        return edits
    return []


def _cell_edit(spec: dict) -> st.SearchStrategy[tuple[int, str, Any]]:
    def value(column: tuple[str, str, dict, bool]) -> st.SearchStrategy[Any]:
        _name, dtype, cfg, required = column
        kind = cfg.get("type") or ("number" if dtype.startswith(("float", "int")) else
                                   "checkbox" if dtype == "bool" else "text")
        if kind == "number":
            lo, hi = cfg.get("min_value"), cfg.get("max_value")
            lo = -1e12 if lo is None else lo
            hi = 1e12 if hi is None else hi
            step = cfg.get("step")
            base = _grid(lo, hi, step, False) if step else st.floats(lo, hi)
            v = st.one_of(st.just(lo), st.just(hi), base)
        elif kind == "checkbox":
            v = st.booleans()
        elif kind == "selectbox":
            v = st.sampled_from(tuple(cfg.get("options") or ("",)))
        else:
            v = texts().map(lambda t: t[: cfg["max_chars"]] if cfg.get("max_chars") else t)
        return v if required else st.one_of(v, st.none())  # a visitor can clear a cell

    rows = st.integers(0, max(spec["rows"] - 1, 0))
    return st.sampled_from(spec["columns"]).flatmap(
        lambda col: st.tuples(rows, st.just(col[0]), value(col)))


# ---------------------------------------------------------------------------------------------------------------
# Sending values


def widget_state(control: Control, value: Any, previous: WidgetState | None = None) -> WidgetState:
    """The WidgetState the browser sends for `control` set to `value`."""
    ws = WidgetState(id=control.id)
    kind = control.kind
    if kind == "slider":
        ws.double_array_value.data[:] = [float(v) for v in (value if isinstance(value, tuple) else (value,))]
    elif kind == "number_input":
        ws.double_value = float(value)
    elif kind in ("text_input", "text_area", "color_picker", "tabs", "selectbox", "radio"):
        ws.string_value = value  # select boxes and radios send the option's label, as the browser does
    elif kind == "select_slider":
        ws.string_array_value.data[:] = list(value) if isinstance(value, tuple) else [value]
    elif kind in ("multiselect", "button_group"):
        ws.string_array_value.data[:] = list(value)
    elif kind in ("checkbox", "toggle", "expander"):
        ws.bool_value = bool(value)
    elif kind in ("button", "submit"):
        ws.trigger_value = True
    elif kind == "plotly_select":
        indices = [p["point_index"] for p in value]
        box = []
        if value and control.spec["box"] and not isinstance(value[0]["x"], str):
            xs, ys = [p["x"] for p in value], [p["y"] for p in value]
            box = [dict(xref="x", yref="y", x=[min(xs), max(xs)], y=[min(ys), max(ys)])]
        ws.string_value = json.dumps(dict(selection=dict(points=list(value), point_indices=indices, box=box,
                                                         lasso=[])))
    elif kind == "data_editor":
        state = json.loads(previous.string_value) if previous is not None else {}
        edited = state.get("edited_rows", {})
        for row, column, cell in value:  # edits pile up, as in the browser, until the editor is replaced
            edited.setdefault(str(row), {})[column] = cell
        ws.string_value = json.dumps(dict(edited_rows=edited, added_rows=[], deleted_rows=[]))
    else:
        raise ValueError(f"cannot send a value for control kind {kind!r}")
    return ws


def _describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 120 else f"{text[:100]}... ({len(value) if hasattr(value, '__len__') else '?'} long)"


def open_any_page(path: str, query: dict[str, str] | None = None) -> AppTest:
    """A page in the navigation through the entry script; a page not in it yet (AP_FUZZ_PAGES) on its own."""
    if page_by_path(path) is not None:
        return open_page(path, query)
    at = AppTest.from_file(str(ROOT / path), default_timeout=TIMEOUT_S)
    for name, value in (query or {}).items():
        at.query_params[name] = value
    return at.run()


class RunTimedOut(Exception):
    pass


class Session:
    """One visitor on one page: opens it, operates controls as the browser would, remembers what it did."""

    def __init__(self, path: str, query: dict[str, str] | None = None, at: AppTest | None = None):
        self.path = path
        self.log: list[str] = [f"open {path}" + (f" with {query}" if query else "")]
        self.sticky: dict[str, WidgetState] = {}  # control id -> last state of controls AppTest does not resend
        self.staged: dict[str, dict[str, WidgetState]] = {}  # form id -> states waiting for the form's submit
        self.at = at if at is not None else open_any_page(path, query)

    def controls(self) -> list[Control]:
        return discover(self.at)[0]

    def operate(self, control: Control, value: Any) -> bool:
        """Send `value` for `control`; True when that made the page run (a change inside a form waits for submit)."""
        self.log.append(f"{control!r} <- {_describe(value)}")
        state = widget_state(control, value, self.sticky.get(control.id))
        if control.form_id and control.kind != "submit":
            self.staged.setdefault(control.form_id, {})[control.id] = state
            return False
        extra = {control.id: state}
        if control.kind == "submit":
            extra.update(self.staged.pop(control.form_id, {}))
        if control.sticky:
            self.sticky[control.id] = state
        self.run(extra)
        return True

    def run(self, extra: dict[str, WidgetState] | None = None) -> None:
        present = {c.id for c in self.controls()}
        states = {i: s for i, s in self.sticky.items() if i in present}
        states.update(extra or {})
        self.sticky = {i: s for i, s in self.sticky.items() if i in present}
        tree = self.at._tree  # AppTest has no public way to send a raw WidgetState; add ours to the ones it builds
        build = tree.get_widget_states

        def with_ours():
            built = build()
            kept = [w for w in built.widgets if w.id not in states]
            del built.widgets[:]
            built.widgets.extend(kept + list(states.values()))
            return built

        tree.get_widget_states = with_ours
        try:
            self.at.run()
        except RuntimeError as exc:  # AppTest's timeout: the page did not finish
            raise RunTimedOut(f"{self.path}: the script did not finish: {exc}") from exc

    def story(self) -> str:
        return "\n  ".join(self.log)


def replay(path: str, steps: list[tuple[str, Any]], query: dict[str, str] | None = None) -> Session:
    """Reproduce a reported sequence: [(widget key, value as sent), ...] on a fresh session of `path`."""
    session = Session(path, query)
    for key, value in steps:
        control = next((c for c in session.controls() if key in (c.key, c.label)), None)
        if control is None:
            raise LookupError(f"{path}: no control {key!r} on screen now; controls: {session.controls()}")
        session.operate(control, value)
    return session


# ---------------------------------------------------------------------------------------------------------------
# What must never be on screen

TRACEBACK = re.compile(r"Traceback \(most recent call last\)|File \"[^\"]+\", line \d+")
EXCEPTION_NAME = re.compile(
    r"\b(?:Value|Type|Key|Index|Attribute|Name|ZeroDivision|Runtime|Assertion|Overflow|FloatingPoint|LinAlg|"
    r"Recursion|Memory|NotImplemented|StreamlitAPI|Unicode\w*)(?:Error|Exception)\b")
# What formatting a NaN prints: Python and NumPy write "nan" ("nan%", "0.5 / nan"); prose that talks about NaN
# ("never NaN") is fine, a percentage of NaN is not.
NAN_WORD = re.compile(r"(?<![A-Za-z])nan(?![A-Za-z])|(?<![A-Za-z])NaN\s*%")
TEXT_KINDS = ("title", "header", "subheader", "markdown", "caption", "text", "code", "latex", "info", "warning",
              "error", "success", "toast")
ALERT_KINDS = ("error", "warning", "info", "success", "toast")


def shown_texts(at: AppTest) -> Iterator[tuple[str, str]]:
    """(kind, text) for everything written as text, metric figures and widget labels included."""
    for kind in TEXT_KINDS:
        for element in getattr(at, kind):
            yield kind, str(element.value)
    for metric in at.metric:
        yield "metric", f"{metric.label}: {metric.value} {metric.proto.delta}"
    for node in _walk(at):
        if isinstance(node, Widget):
            yield f"{node.type} label", _short_label(node.proto)


def chart_specs(at: AppTest) -> list[tuple[str, dict]]:
    return [(str(c.key or f"chart {i}"), json.loads(c.proto.spec)) for i, c in enumerate(at.get("plotly_chart"))]


def _strings(obj: Any, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(obj, str):
        yield path, obj
    elif isinstance(obj, dict) and "bdata" not in obj:  # bdata: a binary-encoded array, base64 not text
        for k, v in obj.items():
            if k != "template":  # Plotly's theme, not our data
                yield from _strings(v, f"{path}.{k}")
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _strings(v, f"{path}[{i}]")


def _numbers(values: Any) -> np.ndarray | None:
    """A trace's data array as floats, NaN for gaps (JSON null), from a plain list or Plotly's typed-array dict."""
    values = plain(values)
    if isinstance(values, list):
        rows = [r if isinstance(r, list) else [r] for r in values]
        flat = [v for r in rows for v in r]
        if flat and all(v is None or (isinstance(v, (int, float)) and not isinstance(v, bool)) for v in flat):
            return np.array([np.nan if v is None else v for v in flat], dtype=float)
    return None


def chart_problems(name: str, spec: dict) -> list[str]:
    """NaN written as text anywhere in the figure, or a trace whose data is nothing but gaps (Plotly's JSON turns
    NaN and inf into null; its binary arrays keep NaN)."""
    found = [f"chart {name}: {path} reads {text[:80]!r}" for path, text in _strings(spec) if NAN_WORD.search(text)]
    for i, trace in enumerate(spec.get("data", [])):
        for axis in ("z", "x", "y", "values"):
            numbers = _numbers(trace.get(axis))
            if numbers is not None and numbers.size and np.isnan(numbers).all():
                found.append(f"chart {name}: trace {i} ({trace.get('type', 'scatter')}) has only empty {axis} values")
    return found


def problems(at: AppTest) -> list[str]:
    """Everything on screen that a visitor must never see: exceptions, tracebacks, NaN in text or charts."""
    found = []
    for e in at.exception:
        head = "\n".join(list(e.proto.stack_trace)[-6:])
        found.append(f"exception element: {e.proto.type}: {e.value[:400]}\n{head}")
    for kind, text in shown_texts(at):
        if TRACEBACK.search(text):
            found.append(f"{kind} shows a traceback: {text[:300]!r}")
        if kind in ALERT_KINDS and EXCEPTION_NAME.search(text):
            found.append(f"{kind} names a Python exception: {text[:300]!r}")
        if NAN_WORD.search(text):
            found.append(f"{kind} shows NaN: {text[:300]!r}")
    for name, spec in chart_specs(at):
        found.extend(chart_problems(name, spec))
    for table in list(at.table) + [d for d in at.dataframe if d.proto.editing_mode == 0]:
        frame = table.value
        numeric = frame.select_dtypes("number")
        if numeric.size and numeric.isna().to_numpy().any():
            found.append(f"table {table.key or ''} shows NaN cells: {frame.head(3).to_string()[:300]}")
    return found


def visit_all_tabs(session: Session, limit: int = 40) -> Iterator[AppTest]:
    """Yield the page once per state of its stateful tabs (nested ones included), so hidden content is checked too."""
    seen: set[tuple[str, str]] = set()
    yield session.at
    for _ in range(limit):
        todo = [(c, label) for c in session.controls() if c.kind == "tabs"
                for label in c.spec["options"] if (c.id, label) not in seen]
        if not todo:
            return
        control, label = todo[0]
        seen.add((control.id, label))
        session.operate(control, label)
        yield session.at
