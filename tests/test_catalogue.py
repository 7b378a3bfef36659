"""The catalogue: the shipped snapshot, loading bangumi-data files (kept entries, refused files) and
`scrapy catalogue` over real loopback HTTP."""

import json
import subprocess
import sys
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from pipelines import store
from pipelines.catalogue import CatalogueError, ensure_catalogue, parse_catalogue, read_snapshot, upsert_catalogue

ROOT = Path(__file__).resolve().parents[1]
SITE_META = {"mal": {"title": "MyAnimeList", "urlTemplate": "https://myanimelist.net/anime/{{id}}", "type": "info"},
             "aniList": {"title": "AniList", "urlTemplate": "https://anilist.co/anime/{{id}}", "type": "info"},
             "anidb": {"title": "AniDB", "urlTemplate": "https://anidb.net/anime/{{id}}", "type": "info"}}


def entry(title, begin, bangumi, mal, english=None, kind="tv"):
    """A bangumi-data item as dist/data.json writes it."""
    return {"title": title, "titleTranslate": {"en": english} if english else {"zh-Hans": ["x"]}, "type": kind,
            "lang": "ja", "officialSite": "", "begin": begin, "broadcast": "", "end": "", "comment": "",
            "sites": [{"site": "bangumi", "id": bangumi}, {"site": "mal", "id": mal},
                      {"site": "aniList", "id": mal}, {"site": "dmhy", "id": "x"}]}


FRIEREN = entry("葬送のフリーレン", "2023-09-29T05:00:00.000Z", "400602", "52991",
                ["Frieren: Beyond Journey's End"])
FRIEREN_2 = entry("葬送のフリーレン(第2期)", "2026-01-16T14:00:00.000Z", "515759", "59978")
MESHI = entry("ダンジョン飯", "2024-01-04T13:30:00.000Z", "395378", "52701", ["Delicious in Dungeon"])


def data_file(*items) -> bytes:
    return json.dumps({"siteMeta": SITE_META, "items": list(items)}, ensure_ascii=False).encode("utf-8")


def catalogue(db) -> dict[str, dict]:
    return {row["id"]: row for row in db["catalogue"].rows}


def test_an_empty_catalogue_is_filled_from_the_shipped_snapshot(tmp_path):
    db = store.open_db(tmp_path / "r.db")
    assert ensure_catalogue(db) is True
    assert db["catalogue"].count == len(read_snapshot()) > 8000
    frieren, second = db["catalogue"].get("bgm:400602"), db["catalogue"].get("bgm:515759")
    assert {k: frieren[k] for k in ("title", "type", "begin", "airing_season", "year", "mal_url", "anilist_url",
                                    "anidb_url", "show_id", "season", "part")} == {
        "title": "葬送のフリーレン", "type": "tv", "begin": "2023-09-29", "airing_season": "Fall 2023", "year": 2023,
        "mal_url": "https://myanimelist.net/anime/52991", "anilist_url": "https://anilist.co/anime/154587",
        "anidb_url": "https://anidb.net/anime/17617", "show_id": "bgm:400602", "season": 1, "part": 1}
    assert (second["show_id"], second["season"], second["airing_season"]) == ("bgm:400602", 2, "Winter 2026")
    assert ensure_catalogue(db) is False  # only an empty table is filled
    [load] = db["catalogue_loads"].rows
    assert load["source"] == "snapshot bangumi-data.json.gz" and load["new"] == load["entries"]


def test_a_newer_file_updates_entries_and_keeps_those_it_no_longer_lists(tmp_path):
    db = store.open_db(tmp_path / "r.db")
    assert upsert_catalogue(db, parse_catalogue(data_file(FRIEREN, MESHI)).rows, "old.json") == {
        "entries": 2, "new": 2, "updated": 0, "unlisted": 0}
    renamed = dict(MESHI, titleTranslate={"en": ["Delicious in Dungeon", "Dungeon Meshi"]})
    assert upsert_catalogue(db, parse_catalogue(data_file(renamed, FRIEREN_2)).rows, "new.json") == {
        "entries": 2, "new": 1, "updated": 1, "unlisted": 1}
    rows = catalogue(db)
    assert sorted(rows) == ["bgm:395378", "bgm:400602", "bgm:515759"]
    assert rows["bgm:400602"]["title"] == "葬送のフリーレン"  # no longer listed, kept as it was
    assert [load["source"] for load in db["catalogue_loads"].rows] == ["old.json", "new.json"]
    assert json.loads(rows["bgm:395378"]["titles_en"]) == ["Delicious in Dungeon", "Dungeon Meshi"]
    assert (rows["bgm:515759"]["show_id"], rows["bgm:515759"]["season"]) == ("bgm:400602", 2)


@pytest.mark.parametrize("raw, message", [
    (data_file(FRIEREN, MESHI)[:-40], "ends early"),
    (b"<html>503 Service Unavailable</html>", "not valid JSON"),
    (json.dumps({"items": [FRIEREN]}).encode(), "not a bangumi-data file"),
    (data_file(FRIEREN, dict(MESHI, type="musical")), "entry 1 is malformed"),
    (data_file(FRIEREN, dict(MESHI, title=["ダンジョン飯"])), "entry 1 is malformed"),
    (data_file(), "0 entries"),
])
def test_a_malformed_or_truncated_file_is_refused(raw, message):
    with pytest.raises(CatalogueError, match=message):
        parse_catalogue(raw, "data.json")


@pytest.fixture
def served(tmp_path):
    """A folder served over real loopback HTTP."""
    folder = tmp_path / "www"
    folder.mkdir()
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(SimpleHTTPRequestHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield folder, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def catalogue_command(db_path: Path, url: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scrapy", "catalogue", "--url", url, "-s", f"REVIEWS_DB={db_path}"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_scrapy_catalogue_loads_a_served_file_and_relinks_series(tmp_path, served):
    folder, base = served
    db_path = tmp_path / "r.db"
    db = store.open_db(db_path)
    store.save_review(db, {"url": "https://a.example/1", "outlet": "a.example", "headline": "Dungeon Meshi 1",
                           "series": "Dungeon Meshi", "series_key": "dungeon meshi", "season": 1,
                           "episode_start": 1, "episode_end": 1, "kind": "episode", "score": 8.0,
                           "published": "2024-01-05"})
    db.close()
    (folder / "data.json").write_bytes(data_file(FRIEREN, MESHI))
    done = catalogue_command(db_path, f"{base}/data.json")
    assert done.returncode == 0, done.stderr
    assert "catalogue of 2 entries" in done.stdout and "2 new" in done.stdout and "1 of 1 series linked" in done.stdout
    db = store.open_db(db_path)
    assert sorted(catalogue(db)) == ["bgm:395378", "bgm:400602"]
    [link] = db.execute("select series, catalogue_id, title_ja, mal_url, link_method from series_catalogue").fetchall()
    # the alias file names Dungeon Meshi and Delicious in Dungeon one show; the catalogue knows the English title
    assert link == ("Dungeon Meshi", "bgm:395378", "ダンジョン飯", "https://myanimelist.net/anime/52701", "alias")


@pytest.mark.parametrize("name, raw", [("truncated.json", data_file(FRIEREN_2, MESHI)[:-100]),
                                       ("page.json", b"<html>Not found</html>")])
def test_scrapy_catalogue_refuses_a_bad_file_and_changes_nothing(tmp_path, served, name, raw):
    folder, base = served
    db_path = tmp_path / "r.db"
    (folder / "data.json").write_bytes(data_file(FRIEREN))
    assert catalogue_command(db_path, f"{base}/data.json").returncode == 0
    before = catalogue(store.open_db(db_path))
    (folder / name).write_bytes(raw)
    done = catalogue_command(db_path, f"{base}/{name}")
    assert done.returncode == 1
    assert "catalogue refused, nothing changed" in done.stdout
    assert catalogue(store.open_db(db_path)) == before
    missing = catalogue_command(db_path, f"{base}/nothing-here.json")
    assert missing.returncode == 1 and "HTTP Error 404" in missing.stdout


def test_scrapy_catalogue_merges_series_its_links_make_one_show(tmp_path, served):
    folder, base = served
    db_path = tmp_path / "r.db"
    db = store.open_db(db_path)  # reviews stored before any catalogue: the show as two series
    for number, (outlet, title, score) in enumerate((("a.example", "ダンジョン飯", 8.0),
                                                     ("b.example", "Delicious in Dungeon", 6.0),
                                                     ("c.example", "Delicious in Dungeon", 7.0))):
        store.save_review(db, {"url": f"https://{outlet}/{number}", "outlet": outlet, "headline": f"{title} 1",
                               "series": title, "series_key": title.lower(), "season": 1, "episode_start": 1,
                               "episode_end": 1, "kind": "episode", "score": score, "published": "2024-01-05"})
    store.refresh_stale(db)
    db.close()
    (folder / "data.json").write_bytes(data_file(FRIEREN, MESHI))
    done = catalogue_command(db_path, f"{base}/data.json")
    assert done.returncode == 0, done.stderr
    assert "1 of 1 series linked, 2 links changed, 1 series merged" in done.stdout
    assert "merged series 'ダンジョン飯' (1 review) into 'Delicious in Dungeon'" in done.stderr
    db = store.open_db(db_path)
    assert db.execute("select series, catalogue_id, link_method from series_catalogue").fetchall() == [
        ("Delicious in Dungeon", "bgm:395378", "title")]
    assert db.execute("select series, episode, reviews, mean_score from episode_scores").fetchall() == [
        ("Delicious in Dungeon", 1, 3, 7.0)]
