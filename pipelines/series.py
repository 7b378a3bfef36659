"""Series identity: one series row however outlets spell a show's title.

`series_key` folds case, accents, quotes and punctuation, and drops season markers ("Season 2",
"2nd Season", "S2", "Part 2", "II"), which the headline parser has already read into `season`.
`SeriesResolver` then maps a key to a series: exact key, the alias table (English / romaji / Japanese names,
data/series_aliases.yml), a strict fuzzy match for typos, or else a new series.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, MutableMapping
from pathlib import Path

import yaml
from rapidfuzz import fuzz

# Both run on a key already folded to lowercase words separated by single spaces.
_ORDINALS = r"first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth"
# A numbered season anywhere: a quoted series keeps it before its subtitle
# ("Solo Leveling Season 2: Arise from the Shadow").
SEASON_MARKER = re.compile(
    rf"(?<=\S) (?:season (?:\d+|[ivx]+|{_ORDINALS})|(?:\d+(?:st|nd|rd|th)|{_ORDINALS}) season)\b"
)
# Looser markers only at the end, where they cannot be part of the name.
SEASON_SUFFIX = re.compile(
    r"""(?<=\S)\s+(?:
        season\s+\w+                            # Season Two
      | (?:the\s+)?final\s+season               # The Final Season
      | s\d+ | (?:part|cour)\s+(?:\d+|[ivx]+)   # S2, Part 2, Cour 2
      | ii|iii|iv|v|vi|vii|viii|ix              # Mob Psycho 100 II ("x" is left alone: Spy x ...)
    )$""",
    re.X,
)
# Japanese voicing marks are combining characters too, but ガ is not カ: keep them.
_KANA_MARKS = {"\u3099", "\u309a"}


def _fold_once(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)  # Pokémon -> Pokemon + accent; ½ -> 1⁄2; full width -> ASCII
    text = "".join(ch for ch in text if not unicodedata.combining(ch) or ch in _KANA_MARKS)
    text = unicodedata.normalize("NFC", text.casefold())
    text = text.replace("×", " x ")  # SPY×FAMILY = Spy x Family
    # Apostrophes join (Journey’s -> journeys); any other punctuation, double quotes included, splits words.
    text = re.sub(r"['’‘ʼ`]", "", text)
    text = " ".join(re.sub(r"[\W_]+", " ", text).split())
    return SEASON_SUFFIX.sub("", SEASON_MARKER.sub("", text))


@functools.lru_cache(maxsize=8192)  # headlines ask for the same few names again and again; a few MB at most
def series_key(title: str) -> str:
    # One pass is not always a fixed point (casefold can yield accents, NFKD capitals, and a stripped
    # suffix can expose another: "Season 2 Part 2"), so fold until nothing changes.
    key = _fold_once(title)
    while (again := _fold_once(key)) != key:
        key = again
    return key


def load_aliases(path: str | Path) -> dict[str, str]:
    """Read `canonical title: [other names]` YAML into {alias key: canonical title}.

    The canonical title's own key is included, so every spelling of it lands on the canonical title.
    """
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected lines of `canonical title: [other names]`")
    aliases: dict[str, str] = {}
    for canonical, others in data.items():
        if isinstance(others, str):
            others = [others]
        for name in [canonical, *(others or [])]:
            key = series_key(str(name))
            if aliases.setdefault(key, str(canonical)) != str(canonical):
                # One name for two shows would silently merge them; the file's author must choose.
                raise ValueError(f"{path}: {name!r} is listed for both {aliases[key]!r} and {canonical!r}")
    return aliases


# The fuzzy rule, measured on tests/test_series.py. Outlets' spellings of one show differ by typos
# (Focous, Freiren), spacing (Dandadan) or small words (The Apothecary Diaries / Apothecary Diaries);
# different shows sharing words differ by a whole word (Online / Offline, Super / Daima) or by words
# added after the title (Attack on Titan: Junior High). So merge only when
#   - the keys are the same letters spaced differently, or
#   - neither key is a word-prefix of the other (a subtitle or spin-off), the numbers agree
#     (Persona 4 / Persona 5 The Animation is 95 by ratio), both keys have at least MIN_FUZZY_LENGTH characters
#     (one edit in "monster" is "monsters", a different show), the keys have the same words once stop
#     words are dropped, each pair of words is a typo of the other (ratio >= WORD_RATIO: "online" /
#     "offline" is 77, "focous" / "focus" 91), and the whole is close (ratio >= RATIO).
# Measured on tests/test_series.py: the typo pairs that must merge score 95-97 by ratio; of the pairs
# that must stay apart, all but three score <= 88, and those three are stopped by the other rules
# (sword art online / offline 91: word rule; persona 4 / 5 95: numbers; monster / monsters 93: length).
# RATIO = 90 still allows one edit in a 10-character name; no single rule is trusted alone.
RATIO = 90
WORD_RATIO = 80
MIN_FUZZY_LENGTH = 10
STOP_WORDS = frozenset("the a an of and no wa ga ni wo to".split())


def _content(key: str) -> list[str]:
    return [word for word in key.split() if word not in STOP_WORDS]


def similarity(a: str, b: str) -> float:
    """How alike two keys are as spellings of one show: 0 for "never merge", else 90..100."""
    if a == b or a.replace(" ", "") == b.replace(" ", ""):
        return 100.0
    words_a, words_b = a.split(), b.split()
    n = min(len(words_a), len(words_b))
    if words_a[:n] == words_b[:n]:
        return 0.0  # one name continues the other: a subtitle or spin-off
    content_a, content_b = _content(a), _content(b)
    if (
        min(len(a), len(b)) < MIN_FUZZY_LENGTH
        or re.findall(r"\d+", a) != re.findall(r"\d+", b)
        or not content_a
        or len(content_a) != len(content_b)
        or any(fuzz.ratio(x, y) < WORD_RATIO for x, y in zip(content_a, content_b))
    ):
        return 0.0
    score = fuzz.ratio(" ".join(content_a), " ".join(content_b))
    return score if score >= RATIO else 0.0


class SeriesResolver:
    """Map each spelling of a show to one (key, title) series, for one crawl.

    With a `linker` (pipelines.linking.CatalogueIndex), spellings that link to one catalogue show resolve to one
    series (Dungeon Meshi / Delicious in Dungeon / ダンジョン飯), and a spelling never merges by the alias table
    or the fuzzy rule into a series linked to another show. `links` are the known series' links (series key ->
    Link); `on_link(series key, link)` is told each new one, to store it.
    """

    def __init__(self, known: Iterable[tuple[str, str]] = (), aliases: Mapping[str, str] | None = None,
                 linker=None, links: Mapping | None = None, on_link: Callable | None = None):
        self.titles: dict[str, str] = dict(known)  # series key -> display title (database rows + new ones)
        # alias key -> canonical title; keys are folded again so a hand-written mapping works too.
        self.aliases = {series_key(name): canonical for name, canonical in (aliases or {}).items()}
        for canonical in set(self.aliases.values()):
            self.aliases.setdefault(series_key(canonical), canonical)
        self.seen: dict[str, str] = {}  # spelling key -> series key, so a spelling always resolves alike
        self.linker, self.on_link = linker, on_link
        self.links = dict(links or {})  # series key -> Link
        self.show_series: dict[str, str] = {}  # catalogue show id -> its series key (the first one linked)
        self.named_seasons: dict[str, int | None] = {}  # spelling key -> the later season it alone names
        for key, link in sorted(self.links.items()):
            if link.catalogue_id:
                self.show_series.setdefault(link.catalogue_id, key)

    def resolve(self, title: str, item: MutableMapping | None = None) -> tuple[str, str]:
        """The (key, display title) of a show's series. `item`, the review, tells shows of one name apart; its
        season is set when the title names a later season by itself."""
        key = series_key(title)
        if not key:
            raise ValueError(f"no letters or digits in series title {title!r}")
        if self.linker and item is not None:
            # A title of a later season only (Dr. Stone: New World is season 3): the review is of that season of
            # the show, whatever the headline's default ("Episode 5" reads as season 1) or "Part 2" said.
            if key not in self.named_seasons:
                self.named_seasons[key] = self.linker.season_named(key)
            if self.named_seasons[key]:
                item["season"] = self.named_seasons[key]
        if key in self.titles:
            return key, self.titles[key]
        if key not in self.seen:
            self.seen[key] = self._find(key, title, item)
        found = self.seen[key]
        return found, self.titles[found]

    def _find(self, key: str, title: str, item: Mapping | None) -> str:
        link = None
        if self.linker:  # a series no entry fits is stored as checked ("none") too
            link = self.linker.link(key, self.linker.facts(item)) or self.linker.unlinked
        show = link.catalogue_id if link else None
        if show in self.show_series:
            return self.show_series[show]
        found = self._find_by_name(key, title)
        if show and found != key and self._show_of(found) not in (None, show):
            found = key  # the name rules would merge two shows the catalogue tells apart: a series of its own
            self.titles[key] = title
        if link and (show or found not in self.links):
            self._remember(found, link)
        return found

    def _show_of(self, series: str) -> str | None:
        link = self.links.get(series)
        return link.catalogue_id if link else None

    def _remember(self, series: str, link) -> None:
        if self._show_of(series):
            return
        self.links[series] = link
        if link.catalogue_id:
            self.show_series.setdefault(link.catalogue_id, series)
        if self.on_link:
            self.on_link(series, link)

    def _find_by_name(self, key: str, title: str) -> str:
        if key in self.aliases:
            return self._series_for(self.aliases[key])
        # The closest candidate wins; ties go to the alphabetically last key, so a crawl is repeatable.
        candidates = [*self.titles, *self.aliases]
        score, best = max(((similarity(key, other), other) for other in candidates), default=(0, ""))
        if score > 0:
            return best if best in self.titles else self._series_for(self.aliases[best])
        self.titles[key] = title  # a new series; later spellings resolve to it
        return key

    def _series_for(self, canonical: str) -> str:
        """The series of an alias group: the known row with the canonical key, or a new one titled canonically."""
        key = series_key(canonical)
        if key not in self.titles:
            # A row saved under another name of the group (before the alias existed) is this series.
            key = next((known for known in self.titles if self.aliases.get(known) == canonical), key)
        self.titles.setdefault(key, canonical)
        return key
