"""Series identity: one key however an outlet spells a show's title.

`series_key` folds case, accents, quotes and punctuation, and drops a trailing season marker
("Season 2", "2nd Season"), which the headline parser has already read into `season`.
"""

from __future__ import annotations

import re
import unicodedata

SEASON_SUFFIX = re.compile(
    r"\s*(?:[-–—:,]\s*)?(?:season\s+\w+|\d+(?:st|nd|rd|th)\s+season|s\d+)\s*$", re.IGNORECASE
)


def series_key(title: str) -> str:
    text = unicodedata.normalize("NFKD", title)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = SEASON_SUFFIX.sub("", text.casefold())
    text = re.sub(r"[^\w\s]", " ", text.replace("'", "").replace("’", ""))
    return " ".join(text.split())
