"""Distributed crawling (crawler/distributed/) over a real redis-server started on a free loopback port.

Three `scrapy worker` processes and one `scrapy writer` crawl the mirror and must leave, row for row, the
database a single-process `scrapy crawlall` leaves (the session's `crawled_db`); a worker SIGKILLed in
the middle of the crawl, holding leased requests, must change nothing.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, free_port, snapshot

redis = pytest.importorskip("redis")

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
PREFIX = "animecritic"
# Timestamps, and ids whose values depend on the order rows were inserted in. `content_hash` hashes the
# review's columns with its series id, so it is compared through the columns themselves; `series_id` is
# compared as the series' key.


@pytest.fixture
def redis_url(tmp_path):
    if not os.path.exists(REDIS_SERVER):
        pytest.skip("redis-server is not installed (make system-deps installs it)")
    port = free_port()
    process = subprocess.Popen(
        [REDIS_SERVER, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no",
         "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail("redis-server did not start")
            time.sleep(0.05)
    yield url
    client.close()
    process.terminate()
    process.wait(timeout=10)


def assert_same_database(distributed: Path, single: Path) -> None:
    got, expected = snapshot(distributed), snapshot(single)
    assert len(expected["reviews"]) > 50 and len(expected["crawl_runs"]) >= 8
    for table in expected:
        missing = sorted(set(expected[table]) - set(got[table]))[:3]
        extra = sorted(set(got[table]) - set(expected[table]))[:3]
        assert got[table] == expected[table], f"{table}: missing {missing}, extra {extra}"


class Cluster:
    """Redis, N workers and a writer as real processes, each with its own log file."""

    def __init__(self, redis_url: str, mirror_url: str, workdir: Path):
        self.env = dict(os.environ, REDIS_URL=redis_url)
        self.workdir = workdir
        self.db_path = workdir / "reviews.db"
        self.settings = {
            "MIRROR_MODE": mirror_url, "DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False",
            "DISTRIBUTED_LEASE_SECONDS": "3", "DISTRIBUTED_POLL_SECONDS": "0.25", "LOG_LEVEL": "INFO",
        }
        self.processes: dict[str, subprocess.Popen] = {}
        self.redis = redis.Redis.from_url(redis_url)

    def command(self, *args: str, **settings: str) -> list[str]:
        command = [sys.executable, "-m", "scrapy", *args]
        for name, value in (self.settings | settings).items():
            command += ["-s", f"{name}={value}"]
        return command

    def start(self, name: str, *args: str, **settings: str) -> subprocess.Popen:
        log = open(self.workdir / f"{name}.log", "w")
        process = subprocess.Popen(self.command(*args, **settings), cwd=ROOT, env=self.env, stdout=log,
                                   stderr=subprocess.STDOUT)
        self.processes[name] = process
        return process

    def seed(self) -> str:
        result = subprocess.run([sys.executable, "-m", "scrapy", "seed"], cwd=ROOT, env=self.env,
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr[-3000:]
        return self.redis.hget(f"{PREFIX}:run", "id").decode()

    def wait(self, name: str, timeout: float = 120) -> int:
        try:
            return self.processes[name].wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.stop()
            pytest.fail(f"{name} did not finish; its log:\n{self.log(name)[-4000:]}")

    def log(self, name: str) -> str:
        return (self.workdir / f"{name}.log").read_text(errors="replace")

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.kill()
                process.wait()

    def leases_of(self, run: str, worker: str) -> int:
        return sum(1 for key in self.redis.scan_iter(f"{PREFIX}:{run}:*:processing")
                   for token in self.redis.hkeys(key) if token.startswith(worker.encode() + b"|"))

    def stat(self, run: str, name: str) -> float:
        return sum(float(self.redis.hget(key, name) or 0) for key in self.redis.scan_iter(f"{PREFIX}:{run}:*:stats"))


@pytest.fixture
def cluster(redis_url, mirror, tmp_path):
    cluster = Cluster(redis_url, mirror.base_url, tmp_path)
    yield cluster
    cluster.stop()
    cluster.redis.close()


def start_writer(cluster: Cluster) -> None:
    cluster.start("writer", "writer", REVIEWS_DB=str(cluster.db_path), CRAWL_LOCK=str(cluster.workdir / "crawl.lock"))


def test_three_workers_and_one_writer_store_what_crawlall_stores(cluster, crawled_db):
    # Started before the run exists, as services would be: they wait for `scrapy seed`.
    start_writer(cluster)
    for number in range(3):
        cluster.start(f"worker{number}", "worker")
    run = cluster.seed()
    for number in range(3):
        assert cluster.wait(f"worker{number}") == 0, cluster.log(f"worker{number}")[-4000:]
    assert cluster.wait("writer") == 0, cluster.log("writer")[-4000:]
    assert_same_database(cluster.db_path, crawled_db)
    # All three joined the crawl, nothing was left in Redis, and the run is closed for the next seed.
    joined = set().union(*(cluster.redis.smembers(key) for key in cluster.redis.scan_iter(f"{PREFIX}:{run}:*:workers")))
    assert len(joined) == 3, joined
    status = {k.decode(): v.decode() for k, v in cluster.redis.hgetall(f"{PREFIX}:run").items()}
    assert (status["id"], status["state"], status["status"]) == (run, "finished", "finished")
    for what in ("requests", "processing", "items", "writing"):
        assert not list(cluster.redis.scan_iter(f"{PREFIX}:{run}:*:{what}")), what


def test_a_worker_killed_mid_crawl_loses_nothing_and_stores_nothing_twice(cluster, crawled_db):
    start_writer(cluster)
    # The victim crawls alone for a while, slowly, so it always holds leased requests (popped, unfinished).
    victim = cluster.start("victim", "worker", DISTRIBUTED_WORKER_ID="victim", DOWNLOAD_DELAY="2")
    run = cluster.seed()
    deadline = time.monotonic() + 90

    def until(condition, what):
        while not condition():
            assert victim.poll() is None, f"the victim finished before {what}"
            assert time.monotonic() < deadline, f"never {what}:\n" + cluster.log("victim")[-3000:]
            time.sleep(0.05)

    until(lambda: cluster.leases_of(run, "victim") >= 2 and cluster.stat(run, "response_received_count") >= 5,
          "the victim got going")
    for number in range(2):
        cluster.start(f"worker{number}", "worker")
    heartbeats = lambda: [k for k in cluster.redis.scan_iter(f"{PREFIX}:worker:*") if not k.endswith(b":victim")]
    until(lambda: len(heartbeats()) == 2 and cluster.leases_of(run, "victim") >= 2, "the other workers joined")
    held = cluster.leases_of(run, "victim")
    victim.send_signal(signal.SIGKILL)
    assert victim.wait(timeout=10) == -signal.SIGKILL
    for number in range(2):
        assert cluster.wait(f"worker{number}") == 0, cluster.log(f"worker{number}")[-4000:]
    assert cluster.wait("writer") == 0, cluster.log("writer")[-4000:]
    # The dead worker's leases went back on the queue and were crawled by the others.
    assert held >= 2 and cluster.stat(run, "distributed/requeued") >= 1
    assert "put back on the queue" in cluster.log("worker0") + cluster.log("worker1")
    assert_same_database(cluster.db_path, crawled_db)


def test_one_run_at_a_time_and_redis_url_required(cluster):
    run = cluster.seed()
    again = subprocess.run([sys.executable, "-m", "scrapy", "seed", "butwhytho"], cwd=ROOT, env=cluster.env,
                           capture_output=True, text=True, timeout=60)
    assert again.returncode == 75 and f"run {run}" in again.stderr
    env = {k: v for k, v in cluster.env.items() if k != "REDIS_URL"}
    orphan = subprocess.run([sys.executable, "-m", "scrapy", "worker"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=60)
    assert orphan.returncode != 0 and "REDIS_URL" in orphan.stderr


def test_a_late_commit_after_the_lease_was_taken_over_is_discarded(redis_url):
    """The lease rules themselves, on the Lua scripts: pop = lease, reap = re-queue, commit only by the holder."""
    from types import SimpleNamespace

    from scrapy import Request

    from crawler.distributed.scheduler import LeasedQueue

    server = redis.Redis.from_url(redis_url)
    spider = SimpleNamespace(name="butwhytho")
    queues = {}
    for worker in ("slow", "quick"):
        queue = LeasedQueue(server, spider, "t:run:%(spider)s:requests")
        queue.worker, queue.spider_items_key = worker, "t:run:butwhytho:items"
        queues[worker] = queue
    slow, quick = queues["slow"], queues["quick"]
    assert slow.push_unseen(Request("https://butwhytho.net/a/"), "t:df", "fp-a", "") == 1
    assert slow.push_unseen(Request("https://butwhytho.net/a/"), "t:df", "fp-a", "") == 0  # seen: not queued
    taken = slow.pop()
    token = taken.meta["_distributed_lease"]
    assert (len(slow), slow.in_flight()) == (0, 1)
    server.set("t:worker:quick", "alive")  # quick beats, slow does not: slow is taken for dead
    assert quick.reap("t:worker:") == 1 and (len(quick), quick.in_flight()) == (1, 0)
    again = quick.pop()
    assert again.url == taken.url
    assert not slow.commit(token, [b'{"late": 1}'])  # slow's result arrives late: discarded
    # quick's page redirects: the lease passes to the new request, in the same step as it is queued
    redirect = Request("https://butwhytho.net/b/")
    assert quick.push_unseen(redirect, "t:df", "fp-b", again.meta["_distributed_lease"]) == 1
    assert (len(quick), quick.in_flight()) == (1, 0)
    final = quick.pop()
    assert quick.commit(final.meta["_distributed_lease"], [b'{"review": 1}'])
    assert server.lrange("t:run:butwhytho:items", 0, -1) == [b'{"review": 1}']
    assert (len(quick), quick.in_flight()) == (0, 0)
    server.close()
