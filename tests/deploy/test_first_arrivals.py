"""A class arriving at once on a fresh plain `streamlit run attention_playground.py` gets every first page.

The quick version of `python -m benchmarks.arrival --students 80 --starts 5`: one fresh server, 30 students opening
random pages by URL at the same moment (through Streamlit's legacy pages/ mode, as browsers do on a fresh server).
"""

from __future__ import annotations

from benchmarks.arrival import run


def test_thirty_students_at_once_on_a_fresh_server_all_get_their_first_page(tmp_path):
    r = run(students=30, starts=1, log_dir=tmp_path)
    assert r["failed"] == 0, r["error_samples"]
