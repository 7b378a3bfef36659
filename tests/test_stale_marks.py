"""Stale-series marks (migration m011): set with the review in its transaction, cleared by the refresh. Whatever
a crawl dies in after storing, the next refresh leaves the consensus equal to a full rebuild (issue 16)."""

import sqlite3

from pipelines import store
from test_store import ITEM

CONSENSUS = ("episode_scores", "series_scores", "outlet_leniency")


def consensus(db) -> dict[str, list]:
    return {table: db.execute(f"select * from {table} order by 1, 2, 3").fetchall() for table in CONSENSUS}


def review(number: int, score: float, outlet: str = "butwhytho.net", series: str = "X") -> dict:
    return ITEM | {"url": f"https://{outlet}/{series}-{number}/", "outlet": outlet, "outlet_name": outlet,
                   "series": series, "series_key": series.lower(), "episode_start": number, "episode_end": number,
                   "score": score, "score_value": score}


def test_storing_marks_the_series_and_the_refresh_clears_it(tmp_path):
    db = store.open_db(tmp_path / "r.db")
    store.save_review(db, review(1, 8.0))
    store.save_review(db, review(1, 6.0, outlet="fandompost.com"))
    store.save_review(db, review(3, 7.0, series="Y"))
    assert [db["series"].get(i)["title"] for i in store.stale_series(db)] == ["X", "Y"]
    assert store.refresh_stale(db) == 2
    assert store.stale_series(db) == []
    assert db.execute("select series, episode, reviews, mean_score from episode_scores order by 1, 2").fetchall() == [
        ("X", 1, 2, 7.0), ("Y", 3, 1, 7.0)]


def test_seeing_a_review_again_unchanged_marks_nothing(tmp_path):
    db = store.open_db(tmp_path / "r.db")
    store.save_review(db, review(1, 8.0))
    store.refresh_stale(db)
    assert store.save_review(db, review(1, 8.0)) == "unchanged"  # its last_seen moves, nothing the consensus reads
    assert store.stale_series(db) == []
    assert store.save_review(db, review(1, 9.0)) == "updated"
    assert len(store.stale_series(db)) == 1


def test_a_review_moved_to_another_series_marks_both(tmp_path):
    db = store.open_db(tmp_path / "r.db")
    store.save_review(db, review(1, 8.0))
    store.save_review(db, review(2, 8.0, series="Y"))
    store.refresh_stale(db)
    db.execute("update reviews set series_id = (select id from series where title = 'Y') where url like '%/X-1/'")
    assert sorted(db["series"].get(i)["title"] for i in store.stale_series(db)) == ["X", "Y"]


def test_reviews_stored_by_a_crawl_that_died_before_refreshing_are_refreshed_by_the_next(tmp_path):
    path = tmp_path / "r.db"
    db = store.open_db(path)
    store.save_review(db, review(1, 8.0))
    store.refresh_stale(db)
    # A crawl stores two reviews and dies before its refresh (its connection simply goes away).
    dying = store.open_db(path)
    store.save_review(dying, review(1, 4.0, outlet="fandompost.com"))
    store.save_review(dying, review(2, 5.0, series="Y"))
    dying.conn.close()
    # The next run stores nothing of those series, yet its refresh brings them up to date.
    db = store.open_db(path)
    store.refresh_stale(db)
    incremental = consensus(db)
    store.refresh_stale(db, every_series=True)
    assert consensus(db) == incremental
    assert db.execute("select series, episode, reviews, mean_score from episode_scores order by 1, 2").fetchall() == [
        ("X", 1, 2, 6.0), ("Y", 2, 1, 5.0)]


def test_an_existing_database_marks_what_unfinished_runs_stored_when_it_upgrades(tmp_path):
    """m011 on a database whose last run failed while closing: that run's series start out marked."""
    from pipelines.store.migrations.m011_dirty_series import DIRTY_SERIES_STATEMENTS

    connection = sqlite3.connect(":memory:")
    connection.executescript("""
        create table crawl_runs (id integer primary key, started text, status text);
        create table reviews (url text primary key, series_id integer, last_changed text, season, episode_start,
                              episode_end, kind, score, version, outlet, published, episode_title);
        insert into crawl_runs values (1, '2026-01-01', 'finished'), (2, '2026-02-01', 'failed');
        insert into reviews (url, series_id, last_changed) values ('a', 1, '2026-01-01T10:00'),
                                                                  ('b', 2, '2026-02-01T10:00');
    """)
    for statement in DIRTY_SERIES_STATEMENTS:
        connection.execute(statement)
    assert connection.execute("select series_id from _dirty_series").fetchall() == [(2,)]
