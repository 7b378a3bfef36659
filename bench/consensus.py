"""PROPOSAL, prototyped by bench/queries.py: the consensus views materialised as tables, refreshed by the store.

Meant for pipelines/store.py (a new migration and `refresh_consensus`), and for data/metadata.yml (two canned
queries rewritten). Nothing here is imported by the project; bench/queries.py applies it to a copy of its
synthetic database and measures it against the plain views.

- `episode_scores`, `series_scores` and `outlet_leniency` become tables with the same names and columns as
  today's views (so Datasette pages, facets, metadata, dashboards and canned queries keep working), with indexes
  for what is asked of them: a show's episodes, the biggest spreads, facets by series and season.
- `episode_reviews` stays a view: filtered by series it is fast (reviews' (series_id, season, episode_start)
  index), and the refresh reads it.
- `refresh_consensus(db, series_ids)` rebuilds the rows of the given series (all when None) in one
  transaction, then `outlet_leniency` (a handful of rows, over all episodes). The store pipeline calls it when
  a spider closes, with the series of the reviews that run stored new or changed.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlite_utils

# The tables, with the views' columns in the views' order.
CONSENSUS_TABLES_SQL = """
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
"""

# Rows of the touched series (temp table _touched) for each table: today's view SQL with the series filter
# pushed into its innermost reads, so a refresh of a few series reads only their reviews.
EPISODE_SCORES_REFRESH_SQL = """
insert into episode_scores
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

SERIES_SCORES_REFRESH_SQL = """
insert into series_scores
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

# Over every episode: leave-one-out needs each episode's exact total, read once per scored episode review.
OUTLET_LENIENCY_REFRESH_SQL = """
insert into outlet_leniency
with per_episode as (
  select series_id, season, episode, sum(score) as total, count(score) as scored
  from episode_reviews where score is not null group by series_id, season, episode
)
select outlets.name, e.outlet, count(*), round(avg(e.score), 2),
       round(avg((p.total - e.score) / (p.scored - 1)), 2),
       round(avg(e.score - (p.total - e.score) / (p.scored - 1)), 2)
from episode_reviews e
join per_episode p on p.series_id = e.series_id and p.season = e.season and p.episode = e.episode
join outlets on outlets.id = e.outlet
where e.score is not null and p.scored > 1
group by e.outlet
order by 6 desc
"""


def create_consensus_tables(db: sqlite_utils.Database) -> None:
    """The migration's body (after the existing ones): tables for the views, filled once."""
    db.conn.executescript(CONSENSUS_TABLES_SQL)
    refresh_consensus(db)


def refresh_consensus(db: sqlite_utils.Database, series_ids: Iterable[int] | None = None) -> None:
    """Rebuild the consensus rows of these series (every series when None), and outlet_leniency, in one
    transaction: Datasette (reading in WAL mode) sees the old rows or the new, never a half."""
    with db.atomic():
        db.execute("create temp table if not exists _touched (series_id integer primary key)")
        db.execute("delete from _touched")
        if series_ids is None:
            db.execute("insert into _touched select id from series")
            db.execute("delete from episode_scores")
            db.execute("delete from series_scores")
        else:
            db.conn.executemany("insert or ignore into _touched values (?)", [(i,) for i in series_ids])
            db.execute("delete from episode_scores where series_id in (select series_id from _touched)")
            db.execute("delete from series_scores where series_id in (select series_id from _touched)")
        db.execute(EPISODE_SCORES_REFRESH_SQL)
        db.execute(SERIES_SCORES_REFRESH_SQL)
        db.execute("delete from outlet_leniency")
        db.execute(OUTLET_LENIENCY_REFRESH_SQL)


# data/metadata.yml: the two canned queries whose plain SQL cannot use an index at 1M reviews.
LATEST_REVIEWS_SQL = """select reviews.url as atom_id,
       reviews.headline as atom_title,
       coalesce(reviews.updated, reviews.published) as atom_updated,
       reviews.url as atom_link,
       outlets.name || ' · ' || coalesce(series.title, '') ||
         coalesce(' · score ' || reviews.score || '/10', '') ||
         coalesce(' — ' || reviews.verdict, '') as atom_content,
       reviews.author as atom_author_name,
       series.title as series, outlets.name as outlet, reviews.score, reviews.published
from reviews
join outlets on outlets.id = reviews.outlet
left join series on series.id = reviews.series_id
where :series = ''
   or reviews.series_id in (select id from series where title = :series)
order by reviews.published desc, reviews.url
limit 50"""

SEARCH_REVIEWS_SQL = """with hits as (
  select rowid, rank, snippet(reviews_fts, -1, '⟦', '⟧', '…', 24) as snippet
  from reviews_fts where reviews_fts match :q
  order by rank
  limit 50
)
select reviews.headline, series.title as series, outlets.name as outlet, reviews.score,
       hits.snippet, reviews.url
from hits
join reviews on reviews.rowid = hits.rowid
join outlets on outlets.id = reviews.outlet
left join series on series.id = reviews.series_id
order by hits.rank"""
