"""Linking series to the catalogue (the shipped bangumi-data snapshot): one series per show however outlets write
it, seasons to their entries, and no link where two entries fit or only a near-namesake does."""

from pathlib import Path

import pytest

from pipelines import store
from pipelines.linking import Facts, Link, build_index, build_resolver
from pipelines.series import SeriesResolver, load_aliases, series_key

ALIASES = Path(__file__).resolve().parents[1] / "data" / "series_aliases.yml"


@pytest.fixture(scope="module")
def index():
    return build_index(store.open_db(":memory:"), load_aliases(ALIASES))


@pytest.fixture
def resolver(index):
    return SeriesResolver(aliases=load_aliases(ALIASES), linker=index)


# The pairs: one show each, as Japanese romaji / English names and short / long names.
ONE_SHOW = [
    ("Sousou no Frieren", "Frieren: Beyond Journey's End", "bgm:400602"),
    ("Dungeon Meshi", "Delicious in Dungeon", "bgm:395378"),
    ("86", "86 EIGHTY-SIX", "bgm:302189"),
    ("Mahou Shoujo Madoka Magica", "Puella Magi Madoka Magica", "bgm:9717"),
    ("Shinsekai Yori", "From the New World", "bgm:37785"),
    ("Mix", "Mix: Meisei Story", "bgm:255980"),
    ("魔法少女まどか☆マギカ", "Puella Magi Madoka Magica", "bgm:9717"),
    ("Tengoku Daimakyo", "天国大魔境", "bgm:404804"),
]


@pytest.mark.parametrize("a, b, show", ONE_SHOW)
def test_names_of_one_show_end_in_one_series_linked_to_it(index, a, b, show):
    for first, second in ((a, b), (b, a)):
        resolver = SeriesResolver(aliases={}, linker=index)  # the catalogue alone, no alias file
        assert resolver.resolve(first)[0] == resolver.resolve(second)[0]
        assert [link.catalogue_id for link in resolver.links.values()] == [show]


def test_how_a_link_was_made_is_recorded(index):
    assert index.link(series_key("Delicious in Dungeon")) == Link("bgm:395378", "title", None, "delicious in dungeon")
    assert index.link(series_key("ダンジョン飯")) == Link("bgm:395378", "title", None, "ダンジョン飯")
    assert index.link(series_key("Mix: Meisei Story")) == Link("bgm:255980", "alias", None, "mix meisei story")
    assert index.link(series_key("Shinsekai Yori")) == Link("bgm:37785", "romanised", None, "shinsekai yori")
    assert index.link(series_key("Freiren: Beyond Journey's End")) == Link(
        "bgm:400602", "fuzzy", 96.3, "frieren beyond the journeys end")


def test_a_later_season_links_to_its_entry_while_the_series_stays_one_show(resolver):
    first = resolver.resolve("Vinland Saga")
    review = {"season": 2, "kind": "season"}
    assert resolver.resolve("Vinland Saga Season 2", review) == first and review["season"] == 2
    # a season's own title: the review is of season 3 of Dr. Stone, whatever the headline's default said
    stone = resolver.resolve("Dr. Stone")
    review = {"season": 1, "kind": "episode"}
    assert resolver.resolve("Dr. Stone: New World", review) == stone and review["season"] == 3
    assert resolver.links[stone[0]].catalogue_id == "bgm:266794"


def test_two_equal_candidates_stay_unlinked(index):
    # らんま1/2 is the 1989 series and the 2024 remake: nothing tells them apart...
    assert index.link(series_key("らんま1/2")) == Link(None, "ambiguous", None, "らんま1 2")
    # ...unless the review does: one published in 1990 cannot be of the remake
    assert index.link(series_key("らんま1/2"), Facts(published_year=1990)).catalogue_id == "bgm:2789"
    assert index.link(series_key("Ranma 1/2 (2024)")).catalogue_id == "bgm:489820"


def test_a_film_review_links_to_the_film_and_a_series_review_to_the_series(index):
    assert index.link(series_key("Little Witch Academia"), Facts(film=True)).catalogue_id == "bgm:54675"
    assert index.link(series_key("Little Witch Academia"), Facts(film=False)).catalogue_id == "bgm:185792"


@pytest.mark.parametrize("spelling, wrong", [
    ("Sword Art Offline", "bgm:23686"),  # Sword Art Online
    ("Dungeon People", "bgm:395378"),  # Dungeon Meshi
    ("Persona 5 The Animation", "bgm:15489"),  # Persona 4 the Animation
    ("Blue Box", "bgm:341163"),  # Blue Lock
    ("Re:Monster", "bgm:140001"),  # Re:Zero
    ("Attack on Titan: Junior High", "bgm:55770"),
    ("The Last of Us", None),  # live action: no entry at all
])
def test_a_close_but_wrong_title_is_not_linked_to_the_near_namesake(index, spelling, wrong):
    link = index.link(series_key(spelling))
    assert link is None or link.catalogue_id != wrong
    if wrong is None:
        assert link is None


def test_name_rules_never_merge_a_title_into_another_shows_series(index):
    # The alias table and the fuzzy rule alone would not merge these; the catalogue must not either.
    resolver = SeriesResolver(aliases=load_aliases(ALIASES), linker=index)
    keys = {resolver.resolve(title)[0] for title in ("Re:Zero", "Re:Monster", "Dungeon Meshi", "Dungeon People")}
    assert len(keys) == 4


def test_a_crawl_stores_links_and_the_views_show_the_entry_of_each_season(tmp_path):
    path = tmp_path / "r.db"
    db = store.open_db(path)
    resolver = build_resolver(db, path, load_aliases(ALIASES))
    reviews = [("Sousou no Frieren", 1, "a.example"), ("Frieren: Beyond Journey’s End", 1, "b.example"),
               ("Frieren: Beyond Journey’s End", 2, "b.example"), ("The Last of Us", 1, "c.example")]
    for number, (title, season, outlet) in enumerate(reviews):
        item = {"url": f"https://{outlet}/{number}", "outlet": outlet, "headline": title, "series": title,
                "season": season, "episode_start": 1, "episode_end": 1, "kind": "episode", "score": 8.0,
                "published": "2026-02-01"}
        item["series_key"], item["series"] = resolver.resolve(title, item)
        store.save_review(db, item)
    store.refresh_consensus(db)
    rows = db.execute("select series, catalogue_id, title_ja, airing_season, mal_url, anilist_url, link_method "
                      "from series_catalogue order by series_id").fetchall()
    assert rows == [
        ("Frieren: Beyond Journey's End", "bgm:400602", "葬送のフリーレン", "Fall 2023",
         "https://myanimelist.net/anime/52991", "https://anilist.co/anime/154587", "alias"),
        ("The Last of Us", None, None, None, None, None, "none"),
    ]
    seasons = db.execute("select season, catalogue_id, title_ja, airing_season, mal_id from season_catalogue "
                         "order by season").fetchall()
    assert seasons == [(1, "bgm:400602", "葬送のフリーレン", "Fall 2023", 52991),
                       (2, "bgm:515759", "葬送のフリーレン(第2期)", "Winter 2026", 59978)]
    # series_scores carries each season's ids, for joins with other datasets (and none for an unlinked show).
    assert db.execute("select series, season, catalogue_id, mal_id, anilist_id, anidb_id from series_scores "
                      "order by series, season").fetchall() == [
        ("Frieren: Beyond Journey's End", 1, "bgm:400602", 52991, 154587, 17617),
        ("Frieren: Beyond Journey's End", 2, "bgm:515759", 59978, 182255, 18886),
        ("The Last of Us", 1, None, None, None, None)]


def test_without_the_catalogue_snapshot_a_crawl_goes_on_unlinked_and_says_why(tmp_path, caplog):
    """Inside a Scrapyd egg data/catalogue/ is not on disk unless CATALOGUE_DIR names it."""
    index = build_index(store.open_db(":memory:"), load_aliases(ALIASES), tmp_path / "nowhere")
    assert index.link(series_key("Frieren: Beyond Journey's End")) is None
    assert "no catalogue: " in caplog.text and "(set CATALOGUE_DIR)" in caplog.text


def test_every_show_of_the_mirror_crawl_links_with_its_links_and_airing_season(crawled_db):
    """The demo (a crawl of the mirror) shows MyAnimeList and AniList links and the airing season on every show
    the catalogue holds, offline: all of the mirror's shows are in it."""
    import sqlite3

    with sqlite3.connect(crawled_db) as connection:
        rows = connection.execute("select series, airing_season, mal_url, anilist_url from series_catalogue "
                                  "order by series").fetchall()
    assert len(rows) == 19
    assert [row for row in rows if not all(row[1:])] == []
    assert ("Twilight Out Of Focus", "Summer 2024", "https://myanimelist.net/anime/55844",
            "https://anilist.co/anime/166700") in rows
