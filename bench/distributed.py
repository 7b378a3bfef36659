"""Single-process `scrapy crawlall` against distributed crawls with 1, 2 and 4 workers (and one writer), on
the offline mirror, in one invocation:

    python bench/distributed.py                   # the mirror as it is (loopback: every answer is instant)
    python bench/distributed.py --latency 0.2     # each answer 200 ms late, like a real site far away
    python bench/distributed.py --kill            # add: one of 3 workers SIGKILLed mid-crawl, leases on and off

Every crawl runs in child processes with politeness delays off (as the tests do), against a mirror served
from this process on a free loopback port and a redis-server started on another (`redis-server` must be
installed). Figures:
- wall s: from starting the processes to the last one's exit (Python and Scrapy start-up included: about
  1.5 s per process on a small machine, paid in parallel by the workers);
- crawl s: from the first to the last request the mirror answered (the crawl itself);
- pages: requests the mirror answered (robots.txt included, fetched once per worker and site);
- pages/s: pages over wall s, and over crawl s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.mirror import MirrorRequestHandler, MirrorServer  # noqa: E402

QUIET = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False", "LOG_LEVEL": "WARNING"}


class TimedMirror(MirrorServer):
    """The mirror, noting when it answered its first and last request; optionally slow to answer."""

    def __init__(self, root, latency: float = 0.0):
        super().__init__(root)
        self.latency = latency
        self.first = self.last = None
        self.answered = 0
        self._times = threading.Lock()
        server = self

        class Handler(MirrorRequestHandler):
            def do_GET(self):
                if server.latency:
                    time.sleep(server.latency)
                super().do_GET()
                server.answer()

        self.RequestHandlerClass = Handler

    def answer(self) -> None:
        with self._times:
            now = time.perf_counter()
            self.first = self.first or now
            self.last = now
            self.answered += 1

    def reset(self) -> None:
        with self._times:
            self.first = self.last = None
            self.answered = 0


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_redis(workdir: Path) -> tuple[subprocess.Popen, str]:
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    port = free_port()
    process = subprocess.Popen([binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly",
                                "no", "--dir", str(workdir)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import redis

    client = redis.Redis(port=port)
    for _ in range(200):
        try:
            client.ping()
            return process, f"redis://127.0.0.1:{port}/0"
        except redis.ConnectionError:
            time.sleep(0.05)
    process.kill()
    raise SystemExit("redis-server did not start")


def scrapy(*args: str, settings: dict, env: dict, log: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "scrapy", *args]
    for name, value in settings.items():
        command += ["-s", f"{name}={value}"]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=open(log, "w"), stderr=subprocess.STDOUT)


def reviews(db: Path) -> int:
    connection = sqlite3.connect(db)
    try:
        return connection.execute("select count(*) from reviews").fetchone()[0]
    finally:
        connection.close()


def figures(mirror: TimedMirror, started: float, db: Path) -> dict:
    wall = time.perf_counter() - started
    crawl = (mirror.last - mirror.first) if mirror.first else 0.0
    return {"wall s": wall, "crawl s": crawl, "pages": mirror.answered, "pages/s wall": mirror.answered / wall,
            "pages/s crawl": mirror.answered / crawl if crawl else 0.0, "reviews": reviews(db)}


def single(mirror: TimedMirror, workdir: Path) -> dict:
    workdir.mkdir()
    mirror.reset()
    settings = QUIET | {"MIRROR_MODE": mirror.base_url, "REVIEWS_DB": str(workdir / "reviews.db"),
                        "HTTPCACHE_DIR": str(workdir / "httpcache"), "CRAWL_LOCK": str(workdir / "crawl.lock")}
    started = time.perf_counter()
    process = scrapy("crawlall", settings=settings, env=dict(os.environ), log=workdir / "crawlall.log")
    if process.wait() != 0:
        raise SystemExit(f"crawlall failed, see {workdir / 'crawlall.log'}")
    return figures(mirror, started, workdir / "reviews.db")


def distributed(mirror: TimedMirror, redis_url: str, workdir: Path, workers: int, kill: bool = False,
                leases: bool = True) -> dict:
    import redis

    workdir.mkdir()
    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    mirror.reset()
    env = dict(os.environ, REDIS_URL=redis_url)
    settings = QUIET | {"MIRROR_MODE": mirror.base_url, "DISTRIBUTED_LEASE_SECONDS": "3",
                        "DISTRIBUTED_POLL_SECONDS": "0.25", "DISTRIBUTED_LEASES": str(leases)}
    started = time.perf_counter()
    writer = scrapy("writer", settings=settings | {"REVIEWS_DB": str(workdir / "reviews.db"),
                                                   "CRAWL_LOCK": str(workdir / "crawl.lock")},
                    env=env, log=workdir / "writer.log")
    crew = [scrapy("worker", settings=settings | ({"DISTRIBUTED_WORKER_ID": "victim", "DOWNLOAD_DELAY": "1"}
                                                  if kill and n == 0 else {}),
                   env=env, log=workdir / f"worker{n}.log") for n in range(workers)]
    subprocess.run([sys.executable, "-m", "scrapy", "seed"], cwd=ROOT, env=env, check=True, capture_output=True)
    outcome = {}
    if kill:
        # The victim downloads slowly, so it holds popped requests; it dies once the crawl is under way.
        while mirror.answered < 40 and crew[0].poll() is None:
            time.sleep(0.05)
        held = sum(1 for key in client.scan_iter("animecritic:*:processing")
                   for token in client.hkeys(key) if token.startswith(b"victim|"))
        crew[0].send_signal(signal.SIGKILL)
        outcome["victim's leases"] = held if leases else "-"
    for process in crew:
        process.wait()
    try:
        writer.wait(timeout=120 if leases else 30)
    except subprocess.TimeoutExpired:  # leases off: the dead worker's requests never come back
        writer.kill()
        writer.wait()
        outcome["writer"] = "stuck"
    result = figures(mirror, started, workdir / "reviews.db") | outcome
    client.close()
    return result


def table(title: str, rows: dict[str, dict]) -> None:
    columns = list(next(iter(rows.values())))
    print(f"\n{title}")
    print(f"{'':24}" + "".join(f"{c:>15}" for c in columns))
    for name, row in rows.items():
        cells = [f"{v:>15.2f}" if isinstance(v, float) else f"{v!s:>15}" for v in row.values()]
        print(f"{name:24}" + "".join(cells))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds the mirror waits before each answer")
    parser.add_argument("--kill", action="store_true", help="also kill one of 3 workers mid-crawl")
    args = parser.parse_args()
    mirror = TimedMirror(ROOT / "data" / "mirror", args.latency).start()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        redis_process, redis_url = start_redis(workdir)
        try:
            rows = {"single process": single(mirror, workdir / "single")}
            for workers in (1, 2, 4):
                rows[f"{workers} worker{'s' if workers > 1 else ''} + writer"] = distributed(
                    mirror, redis_url, workdir / f"w{workers}", workers)
            table(f"mirror latency {args.latency:g} s, {os.cpu_count()} CPUs", rows)
            if args.kill:
                killed = {
                    "leases (this project)": distributed(mirror, redis_url, workdir / "kill-on", 3, kill=True),
                    "stock scrapy-redis": distributed(mirror, redis_url, workdir / "kill-off", 3, kill=True,
                                                      leases=False),
                }
                table(f"3 workers, one SIGKILLed mid-crawl (single process stored {rows['single process']['reviews']}"
                      " reviews)", killed)
        finally:
            redis_process.terminate()
            redis_process.wait()
            mirror.stop()


if __name__ == "__main__":
    main()
