"""Shared fixtures: the offline mirror on a free loopback port, and crawls run as real subprocesses."""

from __future__ import annotations

import socket
import subprocess
import sys
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


def run_crawl(db_path: Path, mirror_url: str, *spiders: str, extra: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    """`scrapy crawlall` in a subprocess against the mirror, politeness delays off so tests stay quick."""
    settings = {
        "REVIEWS_DB": str(db_path),
        "MIRROR_MODE": mirror_url,
        "DOWNLOAD_DELAY": "0",
        "AUTOTHROTTLE_ENABLED": "False",
        "LOG_LEVEL": "INFO",
    }
    command = [sys.executable, "-m", "scrapy", "crawlall", *spiders]
    for name, value in settings.items():
        command += ["-s", f"{name}={value}"]
    command += list(extra)
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="session")
def crawled_db(tmp_path_factory, mirror) -> Path:
    """The demo crawl of the whole mirror, once per test session."""
    db_path = tmp_path_factory.mktemp("crawl") / "reviews.db"
    result = run_crawl(db_path, mirror.base_url)
    assert result.returncode == 0, result.stderr[-5000:]
    return db_path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
