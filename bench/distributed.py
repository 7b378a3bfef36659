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
- 1st page s: from starting the processes to the first request the mirror answered (start-up);
- crawl s: from the first to the last request the mirror answered (the crawl itself; with several processes
  starting at once on few CPUs, it also holds the start-up of those still starting);
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

VICTIM = "(victim)"
QUIET = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False", "LOG_LEVEL": "WARNING"}


class TimedMirror(MirrorServer):
    """The mirror, noting when it answered its first and last request; optionally slow to answer."""

    def __init__(self, root, latency: float = 0.0):
        super().__init__(root)
        self.latency = latency
        self.first = self.last = None
        self.answered = self.victim = 0
        self._times = threading.Lock()
        server = self

        class Handler(MirrorRequestHandler):
            def do_GET(self):
                if server.latency:
                    time.sleep(server.latency)
                super().do_GET()
                server.answer(self.headers.get("User-Agent", ""))

        self.RequestHandlerClass = Handler

    def answer(self, user_agent: str) -> None:
        with self._times:
            now = time.perf_counter()
            self.first = self.first or now
            self.last = now
            self.answered += 1
            self.victim += VICTIM in user_agent

    def reset(self) -> None:
        with self._times:
            self.first = self.last = None
            self.answered = self.victim = 0


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
    first = (mirror.first - started) if mirror.first else 0.0
    return {"wall s": wall, "1st page s": first, "crawl s": crawl, "pages": mirror.answered,
            "pages/s wall": mirror.answered / wall,
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
    # The victim: slow, and holding at most 2 requests per spider in both modes (this project's workers lease
    # few requests at a time; stock scrapy-redis would pop CONCURRENT_REQUESTS of them).
    victim = {"DISTRIBUTED_WORKER_ID": "victim", "DOWNLOAD_DELAY": "1", "CONCURRENT_REQUESTS": "2",
              "USER_AGENT": f"animecritic/0.1 {VICTIM}"}
    crew = [scrapy("worker", settings=settings | (victim if kill and n == 0 else {}), env=env,
                   log=workdir / f"worker{n}.log") for n in range(1 if kill else workers)]
    subprocess.run([sys.executable, "-m", "scrapy", "seed"], cwd=ROOT, env=env, check=True, capture_output=True)
    outcome = {}
    if kill:
        # The victim crawls alone, slowly, so it holds popped requests; once the others crawl too, it dies.
        wait_for(lambda: mirror.victim >= 3, crew[0])
        crew += [scrapy("worker", settings=settings, env=env, log=workdir / f"worker{n}.log")
                 for n in range(1, workers)]
        wait_for(lambda: mirror.answered - mirror.victim >= 10, crew[0])
        held = sum(1 for key in client.scan_iter("animecritic:*:processing")
                   for token in client.hkeys(key) if token.startswith(b"victim|"))
        crew[0].send_signal(signal.SIGKILL)
        outcome["victim leases"] = held if leases else "-"
    for process in crew:
        process.wait()
    writer.wait()
    result = figures(mirror, started, workdir / "reviews.db") | outcome
    client.close()
    return result


def median(runs: list[dict]) -> dict:
    """The run with the median wall time."""
    return sorted(runs, key=lambda run: run["wall s"])[len(runs) // 2]


def wait_for(condition, process: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit("the worker to kill finished (or stalled) before the moment to kill it")
        time.sleep(0.02)


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
    parser.add_argument("--workers", default="1,2,4", help="worker counts to compare (default 1,2,4)")
    parser.add_argument("--keep", metavar="DIR", help="keep every crawl's logs and database in DIR")
    parser.add_argument("--repeat", type=int, default=1, help="run each configuration N times, print the median")
    args = parser.parse_args()
    mirror = TimedMirror(ROOT / "data" / "mirror", args.latency).start()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(args.keep or tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        redis_process, redis_url = start_redis(workdir)
        try:
            rows = {}
            for attempt in range(args.repeat):  # interleaved, so a busy moment of the machine hits all alike
                rows.setdefault("single process", []).append(single(mirror, workdir / f"single-{attempt}"))
                for workers in (int(n) for n in args.workers.split(",")):
                    rows.setdefault(f"{workers} worker{'s' if workers > 1 else ''} + writer", []).append(
                        distributed(mirror, redis_url, workdir / f"w{workers}-{attempt}", workers))
            rows = {name: median(runs) for name, runs in rows.items()}
            table(f"mirror latency {args.latency:g} s, {os.cpu_count()} CPUs"
                  + (f", median of {args.repeat} runs" if args.repeat > 1 else ""), rows)
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
