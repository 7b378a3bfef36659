"""The item pipelines' rules, one test per rule, in process: no crawl, no reactor, no mirror server.

Raw items built as the spiders build them go through ITEM_PIPELINES in their order (crawler/settings.py) and are
stored with `store.save_review` (or StorePipeline, for its counts) into a real SQLite file, read back with sqlite3.
"""

from __future__ import annotations

import json
import sqlite3
from functools import cache

import pytest
from scrapy import Spider
from scrapy.exceptions import DropItem
from scrapy.settings import Settings
from scrapy.utils.conf import build_component_list
from scrapy.utils.misc import build_from_crawler, load_object
from scrapy.utils.test import get_crawler

from crawler.items import ReviewItem
from pipelines import store
from pipelines.item_pipelines import SeriesPipeline, StorePipeline

URL = "https://butwhytho.net/2024/09/review-twilight-out-of-focus-episode-12-a-red-thread/"
SENTENCE = ("The episode takes its time with the two leads, letting long quiet scenes carry the weight of what they "
            "cannot say to each other.")  # 24 words
TEXT = " ".join([SENTENCE] * 5)  # 120 words
ARTICLE = (f'<div class="entry-content"><p>{TEXT}</p>'
           '<div class="sharedaddy">Share this: Facebook Twitter</div></div>')
GERMAN = ("Die Folge nimmt sich viel Zeit für die beiden Hauptfiguren und ihre Gespräche über die Zukunft. "
          "Die Animation bleibt schwach, aber die Musik und die Stimmen tragen die Geschichte sehr gut.")
# A raw item as the butwhytho spider yields it.
RAW = dict(url=URL, outlet="butwhytho.net", outlet_name="But Why Tho?",
           headline="REVIEW: ‘Twilight Out Of Focus’ Episode 12 — “A Red Thread”", author="Kate Sanchez",
           published="2024-09-20T09:00:00-04:00", updated=None, body_html=ARTICLE, score_text="Rating - 8/10",
           score_best=None, verdict="A tender finale.", subscores=[], audience=[], page_html=None)


@cache
def project_settings() -> dict:
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    # No reactor runs here: leave the reactor settings to get_crawler (as bench/common.py make_spider does).
    return {k: v for k, v in settings.copy_to_dict().items()
            if k.isupper() and k not in ("TWISTED_REACTOR", "TWISTED_REACTOR_ENABLED")}


def pipeline_chain(db_path, **settings) -> list:
    """ITEM_PIPELINES in their order, built and opened as a crawl builds them, up to the store step."""
    crawler = get_crawler(Spider, project_settings() | {"REVIEWS_DB": str(db_path)} | settings)
    chain = []
    for path in build_component_list(crawler.settings.getwithbase("ITEM_PIPELINES")):
        cls = load_object(path)
        if cls is StorePipeline:
            break
        pipeline = build_from_crawler(cls, crawler)
        if hasattr(pipeline, "open_spider"):
            pipeline.open_spider()
        chain.append(pipeline)
    return chain


@pytest.fixture(autouse=True)
def fresh_series_resolvers(monkeypatch):
    # SeriesPipeline shares one resolver per database path for a whole process: none from another test.
    monkeypatch.setattr(SeriesPipeline, "resolvers", {})


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "reviews.db"


@pytest.fixture
def db(db_path):
    database = store.open_db(db_path)
    yield database
    database.close()


@pytest.fixture
def process(db_path):
    """process(**raw fields) -> the item after every pipeline before the store (RAW's fields by default)."""
    chain = []

    def run(**fields):
        chain[:] = chain or pipeline_chain(db_path)
        return run_chain(chain, **fields)
    return run


def run_chain(chain, **fields) -> ReviewItem:
    item = ReviewItem(**(RAW | fields))
    for pipeline in chain:
        item = pipeline.process_item(item)
    return item


def drop_reason(process, **fields) -> str:
    with pytest.raises(DropItem) as dropped:
        process(**fields)
    return str(dropped.value)


def save(db, item) -> str:
    return store.save_review(db, dict(item))


def rows(db_path, sql: str, *params) -> list[tuple]:
    connection = sqlite3.connect(db_path)
    try:
        return [tuple(row) for row in connection.execute(sql, params)]
    finally:
        connection.close()


def fields(item, *names) -> tuple:
    return tuple(item[name] for name in names)


SCORE = ("score_text", "score_value", "score_best", "score")
EPISODE = ("series", "season", "episode_start", "episode_end", "kind")


# --- the order ---------------------------------------------------------------------------------------

def test_pipelines_run_validate_chrome_headline_score_series_then_store():
    order = build_component_list(Settings(project_settings()).getwithbase("ITEM_PIPELINES"))
    assert [path.rsplit(".", 1)[1] for path in order] == [
        "ValidatePipeline", "ChromePipeline", "HeadlinePipeline", "ScorePipeline", "SeriesPipeline", "StorePipeline"]


# --- ValidatePipeline -----------------------------------------------------------------------------------

VARIANTS = ["HTTPS://ButWhyTho.NET" + URL[len("https://butwhytho.net"):] + "?utm_source=twitter&utm_medium=social",
            URL + "#comments", URL + "?m=0", URL + "amp/", URL + "?fbclid=abc&ref=home", URL]


def test_url_is_canonicalised(process):
    assert [process(url=variant)["url"] for variant in VARIANTS] == [URL] * len(VARIANTS)


def test_one_page_under_several_url_forms_is_one_row(process, db, db_path):
    outcomes = [save(db, process(url=variant)) for variant in VARIANTS]
    assert outcomes == ["new"] + ["unchanged"] * (len(VARIANTS) - 1)
    assert rows(db_path, "select url from reviews") == [(URL,)]


def test_an_item_without_url_is_dropped(process):
    assert drop_reason(process, url=None) == "no URL"


def test_a_blank_headline_is_dropped(process):
    assert drop_reason(process, headline="  \n ") == "no headline"


def test_dates_are_stored_in_utc(process):
    item = process(published="2024-09-20T09:00:00-04:00", updated="September 21, 2024")
    assert fields(item, "published", "updated") == ("2024-09-20T13:00:00+00:00", "2024-09-21")
    assert item.get("problems") is None


@pytest.mark.parametrize("field", ["published", "updated"])
def test_a_future_date_is_stored_as_no_date_with_its_reason(process, db, db_path, field):
    item = process(**{field: "2031-09-05T09:00:00-04:00"})
    assert item[field] is None and item["score"] == 8.0
    assert item["problems"] == [{"field": field, "reason": f"{field} date 2031-09-05T13:00:00+00:00 is in the future"}]
    assert save(db, item) == "new"
    assert rows(db_path, f"select {field}, score from reviews") == [(None, 8.0)]


# --- ChromePipeline -------------------------------------------------------------------------------------

def test_chrome_is_stripped_and_the_words_counted(process):
    item = process()
    assert fields(item, "body_text", "word_count") == (TEXT, 120)


@pytest.mark.parametrize("raw", [dict(body_html='<div class="sharedaddy">Share this: Facebook</div>'),
                                 dict(body_html=None, page_html=None)], ids=["only chrome", "no html"])
def test_a_page_without_article_text_is_dropped(process, raw):
    assert drop_reason(process, **raw) == "no article text"


def test_a_text_too_short_for_a_review_is_dropped(process):
    body = "<div><p>Great episode, loved every minute of it.</p></div>"
    assert drop_reason(process, body_html=body) == "only 7 words of text: too short for a review"


def test_a_text_in_another_language_is_dropped(process):
    assert drop_reason(process, body_html=f"<p>{' '.join([GERMAN] * 3)}</p>") == "text in 'de', not in en"


def test_the_minimum_length_and_the_languages_are_settings(db_path):
    chain = pipeline_chain(db_path, MIN_REVIEW_WORDS=5, REVIEW_LANGUAGES=["en", "de"])
    item = run_chain(chain, body_html=f"<p>{GERMAN}</p>")
    assert fields(item, "body_text", "word_count") == (GERMAN, 31)


def page(article: str, head: str = "") -> str:
    """A whole blog page, as the generic spider hands it over (page_html, no body_html)."""
    return (f"<html><head><title>Blog</title>{head}</head><body><nav><a>Home</a> <a>Reviews</a></nav>"
            f"<h1>Headline</h1><div class='entry-content'><p>{TEXT}</p>{article}</div>"
            "<aside class='sidebar'><p>Recent Posts: Other Show Episode 3 Review 10/10</p></aside>"
            "<footer>Copyright 2025 Blog</footer></body></html>")


GENERIC = dict(url="https://www.1streviews.ca/2024/11/dan-da-dan-episode-7-review.html", outlet="1streviews.ca",
               outlet_name="1st Reviews", headline="Dan Da Dan | Episode 7 Review", body_html=None, score_text=None)


def test_a_generic_pages_article_is_found_in_the_whole_page_without_its_closing_score_line(process):
    item = process(**GENERIC, page_html=page("<p>Rating: 8/10</p>"))
    assert fields(item, "body_text", "word_count", "score_text") == (TEXT, 120, "Rating: 8/10")


# --- HeadlinePipeline -----------------------------------------------------------------------------------

def test_an_episode_without_a_season_is_season_one(process):
    item = process()
    assert fields(item, *EPISODE, "episode_title") == (
        "Twilight Out Of Focus", 1, 12, 12, "episode", "A Red Thread")


@pytest.mark.parametrize("headline, expected", [
    ("Solo Leveling Season 2 | Episode 1 Review", ("Solo Leveling", 2, 1, 1, "episode")),
    ("Kaiju No. 8 | Episode 1 & 2 Review", ("Kaiju No. 8", 1, 1, 2, "episodes")),
    ("Dan Da Dan Season 1 Review", ("Dan Da Dan", 1, None, None, "season")),
])
def test_a_headline_gives_series_season_and_episodes(process, headline, expected):
    assert fields(process(headline=headline), *EPISODE) == expected


def test_a_volumes_number_is_stored_where_the_episode_number_goes(process, db, db_path):
    item = process(headline="Blood+ Vol. #12", score_text="Grade: B+")  # an anime DVD volume
    assert fields(item, *EPISODE) == ("Blood+", None, 12, 12, "volume")
    save(db, item)
    assert rows(db_path, "select season, episode_start, episode_end, kind from reviews") == [(None, 12, 12, "volume")]


def test_a_range_whose_end_is_unsaid_is_stored_without_numbers(process):
    item = process(headline="Arcane Season 2 Acts I and II Review: Still Legendary", score_text="Rating: 9/10")
    assert fields(item, *EPISODE) == ("Arcane", 2, None, None, "episodes")


@pytest.mark.parametrize("headline", ["Anime Winter 2022 Season: First Episode Impressions", "Spring 2018 Reviews",
                                      "Fall 2023 What-I’m-Watching Summary – Week 5"])
def test_a_roundup_of_several_shows_is_stored_as_no_ones_review(process, headline):
    """The headline reader says what the column reviews of each show; the store keeps one show's reviews only."""
    item = process(headline=headline, score_text="Final Score: 4/5")
    assert fields(item, *EPISODE) == (None, None, None, None, "other")


NEWS = "Crunchyroll Announces Dan Da Dan Season 2 Premiere Date"


def test_a_news_headline_without_a_score_is_not_a_review(process):
    assert drop_reason(process, headline=NEWS, score_text=None) == f"not a review: {NEWS!r}"


def test_a_generic_post_without_a_score_on_its_page_is_not_a_review(process):
    reason = drop_reason(process, **GENERIC | dict(headline=NEWS), page_html=page("<p>Premieres in July.</p>"))
    assert reason == f"not a review: {NEWS!r}"


LD_REVIEW = ('<script type="application/ld+json">{"@context": "https://schema.org", "@type": "Review", '
             '"itemReviewed": {"@type": "TVSeries", "name": "Dandadan"}, '
             '"reviewRating": {"@type": "Rating", "ratingValue": "9", "bestRating": "10"}}</script>')


def test_a_tagline_headline_takes_the_series_the_page_declares(process):
    item = process(**GENERIC | dict(headline="A Kinder World"), page_html=page("", head=LD_REVIEW))
    assert fields(item, "series", "series_key", "series_source", "kind") == (
        "Dan Da Dan", "dan da dan", "itemReviewed", "series")
    assert fields(item, *SCORE) == ("9/10", 9.0, 10.0, 9.0)


# --- ScorePipeline --------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Rating - 8/10", (8.0, 10.0, 8.0)), ("Grade: B+", (8.3, 10.0, 8.3)), ("Content Grade: A-", (9.2, 10.0, 9.2)),
    ("Rating: 4.5 stars", (4.5, 5.0, 9.0)), ("★★★★☆", (4.0, 5.0, 8.0)), ("Rating - 0/10", (0.0, 10.0, 0.0)),
])
def test_score_text_is_read_onto_the_ten_point_scale(process, text, expected):
    item = process(score_text=text)
    assert fields(item, *SCORE) == (text, *expected) and item.get("problems") is None


@pytest.mark.parametrize("text, reason", [
    ("Rating - 11/10", "11 is above the top of its scale 10"),
    ("Rating: TBD", "no number or grade in 'Rating: TBD'"),
    ("Score: 4", "no scale printed for 4: on 5 or on 10?"),
])
def test_refused_score_text_is_kept_without_a_score_and_its_reason_recorded(process, db, db_path, text, reason):
    item = process(score_text=text)
    assert fields(item, *SCORE) == (text, None, None, None)
    assert item["problems"] == [{"field": "score", "reason": f"score text {text!r} holds no valid score: {reason}"}]
    save(db, item)
    assert rows(db_path, "select score_text, score from reviews") == [(text, None)]


@pytest.mark.parametrize("best, expected", [(5, (4.0, 5.0, 8.0)), (10, (4.0, 10.0, 4.0))])
def test_a_bare_number_is_on_the_sites_declared_scale(process, best, expected):
    assert fields(process(score_text="4", score_best=best), *SCORE) == ("4", *expected)


def test_a_generic_pages_score_is_found_on_the_page(process):
    item = process(**GENERIC, page_html=page("<p>Rating: 8/10</p>"))
    assert fields(item, *SCORE) == ("Rating: 8/10", 8.0, 10.0, 8.0) and item.get("problems") is None


@pytest.mark.parametrize("best, expected", [(None, (None, None, None, None)), (5, ("Final Score: 4", 4.0, 5.0, 8.0)),
                                            (10, ("Final Score: 4", 4.0, 10.0, 4.0))])
def test_a_generic_pages_bare_score_is_on_the_sites_declared_scale(process, best, expected):
    item = process(**GENERIC, page_html=page("<p>Final Score: 4</p>"), score_best=best)
    assert fields(item, *SCORE) == expected and item.get("problems") is None


def test_subscores_are_read_and_stored(process, db, db_path):
    parts = [{"label": "Audio", "score_text": "B+"}, {"label": "Video", "score_text": "A"},
             {"label": "Menu", "score_text": "n/a"}]
    item = process(headline="Fire Force Season 1 Part 1 Blu-ray Anime Review", score_text="Content Grade: A-",
                   subscores=parts)
    assert [fields(sub, "label", *SCORE) for sub in item["subscores"]] == [
        ("Audio", "B+", 8.3, 10.0, 8.3), ("Video", "A", 10.0, 10.0, 10.0), ("Menu", "n/a", None, None, None)]
    save(db, item)
    assert rows(db_path, "select label, score_text, score_value, score_best, score from subscores order by id") == [
        ("Audio", "B+", 8.3, 10.0, 8.3), ("Video", "A", 10.0, 10.0, 10.0), ("Menu", "n/a", None, None, None)]


def test_audience_figures_are_read_and_stored_apart_from_the_critics_score(process, db, db_path):
    item = process(headline="Witch Watch Episode 5", score_text="Rating: 4 stars", audience=[
        {"source": "Community score", "text": "4.0", "best": 5, "votes": "(1,046 votes)"},
        {"source": "Poll", "text": "no votes yet", "best": 5, "votes": None}])
    assert item["audience"] == [
        {"source": "Community score", "value": 4.0, "best": 5.0, "score": 8.0, "votes": 1046},
        {"source": "Poll", "value": None, "best": 5, "score": None, "votes": None}]
    save(db, item)
    assert rows(db_path, "select source, value, best, score, votes, season, episode from audience_scores "
                         "order by source") == [("Community score", 4.0, 5.0, 8.0, 1046, 1, 5),
                                                ("Poll", None, 5.0, None, None, 1, 5)]
    assert rows(db_path, "select score from reviews") == [(8.0,)]


# --- SeriesPipeline -------------------------------------------------------------------------------------

def test_an_alias_names_the_series(process):
    item = process(headline="Tasogare Out Focus Episode 3")
    assert fields(item, "series", "series_key") == ("Twilight Out Of Focus", "twilight out of focus")


def test_a_misspelling_resolves_to_the_series_already_seen(process):
    first = process(headline="Apocalypse Bringer Mynoghra Episode 2")
    typo = process(headline="Apocalypse Bringer Mynogra Episode 3", url=URL + "3/")
    assert fields(first, "series", "series_key") == fields(typo, "series", "series_key") == (
        "Apocalypse Bringer Mynoghra", "apocalypse bringer mynoghra")


@pytest.mark.parametrize("headline, kind", [
    ("Your Name.", "movie"), ("Howl’s Moving Castle Review", "movie"), ("Weathering with You Review", "movie"),
    ("Assassination Classroom – Anime Review", "series"),  # a TV series in the catalogue: the default stands
    ("Your Name. Episode 3", "episode"),  # the headline says: never overruled
    ("DR. STONE: NEW WORLD", "season"),  # the catalogue's title of the third season: that season's review
])
def test_a_bare_titles_kind_comes_from_the_catalogue(process, headline, kind):
    """A headline that is only a title says nothing of film or TV; the catalogue knows the show (issue 14)."""
    assert process(headline=headline)["kind"] == kind


def test_two_spellings_are_one_series_row(process, db, db_path):
    save(db, process(headline="Dan Da Dan Episode 7", url=URL + "7/"))
    save(db, process(headline="Dandadan Episode 8", url=URL + "8/"))
    assert rows(db_path, "select title, key from series") == [("Dan Da Dan", "dan da dan")]
    assert rows(db_path, "select count(distinct series_id), count(*) from reviews") == [(1, 2)]


def test_different_shows_stay_two_series_rows(process, db, db_path):
    save(db, process(headline="Persona 4 The Animation Episode 1", url=URL + "p4/"))
    save(db, process(headline="Persona 5 The Animation Episode 1", url=URL + "p5/"))
    assert rows(db_path, "select title from series order by title") == [
        ("Persona 4 The Animation",), ("Persona 5 The Animation",)]


def test_a_series_stored_earlier_keeps_its_title(process, db, db_path):
    store.ensure_series(db, "DAN DA DAN", "dan da dan")
    item = process(headline="Dandadan Episode 8")
    assert fields(item, "series", "series_key") == ("DAN DA DAN", "dan da dan")
    save(db, item)
    assert rows(db_path, "select title from series") == [("DAN DA DAN",)]


def test_the_alias_file_is_a_setting(db_path, tmp_path):
    aliases = tmp_path / "aliases.yml"
    aliases.write_text("My Quiet Show: [Boku no Shizuka na Show]\n", encoding="utf-8")
    item = run_chain(pipeline_chain(db_path, SERIES_ALIASES=str(aliases)), headline="Boku no Shizuka na Show Episode 2")
    assert fields(item, "series", "series_key") == ("My Quiet Show", "my quiet show")


# --- storing (store.save_review) ------------------------------------------------------------------------

def test_a_resaved_unchanged_review_is_unchanged(process, db, db_path):
    assert [save(db, process()), save(db, process())] == ["new", "unchanged"]
    assert rows(db_path, "select count(*) from reviews") == [(1,)]
    assert rows(db_path, "select count(*) from review_changes") == [(0,)]


def test_an_edited_review_is_updated_with_a_change_row(process, db, db_path):
    save(db, process())
    assert save(db, process(score_text="Rating - 9/10")) == "updated"
    assert rows(db_path, "select score_text, score from reviews") == [("Rating - 9/10", 9.0)]
    [(review, changed, old, new, old_values, new_values)] = rows(
        db_path, "select review, fields, old_score, new_score, old_values, new_values from review_changes")
    assert (review, changed, old, new) == (URL, "score_text, score", 8.0, 9.0)
    assert json.loads(old_values) == {"score_text": "Rating - 8/10", "score": 8.0}
    assert json.loads(new_values) == {"score_text": "Rating - 9/10", "score": 9.0}


def test_a_recrawl_that_lost_its_score_is_kept(process, db, db_path):
    save(db, process())
    assert save(db, process(score_text=None)) == "kept"
    assert rows(db_path, "select score_text, score from reviews") == [("Rating - 8/10", 8.0)]
    assert rows(db_path, "select url, reason from dropped_items") == [
        (URL, "re-crawled page lost its score ('Rating - 8/10'): the stored review is kept")]


def test_a_recrawl_with_far_less_text_is_kept(process, db, db_path):
    save(db, process(body_html=f"<p>{TEXT} {TEXT} {TEXT}</p>"))
    assert save(db, process()) == "kept"
    assert rows(db_path, "select word_count from reviews") == [(360,)]
    assert rows(db_path, "select reason from dropped_items") == [
        ("re-crawled page has 120 words of text, was 360: the stored review is kept",)]


def test_a_scored_review_whose_headline_names_no_show_is_stored_without_a_series(process, db, db_path):
    item = process(headline="Episode 12 Review")
    assert fields(item, "series", "series_key", "kind", "score") == (None, None, "other", 8.0)
    assert save(db, item) == "new"
    assert rows(db_path, "select series_id, kind, score from reviews") == [(None, "other", 8.0)]
    assert rows(db_path, "select count(*) from series") == [(0,)]


def test_the_store_pipeline_counts_outcomes_and_records_dropped_values_and_items(process, db_path):
    crawler = get_crawler(Spider, project_settings() | {"REVIEWS_DB": str(db_path)})
    pipeline = build_from_crawler(StorePipeline, crawler)
    pipeline.open_spider()
    future = process(score_text="Rating - 9/10", published="2031-09-05T09:00:00-04:00")
    for item in (process(), process(), future, process(score_text=None)):
        pipeline.process_item(item)
    pipeline.item_dropped(ReviewItem(url=URL + "news/"), None, DropItem("not a review: 'News'"))
    pipeline.close_spider()
    assert [crawler.stats.get_value(f"reviews/{outcome}") for outcome in ("new", "unchanged", "updated", "kept")] == [
        1, 1, 1, 1]
    assert rows(db_path, "select url, field, reason from dropped_items order by id") == [
        (URL, "published", "published date 2031-09-05T13:00:00+00:00 is in the future"),
        (URL, None, "re-crawled page lost its score ('Rating - 9/10'): the stored review is kept"),
        (URL + "news/", None, "not a review: 'News'")]
