"""search_reviews ranks a very common word among its 5,000 most recently stored matches (data/metadata.yml):
bm25 over every match of a word in most of a million reviews took 0.35 s, over 5,000 it takes 30 ms."""

import importlib.util
import sqlite3

import yaml

from pipelines import store
from conftest import ROOT

SEARCH_SQL = yaml.safe_load((ROOT / "data" / "metadata.yml").read_text())[
    "databases"]["reviews"]["queries"]["search_reviews"]["sql"]


def plugin(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "data" / "plugins" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SEARCH_TERMS = plugin("search_terms")  # the query's fts_query(), as Datasette registers it


def search(path, q: str) -> list[str]:
    connection = sqlite3.connect(path)
    SEARCH_TERMS.prepare_connection(connection)
    try:
        return [row[0] for row in connection.execute(f"select url from ({SEARCH_SQL})", {"q": q})]
    finally:
        connection.close()


def test_a_common_word_is_ranked_among_its_latest_5000_matches(tmp_path):
    db = store.open_db(tmp_path / "r.db")
    store.ensure_outlet(db, "a.example", "A")
    # The 20 oldest reviews would rank first over all matches: the word fills their whole short text.
    oldest = [{"url": f"https://a.example/{n}", "outlet": "a.example", "headline": "Harbour harbour",
               "body_text": "harbour harbour harbour lantern"} for n in range(20)]
    newer = [{"url": f"https://a.example/{n}", "outlet": "a.example", "headline": f"Review {n}",
              "body_text": "a long review that mentions the harbour once among many other words of its text"}
             for n in range(20, 5020)]
    db["reviews"].insert_all(oldest + newer, batch_size=1000)
    db.conn.commit()
    db.close()

    common = search(tmp_path / "r.db", "harbour")
    assert len(common) == 50
    assert not set(common) & {row["url"] for row in oldest}
    assert set(common) <= {row["url"] for row in newer}
    # A word with fewer matches than that is ranked over all of them, the oldest included.
    assert sorted(search(tmp_path / "r.db", "lantern")) == sorted(row["url"] for row in oldest)
