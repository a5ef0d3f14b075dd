"""Export and display modes in a real browser: the camera button saves a valid PNG or SVG under its descriptive name,
the CSV button a CSV pandas reads, and the display setting restyles the page and stays in the address bar."""

from __future__ import annotations

import io
import struct
import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, urlparse

import pandas as pd

from lessons.embeddings import prepare
from tests.e2e.conftest import assert_no_exception, open_app_page, screenshot, wait_for_app

QUERY = "text=The+animal+didn%27t+cross+the+street+because+it+was+too+tired&word=it&temp=1&bars=1"


def camera(page, chart_index: int, title: str):
    """Hover chart `chart_index` and click its modebar camera; the download it starts."""
    chart = page.locator('[data-testid="stPlotlyChart"]').nth(chart_index)
    chart.hover()
    button = chart.locator(f'.modebar-btn[data-title="{title}"]')
    with page.expect_download(timeout=30_000) as info:
        button.click()
    return info.value


def chart_index(page, filename_part: str) -> int:
    """Which chart on the page is the bar chart of the chosen word (the one under the word picker)."""
    charts = page.locator('[data-testid="stPlotlyChart"]')
    for i in range(charts.count()):
        if filename_part in (charts.nth(i).locator(".gtitle").first.text_content() or ""):
            return i
    raise AssertionError(f"no chart titled with {filename_part!r}")


def test_camera_saves_a_slide_sized_png_then_a_valid_svg(page, server_url, tmp_path):
    open_app_page(page, server_url, "self_attention", QUERY)
    assert_no_exception(page)
    i = chart_index(page, "Where it looks")
    png = camera(page, i, "Download plot as a PNG")
    assert png.suggested_filename == "self-attention_it_temperature-1.0.png"
    data = png.path().read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (2560, 1440)  # 1280 x 720 CSS pixels at scale 2

    page.locator('[data-testid="stSidebar"] button', has_text="SVG").click()
    wait_for_app(page)
    svg = camera(page, chart_index(page, "Where it looks"), "Download plot")
    assert svg.suggested_filename == "self-attention_it_temperature-1.0.svg"
    root = ET.parse(svg.path()).getroot()
    assert root.tag.endswith("svg") and root.get("width") == "1280"
    texts = "".join(root.itertext())
    assert "it" in texts and "%" in texts  # the bars' labels came along as text, not pixels


def test_csv_button_saves_the_heatmap_weights(page, server_url):
    open_app_page(page, server_url, "self_attention", QUERY)
    with page.expect_download(timeout=30_000) as info:
        page.get_by_role("button", name="Download these weights (CSV)").click()
    download = info.value
    assert download.suggested_filename == "self-attention_all-words_temperature-1.0.csv"
    frame = pd.read_csv(io.StringIO(download.path().read_text(encoding="utf-8")), index_col=0)
    words = prepare("The animal didn't cross the street because it was too tired").tokens
    assert [c.split(":", 1)[1] for c in frame.columns] == words and list(frame.columns) == list(frame.index)
    assert ((frame.sum(axis=1) - 1).abs() < 1e-5).all()  # each query's weights sum to 1


def test_display_modes_restyle_the_page_and_stay_in_the_address_bar(page, server_url):
    page.goto(f"{server_url}/multi_head?display=colorblind")
    wait_for_app(page, 120_000)  # a cold page on a busy machine: its heads are built on first use
    assert_no_exception(page)
    screenshot(page, "display_colorblind_multi_head")
    open_app_page(page, server_url, "self_attention", QUERY + "&display=colorblind")
    screenshot(page, "display_colorblind_self_attention")

    page.locator('[data-testid="stSidebar"] button', has_text="Projector").click()
    wait_for_app(page)
    assert parse_qs(urlparse(page.url).query)["display"] == ["colorblind,projector"]
    size = page.evaluate("() => getComputedStyle(document.querySelector('.stMainBlockContainer p')).fontSize")
    assert float(size.rstrip("px")) >= 20  # 1.3rem
    screenshot(page, "display_projector_self_attention")

    page.locator('[data-testid="stSidebarNav"] a', has_text="Speed").click()
    wait_for_app(page)
    assert parse_qs(urlparse(page.url).query).get("display") == ["colorblind,projector"]
    page.locator('[data-testid="stSidebar"] button', has_text="Colour-blind safe").click()
    page.locator('[data-testid="stSidebar"] button', has_text="Projector").click()
    wait_for_app(page)
    assert "display" not in parse_qs(urlparse(page.url).query)
