"""The series a page declares (schema.org itemReviewed, breadcrumb, categories and tags, og:title), for reviews
whose headline names none, and the pipelines that take it with the signal that gave it (pages written for
these tests, shaped like WordPress and Blogger review posts)."""

import json

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from pipelines.item_pipelines import ChromePipeline, HeadlinePipeline, ScorePipeline, ValidatePipeline
from pipelines.page import read_page
from pipelines.page_series import DeclaredSeries, series_from_page

BODY = (
    "<p>Frieren walks on after the exam arc, and this week slows right down to a quiet dinner between old friends. "
    "Fern gets the best scenes of the episode: she finally says what she has been holding back since the "
    "capital, and Stark is there to hear it.</p>"
    "<p>The direction lets the silences sit. Few shows trust an audience like Frieren does; the last shot of the "
    "lanterns over the river is the most beautiful image of the season so far, and the score keeps out of "
    "its way.</p>"
    "<p>If the second half wobbles, it wobbles gently: a side quest about a lost ring fills time, but it gives "
    "Himmel one more memory, and that is never wasted.</p>"
)


def page(head: str = "", before: str = "", after: str = "", title: str = "A great story, but the ending feels off.") -> str:
    return (f"<html><head><title>{title} – Lantern Reviews</title>{head}</head><body>"
            f'<header><nav class="menu"><a href="/">Home</a><a href="/reviews/">Reviews</a></nav></header>'
            f'<article class="post">{before}<h1 class="entry-title">{title}</h1>'
            f'<div class="entry-content">{BODY}</div>{after}</article>'
            f'<aside class="sidebar"><h3>Popular</h3><a href="/x">Dandadan review</a></aside></body></html>')


def ld(data: dict) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


TAGS = ('<footer class="entry-footer"><span class="cat-links"><a rel="category tag" href="/c/reviews">Reviews</a>, '
        '<a rel="category tag" href="/c/anime">Anime</a></span> <span class="tags-links">'
        '<a rel="tag" href="/t/fern">Fern</a> <a rel="tag" href="/t/frieren">Frieren</a> '
        '<a rel="tag" href="/t/fall-2023">Fall 2023</a> <a rel="tag" href="/t/madhouse">Madhouse</a></span></footer>')
BREADCRUMB = ('<nav aria-label="breadcrumb" class="breadcrumbs"><a href="/">Home</a> › <a href="/reviews/">Reviews</a>'
              ' › <a href="/reviews/frieren/">Frieren: Beyond Journey’s End</a> › <span>A great story</span></nav>')
REVIEW_LD = ld({"@context": "https://schema.org", "@type": "Review",
                "itemReviewed": {"@type": "TVEpisode", "name": "Lanterns on the River", "episodeNumber": 25,
                                 "partOfSeries": {"@type": "TVSeries", "name": "Frieren: Beyond Journey's End"}},
                "reviewRating": {"@type": "Rating", "ratingValue": 8, "bestRating": 10},
                "author": {"@type": "Person", "name": "R. Ito"}})
MOVIE_MICRODATA = ('<div itemscope itemtype="https://schema.org/Review"><div itemprop="itemReviewed" itemscope '
                   'itemtype="https://schema.org/Movie"><span itemprop="name">Tokyo Godfathers</span></div></div>')
SCORE = '<p class="final-score">Final Score: 8/10</p>'
OG_TITLE = '<meta property="og:title" content="Frieren – 25 – The Age of Humanity | Lantern Reviews">'


@pytest.mark.parametrize(
    "html, expected",
    [
        (page(head=REVIEW_LD), DeclaredSeries("Frieren: Beyond Journey's End", "itemReviewed", "episode")),
        (page(after=MOVIE_MICRODATA), DeclaredSeries("Tokyo Godfathers", "itemReviewed", "movie")),
        (page(before=BREADCRUMB), DeclaredSeries("Frieren: Beyond Journey’s End", "breadcrumb")),
        # Of the tags the text mentions, the one it mentions most; filing words and seasons never count.
        (page(after=TAGS), DeclaredSeries("Frieren", "category")),
        (page(head='<meta property="article:tag" content="Frieren">'), DeclaredSeries("Frieren", "category")),
        (page(head=OG_TITLE), DeclaredSeries("Frieren", "og:title")),
        # Signals in order of trust: the Review's itemReviewed over the tags.
        (page(head=REVIEW_LD, after=TAGS), DeclaredSeries("Frieren: Beyond Journey's End", "itemReviewed", "episode")),
        # Nothing declared, or only what the text never mentions, or only filing words: no series.
        (page(), None),
        (page(after='<span class="tags-links"><a rel="tag">Chainsaw Man</a> <a rel="tag">Reviews</a></span>'), None),
        (page(after='<span class="cat-links"><a rel="tag">Anime Reviews</a> <a rel="tag">Fall 2023</a></span>'), None),
    ],
)
def test_series_from_page(html, expected):
    parsed = read_page(html, "https://lantern.example/2023/12/a-great-story/")
    text = "\n\n".join(p.split(">", 1)[1] for p in BODY.split("</p>") if ">" in p)
    assert series_from_page(parsed, text) == expected


def run_pipelines(html: str, headline: str) -> dict:
    crawler = get_crawler(settings_dict={"MIN_REVIEW_WORDS": 20, "REVIEW_LANGUAGES": ["en"]})
    item = {"url": "https://lantern.example/2023/12/post/", "outlet": "lantern.example", "headline": headline,
            "page_html": html}
    for step in (ValidatePipeline(), ChromePipeline.from_crawler(crawler), HeadlinePipeline(), ScorePipeline()):
        item = step.process_item(item)
    return item


@pytest.mark.parametrize(
    "headline, html, series, source, kind",
    [
        # A tagline for a headline: the page's tags name the show, and a scored post about it is a review of it.
        ("A great story, but the ending feels off.", page(after=SCORE + TAGS), "Frieren", "category", "series"),
        # The page's Review names the episode's show and what it reviewed.
        ("A great story, but the ending feels off.", page(head=REVIEW_LD), "Frieren: Beyond Journey's End",
         "itemReviewed", "episode"),
        # A headline that names the show (the text mentions it) keeps it, whatever the page's tags say.
        ("Frieren – 25 – The Age of Humanity", page(after=SCORE + TAGS.replace("Frieren<", "Sousou no Frieren<")),
         "Frieren", "headline", "episode"),
    ],
)
def test_pipelines_take_the_series_the_page_declares(headline, html, series, source, kind):
    item = run_pipelines(html, headline)
    assert (item["series"], item["series_source"], item["kind"]) == (series, source, kind)


def test_a_post_whose_page_names_a_show_but_has_no_score_is_no_review():
    with pytest.raises(DropItem, match="not a review"):
        run_pipelines(page(after=TAGS), "A great story, but the ending feels off.")


def test_a_bare_title_the_review_mentions_is_the_series():
    item = run_pipelines(page(after=SCORE), "Frieren")
    assert (item["series"], item["series_source"], item["kind"]) == ("Frieren", "headline", "series")


def test_a_title_the_review_never_mentions_and_the_page_does_not_back_is_no_series():
    item = run_pipelines(page(after=SCORE), "Fern finally speaks")
    assert (item["series"], item["series_source"], item["kind"], item["score"]) == (None, None, "other", 8.0)
    with pytest.raises(DropItem, match="not a review"):
        run_pipelines(page(), "A Kinder World")
