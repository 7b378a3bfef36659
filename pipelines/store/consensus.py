"""The critics' consensus, materialised: episode_scores, series_scores and outlet_leniency are tables (migration
m006: as views they took seconds at 50k reviews and timed out at 1M), refreshed by `refresh_consensus` after each
spider's run for the series it stored new or changed reviews of (`changed_series`). Also `fill_episode_numbers`,
which gives reviews named by an episode's title only the number other reviews give that title."""

from __future__ import annotations

from collections.abc import Iterable

import sqlite_utils

from pipelines.store.clock import now_iso
from pipelines.kinds import WHOLE_KINDS, Kind, sql_list, sql_literal

# episode_numbers must reach the last episode any review covers (10,000 from the start, by m006).
EPISODE_NUMBERS_EXTEND_SQL = """insert or ignore into episode_numbers
with recursive last(n) as (select coalesce(max(episode_end), 0) from reviews
                           where series_id in (select series_id from _touched)),
k(n) as (select 10001 union all select n + 1 from k where n < (select n from last))
select n from k where n <= (select n from last)
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

SERIES_SCORES_REFRESH_SQL = f"""insert into series_scores
with episode_side as (
  select series_id, season, count(*) as reviewed_episodes, sum(reviews) as episode_reviews,
         round(avg(mean_score), 2) as mean_of_episode_means
  from episode_scores where series_id in (select series_id from _touched) group by series_id, season
),
season_side as (
  select series_id, case when kind = {sql_literal(Kind.SEASON)} then season end as season, count(*) as season_reviews,
         round(avg(score), 2) as season_review_mean
  from reviews where kind in {sql_list(WHOLE_KINDS)} and series_id in (select series_id from _touched)
  group by series_id, case when kind = {sql_literal(Kind.SEASON)} then season end
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

# What a refresh rebuilds, per touched series (outlet_leniency is summed again from all the parts).
CONSENSUS_TABLES = ("episode_scores", "series_scores", "_leniency_parts")


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
        for table in CONSENSUS_TABLES:
            db.execute(f"delete from {table} where series_id in (select series_id from _touched)")
        db.execute(EPISODE_NUMBERS_EXTEND_SQL)
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


# An episode title compared without case or curly apostrophes (char(8217) is ’, char(39) is ').
TITLE_KEY = "lower(trim(replace({}, char(8217), char(39))))"
EPISODE = sql_literal(Kind.EPISODE)


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
              where kind = {EPISODE} and episode_start is not null and episode_title is not null
              group by series_id, title
              having count(distinct episode_start) = 1 and count(distinct season) = 1
            ) as known
            where reviews.kind = {EPISODE} and reviews.episode_start is null
              and reviews.series_id = known.series_id
              and {TITLE_KEY.format("reviews.episode_title")} = known.title
        """, {"now": now_iso()})
        return cursor.rowcount
