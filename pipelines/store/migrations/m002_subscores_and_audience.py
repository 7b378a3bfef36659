"""m002: sub-scores of a review, and the audience figures shown on review pages."""

from __future__ import annotations

import sqlite_utils

from pipelines.store.migrations.registry import MIGRATIONS

# Frozen history: this migration writes the schema and SQL of its time and imports no live code.


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
