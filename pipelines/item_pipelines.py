"""The item pipelines, in ITEM_PIPELINES order. Each is a thin shell around one step's function.

validate -> strip chrome -> read headline -> normalise score -> resolve series -> store
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from datetime import datetime, timedelta, timezone

from scrapy import signals
from scrapy.exceptions import DropItem

import py3langid

from crawler.runs import CrawlRuns
from pipelines import bounds, chrome, store
from pipelines.anime_only import not_anime_reason
from pipelines.chrome import strip_chrome, trimmed_body, word_count
from pipelines.dates import iso_utc
from pipelines.headlines import parse_headline
from pipelines.kinds import EPISODE_KINDS, WHOLE_KINDS, Kind
from pipelines.page import read_page
from pipelines.page_series import mentions, series_from_page
from pipelines.score_finder import find_review_score
from pipelines.scores import parse_score, refusal_reason
from pipelines.season_hints import season_hint
from pipelines.linking import build_resolver
from pipelines.series import SeriesResolver, load_aliases
from pipelines.urls import canonical_url
from pipelines.verdicts import find_verdict

logger = logging.getLogger(__name__)


def drop_field(item, field: str, reason: str, keep: bool = False) -> None:
    """Store the review without a bad value (`keep`: the caller has already cut or cleared it); the reason lands
    in dropped_items with the field's name."""
    logger.warning("%s on %s: stored without it", reason, item["url"])
    if not keep:
        item[field] = None
    item["problems"] = [*(item.get("problems") or []), {"field": field, "reason": reason}]


class ValidatePipeline:
    def process_item(self, item):
        if not item.get("url"):
            raise DropItem("no URL")
        if not bounds.is_web_url(item["url"]):
            raise DropItem(f"not an http(s) URL: {item['url'][:100]!r}")
        item["url"] = canonical_url(item["url"])
        if not (item.get("headline") or "").strip():
            raise DropItem("no headline")
        for field, reason in bounds.text_refusals(item):
            drop_field(item, field, reason, keep=True)
        tomorrow = (datetime.now(timezone.utc) + timedelta(days=1)).isoformat(timespec="seconds")
        for field in ("published", "updated"):
            item[field] = iso_utc(item.get(field))
            if item[field] and item[field] > tomorrow:
                drop_field(item, field, f"{field} date {item[field]} is in the future")
        return item


class ChromePipeline:
    """The review's own text; pages too short to be a review or not in the crawl's languages are dropped."""

    def __init__(self, min_words: int, languages: list[str]):
        self.min_words = min_words
        self.languages = languages

    @classmethod
    def from_crawler(cls, crawler):
        # Load the language model now, while the process is small: loading it takes 30-50 MB more for a moment
        # than the ~72 MB it keeps, which mid-crawl sets the crawl's peak RSS.
        text_language("")
        return cls(crawler.settings.getint("MIN_REVIEW_WORDS"), crawler.settings.getlist("REVIEW_LANGUAGES"))

    def process_item(self, item):
        if item.get("body_html"):
            text = strip_chrome(item["body_html"])
        else:  # a site without an article selector: find the article in the whole page
            text = chrome.main_text(read_page(item.get("page_html"), item["url"]))
        if not text:
            raise DropItem("no article text")
        if not item.get("verdict"):  # read before the score line that may hold it leaves the body
            item["verdict"] = find_verdict(text, item.get("page_html"), item["url"])
        item["body_text"] = trimmed_body(text, (item.get("headline"), item.get("box_title")))
        item["word_count"] = word_count(item["body_text"])
        if item["word_count"] < self.min_words:
            raise DropItem(f"only {item['word_count']} words of text: too short for a review")
        language = text_language(item["body_text"])
        if self.languages and language not in self.languages:
            raise DropItem(f"text in {language!r}, not in {', '.join(self.languages)}")
        return item


def text_language(text: str) -> str:
    """ISO 639-1 code of the text's language (py3langid, on its first thousand characters).

    A thousand characters (some 170 words) name the language as surely as three thousand on the mirror's and
    the extraction benchmark's pages, at a third of the cost: the classifier walks the text byte by byte in
    Python (bench/pipeline.py).
    """
    return py3langid.classify(text[:1000])[0]


class HeadlinePipeline:
    """What the review is of: series, season, episodes and kind from the headline (the season from the review box,
    the URL or the lead where the headline has none); posts that are no review, or not of an anime, are dropped."""

    def __init__(self, keep_non_anime: bool = False, crawler=None):
        self.keep_non_anime = keep_non_anime
        self.crawler = crawler
        self.catalogue = None  # the words alone, without a crawler (a single step under test)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.getbool("KEEP_NON_ANIME"), crawler)

    def open_spider(self):
        if self.crawler is not None:
            # The crawl's catalogue (the one its series link to) tells a film's bare title from a show's.
            self.catalogue = SeriesPipeline.resolver_for(self.crawler.settings).linker

    def process_item(self, item):
        headline = parse_headline(item["headline"], catalogue=self.catalogue)
        if headline.roundup:
            # A column of several shows is no one show's review, whatever it reviews of each.
            headline = replace(headline, kind=Kind.OTHER, episode_start=None, episode_end=None)
        if headline.episode_end is None:
            # A range whose end is unsaid ("Acts I and II": from episode 1) counts towards no one episode.
            headline = replace(headline, episode_start=None)
        item.update(
            series=headline.series,
            season=headline.season,
            episode_start=headline.episode_start,
            episode_end=headline.episode_end,
            episode_title=headline.episode_title,
            kind=headline.kind,
            kind_stated=headline.kind_stated,
            version=headline.version,
            series_source="headline" if headline.series else None,
        )
        if headline.kind == Kind.VOLUME:
            # Reviews of different volumes of one manga must never look alike: the volume is stored where
            # an episode's number goes.
            item["episode_start"] = item["episode_end"] = headline.volume
        if item.get("page_html") and headline_series_is_doubtful(headline, item.get("body_text") or ""):
            take_declared_series(item, read_page(item["page_html"], item["url"]))
        if item["kind"] == Kind.OTHER and not (item.get("score_text") or item.get("page_html")):
            # News, lists and features share feeds with reviews; a page that neither reads as a review
            # nor shows a score is not one.
            raise DropItem(f"not a review: {item['headline']!r}")
        if not self.keep_non_anime and (reason := not_anime_reason(item["headline"], item["url"], item.get("tags"))):
            raise DropItem(f"not an anime review ({reason}): {item['headline'][:100]!r}")
        if item["season"] is None:
            take_season_hint(item)
        if item["kind"] in EPISODE_KINDS and item["season"] is None:
            # Outlets write "Episode 12" for a first season and "Season 3 Episode 5" after it.
            item["season"] = 1
        for field, reason in bounds.number_refusals(item):
            drop_field(item, field, reason, keep=True)
        return item


def headline_series_is_doubtful(headline, text: str) -> bool:
    """A headline with no numbers whose "series" the review's text never mentions is likely a tagline
    ("A great story, but the ending feels off."): what the page declares is surer."""
    if headline.series is None:
        return True
    numbered = any(n is not None for n in (headline.season, headline.episode_start, headline.volume))
    return headline.kind in (Kind.SERIES, Kind.OTHER) and not numbered and not mentions(text, headline.series)


def take_season_hint(item) -> None:
    """The season a headline leaves out, as the review box, the URL or the lead paragraph states it."""
    if item["kind"] not in (*EPISODE_KINDS, *WHOLE_KINDS):
        return
    hint = season_hint(item["url"], item.get("box_title"), item.get("body_text"))
    if hint is None:
        return
    item["season"] = hint[0]
    logger.debug("season %d of %s read from its %s", hint[0], item["url"], hint[1])
    if item["kind"] == Kind.SERIES:
        item["kind"] = Kind.SEASON  # a review of one season of a show, not of the whole show


def take_declared_series(item, page) -> None:
    declared = series_from_page(page, item.get("body_text") or "")
    if declared is None:
        if item["series"] is not None and item["kind"] in (Kind.SERIES, Kind.OTHER):
            # A title the review never mentions and the page does not back ("A Kinder World") is no show's
            # name: unknown, and without a score of its own the post is no review.
            item.update(series=None, series_source=None, kind=Kind.OTHER)
        return
    item["series"], item["series_source"] = declared.series, declared.source
    if item["kind"] in (Kind.OTHER, Kind.SERIES) and declared.kind:
        item["kind"] = declared.kind  # the page's Review says what it reviewed: a TVEpisode, a Movie…


class ScorePipeline:
    def process_item(self, item):
        declared_best = item.get("score_best")  # the scale of a bare number in the site's review box
        score = parse_score(item.get("score_text"), best=declared_best)
        if score is None and not item.get("score_text") and item.get("page_html"):
            # The generic spider's last resort: the review's own score found in the whole page.
            score = find_review_score(read_page(item["page_html"], item["url"]), best=declared_best)
            item["score_text"] = score.text if score else None
        if score is None and item.get("score_text"):
            reason = refusal_reason(item["score_text"], best=declared_best)
            drop_field(item, "score", f"score text {item['score_text']!r} holds no valid score: {reason}")
        item.update(score_fields(score))
        item["subscores"] = [
            sub | score_fields(parse_score(sub["score_text"], best=declared_best))
            for sub in item.get("subscores") or []
        ]
        item["audience"] = [audience_figure(figure) for figure in item.get("audience") or []]
        if item.get("kind") == Kind.OTHER:
            if score is None:
                raise DropItem(f"not a review: {item['headline']!r}")
            if item.get("series_source") not in (None, "headline"):
                # A scored post about a show its page names, under a headline that names none: a review of it.
                item["kind"] = Kind.SERIES
        return item


def score_fields(score) -> dict:
    if score is None:
        return {"score_value": None, "score_best": None, "score": None}
    return {"score_value": score.value, "score_best": score.best, "score": score.score}


def audience_figure(figure: dict) -> dict:
    score = parse_score(figure["text"], best=figure.get("best"))
    votes = re.sub(r"[^\d]", "", figure.get("votes") or "")
    return {
        "source": figure["source"],
        "value": score.value if score else None,
        "best": score.best if score else figure.get("best"),
        "score": score.score if score else None,
        "votes": bounds.votes(int(votes[:12])) if votes else None,
    }


class SeriesPipeline:
    """One series row however outlets spell a show: exact key, alias file, strict fuzzy match, or new."""

    # One resolver per database for the whole process, so spiders of one crawlall share what they learn.
    resolvers: dict[str, SeriesResolver] = {}

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    @classmethod
    def resolver_for(cls, settings) -> SeriesResolver:
        """The resolver of the crawl's database, built (with its catalogue) the first time it is asked for."""
        path = settings.get("REVIEWS_DB")
        if path not in cls.resolvers:
            db = store.open_db(path)
            cls.resolvers[path] = build_resolver(db, path, load_aliases(settings.get("SERIES_ALIASES")),
                                                settings.get("CATALOGUE_DIR"))
            db.close()
        return cls.resolvers[path]

    def open_spider(self):
        self.resolver = self.resolver_for(self.crawler.settings)

    def process_item(self, item):
        if item.get("series"):
            item["series_key"], item["series"] = self.resolver.resolve(item["series"], item)
            if item.get("season") is not None and item["kind"] == Kind.SERIES and item.get("kind_stated") is False:
                item["kind"] = Kind.SEASON  # the spelling names a later season by itself ("Dr. Stone: New World")
        else:
            item["series_key"] = None
        return item


class StorePipeline:
    """Upserts reviews by URL under the run's id, records dropped items and dropped values, and counts each
    review's outcome in the stats (reviews/new, …). The run's row is crawler.runs.CrawlRuns's."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.path = crawler.settings.get("REVIEWS_DB")
        crawler.signals.connect(self.item_dropped, signal=signals.item_dropped)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    @property
    def run_id(self) -> int | None:
        """The run CrawlRuns opened when the spider opened (after the pipelines opened, before any item)."""
        return self.runs.run_id if self.runs else None

    def open_spider(self):
        self.db = store.open_db(self.path)
        self.runs = self.crawler.get_extension(CrawlRuns)
        if self.runs is None:
            logger.warning("crawler.runs.CrawlRuns is not in EXTENSIONS: reviews are stored without a crawl run")

    def process_item(self, item):
        run_id = self.run_id
        outcome = store.save_review(self.db, dict(item), run_id)
        if outcome == "kept":
            logger.warning("re-crawled page looks broken, the stored review is kept: %s (see dropped_items)", item["url"])
        for problem in item.get("problems") or []:
            store.record_dropped(self.db, run_id, item["url"], problem["reason"], problem["field"])
        stats = self.crawler.stats
        stats.inc_value(f"reviews/{outcome}")
        if item.get("score") is None:
            stats.inc_value("reviews/unscored")
        if not item.get("series_key"):
            stats.inc_value("reviews/without_series")
        return item

    def item_dropped(self, item, response, exception, spider=None):
        store.record_dropped(self.db, self.run_id, item.get("url"), str(exception))

    def close_spider(self):
        self.db.close()
