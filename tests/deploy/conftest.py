"""Real servers for the deployment tests: Streamlit replicas (and nginx in front) started by deploy.serve."""

from __future__ import annotations

import os

import pytest

from tooling.servers import nginx_path


@pytest.fixture(scope="session")
def nginx() -> str:
    # Locally a missing nginx skips the proxy tests with the fix; in CI (AP_REQUIRE_NGINX=1) it fails them.
    path = nginx_path()
    if path is None:
        msg = "nginx is not installed: apt-get install -y nginx-light (the proxy tests need Debian's nginx)"
        (pytest.fail if os.environ.get("AP_REQUIRE_NGINX") == "1" else pytest.skip)(msg)
    return path
