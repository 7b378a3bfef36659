"""The review's own overall score on a whole page: find_review_score.

A page shows many numbers that look like scores: sub-scores, readers' and community scores, related posts'
scores, ratings quoted from other sites, counters, dates. find_review_score picks the reviewer's own overall
score, or says nothing where it cannot tell.
"""

from __future__ import annotations

import re

import lxml.etree
import lxml.html
from lxml.cssselect import CSSSelector

from pipelines.scores import Score, parse_score
from pipelines.structured import review_rating


# Scores that belong to someone other than the reviewer.
_NOT_THE_REVIEWER = re.compile(r"community|reader|user|audience|poll|average|votes", re.I)
# Page regions (by class or id) that show other reviews' or other people's scores, never this review's.
_OTHER_SCORES_REGION = re.compile(
    r"related|trending|popular|sidebar|widget|comment|respond|recommend|more-from|also-like|yarpp|"
    r"community|poll|user-rating|reader|ticker|footer|menu",
    re.I,
)
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


# What marks the article itself: a container of one of these is never "another score's region", whatever
# layout classes it carries ("right-sidebar" on the main column, Blogger's "widget Blog" around the post).
ARTICLE_MARKERS = "h1, .post-body, .entry-content, [itemprop~=articleBody], [itemprop~=reviewBody]"


_ARTICLE_MARKERS = CSSSelector(ARTICLE_MARKERS, translator="html")
_NEVER_TEXT = ("script", "style", "noscript", "nav", "footer", "form", "template")
_UTF8 = lxml.html.HTMLParser(encoding="utf-8")


def _parse(page: str):
    """The page as an lxml tree (libxml2's HTML parser, as BeautifulSoup's "lxml" builder), None when empty."""
    try:
        return lxml.html.document_fromstring(page)
    except ValueError:  # a str with an XML encoding declaration: parse its bytes
        try:
            return lxml.html.document_fromstring(page.encode("utf-8"), parser=_UTF8)
        except lxml.etree.ParserError:
            return None
    except lxml.etree.ParserError:  # nothing but blanks or comments
        return None


def _article_containers(tree, outside: tuple[str, ...] = ()) -> set:
    """Every article marker and its ancestors, leaving out markers inside an element of the `outside` tags.
    (lxml keeps an element's Python object while it is referenced: the set holds the elements themselves.)"""
    containers = set()
    for marker in _ARTICLE_MARKERS(tree):
        lineage = [marker, *marker.iterancestors()]
        if not outside or not any(element.tag in outside for element in lineage):
            containers.update(lineage)
    return containers


def _shows_other_scores(element, article_containers: set) -> bool:
    if element in article_containers:
        return False
    return bool(_OTHER_SCORES_REGION.search((element.get("class") or "") + " " + (element.get("id") or "")))


def _is_html(page: str) -> bool:
    return page.lstrip().startswith("<")


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


def _text_strings(element, containers: set):
    """Like _strings, leaving out what is never text (scripts, menus, forms…) and the regions that show other
    reviews' or other people's scores; an <img> is its alt text when that reads as stars ("4.5 stars",
    "★★★★☆"), else a space. A left-out element's tail stays a string of its own, as with bs4's decompose()."""
    if element.text:
        yield element.text
    for child in element:
        if isinstance(child.tag, str):
            if child.tag in _NEVER_TEXT or _shows_other_scores(child, containers):
                pass
            elif child.tag == "img":
                alt = child.get("alt") or ""
                yield f" {alt} " if _STAR_ALT.search(alt) else " "
            else:
                yield from _text_strings(child, containers)
        if child.tail:
            yield child.tail


def _page_lines(page: str, tree=None) -> list[str]:
    """The page's text lines; for HTML (parsed once, as `tree`) without what is never text and without the
    regions that show other reviews' or other people's scores. Each text string is read on its own lines."""
    if tree is not None:
        containers = _article_containers(tree, outside=_NEVER_TEXT)
        if _shows_other_scores(tree, containers):
            return []
        strings = _text_strings(tree, containers)
    else:
        strings = [page]
    lines = (" ".join(line.split()) for string in strings for line in string.splitlines())
    return [line for line in lines if line]


# Score boxes of common WordPress review plugins (WP Review, Lets Review, Taqyeem, WP Product Review):
# their number is the review's own. A bare number is on 10 points, or 5 when the box draws stars.
REVIEW_PLUGIN_BOXES = (
    ".review-total-box, .lets-review-block__final-score, .review-final-score, .cwp-review-percentage, "
    ".wp-review-total, .rwp-overall-score"
)


_PLUGIN_BOXES = CSSSelector(REVIEW_PLUGIN_BOXES, translator="html")


def _plugin_box_score(tree) -> Score | None:
    containers = _article_containers(tree)
    for box in _PLUGIN_BOXES(tree):
        ancestors = list(box.iterancestors())
        if any(_shows_other_scores(element, containers) for element in ancestors):
            continue  # a related post's or a widget's score box
        classes = " ".join(element.get("class") or "" for element in [box, *ancestors])
        score = parse_score(" ".join(_strings(box)), best=5 if "star" in classes else 10)
        if score is not None:
            return score
    return None


def _structured_score(page: str) -> Score | None:
    rating = review_rating(page)
    if rating is None or not 0 <= rating["value"] <= rating["best"]:
        return None
    value, best = rating["value"], rating["best"]
    return Score(text=f"{value:g}/{best:g}", value=value, best=best, score=round(10 * value / best, 2))


def find_review_score(page: str) -> Score | None:
    """The reviewer's own overall score on a whole page (HTML or plain text), or None.

    In order: a schema.org Review's reviewRating; a review plugin's score box; the last overall or plainly labelled line
    ("Rating - 8/10", "Overall: ★★★★☆"); the last unlabelled verdict line ("7.8 out of 10.0 …");
    a score closing a paragraph ("… (5/10)"); the last per-category sub-score ("Story Score: 7/10").
    Related and trending posts, sidebars, comments, community scores and polls are never read.
    """
    if not page:
        return None
    tree = None
    if _is_html(page):
        tree = _parse(page)
        if tree is None:
            return None  # blanks and comments: no text, no structured data
        declared = _structured_score(page) or _plugin_box_score(tree)
        if declared is not None:
            return declared
    overall: list[Score] = []
    verdicts: list[Score] = []
    closing: list[Score] = []
    sub_scores: list[Score] = []
    lines = _page_lines(page, tree)
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
