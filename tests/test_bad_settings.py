"""Bad configuration is refused at start with one line naming the setting (issue 16, attack 8)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest
from scrapy.settings import Settings
from scrapy.utils.project import get_project_settings

from conftest import ROOT, free_port
from crawler.config_check import settings_problems

BAD_VALUES = [
    ("DOWNLOAD_DELAY", "abc", "DOWNLOAD_DELAY='abc' is not a number"),
    ("MIN_REVIEW_WORDS", "lots", "MIN_REVIEW_WORDS='lots' is not a whole number"),
    ("MIN_REVIEW_WORDS", "4.5", "MIN_REVIEW_WORDS='4.5' is not a whole number"),
    ("CONCURRENT_REQUESTS_PER_DOMAIN", "-1",
     "CONCURRENT_REQUESTS_PER_DOMAIN='-1' is out of range: it must be between 1 and 10000"),
    ("CONCURRENT_REQUESTS", "0", "CONCURRENT_REQUESTS='0' is out of range: it must be between 1 and 10000"),
    ("HEALTH_MAX_DROP_SHARE", "1.5", "HEALTH_MAX_DROP_SHARE='1.5' is out of range: it must be between 0 and 1"),
    ("DOWNLOAD_TIMEOUT", "nan", "DOWNLOAD_TIMEOUT='nan' is out of range: it must be between 0.001 and 3600"),
    ("AUTOTHROTTLE_ENABLED", "maybe", "AUTOTHROTTLE_ENABLED='maybe' is not a yes/no value: use True or False"),
    ("MIRROR_MODE", "bogus", "MIRROR_MODE='bogus' is not embedded, off or a mirror's URL like http://127.0.0.1:8080"),
    ("MIRROR_MODE", "http://127.0.0.1:99999",
     "MIRROR_MODE='http://127.0.0.1:99999' is not embedded, off or a mirror's URL like http://127.0.0.1:8080"),
]


def project_settings(**overrides) -> Settings:
    settings = get_project_settings().copy()
    settings.setdict(overrides, priority="cmdline")
    return settings


def test_the_project_settings_have_no_problem():
    assert settings_problems(project_settings(), ["butwhytho", "generic"]) == []


@pytest.mark.parametrize("name, value, problem", BAD_VALUES)
def test_each_bad_value_is_one_line_naming_the_setting(name, value, problem):
    assert settings_problems(project_settings(**{name: value})) == [problem]


@pytest.mark.parametrize("mode", ["off", "embedded", "http://127.0.0.1:8080", "https://mirror.example.org/"])
def test_every_mirror_mode_the_readme_names_is_accepted(mode):
    assert settings_problems(project_settings(MIRROR_MODE=mode)) == []


@pytest.mark.parametrize("text, problem", [
    ("just a line\n", "expected lines of `canonical title: [other names]`"),
    ("A: [x]\nB: [x]\n", "'x' is listed for both 'A' and 'B'"),
    ("A: [x\n", "while parsing a flow sequence"),
])
def test_a_malformed_alias_file_is_named_with_its_problem(tmp_path, text, problem):
    path = tmp_path / "aliases.yml"
    path.write_text(text)
    [line] = settings_problems(project_settings(SERIES_ALIASES=str(path)))
    assert line.startswith(f"SERIES_ALIASES: {path}") and problem in line


@pytest.mark.parametrize("entries, problem", [
    ("  - name: Broken\n    feed: https://x.example/feed\n", "site 1 (Broken) has no 'host'"),
    ("  - {name: A, host: a.example, feed: https://a.example/feed}\n  - {name: B, host: b.example}\n",
     "site 2 (B) says neither feed, sitemap nor listing"),
    ("  - just a string\n", "site 1 is not a mapping"),
])
def test_a_generic_site_entry_is_named_with_what_it_lacks(tmp_path, entries, problem):
    path = tmp_path / "sites.yml"
    path.write_text("sites:\n" + entries)
    settings = project_settings(GENERIC_SITES=str(path))
    assert settings_problems(settings, ["butwhytho"]) == []  # only a crawl of `generic` reads the file
    [line] = settings_problems(settings, ["generic"])
    assert line.startswith(f"GENERIC_SITES: {path}: ") and problem in line
    [line] = settings_problems(project_settings(), ["generic"], {"sites": str(path)})
    assert line.startswith(f"-a sites: {path}: ") and problem in line


def scrapy(tmp_path, *arguments: str) -> subprocess.CompletedProcess:
    settings = {"REVIEWS_DB": tmp_path / "r.db", "CRAWL_LOCK": tmp_path / "lock", "HTTPCACHE_DIR": tmp_path / "cache",
                "MIRROR_MODE": "off"}
    command = [sys.executable, "-m", "scrapy", *arguments]
    for name, value in settings.items():
        command += ["-s", f"{name}={value}"]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("arguments, line", [
    (("crawl", "nosuchspider"), "error: unknown spider(s): nosuchspider; available: animenewsnetwork, "),
    (("crawlall", "butwhytho", "nosuchspider"), "error: unknown spider(s): nosuchspider; available: "),
    (("crawl", "butwhytho", "-s", "DOWNLOAD_DELAY=abc"), "error: DOWNLOAD_DELAY='abc' is not a number"),
    (("crawlall", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=-1"), "error: CONCURRENT_REQUESTS_PER_DOMAIN='-1' is out"),
    (("worker", "-s", "MIN_REVIEW_WORDS=lots"), "error: MIN_REVIEW_WORDS='lots' is not a whole number"),
])
def test_commands_refuse_before_starting_with_status_2(tmp_path, arguments, line):
    result = scrapy(tmp_path, *arguments)
    assert result.returncode == 2, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert [text for text in result.stderr.splitlines() if text.startswith("error: ")] == [
        next(text for text in result.stderr.splitlines() if text.startswith(line))]
    # Nothing started: no database, no lock, no run.
    assert not (tmp_path / "r.db").exists() and not (tmp_path / "lock").exists()


def test_scrapy_crawl_exits_1_when_its_run_fails(tmp_path):
    """A crawl whose every page fails is a failed run: `scrapy crawl` says so in its status, as crawlall does."""
    nobody_listens = f"MIRROR_MODE=http://127.0.0.1:{free_port()}"
    result = scrapy(tmp_path, "crawl", "butwhytho", "-s", nobody_listens, "-s", "RETRY_TIMES=0")
    assert result.returncode == 1, result.stderr[-2000:]
    with sqlite3.connect(tmp_path / "r.db") as db:
        assert db.execute("select spider, status from crawl_runs").fetchall() == [("butwhytho", "failed")]
