"""The review's own overall score on a whole page: find_review_score.

A page shows many numbers that look like scores: sub-scores, readers' and community scores, related posts'
scores, ratings quoted from other sites, counters, dates. find_review_score picks the reviewer's own overall
score, or says nothing where it cannot tell.
"""

from __future__ import annotations

import re

from lxml.cssselect import CSSSelector

from pipelines.headline_families import AIRING_SEASON
from pipelines.page import (
    BLOCK_TAGS, OTHER_SCORE_WIDGETS_PATTERN, SCORELESS_TAGS, Page, class_and_id, is_html, read_page,
)
from pipelines.score_widgets import BARE_NUMBER, star_glyph, widget_text
from pipelines.scores import Score, parse_score
from pipelines.structured import number, reviewed_properties, types_of

MAX_LINES = 5000  # a page's text lines read, at most
MAX_LINE = 400  # characters of a line read by the rules
HEAD_LINES = 12  # the lines that hold a page's headline
# Widget texts are set apart in the page's text by these private-use marks: a score drawn by markup.
_WIDGET_OPEN, _WIDGET_CLOSE = "\ue000", "\ue001"

# Lines that quote someone else's figure: users, readers, the community, polls, critic aggregates and other
# sites' ratings (Rotten Tomatoes, IMDb, MyAnimeList, Metacritic).
_NOT_THE_REVIEWER = re.compile(
    r"community|reader|\buser|audience|\bpoll|average|\bvotes?\b|visitor|metacritic|metascore|opencritic|"
    r"rotten\s+tomatoes|tomatometer|\bimdb\b|myanimelist|\bMAL\b|critics?[’']?\s+(?:score|consensus|rating)",
    re.I,
)
# Lines that rate something other than quality: ages and content advisories ("Age Rating: 13+",
# "MPAA Rating: PG", "Violence: (4/10)", "Family friendly review 7/10"), runtimes, release dates.
_NOT_QUALITY = re.compile(
    r"\bage\s+rating|suggested\s+age|\bages?\s*:|\bmpaa\b|\besrb\b|\bpegi\b|\bfsk\b|\brated\s*:|parental|"
    r"family[-\s]friendly|^\W*(?:violence|language|nudity|sex(?:uality)?|religion|drugs?|alcohol|gore|"
    r"profanity|frightening|scary|run(?:ning)?\s*time|release\s*date|date)\b|%\s+of\s+(?:the\s+)?(?:score|total|grade)",
    re.I,
)
_OVERALL = re.compile(r"\b(?:overall|final|total|verdict)\b", re.I)
_LINE_LABEL = re.compile(r"\b(?:rating|score|overall|final|verdict|grade|total)s?\b", re.I)
# "The scores:" or "Ratings" alone heads a list of several shows' scores, not the review's own.
_LIST_HEADER = re.compile(r"^\W*(?:the\s+|our\s+|my\s+)?(?:ratings|scores|grades)\s*:?\s*$", re.I)
# What a sub-score rates: one side of the work, or of a disc (picture, sound, extras).
_ASPECT = re.compile(
    r"\b(?:story|plot|writing|script|animation|art|visuals?|graphics|design|music|soundtrack|ost|sound|audio|"
    r"video|picture|packaging|menus?|extras?|bonus|characters?|cast|acting|performances?|voice|dub|sub|"
    r"direction|pacing|enjoyment|fun|bias|action|world(?:building)?|setting|production|presentation|"
    r"cinematography|effects|humou?r|comedy|romance|drama|value|replay|gameplay|dialogue)\b",
    re.I,
)
# Technical grades of a disc release: never the review's score, even alone.
_DISC_ASPECT = re.compile(r"^\W*(?:video|audio|picture|sound|packaging|menus?|extras?|bonus)\b", re.I)
# Disc reviews grade the work itself under its kind: "Film: 5 out of 5 stars", "Episodes: 4 out of 5 stars",
# "Content Grade: A-"; that grade is the overall one next to the extras' and the picture's.
_SUBJECT_LABEL = re.compile(
    r"^\W*(?:the\s+)?(?:film|movie|feature|main\s+feature|show|series|season|episodes?|content|programme|"
    r"program|anime|manga)\s*(?:rating|score|grade)?\s*:\s*(?=[\d★☆]|[A-F][+\-]?(?!\w))", re.I,
)
# An unlabelled verdict line such as "7.8 out of 10.0 Pretty Gay Boys" (and "90/100Intensely dramatic…",
# glued): the score opens the line and a verdict phrase follows it.
# A line opening with the score: "7.8 out of 10.0 Pretty Gay Boys", "9/10. You may not agree …"; or a score alone
# on its line on a ten- or hundred-point scale ("8.5/10", "6.92/10", "10.0/10").
_VERDICT_LINE = re.compile(
    r"^\d+(?:[.,]\d+)?\s*(?:/|out\s+of)\s*\d+(?:[.,]\d+)?\s*[.!:–—-]?\s*[^\W\d_]"
    r"|^\d+(?:[.,]\d+)?\s+stars?\b(?!\s+(?:reviews?|ratings?|votes?))"  # "5 stars for Ghost In The Shell (1995)"
    r"|^[\s*•–-]{0,3}(?:\d+(?:[.,]\d+)?|one|two|three|four|five)(?:\s+and\s+a\s+half)?\s+stars?(?:\s+out\s+of\s+\w+)?[.!]?$"
    r"|^\W{0,3}\d+(?:[.,]\d+)?\s*/\s*(?:10|100)(?:[.,]0+)?\W{0,3}$",
    re.I,
)
# The reviewer's verdict in prose: "I really liked it and give it a 9 out of 10", "I'd rate it 4/5", "it earns
# a solid 8/10": the lead words, then the score within the sentence.
# Also "I gave this first volume a full 5 stars", "Attack on Titan, when put into numbers, is an 8.5/10", "It's a ten
# out of ten": a plain "is a" only before a number on its scale.
_PROSE_VERDICT = re.compile(
    r"\b(?:(?:give|rate|grade|score)[sd]?|gave|giving|rating)\s+(?:it|this(?:\s+\w+){0,2}|the\s+\w+|them)\s+"
    r"(?:an?\s+)?(?:(?:full|solid|strong|perfect|well-deserved)\s+)?"
    r"|\b(?:gets|earns|deserves)\s+(?:an?\s+)?"
    r"|\b(?:is|was|it[’']s)\s+(?:an?\s+)(?:(?:solid|strong|perfect)\s+)?(?=(?:\d+(?:[.,]\d+)?\s*/\s*10\b|\w+\s+out\s+of\s+ten\b))",
    re.I,
)
# A score closing the review's last sentence, as blogs write it: "… Anime or no anime. (5/10)".
# Also after a colon or dash ending the paragraph, on ten or a hundred: "… an obnoxious show. Seven episodes: 2/10".
_CLOSING_SCORE = re.compile(
    r"[(\[]\s*\d+(?:[.,]\d+)?\s*/\s*\d+(?:[.,]\d+)?\s*[)\]]\s*$"
    r"|(?<=[.!?…])\s[^.!?:]{0,40}(?::|\s[–—-])\s*\d+(?:[.,]\d+)?\s*/\s*(?:10|100)\s*$"
    r"|(?<=[.!?…])\s+\d+(?:[.,]\d+)?\s*/\s*(?:10|100)\s*$"
)
# Star rows stand for the critic's verdict in newspapers' capsules ("Andor (season 2) ★★★★★", "★★★★★"
# under the channel, "(… ★★★ out of four)" mid-sentence).
_STAR_ROW = re.compile(r"[★☆⭐✭✮✯✩][★☆⭐½⯪✭✮✯✩ ]{2,}")
# A headline carrying its score after a dash: "Vinland Saga S2 Anime Review – 92/100 – Throwback Thursday".
_TITLE_SCORE = re.compile(r"\s[–—-]\s+\d+(?:[.,]\d+)?\+?\s*/\s*\d+(?:[.,]\d+)?(?=\s|$)")
# Pages about scoring itself, whose numbers are a scale's steps: "Rating System", "How We Score", an about page.
_ABOUT_SCORING = re.compile(
    r"\b(?:rating|scoring|grading|review)\s+(?:system|scale|policy|rubric)s?\b|"
    r"\bhow\s+(?:we|i)\s+(?:rate|score|grade)\b|^\W*about(?:\s+(?:us|me|the\s+site))?\W*$",
    re.I,
)
# Family: a scale's legend, a step per line ("1/8 – nightmare" … "8/8 – masterpiece", "0.5 Star– An anime that
# was abysmal", "9.0-10.0 Masterpiece"): three such lines near one another are no review's score.
_LEGEND_STEP = re.compile(
    r"^\W{0,3}\d+(?:[.,]\d+)?(?:\s*[-–]\s*\d+(?:[.,]\d+)?)?\s*(?:/\s*\d+)?\s*(?:stars?)?\s*[-–—:=]?\s*[^\W\d_]",
    re.I,
)
# Headlines of roundups, one score per show: "Spring 2018 Reviews", "Weeb Report: Fall 2022 Anime Review",
# "Weekly Anime Review (Aug 17 – 23)", "Spring 2024 Wrap-Up", "Top 60 episodes".
_ROUNDUP_HEADLINE = re.compile(
    rf"\b{AIRING_SEASON}\s+(?:season\s+)?(?:19|20)\d\d\b(?!\))|\bweekly\b|\bweek\s+\d+\b|"
    r"\bround-?up\b|\bwrap-?up\b|\btop\s+\d+\b|\bseason(?:al)?\s+(?:guide|preview)\b",
    re.I,
)
# Posts that go episode by episode ("Episode 9: All Aboard", "- Episode 10: …") give a score per episode.
_EPISODE_HEADING = re.compile(r"^\W*episode\s+(\d+)\s*[:–—-]\s*[^\W\d_]", re.I)
# A rating box flattened to text (JNews, Soledad, theme boxes): "Our Rating", "Plot 9.5", "Animation 9.5", "9.5".
_BOX_HEADER = re.compile(
    r"^\W*(?:(?:our|my|the|editor[’']?s?|review)\s+)?(?:rating|score|verdict|review\s+overview|score\s+breakdown)"
    r"\s*:?\s*$", re.I,
)
_BOX_ASPECT = re.compile(r"^[^\W\d_][^\d]{1,30}?\s*\d+(?:[.,]\d+)?$")


# Score boxes of common WordPress review plugins and themes (WP Review, Lets Review, Taqyeem, WP Product
# Review, Soledad/JNews/Newspaper totals): their number is the review's own, on 10 points unless the box
# draws stars (5) or prints its scale.
REVIEW_PLUGIN_BOXES = (
    ".review-total-box, .lets-review-block__final-score, .review-final-score, .cwp-review-percentage, "
    ".wp-review-total, .rwp-overall-score, .wppr-review-grade-number, [class*=score-total], "
    "[class*=total-score], [class*=final-score], [class*=overall-score], [class*=score-final]"
)
_PLUGIN_BOXES = CSSSelector(REVIEW_PLUGIN_BOXES, translator="html")
# The class words of those boxes, looked for in the page's source before the tree is searched.
_MAY_HOLD_PLUGIN_BOX = re.compile(
    r"review-total-box|lets-review|review-final-score|cwp-review|wp-review-total|rwp-overall|wppr-review|"
    r"score-total|total-score|final-score|overall-score|score-final"
)
# A line that may hold a score or label one: a digit, a star, a drawn score or a score word.
_MAY_SCORE = re.compile(r"[\d★☆⭐✭✮✯✩\ue000]|rating|score|grade|overall|final|verdict|total|\bout\s+of\b|\bstars?\b", re.I)


def _other_scores(element, page: Page) -> bool:
    return page.shows_other_scores(element) or bool(OTHER_SCORE_WIDGETS_PATTERN.search(class_and_id(element)))


def _text_strings(element, page: Page, best: float | None):
    """The element's text, a line per block element, leaving out what is never text (scripts, menus, forms…)
    and the regions that show other reviews' or other people's scores. A score drawn by markup (star images,
    star classes, CSS star bars, a number in a score element) is its reading, set apart by the widget marks."""
    if element.text:
        yield element.text
    for child in element:
        if isinstance(child.tag, str) and child.tag not in SCORELESS_TAGS and not _other_scores(child, page):
            block = child.tag in BLOCK_TAGS
            yield "\n" if block else " "  # "<span>Rating</span><span>9/10</span>" is two words
            drawn = widget_text(child, best)
            if drawn is not None:
                yield f" {_WIDGET_OPEN}{drawn}{_WIDGET_CLOSE} "
            elif child.tag == "img":
                yield star_glyph(child) or ""
            else:
                yield from _text_strings(child, page, best)
            yield "\n" if block else " "
        if child.tail:
            yield child.tail


def _page_lines(text: str, page: Page | None, best: float | None) -> list[str]:
    """The page's text lines, at most MAX_LINES of at most MAX_LINE characters; for HTML a line per block
    element, without what never holds the review's score and the regions of other people's scores."""
    if page is not None:
        if _other_scores(page.tree, page):
            return []
        text = "".join(_text_strings(page.tree, page, best))
    lines = []
    for raw in text.splitlines():
        line = " ".join(raw[: 4 * MAX_LINE].split())[:MAX_LINE]
        if not line:
            continue
        lines.append(line)
        if len(raw) > MAX_LINE:
            # A long paragraph's close is a line too: bloggers end the review's last paragraph with its score
            # ("… it's just obnoxiously loud. Seven episodes: 2/10").
            closing = " ".join(raw[-2 * MAX_LINE:].split())[-MAX_LINE:]
            lines.append(closing[closing.find(" ") + 1:])
        if len(lines) >= MAX_LINES:
            break
    return lines[:MAX_LINES]


def _plugin_box_score(page: Page, best: float | None) -> Score | None:
    if not _MAY_HOLD_PLUGIN_BOX.search(page.html):
        return None
    for box in _PLUGIN_BOXES(page.tree):
        ancestors = list(box.iterancestors())
        if any(_other_scores(element, page) for element in [box, *ancestors]):
            continue  # a related post's, a widget's or the readers' score box
        classes = " ".join(element.get("class") or "" for element in [box, *ancestors])
        text = widget_text(box, best) or "".join(_text_strings(box, page, best))
        score = _parse(text, best=5 if "star" in classes else best or 10)
        if score is not None:
            return score
    return None


def _structured_score(page: Page) -> Score | None:
    """The page's schema.org Review rating; none where several reviews disagree (users' reviews of a work)."""
    ratings = set()
    for rating in reviewed_properties(page, "reviewRating"):
        if "AggregateRating" in types_of(rating):
            continue
        value, best = number(rating.get("ratingValue")), number(rating.get("bestRating")) or 5.0
        if value is not None and 0 <= value <= best:
            ratings.add((value, best))
    if len(ratings) != 1:
        return None
    [(value, best)] = ratings
    return Score(text=f"{value:g}/{best:g}", value=value, best=best, score=round(10 * value / best, 2))


def find_review_score(page: str | Page | None, best: float | None = None) -> Score | None:
    """The reviewer's own overall score on a whole page (HTML or plain text), or None.

    In order: a schema.org Review's reviewRating; a review plugin's score box; then the page's text lines
    (see _score_from_lines). `best` is the scale the site declares for numbers printed without one.
    Related and trending posts, sidebars, comments, community scores and polls are never read.
    """
    if not page:
        return None
    text, html_page = page if isinstance(page, str) else page.html, None
    if isinstance(page, Page) or is_html(page):
        html_page = read_page(page)
        if html_page.tree is None:
            return None  # blanks and comments: no text, no structured data
        declared = _structured_score(html_page) or _plugin_box_score(html_page, best)
        if declared is not None:
            return declared
    lines = _page_lines(text, html_page, best)
    headlines = None
    if html_page is not None:  # an HTML page's headlines are its h1s, not the menus' first lines
        headlines = [" ".join(h1.text_content().split()) for h1 in html_page.tree.iter("h1")][:3]
    return _score_from_lines(lines, best, headlines)


def _parse(line: str, best: float | None = None) -> Score | None:
    return parse_score(line.replace(_WIDGET_OPEN, " ").replace(_WIDGET_CLOSE, " "), best=best)


def _labelled_score(lines: list[str], i: int, best: float | None) -> tuple[str, Score] | None:
    """A labelled line's score and its tier: "overall" ("Overall: 7.1/10", "Mania Grade: B", "Film: 5 out of
    5 stars") or "sub" ("Story 7.1/10"); None for a list header, technical disc grades and no score."""
    line = lines[i]
    label = _LINE_LABEL.search(line)
    subject = _SUBJECT_LABEL.match(line)
    if _LIST_HEADER.match(line) or _DISC_ASPECT.match(line) or not (label or subject):
        return None
    start = label.start() if label and len(line) > 120 else 0
    window = line[start: start + 120]  # a long line: the words right after the label
    aspect = _ASPECT.search(line.split(":")[0]) and not (subject or _OVERALL.search(line))
    # The site's declared scale is the scale of its own score ("Score: 4" on a five-point site), never of a
    # sub-score's bare number.
    score = _parse(window, None if aspect else best)
    if score is None and i + 1 < len(lines) and len(line) <= 60:
        score = _parse(f"{line} {lines[i + 1]}")  # HTML often splits "Rating" and "8/10" into two blocks
    if score is None:
        return None
    return ("sub" if aspect or not (label or subject) else "overall"), score


def _candidates(lines: list[str], best: float | None) -> dict[str, list[Score]]:
    """Every line's score, by tier."""
    tiers: dict[str, list[Score]] = {name: [] for name in
                                     ("overall", "widget", "box", "stars", "verdict", "prose", "closing",
                                      "title", "sub", "strong")}
    legend = _legend_lines(lines)
    for i, line in enumerate(lines):
        if (i in legend or not _MAY_SCORE.search(line) or _NOT_THE_REVIEWER.search(line)
                or _NOT_QUALITY.search(line)):
            continue
        if _WIDGET_OPEN in line and not _ASPECT.search(line.split(_WIDGET_OPEN)[0]):
            widget = _parse(line.split(_WIDGET_OPEN, 1)[1].split(_WIDGET_CLOSE)[0])
            if widget is not None:
                tiers["widget"].append(widget)
                continue
        labelled = _labelled_score(lines, i, best)
        if labelled is not None:
            tiers[labelled[0]].append(labelled[1])
            if labelled[0] == "overall" and _OVERALL.search(line):
                tiers["strong"].append(labelled[1])
            continue
        for tier, score in _unlabelled_score(lines, i):
            tiers[tier].append(score)
    return tiers


def _legend_lines(lines: list[str]) -> set[int]:
    """The lines of a scale's legend: three or more steps, each within four lines of the next."""
    steps = [i for i, line in enumerate(lines) if _LEGEND_STEP.match(line) and not _ASPECT.search(line[:40])
             and not _OVERALL.search(line[:40])]  # "9.7/10 story", "10/10 overall" are a review's scores
    legend: set[int] = set()
    run: list[int] = []
    for i in steps + [len(lines) + 10]:
        if run and i - run[-1] > 4:
            values = [float(re.match(r"\W*(\d+(?:[.,]\d+)?)", lines[j])[1].replace(",", ".")) for j in run]
            rising = all(a < b for a, b in zip(values, values[1:]))
            falling = all(a > b for a, b in zip(values, values[1:]))
            if len(run) >= 3 and (rising or falling):  # a scale's steps, in order
                legend.update(run)
            run = []
        run.append(i)
    return legend


def _unlabelled_score(lines: list[str], i: int):
    """The score of a line with no label: a verdict line, a star row, a prose verdict, a closing score, a
    headline's score or a flattened rating box's total."""
    line = lines[i]
    for tier, pattern, whole in (("verdict", _VERDICT_LINE, True), ("stars", _STAR_ROW, False),
                                 ("prose", _PROSE_VERDICT, False), ("closing", _CLOSING_SCORE, False),
                                 ("title", _TITLE_SCORE, False)):
        match = pattern.search(line)
        if match:
            text = line if whole else match.group() if tier in ("closing", "title") else \
                re.split(r"[.!?](?:\s|$)", line[match.start(): match.end() + 60])[0]
            score = _parse(text)
            if score is not None:
                yield tier, score
                return
    if _BOX_HEADER.match(line):
        score = _box_total(lines, i)
        if score is not None:
            yield "box", score


def _box_total(lines: list[str], i: int) -> Score | None:
    """A rating box read as text: a header, its aspects' numbers ("Plot9.5", "Animation 9.5"), then the total
    alone on its line. Its scale is 10 when an aspect tops 5, 100 when one tops 10; else none can be told."""
    values = []
    for line in lines[i + 1: i + 12]:
        if _BOX_ASPECT.match(line):
            values.append(float(re.search(r"\d+(?:[.,]\d+)?$", line).group().replace(",", ".")))
        elif BARE_NUMBER.match(line) and values:
            top = max(values + [float(line.replace(",", "."))])
            scale = 100.0 if top > 10 else 10.0 if top > 5 else None
            return parse_score(line, best=scale) if scale and top <= 100 else None
        else:
            return None
    return None


def _roundup(lines: list[str], tiers: dict[str, list[Score]], headlines: list[str] | None) -> bool:
    """Whether the page gives one score per show or per episode and none for itself."""
    head = [line for line in (lines[:HEAD_LINES] if headlines is None else headlines) if len(line) <= 150]
    if any(_ROUNDUP_HEADLINE.search(line) or _ABOUT_SCORING.search(line) for line in head):
        return True  # a season's, a week's or a top list's roundup; a page about scoring
    if tiers["strong"]:
        return False
    if not (tiers["overall"] or tiers["widget"]) and any(
            len({score.text for score in tiers[name]}) >= 2 for name in ("title", "stars")):
        return True  # several "Show – 8/10" lines, or capsules with a star row each
    episodes = {match[1] for line in lines if (match := _EPISODE_HEADING.match(line))}
    return len(episodes) >= 2  # an episode-by-episode post: a score per episode


def _score_from_lines(lines: list[str], best: float | None, headlines: list[str] | None = None) -> Score | None:
    """The review's score among its text lines, by tier: overall or plainly labelled lines ("Rating - 8/10",
    "Overall: ★★★★☆", "Film: 5 out of 5 stars"), the first score drawn by markup, a flattened rating box's
    total, the first star row, unlabelled verdict lines ("7.8 out of 10.0 …"), prose verdicts ("I give it a 9
    out of 10"), a closing score ("… (5/10)"), a headline's score, else the last sub-score."""
    tiers = _candidates(lines, best)
    if _roundup(lines, tiers, headlines):
        return None
    for name, first in (("strong", False), ("overall", False), ("widget", True), ("box", False), ("stars", True),
                        ("verdict", False), ("prose", False), ("closing", False), ("title", True), ("sub", False)):
        if tiers[name]:
            return _tightened(tiers[name][0] if first else tiers[name][-1])
    return None


def _tightened(score: Score) -> Score:
    """The score with its text cut to the words up to the score ("Final Score: 8/10", not the verdict after)."""
    words = score.text.split()
    for end in range(1, min(len(words), 40)):
        shorter = parse_score(" ".join(words[:end]))
        if shorter is not None and (shorter.value, shorter.best) == (score.value, score.best):
            return shorter
    return score
