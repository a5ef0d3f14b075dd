"""Formatting numbers and user text for display (never through unsafe_allow_html)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence


def pct(x: float, digits: int = 0) -> str:
    """0.6234 -> '62%'."""
    return f"{100 * float(x):.{digits}f}%"


def plotly_safe(label: str, max_chars: int = 24) -> str:
    """User text as a Plotly label: HTML-escaped (Plotly reads a few tags in labels) and shortened with an ellipsis."""
    label = str(label)
    if len(label) > max_chars:
        label = label[: max_chars - 1] + "…"
    return html.escape(label, quote=False)


def quoted(word: str) -> str:
    """A word inside a caption, in Markdown code style so Markdown/LaTeX metacharacters show as typed."""
    return "`" + str(word).replace("`", "ˋ") + "`"


def tex_int(n: int) -> str:
    """An integer for a LaTeX formula: 1024 -> '1{,}024' (a bare ',' in LaTeX is punctuation and adds a space)."""
    return f"{int(n):,}".replace(",", "{,}")


def tex_eq(name: str, n: int) -> str:
    """'n', 1024 -> '$n = 1{,}024$': a variable set to a live integer, as an inline formula."""
    return f"${name} = {tex_int(n)}$"


_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]<>|$~])")


def markdown_cell(value: object) -> str:
    """Any value as the plain text of one Markdown table cell: every Markdown and formula metacharacter escaped (a
    cell never turns into emphasis, a link or a formula), line breaks flattened."""
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", " ".join(str(value).split()))


_NUMBER = re.compile(r"[-+−]?[\d,]*\.?\d+%?")


def _is_number(cell: object) -> bool:
    return (isinstance(cell, int | float) and not isinstance(cell, bool)) or bool(_NUMBER.fullmatch(str(cell).strip()))


def markdown_table(columns: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """Column titles and rows of cells -> a Markdown table of plain-text cells, a column of numbers (or percentages)
    aligned right. Markdown rather than st.table or st.dataframe: a first visit then loads no Arrow table scripts, only
    the Markdown the page already shows."""
    rows = [tuple(row) for row in rows]
    for row in rows:
        if len(row) != len(columns):
            raise ValueError(f"a row of {len(row)} cells under {len(columns)} columns")
    right = [bool(rows) and all(_is_number(row[j]) for row in rows) for j in range(len(columns))]
    lines = ["| " + " | ".join(markdown_cell(c) for c in columns) + " |",
             "".join("|---:" if r else "|---" for r in right) + "|"]
    lines += ["| " + " | ".join(markdown_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)
