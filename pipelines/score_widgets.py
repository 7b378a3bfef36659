"""Scores drawn by markup rather than written: star images, star classes, CSS star bars, icon-font rows, data
attributes and numbers printed alone in a score element. Each is read into text ("4.5 stars", "6.2/10") that
pipelines.scores.parse_score then reads like any written score; pipelines.score_finder puts it in the page's
text where the widget stands.
"""

from __future__ import annotations

import re

_STAR_ALT = re.compile(r"\bstars?\b|[★☆½]|\b\d+(?:[.,]\d+)?\s*(?:/|out of)\s*\d+", re.I)
BARE_NUMBER = re.compile(r"^\d+(?:[.,]\d+)?$")
# A score element printing its scale: "7.4 /10", "85%".
_SCALED_NUMBER = re.compile(r"^\d+(?:[.,]\d+)?\s*(?:/\s*\d+|%)$")


def strings(element):
    """The element's text strings in document order: its own tail and comments left out."""
    if element.text:
        yield element.text
    for child in element:
        if isinstance(child.tag, str):
            yield from strings(child)
        if child.tail:
            yield child.tail


# How markup draws a score. An image of stars: alt or title "4.5 stars", a file "rating-4-5.png", "4.5.png"
# in a stars folder.
_STAR_FILE = re.compile(r"(?:stars?|rating)[^/]*?[-_/]?(\d)(?:[-_.](\d))?(?:[-_]?stars?)?\.(?:png|gif|jpe?g|svg|webp)"
                        r"|(\d)(?:[-_.](5|0))?[-_]?stars?\.(?:png|gif|jpe?g|svg|webp)", re.I)
# A star class carrying its value: "rating-45", "stars-4-5", "star-rating-4".
_STAR_CLASS_VALUE = re.compile(r"(?:^|\s)[\w-]*?(?:rating|stars?)[-_](\d)(?:[-_]?(\d))?(?=\s|$)", re.I)
_STARRY = re.compile(r"star|rating|score|grade|\brate\b|points", re.I)
_WIDTH = re.compile(r"width\s*:\s*(\d+(?:\.\d+)?)\s*%")
_DATA_VALUE = ("data-rating", "data-score", "data-value", "data-stars", "data-rate")
_DATA_SCALE = ("data-max", "data-best", "data-scale", "data-out-of", "data-outof")
_VERDICT_WORDS = re.compile(r"^[^\W\d_]+(?:[ -][^\W\d_]+){0,2}!?$")  # "Great", "Must Watch", "Good!"
_SCALE_AFTER = re.compile(r"^\s*(?:/|out\s+of)\s*(\d+)\b", re.I)


def _starry_lineage(element, depth: int = 3) -> str:
    """The classes of the element and its nearest ancestors."""
    names = [element.get("class") or ""]
    for ancestor in element.iterancestors():
        if len(names) > depth:
            break
        names.append(ancestor.get("class") or "")
    return " ".join(names)


def widget_text(element, best: float | None) -> str | None:
    """The score an element draws, as text ("4.5 stars", "6.2/10"), or None when it draws none."""
    if element.tag == "img":
        return _image_stars(element)
    classes = element.get("class") or ""
    for label in (element.get("aria-label") or "", element.get("title") or "" if _STARRY.search(classes) else ""):
        if label and _STAR_ALT.search(label) and re.search(r"\d", label):
            return label  # Guardian-like star rows: aria-label="4 out of 5 stars"; Elementor's title="4.5/5"
    if not _STARRY.search(classes):
        return None
    return (_class_stars(classes) or _bar_stars(element) or _icon_stars(element)
            or _data_score(element, classes, best) or _number_in_score_element(element, best))


# Family: a row of star images, one image a star ("star-full.png", alt="★"): each is read as its glyph, so the row
# reads like a typed one ("★★★☆☆").
_STAR_IMAGE_FILE = re.compile(r"star[-_]?(full|on|filled|half|empty|off|outline)?[^/]*\.(?:png|gif|jpe?g|svg|webp)$", re.I)
_ONE_GLYPH = re.compile(r"^\s*([★☆⭐½])\s*$")


def star_glyph(img) -> str | None:
    """The glyph one star image of a row stands for: ★, ½ or ☆; None for any other image."""
    if glyph := _ONE_GLYPH.match(img.get("alt") or ""):
        return glyph[1]
    match = _STAR_IMAGE_FILE.search((img.get("src") or "").split("?")[0])
    if not match or _STAR_FILE.search(img.get("src") or ""):
        return None
    state = (match[1] or "full").lower()
    return "½" if state == "half" else "☆" if state in ("empty", "off", "outline") else "★"


def _image_stars(img) -> str | None:
    if star_glyph(img):
        return None  # one star of a row: read with its neighbours as text
    for text in (img.get("alt") or "", img.get("title") or ""):
        if _STAR_ALT.search(text):
            return text
    match = _STAR_FILE.search(img.get("src") or "")
    if not match:
        return None
    whole, tenth = (match[1], match[2]) if match[1] else (match[3], match[4])
    value = int(whole) + int(tenth or 0) / 10
    return f"{value:g} stars" if value <= 5 else None


def _class_stars(classes: str) -> str | None:
    match = _STAR_CLASS_VALUE.search(classes)
    if not match:
        return None
    value = int(match[1]) + int(match[2] or 0) / 10
    return f"{value:g} stars" if value <= 5 else None


# Icon-font star rows (Font Awesome, theme star spans): full, half and empty stars counted.
_HALF_ICON = re.compile(r"half", re.I)
_EMPTY_ICON = re.compile(r"empty|unfilled|-o\b|outline|\boff\b|\bfar\b|regular|gr[ae]y|inactive|uncheck", re.I)
_STAR_GLYPH = re.compile(r"^[★☆⭐✭✮✯]$")


def _icon_stars(element) -> str | None:
    """A row of star icons, the element's own children, full, half and empty by their class: `<i class="fa
    fa-star">` … `fa-star-o`, or a star glyph each (`<span>★</span>` … `<span class="is-rating-unfilled">★`)."""
    icons = []
    for child in element.iterchildren():
        text = (child.text or "").strip() if isinstance(child.tag, str) and len(child) == 0 else None
        if text is not None and (not text and "star" in (child.get("class") or "").lower() or _STAR_GLYPH.match(text)):
            icons.append((child.get("class") or "") + (" empty" if text == "☆" else ""))
        if len(icons) >= 20:
            break
    if len(icons) < 3:
        return None
    half = sum(bool(_HALF_ICON.search(name)) for name in icons)
    empty = sum(bool(_EMPTY_ICON.search(name)) and not _HALF_ICON.search(name) for name in icons)
    full = len(icons) - half - empty
    return f"{full + 0.5 * half:g}/{max(5, len(icons))}"


def _bar_stars(element) -> str | None:
    """A CSS star bar: a width in percent in a star element ("width: 80%" is 4 stars of 5)."""
    if "star" not in _starry_lineage(element).lower():
        return None
    for count, candidate in enumerate(element.iter()):
        if count > 30:
            break
        match = _WIDTH.search(candidate.get("style") or "") if isinstance(candidate.tag, str) else None
        if match and float(match[1]) <= 100:
            return f"{float(match[1]) / 20:g} stars"
    return None


def _scale_of(element, classes: str, best: float | None) -> float | None:
    """The scale of a number a score element prints alone: its data attribute, a "/10" right after it, a star
    widget (5), else the site's declared scale."""
    for name in _DATA_SCALE:
        if (element.get(name) or "").strip().replace(".", "", 1).isdigit():
            return float(element.get(name))
    following = element.getnext()
    match = _SCALE_AFTER.match((element.tail or "") or (following.text_content() if following is not None else ""))
    if match:
        return float(match[1])
    if "star" in _starry_lineage(element, 2).lower() or (following is not None and isinstance(following.tag, str)
                                                         and "star" in (following.get("class") or "").lower()):
        return 5.0  # a number in a star widget, or beside its drawing of stars
    return best


def _data_score(element, classes: str, best: float | None) -> str | None:
    for name in _DATA_VALUE:
        raw = (element.get(name) or "").strip()
        if BARE_NUMBER.match(raw):
            scale = _scale_of(element, classes, best)
            return f"{raw}/{scale:g}" if scale else None
    return None


def _number_in_score_element(element, best: float | None) -> str | None:
    """`<div class="score">6.2</div>`: a number alone in a score element, read on its markup's scale."""
    if len(element) > 2:
        return None
    parts = [part.strip() for part in strings(element) if part.strip()]
    if len(parts) == 2 and BARE_NUMBER.match(parts[0]) and _VERDICT_WORDS.match(parts[1]):
        parts = parts[:1]  # "<strong>8.5</strong><span>Great</span>": the number and its verdict word
    text = " ".join(" ".join(parts).split())
    if _SCALED_NUMBER.match(text):
        return text
    if not BARE_NUMBER.match(text):
        return None
    scale = _scale_of(element, element.get("class") or "", best)
    return f"{text}/{scale:g}" if scale else None
