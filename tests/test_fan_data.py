"""Data a fan can trust: the season a headline leaves out, reviews that are not of an anime, the critic's verdict,
and a body without its title, score lines and sign-offs.

Each step's function is tested on the families of wording it reads; the pipeline tests run items through
ITEM_PIPELINES as a crawl does; the crawl checks read the whole mirror's crawl (the `crawled_db` fixture) and the
mirror's own pages over loopback HTTP.
"""

from __future__ import annotations

import re
import urllib.request

import pytest
from scrapy import Spider
from scrapy.exceptions import DropItem
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler

from conftest import rows as db_rows
from crawler.mirror import mirror_url
from pipelines.anime_only import not_anime_reason
from pipelines.chrome import trimmed_body
from pipelines.item_pipelines import StorePipeline
from pipelines.season_hints import season_from_box, season_from_text, season_from_url, season_hint
from pipelines.verdicts import MAX_CHARS, bounded, verdict_from_page, verdict_from_text
from test_pipeline_rules import (  # noqa: F401 - fixtures
    GENERIC, SENTENCE, TEXT, db_path, fields, fresh_series_resolvers, page, pipeline_chain, process,
    project_settings, rows, run_chain)

LEAD = "The film club is back together, and the first episode spends its time with each couple in turn."


# --- the season: URL, review box, lead paragraph --------------------------------------------------------

@pytest.mark.parametrize("url, season", [
    ("https://butwhytho.net/2025/04/review-shoshimin-how-to-become-ordinary-season-2-episodes-1-4/", 2),
    ("https://daanimeblog.com/2025/01/06/solo-leveling-arise-from-the-shadows-s2-ep-1-review/", 2),
    ("https://www.thereviewgeek.com/dandadan-s1e7review/", 1),
    ("https://www.thereviewgeek.com/sololeveling-s2review/", 2),
    ("https://www.animenewsnetwork.com/review/fire-force-season-3/episode-5/.224088", 3),
    ("https://blog.example/oshi-no-ko-2nd-season-review/", 2),
    ("https://blog.example/vinland-saga-second-season-review/", 2),
    ("https://blog.example/vinland-saga-season-two-review/", 2),
    ("https://blog.example/2023/01/spy-x-family-s01e03-review/", 1),
    ("https://blog.example/2024/05/kaiju-no-8-episode-7-review/", None),
    ("https://blog.example/spring-2024-season-preview/", None),  # a year, not a season
    ("https://blog.example/season-1-vs-season-2/", None),  # two seasons: no answer
    ("https://blog.example/ps5-review-s/", None),
    (None, None),
])
def test_the_season_a_url_states(url, season):
    assert season_from_url(url) == season


@pytest.mark.parametrize("lead, season", [
    ("SHOSHIMIN returns for its second season with its duo split apart, and the first four episodes make that "
     "separation the engine of a slow mystery.", 2),
    ("The studio finally released the long-awaited second season of the show this week, and it was worth every "
     "minute of the wait.", 2),
    ("The third season of Dr. Stone picks up right where the rocket plan left off, with the crew at sea for weeks.", 3),
    ("After a year of waiting the show is back, and the first episode of season two picks up almost exactly where "
     "the finale left off.", 2),
    ("Season 3 opens with a time skip that leaves the cast scattered across the city and every rivalry reset.", 3),
    # Seasons to come, or the first one looked back at, are not the season reviewed.
    ("The season ends right in the middle of an arc, which is frustrating even though a second season is "
     "confirmed for next year.", None),
    ("It has only been a few months since the first season ended, but the show acts like it has a lot to catch up "
     "on.", None),
    ("I hope the third season keeps this cast together, because the chemistry here is the best thing about it.", None),
    (LEAD, None),
])
def test_the_season_a_lead_paragraph_states(lead, season):
    assert season_from_text(f"{lead}\n\nA second paragraph about the second season of another show entirely.") == season


def test_only_the_lead_paragraph_is_read_for_a_season():
    # A title above the lead is skipped; what later paragraphs say is not about the season reviewed.
    assert season_from_text(f"Solo Leveling S2 Ep 1 Review\n\n{LEAD}\n\nBring on season two, it returns for its "
                            "second season in July.") is None


def test_the_review_box_title_and_the_order_of_the_sources():
    assert season_from_box("SHOSHIMIN: How To Become Ordinary Season 2 Episodes 1-4") == 2
    assert season_hint("https://x.example/show-season-3-review/", "Show Season 2 Episodes 1-4", LEAD) == (2, "review box")
    assert season_hint("https://x.example/show-season-3-review/", None, LEAD) == (3, "URL")
    assert season_hint("https://x.example/show-review/", None, "The show returns for its fourth season with a new "
                       "villain and a new studio behind it.") == (4, "text")
    assert season_hint("https://x.example/show-review/", None, LEAD) is None


SHOSHIMIN = "https://butwhytho.net/2025/04/review-shoshimin-how-to-become-ordinary-season-2-episodes-1-4/"


def test_a_headline_without_a_season_takes_the_urls(process):
    item = process(url=SHOSHIMIN, headline="REVIEW: ‘SHOSHIMIN: How To Become Ordinary’ Episodes 1-4")
    assert fields(item, "series_key", "season", "episode_start", "episode_end", "kind") == (
        "shoshimin how to become ordinary", 2, 1, 4, "episodes")


def test_a_season_the_headline_states_wins(process):
    item = process(url=SHOSHIMIN, headline="REVIEW: ‘SHOSHIMIN: How To Become Ordinary’ Season 3 Episodes 1-4")
    assert item["season"] == 3


def test_a_headline_without_a_season_takes_the_review_boxs_and_the_leads(process):
    boxed = process(box_title="Twilight Out of Focus Season 2 Episode 12")
    assert fields(boxed, "season", "episode_start", "kind") == (2, 12, "episode")
    lead = process(body_html=f"<p>Twilight Out Of Focus returns for its second season with a new club. {TEXT}</p>")
    assert fields(lead, "season", "episode_start", "kind") == (2, 12, "episode")


def test_a_whole_series_review_whose_url_names_a_season_is_that_seasons(process):
    item = process(url="https://butwhytho.net/2025/03/review-sakamoto-days-season-1/",
                   headline="REVIEW: ‘Sakamoto Days’ Is A Fun But Flat Hit Job", body_html=f"<p>Sakamoto Days. {TEXT}</p>")
    assert fields(item, "series", "season", "kind") == ("Sakamoto Days", 1, "season")


# --- reviews that are not of an anime -------------------------------------------------------------------

@pytest.mark.parametrize("headline, url, tags, reason", [
    ("Chainsaw Man Vol. #12 Manga Review", "https://www.fandompost.com/2023/07/24/chainsaw-man-vol-12-manga-review/",
     "Manga Reviews Chainsaw Man Viz Media", "headline says 'Manga Review'"),
    ("Durarara!!, Volume 3 – Manga Review", "https://blog.example/durarara-3/", None, "headline says 'Manga Review'"),
    ("Overlord Vol. 4 (Light Novel)", "https://blog.example/overlord-4/", None, "headline says '(Light Novel)'"),
    ("MANGA REVIEW | Blue Period Vol. 2", "https://blog.example/blue-period-2/", None, "headline says 'MANGA REVIEW'"),
    ("Bump Up Business (Korean Series)", "https://www.gayfilmsreview.com/2023/10/bump-up-business-korean-series.html",
     "BL Korean Series", "headline says '(Korean Series)'"),
    ("Kimi no Koto Dake Mite Itai (Japanese Series) [I Want to See Only You]",
     "https://www.gayfilmsreview.com/2022/07/kimi-no-koto-dake-mite-itai-japanese.html", "BL Japanese Series",
     "headline says '(Japanese Series)'"),
    ("Semantic Error (K-Drama) Review", "https://blog.example/semantic-error/", None, "headline says 'K-Drama'"),
    ("One Piece Live-Action Series Review", "https://blog.example/one-piece/", None, "headline says 'Live-Action'"),
    # The URL's path and the page's tags, where the headline says nothing.
    ("Review: 7th Garden vol. 2", "https://comicbastards.com/manga-reviews/7th-garden-vol-2/", None,
     "URL says 'manga-reviews'"),
    ("Tokyo Tarareba Girls, Vol. 1", "https://blog.example/category/reviews/comics/manga/tarareba-1/", None,
     "URL says 'comics'"),
    ("Alice in Borderland Review", "https://blog.example/2024/alice-in-borderland-live-action-review/", None,
     "URL says 'live action'"),
    ("Review: She’s My Knight vol. 1", "https://blog.example/shes-my-knight-1/", "Kodansha Manga reviews",
     "tagged 'Manga reviews'"),
])
def test_what_says_a_review_is_not_of_an_anime(headline, url, tags, reason):
    assert not_anime_reason(headline, url, tags) == reason


@pytest.mark.parametrize("headline, url, tags", [
    ("Tasogare Outfocus (Japanese Anime Series)", "https://www.gayfilmsreview.com/2025/02/tasogare-outfocus.html",
     "Anime BL Japanese Series"),
    ("Dandadan Season 1 Anime Review", "https://mangameetsmoron.com/2025/01/09/dandadan-season-1-anime-review/", None),
    ("Blood+ Vol. #02", "http://www.mania.com/blood-vol-02_article_80503.html", None),  # an anime DVD volume
    ("Persona 4: The Animation, Collection 1", "https://mediamikes.com/2012/08/blu-ray-review-persona-4/", None),
    ("Jujutsu Kaisen Episode 5 Review", "https://blog.example/jujutsu-kaisen-episode-5-vs-the-manga/", "Manga"),
    ("Cherry Magic! Anime Review – Sweet but Thin", "https://animerants.net/2025/08/23/cherry-magic/",
     "Anime Anime Reviews Live Action"),
    ("The Boys Season 4 Episode 4", "https://seamanga.com/?p=10956", None),  # a host named "manga" is no sign
    ("Your Name (2016)", "https://blog.example/your-name-japanese-film-review/", None),
])
def test_anime_reviews_are_kept(headline, url, tags):
    assert not_anime_reason(headline, url, tags) is None


MANGA = dict(url="https://www.fandompost.com/2023/07/24/chainsaw-man-vol-12-manga-review/", outlet="fandompost.com",
             outlet_name="The Fandom Post", headline="Chainsaw Man Vol. #12 Manga Review", score_text="Grade: B+",
             tags="Manga Reviews Chainsaw Man")
MANGA_REASON = "not an anime review (headline says 'Manga Review'): 'Chainsaw Man Vol. #12 Manga Review'"


def test_a_manga_review_is_dropped_with_its_reason_in_dropped_items(process, db_path):
    with pytest.raises(DropItem) as dropped:
        process(**MANGA)
    assert str(dropped.value) == MANGA_REASON
    crawler = get_crawler(Spider, project_settings() | {"REVIEWS_DB": str(db_path)})
    store = build_from_crawler(StorePipeline, crawler)
    store.open_spider()
    store.item_dropped(MANGA, None, dropped.value)
    store.close_spider()
    assert rows(db_path, "select url, reason from dropped_items") == [(MANGA["url"], MANGA_REASON)]
    assert rows(db_path, "select count(*) from reviews") == [(0,)]


def test_the_keep_non_anime_setting_keeps_them(db_path):
    item = run_chain(pipeline_chain(db_path, KEEP_NON_ANIME=True), **MANGA)
    assert fields(item, "series", "episode_start", "kind", "score") == ("Chainsaw Man", 12, "volume", 8.3)


# --- verdicts -------------------------------------------------------------------------------------------

BODY = f"{SENTENCE}\n\n{SENTENCE}"


@pytest.mark.parametrize("closing, verdict", [
    ("Final Score: 8/10 A confident return even if the side cast is still paper thin",
     "A confident return even if the side cast is still paper thin"),
    ("Verdict: A tender, funny finale that earns its tears.", "A tender, funny finale that earns its tears."),
    ("The Bottom Line — Worth it for the animation alone.", "Worth it for the animation alone."),
    ("TL;DR: A slow start, but the last ten minutes sing.", "A slow start, but the last ten minutes sing."),
    ("The Verdict\n\nRating: 8/10\n\nA warm ending that wraps things up a little too neatly.",
     "A warm ending that wraps things up a little too neatly."),
    ("Overall Score\n\n6.8 out of 10.0 Accidental Mind Readings\n\nA decent adaptation that plays it safe.\n\n"
     "~Thanks for Reading~", "A decent adaptation that plays it safe."),
    ("Pros\n\nGorgeous backgrounds\n\nA great lead\n\nCons\n\nThin side cast",
     "Pros: Gorgeous backgrounds; A great lead. Cons: Thin side cast."),
    ("Pros: gorgeous backgrounds; a great lead\n\nCons: thin side cast",
     "Pros: gorgeous backgrounds; a great lead. Cons: thin side cast."),
    # No verdict printed: a bare score line, a sign-off, the last paragraph of prose.
    ("Rating: 8/10", None),
    ("Overall Score\n\n8/10\n\n~Thanks for Reading~\n\nWritten by 7Mononoke at Anime Rants", None),
    ("Verdict: A", None),
    ("Twilight Out of Focus is currently streaming on Crunchyroll.", None),
])
def test_the_verdict_a_review_prints(closing, verdict):
    assert verdict_from_text(f"{BODY}\n\n{closing}") == verdict


def test_a_long_verdict_is_cut_at_a_sentence():
    sentence = "The finale lands every thread it spent twelve weeks weaving, and it does so with real grace. "
    verdict = verdict_from_text(f"{BODY}\n\nVerdict: {sentence * 8}")
    assert verdict == (sentence * 4).strip() and len(verdict) <= MAX_CHARS
    assert bounded("word " * 200) == ("word " * 80).strip() + "…"  # no sentence ends: cut at a word


WP_REVIEW_BOX = ('<div id="review" class="review-wrapper"><div class="review-heading"><h5 class="review-title">'
                 'Kaiju No. 8 Ep 1</h5></div><div class="review-desc"><p class="review-summary-title"><strong>Summary'
                 '</strong></p><p>A grounded, funny premiere about a man who never gave up.</p></div>'
                 '<div class="review-total-wrapper"><span class="review-total-box">8.0<i>/10</i></span></div></div>')


def ld_review(body: str) -> str:
    return ('<script type="application/ld+json">{"@context": "https://schema.org", "@type": "Review", '
            f'"reviewBody": "{body}", "reviewRating": {{"@type": "Rating", "ratingValue": "8", "bestRating": "10"}}'
            '}</script>')


def test_the_verdict_a_pages_review_box_prints():
    assert verdict_from_page(page(WP_REVIEW_BOX)) == "A grounded, funny premiere about a man who never gave up."
    assert verdict_from_page(page("", head=ld_review("A sharp, funny premiere."))) == "A sharp, funny premiere."
    assert verdict_from_page(page("", head=ld_review(TEXT))) is None  # a whole review in reviewBody is no verdict
    assert verdict_from_page(page("<p>No box here.</p>")) is None


def test_a_generic_pages_verdict_is_found_and_its_score_line_left_out_of_the_body(process):
    item = process(**GENERIC, verdict=None,
                   page_html=page("<p>Final Score: 8/10 A strong start with a very likable lead</p>"))
    assert fields(item, "verdict", "score_text", "score", "body_text", "word_count") == (
        "A strong start with a very likable lead", "Final Score: 8/10", 8.0, TEXT, 120)


def test_a_generic_pages_review_box_gives_the_verdict(process):
    item = process(**GENERIC, verdict=None, page_html=page(WP_REVIEW_BOX))
    assert fields(item, "verdict", "score") == ("A grounded, funny premiere about a man who never gave up.", 8.0)


def test_an_outlet_spiders_own_verdict_is_kept(process):
    item = process(body_html=f"<div><p>{TEXT}</p><p>Verdict: Not this one.</p></div>")
    assert item["verdict"] == "A tender finale."


# --- the body -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, body", [
    (f"Kaiju No. 8 Ep 1 Review\n\n{BODY}", BODY),  # the title again above the lead
    (f"Kaiju No. 8\n\n{BODY}", BODY),  # a run of the title's words
    (f"{BODY}\n\nRating: 8/10", BODY),
    (f"{BODY}\n\nFinal Score: 8/10 A strong start with a very likable lead", BODY),
    (f"{BODY}\n\nEpisode Rating – 3.5/5", BODY),
    (f"{BODY}\n\nOverall Score\n\n8.6 out of 10.0 Medicine Sellers\n\nAn unforgettable anthology.\n\n"
     "~Thanks for Reading~\n\nWritten by 7Mononoke at Anime Rants",
     f"{BODY}\n\nOverall Score\n\n8.6 out of 10.0 Medicine Sellers\n\nAn unforgettable anthology."),
    (f"{BODY} It is a strictly average watch, anime or not. (5/10)", f"{BODY} It is a strictly average watch, anime or not."),
    # The review's own words stay: a first paragraph that is the lead, a last one that talks about scores.
    (f"Kaiju No. 8 Ep 1 Review is what I searched for, and this premiere earned every one of those words.\n\n{BODY}",
     f"Kaiju No. 8 Ep 1 Review is what I searched for, and this premiere earned every one of those words.\n\n{BODY}"),
    (f"{BODY}\n\nI would give the animation a 10/10 if the story had kept up with it for the whole season.",
     f"{BODY}\n\nI would give the animation a 10/10 if the story had kept up with it for the whole season."),
    ("Rating: 8/10", "Rating: 8/10"),  # nothing else: the page's only text stays (and is too short for a review)
])
def test_the_body_leaves_out_title_score_lines_and_sign_offs(text, body):
    assert trimmed_body(text, ("Kaiju No. 8 Ep 1 Review", None)) == body


def test_the_body_of_a_review_is_stored_without_its_title_and_sign_off(process):
    item = process(headline="Witch Watch Episode 4",
                   body_html=f"<div><h2>Witch Watch Episode 4</h2><p>{TEXT}</p><p>Thanks for reading!</p></div>")
    assert fields(item, "body_text", "word_count") == (TEXT, 120)


# --- the whole mirror's crawl ---------------------------------------------------------------------------

NON_ANIME = {
    "https://www.fandompost.com/2023/07/24/chainsaw-man-vol-12-manga-review/":
        "not an anime review (headline says 'Manga Review'): 'Chainsaw Man Vol. #12 Manga Review'",
    "https://www.gayfilmsreview.com/2022/07/kimi-no-koto-dake-mite-itai-japanese.html":
        "not an anime review (headline says '(Japanese Series)'): "
        "'Kimi no Koto Dake Mite Itai (Japanese Series) [I Want to See Only You]'",
    "https://www.gayfilmsreview.com/2023/10/bump-up-business-korean-series.html":
        "not an anime review (headline says '(Korean Series)'): 'Bump Up Business (Korean Series)'",
}


def test_the_crawl_stores_no_review_that_is_not_of_an_anime(crawled_db):
    reviews = db_rows(crawled_db, "select url, headline from reviews")
    assert len(reviews) == 83
    assert [r for r in reviews if r["url"] in NON_ANIME or not_anime_reason(r["headline"], r["url"])] == []
    dropped = db_rows(crawled_db, "select url, reason from dropped_items where reason like 'not an anime%'")
    assert {r["url"]: r["reason"] for r in dropped} == NON_ANIME


def test_the_crawl_stores_no_season_that_disagrees_with_its_url_or_text(crawled_db):
    reviews = db_rows(crawled_db, "select url, season, kind, body_text from reviews where kind in "
                                  "('episode', 'episodes', 'season')")
    assert [r["url"] for r in reviews if season_from_url(r["url"]) not in (None, r["season"])
            or season_from_text(r["body_text"]) not in (None, r["season"])] == []
    assert db_rows(crawled_db, "select season, episode_start, episode_end from reviews where url = ?", SHOSHIMIN) == [
        {"season": 2, "episode_start": 1, "episode_end": 4}]


# What a review page prints as its verdict, in the mirror's pages: a TL;DR or WP Review summary box, a fandompost
# "In Summary:", a "Final Score: 8/10 <verdict>" line, an "Overall Score" section.
PRINTS_A_VERDICT = re.compile(r'class="verdict-box"|class="review-desc"|In Summary:|Final Score:\s*\d+/10(?:</strong>)?\s+\w|'
                              r">Overall Score<")


def test_the_crawl_has_a_verdict_wherever_the_page_prints_one(crawled_db, mirror):
    reviews = db_rows(crawled_db, "select url, verdict from reviews")
    printed = {}
    for review in reviews:
        with urllib.request.urlopen(mirror_url(mirror.base_url, review["url"]), timeout=30) as response:
            printed[review["url"]] = bool(PRINTS_A_VERDICT.search(response.read().decode("utf-8")))
    assert {r["url"]: bool(r["verdict"]) for r in reviews} == printed
    assert sum(printed.values()) == 56
