"""AppTest helpers: run the real entry script (navigation, sidebar) and switch to the page under test."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

ENTRY = str(Path(__file__).resolve().parents[2] / "attention_playground.py")
TIMEOUT_S = 60


def open_page(path: str, query: dict[str, str] | None = None) -> AppTest:
    """The entry script, switched to `path` (e.g. "pages/home.py"), with optional URL query parameters."""
    at = AppTest.from_file(ENTRY, default_timeout=TIMEOUT_S)
    for name, value in (query or {}).items():
        at.query_params[name] = value
    at.run()
    if path != "pages/home.py":
        at.switch_page(path)
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def markdown_table_cells(source: str) -> list[tuple[str, ...]]:
    """The rows under the header of a Markdown table (playground.formatting.markdown_table), each cell as the text a
    reader sees: split at unescaped pipes, backslash escapes removed."""
    return [tuple(re.sub(r"\\(.)", r"\1", cell.strip()) for cell in re.split(r"(?<!\\)\|", line)[1:-1])
            for line in source.splitlines()[2:]]


def all_text(at: AppTest) -> str:
    """Everything the page wrote as text (markdown, captions, headers, alerts), for 'is this shown' assertions."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success", "text"):
        parts.extend(str(e.value) for e in getattr(at, kind))
    return "\n".join(parts)


@pytest.fixture
def home() -> AppTest:
    return open_page("pages/home.py")


@pytest.fixture
def deferred_downloads(monkeypatch) -> dict:
    """file id -> data callable of every st.download_button whose file is made on click (playground.export): the
    test calls it as the server would when the button is pressed. Read a button's id from proto.deferred_file_id."""
    found: dict = {}
    original = MediaFileManager.add_deferred

    def add_deferred(self, data_callable, *args, **kwargs):
        file_id = original(self, data_callable, *args, **kwargs)
        found[file_id] = data_callable
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", add_deferred)
    return found


def downloaded(at: AppTest, found: dict, key: str) -> str:
    """The text the download button with widget key `key` hands over when clicked."""
    (button,) = [b for b in at.get("download_button") if b.proto.id.endswith(f"-{key}") or b.proto.id == key]
    data = found[button.proto.deferred_file_id]()
    return data.decode() if isinstance(data, bytes) else data
