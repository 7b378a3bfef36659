"""The HTTP cache writes each entry whole or not at all: a crawl killed while it stores a page never leaves
an entry that later crawls would revalidate (304) and reuse with an empty body, losing the review for good."""

import gzip
from pathlib import Path

from scrapy import Request, Spider
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawler.httpcache import AtomicFilesystemCacheStorage

URL = "https://butwhytho.net/2024/10/some-review/"
BODY = b"<html><body><h1>A review</h1><p>Words.</p></body></html>"


def storage(tmp_path: Path):
    crawler = get_crawler(Spider, {"HTTPCACHE_DIR": str(tmp_path / "cache"), "HTTPCACHE_GZIP": True})
    spider = Spider.from_crawler(crawler, name="butwhytho")
    cache = AtomicFilesystemCacheStorage(crawler.settings)
    cache.open_spider(spider)
    return cache, spider


def page(body: bytes = BODY) -> HtmlResponse:
    return HtmlResponse(URL, status=200, body=body, headers={"Content-Length": str(len(body)), "ETag": '"v1"'})


def entry(cache, spider) -> Path:
    return Path(cache._get_request_path(spider, Request(URL)))


def test_a_stored_page_comes_back_whole(tmp_path):
    cache, spider = storage(tmp_path)
    cache.store_response(spider, Request(URL), page())
    cached = cache.retrieve_response(spider, Request(URL))
    assert (cached.status, cached.body, cached.headers["ETag"]) == (200, BODY, b'"v1"')


def test_storing_again_replaces_the_entry_and_leaves_no_staging_folder(tmp_path):
    cache, spider = storage(tmp_path)
    cache.store_response(spider, Request(URL), page())
    cache.store_response(spider, Request(URL), page(BODY.replace(b"Words", b"New words")))
    assert b"New words" in cache.retrieve_response(spider, Request(URL)).body
    assert sorted(p.name for p in entry(cache, spider).parent.iterdir()) == [entry(cache, spider).name]


def test_a_write_killed_half_way_is_never_read(tmp_path):
    cache, spider = storage(tmp_path)
    # What a kill during store_response leaves: the staging folder with the metadata and no body yet.
    cache.store_response(spider, Request(URL), page())
    final = entry(cache, spider)
    staging = final.with_name(f".{final.name}.4242.partial")
    final.rename(staging)
    (staging / "response_body").unlink()
    assert cache.retrieve_response(spider, Request(URL)) is None  # a cache miss: the page is fetched again
    cache.store_response(spider, Request(URL), page())
    assert cache.retrieve_response(spider, Request(URL)).body == BODY


def test_an_entry_an_older_version_left_without_its_body_is_a_miss(tmp_path):
    cache, spider = storage(tmp_path)
    cache.store_response(spider, Request(URL), page())
    with gzip.open(entry(cache, spider) / "response_body", "wb") as body:
        body.write(b"")  # Scrapy's own storage killed after pickled_meta, before response_body
    assert cache.retrieve_response(spider, Request(URL)) is None


def test_a_truncated_entry_is_a_miss_not_an_error(tmp_path):
    cache, spider = storage(tmp_path)
    cache.store_response(spider, Request(URL), page())
    body = entry(cache, spider) / "response_body"
    body.write_bytes(body.read_bytes()[:10])  # a gzip file cut short
    assert cache.retrieve_response(spider, Request(URL)) is None
