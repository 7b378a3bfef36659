"""Shared fixtures: the offline mirror on a free loopback port, and crawls run as real subprocesses."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import hashlib
import json
import sqlite3
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from crawler.mirror import MirrorServer

ROOT = Path(__file__).resolve().parent.parent
MIRROR_DIR = ROOT / "data" / "mirror"


@pytest.fixture(scope="session")
def mirror():
    server = MirrorServer(MIRROR_DIR).start()
    yield server
    server.stop()


def crawl_command(db_path: Path, mirror_url: str, *spiders: str, extra: tuple[str, ...] = ()) -> list[str]:
    """The `scrapy crawlall` command line `run_crawl` runs, for tests that start the crawl themselves."""
    settings = {
        "REVIEWS_DB": str(db_path),
        "HTTPCACHE_DIR": str(db_path.parent / "httpcache"),
        "CRAWL_LOCK": str(db_path.parent / "crawl.lock"),
        "MIRROR_MODE": mirror_url,
        "DOWNLOAD_DELAY": "0",
        "AUTOTHROTTLE_ENABLED": "False",
        "LOG_LEVEL": "INFO",
    }
    command = [sys.executable, "-m", "scrapy", "crawlall", *spiders]
    for name, value in settings.items():
        command += ["-s", f"{name}={value}"]
    return command + list(extra)


def run_crawl(db_path: Path, mirror_url: str, *spiders: str, extra: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    """`scrapy crawlall` in a subprocess against the mirror, politeness delays off so tests stay quick."""
    return subprocess.run(crawl_command(db_path, mirror_url, *spiders, extra=extra), cwd=ROOT, capture_output=True,
                          text=True, timeout=600)


@pytest.fixture(scope="session")
def crawled_db(tmp_path_factory, mirror) -> Path:
    """The demo crawl of the whole mirror, once per test session."""
    db_path = tmp_path_factory.mktemp("crawl") / "reviews.db"
    result = run_crawl(db_path, mirror.base_url)
    assert result.returncode == 0, result.stderr[-5000:]
    return db_path


# What a crawl stores, without what differs between two crawls of the same pages (ids, times).
SNAPSHOT_IGNORED = {"id", "run_id", "first_seen", "last_seen", "last_changed", "started", "finished", "dropped_at",
                    "seen_at", "changed_at", "content_hash"}
SNAPSHOT_TABLES = ("reviews", "series", "outlets", "subscores", "audience_scores", "episode_scores", "series_scores",
                   "outlet_leniency")


def snapshot(db_path: Path) -> dict[str, list]:
    """The database's content, order- and id-independent: sorted rows per table."""
    connection = sqlite3.connect(db_path)
    connection.row_factory = sqlite3.Row
    try:
        series_key = {row["id"]: row["key"] for row in connection.execute("select id, key from series")}
        tables = {}
        for table in SNAPSHOT_TABLES:
            rows = []
            for row in connection.execute(f"select * from {table}"):
                values = {k: row[k] for k in row.keys() if k not in SNAPSHOT_IGNORED}
                if "series_id" in values:
                    values["series_id"] = series_key.get(values["series_id"])
                if values.get("outlets"):  # group_concat's order follows the order reviews were stored in
                    values["outlets"] = ",".join(sorted(values["outlets"].split(",")))
                if values.get("body_text"):  # the text by its hash: a snapshot small enough to commit
                    values["body_text"] = hashlib.sha256(values["body_text"].encode("utf-8")).hexdigest()[:16]
                rows.append(json.dumps(values, sort_keys=True, ensure_ascii=False))
            tables[table] = sorted(rows)
        tables["dropped_items"] = sorted(
            f"{row['url']} | {row['reason']}" for row in connection.execute("select url, reason from dropped_items"))
        tables["crawl_runs"] = sorted(
            json.dumps([row["spider"], row["status"], row["reviews_new"], row["reviews_updated"],
                        row["reviews_unchanged"], row["items_dropped"], row["errors"]])
            for row in connection.execute("select * from crawl_runs"))
        return tables
    finally:
        connection.close()



def rows(db_path: Path, sql: str, *params) -> list[dict]:
    """Rows of a query on a database file, as dicts."""
    connection = sqlite3.connect(db_path)
    connection.row_factory = sqlite3.Row
    try:
        return [dict(row) for row in connection.execute(sql, params)]
    finally:
        connection.close()


def crawled_connection(tmp_path_factory, mirror, spider: str) -> sqlite3.Connection:
    """A crawl of one spider over the mirror into a fresh database, opened for reading (rows as dicts)."""
    db_path = tmp_path_factory.mktemp(spider) / "reviews.db"
    result = run_crawl(db_path, mirror.base_url, spider)
    assert result.returncode == 0, result.stderr[-5000:]
    connection = sqlite3.connect(db_path)
    connection.row_factory = sqlite3.Row
    return connection


# How long a test waits for something that must happen (a server answering, a crawl getting somewhere)
# before it gives up. Only a deadline for "nothing happens at all": a loaded machine is slow, not broken,
# and every wait below returns as soon as what it waits for has happened.
PATIENCE = 300


def wait_for(condition, what: str, process: subprocess.Popen | None = None, seconds: float = PATIENCE,
             pause: float = 0.05):
    """Ask `condition()` again and again (a short pause between asks) until it returns something true, and return
    that. Fail if `process` ends first, or after `seconds` of nothing."""
    deadline = time.monotonic() + seconds
    while True:
        result = condition()
        if result:
            return result
        if process is not None and process.poll() is not None:
            result = condition()  # what it did just before it ended counts
            if result:
                return result
            pytest.fail(f"{what}: never happened, the process ended first (status {process.returncode})")
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: nothing after {seconds} s")
        time.sleep(pause)


def kill_when(process: subprocess.Popen, condition, what: str, still_running: bool = False) -> None:
    """SIGKILL `process` once `condition()` holds (it is paused first, so it cannot run on past the point), and
    check it died of the kill. `still_running`: fail if it ended before the condition could be acted on."""
    try:
        wait_for(condition, what, process)
        if still_running:
            assert process.poll() is None, f"the process ended before it could be killed at: {what}"
        if process.poll() is None:
            process.send_signal(signal.SIGSTOP)
            os.kill(process.pid, signal.SIGKILL)
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
    assert process.returncode == -signal.SIGKILL


def wait_until_serving(url: str, process: subprocess.Popen, seconds: float = PATIENCE, log: Path | None = None) -> None:
    """Wait for a server process to answer at url; fail with its output (`log`, or its stdout pipe) if it dies
    or never answers."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=5).close()
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                process.wait()
                if log is not None:
                    output = Path(log).read_text(errors="replace")
                else:
                    output = process.stdout.read().decode(errors="replace") if process.stdout else "no answer"
                raise RuntimeError(f"{url} never answered:\n{output[-5000:]}")
            time.sleep(0.1)


def stop_process(process: subprocess.Popen, seconds: float = 30) -> None:
    """SIGTERM, and SIGKILL if it has not ended after `seconds`."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def datasette_serving(db_path: Path, config_dir: Path):
    """Datasette as a real process over data/'s configuration (metadata, settings, plugins) and db_path."""
    for name in ("metadata.yml", "settings.json"):
        shutil.copy(ROOT / "data" / name, config_dir / name)
    shutil.copytree(ROOT / "data" / "plugins", config_dir / "plugins", dirs_exist_ok=True)
    shutil.copytree(ROOT / "data" / "templates", config_dir / "templates", dirs_exist_ok=True)
    shutil.copy(ROOT / "data" / "series_aliases.yml", config_dir / "series_aliases.yml")
    shutil.copy(db_path, config_dir / "reviews.db")
    port = free_port()
    # Its output goes to a file: a pipe nobody reads fills up with access-log lines and then blocks the server.
    log = config_dir / "datasette.log"
    with open(log, "wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "datasette", "serve", str(config_dir), "--host", "127.0.0.1", "--port", str(port)],
            stdout=output, stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    wait_until_serving(url + "/-/versions.json", process, log=log)
    try:
        yield url
    finally:
        stop_process(process)


@pytest.fixture(scope="session")
def datasette_url(crawled_db, tmp_path_factory):
    with datasette_serving(crawled_db, tmp_path_factory.mktemp("datasette")) as url:
        yield url


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]


def skip_without_chromium() -> None:
    """A browser test module's first line: Debian's chromium is needed (CI installs it; elsewhere, skip)."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            raise RuntimeError("CI needs Debian's chromium (installed by .ci/run)")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)", allow_module_level=True)


@contextmanager
def chromium():
    """Debian's chromium, headless, driven by Playwright (which never downloads a browser of its own here)."""
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def site(tmp_path):
    """A copy of the But Why Tho? mirror served on its own port: (server, folder)."""
    root = tmp_path / "mirror"
    shutil.copytree(MIRROR_DIR / "butwhytho.net", root / "butwhytho.net")
    server = MirrorServer(root).start()
    yield server, root
    server.stop()
