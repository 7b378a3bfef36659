"""The review's own overall score on a whole page: find_review_score.

A page shows many numbers that look like scores: sub-scores, readers' and community scores, related posts'
scores, ratings quoted from other sites, counters, dates. find_review_score picks the reviewer's own overall
score, or says nothing where it cannot tell.
"""

from __future__ import annotations

import re

from lxml.cssselect import CSSSelector

from pipelines.page import SCORELESS_TAGS, Page, is_html, read_page
from pipelines.scores import Score, parse_score
from pipelines.structured import review_rating


# Scores that belong to someone other than the reviewer.
_NOT_THE_REVIEWER = re.compile(r"community|reader|user|audience|poll|average|votes", re.I)
_STAR_ALT = re.compile(r"\bstars?\b|[★☆½]|\b\d+(?:[.,]\d+)?\s*(?:/|out of)\s*\d+", re.I)
_OVERALL = re.compile(r"\b(?:overall|final|total|verdict)\b", re.I)
# "Rating - 8/10" or "Our Score: 7" is the review's own; "Story Score: 7/10" is a sub-score.
_PLAIN_LABEL = re.compile(
    r"^(?:(?:our|my|the|review|anime|episode|series|season|content)\s+)*(?:rating|score|grade)s?\b", re.I
)
_LINE_LABEL = re.compile(r"\b(?:rating|score|overall|final|verdict|grade)s?\b", re.I)
# An unlabelled verdict line such as "7.8 out of 10.0 Pretty Gay Boys": the
# score opens the line and a verdict phrase follows it.
_VERDICT_LINE = re.compile(
    r"^\d+(?:[.,]\d+)?\s*(?:/|out\s+of)\s*\d+(?:[.,]\d+)?\s+[^\W\d_]", re.I
)
# A score closing the review's last sentence, as blogs write it: "… Anime or no anime. (5/10)".
_CLOSING_SCORE = re.compile(r"[(\[]\s*\d+(?:[.,]\d+)?\s*/\s*\d+(?:[.,]\d+)?\s*[)\]]\s*$")


def _strings(element):
    """The element's text strings in document order, as bs4's get_text() sees them: its own tail and comments
    left out."""
    if element.text:
        yield element.text
    for child in element:
        if isinstance(child.tag, str):
            yield from _strings(child)
        if child.tail:
            yield child.tail


def _text_strings(element, page: Page):
    """Like _strings, leaving out what is never text (scripts, menus, forms…) and the regions that show other
    reviews' or other people's scores; an <img> is its alt text when that reads as stars ("4.5 stars",
    "★★★★☆"), else a space. A left-out element's tail stays a string of its own, as with bs4's decompose()."""
    if element.text:
        yield element.text
    for child in element:
        if isinstance(child.tag, str):
            if child.tag in SCORELESS_TAGS or page.shows_other_scores(child):
                pass
            elif child.tag == "img":
                alt = child.get("alt") or ""
                yield f" {alt} " if _STAR_ALT.search(alt) else " "
            else:
                yield from _text_strings(child, page)
        if child.tail:
            yield child.tail


def _page_lines(text: str, page: Page | None) -> list[str]:
    """The page's text lines; for HTML without what never holds the review's score and without the regions
    that show other reviews' or other people's scores. Each text string is read on its own lines."""
    if page is not None:
        if page.shows_other_scores(page.tree):
            return []
        strings = _text_strings(page.tree, page)
    else:
        strings = [text]
    lines = (" ".join(line.split()) for string in strings for line in string.splitlines())
    return [line for line in lines if line]


# Score boxes of common WordPress review plugins (WP Review, Lets Review, Taqyeem, WP Product Review):
# their number is the review's own. A bare number is on 10 points, or 5 when the box draws stars.
REVIEW_PLUGIN_BOXES = (
    ".review-total-box, .lets-review-block__final-score, .review-final-score, .cwp-review-percentage, "
    ".wp-review-total, .rwp-overall-score"
)


_PLUGIN_BOXES = CSSSelector(REVIEW_PLUGIN_BOXES, translator="html")


def _plugin_box_score(page: Page) -> Score | None:
    for box in _PLUGIN_BOXES(page.tree):
        ancestors = list(box.iterancestors())
        if any(page.shows_other_scores(element) for element in ancestors):
            continue  # a related post's or a widget's score box
        classes = " ".join(element.get("class") or "" for element in [box, *ancestors])
        score = parse_score(" ".join(_strings(box)), best=5 if "star" in classes else 10)
        if score is not None:
            return score
    return None


def _structured_score(page: Page) -> Score | None:
    rating = review_rating(page)
    if rating is None or not 0 <= rating["value"] <= rating["best"]:
        return None
    value, best = rating["value"], rating["best"]
    return Score(text=f"{value:g}/{best:g}", value=value, best=best, score=round(10 * value / best, 2))


def find_review_score(page: str | Page | None) -> Score | None:
    """The reviewer's own overall score on a whole page (HTML or plain text), or None.

    In order: a schema.org Review's reviewRating; a review plugin's score box; the last overall or plainly labelled line
    ("Rating - 8/10", "Overall: ★★★★☆"); the last unlabelled verdict line ("7.8 out of 10.0 …");
    a score closing a paragraph ("… (5/10)"); the last per-category sub-score ("Story Score: 7/10").
    Related and trending posts, sidebars, comments, community scores and polls are never read.
    """
    if not page:
        return None
    text, html_page = page if isinstance(page, str) else page.html, None
    if isinstance(page, Page) or is_html(page):
        html_page = read_page(page)
        if html_page.tree is None:
            return None  # blanks and comments: no text, no structured data
        declared = _structured_score(html_page) or _plugin_box_score(html_page)
        if declared is not None:
            return declared
    overall: list[Score] = []
    verdicts: list[Score] = []
    closing: list[Score] = []
    sub_scores: list[Score] = []
    lines = _page_lines(text, html_page)
    for i, line in enumerate(lines):
        if _NOT_THE_REVIEWER.search(line):
            continue
        if _LINE_LABEL.search(line):
            score = parse_score(line)
            if score is None and i + 1 < len(lines):
                # HTML often splits "Rating" and "8/10" into separate elements.
                score = parse_score(f"{line} {lines[i + 1]}")
            if score is None:
                continue
            if _OVERALL.search(line) or _PLAIN_LABEL.match(line):
                overall.append(score)
            else:
                sub_scores.append(score)
        elif _VERDICT_LINE.match(line):
            score = parse_score(line)
            if score is not None:
                verdicts.append(score)
        elif _CLOSING_SCORE.search(line):
            score = parse_score(_CLOSING_SCORE.search(line).group())
            if score is not None:
                closing.append(score)
    for tier in (overall, verdicts, closing, sub_scores):
        if tier:
            return tier[-1]
    return None
