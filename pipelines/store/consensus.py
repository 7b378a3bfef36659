"""The critics' consensus, materialised: episode_scores, series_scores and outlet_leniency are tables (migration
m006: as views they took seconds at 50k reviews and timed out at 1M), refreshed by `refresh_consensus` after each
spider's run for the series it stored new or changed reviews of (`changed_series`). Also `fill_episode_numbers`,
which gives reviews named by an episode's title only the number other reviews give that title.

One vote per outlet (migration m009): an outlet's reviews of one episode (its sub and dub versions, a repeat, a
multi-episode review that covers it) are one vote, scored with the mean of their scores (a review without a score
adds nothing to the mean; a vote none of whose reviews has a score is unscored). The mean, not "the original
version": an outlet that reviewed only the dub keeps its vote, and no version is preferred on the word of a
headline. The view `outlet_episode_votes`
holds the votes; episode_scores' `reviews` counts them (the outlets), `scored_reviews` the scored ones, and every
figure (mean, median, spread, stdev, positive share) is taken over them; `review_count` keeps the number of reviews.
outlet_leniency compares an outlet's votes with the other outlets' votes. Whole-season and whole-series reviews
follow the same rule per outlet and (series, season) in series_scores (`season_reviews` counts outlets,
`season_review_count` reviews), and a whole-series review counts for the show's only season where its reviews name
exactly one season (otherwise it stays on the row of no season)."""

from __future__ import annotations

from collections.abc import Iterable

import sqlite_utils

from pipelines.store.clock import now_iso
from pipelines.kinds import WHOLE_KINDS, Kind, sql_list, sql_literal

# Each statement below rebuilds the series `{touched}` names: EVERY_SERIES, or a chunk of ids bound as numbered
# parameters (`series_id in (?1, ?2)`). A bound list, not a subquery: SQLite pushes it into the grouped view
# outlet_episode_votes (it would group every series' votes for `in (select ...)`).
EVERY_SERIES = "true"
CHUNK = 500  # ids per statement, far below SQLite's limit on bound parameters

# episode_numbers must reach the last episode any review covers (10,000 from the start, by m006).
EPISODE_NUMBERS_EXTEND_SQL = """insert or ignore into episode_numbers
with recursive last(n) as (select coalesce(max(episode_end), 0) from reviews
                           where series_id is not null and {touched}),
k(n) as (select 10001 union all select n + 1 from k where n < (select n from last))
select n from k where n <= (select n from last)
"""

# The votes of each episode, scored ones first by score: the median is the middle one (or the mean of the two).
EPISODE_SCORES_REFRESH_SQL = """insert into episode_scores (series, season, episode, reviews, review_count,
  scored_reviews, mean_score, median_score, min_score, max_score, spread, stdev, positive_share, outlets, series_id)
with votes as (
  select series_id, season, episode, outlet, reviews, score,
         row_number() over episode_by_score as position, count(score) over (partition by series_id, season, episode)
           as scored
  from outlet_episode_votes where {touched}
  window episode_by_score as (partition by series_id, season, episode order by score nulls last)
)
select
  series.title, votes.season, votes.episode, count(*), sum(votes.reviews), count(votes.score),
  round(avg(votes.score), 2),
  round(avg(case when votes.position in ((votes.scored + 1) / 2, (votes.scored + 2) / 2) then votes.score end), 2),
  min(votes.score), max(votes.score), round(max(votes.score) - min(votes.score), 2),
  round(sqrt(max(avg(votes.score * votes.score) - avg(votes.score) * avg(votes.score), 0)), 2),
  round(1.0 * sum(votes.score >= 6) / count(votes.score), 2), group_concat(distinct outlets.name), votes.series_id
from votes
join series on series.id = votes.series_id
join outlets on outlets.id = votes.outlet
group by votes.series_id, votes.season, votes.episode
"""

SERIES_SCORES_REFRESH_SQL = f"""insert into series_scores (series, season, reviewed_episodes, episode_reviews,
  episode_review_count, mean_of_episode_means, season_reviews, season_review_count, season_review_mean, series_id,
  catalogue_id, mal_id, anilist_id, anidb_id)
with episode_side as (
  select series_id, season, count(*) as reviewed_episodes, sum(reviews) as votes, sum(review_count) as review_count,
         round(avg(mean_score), 2) as mean_of_episode_means
  from episode_scores where {{touched}} group by series_id, season
),
only_season as (
  select series_id, case when min(season) = max(season) then min(season) end as season
  from (select series_id, season from episode_side
        union all select series_id, season from reviews where {{touched}} and kind = {sql_literal(Kind.SEASON)})
  where season is not null group by series_id
),
whole as (
  select whole.series_id, case when whole.kind = {sql_literal(Kind.SEASON)} then whole.season
                               else only_season.season end as season, whole.outlet, whole.score
  from (select series_id, kind, season, outlet, score from reviews
        where {{touched}} and kind in {sql_list(WHOLE_KINDS)}) as whole
  left join only_season on only_season.series_id = whole.series_id
),
outlet_votes as (
  select series_id, season, count(*) as reviews, avg(score) as score from whole group by series_id, season, outlet
),
season_side as (
  select series_id, season, count(*) as votes, sum(reviews) as review_count, round(avg(score), 2) as mean
  from outlet_votes group by series_id, season
),
-- One row per series and season (no season too) from either side: summed, not joined on `season is season`
-- (SQLite scans the whole other side for each row of such a join).
sides as (
  select series_id, season, reviewed_episodes, votes as episode_votes, review_count as episode_review_count,
         mean_of_episode_means, 0 as season_votes, 0 as season_review_count, null as season_review_mean
  from episode_side
  union all
  select series_id, season, 0, 0, 0, null, votes, review_count, mean from season_side
)
select series.title, sides.season, sum(reviewed_episodes), sum(episode_votes), sum(episode_review_count),
       max(mean_of_episode_means), sum(season_votes), sum(season_review_count), max(season_review_mean),
       sides.series_id,
       -- The catalogue's ids (issue 18): the season's own entry where the catalogue lists it apart, else the show's.
       coalesce(season_entry.id, show_entry.id), coalesce(season_entry.mal_id, show_entry.mal_id),
       coalesce(season_entry.anilist_id, show_entry.anilist_id), coalesce(season_entry.anidb_id, show_entry.anidb_id)
from sides
join series on series.id = sides.series_id
left join series_links on series_links.series_key = series.key
left join catalogue show_entry on show_entry.id = series_links.catalogue_id
left join catalogue season_entry on season_entry.show_id = series_links.catalogue_id
  and season_entry.season = sides.season and season_entry.part = 1
group by sides.series_id, sides.season
"""

# Leave-one-out needs each episode's exact total, so outlet_leniency is summed from per-series parts (one row per
# series and outlet: episodes compared, sum of the outlet's votes, sum of the other outlets' means): a refresh
# recomputes the touched series' parts only.
LENIENCY_PARTS_REFRESH_SQL = """insert into _leniency_parts (series_id, outlet, compared, outlet_sum, others_sum)
with votes as (
  select series_id, outlet, score, sum(score) over episode as total, count(*) over episode as scored
  from outlet_episode_votes where {touched} and score is not null
  window episode as (partition by series_id, season, episode)
)
select series_id, outlet, count(*), sum(score), sum((total - score) / (scored - 1))
from votes where scored > 1
group by series_id, outlet
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
REFRESH_STATEMENTS = (EPISODE_NUMBERS_EXTEND_SQL, EPISODE_SCORES_REFRESH_SQL, SERIES_SCORES_REFRESH_SQL,
                      LENIENCY_PARTS_REFRESH_SQL)


def refresh_consensus(db: sqlite_utils.Database, series_ids: Iterable[int] | None = None) -> None:
    """Rebuild the consensus rows of these series (every series when None), and outlet_leniency, in one
    transaction: Datasette (reading in WAL mode) sees the old rows or the new, never a half."""
    with db.atomic():
        if series_ids is None:
            rebuild_series(db, EVERY_SERIES, [])
        else:
            ids = sorted(set(series_ids))
            for chunk in (ids[start:start + CHUNK] for start in range(0, len(ids), CHUNK)):
                marks = ", ".join(f"?{n}" for n in range(1, len(chunk) + 1))
                rebuild_series(db, f"series_id in ({marks})", chunk)
        db.execute("delete from outlet_leniency")
        db.execute(OUTLET_LENIENCY_REFRESH_SQL)


def rebuild_series(db: sqlite_utils.Database, touched: str, params: list[int]) -> None:
    """Delete and compute again the consensus rows of the series `touched` names (with `params` bound)."""
    for table in CONSENSUS_TABLES:
        db.execute(f"delete from {table} where {touched}", params)
    for statement in REFRESH_STATEMENTS:
        db.execute(statement.format(touched=touched), params)


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
