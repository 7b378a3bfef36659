"""Linking series to the catalogue: each series to one show's first entry, or to none, never to a wrong one.

`CatalogueIndex` is built once per crawl from the catalogue table: every name of every entry, folded by
`series_key`, mapped to the entries that bear it, with how it was derived:
  title      the Japanese title or an English title (bangumi-data's own)
  alias      a name of a data/series_aliases.yml group whose other names link to one show
  romanised  the Japanese title in Hepburn romaji (compared without spaces: "mahoushoujo" is "mahou shoujo")
  short      an English or Japanese title cut before its subtitle ("Jujutsu Kaisen 0: The Movie")
  fuzzy      a typo of a name, by the fuzzy rule of pipelines.series (score 90-100)
A spelling links through the best kind of name that knows it. If that kind names two shows, what the review
states (a film or a series, the year it was published, a year in the title) may leave one; else the spelling
stays unlinked ("ambiguous"): a wrong link would merge two shows' consensus.
Series rows stored before the catalogue that link to one show are merged into one (`merge_shows`, at each crawl's
start and after `scrapy catalogue`); a merged-away name goes on resolving to the kept row.
"""

from __future__ import annotations

import json
import logging
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import NamedTuple

import sqlite_utils
import yaml
from rapidfuzz import fuzz

from pipelines import store
from pipelines.catalogue import SNAPSHOT, YEAR_SUFFIX, catalogue_rows, ensure_catalogue
from pipelines.series import STOP_WORDS, SeriesResolver, series_key, similarity
from pipelines.store.clock import now_iso

logger = logging.getLogger(__name__)

METHODS = ("title", "alias", "romanised", "short", "fuzzy")  # best first
ROMAJI_RATIO = 92  # spaceless romaji against a spelling: measured on bench/catalogue_spellings.csv
MIN_ROMAJI_LENGTH = 10
MAX_FUZZY_CANDIDATES = 2000
ENTRY_FIELDS = ("id", "type", "year", "show_id", "season", "part")
MAX_REMEMBERED = 100_000  # names link_by_name keeps answers for (a few MB)
SHORT_MIN_LENGTH = 4  # "86" from "86-エイティシックス-" is two: short names shorter than this are not used
_SUBTITLE = re.compile(r"\s*(?::|：| - | – |～|〜|~| -(?=\S)|「|『)")
_TV_SERIES = re.compile(r"\s*[(（]?\s*(?:tv\s*series|tvシリーズ|tv版)\s*[)）]?\s*$", re.I)
_TV_KEY = re.compile(r" tv(?: series)?$")  # on a folded key
_FILM_WORDS = re.compile(r"^(?:劇場版|映画)\s*|\s*(?:the\s+)?movie$")  # on a folded key
_TITLE_YEAR = re.compile(r"^(.+) ((?:19[5-9]|20[0-4])\d)$")


class Link(NamedTuple):
    catalogue_id: str | None  # the show's first entry; None: no entry fits, or two fit equally ("ambiguous")
    method: str
    score: float | None = None
    matched_name: str | None = None


class Facts(NamedTuple):
    """What a review states that tells shows of one name apart."""
    film: bool | None = None  # a film review (kind movie), a series review (episode, season, ...), or unknown
    published_year: int | None = None
    stated_year: int | None = None  # "Perfect Blue (1997)"

    @classmethod
    def of(cls, item: Mapping | None) -> "Facts":
        if not item:
            return cls()
        kind, published = item.get("kind"), str(item.get("published") or "")
        unstated = kind == "series" and item.get("kind_stated") is False  # a bare title: film or TV, unknown
        return cls(film=None if not kind or unstated or kind in ("other", "volume") else kind == "movie",
                   published_year=int(published[:4]) if published[:4].isdigit() else None)


class CatalogueIndex:
    def __init__(self, rows: Iterable[Mapping], aliases: Mapping[str, str] | None = None):
        self.entries: dict[str, dict] = {}  # id -> what choosing among entries reads (a crawl keeps it: kept small)
        self.names: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))  # key -> method -> ids
        self.romaji: dict[str, set[str]] = defaultdict(set)  # spaceless romanised title -> entry ids
        self.spaceless: dict[str, set[str]] = defaultdict(set)  # spaceless title key -> entry ids (91Days)
        for row in rows:
            self.entries[row["id"]] = {field: row.get(field) for field in ENTRY_FIELDS}
            self._add_entry(row)
        self._add_aliases(aliases or {})
        for key, methods in self.names.items():
            self.spaceless[key.replace(" ", "")].update(methods.get("title", ()))
        self.words: dict[str, list[str]] = defaultdict(list)  # content word -> name keys, for fuzzy candidates
        for key in self.names:
            for word in set(key.split()) - STOP_WORDS:
                self.words[word].append(key)
        self.romaji_prefixes: dict[str, list[str]] = defaultdict(list)
        for name in self.romaji:
            self.romaji_prefixes[name[:3]].append(name)
        self.remembered: dict[str, Link | None] = {}  # link_by_name's answers
        # The first word of every name: a reader looking for names inside longer text skips the words no name opens.
        self.opening_words = {key.split()[0] for key in self.names if key}

    def _add_entry(self, entry: Mapping) -> None:
        titles = [entry["title"], *json.loads(entry.get("titles_en") or "[]")]
        for title in titles:
            key = series_key(title)
            self.names[key]["title"].add(entry["id"])
            if (plain := YEAR_SUFFIX.sub("", key)) != key:  # らんま1/2(2024)
                self.names[plain]["title"].add(entry["id"])
            if (plain := _TV_SERIES.sub("", title)) != title:  # リトルウィッチアカデミア(TVシリーズ)
                self.names[series_key(plain)]["title"].add(entry["id"])
            if (short := _SUBTITLE.split(title, maxsplit=1)[0]) != title:
                if len(short_key := series_key(short)) >= SHORT_MIN_LENGTH:
                    self.names[short_key]["short"].add(entry["id"])
        if entry.get("title_romaji"):
            # romaji is ASCII words already: folding it is lowercasing and dropping punctuation
            spaceless = re.sub(r"[\W_]+", "", entry["title_romaji"].casefold())
            if len(spaceless) >= MIN_ROMAJI_LENGTH // 2:
                self.romaji[spaceless].add(entry["id"])
        self.names.pop("", None)

    def _add_aliases(self, aliases: Mapping[str, str]) -> None:
        """A group of the alias file whose names, where the catalogue knows them, all name one show: each name of
        the group becomes a name of that show."""
        groups: dict[str, set[str]] = defaultdict(set)
        for alias, canonical in aliases.items():
            groups[canonical].update({series_key(alias), series_key(canonical)})
        for names in groups.values():
            shows = {self.show_of(entry) for name in names for entry in self.names.get(name, {}).get("title", ())}
            if len(shows) == 1:
                show = shows.pop()
                for name in names:
                    if "title" not in self.names.get(name, {}):
                        self.names[name]["alias"].add(show)

    facts = staticmethod(Facts.of)
    unlinked = Link(None, "none")

    def add_names(self, names: Mapping[str, Iterable[str]]) -> None:
        """Hand-written names of entries (data/catalogue/names.yml: catalogue id -> names), as aliases of their
        show; ids the catalogue does not hold are skipped."""
        for entry_id, entry_names in names.items():
            if entry_id in self.entries:
                for name in entry_names:
                    self.names[series_key(str(name))]["alias"].add(self.show_of(entry_id))
                    self.opening_words.update(series_key(str(name)).split()[:1])
                    for word in set(series_key(str(name)).split()) - STOP_WORDS:
                        self.words[word].append(series_key(str(name)))

    def season_named(self, key: str) -> int | None:
        """The season a spelling names by itself: 'Dr. Stone: New World' is the title of season 3 only."""
        seasons = {(self.show_of(entry), self.entries[entry]["season"])
                   for entry in self.names.get(key, {}).get("title", ())}
        if len(seasons) == 1:
            season = seasons.pop()[1]
            return season if season and season > 1 else None
        return None

    def show_of(self, entry_id: str) -> str:
        return self.entries[entry_id]["show_id"] or entry_id

    def link(self, key: str, facts: Facts | None = None) -> Link | None:
        """The link of a series key: a Link to a show, an unlinked Link("ambiguous"), or None (nothing fits)."""
        facts = facts or Facts()
        if not key:
            return None
        found = self._exact(key, facts)
        if found is None and (year_match := _TITLE_YEAR.match(key)):  # "Perfect Blue (1997)"
            found = self._exact(year_match.group(1), facts._replace(stated_year=int(year_match.group(2))))
        if found is None and (plain := _FILM_WORDS.sub("", key)) != key and plain:  # "A Silent Voice: The Movie"
            found = self._exact(plain, facts._replace(film=True))
        if found is None and (plain := _TV_KEY.sub("", key)) != key and plain:  # "Little Witch Academia (TV)"
            found = self._exact(plain, facts._replace(film=False))
        return found or self._fuzzy(key, facts)

    def link_by_name(self, key: str) -> Link | None:
        """link() on the name alone, remembered: a crawl's headlines name the same shows again and again, and a name
        no entry has costs a fuzzy search."""
        if key not in self.remembered:
            if len(self.remembered) >= MAX_REMEMBERED:
                self.remembered.clear()
            self.remembered[key] = self.link(key)
        return self.remembered[key]

    def _exact(self, key: str, facts: Facts) -> Link | None:
        methods = self.names.get(key, {})
        spaceless = key.replace(" ", "")
        for method in METHODS:
            if method == "romanised":
                ids = self.romaji.get(spaceless, set()) if len(spaceless) >= MIN_ROMAJI_LENGTH else set()
            elif method == "title":  # spacing aside: "91 Days" is 91Days, "Dandadan" DAN DA DAN
                ids = methods.get(method) or self.spaceless.get(spaceless, set())
            else:
                ids = methods.get(method, set())
            if ids:
                return self._choose(ids, facts, method, None, key)
        return None

    def _choose(self, ids: Iterable[str], facts: Facts, method: str, score: float | None, name: str) -> Link:
        """One show among the entries a name matched, or an unlinked 'ambiguous' link when two remain."""
        shows: dict[str, list[Mapping]] = defaultdict(list)
        for entry_id in ids:
            shows[self.show_of(entry_id)].append(self.entries[entry_id])
        # A film review never links to a series, nor a series review to a film (Little Witch Academia is both).
        shows = {show: entries for show, entries in shows.items()
                 if any(_film_or_series(entry, facts) for entry in entries)}
        if not shows:
            return Link(None, "none", score, name)
        for rule in (_stated_year, _not_before_published):
            if len(shows) == 1:
                break
            kept = {show: entries for show, entries in shows.items() if any(rule(entry, facts) for entry in entries)}
            shows = kept or shows
        if len(shows) > 1:
            return Link(None, "ambiguous", score, name)
        return Link(next(iter(shows)), method, score, name)

    def _fuzzy(self, key: str, facts: Facts) -> Link | None:
        best, best_names = 0.0, []
        for name in self._fuzzy_candidates(key):
            score = similarity(key, name)
            if score > best:
                best, best_names = score, [name]
            elif score and score == best:
                best_names.append(name)
        spaceless = key.replace(" ", "")
        if len(spaceless) >= MIN_ROMAJI_LENGTH:
            for name in self.romaji_prefixes.get(spaceless[:3], ()):
                if re.findall(r"\d+", name) != re.findall(r"\d+", spaceless):
                    continue
                score = fuzz.ratio(spaceless, name)
                if score >= ROMAJI_RATIO and score > best:
                    best, best_names = score, [name]
                elif score >= ROMAJI_RATIO and score == best:
                    best_names.append(name)
        if not best_names:
            return None
        ids = {entry for name in best_names for entry in
               (self.romaji.get(name, set()) | {i for ids in self.names.get(name, {}).values() for i in ids})}
        return self._choose(ids, facts, "fuzzy", round(best, 1), best_names[0])

    def _fuzzy_candidates(self, key: str) -> list[str]:
        """Names sharing a content word with the key, rarest words first, at most MAX_FUZZY_CANDIDATES."""
        words = sorted({word for word in key.split() if len(word) >= 3} - STOP_WORDS,
                       key=lambda word: len(self.words.get(word, ())))
        candidates: dict[str, None] = {}
        for word in words:
            for name in self.words.get(word, ()):
                candidates[name] = None
            if len(candidates) >= MAX_FUZZY_CANDIDATES:
                break
        return list(candidates)[:MAX_FUZZY_CANDIDATES]


def _stated_year(entry: Mapping, facts: Facts) -> bool:
    return facts.stated_year is None or abs((entry["year"] or 0) - facts.stated_year) <= 1


def _film_or_series(entry: Mapping, facts: Facts) -> bool:
    return facts.film is None or (entry["type"] == "movie") == facts.film


def _not_before_published(entry: Mapping, facts: Facts) -> bool:
    """A review cannot be of a show that began after it was published (a year's grace: previews, festivals)."""
    return facts.published_year is None or (entry["year"] or 0) <= facts.published_year + 1


def link_urls(row: Mapping) -> list[tuple[str, str]]:
    """[(site, url)] of a series_catalogue / season_catalogue row, for a page's links."""
    sites = (("MyAnimeList", "mal_url"), ("AniList", "anilist_url"), ("AniDB", "anidb_url"))
    return [(site, row[column]) for site, column in sites if row.get(column)]


CATALOGUE_DIR = Path(__file__).resolve().parents[1] / "data" / "catalogue"  # the CATALOGUE_DIR setting's default
NAMES = CATALOGUE_DIR / "names.yml"


def load_names(path: Path = NAMES) -> dict[str, list[str]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {str(entry): [str(name) for name in (names if isinstance(names, list) else [names])]
            for entry, names in data.items()}


def build_index(db: sqlite_utils.Database, aliases: Mapping[str, str] | None = None,
                catalogue_dir: str | Path | None = None) -> CatalogueIndex:
    """The catalogue's index (the shipped snapshot in `catalogue_dir` first fills an empty table)."""
    directory = Path(catalogue_dir or CATALOGUE_DIR)
    snapshot, names = directory / SNAPSHOT.name, directory / NAMES.name
    if snapshot.is_file():
        ensure_catalogue(db, snapshot)
    elif not db.execute("select exists (select 1 from catalogue)").fetchone()[0]:
        # Where the project's folders are not on disk (a Scrapyd egg): crawl on, with series left unlinked.
        logger.warning("no catalogue: %s not found (set CATALOGUE_DIR); series are not linked to the catalogue",
                       snapshot)
    index = CatalogueIndex(catalogue_rows(db), aliases)
    if names.is_file():
        index.add_names(load_names(names))
    return index


def stored_links(db: sqlite_utils.Database, of_rows_only: bool = False) -> dict[str, Link]:
    """Links by series key; with `of_rows_only`, only those of keys that have a series row (a merged-away series'
    link stays, for the record, as does the link of a series whose review was never stored)."""
    where = " where series_key in (select key from series)" if of_rows_only else ""
    return {key: Link(*rest) for key, *rest in db.execute(
        f"select series_key, catalogue_id, method, score, matched_name from series_links{where}")}


def save_links(db: sqlite_utils.Database, links: Mapping[str, Link]) -> None:
    linked_at = now_iso()
    db.conn.executemany(
        """insert into series_links (series_key, catalogue_id, method, score, matched_name, linked_at)
           values (?, ?, ?, ?, ?, ?)
           on conflict (series_key) do update set catalogue_id = excluded.catalogue_id, method = excluded.method,
             score = excluded.score, matched_name = excluded.matched_name, linked_at = excluded.linked_at""",
        [(key, *link, linked_at) for key, link in links.items()])


SERIES_FACTS_SQL = """select series.key, min(substr(reviews.published, 1, 4)), sum(reviews.kind = 'movie'),
       sum(reviews.kind in ('episode', 'episodes', 'season', 'series'))
from series left join reviews on reviews.series_id = series.id
group by series.id"""


def relink(db: sqlite_utils.Database, index: CatalogueIndex, only_unlinked: bool = False) -> list[int]:
    """Link every series (or only those without a series_links row) by its key and what its reviews state; returns
    the ids of the series whose link changed. One transaction."""
    before = stored_links(db)
    links = {}
    for key, year, films, series in db.execute(SERIES_FACTS_SQL).fetchall():
        if only_unlinked and key in before:
            continue
        film = None if bool(films) == bool(series) else bool(films)
        facts = Facts(film=film, published_year=int(year) if year and year.isdigit() else None)
        links[key] = index.link(key, facts) or Link(None, "none")
    changed = [key for key, link in links.items() if key not in before or before[key][:2] != link[:2]]
    with db.atomic():
        save_links(db, links)
        ids = [row[0] for row in db.execute(
            f"select id from series where key in ({', '.join('?' * len(changed))})", changed).fetchall()]
        # series_scores carries the catalogue ids: a changed link makes the series' consensus rows stale.
        db.conn.executemany("insert or ignore into _dirty_series values (?)", [(series_id,) for series_id in ids])
    return ids


class LinkWriter:
    """Stores each link a crawl's resolver makes as it makes it (its own connection: the series row itself is
    written later, by the store pipeline)."""

    def __init__(self, path: str | Path):
        self.path, self.db = path, None

    def __call__(self, series: str, link: Link) -> None:
        if self.db is None:
            self.db = sqlite_utils.Database(self.path)
            self.db.execute("PRAGMA busy_timeout=5000")
        with self.db.atomic():
            save_links(self.db, {series: link})


def merge_shows(db: sqlite_utils.Database, index: CatalogueIndex) -> list[store.Merge]:
    """Merge the series rows linked to one show into one (pipelines.store.merging): a database that stored a show
    under two names before the catalogue heals. A series whose name alone names a later season brings its reviews
    to that season."""
    seasons = {key: season for (key,) in db.execute("select key from series") if (season := index.season_named(key))}
    return store.merge_linked_series(db, seasons)


MERGED_KEYS_SQL = """select series_merges.from_key, series.key from series_merges
join series on series.id = series_merges.into_id
where series_merges.from_key not in (select key from series)
order by series_merges.id"""


def build_resolver(db: sqlite_utils.Database, path: str | Path, aliases: Mapping[str, str],
                   catalogue_dir: str | Path | None = None) -> SeriesResolver:
    """A crawl's series resolver with the catalogue: known series not linked yet are linked first, then the series
    linked to one show are merged into one row."""
    index = build_index(db, aliases, catalogue_dir)
    relink(db, index, only_unlinked=True)
    merge_shows(db, index)
    known = [(key, title) for key, title in db.execute("select key, title from series")]
    # Links of series rows only: a merged-away key must not stand for its show (it has no row to store reviews in).
    resolver = SeriesResolver(known, aliases, linker=index, links=stored_links(db, of_rows_only=True),
                              on_link=LinkWriter(path))
    # A merged-away name goes on resolving to the row it was merged into, whatever the catalogue says later.
    resolver.seen.update(db.execute(MERGED_KEYS_SQL).fetchall())
    return resolver
