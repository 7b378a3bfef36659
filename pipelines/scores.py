"""Read a review's score from the site's own text and put it on a 0-10 scale.

Outlets write scores every which way ("8/10", "7.8 out of 10.0 Pretty Gay
Boys", "★★★½☆", "B+", "85%", "eight out of ten", "Composite Score: 82.9");
parse_score turns one such text into a Score, refusal_reason says why it would
not. pipelines.score_finder picks the review's own score out of a whole page.
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
# "A++" and other doubled signs read as the single sign: A++ is the top, like A+.
LETTER_GRADES: dict[str, float] = {
    "A+": 10.0, "A": 10.0, "A-": 9.2,
    "B+": 8.3, "B": 7.5, "B-": 6.7,
    "C+": 5.8, "C": 5.0, "C-": 4.2,
    "D+": 3.3, "D": 2.5, "D-": 1.7,
    "F": 0.0,
}

# Scales reviewers actually use after a bare slash; anything else next to a slash
# is far more likely a date ("19/09") or a progress count ("3/12"). A slash with
# another denominator is read only when the text marks it as a score (a label
# before it, a decimal value, a letter grade after it); a scale stated with
# "out of" or in brackets ("(of 5)") is explicit and may be any of 2-100.
PLAUSIBLE_SCALES = {3.0, 4.0, 5.0, 8.0, 10.0, 20.0, 40.0, 50.0, 100.0}
MAX_STATED_SCALE = 100.0
MAX_CHARS = 2000  # a score string is short; longer input is cut, never scanned whole

# Score labels, and their words on European outlets (voto, nota, Wertung, ocena, puntuación, оценка).
LABEL = (r"\b(?:rating|score|overall|final|verdict|grade|voto|nota|(?:be)?wertung|ocena|puntuaci[oó]n|calificaci[oó]n|"
         r"valutazione|оценка)\b")
_LABEL_BEFORE = re.compile(LABEL + r"[^\w★☆½]*$", re.I)

# Number words ("eight out of ten", "one and a half stars", "out of a hundred"),
# read as digits before any other rule.
_UNITS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen "
          "fourteen fifteen sixteen seventeen eighteen nineteen").split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_WORD_VALUE = {w: i for i, w in enumerate(_UNITS)} | {w: 20 + 10 * i for i, w in enumerate(_TENS)}
_WORD_NUMBER = re.compile(
    rf"\b(?:(?:a|one)\s+(?P<hundred>hundred)|(?P<tens>{'|'.join(_TENS)})(?:[-\s](?P<unit>{'|'.join(_UNITS[1:10])}))?"
    rf"|(?P<word>{'|'.join(_UNITS)}))\b(?P<half>[-\s]and[-\s]a[-\s]half\b)?",
    re.I,
)
# Typed halves after a number: "3½ stars", "3 1/2 stars", "3-1/2 stars", "4 and a half stars".
_TYPED_HALF = re.compile(r"(?<![\d.,/])(\d+)(?:\s*½|(?:\s+|-)1/2(?![\d/])|[-\s]and[-\s]a[-\s]half\b)", re.I)
_ONE_OF = re.compile(r"\bone\s+of\b", re.I)
# "Half a star", "a half star": half of one star.
_HALF_STAR = re.compile(r"\b(?:half\s+a|a\s+half)[-\s]+star\b", re.I)
# Family: asterisk stars, where a score string is nothing but the row ("***½", "Rating: ****", "**** (out of 5)"):
# elsewhere asterisks are footnotes and bold marks.
_ASTERISK_ROW = re.compile(
    rf"^(?P<label>(?:{LABEL}[^*\w]*)?)(?P<row>\*{{1,10}})(?P<rest>\s*½?\s*(?:\(?\s*(?:out\s+of|of|/)\s*\d+\s*\)?)?\s*)$",
    re.I,
)
# Family: dot ratings ("●●●●○", "●●◐○○"): a row of three or more filled, half and empty dots is a star row.
_DOT_ROW = re.compile(r"[●◐○](?: ?[●◐○]){2,}")
# "of" and its words in other languages ("7 von 10", "8 su 10", "8 sur 10", "8 de 10", "8 из 10"): a counter
# ("3 of 12") unless the scale is one reviewers use.
_OF_WORDS = ("of", "von", "su", "sur", "de", "из")
# Family: the scale stated in the label ("Rating (Out of 5): ~4").
_SCALE_IN_LABEL = re.compile(
    LABEL + r"\s*\(\s*(?:out\s+of|of|/)\s*(?P<n>\d+)\s*\)\s*:?\s*~?\s*(?P<x>\d+(?:[.,]\d+)?)", re.I)
# Family: "overall" after the number ("a 7.5 overall"): a labelled score.
_OVERALL_AFTER = re.compile(r"(?<![\d.,/])(?P<x>\d+(?:[.,]\d+)?)\s+overall\b", re.I)
# A typed half after a star row: "★★★★ 1/2".
_ROW_HALF = re.compile(r"(?<=[★⭐])\s*1/2(?![\d/])")
# Fraction slashes and full-width forms some sites type for "/" and "-".
_SLASHES = str.maketrans({"⁄": "/", "∕": "/", "／": "/", "−": "-", "\ufe0f": None})

# A number; a minus sign only counts when glued to the digits, so that
# "Rating - 8/10" is 8 while "-1/10" is rejected as out of scale.
_NUM = r"-?\d+(?:[.,]\d+)?"
# Explicit fractions "8/10", "4 out of 5", "3 of 4", "3.5 (of 5)", and a unit
# word before "out of" ("eight goals out of ten", "4 stars out of 5").
# Lookarounds keep us out of dates and times: no digit, slash or colon may touch
# the pair, so neither "09/19/2024" nor any slice of it becomes a fraction.
_FRACTION = re.compile(
    rf"(?<![\d.,/:])(?P<x>{_NUM})(?:\s+(?!out\b|of\b)(?P<unit>[^\W\d_]+))?\s*(?P<paren>\(\s*)?"
    r"(?P<sep>/|-?\bout[\s-]+of\b(?:\s+an?\b)?|\bof\b|\b(?:von|su|sur|de|из)\b)[\s-]*"
    r"(?P<n>\d+(?:[.,]\d+)?)(?![\d/:]|[.,]\d)",
    re.I,
)
# Star rows, touching or spaced ("★★★½☆", "★ ★ ★ ★ ★", "★★★⯪☆", "⭐⭐⭐⭐"), with
# the scale they may state after them ("★★★ out of four", "(out of five)").
_FULL, _EMPTY, _HALF = "★⭐⭑✭✮✯", "☆✩⭒✰", "½⯪⯫⯨⯩"
_GLYPH = f"[{_FULL}{_EMPTY}{_HALF}]"
_STAR_ROW = re.compile(
    rf"{_GLYPH}(?: ?{_GLYPH})*(?:\s*\(?\s*(?:/|\bout\s+of\b|\bof\b)\s*(?P<n>\d+(?:[.,]\d+)?)(?![\d/:]|[.,]\d)\s*\)?)?",
    re.I,
)
# "4 stars", "4.5-star", "Editor’s Rating 4 stars", "4.5★" (a number and one glyph): out of 5.
_STARS_WORD = re.compile(rf"(?<![\d.,/:])(?P<x>{_NUM})\s*-?\s*(?:stars?\b|[{_FULL}](?! ?{_GLYPH}))", re.I)
# One glyph next to a number is an icon ("⭐ 8.5/10", "★ 4.5"), not a one-star row.
_ICON_NEXT = re.compile(r"\s?[-\d]")
_PERCENT = re.compile(rf"(?<![\d.,/:])(?P<x>{_NUM})\s*%")
# A bare number; the second lookbehind keeps the "4" of a range like "Episodes 1-4" out.
_BARE = re.compile(rf"(?<![\d.,/:])(?<!\d[-–])(?P<x>{_NUM})(?![\d/:]|[.,]\d)")
# Labelled score with no scale printed ("Composite Score: 82.9", "Score: 72"):
# the number right after the label, not an age ("Age Rating: 13+").
_LABELLED_BARE = re.compile(
    LABEL + r"\s*[:\-–—=]?\s*(?P<x>\d+(?:[.,]\d+)?)(?![\d/:+%]|[.,]\d|\s*(?:out\s+of|of|von|su|sur|de|из)\s+\d)", re.I
)
# A score string that is nothing but a number ("9.5"), as review boxes print it.
_NUMBER_ALONE = re.compile(r"\s*(?P<x>\d+(?:[.,]\d+)?)\s*")
# Age and content-advisory ratings ("Age Rating: 13+", "MPAA Rating: 16") are not quality.
_NOT_QUALITY_LABEL = re.compile(r"\b(?:age|mpaa|esrb|fsk|pegi|parental)\s*$", re.I)
# Letter grades after a label ("Grade: B+", "Mania Grade: B", "Rating: A++").
_SIGN = r"(?P<sign>\+\+|[+\-–]?)"
_LETTER_AFTER_LABEL = re.compile(LABEL + rf"\s*[:\-–—=]?\s*(?P<g>[a-df]){_SIGN}(?!\w)", re.I)
# A letter grade alone, or followed by its gloss in brackets ("B+ (Very Good)");
# never a tier ("F TIER") or a word ("A great show").
_LETTER_ALONE = re.compile(rf"(?P<g>[a-df]){_SIGN}(?:\s*[(\[].*|[.!])?", re.I)
# Family: a signed letter grade closing a line after a colon ("Raiders 1 by JinJun Park: B-"); a bare letter there
# is more often a region or a plan ("Region: A").
_LETTER_AT_END = re.compile(r":\s*(?P<g>[A-DF])(?P<sign>\+\+|[+\-–])\s*[.!]?$")
_WORD_NEXT = re.compile(r"\s+[^\W\d_]")  # "Verdict: A great show": the letter opens a word
# A roundup's fraction followed by a letter grade ("10/12 A") is a score on that scale.
_GRADE_AFTER = re.compile(r"\s*[A-F][+\-–]?(?!\w)")

# Numbers right after these words count episodes, chapters or parts, or name a
# region or page, not quality.
_COUNT_BEFORE = re.compile(
    r"(?:\b(?:episodes?|eps?|chapters?|ch|vol(?:ume)?s?|parts?|seasons?|no|pages?|"
    r"days?|weeks?|discs?|disks?|issues?|books?|arcs?|rounds?|top)\.?|#)\s*$",
    re.I,
)
# Numbers after these labels, colon or not, name a region or an age: "Region: 1", "Ages: 13".
_NAMED_BEFORE = re.compile(
    r"\b(?:regions?|zones?|ages?|(?:age|mpaa|esrb|fsk|pegi|parental)\s+rat(?:ing|ed))\s*[:\-–]?\s*$", re.I
)
_COUNT_WORDS = (r"episodes?|eps?|chapters?|volumes?|parts?|seasons?|mins?|minutes?|hours?|hrs?|read|"
                r"reviews?|votes?|ratings?|comments?|views?|users?|pages?|days?|years?|discs?")
_COUNT_AFTER = re.compile(rf"\s*(?:{_COUNT_WORDS})\b", re.I)
_COUNT_WORD = re.compile(rf"(?:{_COUNT_WORDS})", re.I)


def _number(raw: str) -> float:
    # Decimal commas ("7,5/10", "82,5/100") are common on European outlets.
    return float(raw.replace(",", "."))


def _fmt(value: float) -> str:
    return f"{value:g}"


def _grade(letter: str, sign: str) -> float | None:
    # Sites type the minus as "-", "−" or "–"; the ladder spells it "-"; "++" is "+".
    key = letter.upper() + ("-" if sign and sign in "-–" else sign[:1])
    return LETTER_GRADES.get(key)


def _words_to_digits(text: str) -> str:
    def digits(m: re.Match) -> str:
        if m["hundred"]:
            value = 100
        elif m["tens"]:
            value = _WORD_VALUE[m["tens"].lower()] + (_WORD_VALUE[m["unit"].lower()] if m["unit"] else 0)
        else:
            value = _WORD_VALUE[m["word"].lower()]
        return f"{value}.5" if m["half"] else str(value)

    return _WORD_NUMBER.sub(digits, text)


def _normalise(clean: str) -> str:
    """The text the rules read: digits for number words and typed halves, one slash."""
    text = clean.translate(_SLASHES)
    text = _HALF_STAR.sub("0.5 star", text)
    text = _ONE_OF.sub("one_of", text)  # "one of 5 recommendations", "one of the best": never a score
    text = _words_to_digits(text)
    if row := _ASTERISK_ROW.match(text):
        text = row["label"] + "★" * len(row["row"]) + row["rest"]
    text = _DOT_ROW.sub(lambda m: m.group().replace("●", "★").replace("◐", "⯪").replace("○", "☆"), text)
    text = _SCALE_IN_LABEL.sub(lambda m: f"{m.group().split('(')[0].strip()}: {m['x']}/{m['n']}", text)
    text = _OVERALL_AFTER.sub(r"overall \g<x>", text)
    text = _TYPED_HALF.sub(r"\1.5", text)
    return _ROW_HALF.sub("½", text)


def _before(text: str, start: int) -> str:
    # Labels and count words sit just before a number: read a short window, never the whole prefix.
    return text[max(0, start - 40):start]


def _is_count(text: str, start: int, end: int) -> bool:
    before = _before(text, start)
    return bool(_COUNT_BEFORE.search(before) or _NAMED_BEFORE.search(before) or _COUNT_AFTER.match(text, end))


def _labelled(text: str, start: int) -> bool:
    return bool(_LABEL_BEFORE.search(_before(text, start)))


class _Reader:
    """Every (position, value, scale) in a text that reads as a score, and why others did not."""

    def __init__(self, text: str, best: float | None):
        self.text = text
        self.found: list[tuple[int, float, float]] = []
        self.taken = bytearray(len(text))  # 1 where a pattern already read the text
        self.why: list[str] = []
        self._fractions()
        self._simple(_STARS_WORD, 5.0)
        self._star_rows()
        self._simple(_PERCENT, 100.0)
        self._letters()
        if not self.found:
            self._bare(best)
        self.found.sort()

    def take(self, start: int, end: int) -> None:
        self.taken[start:end] = b"\x01" * (end - start)

    def add(self, start: int, end: int, value: float, scale: float) -> None:
        # Earlier, more explicit patterns win: "4 out of 5 stars" must not also yield "5 stars".
        if 1 in self.taken[start:end]:
            return
        self.take(start, end)
        if value < 0:
            self.why.append(f"{_fmt(value)} is below zero")
        elif value > scale:
            self.why.append(f"{_fmt(value)} is above the top of its scale {_fmt(scale)}")
        elif scale > 0:
            self.found.append((start, value, scale))

    def _fractions(self) -> None:
        text = self.text
        for m in _FRACTION.finditer(text):
            sep, raw_n, unit = m["sep"].lower(), m["n"], m["unit"]
            out_of = "out" in sep
            if unit and _COUNT_WORD.fullmatch(unit):
                self.take(m.start(), m.end())
                self.why.append(f"{m.group()!r} counts episodes or parts")
                continue
            if unit and not out_of:
                continue  # a unit word only goes with "out of": "eight goals out of ten"
            if _is_count(text, m.start(), m.end()):
                self.take(m.start(), m.end())  # no "5 stars" out of "3 out of 5 episodes"
                self.why.append(f"{m.group()!r} counts episodes or parts")
                continue
            scale = _number(raw_n)
            if sep == "/" and not m["paren"] and scale not in PLAUSIBLE_SCALES:
                # Odd slash denominators: "3/12" is a count or a date unless marked as a score.
                marked = ("." in m["x"] or "," in m["x"] or _labelled(text, m.start())
                          or _GRADE_AFTER.match(text, m.end()))
                if not marked or (raw_n.startswith("0") and len(raw_n) > 1):
                    self.why.append(f"{m.group()!r} looks like a date or a count, not a score")
                    continue
            if not 2 <= scale <= MAX_STATED_SCALE and scale not in PLAUSIBLE_SCALES:
                self.why.append(f"{_fmt(scale)} is not a scale")
                continue
            if sep in _OF_WORDS and not m["paren"] and scale not in PLAUSIBLE_SCALES and not _labelled(text, m.start()):
                continue  # "1 of 12": a counter unless written "out of" or "(of 12)"
            self.add(m.start(), m.end(), _number(m["x"]), scale)

    def _star_rows(self) -> None:
        for m in _STAR_ROW.finditer(self.text):
            glyphs = m.group()
            full = sum(glyphs.count(c) for c in _FULL)
            half = sum(glyphs.count(c) for c in _HALF)
            empty = sum(glyphs.count(c) for c in _EMPTY)
            if full == 1 and not (half or empty or m["n"]) and _ICON_NEXT.match(self.text, m.end()):
                continue
            # Out of 5 unless the row states its scale or the site draws a longer row.
            scale = _number(m["n"]) if m["n"] else max(5.0, float(full + half + empty))
            self.add(m.start(), m.end(), full + 0.5 * half, scale)

    def _simple(self, pattern: re.Pattern, scale: float) -> None:
        for m in pattern.finditer(self.text):
            if not _is_count(self.text, m.start(), m.end()):
                self.add(m.start(), m.end(), _number(m["x"]), scale)

    def _letters(self) -> None:
        text = self.text
        for m in _LETTER_AFTER_LABEL.finditer(text):
            # "Verdict: A great show" is an article, not an A; a bare letter needs
            # a sign or must not run straight into another word.
            if not m["sign"] and _WORD_NEXT.match(text, m.end()):
                continue
            grade = _grade(m["g"], m["sign"])
            if grade is not None and not _NOT_QUALITY_LABEL.search(_before(text, m.start())):
                self.add(m.start("g"), m.end(), grade, 10.0)
        alone = _LETTER_ALONE.fullmatch(text) or _LETTER_AT_END.search(text)
        if alone and _grade(alone["g"], alone["sign"]) is not None:
            self.add(alone.start("g"), alone.end("sign"), _grade(alone["g"], alone["sign"]), 10.0)

    def _bare(self, best: float | None) -> None:
        text = self.text
        if best:
            # A bare number means something when the caller knows the scale.
            for m in _BARE.finditer(text):
                if not _is_count(text, m.start(), m.end()):
                    self.add(m.start(), m.end(), _number(m["x"]), float(best))
            return
        for m in _LABELLED_BARE.finditer(text):
            if _NOT_QUALITY_LABEL.search(_before(text, m.start())) or _is_count(text, m.start("x"), m.end()):
                continue
            self._unscaled(m.start("x"), m.end(), m["x"])
        if not self.found and (alone := _NUMBER_ALONE.fullmatch(text)):
            self._unscaled(alone.start("x"), alone.end("x"), alone["x"])
        for m in _BARE.finditer(text):
            if not _is_count(text, m.start(), m.end()):
                self.why.append(f"no scale printed for {m['x'].lstrip('-')}")
                break


    def _unscaled(self, start: int, end: int, raw: str) -> None:
        """A labelled score, or a score string that is only a number, with no scale printed. Ten-point family:
        above 5 and at most 10 it can only be on 10 (on 5 it is out of scale; on 100 no reviewer writes a
        failing grade without its scale). Hundred-point family: above 10 and at most 100 ("Composite Score:
        82.9"). At most 5 it may be on 5 or on 10: refused."""
        value = _number(raw)
        if 5 < value <= 10:
            self.add(start, end, value, 10.0)
        elif 10 < value <= 100:
            self.add(start, end, value, 100.0)
        elif value > 100:
            self.why.append(f"{raw} is above 100 with no scale printed")
        else:
            self.why.append(f"no scale printed for {raw}: on 5 or on 10?")


def _read(text: str | None, best: float | None) -> tuple[str, _Reader | None]:
    if not text:
        return "", None
    clean = " ".join(text[:MAX_CHARS].split())
    if not clean:
        return "", None
    return clean, _Reader(_normalise(clean), best)


def parse_score(text: str | None, best: float | None = None) -> Score | None:
    """Parse one score text; None when it holds no score we can trust."""
    clean, reader = _read(text, best)
    if reader is None or not reader.found:
        return None
    labelled = [c for c in reader.found if _labelled(reader.text, c[0])]
    _, value, scale = (labelled or reader.found)[0]
    return Score(text=clean, value=value, best=scale, score=round(10 * value / scale, 2))


def refusal_reason(text: str | None, best: float | None = None) -> str | None:
    """None when parse_score reads the text, else a short reason it is refused."""
    clean, reader = _read(text, best)
    if reader is None:
        return "no score text"
    if reader.found:
        return None
    if reader.why:
        return reader.why[0]
    shown = clean if len(clean) <= 60 else clean[:57] + "..."
    if not re.search(r"\d", reader.text):
        return f"no number or grade in {shown!r}"
    return f"no score form in {shown!r}"
