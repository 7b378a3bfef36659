"""m008: the bangumi-data catalogue table and each series' link to one entry (issue 18)."""

from __future__ import annotations

import sqlite_utils

from pipelines.store.migrations.registry import MIGRATIONS

# Frozen history: this migration writes the schema and SQL of its time and imports no live code.

CATALOGUE_SQL = """
-- One row per bangumi-data entry (CC BY 4.0, https://github.com/bangumi-data/bangumi-data), trimmed to the fields
-- used. An entry missing from a newer file keeps its row (last_seen tells when it was last listed).
create table catalogue (
  id text primary key,          -- 'bgm:<Bangumi subject id>', else 'h:<hash of title and begin>'
  title text not null,          -- the original title (Japanese for all but a few dozen entries; see lang)
  lang text,
  title_en text,                -- the first English title, if any
  titles_en text,               -- every English title, a JSON array
  title_romaji text,            -- the original title romanised (Hepburn), for matching romaji spellings
  type text,                    -- tv, movie, ova, web
  begin text,                   -- first broadcast / release, a date in Japan's time zone
  "end" text,
  year integer,                 -- the airing season's year
  airing_season text,           -- 'Fall 2024'
  mal_id integer, anilist_id integer, anidb_id integer,
  mal_url text, anilist_url text, anidb_url text,
  show_id text,                 -- the show's first entry: later seasons and cours point to it
  season integer,               -- season number within the show (null for films and specials)
  part integer,                 -- 1 for a season's first entry, 2 for its second cour, ...
  first_seen text, last_seen text
);
create index catalogue_show on catalogue (show_id, season, part);
create index catalogue_mal on catalogue (mal_id);
create index catalogue_anilist on catalogue (anilist_id);
create index catalogue_airing on catalogue (airing_season);

-- Each load of a catalogue file: where from, when, what changed.
create table catalogue_loads (
  id integer primary key, source text, loaded_at text, entries integer, new integer, updated integer,
  unlisted integer
);

-- Each series' link, by the series' key (a crawl links a series before its row is written): the show's first
-- entry, or null when no entry fits or two fit equally. method: title (exact Japanese or English title), alias
-- (a name of data/series_aliases.yml), romanised (the Japanese title romanised), short (the title before its
-- subtitle), fuzzy (a spelling within the fuzzy rule; score 90-100).
create table series_links (
  series_key text primary key,
  catalogue_id text references catalogue(id),
  method text,
  score real,
  matched_name text,
  linked_at text
);
create index series_links_catalogue on series_links (catalogue_id);

-- Each series row merged into another because the catalogue links both to one show (a database that stored the
-- show under two names before the catalogue): the merged-away row's title and key, how many of its reviews moved,
-- and the row they moved to (kept up to date when that row is merged in turn). Later crawls resolve from_key to
-- into_id.
create table series_merges (
  id integer primary key,
  from_title text not null,
  from_key text not null,
  reviews integer not null,
  into_id integer not null references series(id),
  catalogue_id text references catalogue(id),
  merged_at text not null
);
create index series_merges_from_key on series_merges (from_key);
create index series_merges_into on series_merges (into_id);

-- One row per series: its catalogue entry (null columns when unlinked).
create view series_catalogue as
select series.id as series_id, series.title as series, series_links.catalogue_id, catalogue.title as title_ja,
       catalogue.title_en, catalogue.type, catalogue.airing_season, catalogue.year, catalogue.begin,
       catalogue.mal_id, catalogue.anilist_id, catalogue.anidb_id, catalogue.mal_url, catalogue.anilist_url,
       catalogue.anidb_url, series_links.method as link_method, series_links.score as link_score,
       series_links.matched_name
from series
left join series_links on series_links.series_key = series.key
left join catalogue on catalogue.id = series_links.catalogue_id;

-- One row per series and numbered season the consensus knows: that season's entry (its first cour).
create view season_catalogue as
select seasons.series_id, seasons.season, catalogue.id as catalogue_id, catalogue.title as title_ja,
       catalogue.title_en, catalogue.type, catalogue.airing_season, catalogue.year, catalogue.begin,
       catalogue.mal_id, catalogue.anilist_id, catalogue.anidb_id, catalogue.mal_url, catalogue.anilist_url,
       catalogue.anidb_url
from (select distinct series_id, season from series_scores where season is not null) seasons
join series on series.id = seasons.series_id
join series_links on series_links.series_key = series.key
join catalogue on catalogue.show_id = series_links.catalogue_id and catalogue.season = seasons.season
  and catalogue.part = 1;
"""


@MIGRATIONS()
def m008_catalogue(db: sqlite_utils.Database) -> None:
    db.executescript(CATALOGUE_SQL)
