"""Serve the playground to a classroom: one `streamlit run` replica per core behind nginx, one command.

    python -m deploy.serve                      # one replica per core, students open http://<this laptop>:8501
    python -m deploy.serve --replicas 2 --port 8501
    python -m deploy.serve --replicas 1         # a single Streamlit server, no proxy (what `streamlit run` does)
    python -m deploy.serve --remote 192.168.1.20:8501   # also send students to a replica on another machine

A Streamlit server is one Python process, held to about one core by the interpreter lock; nginx (Debian:
`apt-get install nginx-light`) spreads the students over several replicas and keeps each browser on its own
replica (a session lives in one replica's memory; see deploy/nginx.conf.template). The replicas listen on
127.0.0.1 only, on the ports after --port; nginx listens on --address:--port. Each replica is warmed (every page
opened once) before the address is printed, so the first students do not wait for imports and caches.

While it runs, it keeps the class up: a replica that dies is started again on its port (its students' browsers
reconnect, through nginx, to a live replica meanwhile), and nginx is started again if it dies; nothing healthy is
ever stopped because something else died. Ctrl-C (or SIGTERM) stops everything.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tooling.servers import is_healthy, nginx_path, wait_healthy
from tooling.st_client import warm_up

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = Path(__file__).with_name("nginx.conf.template")
POLL_S = 0.5  # how often the supervisor looks at its processes


def render_nginx_conf(listen: str, backends: list[str], run_dir: str) -> str:
    """nginx.conf for `backends` (host:port each) behind `listen` (host:port), temp files under run_dir."""
    def server(b: str, extra: str = "") -> str:
        return f"        server {b} max_fails=1 fail_timeout=5s{extra};"

    blocks = ["    upstream playground_new {", *(server(b) for b in backends), "    }"]
    for i, own in enumerate(backends):
        blocks += [f"    upstream playground_{i} {{", server(own),
                   *(f"        server {b} backup;" for b in backends if b != own), "    }"]
    values = {
        "LISTEN": listen, "RUN_DIR": run_dir, "UPSTREAMS": "\n".join(blocks),
        "COOKIE_TO_UPSTREAM": "\n".join(f"        {i} playground_{i};" for i in range(len(backends))),
        "ADDR_TO_COOKIE": "\n".join(f'        "~(^|[ ,]){re.escape(b)}$" {i};' for i, b in enumerate(backends)),
    }
    text = TEMPLATE.read_text()
    for key, value in values.items():
        text = text.replace("{{" + key + "}}", value)
    return text


def streamlit_command(port: int, address: str) -> list[str]:
    # `streamlit run attention_playground.py` with every import done first (deploy/replica.py). Settings come from
    # .streamlit/config.toml (read from the working directory); only the socket differs.
    return [sys.executable, "-m", "deploy.replica", "--server.address", address, "--server.port", str(port),
            "--server.headless", "true"]


@dataclass
class Deployment:
    """What `start` launched: the URL students open, the replicas behind it, and how to (re)start and stop them."""

    url: str
    backend_urls: list[str]
    replicas: list[subprocess.Popen]
    replica_address: str = "127.0.0.1"
    proxy: subprocess.Popen | None = None
    proxy_command: list[str] = field(default_factory=list)
    run_dir: str | None = None
    log_dir: Path = Path(tempfile.gettempdir())
    logs: list = field(default_factory=list)
    restarts: list[str] = field(default_factory=list)  # one line per process started again, for the operator

    def launch_replica(self, i: int) -> subprocess.Popen:
        port = int(self.backend_urls[i].rsplit(":", 1)[1])
        log = open(self.log_dir / f"playground-replica-{port}.log", "a")  # noqa: SIM115 - closed by stop()
        self.logs.append(log)
        return subprocess.Popen(streamlit_command(port, self.replica_address), cwd=ROOT, stdout=log,
                                stderr=subprocess.STDOUT, env={**os.environ, "AP_REPLICA": str(i)})

    def launch_proxy(self) -> subprocess.Popen:
        return subprocess.Popen(self.proxy_command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)

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
          log_dir: Path | None = None, remote: tuple[str, ...] = ()) -> Deployment:
    """Start `replicas` Streamlit servers (behind nginx when more than one, or when `remote` replicas are named) and
    return once all answer."""
    proxied = replicas > 1 or bool(remote)
    ports = [port + 1 + i for i in range(replicas)] if proxied else [port]
    dep = Deployment(url=f"http://127.0.0.1:{port}", backend_urls=[f"http://127.0.0.1:{p}" for p in ports],
                     replicas=[], replica_address="127.0.0.1" if proxied else address,
                     log_dir=log_dir or Path(tempfile.gettempdir()))
    try:
        for i in range(replicas):
            dep.replicas.append(dep.launch_replica(i))
        if proxied:
            nginx = nginx_path()
            if nginx is None:
                raise RuntimeError("nginx is not installed: apt-get install -y nginx-light (or nginx)")
            dep.run_dir = tempfile.mkdtemp(prefix="playground-nginx-")
            os.chmod(dep.run_dir, 0o755)  # nginx's workers may run as another user (root starts them as nobody)
            for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
                os.makedirs(os.path.join(dep.run_dir, sub), mode=0o777)
                os.chmod(os.path.join(dep.run_dir, sub), 0o777)
            conf = os.path.join(dep.run_dir, "nginx.conf")
            backends = [u.removeprefix("http://") for u in dep.backend_urls] + list(remote)
            Path(conf).write_text(render_nginx_conf(f"{address}:{port}", backends, dep.run_dir))
            dep.proxy_command = [nginx, "-p", dep.run_dir, "-c", conf, "-g", "daemon off;"]
            dep.proxy = dep.launch_proxy()
        for url, proc in zip(dep.backend_urls, dep.replicas):
            wait_healthy(url, proc)
        if dep.proxy:
            wait_healthy(dep.url, dep.proxy)
        if warm:
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(len(dep.backend_urls)) as pool:  # one replica per core: warm them side by side
                list(pool.map(warm_up, dep.backend_urls))
    except BaseException:
        dep.stop()
        raise
    return dep


def supervise(dep: Deployment, stop: threading.Event, *, warm: bool = True, poll_s: float = POLL_S,
              say: Callable[[str], None] = print) -> None:
    """Until `stop` is set: start again any replica (or nginx) that exited, on the same port, and warm it.

    A dead replica's students lose their session (it lived in that process) and reconnect through nginx to a live
    replica; everyone else is untouched. The restarted replica imports every module before it listens
    (deploy/replica.py), so nginx can hand it new students as soon as it answers; its pages are then opened once
    in the background so their caches are warm too."""
    while not stop.wait(poll_s):
        for i, proc in enumerate(dep.replicas):
            if proc.poll() is None:
                continue
            url = dep.backend_urls[i]
            note = f"replica {url} exited with code {proc.returncode}; starting it again"
            dep.restarts.append(note)
            say(note)
            dep.replicas[i] = new = dep.launch_replica(i)
            if warm:
                threading.Thread(target=_warm_when_healthy, args=(url, new, stop, say), daemon=True).start()
        if dep.proxy is not None and dep.proxy.poll() is not None:
            note = f"nginx exited with code {dep.proxy.returncode}; starting it again"
            dep.restarts.append(note)
            say(note)
            dep.proxy = dep.launch_proxy()


@contextmanager
def supervised(replicas: int, port: int, address: str = "127.0.0.1", *, warm: bool = True,
               log_dir: Path | None = None) -> Iterator[Deployment]:
    """`start`, with `supervise` keeping it up in a thread until the block ends; then everything stops (benchmarks
    that kill a replica on purpose run inside one)."""
    dep = start(replicas, port, address, warm=warm, log_dir=log_dir)
    stop = threading.Event()
    keeper = threading.Thread(target=supervise, args=(dep, stop), kwargs={"warm": warm, "say": lambda _: None},
                              daemon=True)
    keeper.start()
    try:
        yield dep
    finally:
        stop.set()
        keeper.join(timeout=5)
        dep.stop()


def _warm_when_healthy(url: str, proc: subprocess.Popen, stop: threading.Event, say: Callable[[str], None]) -> None:
    while not stop.is_set() and proc.poll() is None:
        if is_healthy(url):
            try:
                warm_up(url)
                say(f"replica {url} is back and warm")
            except Exception as e:  # a failed warm-up leaves a working, colder replica: say so, keep serving
                say(f"replica {url} is back; warming its pages failed: {e}")
            return
        time.sleep(0.2)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--replicas", type=int, default=os.cpu_count() or 1, help="Streamlit processes (default: one per core)")
    ap.add_argument("--port", type=int, default=8501, help="the port students open (default 8501)")
    ap.add_argument("--address", default="0.0.0.0", help="where to listen (default: every interface, for the room)")
    ap.add_argument("--no-warm", action="store_true", help="skip opening every page once per replica at start")
    ap.add_argument("--remote", action="append", default=[], metavar="HOST:PORT",
                    help="a replica on another machine (`python -m deploy.replica --server.address 0.0.0.0 "
                         "--server.port 8501` there); repeat for more")
    args = ap.parse_args(argv)
    dep = start(args.replicas, args.port, args.address, warm=not args.no_warm, remote=tuple(args.remote))
    if dep.run_dir:
        print(f"nginx config: {dep.run_dir}/nginx.conf")
    print(f"{args.replicas} replica(s) ready: students open http://<this machine's address>:{args.port} "
          f"(here: {dep.url}). Ctrl-C stops.", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        supervise(dep, stop, warm=not args.no_warm, say=lambda line: print(line, flush=True))
    except KeyboardInterrupt:
        pass
    finally:
        dep.stop()


if __name__ == "__main__":
    main()
