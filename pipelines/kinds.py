"""The kinds of review, named once: what `reviews.kind` holds, for Python and for the SQL built from it.

Live SQL takes its `kind in (...)` lists from these tuples through `sql_list`; frozen migrations keep the
literals of their time (history, see `migrations`).
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class Kind(StrEnum):
    """What a review is of. A member equals its string: `item["kind"] == Kind.EPISODE`."""

    EPISODE = "episode"
    EPISODES = "episodes"  # a range: "Episodes 1-4"
    SEASON = "season"
    SERIES = "series"  # a whole series, no season
    MOVIE = "movie"
    VOLUME = "volume"
    OTHER = "other"


KINDS: tuple[Kind, ...] = tuple(Kind)
# Reviews that count towards each episode they cover (the episode consensus).
EPISODE_KINDS: tuple[Kind, ...] = (Kind.EPISODE, Kind.EPISODES)
# Reviews of a whole season or a whole series: series_scores' season side, kept apart from the episodes.
WHOLE_KINDS: tuple[Kind, ...] = (Kind.SEASON, Kind.SERIES)


def sql_list(kinds: Iterable[str]) -> str:
    """An SQL `in` list of these kinds: ('episode', 'episodes')."""
    kinds = [str(kind) for kind in kinds]
    assert all(kind.isidentifier() for kind in kinds), kinds  # literals of this module, never a page's text
    return "(" + ", ".join(f"'{kind}'" for kind in kinds) + ")"


def sql_literal(kind: str) -> str:
    """One kind as an SQL string literal: 'season'."""
    return sql_list([kind])[1:-1]
