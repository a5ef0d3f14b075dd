"""Benchmarks: rerun latency per page (rerun.py) and core throughput (core.py). Run as `python -m benchmarks.<name>`."""
