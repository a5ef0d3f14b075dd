"""AppTest helpers: run the real entry script (navigation, sidebar) and switch to the page under test."""

from __future__ import annotations

from pathlib import Path

import pytest
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


def all_text(at: AppTest) -> str:
    """Everything the page wrote as text (markdown, captions, headers, alerts), for 'is this shown' assertions."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success", "text"):
        parts.extend(str(e.value) for e in getattr(at, kind))
    return "\n".join(parts)


@pytest.fixture
def home() -> AppTest:
    return open_page("pages/home.py")
