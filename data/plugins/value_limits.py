"""No visitor's query may build a huge value or hold a worker past the time limit inside one function call.

The 2-second time limit is checked by SQLite between steps, not inside one step, so a single call that builds
a huge string or blob (`printf('%.*c', 900000000, 'x')`, `randomblob(900000000)`, `zeroblob`) ran for 40
seconds and took gigabytes before the limit could act. Two bounds on every connection Datasette opens:
- SQLITE_LIMIT_LENGTH: no value over 10 MB (a review's text is some 50 kB): such a call fails at once with
  "string or blob too big";
- printf/format refuse a width or precision over 1,000,000: SQLite's `%.Nc` still loops N times before the
  length limit stops it (7 s for N = 900,000,000). Within the bound they are SQLite's own printf, run on a
  private in-memory connection.
"""

import re
import sqlite3

from datasette import hookimpl

MAX_VALUE_BYTES = 10_000_000
MAX_WIDTH = 1_000_000
_WIDE = re.compile(r"\d{7,}")  # a width or precision written in the format: 7 digits is over MAX_WIDTH


def bounded_printf(inner: sqlite3.Connection):
    def printf(fmt, *args):
        if fmt is None:
            return None
        if _WIDE.search(str(fmt)) or ("*" in str(fmt) and any(
                isinstance(arg, int) and abs(arg) > MAX_WIDTH for arg in args)):
            raise ValueError(f"printf width or precision over {MAX_WIDTH:,}")
        placeholders = ", ".join("?" * (1 + len(args)))
        return inner.execute(f"select printf({placeholders})", (fmt, *args)).fetchone()[0]
    return printf


@hookimpl
def prepare_connection(conn):
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
    inner = sqlite3.connect(":memory:", check_same_thread=False)
    inner.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
    for name in ("printf", "format"):
        conn.create_function(name, -1, bounded_printf(inner), deterministic=True)
