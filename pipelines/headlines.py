"""Read what a review headline is about: series, season, episode(s), title, kind.

Headlines come in a handful of house styles, e.g.
  REVIEW: ‘Twilight Out Of Focus’ Episode 12 — “A Red Thread”
  Twilight Out of Focus – Episode 12 Review
  English Dub Review: Twilight Out of Focus “A Red Thread”
parse_headline reads them all into one Headline so reviews of the same
episode from different outlets can be matched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Headline:
    series: str | None  # the show's title as written, outer quotes removed
    season: int | None
    # For kind "volume" these hold the volume number instead, so that reviews
    # of different volumes of one manga never look alike.
    episode_start: int | None
    episode_end: int | None  # == episode_start for a single episode
    episode_title: str | None  # without its quotes
    # episode, episodes, season, series, volume, movie, first-impressions, other
    kind: str
    version: str | None  # "sub", "dub" or None


WORD_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5,
    "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
}
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def roman_to_int(numeral: str) -> int:
    """'IV' -> 4; raises ValueError for anything that is not a Roman numeral."""
    digits = [_ROMAN.get(ch) for ch in numeral.upper()]
    if not digits or None in digits:
        raise ValueError(f"not a Roman numeral: {numeral!r}")
    total = 0
    for digit, following in zip(digits, digits[1:] + [0]):
        # A smaller digit before a larger one is subtracted (IV, IX, XL).
        total += -digit if digit < following else digit
    return total


def _season_number(raw: str) -> int:
    raw = raw.lower()
    if raw.isdigit():
        return int(raw)
    if raw in WORD_ORDINALS:
        return WORD_ORDINALS[raw]
    return roman_to_int(raw)


_ORDINAL_WORDS = "|".join(WORD_ORDINALS)
_SEP = r"[:\-–—‒|]"

# Leading labels outlets put before the show; several may stack ("[Review] Recap:").
_PREFIX = re.compile(
    rf"""^(?:
        \[\s*review\s*\]\s*{_SEP}?
      | (?:english\s+)?(?:(?:simul)?dub(?:bed)?\s+|sub(?:bed)?\s+)?
        (?P<medium>anime\s+|manga\s+|light\s+novel\s+|movie\s+|film\s+|episode\s+|season\s+|series\s+)?
        (?:review|recap)\b\s*{_SEP}?
      | (?P<first>first\s+impressions?)\s*{_SEP}
    )\s*""",
    re.I | re.X,
)
_VERSION_TAG = re.compile(r"[(\[]\s*(?:english\s+)?(?:(?:simul)?dub(?:bed)?|sub(?:bed|titled)?)\s*[)\]]", re.I)
_DUB = re.compile(r"\b(?:simul)?dub(?:bed)?\b", re.I)
_SUB = re.compile(r"\bsub(?:bed|titled)?\b", re.I)
_FIRST_IMPRESSIONS = re.compile(r"\bfirst\s+impressions?\b", re.I)
_MOVIE = re.compile(r"\b(?:movie|film)\s+review\b|\bthe\s+movie\b", re.I)

# A series quoted at the start: ‘…’ / '…' close at a quote not followed by a
# letter, so the apostrophe in ‘Frieren: Beyond Journey’s End’ does not end it.
_QUOTED_SERIES = re.compile(
    r"""^(?:[‘'](?P<single>.+?)[’'](?![^\W\d_])|[“"”](?P<double>.+?)[”"“])"""
)

# Where an unquoted series name stops: the first sign of season, episode,
# volume, a review label or a separator.
_SERIES_END = re.compile(
    rf"""
      \s[–—‒|-]\s
    | \s[“"”‘]
    | \b(?:final\s+)?(?:episodes?|eps?\.?)\s*\#?\s*\(?\s*\d
    | \bS\d{{1,2}}(?:\s*E\d{{1,4}})?\b
    | \b\d{{1,2}}x\d{{1,3}}\b
    | \bseason\s+(?:\d+|[ivx]+)\b
    | \b(?:\d+(?:st|nd|rd|th)|{_ORDINAL_WORDS})\s+season\b
    | \bpart\s+(?:\d+|[ivx]+)\b
    | \bvol(?:ume)?\.?\s*\#?\s*\d
    | \b(?:anime\s+|movie\s+|film\s+|manga\s+|series\s+|episode\s+|season\s+)?(?:review|recap)\b
    | \bfirst\s+impressions?\b
    | \b(?:english\s+)?(?:(?:simul)?dub(?:bed)?|sub(?:bed|titled)?)\b
    """,
    re.I | re.X,
)

# "Episodes 1-4", "Episodes 5 & 6", and lists: "Episode 1, 2, & 3" covers 1 to 3.
_RANGE = re.compile(
    r"\b(?:episodes?|eps?\.?)\s*(\d+)(?:\s*,\s*\d+)*\s*,?\s*(?:-|–|—|&|\+|and|to)\s*(\d+)", re.I
)
_SXE = re.compile(r"\bS(\d{1,2})\s*E(\d{1,4})\b|\b(\d{1,2})x(\d{1,3})\b", re.I)
# "Episode 12", "Ep. 7", "#5", and finales written "Final Episode (12)".
_EPISODE = re.compile(r"\b(?:episode|eps?\.?)\s*#?\s*\(?\s*(\d+)", re.I)
# "Spy x Family Season 2 – 01": a bare number after a dash is the episode.
_DASH_EPISODE = re.compile(r"[–—‒-]\s*(\d{1,3})(?![\d\w])")
# "[Review] Frieren – 02": so is a number that is all that follows the series.
_DASH_EPISODE_ONLY = re.compile(r"^\s*[–—‒-]\s*(\d{1,4})\s*(?:review|recap)?\s*$", re.I)
# "Mob Psycho 100 III Episode 5": a Roman numeral closing the series name is its season.
_ROMAN_SEASON_SUFFIX = re.compile(r"^(?P<series>.+?)\s+(?P<numeral>I{2,3}|IV|VI{0,3}|IX|X)$")
_SEASON = re.compile(
    rf"\bseason\s+(\d+|[ivx]+)\b|\b(\d+)(?:st|nd|rd|th)\s+season\b|\b({_ORDINAL_WORDS})\s+season\b|\bS(\d{{1,2}})\b",
    re.I,
)
# Outlets number cours as "Part 2"; alone after a series it stands for the season.
_PART = re.compile(r"\bpart\s+(\d+|[ivx]+)\b", re.I)
_VOLUME = re.compile(r"\bvol(?:ume)?\.?\s*#?\s*(\d+)", re.I)
_DOUBLE_QUOTED = re.compile(r"[“”\"](.+)[“”\"]|[“”\"](.+)$")
# A single-quoted episode title follows a separator ("Episode 7 - 'To A Kinder World'"); anywhere else
# single quotes name a show ("Watch ‘Murder Drones’ for Halloween!").
_SINGLE_QUOTED = re.compile(r"(?<=[—–‒:-])\s*[‘'](.+)[’']")
# A tagline after the series ("… Is A Wild Ride") says nothing about numbers.
_TAGLINE = re.compile(r"\b(?:is|are)\b", re.I)
# Words that mark news rather than a review, when nothing says "review".
_NEWS = re.compile(
    r"\b(?:announc\w*|reveal\w*|confirm\w*|trailer|teaser|delay\w*|to watch|premiere date)\b", re.I
)
_REVIEW_WORD = re.compile(r"\b(?:review|recap)\b", re.I)

# Blogs name a post after the show and put its origin and medium in brackets, an English title after them:
# "Tasogare Outfocus (Japanese Anime Series)", "Kimi no Koto Dake Mite Itai (Japanese Series) [I Want to See Only You]".
_MEDIUM_TAG = re.compile(
    r"^(?P<series>.+?)\s*\((?:[^\W\d_]+\s+){0,3}?(?P<medium>(?:anime\s+|documentary\s+)?series|anime|movie|film|documentary)\)"
    r"\s*(?:\[[^\]]+\])?$",
    re.I,
)

_OTHER = dict(series=None, season=None, episode_start=None, episode_end=None, episode_title=None)


def _version(text: str) -> str | None:
    if _DUB.search(text):
        return "dub"
    if _SUB.search(text):
        return "sub"
    return None


def _strip_prefixes(text: str) -> tuple[str, bool, bool, bool]:
    """Remove leading labels; report (rest, had_label, is_movie, first_impressions)."""
    had_label = is_movie = first = False
    while (m := _PREFIX.match(text)) and m.end() > 0:
        had_label = True
        is_movie |= bool(m["medium"] and m["medium"].strip().lower() in ("movie", "film"))
        first |= bool(m["first"])
        text = text[m.end():]
    return text, had_label, is_movie, first


def _split_series(text: str) -> tuple[str | None, str, bool]:
    """Split into (series, rest, was_quoted)."""
    m = _QUOTED_SERIES.match(text)
    if m:
        return (m["single"] or m["double"]).strip(), text[m.end():], True
    end = _SERIES_END.search(text)
    cut = end.start() if end else len(text)
    series = text[:cut].strip(" :–—‒|-,")
    return series or None, text[cut:], False


def _episode_title(rest: str) -> tuple[str | None, str]:
    """Pull a quoted episode title out of rest; return (title, rest without it)."""
    m = _DOUBLE_QUOTED.search(rest) or _SINGLE_QUOTED.search(rest)
    if not m or _TAGLINE.search(rest[: m.start()]):
        return None, rest
    title = (m.group(1) or m.group(2) or "").strip(" “”\"‘’'")
    return title or None, rest[: m.start()] + rest[m.end():]


def _season(rest: str) -> int | None:
    m = _SEASON.search(rest) or _PART.search(rest)
    if not m:
        return None
    return _season_number(next(g for g in m.groups() if g))


def _episodes(rest: str, season_found: bool) -> tuple[int | None, int | None]:
    if m := _RANGE.search(rest):
        return int(m.group(1)), int(m.group(2))
    if m := _SXE.search(rest):
        episode = int(m.group(2) or m.group(4))
        return episode, episode
    if m := _EPISODE.search(rest):
        return int(m.group(1)), int(m.group(1))
    if (season_found and (m := _DASH_EPISODE.search(rest))) or (m := _DASH_EPISODE_ONLY.match(rest)):
        return int(m.group(1)), int(m.group(1))
    return None, None


def _season_from_sxe(rest: str) -> int | None:
    m = _SXE.search(rest)
    return int(m.group(1) or m.group(3)) if m else None


def parse_headline(text: str) -> Headline:
    clean = " ".join(text.split())
    version = _version(clean)
    clean = " ".join(_VERSION_TAG.sub(" ", clean).split())
    body, had_label, is_movie, first = _strip_prefixes(clean)
    first |= bool(_FIRST_IMPRESSIONS.search(body))
    is_movie |= bool(_MOVIE.search(body))

    if tagged := _MEDIUM_TAG.match(body):
        kind = "movie" if tagged["medium"].lower() in ("movie", "film", "documentary") else "series"
        return Headline(tagged["series"].strip(), None, None, None, None, kind, version)
    series, rest, quoted = _split_series(body)
    title, rest = _episode_title(rest)
    # Only what comes before a tagline ("Season 1 Is A Tender …") is structure.
    if tagline := _TAGLINE.search(rest):
        rest = rest[: tagline.start()]

    season = _season_from_sxe(rest) or _season(rest)
    if season is None and series and not quoted and (numbered := _ROMAN_SEASON_SUFFIX.match(series)):
        series, season = numbered["series"], roman_to_int(numbered["numeral"])
    ep_start, ep_end = _episodes(rest, season is not None)
    volume = _VOLUME.search(rest)

    is_review = had_label or quoted or bool(_REVIEW_WORD.search(clean)) or first
    has_structure = any(x is not None for x in (season, ep_start, title, volume))
    if not series or not (is_review or has_structure) or (not is_review and _NEWS.search(clean)):
        return Headline(**_OTHER, kind="other", version=version)

    if is_movie:
        kind = "movie"
    elif volume:
        kind = "volume"
        ep_start = ep_end = int(volume.group(1))
    elif first:
        kind = "first-impressions"
    elif ep_start is not None and ep_end != ep_start:
        kind = "episodes"
    elif ep_start is not None or title:
        kind = "episode"
    elif season is not None:
        kind = "season"
    else:
        kind = "series"
    return Headline(series, season, ep_start, ep_end, title, kind, version)
