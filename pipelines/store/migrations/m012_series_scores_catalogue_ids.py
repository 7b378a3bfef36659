"""m012: series_scores carries each row's catalogue ids (the season's own entry where the catalogue lists the season
apart, else the show's), so that SQL users can join the consensus with other datasets by MyAnimeList, AniList or
AniDB id (issue 18)."""

from __future__ import annotations

import sqlite_utils

from pipelines.store.migrations.registry import MIGRATIONS

# Frozen history: this migration writes the schema and SQL of its time and imports no live code.

STATEMENTS = (
    "alter table series_scores add column catalogue_id text",
    "alter table series_scores add column mal_id integer",
    "alter table series_scores add column anilist_id integer",
    "alter table series_scores add column anidb_id integer",
    # The rows already there: what the live refresh now writes for them.
    """update series_scores set (catalogue_id, mal_id, anilist_id, anidb_id) = (
         select coalesce(season_entry.id, show_entry.id), coalesce(season_entry.mal_id, show_entry.mal_id),
                coalesce(season_entry.anilist_id, show_entry.anilist_id),
                coalesce(season_entry.anidb_id, show_entry.anidb_id)
         from series
         join series_links on series_links.series_key = series.key
         join catalogue show_entry on show_entry.id = series_links.catalogue_id
         left join catalogue season_entry on season_entry.show_id = series_links.catalogue_id
           and season_entry.season = series_scores.season and season_entry.part = 1
         where series.id = series_scores.series_id)""",
    "create index series_scores_mal on series_scores (mal_id)",
    "create index series_scores_anilist on series_scores (anilist_id)",
)


@MIGRATIONS()
def m012_series_scores_catalogue_ids(db: sqlite_utils.Database) -> None:
    for statement in STATEMENTS:
        db.execute(statement)
