"""Test-wide settings. In CI (CI=true) hypothesis runs derandomized: the same examples on every run, so a red CI
means a real regression; locally each run explores new examples (and prints a reproduction blob on failure)."""

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("dev", print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

# The class poll's SQLite file: one fresh data directory per test run (servers the tests start inherit it), never
# the repository's .data/.
if "AP_DATA_DIR" not in os.environ or not os.environ.get("AP_KEEP_DATA_DIR"):
    import tempfile

    os.environ["AP_DATA_DIR"] = tempfile.mkdtemp(prefix="ap-test-data-")
