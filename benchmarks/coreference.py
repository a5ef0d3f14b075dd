"""Latency of the "Who is it?" model on one sentence: `attend` on a 20-word sentence of its vocabulary.

Run as `python -m benchmarks.coreference`. Budget (issue 11): at most 5 ms median per call (the shipped weights,
loaded once, as the page holds them with st.cache_resource). Prints the median, the 90th percentile and the budget;
writes benchmarks/results/coreference.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from benchmarks.results_file import command_line, load_average, write_result
from models import coreference

BUDGET_MS = 5.0
# 20 words, all in the vocabulary (no sentence of the corpus is this long)
SENTENCE = "the big dog was chased by the cat because it was scared the horse followed the fox by the road"


def measure(repeats: int = 200) -> dict:
    params = coreference.load_shipped()
    tokens = coreference.tokenize(SENTENCE)
    assert len(tokens) == 20, len(tokens)
    coreference.attend(params, tokens)  # warm-up
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        coreference.attend(params, tokens)
        times.append((time.perf_counter() - t0) * 1e3)
    times.sort()
    median = statistics.median(times)
    return {"words": len(tokens), "median_ms": round(median, 3), "p90_ms": round(times[int(0.9 * len(times))], 3),
            "budget_ms": BUDGET_MS, "within_budget": median <= BUDGET_MS}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=200)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    command, load_before = command_line("benchmarks.coreference"), load_average()
    result = {"repeats": args.repeats, **measure(args.repeats)}
    write_result("coreference", command, result, load_before)
    if args.json:
        print(json.dumps(result))
    else:
        print(f"attend on {result['words']} words: median {result['median_ms']:.2f} ms, 90th percentile "
              f"{result['p90_ms']:.2f} ms (budget {BUDGET_MS:g} ms: {'ok' if result['within_budget'] else 'OVER'})")


if __name__ == "__main__":
    main()
