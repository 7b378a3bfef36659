"""The published site is read-only: other methods than GET and HEAD get 405, never a server error (issue 16)."""

import urllib.error
import urllib.request

import pytest


def status_of(url: str, method: str, data: bytes | None = None) -> tuple[int, str | None]:
    request = urllib.request.Request(url, method=method, data=data)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers.get("allow")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("allow")


@pytest.mark.parametrize("path", ["/reviews/search_reviews", "/reviews/show_episodes", "/reviews/reviews",
                                  "/reviews", "/-/metadata.json"])
@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
def test_writes_are_refused_with_405(datasette_url, path, method):
    assert status_of(datasette_url + path, method, b"q=x&csrftoken=y") == (405, "GET, HEAD, OPTIONS")


def test_reads_still_work(datasette_url):
    assert status_of(datasette_url + "/reviews/search_reviews?q=thread", "GET")[0] == 200
    assert status_of(datasette_url + "/reviews/reviews", "HEAD")[0] == 200
