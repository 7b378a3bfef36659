"""Scrapyd, bound to loopback: the project deployed with scrapyd-deploy and a crawl scheduled over its API."""

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import urllib.parse
import urllib.request

import pytest

from conftest import ROOT, free_port, stop_process, wait_for, wait_until_serving

SCRAPYD = shutil.which("scrapyd", path=os.path.dirname(sys.executable)) or shutil.which("scrapyd")
DEPLOY = shutil.which("scrapyd-deploy", path=os.path.dirname(sys.executable)) or shutil.which("scrapyd-deploy")


@pytest.fixture
def scrapyd_url(tmp_path):
    port = free_port()
    (tmp_path / "scrapyd.conf").write_text(
        f"[scrapyd]\nbind_address = 127.0.0.1\nhttp_port = {port}\neggs_dir = {tmp_path / 'eggs'}\n"
        f"logs_dir = {tmp_path / 'logs'}\ndbs_dir = {tmp_path / 'dbs'}\nitems_dir =\nmax_proc = 2\npoll_interval = 0.5\n"
    )
    # Its log goes to a file: a pipe nobody reads fills up (a line per API call) and then blocks the daemon.
    log = tmp_path / "scrapyd.out"
    with open(log, "wb") as output:
        process = subprocess.Popen([SCRAPYD], cwd=tmp_path, stdout=output, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    wait_until_serving(url + "/daemonstatus.json", process, log=log)
    yield url
    stop_process(process)


def api(url: str, path: str, **params) -> dict:
    data = urllib.parse.urlencode(params, doseq=True).encode() if params else None
    with urllib.request.urlopen(url + path, data=data, timeout=30) as response:
        return json.load(response)


def test_deploy_and_schedule_a_crawl_on_scrapyd(scrapyd_url, mirror, tmp_path):
    deployed = subprocess.run([DEPLOY, "env", "--version", "1"], cwd=ROOT, capture_output=True, text=True,
                              env={**os.environ, "SCRAPYD_URL": scrapyd_url}, timeout=600)
    assert deployed.returncode == 0, deployed.stdout + deployed.stderr
    assert json.loads(deployed.stdout[deployed.stdout.index("{"):])["status"] == "ok"
    assert "butwhytho" in api(scrapyd_url, "/listspiders.json?project=animecritic")["spiders"]

    db = tmp_path / "reviews.db"
    # Inside an egg the project's own folders are not on disk: paths and the mirror come as settings.
    settings = {
        "REVIEWS_DB": db, "MIRROR_MODE": mirror.base_url, "HTTPCACHE_DIR": tmp_path / "httpcache",
        "SERIES_ALIASES": ROOT / "data/series_aliases.yml", "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False,
    }
    job = api(scrapyd_url, "/schedule.json", project="animecritic", spider="butwhytho",
              setting=[f"{name}={value}" for name, value in settings.items()])["jobid"]
    wait_for(lambda: any(j["id"] == job for j in api(scrapyd_url, "/listjobs.json?project=animecritic")["finished"]),
             "the scheduled crawl finishing", pause=0.5)
    connection = sqlite3.connect(db)
    try:
        assert connection.execute("select count(*) from reviews").fetchone()[0] == 28
        assert connection.execute("select spider, status, reviews_new from crawl_runs").fetchall() == [
            ("butwhytho", "finished", 28)]
    finally:
        connection.close()
