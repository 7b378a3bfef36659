"""The offline mirror server over real loopback HTTP, and the generator that builds its pages."""

import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from conftest import ROOT
from crawler.mirror import mirror_url, real_url_of

REVIEW = "/butwhytho.net/2024/09/review-twilight-out-of-focus-episode-12-a-red-thread/"


def fetch(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_serves_a_review_page_with_content_type_etag_and_last_modified(mirror):
    status, headers, body = fetch(mirror.base_url + REVIEW)
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["ETag"].startswith('"')
    assert headers["Last-Modified"].endswith("GMT")
    assert "A Red Thread".encode() in body


def test_conditional_requests_get_304(mirror):
    _, headers, _ = fetch(mirror.base_url + REVIEW)
    assert fetch(mirror.base_url + REVIEW, {"If-None-Match": headers["ETag"]})[0] == 304
    assert fetch(mirror.base_url + REVIEW, {"If-Modified-Since": headers["Last-Modified"]})[0] == 304
    assert fetch(mirror.base_url + REVIEW, {"If-None-Match": '"other"'})[0] == 200


def test_feed_robots_and_missing_pages(mirror):
    status, headers, body = fetch(mirror.base_url + "/butwhytho.net/category/reviews/anime/feed/")
    assert (status, headers["Content-Type"]) == (200, "application/xml; charset=utf-8")
    assert b"<rss" in body
    status, headers, body = fetch(mirror.base_url + "/butwhytho.net/robots.txt")
    assert (status, headers["Content-Type"]) == (200, "text/plain; charset=utf-8")
    assert b"Disallow: /wp-admin/" in body
    assert fetch(mirror.base_url + "/butwhytho.net/no-such-page/")[0] == 404
    assert fetch(mirror.base_url + "/butwhytho.net/../../etc/passwd")[0] == 404


def test_query_strings_are_the_same_page(mirror):
    assert fetch(mirror.base_url + REVIEW + "?utm_source=x")[2] == fetch(mirror.base_url + REVIEW)[2]


def test_directory_without_slash_redirects_to_the_real_url(mirror):
    request = urllib.request.Request(mirror.base_url + REVIEW.rstrip("/"))
    opener = urllib.request.build_opener(NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as redirect:
        opener.open(request)
    assert redirect.value.code == 301
    assert redirect.value.headers["Location"] == "https:/" + REVIEW


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_url_mapping_round_trips():
    base = "http://127.0.0.1:9999"
    real = "https://butwhytho.net/2024/09/slug/?m=0"
    assert mirror_url(base, real) == "http://127.0.0.1:9999/butwhytho.net/2024/09/slug/?m=0"
    assert real_url_of(base, mirror_url(base, real)) == real


def test_committed_mirror_matches_its_sources():
    result = subprocess.run([sys.executable, "tools/build_mirror.py", "--check"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
