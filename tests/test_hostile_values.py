"""Values a stranger's page can send are bounded: numbers past a real show's, ranges that would fill the disk,
megabyte headlines, javascript: URLs, vote counts past SQLite's integers; each refusal with its reason."""

import asyncio

import pytest
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler
from twisted.internet.error import DNSLookupError
from twisted.python.failure import Failure

from crawler.runs import limit_problems
from crawler.safety import PrivateAddressRefused, check_public, is_public
from crawler.spiders.base import all_strings, fault_kind
from crawler.spiders.butwhytho import ButWhyThoSpider
from pipelines.item_pipelines import HeadlinePipeline, ValidatePipeline, audience_figure

URL = "https://butwhytho.net/2024/10/review-range-bomb/"


def read(headline: str, **fields) -> dict:
    item = {"url": URL, "outlet": "butwhytho.net", "headline": headline, "score_text": "8/10", **fields}
    return HeadlinePipeline().process_item(ValidatePipeline().process_item(item))


def refusals(item: dict) -> list[tuple[str, str]]:
    return [(p["field"], p["reason"]) for p in item.get("problems") or []]


@pytest.mark.parametrize("headline, reason", [
    ("REVIEW: ‘Range Bomb’ Episodes 1-4000", "a range of 4,000 episodes (1-4000) is longer than 500"),
    ("REVIEW: ‘Range Bomb’ Episodes 1-3000000", "episodes 1-3000000 are beyond 5,000 or out of order"),
])
def test_an_episode_range_of_thousands_is_refused_not_stored_row_by_row(headline, reason):
    item = read(headline)
    assert (item["episode_start"], item["episode_end"], item["kind"]) == (None, None, "episodes")
    assert refusals(item) == [("episodes", reason)]


def test_a_long_running_shows_range_and_episode_numbers_stay():
    item = read("One Piece Episodes 1100-1120 Review")
    assert (item["episode_start"], item["episode_end"], refusals(item)) == (1100, 1120, [])


def test_a_season_past_any_shows_is_refused():
    item = read("Show Season 500 Episode 3 Review")
    assert (item["season"], item["episode_start"]) == (None, 3)
    assert refusals(item) == [("season", "season 500 is beyond 100")]


@pytest.mark.parametrize("headline", ["REVIEW: ‘Big’ Episode 99999999999999999999999",
                                      "Big – 99999999999999999999999 – Title"])
def test_a_number_too_big_for_sqlite_never_reaches_it(headline):
    item = read(headline)
    assert all(item.get(f) is None or item[f] <= 5000 for f in ("season", "episode_start", "episode_end"))
    if "Episode" in headline:  # said to be an episode: its review still, the absurd number refused with its reason
        assert item["kind"] == "episode" and [field for field, _ in refusals(item)] == ["episodes"]


def test_a_megabyte_headline_is_cut_with_its_reason():
    item = read("Frieren Episode 3 Review " + "spam " * 200_000)
    assert len(item["headline"]) <= 500 and item["episode_start"] == 3
    assert refusals(item) == [("headline", "headline of 1,000,025 characters cut to 500")]


def test_a_url_that_is_not_http_is_no_review():
    with pytest.raises(Exception, match="not an http"):
        ValidatePipeline().process_item({"url": "javascript://butwhytho.net/%0Aalert(1)//", "headline": "x"})


@pytest.mark.parametrize("canonical", ["javascript://butwhytho.net/%0Aalert(document.domain)//",
                                       "data:text/html,butwhytho.net", "https://evil.example/2024/10/x/"])
def test_a_canonical_link_that_is_not_this_sites_web_address_is_ignored(canonical):
    page = f'<html><head><link rel="canonical" href="{canonical}"></head><body></body></html>'
    response = HtmlResponse(URL, body=page.encode(), encoding="utf-8")
    assert ButWhyThoSpider().canonical_url(response) == URL


def test_a_vote_count_past_any_audience_is_dropped():
    figure = audience_figure({"source": "Community", "text": "4.1", "best": 5, "votes": "99999999999999999999999"})
    assert (figure["score"], figure["votes"]) == (8.2, None)
    assert audience_figure({"source": "Community", "text": "4.1", "best": 5, "votes": "(1,046 votes)"})["votes"] == 1046


@pytest.mark.parametrize("error, kind", [
    (PrivateAddressRefused("refusing http://10.0.0.1/x: 10.0.0.1 is not a public address"), "refused private address"),
    (IgnoreRequest("Forbidden by robots.txt: <GET https://x.example/a>"), "forbidden by robots.txt"),
    (IgnoreRequest("Offsite request to https://other.example/b?token=secret"), "ignored"),
])
def test_fault_kinds_are_kinds_not_messages(error, kind):
    assert fault_kind(Failure(error)) == kind


@pytest.mark.parametrize("address, public", [
    ("64:ff9b::7f00:1", False), ("2002:7f00:1::", False), ("::ffff:10.0.0.1", False),
    ("64:ff9b::808:808", True), ("2001:4860:4860::8888", True), ("8.8.8.8", True),
])
def test_loopback_and_private_addresses_written_as_ipv6_are_not_public(address, public):
    assert is_public(address) is public



def test_a_listing_page_of_20000_links_gives_at_most_the_limit():
    crawler = get_crawler(ButWhyThoSpider, {"MAX_LINKS_PER_PAGE": 1000})
    spider = ButWhyThoSpider.from_crawler(crawler)
    crawler.stats.open_spider()
    links = "".join(f'<article class="l-post"><h2 class="post-title"><a href="/2024/10/review-{n}/">R {n}</a></h2>'
                    f"</article>" for n in range(20_000))
    listing = HtmlResponse("https://butwhytho.net/category/reviews/anime/", encoding="utf-8",
                           body=f'<html><body><div class="main-content">{links}</div></body></html>'.encode())
    requests = [r for r in spider.parse(listing) if r.callback == spider.parse_review]
    assert len(requests) == 1000
    assert crawler.stats.get_value("limits/links_cut") == 19_000


@pytest.mark.parametrize("stats, reason, problem", [
    ({"limits/links_cut": 99_000}, "finished",
     "99,000 links not followed: pages listed more than 5,000 (MAX_LINKS_PER_PAGE)"),
    ({"request_depth_max": 2000}, "finished", "listing pages 2,000 deep (DEPTH_LIMIT): deeper pages were not followed"),
    ({}, "closespider_pagecount", "stopped by pagecount limit (CLOSESPIDER_PAGECOUNT)"),
    ({}, "closespider_timeout", "stopped by timeout limit (CLOSESPIDER_TIMEOUT)"),
])
def test_a_run_that_hits_a_crawl_bound_says_which(stats, reason, problem):
    assert limit_problems(stats, Settings({"MAX_LINKS_PER_PAGE": 5000, "DEPTH_LIMIT": 2000}), reason) == [problem]
    assert limit_problems({"request_depth_max": 3}, Settings({"DEPTH_LIMIT": 2000}), "finished") == []


def test_a_host_that_does_not_resolve_is_refused_by_the_guard_not_left_to_the_download():
    """Passing it on would let the download's own lookup, a moment later, answer with a private address."""
    with pytest.raises(DNSLookupError, match="no-such-host.invalid"):
        asyncio.run(check_public("http://no-such-host.invalid/review/", {}))


@pytest.mark.parametrize("selector", [ButWhyThoSpider.review_links, "//h2[@class='post-title']/a/@href",
                                      "h2.post-title a::text", "h2.post-title"])
def test_links_are_read_as_parsel_reads_them(selector):
    """all_strings (plain strings, no Selector per match) gives exactly what parsel's getall() gives."""
    links = "".join(f'<article class="l-post"><h2 class="post-title"><a href="/r-{n}/">R {n}</a></h2></article>'
                    for n in range(50))
    page = HtmlResponse("https://butwhytho.net/category/reviews/anime/", encoding="utf-8",
                        body=f'<html><body><div class="main-content">{links}</div></body></html>'.encode())
    expected = page.xpath(selector).getall() if selector.startswith("/") else page.css(selector).getall()
    assert all_strings(page, selector) == expected and len(expected) == 50
