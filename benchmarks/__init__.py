"""Benchmarks, each run as `python -m benchmarks.<name>`: rerun (warm rerun per page, AppTest), browser (key press
to page settled, in Chromium, as a ratio to floor_app), cold_start (launch to the home page drawn; --fresh-tab: first
visits to a running server against floor_app) and core (the kernel against bare NumPy).
The budgets they check are listed in docs/ARCHITECTURE.md."""
