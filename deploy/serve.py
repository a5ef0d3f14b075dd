"""Serve the playground to a classroom: one `streamlit run` replica per core behind nginx, one command.

    python -m deploy.serve                      # one replica per core, students open http://<this laptop>:8501
    python -m deploy.serve --replicas 2 --port 8501
    python -m deploy.serve --replicas 1         # a single Streamlit server, no proxy (what `streamlit run` does)

A Streamlit server is one Python process, held to about one core by the interpreter lock; nginx (Debian:
`apt-get install nginx-light`) spreads the students over several replicas and keeps each browser on its own
replica (a session lives in one replica's memory; see deploy/nginx.conf.template). The replicas listen on
127.0.0.1 only, on the ports after --port; nginx listens on --address:--port. More machines: run
`python -m deploy.serve --replicas 1 --address 0.0.0.0` on each and add a `server host:port;` line per machine to
the rendered nginx.conf (printed at start). Each replica is warmed (every page opened once) before the address is
printed, so the first students do not wait for imports and caches. Ctrl-C stops everything.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = Path(__file__).with_name("nginx.conf.template")
START_TIMEOUT_S = 60


def nginx_path() -> str | None:
    """The nginx binary (Debian puts it in /usr/sbin, often not on a user's PATH), or None."""
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx", "/sbin/nginx") if os.path.exists(p)), None)


def render_nginx_conf(listen: str, backends: list[str], run_dir: str) -> str:
    """nginx.conf for `backends` (host:port each) behind `listen` (host:port), temp files under run_dir."""
    servers = "\n".join(f"        server {b};" for b in backends)
    text = TEMPLATE.read_text()
    for key, value in {"LISTEN": listen, "UPSTREAM_SERVERS": servers, "RUN_DIR": run_dir}.items():
        text = text.replace("{{" + key + "}}", value)
    return text


def streamlit_command(port: int, address: str) -> list[str]:
    # `streamlit run attention_playground.py` with every import done first (deploy/replica.py). Settings come from
    # .streamlit/config.toml (read from the working directory); only the socket differs.
    return [sys.executable, "-m", "deploy.replica", "--server.address", address, "--server.port", str(port),
            "--server.headless", "true"]


def wait_healthy(url: str, proc: subprocess.Popen, timeout_s: float = START_TIMEOUT_S, poll_s: float = 0.2) -> None:
    """Return once `url`/_stcore/health answers 200; raise RuntimeError if the process exits or the timeout passes."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args[0]} exited with {proc.returncode} before {url} answered")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(poll_s)
    raise RuntimeError(f"{url} did not answer within {timeout_s:.0f} s")


@dataclass
class Deployment:
    """What `start` launched: the URL students open, the replicas behind it, and how to stop them."""

    url: str
    backend_urls: list[str]
    replicas: list[subprocess.Popen]
    proxy: subprocess.Popen | None = None
    run_dir: str | None = None
    logs: list = field(default_factory=list)

    @property
    def server_pids(self) -> list[int]:
        return [p.pid for p in self.replicas] + ([self.proxy.pid] if self.proxy else [])

    def stop(self) -> None:
        for p in ([self.proxy] if self.proxy else []) + self.replicas:
            if p.poll() is None:
                p.terminate()
        for p in ([self.proxy] if self.proxy else []) + self.replicas:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
        for log in self.logs:
            log.close()
        if self.run_dir:
            shutil.rmtree(self.run_dir, ignore_errors=True)


def start(replicas: int, port: int = 8501, address: str = "0.0.0.0", *, warm: bool = True,
          log_dir: Path | None = None) -> Deployment:
    """Start `replicas` Streamlit servers (behind nginx when more than one) and return once all answer."""
    log_dir = log_dir or Path(tempfile.gettempdir())
    logs, procs = [], []
    ports = [port] if replicas == 1 else [port + 1 + i for i in range(replicas)]
    replica_address = address if replicas == 1 else "127.0.0.1"
    dep = Deployment(url=f"http://127.0.0.1:{port}", backend_urls=[f"http://127.0.0.1:{p}" for p in ports],
                     replicas=procs, logs=logs)
    try:
        for i, p in enumerate(ports):
            log = open(log_dir / f"playground-replica-{p}.log", "w")  # noqa: SIM115 - closed by Deployment.stop
            logs.append(log)
            procs.append(subprocess.Popen(streamlit_command(p, replica_address), cwd=ROOT, stdout=log,
                                          stderr=subprocess.STDOUT, env={**os.environ, "AP_REPLICA": str(i)}))
        if replicas > 1:
            nginx = nginx_path()
            if nginx is None:
                raise RuntimeError("nginx is not installed: apt-get install -y nginx-light (or nginx)")
            dep.run_dir = tempfile.mkdtemp(prefix="playground-nginx-")
            os.chmod(dep.run_dir, 0o755)  # nginx's workers may run as another user (root starts them as nobody)
            for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
                os.makedirs(os.path.join(dep.run_dir, sub), mode=0o777)
                os.chmod(os.path.join(dep.run_dir, sub), 0o777)
            conf = os.path.join(dep.run_dir, "nginx.conf")
            Path(conf).write_text(render_nginx_conf(f"{address}:{port}", [u.removeprefix("http://") for u in
                                                                         dep.backend_urls], dep.run_dir))
            dep.proxy = subprocess.Popen([nginx, "-p", dep.run_dir, "-c", conf, "-g", "daemon off;"],
                                         stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        for url, proc in zip(dep.backend_urls, procs):
            wait_healthy(url, proc)
        if dep.proxy:
            wait_healthy(dep.url, dep.proxy)
        if warm:
            from concurrent.futures import ThreadPoolExecutor

            from benchmarks.st_client import warm_up  # the protocol client opens every page once per replica

            with ThreadPoolExecutor(len(dep.backend_urls)) as pool:  # one replica per core: warm them side by side
                list(pool.map(warm_up, dep.backend_urls))
    except BaseException:
        dep.stop()
        raise
    return dep


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--replicas", type=int, default=os.cpu_count() or 1, help="Streamlit processes (default: one per core)")
    ap.add_argument("--port", type=int, default=8501, help="the port students open (default 8501)")
    ap.add_argument("--address", default="0.0.0.0", help="where to listen (default: every interface, for the room)")
    ap.add_argument("--no-warm", action="store_true", help="skip opening every page once per replica at start")
    args = ap.parse_args(argv)
    dep = start(args.replicas, args.port, args.address, warm=not args.no_warm)
    if dep.run_dir:
        print(f"nginx config: {dep.run_dir}/nginx.conf")
    print(f"{args.replicas} replica(s) ready: students open http://<this machine's address>:{args.port} "
          f"(here: {dep.url}). Ctrl-C stops.", flush=True)
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    try:
        while not stop and all(p.poll() is None for p in dep.replicas):
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        dep.stop()


if __name__ == "__main__":
    main()
