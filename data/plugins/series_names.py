"""Show names as people type them: `series_key(text)` in SQL, and a link to the show page wherever a row names a show.

Outlets and visitors spell one show many ways ("Twilight Out of Focus", "Tasogare Out Focus"). The crawl stores each
show once, under `series.key`: the title folded by `pipelines.series.series_key` (case, accents, punctuation, season
markers) and mapped through the alias file to the canonical title's key. The same two steps here let every lookup
(the show page, the canned queries, the dashboards, the Atom feed) compare `series.key = series_key(:series)`.

The alias file is the crawl's: $SERIES_ALIASES, else series_aliases.yml in Datasette's configuration directory (data/).
"""

from __future__ import annotations

import logging
import os
import urllib.parse
from functools import lru_cache
from pathlib import Path

from datasette import hookimpl
from markupsafe import Markup, escape

from pipelines.series import load_aliases, series_key

log = logging.getLogger(__name__)

MAX_NAME_CHARS = 300  # a show's name is short; anything longer is cut before folding (folding loops over it)


@lru_cache(maxsize=8)
def aliases_at(path: str) -> dict[str, str]:
    """{alias key: canonical key} of one alias file (read once per Datasette process)."""
    if not Path(path).is_file():
        log.warning("series aliases: %s not found; show names are matched by their folded spelling only", path)
        return {}
    return {alias: series_key(canonical) for alias, canonical in load_aliases(path).items()}


def aliases_path(datasette) -> str:
    config_dir = getattr(datasette, "config_dir", None) if datasette is not None else None
    default = Path(config_dir) if config_dir else Path(__file__).resolve().parent.parent
    return os.environ.get("SERIES_ALIASES") or str(default / "series_aliases.yml")


def show_key(name, aliases: dict[str, str]) -> str | None:
    """The series key a visitor's name for a show stands for ('' when it has no letters or digits)."""
    if name is None:
        return None
    key = series_key(str(name)[:MAX_NAME_CHARS])
    return aliases.get(key, key)


def show_path(key: str) -> str:
    """/show/<slug>: the key with dashes for spaces (series_key never keeps a dash), URL-quoted."""
    return "/show/" + urllib.parse.quote(key.replace(" ", "-"), safe="")


def show_link(datasette, title: str, aliases: dict[str, str]) -> Markup | None:
    key = show_key(title, aliases)
    if not key:
        return None
    href = datasette.urls.path(show_path(key))
    return Markup(f'<a class="show-link" href="{escape(href)}">{escape(title)}</a>')


async def series_link(datasette, database: str, series_id: int, aliases: dict[str, str]) -> Markup | None:
    rows = await datasette.get_database(database).execute("select title from series where id = ?", [series_id])
    row = rows.first()
    return show_link(datasette, row["title"], aliases) if row and row["title"] else None


@hookimpl
def prepare_connection(conn, datasette):
    aliases = aliases_at(aliases_path(datasette))
    conn.create_function("series_key", 1, lambda name: show_key(name, aliases), deterministic=True)


@hookimpl
def render_cell(value, column, table, database, datasette):
    """A show's name links to its show page: `series` columns (titles), `series_id` foreign keys (shown by
    their label, the title, or looked up on a row page) and the series table's own titles."""
    if database != "reviews":
        return None
    aliases = aliases_at(aliases_path(datasette))
    if column == "series" and isinstance(value, str) and value:
        return show_link(datasette, value, aliases)
    if column == "series_id" and isinstance(value, dict) and value.get("label"):
        return show_link(datasette, str(value["label"]), aliases)
    if column == "series_id" and isinstance(value, int):  # a row page: the id alone, its title looked up
        return series_link(datasette, database, value, aliases)
    if table == "series" and column == "title" and isinstance(value, str) and value:
        return show_link(datasette, value, aliases)
    return None
