"""Bounds on what a page can make us store: every value a stranger's page sends is checked against what a real
review can hold, and anything beyond it is refused with its reason (in `dropped_items`, with the field).

- numbers: a season past 100, an episode past 5,000 (One Piece is past 1,100), a range of more than 500 episodes
  (a whole long-running show: each episode of a range is a row of the consensus), votes past a billion.
  Every integer stored is then well inside SQLite's 64-bit range.
- text: a headline over 500 characters, a verdict over 2,000: cut to that, the rest refused.
- URLs: only http and https.
"""

from __future__ import annotations

from urllib.parse import urlsplit

MAX_SEASON = 100
MAX_EPISODE = 5_000
MAX_EPISODE_RANGE = 500
MAX_VOTES = 1_000_000_000
TEXT_LIMITS = {"headline": 500, "verdict": 2_000}
URL_SCHEMES = ("http", "https")


def is_web_url(url: str) -> bool:
    return urlsplit(url.strip()).scheme.lower() in URL_SCHEMES


def text_refusals(item: dict) -> list[tuple[str, str]]:
    """Cut the item's long texts to their limits; (field, reason) for each cut."""
    refused = []
    for field, limit in TEXT_LIMITS.items():
        text = item.get(field)
        if text and len(text) > limit:
            item[field] = text[:limit].rstrip()
            refused.append((field, f"{field} of {len(text):,} characters cut to {limit:,}"))
    return refused


def number_refusals(item: dict) -> list[tuple[str, str]]:
    """Refuse the item's season and episode numbers beyond a real show's (set to None); (field, reason) each."""
    refused = []
    season = item.get("season")
    if season is not None and not 0 <= season <= MAX_SEASON:
        item["season"] = None
        refused.append(("season", f"season {season} is beyond {MAX_SEASON}"))
    start, end = item.get("episode_start"), item.get("episode_end")
    if start is not None:
        end = start if end is None else end
        if not (0 <= start <= end <= MAX_EPISODE):
            reason = f"episodes {start}-{end} are beyond {MAX_EPISODE:,} or out of order"
        elif end - start + 1 > MAX_EPISODE_RANGE:
            reason = f"a range of {end - start + 1:,} episodes ({start}-{end}) is longer than {MAX_EPISODE_RANGE}"
        else:
            reason = None
        if reason:
            item["episode_start"] = item["episode_end"] = None
            refused.append(("episodes", reason))
    return refused


def votes(raw: int | None) -> int | None:
    """A vote count, or None past any real audience's."""
    return raw if raw is not None and 0 <= raw <= MAX_VOTES else None
