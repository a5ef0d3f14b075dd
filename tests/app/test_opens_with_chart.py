"""navigation.PageInfo.opens_with_chart says which pages draw a Plotly chart in their default view: the class server
(deploy/first_visit.py) starts loading Plotly early on those pages only, so the flag must match what each page
draws when opened without a query."""

from __future__ import annotations

import pytest

from playground.navigation import PAGES
from tests.app.conftest import open_page


@pytest.mark.parametrize("info", PAGES, ids=[p.url_path for p in PAGES])
def test_the_flag_matches_the_default_view(info):
    at = open_page(info.path)
    assert not at.exception
    assert bool(at.get("plotly_chart")) is info.opens_with_chart
