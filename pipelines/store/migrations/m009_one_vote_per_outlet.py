"""m009: consensus counts one vote per outlet per episode (issue 17): the view outlet_episode_votes; episode_scores
and series_scores made again with the review counts beside the votes; every consensus table filled again once."""

from __future__ import annotations

import sqlite_utils

from pipelines.store.migrations.registry import MIGRATIONS

# Frozen history: this migration writes the schema and SQL of its time and imports no live code.

# An outlet's sub and dub reviews of an episode counted as two critics (Dan Da Dan S1E7: 9 reviews from 8 outlets).
# Now an outlet's reviews of one episode are one vote, scored with the mean of their scores; `reviews` and
# `scored_reviews` count votes (outlets), `review_count` / `episode_review_count` / `season_review_count` reviews.
SCHEMA_SQL = """drop view if exists outlet_episode_votes;
create view outlet_episode_votes as
-- One vote per outlet per episode: the outlet's reviews of it (sub and dub versions, repeats, a multi-episode review
-- covering it) count once, with the mean of their scores.
select series_id, season, episode, outlet, count(*) as reviews, count(score) as scored_reviews, avg(score) as score
from episode_reviews
group by series_id, season, episode, outlet;
drop table if exists episode_scores;
create table episode_scores (
  series text, season integer, episode integer, reviews integer, review_count integer, scored_reviews integer,
  mean_score real, median_score real, min_score real, max_score real, spread real, stdev real, positive_share real,
  outlets text, series_id integer references series(id),
  primary key (series_id, season, episode)
);
create index episode_scores_series on episode_scores (series, season, episode);
create index episode_scores_season on episode_scores (season);
create index episode_scores_spread on episode_scores (spread desc, scored_reviews desc, series, season, episode)
  where scored_reviews >= 2;
drop table if exists series_scores;
create table series_scores (
  series text, season integer, reviewed_episodes integer, episode_reviews integer, episode_review_count integer,
  mean_of_episode_means real, season_reviews integer, season_review_count integer, season_review_mean real,
  series_id integer references series(id)
);
create index series_scores_series on series_scores (series, season);
create index series_scores_series_id on series_scores (series_id, season);
delete from _leniency_parts;
delete from outlet_leniency;
"""

# The first refresh, of every series: what the live `refresh_consensus(db)` ran at m009's time, frozen as one script
# (history, not a copy to keep in step with pipelines/store/consensus.py).
FIRST_REFRESH_SQL = """insert or ignore into episode_numbers
with recursive last(n) as (select coalesce(max(episode_end), 0) from reviews where series_id is not null),
k(n) as (select 10001 union all select n + 1 from k where n < (select n from last))
select n from k where n <= (select n from last);
insert into episode_scores (series, season, episode, reviews, review_count,
  scored_reviews, mean_score, median_score, min_score, max_score, spread, stdev, positive_share, outlets, series_id)
with votes as (
  select series_id, season, episode, outlet, reviews, score,
         row_number() over episode_by_score as position, count(score) over (partition by series_id, season, episode)
           as scored
  from outlet_episode_votes
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
group by votes.series_id, votes.season, votes.episode;
insert into series_scores (series, season, reviewed_episodes, episode_reviews,
  episode_review_count, mean_of_episode_means, season_reviews, season_review_count, season_review_mean, series_id)
with episode_side as (
  select series_id, season, count(*) as reviewed_episodes, sum(reviews) as votes, sum(review_count) as review_count,
         round(avg(mean_score), 2) as mean_of_episode_means
  from episode_scores group by series_id, season
),
only_season as (
  select series_id, case when min(season) = max(season) then min(season) end as season
  from (select series_id, season from episode_side
        union all select series_id, season from reviews where kind = 'season')
  where season is not null group by series_id
),
whole as (
  select whole.series_id, case when whole.kind = 'season' then whole.season
                               else only_season.season end as season, whole.outlet, whole.score
  from (select series_id, kind, season, outlet, score from reviews where kind in ('season', 'series')) as whole
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
       sides.series_id
from sides
join series on series.id = sides.series_id
group by sides.series_id, sides.season;
insert into _leniency_parts (series_id, outlet, compared, outlet_sum, others_sum)
with votes as (
  select series_id, outlet, score, sum(score) over episode as total, count(*) over episode as scored
  from outlet_episode_votes where score is not null
  window episode as (partition by series_id, season, episode)
)
select series_id, outlet, count(*), sum(score), sum((total - score) / (scored - 1))
from votes where scored > 1
group by series_id, outlet;
insert into outlet_leniency
select outlets.name, parts.outlet, sum(compared), round(sum(outlet_sum) / sum(compared), 2),
       round(sum(others_sum) / sum(compared), 2), round((sum(outlet_sum) - sum(others_sum)) / sum(compared), 2)
from _leniency_parts parts
join outlets on outlets.id = parts.outlet
group by parts.outlet
order by 6 desc
"""


@MIGRATIONS()
def m009_one_vote_per_outlet(db: sqlite_utils.Database) -> None:
    # Statement by statement: executescript() would commit the migration's transaction.
    for statement in (SCHEMA_SQL + FIRST_REFRESH_SQL).split(";\n"):
        if statement.strip():
            db.execute(statement)
