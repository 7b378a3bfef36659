"""A database on a full volume (issue 16, attack 2): the crawl fails with status 1 and says why, nothing stored
before is lost, and once there is room again the next crawl leaves every consensus table equal to a full rebuild."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess

import pytest

from conftest import run_crawl, snapshot
from pipelines import store

CONSENSUS = ("episode_scores", "series_scores", "outlet_leniency")


@pytest.fixture
def small_volume(tmp_path):
    """A 64 MB tmpfs of the test's own (mounting needs root, which CI has)."""
    volume = tmp_path / "volume"
    volume.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(volume)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small volume here: {mounted.stderr.decode().strip()}")
    yield volume
    subprocess.run(["umount", "-l", str(volume)], check=True)


def fill(volume, leave_bytes: int):
    free = shutil.disk_usage(volume).free
    with open(volume / "filler", "wb") as filler:
        filler.write(b"\0" * max(0, free - leave_bytes))


def copy_db(source, target):
    """The whole database, what its write-ahead log holds included (a file copy would miss that)."""
    with sqlite3.connect(source) as origin, sqlite3.connect(target) as copy:
        origin.backup(copy)


def consensus_rows(db_path) -> dict[str, list]:
    with sqlite3.connect(db_path) as connection:
        return {table: connection.execute(f"select * from {table} order by 1, 2, 3").fetchall() for table in CONSENSUS}


def test_a_full_disk_fails_the_crawl_loses_nothing_and_leaves_no_stale_consensus(tmp_path, mirror, small_volume):
    base = tmp_path / "base.db"
    assert run_crawl(base, mirror.base_url, "butwhytho").returncode == 0
    db_path = small_volume / "reviews.db"
    copy_db(base, db_path)
    before = snapshot(db_path)["reviews"]
    fill(small_volume, leave_bytes=200 * 1024)

    full = run_crawl(db_path, mirror.base_url, "animerants", "fandompost")
    assert full.returncode == 1
    assert "database or disk is full" in full.stderr
    assert "crawlall: failed: animerants, fandompost" in full.stderr
    with sqlite3.connect(db_path) as connection:
        assert connection.execute("pragma integrity_check").fetchone() == ("ok",)
    assert set(before) <= set(snapshot(db_path)["reviews"])  # every review stored before is still there, whole

    (small_volume / "filler").unlink()
    again = run_crawl(db_path, mirror.base_url, "animerants", "fandompost")
    assert again.returncode == 0, again.stderr[-3000:]
    rebuilt = tmp_path / "rebuilt.db"
    copy_db(db_path, rebuilt)
    db = store.open_db(rebuilt)
    store.refresh_stale(db, every_series=True)
    db.close()
    assert consensus_rows(db_path) == consensus_rows(rebuilt)
    assert len(consensus_rows(db_path)["episode_scores"]) > 0
