"""Steps 1 and 2 of reading a headline (pipelines.headlines): the line to read, dub or sub, and the noise around a
title (scores, dates, parentheses, brackets, Japanese originals) taken out, with what that noise says."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipelines.headline_families import (
    COMPOUND_NUMBER, _BRACKET, _DATE, _DISC, _DUB, _GUIDE_LINE, _JAPANESE_BRACKETS, _KEEP_PAREN, _LENTICULAR,
    _MEDIUM_PAREN, _PAREN, _SCORE, _SUB, _THEATRICAL, _TV_RUN, _YEAR, compound_to_digits,
)


# Episode and season in the languages of European outlets ("Episodio 23 – Gachiakuta", "la saison 4"), read as English.
_FOREIGN_EPISODE = re.compile(r"\b(?:episodio|épisode|episódio|folge)\b", re.I)
_FOREIGN_SEASON = re.compile(r"\b(?:temporada|saison|staffel|stagione)\b", re.I)


# Family: Japanese notation ("【呪術廻戦】第2話 感想", "葬送のフリーレン 1〜5話", "呪術廻戦2期"), read as English: a title
# in 【】 or 「」 opening the headline is the show; 第N話 / N話 an episode, N〜M話 episodes, N期 a season, 感想 a review.
_KANJI_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NUMERAL = r"[0-9]+|[一二三四五六七八九十]{1,3}"
_JAPANESE_RANGE = re.compile(rf"第?\s*({_NUMERAL})\s*話?\s*[〜~～\-－]\s*第?\s*({_NUMERAL})\s*話")
_JAPANESE_EPISODE = re.compile(rf"第\s*({_NUMERAL})\s*話|(?<![0-9])([0-9]+)\s*話")
_JAPANESE_SEASON = re.compile(rf"第?\s*({_NUMERAL})\s*期")
_JAPANESE_REVIEW = re.compile(r"感想|レビュー")
_JAPANESE_OPENING = re.compile(r"^\s*(?:【(?P<lenticular>[^】]{1,80})】|「(?P<corner>[^」]{1,80})」)")
_JAPANESE_LABEL = re.compile(r"^(?:アニメ|まとめ|ネタバレ.*|感想|レビュー|速報|考察|最新話|新作)$")


def _kanji_number(raw: str) -> int:
    if raw.isdigit():
        return int(raw)
    tens, _, units = raw.partition("十") if "十" in raw else ("", "", raw)
    return (10 * (_KANJI_DIGITS.get(tens, 1)) if "十" in raw else 0) + _KANJI_DIGITS.get(units, 0)


def _japanese(text: str) -> str:
    if opening := _JAPANESE_OPENING.match(text):
        inner = opening["lenticular"] or opening["corner"]
        title = "" if _JAPANESE_LABEL.match(inner.strip()) else re.sub(r"^アニメ\s*", "", inner.strip())
        text = (f"{title} – " if title else "") + text[opening.end():]
    text = re.sub(r"^アニメ\s*", "", text)  # "アニメ葬送のフリーレン 第1話感想": the word "anime" before the title
    text = _JAPANESE_RANGE.sub(lambda m: f" Episodes {_kanji_number(m[1])}-{_kanji_number(m[2])} ", text)
    text = _JAPANESE_EPISODE.sub(lambda m: f" Episode {_kanji_number(m[1] or m[2])} ", text)
    text = _JAPANESE_SEASON.sub(lambda m: f" Season {_kanji_number(m[1])} ", text)
    return _JAPANESE_REVIEW.sub(" Review ", text)


def squash(text: str) -> str:
    text = _FOREIGN_SEASON.sub("Season", _FOREIGN_EPISODE.sub("Episode", " ".join(text.split())))
    if re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", text):
        text = " ".join(_japanese(text.translate(_FULL_WIDTH_DIGITS)).split())
    return COMPOUND_NUMBER.sub(compound_to_digits, text)


_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def version_of(text: str) -> str | None:
    if _DUB.search(text):
        return "dub"
    if _SUB.search(text):
        return "sub"
    return None


def pick_line(text: str) -> tuple[str, str]:
    """Family: two-line heading. The show is the second line under a column/guide title, else the first."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if not lines:
        return "", ""
    if len(lines) > 1 and _GUIDE_LINE.search(lines[0]):
        return lines[1], ""
    return lines[0], (lines[1] if len(lines) > 1 else "")


# What is left of a headline whose title is in brackets: a review label alone.
_LABEL_ONLY = re.compile(r"\s*(?:(?:anime|series|manga|my)\s+)?(?:review|recap|impressions?)(?:\s+(?:of|on|for))?\s*:?\s*", re.I)


@dataclass
class Notes:
    """What the noise around a title says: year, aliases, bracketed titles and format hints."""
    year: int | None = None
    aliases: tuple[str, ...] = ()
    bracketed: str | None = None
    tv_run: bool = False
    disc: bool = False
    theatrical: bool = False
    medium: str | None = None  # "series" or "movie", from a "(Japanese Anime Series)" tag


def take_noise(text: str) -> tuple[str, Notes]:
    notes = Notes()
    text = _DATE.sub("", _SCORE.sub("", text))
    text = _LENTICULAR.sub(" ", text)
    aliases = [m.strip() for m in _JAPANESE_BRACKETS.findall(text)]
    text = _JAPANESE_BRACKETS.sub("", text)

    def paren(m: re.Match) -> str:
        inner = m[1].strip()
        if _YEAR.match(inner):
            notes.year = int(inner)
        elif _TV_RUN.match(inner) and inner.lower() != "tv":
            notes.tv_run = True
        elif _KEEP_PAREN.search(inner):
            return " " + inner + " "
        notes.disc |= bool(_DISC.search(inner))
        notes.theatrical |= bool(_THEATRICAL.search(inner))
        if medium := _MEDIUM_PAREN.match(inner):
            notes.medium = "series" if medium["medium"].lower() in ("series", "anime series", "anime", "drama") else "movie"
        return " "

    text = _PAREN.sub(paren, text)
    for inner in _BRACKET.findall(text):
        if not re.fullmatch(r"\s*(?:review|recap)\s*", inner, re.I):
            notes.bracketed = notes.bracketed or inner.strip()
    without = _BRACKET.sub(" ", text)
    if notes.bracketed and _LABEL_ONLY.fullmatch(without):
        return squash(f"{without} {notes.bracketed}"), notes  # "Review of [Oshi No Ko]": the brackets are the title
    text = without
    notes.aliases = tuple(aliases)
    return squash(text), notes
