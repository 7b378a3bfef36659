"""Read what a review headline is about: series, season, episode(s), volume, kind.

Headlines come in many house styles, e.g.
  REVIEW: ‘Twilight Out Of Focus’ Episode 12 — “A Red Thread”
  Frieren: Beyond Journey’s End – 12 – All Who Work Hard are Warriors
  Episode 7 – Kaiju No. 8
  English Dub Review: Twilight Out of Focus “A Red Thread”
  Hauru no ugoku shiro [Howl's Moving Castle] (2004)
parse_headline reads them all into one Headline so reviews of the same
episode from different outlets can be matched. What a headline does not
state stays None: nothing is guessed.

The reading goes in steps, each a family of headline:
  1. pick the line of a two-line heading, note dub/sub (pipelines.headline_noise);
  2. take out noise: scores, dates, (parentheses), [brackets], 「originals」 (pipelines.headline_noise);
  3. take off labels before the title (columns, formats, "Review of");
  4. find the series (quoted, number-first, or up to the first marker);
  5. read season, episodes, volume from what follows;
  6. decide the kind;
  7. ask the anime catalogue what the words cannot tell (pipelines.headline_catalogue).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from pipelines.headline_noise import Notes, pick_line, squash, take_noise, version_of
from pipelines.headline_catalogue import (
    SHIPPED, catalogue_links, catalogue_series, one_show_named, resolve, title_in_sentence, with_catalogue,
)
from pipelines.kinds import Kind

from pipelines.headline_families import (  # noqa: F401 - WORD_ORDINALS is part of this module's API
    _ACT, _AFTER_REVIEW, _ARC, _BRACKET_LABEL, _BRITISH_SERIES, _COLON_TAGLINE, _COLUMN_LABEL, _COMPLETE_SERIES,
    _DASH_AFTER_SEASON, _DASH_EPISODE, _DASH_TITLE, _DISC, _DOUBLE_QUOTED, _EDITION_RE, _EPISODE, _EPISODE_OF,
    _EPISODE_RULE, _E_ONLY, _FIRST_ACT, _FIRST_EPISODE, _FIRST_IMPRESSIONS, _FORMAT_LABEL, _GUEST_POST,
    _LABEL_BEFORE_QUOTE, _LEADING_TAGLINE, _LEAD_IN, _LISTICLE, _MEDIUM_SUFFIX, _MOVIE, _MULTI_SHOW, _NEWS,
    _NUMBER_FIRST, _ONLY_REVIEW_WORD, _ON_STREAMER, _ORDINAL_EPISODE, _PART, _PREMIERE, _PREMIERE_FINALE,
    _PULL_QUOTE, _QUOTED_INSIDE, _QUOTED_START, _RANGE, _RANKED, _RANKING_LABEL, _RECAP, _REVIEW_WORD,
    _REVIEW_OPENING, _ROMAN_SEASON_SUFFIX, _ROUNDUP_SEASON_REVIEWS, _SEASON_OF, _ROUNDUP_WEEK, _SEASON, _SEASON_BATCH, _SEASON_DIGIT, _SENTENCE,
    _SERIES_END, _SINGLE_QUOTED, _SITE_LABEL, _SPECIAL, _SPELLED, _STATEMENT_END, _SXE, _TAGLINE, _TRAILING_NUMBER,
    _VERSION_TAG, _VOLUME, _WEEKLY_LABEL, _WHOLE_SEASON, WORD_NUMBERS, WORD_ORDINALS,
)


@dataclass(frozen=True)
class Headline:
    series: str | None  # the show's title as written, outer quotes removed
    season: int | None
    episode_start: int | None
    episode_end: int | None  # == episode_start for a single episode; None where a range's end is unsaid
    episode_title: str | None  # without its quotes
    kind: Kind  # what the review is of (pipelines.kinds); a Kind equals its string, "episode"…
    version: str | None  # "sub", "dub" or None
    volume: int | None = None  # kind "volume": the (first) volume/collection/set number
    year: int | None = None  # "Akira (1988)"
    aliases: tuple[str, ...] = ()  # bracketed translations: "Hauru no ugoku shiro [Howl's Moving Castle]"
    # False when nothing in the headline says what the review is of (a bare title: "Your Name."), so the kind is
    # the default, series: the catalogue may know better (a film). See SeriesPipeline. (Not part of equality: two
    # readings of one headline are the same reading.)
    kind_stated: bool = field(default=True, compare=False)
    # A column of several shows ("Spring 2018 Reviews"): its kind is what it reviews of each; no one show's review.
    roundup: bool = field(default=False, compare=False)


MAX_CHARS = 300  # headlines are short; anything longer is cut before regex work

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


def _number(raw: str) -> int:
    """'12', '#02', 'Seven', 'third', 'III' -> int."""
    raw = raw.strip("#").lower()
    if raw.isdigit():
        return int(raw)
    if raw in WORD_NUMBERS:
        return WORD_NUMBERS[raw]
    if raw in WORD_ORDINALS:
        return WORD_ORDINALS[raw]
    return roman_to_int(raw)


def _take_labels(text: str) -> tuple[str, str]:
    """Take off labels before the title; return (rest, the labels taken)."""
    taken = []
    for _ in range(4):  # labels stack ("[Review] Recap:"), but only so far
        for pattern in (_BRACKET_LABEL, _GUEST_POST, _SITE_LABEL, _FORMAT_LABEL, _REVIEW_OPENING, _LABEL_BEFORE_QUOTE,
                        _COLUMN_LABEL, _LEAD_IN, _LEADING_TAGLINE):
            m = pattern.match(text)
            if m and m.end() > 0 and m.end() < len(text):
                taken.append(m[0])
                text = text[m.end():]
                break
        else:
            break
    return text.strip(), " ".join(taken)


def _clean_series(series: str) -> str | None:
    series = series.strip(" :–—‒|-,")
    return series or None


def _split_unquoted(text: str) -> tuple[str | None, str]:
    end = _SERIES_END.search(text)
    cut = end.start() if end else len(text)
    if (tag := _COLON_TAGLINE.search(text)) and tag.start() < cut:
        cut = tag.start()
    series, rest = text[:cut], text[cut:]
    return _clean_series(series), rest


def _split_series(text: str) -> tuple[str | None, str, bool]:
    """Split into (series, rest, was_quoted)."""
    if m := _QUOTED_START.match(text):
        inner = (m["single"] or m["double"]).strip()
        series, inside = _split_unquoted(inner)  # "Reacher: Season 2" inside the quotes
        if series and inside.strip():  # "Reacher: Season 2", "Akira: 25th Anniversary Edition"
            return series, inside + " " + text[m.end():], True
        return inner, text[m.end():], True
    series, rest = _split_unquoted(text)
    if m := _QUOTED_INSIDE.search(text):
        before = text[: m.start()]
        if not (_EPISODE.search(before) or _SXE.search(before) or _SEASON.search(before)):
            return m["single"].strip(), text[m.end():], True
    return series, rest, False


def _episode_title(rest: str) -> tuple[str | None, str]:
    """Pull a quoted episode title out of rest; return (title, rest without it)."""
    m = _DOUBLE_QUOTED.search(rest) or _SINGLE_QUOTED.search(rest)
    if not m or _TAGLINE.search(rest[: m.start()]) or _PULL_QUOTE.search(rest[: m.start()]):
        return None, rest
    title = (m.group(1) or m.group(2) or "").strip(" “”\"‘’'")
    return title or None, rest[: m.start()] + rest[m.end():]


def _season(rest: str) -> int | None:
    if m := _SXE.search(rest):
        return int(m.group(1) or m.group(3))
    if m := _SEASON.search(rest):
        return _number(next(g for g in m.groups() if g))
    return None


def _episodes(rest: str, season_found: bool) -> tuple[int | None, int | None]:
    if m := _RANGE.search(rest):
        return _number(m.group(1)), _number(m.group(2))
    if m := _SXE.search(rest):
        episode = int(m.group(2) or m.group(4))
        return episode, episode
    if (m := _EPISODE.search(rest)) or (m := _E_ONLY.search(rest)):
        return _number(m.group(1)), _number(m.group(1))
    if m := _ORDINAL_EPISODE.search(rest):
        episode = int(m.group(1)[:-2]) if m.group(1)[0].isdigit() else _number(m.group(1))
        return episode, episode
    if m := _DASH_EPISODE.match(rest):
        return int(m.group(1)), int(m.group(2) or m.group(1))
    if season_found and (m := _DASH_AFTER_SEASON.search(rest)):
        return int(m.group(1)), int(m.group(1))
    return None, None


def _volume(rest: str) -> int | None:
    if m := _VOLUME.search(rest):
        return _number(next(g for g in m.groups() if g))
    return None


def _other(version: str | None, series: str | None = None, season: int | None = None) -> Headline:
    return Headline(series, season, None, None, None, Kind.OTHER, version)


def _roundup(clean: str, version: str | None) -> Headline:
    """A column of several shows: no series; what it reviews of each where the headline says it."""
    if _FIRST_EPISODE.search(clean):
        return Headline(None, None, 1, 1, None, Kind.EPISODES, version, roundup=True)
    kind = (Kind.EPISODES if _ROUNDUP_WEEK.search(clean) else Kind.SEASON if _ROUNDUP_SEASON_REVIEWS.search(clean)
            else Kind.OTHER)
    return Headline(None, None, None, None, None, kind, version, roundup=True)


@dataclass
class _Reading:
    """A headline as parse_headline's steps read it, field by field."""
    clean: str  # the line without noise
    notes: Notes
    version: str | None
    second_line: str
    labels: str = ""  # the labels taken off before the title
    rule: re.Match | None = None  # "3 Episode Rule –"
    ranked: bool = False
    series: str | None = None
    rest: str = ""  # what follows the series
    quoted: bool = False
    title: str | None = None
    aliases: tuple[str, ...] = ()
    head: str = ""  # the part of rest before a tagline: where dash numbers count
    season: int | None = None
    ep_start: int | None = None
    ep_end: int | None = None
    volume: int | None = None
    kind_guessed: bool = False  # _kind fell through to its default
    known: bool = False  # the catalogue knows the series as written: its digits are its own ("Golgo 13")


def parse_headline(text: str, catalogue=SHIPPED) -> Headline:
    """The headline's reading; `catalogue` (a pipelines.linking.CatalogueIndex, the shipped one by default, None for
    the words alone) tells films from shows and names inside phrases (pipelines.headline_catalogue)."""
    index = resolve(catalogue)
    line, second_line = pick_line((text or "")[:MAX_CHARS])
    version = version_of(line)
    clean, notes = take_noise(squash(_VERSION_TAG.sub(" ", line)))
    if not clean or _LISTICLE.search(clean) or (not _REVIEW_WORD.search(clean) and _NEWS.search(clean)):
        return _other(version)
    if _MULTI_SHOW.search(clean) and not _WEEKLY_LABEL.match(clean):
        roundup = _roundup(clean, version)
        return replace(roundup, series=one_show_named(clean, index)) if index else roundup
    r = _Reading(clean, notes, version, second_line)
    if not _read_series(r):
        return _other(version)  # "Anime Review Roundup": a label and nothing else
    known = index and not r.quoted and catalogue_series(index, r.series, r.rest, r.clean)
    if known:
        r.series, r.rest = known
    r.known = bool(index and r.series and (known or catalogue_links(index, r.series)))
    _read_title(r)
    _read_numbers(r)
    if not r.series and r.ep_start is None and r.title is None:
        return _other(version, season=r.season)
    if r.ranked or _SPECIAL.search(second_line) or _SPECIAL.search(r.series or ""):
        return Headline(r.series, r.season, None, None, None, Kind.OTHER, version)
    kind = _kind(r)
    if kind is None:
        named = index and title_in_sentence(r.clean, index)
        reading = Headline(named, None, None, None, None, Kind.SERIES, version, kind_stated=False)
        return with_catalogue(reading, index) if named else _other(version)
    if kind == Kind.VOLUME:
        r.ep_start = r.ep_end = None
    reading = Headline(r.series, r.season, r.ep_start, r.ep_end, r.title, kind, version, r.volume, notes.year,
                       r.aliases, kind_stated=not r.kind_guessed)
    return with_catalogue(reading, index) if index else reading


def _read_series(r: _Reading) -> bool:
    """Step 3 and 4: labels before the title (some say what follows), then the series: number first,
    "Episode N of X", quoted, or up to the first marker. False for a label with nothing after it."""
    r.rule = _EPISODE_RULE.match(r.clean)
    body = r.clean[r.rule.end():] if r.rule else r.clean
    ranking = _RANKING_LABEL.match(body)
    body = body[ranking.end():] if ranking else body
    body, r.labels = _take_labels(body)
    r.ranked = bool(ranking or _RANKED.search(body))
    if first := _NUMBER_FIRST.match(body):
        r.ep_start, r.ep_end = _number(first.group(1)), _number(first.group(2) or first.group(1))
        r.series, r.rest, r.quoted = _split_series(first["rest"])
        if r.quoted and not first["rest"].startswith(("‘", "'")):  # "Episode 1 – “Operation Strix”"
            r.series, r.rest = None, first["rest"]
    elif season_of := _SEASON_OF.match(body):
        r.series, r.rest, r.quoted = _split_series(season_of["series"])
        number = season_of["n"].rstrip("stndrh") if season_of["n"][0].isdigit() else season_of["n"]  # "2nd" -> 2
        r.rest = f"Season {_number(number)} {r.rest}"
    elif of := _EPISODE_OF.search(body):
        r.series, r.quoted = of["series"].strip(), True
        r.rest = body[: of.start()] + body[of.start(): of.start("series")]
    else:
        r.series, r.rest, r.quoted = _split_series(body)
    if r.series and not r.quoted:
        r.series = r.series if _MOVIE.search(r.series) else _ARC.sub("", r.series)  # "… The Movie: Reze Arc"
        r.series = _MEDIUM_SUFFIX.sub("", r.series) if r.rest.strip() else r.series
    return bool(r.series or not _REVIEW_WORD.search(r.clean) or r.ep_start or r.rule or _SEASON.search(r.rest))


def _read_title(r: _Reading) -> None:
    """A quoted or bracketed episode title; a bracketed translation is an alias."""
    r.title, r.rest = _episode_title(r.rest)
    bracketed = r.notes.bracketed
    if r.title is None and bracketed and r.series and _DASH_EPISODE.match(r.rest):
        r.title = bracketed  # "Zom 100 – 2 [Episode title]"
    r.aliases = r.notes.aliases
    if bracketed and r.title != bracketed:
        r.aliases += (bracketed,)  # "Hauru no ugoku shiro [Howl's Moving Castle]"
    # Numbers: only what comes before a tagline ("Season 1 Is A Tender …") is structure for dashes.
    head = r.rest[: t.start()] if (t := _TAGLINE.search(r.rest)) else r.rest
    r.head = head[: t.start()] if (t := _AFTER_REVIEW.search(head)) else head


def _read_numbers(r: _Reading) -> None:
    """Step 5: season, episodes and volume from what follows the series."""
    r.season = _season(r.rest)
    if r.season is None and r.series and not r.quoted and (numbered := _ROMAN_SEASON_SUFFIX.match(r.series)):
        r.series, r.season = numbered["series"], roman_to_int(numbered["numeral"])
    if r.ep_start is None:
        r.ep_start, r.ep_end = _episodes(r.head, r.season is not None)
    if r.ep_start is None and r.rule:
        r.ep_start, r.ep_end = 1, _number(r.rule.group(1))
    if r.ep_start is None and _FIRST_ACT.search(r.head):
        r.ep_start = 1  # "Acts I and II": from episode 1, to an episode unsaid
    premiere = _PREMIERE.search(r.head) or _PREMIERE.search(r.labels)
    if r.ep_start is None and (_FIRST_EPISODE.search(r.labels) or (premiere and not _PART.search(r.rest))):
        r.ep_start = r.ep_end = 1
    if not r.series or r.quoted:
        pass
    elif r.season is None and r.ep_start is not None and (digit := _SEASON_DIGIT.search(r.series)):
        r.series, r.season = r.series[: digit.start()], int(digit[1])  # "Chihayafuru 2 Episode #05"
    elif (not r.known and r.season is None and r.ep_start is None and (bare := _TRAILING_NUMBER.search(r.series))
          and (_ONLY_REVIEW_WORD.fullmatch(r.rest) or (bare["number"] or "").isdigit() and len(bare["number"]) == 2
               and _DASH_TITLE.match(r.rest))):  # "Ben-To 12 - Orthrus' Weakness"
        number = bare["number"]
        r.series = r.series[: bare.start()]
        if bare["start"]:
            r.ep_start, r.ep_end = int(bare["start"]), int(bare["end"])
        elif len(number) == 1:
            r.season = int(number)
        else:
            r.ep_start = r.ep_end = int(number)
    r.volume = None if r.season is not None and _SEASON_BATCH.search(r.rest) else _volume(r.rest)
    if (part := _PART.search(r.head)) is not None:  # not in a tagline ("… Review: The Horrifying End of Part Two.")
        number = _number(part.group(1))
        if _SPELLED.match(part.group(1)) or _BRITISH_SERIES.search(r.rest):
            r.volume = r.volume if r.volume is not None else number  # disc set: "Season One: Part Two"
        elif r.season is None:
            r.season = number  # a cour: "Kaguya-sama Part 2"


def _kind(r: _Reading) -> Kind | None:
    """Step 6: what the review is of; None for a sentence that names no show."""
    notes, rest = r.notes, r.rest
    no_numbers = r.season is None and r.ep_start is None and r.volume is None
    # Only the words before a separator or a colon tagline can be the sentence ("OddTaxi – It’s Very Odd, …").
    statement = _STATEMENT_END.split(r.clean, maxsplit=1)[0]
    if (no_numbers and not r.quoted and r.title is None and not _REVIEW_WORD.search(r.clean)
            and not notes.medium and _SENTENCE.search(statement) and not _ON_STREAMER.search(statement)):
        return None
    structure = f"{r.labels} {r.series or ''} {r.head}"
    if _MOVIE.search(structure) or notes.medium == "movie" or notes.theatrical:
        return Kind.MOVIE
    if r.volume is not None:
        return Kind.VOLUME
    if r.ep_start is not None and r.ep_end != r.ep_start:
        return Kind.EPISODES
    if (r.ep_start is not None or r.title or _PREMIERE_FINALE.search(f"{r.labels} {r.head}")
            or _FIRST_IMPRESSIONS.search(structure) or (no_numbers and _RECAP.search(f"{r.labels} {rest}"))):
        return Kind.EPISODE
    if _ACT.search(rest):
        return Kind.EPISODES
    if r.season is not None or notes.tv_run or _WHOLE_SEASON.search(rest):
        return Kind.SEASON
    if _COMPLETE_SERIES.search(rest):
        return Kind.SERIES
    if no_numbers and (notes.year or notes.disc or _DISC.search(r.labels) or _EDITION_RE.search(rest)):
        # "Akira (1988)", "Akira (Blu-ray Disc)": a dated or disc title with no numbers is a film, unless the
        # catalogue knows the show on TV ("Bocchi The Rock! (2022)")
        r.kind_guessed = True
        return Kind.MOVIE
    r.kind_guessed = True
    return Kind.SERIES
