"""Read a review's score from the site's own text and put it on a 0-10 scale.

Outlets write scores every which way ("8/10", "7.8 out of 10.0 Pretty Gay
Boys", "★★★½☆", "B+", "85%"); parse_score turns one such text into a Score.
pipelines.score_finder picks the review's own score out of a whole page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass



@dataclass(frozen=True)
class Score:
    text: str  # the site's own text the score came from, whitespace collapsed
    value: float  # as written: 8.0, 4.5, 83 (percent); letter grades -> LETTER_GRADES
    best: float  # the top of the scale: 10, 5, 100 ...
    score: float  # normalised to 0-10, rounded to 2 decimals


# The usual US school ladder on a 10 scale; this is the one place it is written.
LETTER_GRADES: dict[str, float] = {
    "A+": 10.0, "A": 10.0, "A-": 9.2,
    "B+": 8.3, "B": 7.5, "B-": 6.7,
    "C+": 5.8, "C": 5.0, "C-": 4.2,
    "D+": 3.3, "D": 2.5, "D-": 1.7,
    "F": 0.0,
}

# Scales reviewers actually use; anything else next to a slash is far more
# likely a date ("19/09") or a progress count ("3/12").
PLAUSIBLE_SCALES = {3.0, 4.0, 5.0, 10.0, 20.0, 100.0}

LABEL = r"\b(?:rating|score|overall|final|verdict|grade)\b"
_LABEL_BEFORE = re.compile(LABEL + r"[^\w★☆½]*$", re.I)

# A number; a minus sign only counts when glued to the digits, so that
# "Rating - 8/10" is 8 while "-1/10" is rejected as out of scale.
_NUM = r"[-−]?\d+(?:[.,]\d+)?"
# Lookarounds keep us out of dates and times: no digit, slash or colon may touch
# the pair, so neither "09/19/2024" nor any slice of it becomes a fraction.
_FRACTION = re.compile(
    rf"(?<![\d.,/:])(?P<x>{_NUM})\s*(?:/|\bout\s+of\b|\bof\b)\s*"
    r"(?P<n>\d+(?:[.,]\d+)?)(?![\d/:]|[.,]\d)",
    re.I,
)
_STAR_GLYPHS = re.compile(r"[★☆½]+")
_STARS_WORD = re.compile(rf"(?<![\d.,/:])(?P<x>{_NUM})\s*-?\s*stars?\b", re.I)
_PERCENT = re.compile(rf"(?<![\d.,/:])(?P<x>{_NUM})\s*%")
# The second lookbehind keeps the "4" of a range like "Episodes 1-4" out.
_BARE = re.compile(rf"(?<![\d.,/:])(?<!\d[-–−])(?P<x>{_NUM})(?![\d/:]|[.,]\d)")
_LETTER_AFTER_LABEL = re.compile(
    LABEL + r"\s*[:\-–—=]?\s*(?P<g>[a-df])(?P<sign>[+\-−–]?)(?!\w)", re.I
)
_LETTER_ALONE = re.compile(r"(?P<g>[a-df])(?P<sign>[+\-−–]?)", re.I)

# Numbers right after these words count episodes, chapters or parts, not quality.
_COUNT_BEFORE = re.compile(
    r"(?:\b(?:episodes?|eps?|chapters?|ch|vol(?:ume)?s?|parts?|seasons?|no)\.?|#)\s*$",
    re.I,
)
_COUNT_AFTER = re.compile(
    r"^\s*(?:episodes?|eps?|chapters?|volumes?|mins?|minutes?|hours?|hrs?|read)\b",
    re.I,
)


def _number(raw: str) -> float:
    # Decimal commas ("7,5/10") are common on European outlets.
    return float(raw.replace(",", ".").replace("−", "-"))


def _grade(letter: str, sign: str) -> float | None:
    # Sites type the minus as "-", "−" or "–"; the ladder spells it "-".
    key = letter.upper() + ("-" if sign and sign in "-−–" else sign)
    return LETTER_GRADES.get(key)


def _is_count(text: str, start: int, end: int) -> bool:
    return bool(_COUNT_BEFORE.search(text[:start]) or _COUNT_AFTER.match(text[end:]))


def _candidates(text: str, best: float | None) -> list[tuple[int, float, float]]:
    """Every (position, value, scale) that reads as a score, in text order."""
    found: list[tuple[int, float, float]] = []
    taken: list[tuple[int, int]] = []

    def add(start: int, end: int, value: float, scale: float) -> None:
        # Earlier, more explicit patterns win: "4 out of 5 stars" must not also
        # yield "5 stars".
        if any(start < t_end and t_start < end for t_start, t_end in taken):
            return
        taken.append((start, end))
        if scale > 0 and 0 <= value <= scale:
            found.append((start, value, scale))

    for m in _FRACTION.finditer(text):
        scale = _number(m["n"])
        if scale in PLAUSIBLE_SCALES and not _is_count(text, m.start(), m.end()):
            add(m.start(), m.end(), _number(m["x"]), scale)
    for m in _STAR_GLYPHS.finditer(text):
        glyphs = m.group()
        filled = glyphs.count("★") + 0.5 * glyphs.count("½")
        if filled or "☆" in glyphs:
            # Out of 5 unless the site draws a longer row of stars.
            add(m.start(), m.end(), filled, max(5.0, float(len(glyphs))))
    for m in _STARS_WORD.finditer(text):
        add(m.start(), m.end(), _number(m["x"]), 5.0)
    for m in _PERCENT.finditer(text):
        add(m.start(), m.end(), _number(m["x"]), 100.0)
    for m in _LETTER_AFTER_LABEL.finditer(text):
        rest = text[m.end():]
        # "Verdict: A great show" is an article, not an A; a bare letter needs
        # a sign or must not run straight into another word.
        if not m["sign"] and re.match(r"\s+[^\W\d_]", rest):
            continue
        grade = _grade(m["g"], m["sign"])
        if grade is not None:
            add(m.start("g"), m.end(), grade, 10.0)
    alone = _LETTER_ALONE.fullmatch(text)
    if alone and _grade(alone["g"], alone["sign"]) is not None:
        add(0, len(text), _grade(alone["g"], alone["sign"]), 10.0)
    # A bare number only means something when the caller knows the scale.
    if best and not found:
        for m in _BARE.finditer(text):
            if not _is_count(text, m.start(), m.end()):
                add(m.start(), m.end(), _number(m["x"]), float(best))
    return sorted(found)


def parse_score(text: str | None, best: float | None = None) -> Score | None:
    """Parse one score text; None when it holds no score we can trust."""
    if not text:
        return None
    clean = " ".join(text.split())
    candidates = _candidates(clean, best)
    if not candidates:
        return None
    labelled = [c for c in candidates if _LABEL_BEFORE.search(clean[: c[0]])]
    _, value, scale = (labelled or candidates)[0]
    return Score(text=clean, value=value, best=scale, score=round(10 * value / scale, 2))
