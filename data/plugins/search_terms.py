"""`fts_query(text)`: a visitor's search box, made safe for SQLite full-text search (FTS5).

FTS5 reads its MATCH text as a query language: `Kaiju No. 8` is a syntax error at ".", `Solo Leveling: Arise` asks
for a column named Leveling, `it's` opens a string, `OR` and `*` are operators. So every word becomes a quoted
phrase (a double quote inside doubled), the phrases joined by spaces (all of them must match); FTS5 still splits a
phrase into its tokens, so "No." finds "no". Words with no letter or digit are dropped. Text with no words left
gives NULL: the search_reviews query then shows the latest reviews.
"""

import re

from datasette import hookimpl

MAX_QUERY_CHARS = 500
MAX_TERMS = 12
MAX_TERM_CHARS = 64
_WORD = re.compile(r"\w")


def fts_query(text):
    if text is None:
        return None
    terms = [term[:MAX_TERM_CHARS] for term in str(text)[:MAX_QUERY_CHARS].split() if _WORD.search(term)]
    if not terms:
        return None
    return " ".join('"' + term.replace('"', '""') + '"' for term in terms[:MAX_TERMS])


@hookimpl
def prepare_connection(conn):
    conn.create_function("fts_query", 1, fts_query, deterministic=True)
