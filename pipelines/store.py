"""The database: the only module that knows its layout (tables, views, indexes) and writes to it.

Schema changes are migrations (sqlite-utils' `Migrations`): append a new function, never edit an applied
one, and an existing `data/reviews.db` upgrades in place when the store opens it.

Writes go one review per transaction, in WAL mode, so a killed crawl leaves every stored review whole
and Datasette can read while a crawl writes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path

import sqlite_utils
from sqlite_utils.migrations import Migrations

MIGRATIONS = Migrations("animecritic")

# Columns of `reviews` that the pipelines fill from an item; a change in any of them is a review change.
REVIEW_COLUMNS = {
    "url": str,
    "outlet": str,
    "headline": str,
    "author": str,
    "published": str,
    "updated": str,
    "series_id": int,
    "season": int,
    "episode_start": int,
    "episode_end": int,
    "episode_title": str,
    "kind": str,
    "version": str,
    "score_text": str,
    "score_value": float,
    "score_best": float,
    "score": float,
    "verdict": str,
    "body_text": str,
    "word_count": int,
}
# Columns about how a value was read, not what the page says: stored, never part of the content hash (a better
# reader must not make every stored review look edited).
PROVENANCE_COLUMNS = {"series_source": str}
BOOKKEEPING_COLUMNS = {"content_hash": str, "first_seen": str, "last_seen": str, "last_changed": str}
# The fields whose edits are worth a `review_changes` row.
# series_id too: a review that moved to another series (a corrected headline, a new alias) leaves the consensus of
# its old series to be refreshed, and review_changes is where `changed_series` finds that old series.
TRACKED_CHANGES = ("headline", "score_text", "score", "verdict", "body_text", "updated", "series_id")

EPISODE_SCORES_SQL = """
-- One row per series, season and episode: the critics' consensus. A review of a range of episodes
-- ("Episodes 1-4") counts for each episode in it. A review without a score counts in `reviews`,
-- never in the mean.
with recursive episode_numbers(n) as (
  select 1 union all select n + 1 from episode_numbers
  where n < (select coalesce(max(episode_end), 0) from reviews)
),
episode_reviews as (
  select r.series_id, r.season, episode_numbers.n as episode, r.url, r.outlet, r.score
  from reviews r join episode_numbers on episode_numbers.n between r.episode_start and r.episode_end
  where r.kind in ('episode', 'episodes') and r.series_id is not null
)
select
  series.title as series,
  episode_reviews.season as season,
  episode_reviews.episode as episode,
  count(*) as reviews,
  count(episode_reviews.score) as scored_reviews,
  round(avg(episode_reviews.score), 2) as mean_score,
  min(episode_reviews.score) as min_score,
  max(episode_reviews.score) as max_score,
  group_concat(distinct outlets.name) as outlets,
  episode_reviews.series_id as series_id
from episode_reviews
join series on series.id = episode_reviews.series_id
join outlets on outlets.id = episode_reviews.outlet
group by episode_reviews.series_id, episode_reviews.season, episode_reviews.episode
order by series.title, episode_reviews.season, episode_reviews.episode
"""


@MIGRATIONS()
def m001_initial(db: sqlite_utils.Database) -> None:
    db["outlets"].create({"id": str, "name": str, "homepage": str}, pk="id")
    db["series"].create({"id": int, "title": str, "key": str}, pk="id")
    db["series"].create_index(["key"], unique=True)
    db["crawl_runs"].create(
        {
            "id": int, "spider": str, "started": str, "finished": str, "status": str, "pages": int,
            "reviews_new": int, "reviews_updated": int, "reviews_unchanged": int, "items_dropped": int,
            "errors": int,
        },
        pk="id",
    )
    db["reviews"].create(
        REVIEW_COLUMNS | BOOKKEEPING_COLUMNS,
        pk="url",
        foreign_keys=[("outlet", "outlets", "id"), ("series_id", "series", "id")],
    )
    for columns in (["outlet"], ["series_id", "season", "episode_start"], ["kind"], ["published"], ["score"]):
        db["reviews"].create_index(columns)
    # One row per edit of a review seen by a crawl: which fields changed, the score before and after,
    # and the old and new values of every changed field as JSON.
    db["review_changes"].create(
        {"id": int, "review": str, "run_id": int, "changed_at": str, "fields": str, "old_score": float,
         "new_score": float, "old_values": str, "new_values": str},
        pk="id",
        foreign_keys=[("review", "reviews", "url"), ("run_id", "crawl_runs", "id")],
    )
    db["review_changes"].create_index(["review"])
    db["dropped_items"].create(
        {"id": int, "run_id": int, "url": str, "reason": str, "dropped_at": str},
        pk="id",
        foreign_keys=[("run_id", "crawl_runs", "id")],
    )
    db["dropped_items"].create_index(["run_id"])
    db.create_view("episode_scores", EPISODE_SCORES_SQL)


@MIGRATIONS()
def m002_subscores_and_audience(db: sqlite_utils.Database) -> None:
    db["subscores"].create(
        {"id": int, "review": str, "label": str, "score_text": str, "score_value": float, "score_best": float,
         "score": float},
        pk="id",
        foreign_keys=[("review", "reviews", "url")],
    )
    db["subscores"].create_index(["review"])
    # A reader or community figure shown on a review page (ANN's community score, a poll): the
    # audience's, kept apart from every critic figure. One row per page and source, updated each crawl.
    db["audience_scores"].create(
        {"id": int, "review": str, "series_id": int, "season": int, "episode": int, "source": str,
         "value": float, "best": float, "score": float, "votes": int, "seen_at": str},
        pk="id",
        foreign_keys=[("review", "reviews", "url"), ("series_id", "series", "id")],
    )
    db["audience_scores"].create_index(["review", "source"], unique=True)
    db["audience_scores"].create_index(["series_id", "season", "episode"])


EPISODE_REVIEWS_SQL = """
-- One row per review per episode it covers: a review of "Episodes 1-4" counts for each of them.
with recursive episode_numbers(n) as (
  select 1 union all select n + 1 from episode_numbers
  where n < (select coalesce(max(episode_end), 0) from reviews where kind in ('episode', 'episodes'))
)
select r.series_id, r.season, episode_numbers.n as episode, r.url, r.outlet, r.score, r.version, r.published
from reviews r join episode_numbers on episode_numbers.n between r.episode_start and r.episode_end
where r.kind in ('episode', 'episodes') and r.series_id is not null
"""

EPISODE_SCORES_V2_SQL = """
-- The critics' consensus per series, season and episode: the unweighted mean of the reviews' 0-10
-- scores (reviews without a score count in `reviews`, never in the mean), median, spread and the share
-- of positive reviews (score >= 6, the 60% line).
with ranked as (
  select series_id, season, episode, score,
         row_number() over (partition by series_id, season, episode order by score) as position,
         count(*) over (partition by series_id, season, episode) as scored
  from episode_reviews where score is not null
),
medians as (
  select series_id, season, episode, avg(score) as median_score from ranked
  where position in ((scored + 1) / 2, (scored + 2) / 2)
  group by series_id, season, episode
)
select
  series.title as series,
  e.season as season,
  e.episode as episode,
  count(*) as reviews,
  count(e.score) as scored_reviews,
  round(avg(e.score), 2) as mean_score,
  round(medians.median_score, 2) as median_score,
  min(e.score) as min_score,
  max(e.score) as max_score,
  round(max(e.score) - min(e.score), 2) as spread,
  round(sqrt(max(avg(e.score * e.score) - avg(e.score) * avg(e.score), 0)), 2) as stdev,
  round(1.0 * sum(e.score >= 6) / count(e.score), 2) as positive_share,
  group_concat(distinct outlets.name) as outlets,
  e.series_id as series_id
from episode_reviews e
join series on series.id = e.series_id
join outlets on outlets.id = e.outlet
left join medians on medians.series_id = e.series_id and medians.season = e.season
  and medians.episode = e.episode
group by e.series_id, e.season, e.episode
order by series.title, e.season, e.episode
"""

SERIES_SCORES_SQL = """
-- Per series and season: the mean of its episodes' consensus scores and, kept apart, the mean of
-- whole-season reviews. A whole-series review has no season.
with episode_side as (
  select series_id, season, count(*) as reviewed_episodes, sum(reviews) as episode_reviews,
         round(avg(mean_score), 2) as mean_of_episode_means
  from episode_scores group by series_id, season
),
season_side as (
  select series_id, case when kind = 'season' then season end as season, count(*) as season_reviews,
         round(avg(score), 2) as season_review_mean
  from reviews where kind in ('season', 'series') and series_id is not null
  group by series_id, case when kind = 'season' then season end
),
keys as (select series_id, season from episode_side union select series_id, season from season_side)
select series.title as series, keys.season as season,
       coalesce(episode_side.reviewed_episodes, 0) as reviewed_episodes,
       coalesce(episode_side.episode_reviews, 0) as episode_reviews,
       episode_side.mean_of_episode_means as mean_of_episode_means,
       coalesce(season_side.season_reviews, 0) as season_reviews,
       season_side.season_review_mean as season_review_mean,
       keys.series_id as series_id
from keys
join series on series.id = keys.series_id
left join episode_side on episode_side.series_id = keys.series_id and episode_side.season is keys.season
left join season_side on season_side.series_id = keys.series_id and season_side.season is keys.season
order by series.title, keys.season
"""

OUTLET_LENIENCY_SQL = """
-- Each outlet against the consensus of the OTHER outlets on the same episodes (leave-one-out, so an
-- outlet never pulls the consensus towards itself). Positive leniency: kinder than the others.
with per_episode as (
  select series_id, season, episode, sum(score) as total, count(score) as scored
  from episode_reviews where score is not null group by series_id, season, episode
)
select outlets.name as outlet, e.outlet as outlet_id,
       count(*) as episodes_compared,
       round(avg(e.score), 2) as outlet_mean,
       round(avg((p.total - e.score) / (p.scored - 1)), 2) as others_mean,
       round(avg(e.score - (p.total - e.score) / (p.scored - 1)), 2) as leniency
from episode_reviews e
join per_episode p on p.series_id = e.series_id and p.season = e.season and p.episode = e.episode
join outlets on outlets.id = e.outlet
where e.score is not null and p.scored > 1
group by e.outlet
order by leniency desc
"""


@MIGRATIONS()
def m003_consensus_views_and_search(db: sqlite_utils.Database) -> None:
    db.execute("drop view if exists episode_scores")
    db.create_view("episode_reviews", EPISODE_REVIEWS_SQL)
    db.create_view("episode_scores", EPISODE_SCORES_V2_SQL)
    db.create_view("series_scores", SERIES_SCORES_SQL)
    db.create_view("outlet_leniency", OUTLET_LENIENCY_SQL)
    db["reviews"].enable_fts(["headline", "verdict", "body_text"], create_triggers=True, tokenize="porter")
    db["reviews"].create_index(["series_id", "kind", "season"])
    db["reviews"].create_index(["last_changed"])


@MIGRATIONS()
def m004_run_health(db: sqlite_utils.Database) -> None:
    for column, kind in (("not_modified", int), ("reviews_unscored", int), ("reviews_without_series", int),
                         ("problems", str)):
        db["crawl_runs"].add_column(column, kind)
    db["crawl_runs"].create_index(["spider", "id"])


@MIGRATIONS()
def m005_faults_and_dropped_fields(db: sqlite_utils.Database) -> None:
    # A value dropped from a stored review (an absurd score, a future date) is recorded with its field;
    # a whole page not stored has no field.
    db["dropped_items"].add_column("field", str)
    db["crawl_runs"].add_column("failed_pages", int)
    db["crawl_runs"].add_column("faults", str)  # JSON: what went wrong while fetching, by kind


# Materialised consensus (migration m006): the views episode_scores, series_scores and outlet_leniency took seconds
# at 50k reviews and timed out at 1M; they are tables of the same names and columns now, refreshed by
# `refresh_consensus` after each spider's run for the series it stored new or changed reviews of.
CONSENSUS_TABLES_SQL = """create table if not exists episode_numbers (n integer primary key);
insert or ignore into episode_numbers
  with recursive k(n) as (select 1 union all select n + 1 from k where n < 10000) select n from k;
drop view if exists episode_reviews;
create view episode_reviews as
-- One row per review per episode it covers: a review of "Episodes 1-4" counts for each of them.
-- (cross join: SQLite then always reads reviews first, each one's episodes by the numbers' primary key)
select r.series_id, r.season, episode_numbers.n as episode, r.url, r.outlet, r.score, r.version, r.published
from reviews r cross join episode_numbers on episode_numbers.n between r.episode_start and r.episode_end
where r.kind in ('episode', 'episodes') and r.series_id is not null;
drop view if exists episode_scores;
drop view if exists series_scores;
drop view if exists outlet_leniency;
create table episode_scores (
  series text, season integer, episode integer, reviews integer, scored_reviews integer, mean_score real,
  median_score real, min_score real, max_score real, spread real, stdev real, positive_share real, outlets text,
  series_id integer references series(id),
  primary key (series_id, season, episode)
);
create index episode_scores_series on episode_scores (series, season, episode);
create index episode_scores_season on episode_scores (season);
-- biggest_disagreements: read in order, stops after 50 rows
create index episode_scores_spread on episode_scores (spread desc, scored_reviews desc, series, season, episode)
  where scored_reviews >= 2;
create table series_scores (
  series text, season integer, reviewed_episodes integer, episode_reviews integer, mean_of_episode_means real,
  season_reviews integer, season_review_mean real, series_id integer references series(id)
);
create index series_scores_series on series_scores (series, season);
create index series_scores_series_id on series_scores (series_id, season);
create table outlet_leniency (
  outlet text, outlet_id text primary key references outlets(id), episodes_compared integer, outlet_mean real,
  others_mean real, leniency real
);
-- outlet_leniency's parts per series (internal: hidden in data/metadata.yml)
create table _leniency_parts (
  series_id integer, outlet text, compared integer, outlet_sum real, others_sum real,
  primary key (series_id, outlet)
);
"""

EPISODE_SCORES_REFRESH_SQL = """insert into episode_scores
with e as (
  select * from episode_reviews where series_id in (select series_id from _touched)
),
ranked as (
  select series_id, season, episode, score,
         row_number() over (partition by series_id, season, episode order by score) as position,
         count(*) over (partition by series_id, season, episode) as scored
  from e where score is not null
),
medians as (
  select series_id, season, episode, avg(score) as median_score from ranked
  where position in ((scored + 1) / 2, (scored + 2) / 2)
  group by series_id, season, episode
)
select
  series.title, e.season, e.episode, count(*), count(e.score), round(avg(e.score), 2),
  round(medians.median_score, 2), min(e.score), max(e.score), round(max(e.score) - min(e.score), 2),
  round(sqrt(max(avg(e.score * e.score) - avg(e.score) * avg(e.score), 0)), 2),
  round(1.0 * sum(e.score >= 6) / count(e.score), 2), group_concat(distinct outlets.name), e.series_id
from e
join series on series.id = e.series_id
join outlets on outlets.id = e.outlet
left join medians on medians.series_id = e.series_id and medians.season = e.season
  and medians.episode = e.episode
group by e.series_id, e.season, e.episode
"""

SERIES_SCORES_REFRESH_SQL = """insert into series_scores
with episode_side as (
  select series_id, season, count(*) as reviewed_episodes, sum(reviews) as episode_reviews,
         round(avg(mean_score), 2) as mean_of_episode_means
  from episode_scores where series_id in (select series_id from _touched) group by series_id, season
),
season_side as (
  select series_id, case when kind = 'season' then season end as season, count(*) as season_reviews,
         round(avg(score), 2) as season_review_mean
  from reviews where kind in ('season', 'series') and series_id in (select series_id from _touched)
  group by series_id, case when kind = 'season' then season end
),
keys as (select series_id, season from episode_side union select series_id, season from season_side)
select series.title, keys.season, coalesce(episode_side.reviewed_episodes, 0),
       coalesce(episode_side.episode_reviews, 0), episode_side.mean_of_episode_means,
       coalesce(season_side.season_reviews, 0), season_side.season_review_mean, keys.series_id
from keys
join series on series.id = keys.series_id
left join episode_side on episode_side.series_id = keys.series_id and episode_side.season is keys.season
left join season_side on season_side.series_id = keys.series_id and season_side.season is keys.season
"""

# Leave-one-out needs each episode's exact total, so outlet_leniency is summed from per-series parts (one row per
# series and outlet: episodes compared, sum of the outlet's scores, sum of the other outlets' means): a refresh
# recomputes the touched series' parts only.
LENIENCY_PARTS_REFRESH_SQL = """insert into _leniency_parts
with e as (
  select series_id, season, episode, outlet, score from episode_reviews
  where series_id in (select series_id from _touched) and score is not null
),
per_episode as (
  select series_id, season, episode, sum(score) as total, count(*) as scored from e
  group by series_id, season, episode
)
select e.series_id, e.outlet, count(*), sum(e.score), sum((p.total - e.score) / (p.scored - 1))
from e join per_episode p on p.series_id = e.series_id and p.season = e.season and p.episode = e.episode
where p.scored > 1
group by e.series_id, e.outlet
"""

OUTLET_LENIENCY_REFRESH_SQL = """insert into outlet_leniency
select outlets.name, parts.outlet, sum(compared), round(sum(outlet_sum) / sum(compared), 2),
       round(sum(others_sum) / sum(compared), 2), round((sum(outlet_sum) - sum(others_sum)) / sum(compared), 2)
from _leniency_parts parts
join outlets on outlets.id = parts.outlet
group by parts.outlet
order by 6 desc
"""


@MIGRATIONS()
def m006_materialised_consensus(db: sqlite_utils.Database) -> None:
    # Statement by statement: executescript() would commit the migration's transaction.
    for statement in CONSENSUS_TABLES_SQL.split(";\n"):
        if statement.strip():
            db.execute(statement)
    refresh_consensus(db)


@MIGRATIONS()
def m007_series_source(db: sqlite_utils.Database) -> None:
    # Which signal of the page gave a review its series. Every series stored before this came from a headline.
    db.execute("alter table reviews add column series_source text")
    db.execute("update reviews set series_source = 'headline' where series_id is not null")


def refresh_consensus(db: sqlite_utils.Database, series_ids: Iterable[int] | None = None) -> None:
    """Rebuild the consensus rows of these series (every series when None), and outlet_leniency, in one
    transaction: Datasette (reading in WAL mode) sees the old rows or the new, never a half."""
    with db.atomic():
        db.execute("create temp table if not exists _touched (series_id integer primary key)")
        db.execute("delete from _touched")
        if series_ids is None:
            db.execute("insert into _touched select id from series")
        else:
            db.conn.executemany("insert or ignore into _touched values (?)", [(i,) for i in series_ids])
        for table in ("episode_scores", "series_scores", "_leniency_parts"):
            db.execute(f"delete from {table} where series_id in (select series_id from _touched)")
        # episode_numbers must reach the last episode any review covers (10,000 from the start).
        db.execute("""insert or ignore into episode_numbers
                      with recursive last(n) as (select coalesce(max(episode_end), 0) from reviews
                                                 where series_id in (select series_id from _touched)),
                      k(n) as (select 10001 union all select n + 1 from k where n < (select n from last))
                      select n from k where n <= (select n from last)""")
        db.execute(EPISODE_SCORES_REFRESH_SQL)
        db.execute(SERIES_SCORES_REFRESH_SQL)
        db.execute(LENIENCY_PARTS_REFRESH_SQL)
        db.execute("delete from outlet_leniency")
        db.execute(OUTLET_LENIENCY_REFRESH_SQL)


def changed_series(db: sqlite_utils.Database, since: str) -> list[int]:
    """Series of the reviews stored new or changed since `since` (reviews' last_changed index), and the series
    a changed review was in before."""
    return [row[0] for row in db.execute(
        """select series_id from reviews where last_changed >= :since and series_id is not null
           union
           select json_extract(old_values, '$.series_id') from review_changes
           where changed_at >= :since and json_extract(old_values, '$.series_id') is not null""", {"since": since})]


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def open_db(path: str | Path) -> sqlite_utils.Database:
    """Open (creating or upgrading) the reviews database."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    db = sqlite_utils.Database(path)
    db.execute("PRAGMA journal_mode=WAL")
    # In WAL mode a commit need not wait for the disk: a killed crawl still leaves every committed review whole,
    # only a power cut can lose the last ones. (FULL, the default, fsyncs the log on every review's commit.)
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("PRAGMA foreign_keys=ON")
    db.execute("PRAGMA busy_timeout=5000")
    MIGRATIONS.apply(db)
    return db


def content_hash(row: dict, subscores: list[dict], series_key: str | None) -> str:
    """A hash of what the page says: its fields (the series by its key, not by this database's row id)
    and its sub-scores."""
    fields = {k: row.get(k) for k in REVIEW_COLUMNS if k != "series_id"} | {"series": series_key}
    payload = json.dumps([fields, subscores], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def ensure_outlet(db: sqlite_utils.Database, outlet: str, name: str | None) -> None:
    if db["outlets"].count_where("id = ?", [outlet]) == 0:
        db["outlets"].insert({"id": outlet, "name": name or outlet, "homepage": f"https://{outlet}/"})


def series_titles(db: sqlite_utils.Database) -> list[tuple[str, str]]:
    return [(key, title) for key, title in db.execute("select key, title from series")]


def ensure_series(db: sqlite_utils.Database, title: str, key: str) -> int:
    row = db.execute("select id from series where key = ?", [key]).fetchone()
    if row:
        return row[0]
    return db["series"].insert({"title": title, "key": key}).last_pk


def save_review(db: sqlite_utils.Database, item: dict, run_id: int | None = None) -> str:
    """Insert or update one review by its URL, in one transaction.

    Returns "new", "updated", "unchanged", or "kept" when the new version looks like a broken page (see
    `looks_broken`): the stored review stays and the reason lands in dropped_items."""
    seen = now_iso()
    with db.atomic():
        ensure_outlet(db, item["outlet"], item.get("outlet_name"))
        row = {column: item.get(column) for column in REVIEW_COLUMNS if column != "series_id"}
        provenance = {column: item[column] for column in PROVENANCE_COLUMNS if column in item}
        row["series_id"] = ensure_series(db, item["series"], item["series_key"]) if item.get("series_key") else None
        subscores = [
            {key: sub.get(key) for key in ("label", "score_text", "score_value", "score_best", "score")}
            for sub in item.get("subscores") or []
        ]
        row["content_hash"] = content_hash(row, subscores, item.get("series_key"))
        existing = db.execute("select * from reviews where url = ?", [row["url"]]).fetchone()
        if existing is None:
            db["reviews"].insert(row | provenance | {"first_seen": seen, "last_seen": seen, "last_changed": seen})
            save_subscores(db, row["url"], subscores)
            outcome = "new"
        else:
            existing = dict(zip([d[0] for d in db.execute("select * from reviews limit 0").description], existing))
            if existing["content_hash"] == row["content_hash"]:
                db["reviews"].update(row["url"], provenance | {"last_seen": seen})
                outcome = "unchanged"
            elif reason := looks_broken(existing, row):
                # A page that broke (markup, a half-served body) must not overwrite a good review.
                db["reviews"].update(row["url"], {"last_seen": seen})
                db["dropped_items"].insert({"run_id": run_id, "url": row["url"], "dropped_at": seen,
                                            "reason": f"{reason}: the stored review is kept"})
                outcome = "kept"
            else:
                db["reviews"].update(row["url"], row | provenance | {"last_seen": seen, "last_changed": seen})
                save_subscores(db, row["url"], subscores)
                record_changes(db, existing, row, run_id, seen)
                outcome = "updated"
        save_audience(db, row, item.get("audience") or [], seen)
        return outcome


def looks_broken(old: dict, new: dict) -> str | None:
    """Why a re-crawled version of a review looks like a broken page rather than an edit, if it does."""
    if old["score"] is not None and new["score"] is None:
        return f"re-crawled page lost its score ({old['score_text']!r})"
    if (old["word_count"] or 0) >= 100 and (new["word_count"] or 0) < 0.5 * old["word_count"]:
        return f"re-crawled page has {new['word_count']} words of text, was {old['word_count']}"
    return None


def record_changes(db: sqlite_utils.Database, old: dict, new: dict, run_id: int | None, seen: str) -> None:
    fields = [field for field in TRACKED_CHANGES if old[field] != new[field]]
    if fields:
        db["review_changes"].insert({
            "review": new["url"], "run_id": run_id, "changed_at": seen, "fields": ", ".join(fields),
            "old_score": old["score"], "new_score": new["score"],
            "old_values": json.dumps({f: old[f] for f in fields}, ensure_ascii=False),
            "new_values": json.dumps({f: new[f] for f in fields}, ensure_ascii=False),
        })


def save_subscores(db: sqlite_utils.Database, url: str, subscores: list[dict]) -> None:
    db.execute("delete from subscores where review = ?", [url])
    if subscores:
        db["subscores"].insert_all([{"review": url, **sub} for sub in subscores])


def save_audience(db: sqlite_utils.Database, row: dict, figures: list[dict], seen: str) -> None:
    """Audience figures of the page, upserted by (page, source); only the latest reading is kept."""
    for figure in figures:
        db.execute(
            """insert into audience_scores (review, series_id, season, episode, source, value, best, score, votes,
                                            seen_at)
               values (:review, :series_id, :season, :episode, :source, :value, :best, :score, :votes, :seen_at)
               on conflict (review, source) do update set value = excluded.value, best = excluded.best,
                 score = excluded.score, votes = excluded.votes, seen_at = excluded.seen_at,
                 series_id = excluded.series_id, season = excluded.season, episode = excluded.episode""",
            {"review": row["url"], "series_id": row["series_id"], "season": row["season"],
             "episode": row["episode_start"], "source": figure["source"], "value": figure.get("value"),
             "best": figure.get("best"), "score": figure.get("score"), "votes": figure.get("votes"),
             "seen_at": seen},
        )


def fill_episode_numbers(db: sqlite_utils.Database) -> int:
    """Reviews that name an episode by its title only ("English Dub Review: Show “A Red Thread”") take
    the season and number that other reviews of the same series give that title. Returns rows filled."""
    with db.atomic():
        cursor = db.execute(f"""
            update reviews set season = known.season, episode_start = known.episode, episode_end = known.episode,
                               last_changed = :now
            from (
              select series_id, {TITLE_KEY.format("episode_title")} as title, min(season) as season,
                     min(episode_start) as episode
              from reviews
              where kind = 'episode' and episode_start is not null and episode_title is not null
              group by series_id, title
              having count(distinct episode_start) = 1 and count(distinct season) = 1
            ) as known
            where reviews.kind = 'episode' and reviews.episode_start is null
              and reviews.series_id = known.series_id
              and {TITLE_KEY.format("reviews.episode_title")} = known.title
        """, {"now": now_iso()})
        return cursor.rowcount


# An episode title compared without case or curly apostrophes (char(8217) is ’, char(39) is ').
TITLE_KEY = "lower(trim(replace({}, char(8217), char(39))))"


def start_run(db: sqlite_utils.Database, spider: str) -> int:
    with db.atomic():
        return db["crawl_runs"].insert({"spider": spider, "started": now_iso(), "status": "running"}).last_pk


def previous_run(db: sqlite_utils.Database, spider: str, run_id: int) -> dict | None:
    """The spider's last completed run before this one."""
    rows = list(db.query(
        "select * from crawl_runs where spider = ? and id < ? and finished is not null order by id desc limit 1",
        [spider, run_id],
    ))
    return rows[0] if rows else None


def finish_run(db: sqlite_utils.Database, run_id: int, **figures) -> None:
    with db.atomic():
        db["crawl_runs"].update(run_id, {"finished": now_iso(), **figures})


def record_dropped(db: sqlite_utils.Database, run_id: int | None, url: str | None, reason: str,
                   field: str | None = None) -> None:
    with db.atomic():
        db["dropped_items"].insert({"run_id": run_id, "url": url, "reason": reason, "dropped_at": now_iso(),
                                    "field": field})
