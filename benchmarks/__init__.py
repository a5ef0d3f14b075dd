"""Benchmarks, each run as `python -m benchmarks.<name>`: rerun (warm rerun per page, AppTest), browser (key press
to page settled, in Chromium, as a ratio to floor_app), chart_cost, cold_start (launch to the home page drawn;
--fresh-tab: first visits to a running server against floor_app), core (the kernel against bare NumPy), coreference,
training_load, classroom, poll, failover and arrival. What they do on each page is in scenarios/<page>.py; each
writes its result to results/<name>.json (results_file.py), and `python -m benchmarks.report` writes
docs/PERFORMANCE.md from those files. The budgets they check are listed in docs/ARCHITECTURE.md."""
