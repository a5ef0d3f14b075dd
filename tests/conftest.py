"""Test-wide settings. In CI (CI=true) hypothesis runs derandomized: the same examples on every run, so a red CI
means a real regression; locally each run explores new examples (and prints a reproduction blob on failure)."""

import os
import tempfile

import pytest
from hypothesis import settings

settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("dev", print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

# The class poll's SQLite file: one fresh data directory per test run (servers the tests start inherit it), never
# the repository's .data/.
os.environ["AP_DATA_DIR"] = tempfile.mkdtemp(prefix="ap-test-data-")


@pytest.fixture(scope="session")
def nginx() -> str:
    """Debian's nginx, for the tests that run the shipped proxy. Locally a missing nginx skips them with the fix; in
    CI (AP_REQUIRE_NGINX=1) it fails them."""
    from tooling.servers import nginx_path

    path = nginx_path()
    if path is None:
        msg = "nginx is not installed: apt-get install -y nginx-light (the proxy tests need Debian's nginx)"
        (pytest.fail if os.environ.get("AP_REQUIRE_NGINX") == "1" else pytest.skip)(msg)
    return path
