"""Merging the series rows that the catalogue links to one show: a database that stored a show under two names
before the catalogue (`Sousou no Frieren` from one outlet, `Frieren: Beyond Journey's End` from others) ends with
one series, every review, and the consensus a full rebuild gives."""

import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from conftest import SNAPSHOT_TABLES, rows, run_crawl, snapshot
from pipelines import store
from pipelines.catalogue import ensure_catalogue
from pipelines.linking import Link, build_index, build_resolver, merge_shows, relink, save_links, stored_links
from pipelines.series import load_aliases, series_key
from pipelines.store.reviews import SUBSCORE_FIELDS, content_hash

ALIASES = Path(__file__).resolve().parents[1] / "data" / "series_aliases.yml"
CONSENSUS_TABLES = ("episode_scores", "series_scores", "_leniency_parts", "outlet_leniency")
FRIEREN = "bgm:400602"


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """A database with the shipped catalogue loaded (copied for each test: loading takes a second)."""
    path = tmp_path_factory.mktemp("template") / "r.db"
    db = store.open_db(path)
    ensure_catalogue(db)
    db.close()
    return path


@pytest.fixture(scope="module")
def index(template):
    return build_index(store.open_db(template), load_aliases(ALIASES))


def copy_db(source: Path | sqlite_utils.Database, path: Path) -> sqlite_utils.Database:
    source_connection = source.conn if isinstance(source, sqlite_utils.Database) else sqlite3.connect(source)
    target = sqlite3.connect(path)
    source_connection.backup(target)
    target.close()
    return store.open_db(path)


@pytest.fixture
def db(template, tmp_path) -> sqlite_utils.Database:
    return copy_db(template, tmp_path / "r.db")


def save(db, outlet: str, title: str, episode: int | None, score: float, season: int | None = 1,
         kind: str = "episode", audience: list | None = None) -> str:
    """A review as a crawl before the catalogue stored it: its series by its own name."""
    url = f"https://{outlet}/{series_key(title).replace(' ', '-')}/{kind}-{season}-{episode}"
    store.save_review(db, {"url": url, "outlet": outlet, "headline": f"{title} Episode {episode} Review",
                           "series": title, "series_key": series_key(title), "season": season,
                           "episode_start": episode, "episode_end": episode, "kind": kind, "score": score,
                           "published": "2024-02-01", "audience": audience or []})
    return url


def split_frieren(db) -> None:
    """Frieren as two series: one outlet under the romaji title, two under the English one."""
    save(db, "a.example", "Sousou no Frieren", 1, 8.0,
         audience=[{"source": "poll", "value": 4.5, "best": 5, "score": 9.0, "votes": 120}])
    save(db, "a.example", "Sousou no Frieren", 2, 9.0)
    for outlet, first, second in (("b.example", 7.0, 6.0), ("c.example", 9.0, None)):
        save(db, outlet, "Frieren: Beyond Journey's End", 1, first)
        if second is not None:
            save(db, outlet, "Frieren: Beyond Journey's End", 2, second)
    save(db, "c.example", "Frieren: Beyond Journey's End", None, 8.5, kind="season")


def table_rows(db, table: str) -> list[tuple]:
    return sorted(db.execute(f"select * from {table}").fetchall(), key=repr)


def consensus(db) -> dict[str, list[tuple]]:
    return {table: table_rows(db, table) for table in CONSENSUS_TABLES}


def test_two_series_of_one_show_become_one_with_every_review_and_the_consensus_of_a_full_rebuild(db, index, tmp_path):
    split_frieren(db)
    relink(db, index)
    store.refresh_stale(db)
    (romaji_id,), (english_id,) = db.execute("select id from series order by id").fetchall()
    assert [link.catalogue_id for link in stored_links(db).values()] == [FRIEREN, FRIEREN]

    merges = store.merge_linked_series(db)

    # kept: the series with more reviews, titled as the catalogue titles the show in English
    assert db.execute("select id, title, key from series").fetchall() == [
        (english_id, "Frieren: Beyond the Journey's End", "frieren beyond journeys end")]
    assert [merge._asdict() for merge in merges] == [{
        "from_id": romaji_id, "from_title": "Sousou no Frieren", "from_key": "sousou no frieren", "reviews": 2,
        "into_id": english_id, "into_title": "Frieren: Beyond the Journey's End", "catalogue_id": FRIEREN}]
    assert db.execute("select outlet, series_id, season, episode_start from reviews order by url").fetchall() == [
        ("a.example", english_id, 1, 1), ("a.example", english_id, 1, 2),
        ("b.example", english_id, 1, 1), ("b.example", english_id, 1, 2),
        ("c.example", english_id, 1, 1), ("c.example", english_id, 1, None)]
    assert db.execute("select series_id, season, episode, source, score from audience_scores").fetchall() == [
        (english_id, 1, 1, "poll", 9.0)]
    assert db.execute("select from_title, from_key, reviews, into_id, catalogue_id from series_merges").fetchall() \
        == [("Sousou no Frieren", "sousou no frieren", 2, english_id, FRIEREN)]
    # the consensus counts every outlet of the show, and nothing is left of the merged-away series
    assert db.execute("select series, season, episode, reviews, mean_score from episode_scores "
                      "order by episode").fetchall() == [
        ("Frieren: Beyond the Journey's End", 1, 1, 3, 8.0), ("Frieren: Beyond the Journey's End", 1, 2, 2, 7.5)]
    assert db.execute("select series, season, reviewed_episodes, season_reviews, season_review_mean "
                      "from series_scores").fetchall() == [("Frieren: Beyond the Journey's End", 1, 2, 1, 8.5)]
    assert db.execute("select count(*) from _dirty_series").fetchone() == (0,)
    rebuilt = copy_db(db, tmp_path / "rebuilt.db")
    store.refresh_stale(rebuilt, every_series=True)
    assert consensus(db) == consensus(rebuilt)


def test_series_linked_to_nothing_or_to_another_show_are_left_alone(db, index):
    split_frieren(db)
    save(db, "a.example", "Dungeon Meshi", 1, 7.0)  # another show, linked alone
    save(db, "b.example", "The Last of Us", 1, 9.0)  # no entry
    save(db, "c.example", "Last of Us", 1, 8.0)  # no entry either: two unlinked series are not one show
    save(db, "a.example", "らんま1/2", 1, 6.0)  # two entries fit: unlinked ("ambiguous")
    save(db, "b.example", "Ranma 1/2 (2024)", 1, 7.0)  # the 2024 remake, another show than the 1989 series
    relink(db, index)
    before = {table: table_rows(db, table) for table in ("reviews", "audience_scores")}
    others = db.execute("select id, title from series where key not like '%frieren%' order by id").fetchall()
    store.refresh_stale(db)

    assert [merge.from_title for merge in store.merge_linked_series(db)] == ["Sousou no Frieren"]
    assert db.execute("select id, title from series where key not like '%frieren%' order by id").fetchall() == others
    for table, stored in before.items():
        assert [row for row in table_rows(db, table) if "rieren" not in repr(row)] == [
            row for row in stored if "rieren" not in repr(row)]
    links = dict(db.execute("select series, catalogue_id from series_catalogue").fetchall())
    assert links == {"Frieren: Beyond the Journey's End": FRIEREN, "Dungeon Meshi": "bgm:395378",
                     "The Last of Us": None, "Last of Us": None, "らんま1/2": None, "Ranma 1/2 (2024)": "bgm:489820"}


def test_merging_twice_changes_nothing(db, index):
    split_frieren(db)
    relink(db, index)
    assert len(store.merge_linked_series(db)) == 1
    tables = [name for (name,) in db.execute("select name from sqlite_master where type = 'table' and name not like "
                                             "'%fts%' and name != 'catalogue'")]
    before = {table: table_rows(db, table) for table in tables}
    assert store.merge_linked_series(db) == []
    assert {table: table_rows(db, table) for table in tables} == before


def test_series_linked_to_two_seasons_entries_are_one_show_only_where_the_catalogue_groups_them(db, index):
    save(db, "a.example", "Dr. Stone", 1, 7.0)
    save(db, "a.example", "Dr. Stone", 2, 8.0)
    save(db, "b.example", "Dr. Stone: New World", 5, 9.0)  # stored as season 1: "Episode 5" says nothing more
    save(db, "a.example", "Little Witch Academia", None, 8.0, season=None, kind="movie")  # the 2013 film
    save(db, "b.example", "Little Witch Academia (TV)", 1, 7.0)  # the 2017 series: another show
    save(db, "b.example", "Sousou no Frieren", 1, 9.0, season=2)
    save(db, "c.example", "Frieren", 1, 8.0)
    relink(db, index)
    # a link made by an older catalogue, to the entry of Frieren's second season: the catalogue groups it with the
    # show's first entry, so it is the same show
    save_links(db, {"frieren": Link("bgm:515759", "title", None, "葬送のフリーレン(第2期)")})

    merges = merge_shows(db, index)

    assert sorted((merge.from_title, merge.into_title) for merge in merges) == [
        ("Dr. Stone: New World", "Dr. Stone"), ("Frieren", "Frieren: Beyond the Journey's End")]
    assert db.execute("select series.title, reviews.outlet, reviews.season, reviews.episode_start, reviews.kind "
                      "from reviews join series on series.id = reviews.series_id order by 1, 3, 4").fetchall() == [
        ("Dr. Stone", "a.example", 1, 1, "episode"), ("Dr. Stone", "a.example", 1, 2, "episode"),
        ("Dr. Stone", "b.example", 3, 5, "episode"),  # Dr. Stone: New World is the third season
        ("Frieren: Beyond the Journey's End", "c.example", 1, 1, "episode"),
        ("Frieren: Beyond the Journey's End", "b.example", 2, 1, "episode"),
        ("Little Witch Academia", "a.example", None, None, "movie"),
        ("Little Witch Academia (TV)", "b.example", 1, 1, "episode")]
    assert db.execute("select season, episode, reviews from episode_scores join series on series.id = series_id "
                      "where series.key = 'dr stone' order by 1, 2").fetchall() == [(1, 1, 1), (1, 2, 1), (3, 5, 1)]


def test_a_merged_away_name_resolves_to_the_kept_series_in_later_crawls(db, tmp_path):
    save(db, "a.example", "Solo Leveling", 1, 8.0)
    save(db, "b.example", "Solo Leveling", 1, 7.0)
    save(db, "c.example", "Ore dake Level Up na Ken", 1, 9.0)  # a name only the alias file links
    path = tmp_path / "r.db"
    resolver = build_resolver(db, path, load_aliases(ALIASES))  # links the series, then merges them
    kept = ("solo leveling", "Solo Leveling")
    for title in ("Ore dake Level Up na Ken", "俺だけレベルアップな件", "Solo Leveling"):
        assert resolver.resolve(title, {"kind": "episode", "season": 1}) == kept
    # a later crawl resolves the merged-away name to the kept series even where the catalogue no longer links it
    # (no alias file): it never comes back as a series of its own
    later = build_resolver(db, path, {})
    assert later.resolve("Ore dake Level Up na Ken", {"kind": "episode", "season": 1}) == kept
    assert later.resolve("Some Other Show") == ("some other show", "Some Other Show")


def split_solo_leveling(db) -> str:
    """One outlet's Solo Leveling review under the Japanese title, no catalogue: what a crawl stored before it."""
    japanese = "俺だけレベルアップな件"
    with db.atomic():
        series_id, key = db.execute("select id, key from series where title = 'Solo Leveling'").fetchone()
        split_id = db["series"].insert({"title": japanese, "key": series_key(japanese)}).last_pk
        cursor = db.execute("select * from reviews where series_id = ? order by outlet limit 1", [series_id])
        review = dict(zip([column[0] for column in cursor.description], cursor.fetchone()))
        subscores = [dict(zip(SUBSCORE_FIELDS, sub)) for sub in db.execute(
            f"select {', '.join(SUBSCORE_FIELDS)} from subscores where review = ? order by id", [review["url"]])]
        assert content_hash(review, subscores, key) == review["content_hash"]
        db.execute("update reviews set series_id = ?, content_hash = ? where url = ?",
                   [split_id, content_hash(review, subscores, series_key(japanese)), review["url"]])
        db.execute("update audience_scores set series_id = ? where review = ?", [split_id, review["url"]])
        db.execute("delete from series_links")
        db.execute("delete from catalogue")
        store.refresh_stale(db, every_series=True)
    return review["url"]


def test_a_crawl_into_a_database_that_holds_a_show_as_two_series_heals_it(crawled_db, mirror, tmp_path):
    db = copy_db(crawled_db, tmp_path / "reviews.db")
    moved = split_solo_leveling(db)
    split = "select series.title from reviews join series on series.id = series_id where url = ?"
    assert rows(tmp_path / "reviews.db", split, moved) == [{"title": "俺だけレベルアップな件"}]
    runs_before = db.execute("select max(id) from crawl_runs").fetchone()[0]
    db.close()

    done = run_crawl(tmp_path / "reviews.db", mirror.base_url)

    assert done.returncode == 0, done.stderr[-3000:]
    assert "merged series '俺だけレベルアップな件' (1 review) into 'Solo Leveling'" in done.stderr
    healed = snapshot(tmp_path / "reviews.db")
    fresh = snapshot(crawled_db)
    for table in SNAPSHOT_TABLES:  # the same content as a crawl into an empty database
        assert healed[table] == fresh[table], table
    assert rows(tmp_path / "reviews.db", "select from_title, reviews, series.title as into_title from series_merges "
                "join series on series.id = into_id") == [
        {"from_title": "俺だけレベルアップな件", "reviews": 1, "into_title": "Solo Leveling"}]
    # the moved review, crawled again, is unchanged: its content hash is the one the crawl computes now
    assert rows(tmp_path / "reviews.db", "select sum(reviews_new) as new, sum(reviews_updated) as updated "
                "from crawl_runs where id > ?", runs_before) == [{"new": 0, "updated": 0}]
    assert rows(tmp_path / "reviews.db", "select count(*) as n from review_changes where review = ?", moved) == [
        {"n": 0}]
    assert rows(tmp_path / "reviews.db", split, moved) == [{"title": "Solo Leveling"}]
