"""Servers on this machine: a free port, a plain `streamlit run`, nginx's binary, and waiting for health."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
START_TIMEOUT_S = 60


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def free_port_block(count: int, tries: int = 50) -> int:
    """A port p such that p, p + 1, ..., p + count - 1 are all free right now (nginx on p, replicas after it)."""
    for _ in range(tries):
        base = free_port()
        sockets = []
        try:
            for port in range(base, base + count):
                s = socket.socket()
                sockets.append(s)
                s.bind(("127.0.0.1", port))
            return base
        except OSError:
            continue
        finally:
            for s in sockets:
                s.close()
    raise RuntimeError(f"no {count} consecutive free ports found")


def nginx_path() -> str | None:
    """The nginx binary (Debian puts it in /usr/sbin, often not on a user's PATH), or None."""
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx", "/sbin/nginx") if os.path.exists(p)), None)


def is_healthy(url: str, timeout_s: float = 2.0) -> bool:
    """True when `url`/_stcore/health answers 200 now."""
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=timeout_s) as r:
            return r.status == 200
    except OSError:
        return False


def wait_healthy(url: str, proc: subprocess.Popen, timeout_s: float = START_TIMEOUT_S, poll_s: float = 0.2) -> None:
    """Return once `url`/_stcore/health answers 200; raise RuntimeError if the process exits or the timeout passes."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args[0]} exited with {proc.returncode} before {url} answered")
        if is_healthy(url):
            return
        time.sleep(poll_s)
    raise RuntimeError(f"{url} did not answer within {timeout_s:.0f} s")


def start_server(log_path: Path, port: int | None = None, script: str = "attention_playground.py",
                 module: str | None = None) -> tuple[subprocess.Popen, str]:
    """Start `streamlit run <script>` (default: the playground) on 127.0.0.1 and `port` (default: a free one); return
    the process and its URL. A fixed port keeps a browser's cache valid across restarts (benchmarks/cold_start.py);
    the benchmarks also serve benchmarks/floor_app.py this way. module: instead, `python -m <module>` with the same
    options, a module that runs Streamlit itself (deploy.replica: the playground as a class server serves it)."""
    port = port or free_port()
    log = open(log_path, "w")  # noqa: SIM115 - closed with the process by stop_server
    launch = ["-m", module] if module else ["-m", "streamlit", "run", script]
    proc = subprocess.Popen(
        [sys.executable, *launch,
         "--server.address", "127.0.0.1", "--server.port", str(port), "--server.headless", "true",
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
    )
    proc.log = log  # type: ignore[attr-defined]
    return proc, f"http://127.0.0.1:{port}"


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    log = getattr(proc, "log", None)
    if log is not None:
        log.close()
