"""Scheduled, incremental, monitored crawls, on a private copy of the But Why Tho? mirror that tests edit."""

import os
import signal
import subprocess
import sys
import time

from conftest import ROOT, kill_when, rows, run_crawl, wait_for

REVIEW_12 = "butwhytho.net/2024/09/review-twilight-out-of-focus-episode-12-a-red-thread/index.html"




def last_run(db_path):
    return rows(db_path, "select * from crawl_runs order by id desc limit 1")[0]


def test_second_crawl_of_an_unchanged_site_downloads_almost_nothing(tmp_path, site):
    server, _ = site
    db = tmp_path / "reviews.db"
    assert run_crawl(db, server.base_url, "butwhytho").returncode == 0
    first = last_run(db)
    bodies_before, not_modified_before = server.served[200], server.served[304]
    assert run_crawl(db, server.base_url, "butwhytho").returncode == 0
    second = last_run(db)
    reviews = first["reviews_new"]
    assert (first["pages"], first["not_modified"], reviews) == (32, 0, 28)
    # Counted by the server itself: bodies it sent, and 304s, during the second crawl.
    full_bodies = server.served[200] - bodies_before
    assert full_bodies <= 0.05 * reviews
    assert server.served[304] - not_modified_before == second["not_modified"] == 32
    assert (second["reviews_new"], second["reviews_updated"], second["reviews_unchanged"]) == (0, 0, 28)
    assert rows(db, "select count(*) as n from reviews")[0]["n"] == 28


def test_a_changed_score_updates_one_review_and_records_the_change(tmp_path, site):
    server, root = site
    db = tmp_path / "reviews.db"
    assert run_crawl(db, server.base_url, "butwhytho").returncode == 0
    page = root / REVIEW_12
    page.write_text(page.read_text(encoding="utf-8").replace("8/10", "6.5/10"), encoding="utf-8")
    assert run_crawl(db, server.base_url, "butwhytho").returncode == 0
    run = last_run(db)
    assert (run["reviews_new"], run["reviews_updated"], run["reviews_unchanged"]) == (0, 1, 27)
    assert run["pages"] - run["not_modified"] == 1
    [change] = rows(db, "select * from review_changes")
    url = "https://butwhytho.net/2024/09/review-twilight-out-of-focus-episode-12-a-red-thread/"
    assert (change["review"], change["run_id"], change["fields"], change["old_score"], change["new_score"]) == (
        url, run["id"], "score_text, score", 8.0, 6.5)
    assert rows(db, "select score_text, score from reviews where url = ?", url) == [
        {"score_text": "Rating - 6.5/10", "score": 6.5}]


def test_changed_markup_fails_the_health_check_and_the_exit_status(tmp_path, site):
    server, root = site
    db = tmp_path / "reviews.db"
    assert run_crawl(db, server.base_url, "butwhytho").returncode == 0
    # The site's theme renames its review box: the spider now finds no score anywhere.
    for page in (root / "butwhytho.net").rglob("index.html"):
        page.write_text(page.read_text(encoding="utf-8").replace("review-box", "score-card"), encoding="utf-8")
    result = run_crawl(db, server.base_url, "butwhytho")
    assert result.returncode == 1
    run = last_run(db)
    assert run["status"] == "failed"
    assert run["problems"] == "100% of reviews have no score (at most 50%)"
    assert "health check failed for butwhytho: 100% of reviews have no score" in result.stderr
    assert "crawlall: failed: butwhytho" in result.stderr


def test_a_listing_that_lost_its_links_fails_on_zero_reviews(tmp_path, site):
    server, root = site
    db = tmp_path / "reviews.db"
    for page in (root / "butwhytho.net/category").rglob("index.html"):
        page.write_text(page.read_text(encoding="utf-8").replace("l-post", "card"), encoding="utf-8")
    result = run_crawl(db, server.base_url, "butwhytho")
    assert result.returncode == 1
    assert last_run(db)["problems"] == "found 0 reviews (at least 1 expected)"


def crawl_command(db, mirror_url, *extra):
    return [sys.executable, "-m", "scrapy", "crawlall", "butwhytho", "-s", f"REVIEWS_DB={db}",
            "-s", f"MIRROR_MODE={mirror_url}", "-s", f"CRAWL_LOCK={db.parent / 'crawl.lock'}",
            "-s", f"HTTPCACHE_DIR={db.parent / 'httpcache'}", *extra]


def holds_the_lock(lock, process):
    """The crawl has taken the lock: the lock file names its pid."""
    return lock.exists() and lock.read_text().startswith(f"pid {process.pid} ")


def test_a_second_crawlall_exits_at_once_while_one_runs(tmp_path, site):
    server, _ = site
    db = tmp_path / "reviews.db"
    first = subprocess.Popen(crawl_command(db, server.base_url, "-s", "DOWNLOAD_DELAY=0.2"), cwd=ROOT,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        lock = db.parent / "crawl.lock"
        wait_for(lambda: holds_the_lock(lock, first), "the first crawl taking the lock", first)
        # Frozen while it holds the lock, so that it cannot finish (and free the lock) before the second crawl,
        # however slowly that one starts on a loaded machine; and the lock cannot come free while the second
        # crawl runs: had it waited for the lock instead of exiting at once, it would never return.
        first.send_signal(signal.SIGSTOP)
        try:
            second = subprocess.run(crawl_command(db, server.base_url), cwd=ROOT, capture_output=True, text=True,
                                    timeout=300)
            assert first.poll() is None and holds_the_lock(lock, first)  # it exited while the lock was held
        finally:
            first.send_signal(signal.SIGCONT)
        assert second.returncode == 75
        assert f"another crawl is running (pid {first.pid} since" in second.stderr
        assert first.wait(timeout=600) == 0
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()


def test_a_lock_left_by_a_killed_crawl_is_taken_over(tmp_path, site):
    server, _ = site
    db = tmp_path / "reviews.db"
    killed = subprocess.Popen(crawl_command(db, server.base_url, "-s", "DOWNLOAD_DELAY=0.2"), cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    lock = db.parent / "crawl.lock"
    # Paused before the kill: it cannot finish (and release the lock) first.
    kill_when(killed, lambda: holds_the_lock(lock, killed), "the crawl taking the lock")
    assert lock.read_text().startswith(f"pid {killed.pid} ")  # left behind
    result = subprocess.run(crawl_command(db, server.base_url, "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"),
                            cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    assert f"took over the lock left by a crawl that is no longer running (pid {killed.pid} since" in result.stderr


def test_every_runs_crawls_on_a_schedule(tmp_path, site):
    server, _ = site
    db = tmp_path / "reviews.db"
    started = time.monotonic()
    result = subprocess.run(crawl_command(db, server.base_url, "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
                                          "--every", "3s", "--runs", "2"),
                            cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    runs = rows(db, "select status, reviews_new, reviews_unchanged from crawl_runs order by id")
    assert runs == [{"status": "finished", "reviews_new": 28, "reviews_unchanged": 0},
                    {"status": "finished", "reviews_new": 0, "reviews_unchanged": 28}]
    assert time.monotonic() - started >= 3  # a lower bound: the second crawl waited for its turn
    assert "scheduled crawl 2 ended with status 0" in result.stderr


def installed_command(command: str, db, mirror_url) -> str:
    """A deploy/ command line made to run here: this checkout for /opt/animecritic, the mirror for the
    live sites, a private database. Everything else runs exactly as written."""
    scrapy = ROOT / ".venv/bin/scrapy"
    if not scrapy.exists():  # tests run outside make's virtualenv: the scrapy next to this Python
        command = command.replace("/opt/animecritic/.venv/bin/scrapy", f"{os.path.dirname(sys.executable)}/scrapy")
        command = command.replace(".venv/bin/scrapy", f"{os.path.dirname(sys.executable)}/scrapy")
    command = command.replace("/opt/animecritic", str(ROOT)).replace("MIRROR_MODE=off", f"MIRROR_MODE={mirror_url}")
    return command.replace("data/crawl.log", str(db.parent / "crawl.log"))


def private_env(db):
    return {**os.environ, "REVIEWS_DB": str(db), "CRAWL_LOCK": str(db.parent / "crawl.lock"),
            "HTTPCACHE_DIR": str(db.parent / "httpcache")}


# The cron job (deploy/crontab, deploy/run-crawl) is tested in test_deploy.py.


def test_the_systemd_service_runs_a_crawl(tmp_path, site):
    server, _ = site
    db = tmp_path / "reviews.db"
    unit = dict(line.split("=", 1) for line in (ROOT / "deploy/animecritic-crawl.service").read_text().splitlines()
                if "=" in line and not line.startswith("#"))
    assert (unit["Type"], unit["ExecStart"], unit["Environment"], unit["SuccessExitStatus"]) == (
        "oneshot", "/opt/animecritic/.venv/bin/scrapy crawlall", "MIRROR_MODE=off", "75")
    timer = (ROOT / "deploy/animecritic-crawl.timer").read_text()
    assert "OnCalendar=*-*-* 00/6:17:00" in timer and "Persistent=true" in timer
    env = private_env(db) | {"MIRROR_MODE": installed_command(unit["Environment"], db, server.base_url).split("=", 1)[1]}
    command = installed_command(unit["ExecStart"], db, server.base_url).split() + ["butwhytho"]
    result = subprocess.run(command, cwd=installed_command(unit["WorkingDirectory"], db, server.base_url), env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    assert rows(db, "select status, reviews_new from crawl_runs") == [{"status": "finished", "reviews_new": 28}]
