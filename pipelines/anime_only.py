"""Whether a review is of something other than an anime: a manga or light-novel volume, a live-action drama or film.

Outlets that review anime often review other things under the same feeds and categories: "Chainsaw Man Vol. #12
Manga Review", "Bump Up Business (Korean Series)", "One Piece Live-Action Series Review". Those never belong in an
anime consensus. Three places on a page say it, each a family of wording:
  - the headline's label:   "Manga Review", "Light Novel Review", "(Manga)", "(Korean Series)", "(Thai BL Drama)",
                            "(K-Drama)", "Live-Action"
  - the URL's path words:   /category/manga/, -manga-review, -live-action-, -k-drama
                            (the path only: a host named "mangameetsmoron.com" reviews anime)
  - the page's categories and tags: "Manga Reviews", "Light Novels", "Live Action", "K-Drama", "Korean Drama"
A source that also names anime ("Anime vs Manga Review", tags "Anime BL Japanese Series") says nothing, and a
headline that names anime ("Dandadan Season 1 Anime Review") keeps the review whatever the URL and tags say.
A volume alone is no sign: anime comes on disc volumes too ("Blood+ Vol. #02", "Persona 4: The Animation,
Collection 1").
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

MAX_CHARS = 1_000  # of a headline, a URL or the tags: labels are short

ANIME_WORDS = re.compile(r"\b(?:anime|animes|animation|animated|donghua|aeni|ova|ona)\b", re.I)

# Where a film or series comes from, as review blogs tag live-action dramas: "(Korean Series)", "(Thai BL Drama)".
_ORIGIN = (r"(?:korean|japanese|thai|taiwanese|chinese|filipino|vietnamese|indonesian|malaysian|singaporean|"
           r"indian|hong\s+kong|american|british|french|spanish|german|italian|mexican|brazilian|turkish)")
_SCREEN = r"(?:series|drama|dramas|movie|film|mini-?series|web\s*series|web\s*drama)"
_PRINT = r"(?:manga|manhwa|manhua|webtoon|light\s+novels?|novels?|graphic\s+novel|comics?)"
_DRAMA = rf"(?:(?:k|j|c|thai|tw)[-\s]?dramas?|{_ORIGIN}\s+(?:bl\s+)?dramas?)"  # "K-Drama", "Japanese drama"
_LIVE_ACTION = r"live[-\s]action"

# Labels in a headline that say what medium the review is of. An origin with a screen medium counts only as the
# tag in brackets some blogs put after a title ("Your Name – a Japanese film review" may be of an anime).
_HEADLINE_LABELS = [
    re.compile(rf"\b{_PRINT}\s+reviews?\b", re.I),                                    # "Manga Review"
    re.compile(rf"[(\[]\s*{_PRINT}\s*[)\]]", re.I),                                   # "(Light Novel)"
    re.compile(rf"^\W*{_PRINT}\s*(?:review)?\s*[:|–—-]", re.I),                       # "MANGA REVIEW |"
    re.compile(rf"[(\[]\s*{_ORIGIN}\s+(?:bl\s+|web\s+|tv\s+)?{_SCREEN}\s*[)\]]", re.I),  # "(Korean Series)"
    re.compile(rf"\b{_DRAMA}\b", re.I),                                                # "(K-Drama)"
    re.compile(rf"\b{_LIVE_ACTION}\b", re.I),                                          # "Live-Action Review"
]

# A URL's path: a whole segment naming another medium ("/manga/", "/category/light-novels/"), or words of a slug
# ("chainsaw-man-vol-12-manga-review", "one-piece-live-action-review", "my-favourite-k-drama").
_PATH_SEGMENT = re.compile(r"^(?:manga|manhwa|manhua|webtoons?|light[-_]novels?|novels?|comics|live[-_]action|"
                           r"(?:k|j|c)[-_]?dramas?)(?:[-_]reviews?)?$")
_SLUG_WORDS = re.compile(rf"\b(?:{_PRINT}\s+reviews?|{_LIVE_ACTION}|{_DRAMA})\b", re.I)

# Categories and tags: a review section for another medium ("Manga Reviews"), or a medium no anime is
# ("Light Novels", "Live Action", "K-Drama"). A bare "Manga" tag is not enough: reviews of adaptations are
# tagged with their source.
_TAG_WORDS = re.compile(
    rf"\b(?:{_PRINT}\s+reviews?|light\s+novels?|manhwa|manhua|webtoons?|{_LIVE_ACTION}|{_DRAMA})\b", re.I)


def _bounded(text: str | None) -> str:
    return " ".join((text or "")[:MAX_CHARS].split())


def headline_reason(headline: str | None) -> str | None:
    headline = _bounded(headline)
    if ANIME_WORDS.search(headline):
        return None
    for pattern in _HEADLINE_LABELS:
        if found := pattern.search(headline):
            return f"headline says {found[0].strip(' :|–—-')!r}"
    return None


def url_reason(url: str | None) -> str | None:
    if not url:
        return None
    split = urlsplit(url[:MAX_CHARS])
    segments = [segment for segment in unquote(split.path + "/" + split.query).lower().split("/") if segment]
    words = " ".join(re.sub(r"[-_+=&.]+", " ", segment) for segment in segments)
    if ANIME_WORDS.search(words):
        return None
    for segment in segments:
        if _PATH_SEGMENT.match(segment):
            return f"URL says {segment!r}"
    if found := _SLUG_WORDS.search(words):
        return f"URL says {found[0]!r}"
    return None


def tags_reason(tags: str | None) -> str | None:
    tags = _bounded(tags)
    if ANIME_WORDS.search(tags):
        return None
    if found := _TAG_WORDS.search(tags):
        return f"tagged {found[0]!r}"
    return None


def not_anime_reason(headline: str | None, url: str | None, tags: str | None = None) -> str | None:
    """Why the review is not of an anime ("headline says 'Manga Review'"), or None when nothing says so."""
    if ANIME_WORDS.search(_bounded(headline)):
        return None  # the headline names anime: a URL or a tag filed elsewhere does not outweigh it
    return headline_reason(headline) or url_reason(url) or tags_reason(tags)
