"""PROPOSAL, prototyped by bench/queries.py: the consensus views materialised as tables, refreshed by the store.

Meant for pipelines/store.py (a new migration and `refresh_consensus`), and for data/metadata.yml (two canned
queries rewritten). Nothing here is imported by the project; bench/queries.py applies it to a copy of its
synthetic database and measures it against the plain views.

- `episode_scores`, `series_scores` and `outlet_leniency` become tables with the same names and columns as
  today's views (so Datasette pages, facets, metadata, dashboards and canned queries keep working), with indexes
  for what is asked of them: a show's episodes, the biggest spreads, facets by series and season.
- `episode_reviews` stays a view, but joins a table of episode numbers instead of a recursive CTE: the CTE is
  computed again for every read and joined by a scan (1M reviews x ~1,100 numbers when a long-running show is in
  the database: 25 s at 50k reviews), the table by its primary key (29 ms for the same count), and a filter on
  series_id now reaches the reviews' (series_id, kind, season) index.
- `refresh_consensus(db, series_ids)` rebuilds the rows of the given series (all when None) in one
  transaction, then `outlet_leniency` (a handful of rows) from per-series parts kept in `_leniency_parts`. The store pipeline calls it when
  a spider closes, with the series of the reviews that run stored new or changed.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlite_utils

# The tables, with the views' columns in the views' order.
CONSENSUS_TABLES_SQL = """
create table if not exists episode_numbers (n integer primary key);
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

# Leave-one-out needs each episode's exact total, so outlet_leniency is summed from per-series parts (one row per
# series and outlet: episodes compared, sum of the outlet's scores, sum of the other outlets' means). A refresh
# recomputes the parts of the touched series only, then sums ~(series x outlets) rows: the same figures as
# today's view (sums divided once), without reading every episode review of the database each time.
LENIENCY_PARTS_REFRESH_SQL = """
insert into _leniency_parts
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

OUTLET_LENIENCY_REFRESH_SQL = """
insert into outlet_leniency
select outlets.name, parts.outlet, sum(compared), round(sum(outlet_sum) / sum(compared), 2),
       round(sum(others_sum) / sum(compared), 2), round((sum(outlet_sum) - sum(others_sum)) / sum(compared), 2)
from _leniency_parts parts
join outlets on outlets.id = parts.outlet
group by parts.outlet
order by 6 desc
"""


def create_consensus_tables(db: sqlite_utils.Database) -> None:
    """The migration's body (after the existing ones): tables for the views, filled once."""
    # Statement by statement: executescript() would commit the migration's transaction.
    for statement in CONSENSUS_TABLES_SQL.split(";\n"):
        if statement.strip():
            db.execute(statement)
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
            db.execute("delete from _leniency_parts")
        else:
            db.conn.executemany("insert or ignore into _touched values (?)", [(i,) for i in series_ids])
            db.execute("delete from episode_scores where series_id in (select series_id from _touched)")
            db.execute("delete from series_scores where series_id in (select series_id from _touched)")
            db.execute("delete from _leniency_parts where series_id in (select series_id from _touched)")
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


# data/metadata.yml: the two canned queries whose plain SQL cannot use an index at 1M reviews.
# Two branches, each fast with its own index: all reviews newest first (reviews' published index), or one show's
# (its reviews by the (series_id, kind, season) index, then sorted; "cross join" makes SQLite find the show first,
# not walk the published index). "where :series = ''" uses no column, so SQLite tests it once and skips the branch that does not apply.
# The plain OR reads the whole published index, newest first, until it has 50 reviews of the show.
LATEST_REVIEWS_COLUMNS = """reviews.url as atom_id,
         reviews.headline as atom_title,
         coalesce(reviews.updated, reviews.published) as atom_updated,
         reviews.url as atom_link,
         outlets.name || ' · ' || coalesce(series.title, '') ||
           coalesce(' · score ' || reviews.score || '/10', '') ||
           coalesce(' — ' || reviews.verdict, '') as atom_content,
         reviews.author as atom_author_name,
         series.title as series, outlets.name as outlet, reviews.score, reviews.published"""
LATEST_REVIEWS_SQL = f"""select * from (
  select {LATEST_REVIEWS_COLUMNS}
  from reviews
  join outlets on outlets.id = reviews.outlet
  left join series on series.id = reviews.series_id
  where :series = ''
  order by reviews.published desc, reviews.url
  limit 50
)
union all
select * from (
  select {LATEST_REVIEWS_COLUMNS}
  from series
  cross join reviews on reviews.series_id = series.id
  join outlets on outlets.id = reviews.outlet
  where :series != '' and series.title = :series
  order by reviews.published desc, reviews.url
  limit 50
)"""

# FTS5 computes bm25 for every matching review before it can sort by rank: a common word matching 190,000 of 1M
# reviews costs ~0.3 s in SQLite and ~1 s through Datasette. The search ranks the 5,000 most recently stored
# matches (by rowid: FTS5 walks its doclist backwards and stops) instead: a word matching fewer reviews gives
# exactly today's results, a common word the most relevant among the latest 5,000 (the rowid range constraint is
# passed to FTS5, so only those are scored).
SEARCH_REVIEWS_SQL = """with hits as (
  select rowid, rank, snippet(reviews_fts, -1, '⟦', '⟧', '…', 24) as snippet
  from reviews_fts
  where reviews_fts match :q
    and rowid >= (select min(rowid) from (select rowid from reviews_fts where reviews_fts match :q
                                           order by rowid desc limit 5000))
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
