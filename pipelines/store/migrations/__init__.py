"""The schema's history: sqlite-utils migrations, applied in order by `open_db`.

Each migration is a module that writes the literal schema and SQL of its time and never imports live code
(REVIEW_COLUMNS, the consensus refresh, the kinds): editing today's code must never change what an old migration
does to a fresh database or to one it upgrades. So a migration is never edited once applied, and it may repeat
live SQL as history. A schema change is a new module of this package, named last in NAMES.
"""

from importlib import import_module

from pipelines.store.migrations.registry import MIGRATIONS

# The migrations, oldest first: importing a module registers its migration, so this is the order they apply in.
NAMES = (
    "m001_initial",
    "m002_subscores_and_audience",
    "m003_consensus_views_and_search",
    "m004_run_health",
    "m005_faults_and_dropped_fields",
    "m006_materialised_consensus",
    "m007_series_source",
    "m008_catalogue",
    "m009_one_vote_per_outlet",
    "m010_partial_runs",
    "m011_dirty_series",
    "m012_series_scores_catalogue_ids",
)
MODULES = tuple(import_module(f"{__name__}.{name}") for name in NAMES)

__all__ = ["MIGRATIONS", "MODULES", "NAMES"]
