"""The season of a review whose headline states none, read from what else the page says.

A headline often leaves the season out ("REVIEW: ‘SHOSHIMIN’ Episodes 1-4") while the page says it elsewhere:
  - the URL's slug:          .../shoshimin-how-to-become-ordinary-season-2-episodes-1-4/, -s2-ep-1-review/,
                             -s1e7review/, oshi-no-ko-2nd-season/, /review/fire-force-season-3/episode-5/
  - the review box's title:  "SHOSHIMIN: How To Become Ordinary Season 2 Episodes 1-4"
  - the lead paragraph:      "… returns for its second season", "The second season of Tokyo Revengers …",
                             "the first episode of season two picks up …"
Each is a family of wording, never one site's. A season the headline states always wins; among the others the
review box (the site's own label) comes first, then the URL, then the text. A source that names two different
seasons ("how season 1 compares to season 2") says nothing.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from pipelines.headline_families import WORD_NUMBERS, WORD_ORDINALS
from pipelines.headlines import parse_headline

MAX_SEASON_HINT = 30  # no show runs more seasons; a bigger "season 2024" is a year
MAX_LEAD_CHARS = 2_000  # the lead paragraph read, at most
LEAD_MIN_WORDS = 12  # a shorter first paragraph is a heading, a title or a note, not the lead

_ORDINAL = "|".join(WORD_ORDINALS)
_WORD = "|".join(WORD_NUMBERS)

# --- URL slugs: words joined by - _ / . ----------------------------------------------------------------
_SLUG_GAP = r"(?<![a-z0-9])"
_URL_SEASON = [
    # "season-2", "season2", "season_02"
    re.compile(_SLUG_GAP + r"season[-_]?(?P<n>\d{1,2})(?!\d)"),
    # "season-two", "second-season", "2nd-season"
    re.compile(_SLUG_GAP + rf"season[-_](?P<w>{_WORD})(?![a-z])"),
    re.compile(_SLUG_GAP + rf"(?P<o>{_ORDINAL})[-_]season(?![a-z])"),
    re.compile(_SLUG_GAP + r"(?P<n>\d{1,2})(?:st|nd|rd|th)[-_]season(?![a-z])"),
    # "s2", "s02e03", "-s1e7review", "-s2review": a season code, alone or glued to "review"
    re.compile(_SLUG_GAP + r"s(?P<n>\d{1,2})(?:e\d{1,4})?(?=[-_/.]|review|$)"),
]

# --- the lead paragraph --------------------------------------------------------------------------------
_NTH = rf"(?P<o>{_ORDINAL}|\d{{1,2}}(?:st|nd|rd|th))"
_AFTER_ARTICLE = r"(?:[\w’'-]+\s+){0,2}?"  # "its long-awaited", "a much darker"
_TEXT_SEASON = [
    # "returns for its second season", "is back for a third season", "has returned with its fourth season"
    re.compile(rf"\b(?:returns?|returned|is\s+back|are\s+back|comes\s+back|came\s+back)\b[^.!?]{{0,60}}?"
               rf"\b(?:for|with|in)\s+(?:its|their|a|the)\s+{_AFTER_ARTICLE}{_NTH}\s+season\b", re.I),
    # "the second season of Tokyo Revengers", "released the long-awaited second season of “Vinland Saga”"
    re.compile(rf"\b(?:the|its)\s+{_AFTER_ARTICLE}{_NTH}\s+season\s+of\b", re.I),
    # "the first episode of season two", "the premiere of season 3"
    re.compile(rf"\b(?:episode|premiere|finale|opener)\s+(?:\w+\s+)?of\s+season\s+(?P<w>\d{{1,2}}|{_WORD})\b", re.I),
    # "Season two opens with …", "season 3 picks up"
    re.compile(rf"\bseason\s+(?P<w>\d{{1,2}}|{_WORD})\s+(?:opens|begins|starts|kicks\s+off|picks\s+up|premieres)\b",
               re.I),
]
# A sentence about a season still to come, or one announced, is not about the season reviewed.
_NOT_THIS_SEASON = re.compile(
    r"\b(?:confirmed|announced|renewed|will|upcoming|next|hope|hoping|looking\s+forward|can[’']?t\s+wait)\b",
    re.I)
_SENTENCE = re.compile(r"[^.!?]+[.!?]*")


def _number(match: re.Match) -> int | None:
    groups = match.groupdict()
    if groups.get("n"):
        return int(groups["n"])
    if groups.get("w"):
        word = groups["w"].lower()
        return int(word) if word.isdigit() else WORD_NUMBERS.get(word)
    ordinal = (groups.get("o") or "").lower()
    if ordinal[:-2].isdigit():
        return int(ordinal[:-2])
    return WORD_ORDINALS.get(ordinal)


def _one_season(numbers: set[int | None]) -> int | None:
    """The season when every mention names the same one, within a real show's count; else None."""
    numbers.discard(None)
    if len(numbers) != 1:
        return None
    (season,) = numbers
    return season if 1 <= season <= MAX_SEASON_HINT else None


def season_from_url(url: str | None) -> int | None:
    """The season the URL's path states ("season-2", "s2", "2nd-season", "-s1e7review"), or None."""
    if not url:
        return None
    split = urlsplit(url)
    path = unquote(split.path + ("?" + split.query if split.query else "")).lower()[:1000]
    return _one_season({_number(m) for pattern in _URL_SEASON for m in pattern.finditer(path)})


def season_from_box(title: str | None) -> int | None:
    """The season the review box's own title states ("X Season 2 Episodes 1-4"), read as a headline."""
    return parse_headline(title, catalogue=None).season if title else None


def lead_paragraph(text: str | None) -> str:
    """The first paragraph long enough to be the review's lead (a title or a heading above it is skipped)."""
    for paragraph in (text or "").split("\n\n")[:5]:
        if len(paragraph.split()) >= LEAD_MIN_WORDS:
            return paragraph[:MAX_LEAD_CHARS]
    return ""


def season_from_text(text: str | None) -> int | None:
    """The season the lead paragraph says this is ("returns for its second season"), or None.

    Only seasons after the first count: a lead that mentions "the first season" looks back at it, and a review
    without a season is of the first already. Sentences about a season to come ("a second season is confirmed",
    "I hope the third season …") say nothing about this one.
    """
    numbers = set()
    for sentence in _SENTENCE.findall(lead_paragraph(text)):
        if _NOT_THIS_SEASON.search(sentence):
            continue
        numbers.update(_number(m) for pattern in _TEXT_SEASON for m in pattern.finditer(sentence))
    season = _one_season(numbers)
    return season if season and season > 1 else None


def season_hint(url: str | None, box_title: str | None, text: str | None) -> tuple[int, str] | None:
    """(season, where it was read) from the review box, the URL or the lead paragraph, in that order."""
    for source, season in (("review box", lambda: season_from_box(box_title)), ("URL", lambda: season_from_url(url)),
                           ("text", lambda: season_from_text(text))):
        found = season()
        if found is not None:
            return found, source
    return None
