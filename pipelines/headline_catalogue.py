"""What the anime catalogue adds to a headline's reading: pipelines.headlines.parse_headline's last step.

A headline's words alone cannot tell a film from a TV show ("Your Name.") nor a show's name from the phrase
around it ("Want A Dash Of Satoshi Kon's PAPRIKA?!"). The catalogue's names can (a `CatalogueIndex`: the crawl's,
or by default the one shipped in data/catalogue/). A name found here must be exactly one show's: its title, an
alias of data/series_aliases.yml or a name of data/catalogue/names.yml, never a fuzzy match. Families:
  film title          a bare title the catalogue knows as a film is a film's review ("Howl's Moving Castle Review"),
                      and a dated one it knows on TV a show's ("Bocchi The Rock! (2022)")
  later-season title  a bare title that alone names a later season is that season's review ("DR. STONE: NEW WORLD")
  title: tagline      a known title, a colon or dash, then a description: "A"/"An" and four words or more, naming
                      no show ("Kowloon Generic Romance: A Fascinating Mystery Sci Fi Romance"); a subtitle
                      ("Made in Abyss: Dawn of the Deep Soul", "Bleach: The Thousand Year Bloodwar") stays
  phrase: title       a phrase no show is called, a colon or dash, then a known title
                      ("Epic Revelations Unveiled: The Heavenly Delusion Finale …")
  known title first   a known title opening the headline is the series, whatever its words ("Yuki Yuna is a
                      Hero: Hero Chapter – Episode 3", "BanG Dream! It's MyGO!!!!! – Episode 6")
  title with a dash   a known title the word rules cut at its own separator runs on to where it ends
                      ("Series Review: Kino's Journey – the Beautiful World"); a known show's subtitle only where
                      an episode number follows ("Kaguya-sama: Love is War – The First Kiss That Never Ends – 04")
  title after phrase  a phrase or a column, a separator, then a known title ("Consequences of Holding a Grudge –
                      That Time I Got Reincarnated as a Slime Episode 5 Review", "Anime Eiga Review: …")
  title, tagline      a known title, a comma and three words or more ("Frieren, The One Worth Waiting For"), a
                      known title's possessive ("Chainsaw Man's Bombastic, Gory First Episode Lives Up …"), or a
                      maker's possessive before a known title ("Kon Satoshi's PERFECT BLUE")
  glued lines         a title glued to the line after it by text extraction ("AkiraBandai Visual (Blu-ray)")
  title in a sentence a headline that reads as a sentence naming no show, holding one known title written as a
                      title (each word capitalised, a single word in capitals): "… Satoshi Kon's PAPRIKA?!"
  roundup of one show a roundup naming one known show and no list of shows ("Manga Haul! 10 Zatch Bell Volumes")
"""

from __future__ import annotations

import functools
import re
from dataclasses import replace
from pathlib import Path

from pipelines.kinds import Kind
from pipelines.series import STOP_WORDS, load_aliases, series_key

SHIPPED = "shipped"  # parse_headline's default catalogue: the snapshot in data/catalogue/
ALIASES = Path(__file__).resolve().parents[1] / "data" / "series_aliases.yml"
MIN_NAME_LETTERS = 5  # a known name shorter than this ("86", "Dash") is too likely an ordinary word in a phrase
_TAGLINE = re.compile(r"^an?\s+(?:\S+\s+){3,}\S")  # "A Fascinating Mystery Sci Fi Romance"
MAX_NAME_WORDS = 8
MIN_SENTENCE_WORDS = 6  # an unknown "series" this long is a sentence: a known title inside it is the show
_SPLIT = re.compile(r":\s+|\s[–—‒|-]\s")
_COMMA_TAGLINE = re.compile(r"^(?P<title>[^,]+),\s+\S+(?:\s+\S+){2,}$")  # a title, a comma, three words or more
_POSSESSIVE = re.compile(r"^(?P<title>.+?)[’']s\s")  # "Chainsaw Man’s Bombastic, Gory"
_AUTHORS = re.compile(r"^[^’']{2,40}[’']s\s+(?P<title>.+)$")  # "Kon Satoshi’s PERFECT BLUE": a maker's film
_GLUE = re.compile(r"(?<=[a-z])(?=[A-Z][a-z])")  # "AkiraBandai": a lower-case letter then a capitalised word
_EDGE = " ?!.,:;\"'“”‘’()"
# Where a title may end: a separator, the end, numbers, a review word.
_TITLE_END = re.compile(r"\s*(?:$|[:–—‒|(\[,-]|(?:episodes?|ep\.?|season|part|vol(?:ume)?\.?|review|recap|first|anime|"
                        r"movie|film|manga|tv)\b|"
                        r"s\d|\#|\d)", re.I)
# A separator after a phrase or a label, before the show ("… – Show", "Anime Eiga Review: Show", "Podcast | Show").
_AFTER_PHRASE = re.compile(r"\s*(?:(?:anime\s+|movie\s+|film\s+)?(?:review|recap)s?\s*)?(?::|[–—‒|-])\s+", re.I)


@functools.cache
def shipped_index():
    """The shipped catalogue's index, built once per process (about a second); None where it is not on disk."""
    from pipelines.catalogue import SNAPSHOT, group_shows, read_snapshot
    from pipelines.linking import NAMES, CatalogueIndex, load_names

    if not SNAPSHOT.is_file():
        return None
    rows = read_snapshot()
    group_shows(rows)
    index = CatalogueIndex(rows, load_aliases(ALIASES) if ALIASES.is_file() else {})
    if NAMES.is_file():
        index.add_names(load_names(NAMES))
    return index


def resolve(catalogue):
    return shipped_index() if catalogue == SHIPPED else catalogue


def known_name(index, name: str, unique: bool = True) -> str | None:
    """The name as written, if it is exactly one show's (a leading "The" aside: "The Heavenly Delusion"); with
    unique=False, a name of more than one show (a film and a TV series of one title) counts too."""
    candidate, shows = _shows_named(index, name)
    return candidate if len(shows) == 1 or shows and not unique else None


def _show(index, name: str) -> str | None:
    shows = _shows_named(index, name)[1]
    return next(iter(shows)) if len(shows) == 1 else None


def _shows_named(index, name: str) -> tuple[str, set[str]]:
    """(the name as matched, the shows whose title, alias or names.yml name it is): as written, else without "The"."""
    name = name.strip(_EDGE)
    for candidate in (name, re.sub(r"^the\s+", "", name, flags=re.I)):
        key = series_key(candidate)
        if len(key.replace(" ", "")) < MIN_NAME_LETTERS or not set(key.split()) - STOP_WORDS:
            continue
        methods = index.names.get(key, {})
        shows = {index.show_of(entry) for entry in methods.get("title", ())} | set(methods.get("alias", ()))
        if shows:
            return candidate, shows
    return name, set()


def with_catalogue(headline, index):
    """The headline with what the catalogue knows: a series cut out of a tagline, the kind of a bare title."""
    series = headline.series
    if not series or headline.roundup or catalogue_links(index, series):
        return _bare_title_kind(headline, index)
    cut = _cut_series(index, series)
    return _bare_title_kind(replace(headline, series=cut) if cut else headline, index)


def one_show_named(text: str, index) -> str | None:
    """Family: a roundup naming one show ("Manga Haul! 10 Zatch Bell Volumes and Plenty More!"): its longest
    known name written as a title, where the text names no other show; None for none, several, or a list of shows
    ("Spring 2022 Impressions: A, B": the catalogue may not know them all)."""
    if re.search(r":[^:]*,", text):
        return None
    words = text.split()
    opens = _may_open(index, words)
    names: dict[str, str] = {}  # show -> longest name
    for size in range(min(MAX_NAME_WORDS, len(words)), 0, -1):
        for start in (start for start in range(len(words) - size + 1) if opens[start]):
            chunk = words[start:start + size]
            if _written_as_title(chunk) and (name := known_name(index, " ".join(chunk))):
                show = _show(index, name)
                if show and all(name not in longer for longer in names.values()):
                    names.setdefault(show, name)
    return next(iter(names.values())) if len(names) == 1 else None


def title_in_sentence(headline_text: str, index) -> str | None:
    """Family: title in a sentence. The longest known name written as a title; None if none or two."""
    words = headline_text.split()
    opens = _may_open(index, words)
    for size in range(min(MAX_NAME_WORDS, len(words)), 0, -1):
        found = {name for start in range(len(words) - size + 1) if opens[start]
                 and _written_as_title(chunk := words[start:start + size]) and (name := known_name(index, " ".join(chunk)))}
        if found:
            return found.pop() if len(found) == 1 else None
    return None


def catalogue_series(index, series: str | None, rest: str, clean: str) -> tuple[str, str] | None:
    """(series, rest) where a known title shows the word rules' series wrong, else None. Families:
    known title at the start ("Yuki Yuna is a Hero: Hero Chapter – Episode 3": " is a " ends no title here),
    title with a dash, and a known title after the separator that follows a phrase or a label ("Consequences of
    Holding a Grudge – That Time I Got Reincarnated as a Slime Episode 5", "Anime Eiga Review: …")."""
    from pipelines.headline_families import _DASH_EPISODE

    if series and catalogue_links(index, series):
        # A known show's subtitle runs on only where an episode number follows it ("Kaguya-sama: Love is War – The
        # First Kiss That Never Ends – 04"); else it is the season's name ("… – Swordsmith Village Arc Ep. 5").
        longer = _longer_title(index, series, rest)
        return longer if longer and _DASH_EPISODE.match(longer[1]) else None
    at = clean.find(series) if series else -1
    for text in (clean, clean[at:] if at > 0 else ""):
        if (start := known_start(index, text)) and len(start) > len(series or ""):
            return start, text[len(start):]
    if series and (longer := _longer_title(index, series, rest)):
        return longer
    if series and (separator := _AFTER_PHRASE.match(rest)) and (start := known_start(index, rest[separator.end():])):
        return start, rest[separator.end() + len(start):]
    return None


def known_start(index, text: str) -> str | None:
    """The longest run of words opening the text that is a known title and ends where a title may end (a
    separator, the end, numbers, a review word): "Monster" does not open "Monster Hunter Stories"."""
    words = text.split(" ")[:MAX_NAME_WORDS + 4]
    if not words or not _may_open(index, words[:2])[0]:
        return None
    for size in range(len(words), 0, -1):
        candidate = " ".join(words[:size]).rstrip(" :–—‒|,-")
        if _TITLE_END.match(text, len(candidate)) and known_name(index, candidate, unique=False):
            return candidate
    return None


def _longer_title(index, series: str, rest: str) -> tuple[str, str] | None:
    """Family: title with a dash. (series, rest) with the known title whole, or None."""
    from pipelines.headline_families import _SERIES_END

    separator = re.match(r"\s*(?::|[–—‒|-])\s+", rest)
    if not separator:
        return None
    tail = rest[separator.end():]
    end = _SERIES_END.search(tail)
    candidate = series + rest[: separator.end()] + tail[: end.start() if end else len(tail)].rstrip()
    if candidate != series and known_name(index, candidate, unique=False):
        return candidate, rest[len(candidate) - len(series):]
    return None


def _may_open(index, words: list[str]) -> list[bool]:
    """For each word, whether a known name may start there (itself, or the word after a "The", opens a name)."""
    firsts = [(series_key(word).split() or [""])[0] for word in words]
    return [first in index.opening_words or first == "the" and i + 1 < len(firsts) and firsts[i + 1] in index.opening_words
            for i, first in enumerate(firsts)]


def _written_as_title(words: list[str]) -> bool:
    if len(words) == 1:
        letters = re.sub(r"\W", "", words[0])
        return len(letters) >= 4 and letters.isupper()
    return all(word.strip(_EDGE)[:1].isupper() or word.strip(_EDGE)[:1].isdigit() or word.lower() in STOP_WORDS
               for word in words)


def catalogue_links(index, series: str) -> bool:
    """Whether the series links to a show of the catalogue."""
    link = index.link_by_name(series_key(series))
    return bool(link and link.catalogue_id)


def _cut_series(index, series: str) -> str | None:
    """Families title: tagline, phrase: title and glued lines, for a series the catalogue does not know whole."""
    parts = _SPLIT.split(series, maxsplit=1)
    if len(parts) == 2:
        before, after = parts
        if (name := known_name(index, before)) and _TAGLINE.match(after.lower()) and not known_name(index, after):
            return name
        if (name := known_name(index, after)) and not known_name(index, before):
            return name
    for cut in (_COMMA_TAGLINE.match(series), _POSSESSIVE.match(series), _AUTHORS.match(series)):
        if cut and (name := known_name(index, cut["title"])):
            return name  # "Frieren, The One Worth Waiting For", "Chainsaw Man’s Bombastic, …", "Kon Satoshi’s PERFECT BLUE"
    if glue := _GLUE.search(series):
        return known_name(index, series[: glue.start()])
    if _reads_as_sentence(series):  # a sentence the word rules took whole ("20 Years Later: SPIRITED AWAY is Studio
        return title_in_sentence(series, index)  # Ghibli's magnum opus")
    return None


def _reads_as_sentence(text: str) -> bool:
    """Six words or more, two of them lower-case words that are no stop words: "… is Studio Ghibli's magnum opus",
    not "Demon Slayer The Movie: Mugen Train" nor "KAGUYA-SAMA: LOVE IS WAR -ULTRA ROMANTIC"."""
    words = text.split()
    lower = [word for word in words if word.isalpha() and word.islower() and word not in STOP_WORDS]
    return len(words) >= MIN_SENTENCE_WORDS and len(lower) >= 2


def _bare(headline) -> bool:
    return not headline.kind_stated and headline.kind in (Kind.SERIES, Kind.MOVIE)


def _bare_title_kind(headline, index):
    """Families film title and later-season title: the kind (and season) a bare title leaves unsaid."""
    if not _bare(headline) or not headline.series:
        return headline
    key = series_key(headline.series)
    if headline.kind == Kind.SERIES and (season := index.season_named(key)):
        return replace(headline, kind=Kind.SEASON, season=season)
    types = _types_named(index, key)
    if types == {"movie"}:
        return replace(headline, kind=Kind.MOVIE)
    if types and "movie" not in types:
        return replace(headline, kind=Kind.SERIES)  # a dated title ("Bocchi The Rock! (2022)") of a TV show
    return headline


def _types_named(index, key: str) -> set[str]:
    """The types (tv, movie, ova…) of the shows a name links to; of every show it names where it names several
    ("Hunter x Hunter": the 1999 and the 2011 series are both TV)."""
    link = index.link_by_name(key)
    if link and link.catalogue_id:
        shows = {link.catalogue_id}
    else:
        methods = index.names.get(key, {})
        shows = {index.show_of(entry) for entry in methods.get("title", ())} | set(methods.get("alias", ()))
    return {index.entries[show]["type"] for show in shows if show in index.entries}
