"""m006: the consensus views become tables of the same names and columns, filled once here and refreshed
after each spider's run by the live `refresh_consensus`."""

from __future__ import annotations

import sqlite_utils

from pipelines.store.migrations.registry import MIGRATIONS

# Frozen history: this migration writes the schema and SQL of its time and imports no live code.

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

# The first refresh, of every series: what the live `refresh_consensus(db)` ran at m006's time, frozen as one
# script. It repeats the live refresh SQL of pipelines/store/consensus.py on purpose (history, not a copy to keep
# in step): a later change to the live refresh must not change what m006 does to a database it upgrades.
FIRST_REFRESH_SQL = """create temp table if not exists _touched (series_id integer primary key);
delete from _touched;
insert into _touched select id from series;
delete from episode_scores where series_id in (select series_id from _touched);
delete from series_scores where series_id in (select series_id from _touched);
delete from _leniency_parts where series_id in (select series_id from _touched);
insert or ignore into episode_numbers
with recursive last(n) as (select coalesce(max(episode_end), 0) from reviews
                           where series_id in (select series_id from _touched)),
k(n) as (select 10001 union all select n + 1 from k where n < (select n from last))
select n from k where n <= (select n from last);
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
group by e.series_id, e.season, e.episode;
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
left join season_side on season_side.series_id = keys.series_id and season_side.season is keys.season;
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
group by e.series_id, e.outlet;
delete from outlet_leniency;
insert into outlet_leniency
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
    for statement in (CONSENSUS_TABLES_SQL + FIRST_REFRESH_SQL).split(";\n"):
        if statement.strip():
            db.execute(statement)
