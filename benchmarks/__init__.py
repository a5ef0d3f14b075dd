"""Benchmarks, each run as `python -m benchmarks.<name>`: rerun (warm rerun per page, AppTest), browser (key press
to chart drawn, in Chromium), cold_start (launch to the home page drawn) and core (the kernel against bare NumPy).
The budgets they check are listed in docs/ARCHITECTURE.md."""
