"""playground.formatting's Markdown table: whatever a cell holds, the table shows it as plain text in its own cell."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from playground.formatting import markdown_table
from tests.app.conftest import markdown_table_cells

cells = st.one_of(st.text(max_size=30), st.integers(), st.floats(allow_nan=False, allow_infinity=False))


@given(st.integers(1, 6).flatmap(lambda n: st.tuples(st.lists(st.text(min_size=1, max_size=12), min_size=n, max_size=n),
                                                     st.lists(st.lists(cells, min_size=n, max_size=n), max_size=5))))
def test_every_cell_reads_back_as_its_text_in_its_own_column(table):
    columns, rows = table
    source = markdown_table(columns, rows)
    assert markdown_table_cells(source) == [tuple(" ".join(str(c).split()) for c in row) for row in rows]
    assert len(source.splitlines()) == len(rows) + 2  # a line break in a cell never starts a row


def test_markup_in_a_cell_is_escaped():
    source = markdown_table(("word",), [("*it* $x$ `q` [a](b) <b>|</b>",)])
    assert source.splitlines()[2] == r"| \*it\* \$x\$ \`q\` \[a\](b) \<b\>\|\</b\> |"


def test_a_row_of_the_wrong_width_is_refused():
    with pytest.raises(ValueError):
        markdown_table(("a", "b"), [("only one",)])


def test_columns_of_numbers_are_aligned_right():
    source = markdown_table(("structure", "sentences", "model"), [("chase", 150, "98%"), ("passive", 1200, "4.5%")])
    assert source.splitlines()[1] == "|---|---:|---:|"
    assert markdown_table(("a",), []).splitlines()[1] == "|---|"
