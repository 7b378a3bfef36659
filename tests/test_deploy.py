"""The cron and systemd recipes of deploy/, run for real against a private database and a mirror: cron's wrapper
deploy/run-crawl is quiet on success, prints the summary and the problems on failure (cron mails them), keeps a
bounded set of logs, and treats a crawl still running after CRAWL_MAX_HOURS, or a lock held for longer, as failures."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest

from conftest import ROOT, rows
from crawler.lock import CrawlLock

QUICK = ("-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False")


def crontab() -> tuple[dict[str, str], list[str], str]:
    """deploy/crontab's variables, its one job's schedule and command."""
    lines = [line for line in (ROOT / "deploy/crontab").read_text().splitlines() if line and not line.startswith("#")]
    variables = dict(line.split("=", 1) for line in lines if "=" in line.split()[0])
    [job] = [line for line in lines if "=" not in line.split()[0]]
    return variables, job.split(None, 5)[:5], job.split(None, 5)[5]


def environment(tmp_path, **more) -> dict[str, str]:
    """A private database, lock, cache and log; the scrapy next to this Python if make's virtualenv is not there."""
    env = {**os.environ, "REVIEWS_DB": str(tmp_path / "reviews.db"), "CRAWL_LOCK": str(tmp_path / "crawl.lock"),
           "HTTPCACHE_DIR": str(tmp_path / "httpcache"), "CRAWL_LOG": str(tmp_path / "crawl.log"), **more}
    if not (ROOT / ".venv/bin/scrapy").exists():
        env["SCRAPY"] = os.path.join(os.path.dirname(sys.executable), "scrapy")
    env.pop("LOG_LEVEL", None)
    return env


def cron_job(tmp_path, mirror_url: str, *arguments: str, **env) -> subprocess.CompletedProcess:
    """deploy/crontab's job as cron runs it (a shell), in this checkout for /opt/animecritic and on the mirror
    for the live sites, with crawlall arguments added."""
    command = crontab()[2].replace("/opt/animecritic", str(ROOT)).replace("MIRROR_MODE=off", f"MIRROR_MODE={mirror_url}")
    return subprocess.run(" ".join([command, *arguments]), shell=True, cwd="/", env=environment(tmp_path, **env),
                          capture_output=True, text=True, timeout=600)


def run_crawl_script(tmp_path, *arguments: str, **env) -> subprocess.CompletedProcess:
    return subprocess.run([str(ROOT / "deploy/run-crawl"), *arguments], env=environment(tmp_path, **env),
                          capture_output=True, text=True, timeout=600)


def test_the_cron_job_is_quiet_on_success_and_keeps_a_bounded_set_of_logs(tmp_path, site):
    server, _ = site
    variables, schedule, command = crontab()
    assert schedule == ["17", "*/6", "*", "*", "*"]
    assert command == "MIRROR_MODE=off /opt/animecritic/deploy/run-crawl"
    assert "@" in variables["MAILTO"]
    for crawl in (1, 2, 3):
        result = cron_job(tmp_path, server.base_url, "butwhytho", *QUICK, CRAWL_LOGS_KEPT="1")
        # Nothing printed: nothing for cron to mail.
        assert (result.returncode, result.stdout, result.stderr) == (0, "", ""), crawl
    # The last crawl's log and the one before it (CRAWL_LOGS_KEPT=1); the first is gone.
    assert sorted(path.name for path in tmp_path.glob("crawl.log*")) == ["crawl.log", "crawl.log.1"]
    last, before = (tmp_path / "crawl.log").read_text(), (tmp_path / "crawl.log.1").read_text()
    assert last.splitlines()[-1].split()[:8] == ["butwhytho", "finished", "32", "32", "0", "0", "0", "28"]
    assert before.splitlines()[-1].split()[:2] == ["butwhytho", "finished"]
    assert len(last.splitlines()) < 20
    assert rows(tmp_path / "reviews.db", "select status, reviews_new from crawl_runs order by id") == [
        {"status": "finished", "reviews_new": 28}, {"status": "finished", "reviews_new": 0},
        {"status": "finished", "reviews_new": 0}]


def test_a_log_over_its_bound_keeps_its_end(tmp_path, site):
    server, _ = site
    result = run_crawl_script(tmp_path, "butwhytho", *QUICK, MIRROR_MODE=server.base_url, CRAWL_LOG_MAX_BYTES="200")
    assert result.returncode == 0, result.stdout
    log = (tmp_path / "crawl.log").read_text()
    first, *kept = log.splitlines()
    assert first == "(run-crawl: the start of this log was cut: a crawl's log keeps its last 200 bytes)"
    assert len("\n".join(kept)) <= 200
    assert kept[-1].split()[:2] == ["butwhytho", "finished"]


def test_a_failed_crawl_prints_the_summary_and_the_problems(tmp_path, site):
    server, root = site
    for page in (root / "butwhytho.net/category").rglob("index.html"):  # the listing's markup changed
        page.write_text(page.read_text(encoding="utf-8").replace("l-post", "card"), encoding="utf-8")
    result = cron_job(tmp_path, server.base_url, "butwhytho", *QUICK)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[:3] == ["run-crawl: the crawl failed (exit status 1)", f"the whole log: {tmp_path / 'crawl.log'}", ""]
    assert [line.split()[:2] for line in lines[3:5]] == [["spider", "status"], ["butwhytho", "failed"]]
    assert lines[5:] == ["butwhytho: found 0 reviews (at least 1 expected)", "crawlall: failed: butwhytho"]
    assert result.stderr == ""


def test_a_crawl_still_running_after_crawl_max_hours_is_stopped_and_a_failure(tmp_path, site):
    server, _ = site
    # Every review page hangs and each try gives up after a second, a hundred times over: this crawl cannot end
    # by itself within the limit (0.001 hours: 3.6 seconds).
    server.faults = {"/butwhytho.net/20*": "timeout"}
    server.timeout_seconds = 60
    result = run_crawl_script(tmp_path, "butwhytho", *QUICK, "-s", "DOWNLOAD_TIMEOUT=1", "-s", "RETRY_TIMES=100",
                              "-s", "RETRY_BACKOFF_MAX=0.05", MIRROR_MODE=server.base_url, CRAWL_MAX_HOURS="0.001")
    assert result.returncode == 124
    assert result.stdout.splitlines()[:2] == [
        "run-crawl: the crawl was still running after 0.001 hours (CRAWL_MAX_HOURS): stopped",
        f"the whole log: {tmp_path / 'crawl.log'}"]
    assert not list(tmp_path.glob("crawl.log.running.*"))


def hold_the_lock(tmp_path, hours_ago: float) -> CrawlLock:
    """Another crawl holding the lock (this test process), started `hours_ago`."""
    lock = CrawlLock(tmp_path / "crawl.lock").acquire()
    since = datetime.now(timezone.utc) - timedelta(hours=hours_ago)
    lock.path.write_text(f"pid {os.getpid()} since {since.isoformat(timespec='seconds')}\n")
    return lock


def test_a_crawl_that_finds_the_previous_one_still_running_is_quiet(tmp_path):
    lock = hold_the_lock(tmp_path, hours_ago=1)
    try:
        result = run_crawl_script(tmp_path, "butwhytho")
    finally:
        lock.release()
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert not list(tmp_path.glob("crawl.log*"))  # its one line is not worth a log


def test_a_lock_held_for_longer_than_crawl_max_hours_is_a_failure(tmp_path):
    lock = hold_the_lock(tmp_path, hours_ago=9)
    holder = lock.path.read_text().strip()
    try:
        result = run_crawl_script(tmp_path, "butwhytho")
    finally:
        lock.release()
    assert result.returncode == 1
    assert result.stdout.splitlines()[3:] == [
        f"crawlall: another crawl is running ({holder}); lock file {tmp_path / 'crawl.lock'}",
        "crawlall: failed: the crawl holding the lock has run for 9.0 hours, more than CRAWL_MAX_HOURS=8: "
        "it is stuck (stop it) or CRAWL_MAX_HOURS is too low"]


def unit() -> dict[str, str]:
    return dict(line.split("=", 1) for line in (ROOT / "deploy/animecritic-crawl.service").read_text().splitlines()
                if "=" in line and not line.startswith("#"))


def test_the_systemd_service_fails_a_crawl_held_up_for_longer_than_crawl_max_hours(tmp_path):
    service = unit()
    # A crawl still running after CRAWL_MAX_HOURS: a oneshot service is bounded by TimeoutStartSec=.
    hours = subprocess.run([sys.executable, "-m", "scrapy", "settings", "--get", "CRAWL_MAX_HOURS"], cwd=ROOT,
                           env=environment(tmp_path), capture_output=True, text=True, timeout=120).stdout.strip()
    assert (service["Type"], service["TimeoutStartSec"], service["SuccessExitStatus"]) == ("oneshot", f"{hours}h", "75")
    assert "RuntimeMaxSec" not in service  # no effect on Type=oneshot
    # The lock held for longer: ExecStart exits 1, not the 75 SuccessExitStatus= forgives.
    command = service["ExecStart"].replace("/opt/animecritic/.venv/bin/scrapy", f"{sys.executable} -m scrapy")
    lock = hold_the_lock(tmp_path, hours_ago=9)
    try:
        stuck = subprocess.run(command.split() + ["butwhytho"], cwd=ROOT, env=environment(tmp_path),
                               capture_output=True, text=True, timeout=300)
        lock.path.write_text(f"pid {os.getpid()} since {datetime.now(timezone.utc).isoformat(timespec='seconds')}\n")
        busy = subprocess.run(command.split() + ["butwhytho"], cwd=ROOT, env=environment(tmp_path),
                              capture_output=True, text=True, timeout=300)
    finally:
        lock.release()
    assert (stuck.returncode, busy.returncode) == (1, 75), stuck.stderr + busy.stderr


@pytest.mark.parametrize("name, value, most", [("CRAWL_LOGS_KEPT", "abc", "999"), ("CRAWL_LOGS_KEPT", "5000", "999"),
                                               ("MAIL_LINES", "-1", "99999")])
def test_a_bad_number_for_the_wrapper_is_one_line_and_no_crawl(tmp_path, name, value, most):
    result = run_crawl_script(tmp_path, "butwhytho", **{name: value})
    assert (result.returncode, result.stdout) == (
        2, f"run-crawl: {name}={value} is not a whole number from 0 to {most}; no crawl was run\n")
    assert not (tmp_path / "reviews.db").exists()


def test_a_crawl_max_hours_that_is_no_number_is_one_line_and_no_crawl(tmp_path):
    result = run_crawl_script(tmp_path, "butwhytho", CRAWL_MAX_HOURS="eight")
    assert (result.returncode, result.stdout) == (
        2, "run-crawl: CRAWL_MAX_HOURS=eight is not a number of hours; no crawl was run\n")
