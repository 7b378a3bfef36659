"""Scrapyd, bound to loopback: the project deployed with scrapyd-deploy and a crawl scheduled with the README's own
`curl` command, run as written (only its Scrapyd address and its folder are this test's)."""

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import urllib.parse
import urllib.request

import pytest

from conftest import MIRROR_DIR, ROOT, free_port, rows, stop_process, wait_for, wait_until_serving

SCRAPYD = shutil.which("scrapyd", path=os.path.dirname(sys.executable)) or shutil.which("scrapyd")
DEPLOY = shutil.which("scrapyd-deploy", path=os.path.dirname(sys.executable)) or shutil.which("scrapyd-deploy")
PAGE_3 = "https://butwhytho.net/category/reviews/anime/page/3/"


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


def readme_schedule_command() -> str:
    [command] = re.findall(r"`(curl [^`]*/schedule\.json[^`]*)`", (ROOT / "README.md").read_text(encoding="utf-8"))
    return command


def schedule(command: str, scrapyd_url: str, folder) -> str:
    """Run a README curl command with this test's Scrapyd and folder for 127.0.0.1:6800 and /srv/animecritic;
    the job's id."""
    here = command.replace("http://127.0.0.1:6800", scrapyd_url).replace("/srv/animecritic", str(folder))
    result = subprocess.run(shlex.split(here), capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["status"] == "ok", answer
    return answer["jobid"]


def wait_until_finished(scrapyd_url: str, job: str) -> None:
    wait_for(lambda: any(j["id"] == job for j in api(scrapyd_url, "/listjobs.json?project=animecritic")["finished"]),
             "the scheduled crawl finishing", pause=0.5)


def test_the_readme_command_schedules_a_crawl_that_stores_the_mirrors_reviews(scrapyd_url, tmp_path):
    deployed = subprocess.run([DEPLOY, "env", "--version", "1"], cwd=ROOT, capture_output=True, text=True,
                              env={**os.environ, "SCRAPYD_URL": scrapyd_url}, timeout=600)
    assert deployed.returncode == 0, deployed.stdout + deployed.stderr
    assert json.loads(deployed.stdout[deployed.stdout.index("{"):])["status"] == "ok"
    assert "butwhytho" in api(scrapyd_url, "/listspiders.json?project=animecritic")["spiders"]

    # The folder the README's command names, as a user makes it: the alias file, mirror and catalogue of data/.
    folder = tmp_path / "srv"
    folder.mkdir()
    (folder / "mirror").symlink_to(MIRROR_DIR)
    (folder / "series_aliases.yml").symlink_to(ROOT / "data/series_aliases.yml")
    (folder / "catalogue").symlink_to(ROOT / "data/catalogue")
    command = readme_schedule_command()
    job = schedule(command, scrapyd_url, folder)
    wait_until_finished(scrapyd_url, job)
    db = folder / "reviews.db"
    log = tmp_path / "logs/animecritic/butwhytho" / f"{job}.log"
    assert db.exists(), log.read_text()[-5000:]
    assert rows(db, "select count(*) as n from reviews")[0]["n"] == 28, log.read_text()[-5000:]
    assert rows(db, "select count(*) as n from series_catalogue where mal_url is not null")[0]["n"] > 0
    assert rows(db, "select spider, status, reviews_new, partial from crawl_runs") == [
        {"spider": "butwhytho", "status": "finished", "reviews_new": 28, "partial": 0}]

    # The README's partial crawl, through Scrapyd: one listing page, recorded as partial, not failed for
    # finding 8 reviews where the full run found 28.
    job = schedule(f"{command} -d start_urls={PAGE_3}", scrapyd_url, folder)
    wait_until_finished(scrapyd_url, job)
    assert rows(db, "select status, reviews_unchanged, partial, problems from crawl_runs order by id")[1:] == [
        {"status": "finished", "reviews_unchanged": 8, "partial": 1, "problems": None}]
