"""m003: the consensus views (episode_reviews, episode_scores, series_scores, outlet_leniency) and full-text
search over headline, verdict and body."""

from __future__ import annotations

import sqlite_utils

from pipelines.store.migrations.registry import MIGRATIONS

# Frozen history: this migration writes the schema and SQL of its time and imports no live code.
# m006 replaces these views; their SQL lives here only. It shares lines with m001's view, m006's first refresh and
# the live refresh of pipelines/store/consensus.py: history, not a copy to keep in step.

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
