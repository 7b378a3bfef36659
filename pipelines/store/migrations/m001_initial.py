"""m001: outlets, series, reviews, crawl runs, review changes, dropped items, the episode_scores view."""

from __future__ import annotations

import sqlite_utils

from pipelines.store.migrations.registry import MIGRATIONS

# Frozen history: this migration writes the schema and SQL of its time and imports no live code.
# Its view SQL shares lines with m003's views (history, not a copy to keep in step).

# The columns of `reviews` at m001: the live REVIEW_COLUMNS | BOOKKEEPING_COLUMNS of that time, frozen.
REVIEWS_COLUMNS = {
    "url": str, "outlet": str, "headline": str, "author": str, "published": str, "updated": str, "series_id": int,
    "season": int, "episode_start": int, "episode_end": int, "episode_title": str, "kind": str, "version": str,
    "score_text": str, "score_value": float, "score_best": float, "score": float, "verdict": str, "body_text": str,
    "word_count": int, "content_hash": str, "first_seen": str, "last_seen": str, "last_changed": str,
}

# The first episode_scores view (replaced by m003's).
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
        REVIEWS_COLUMNS,
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
