"""The critic's verdict: the one line a review sums itself up in, as the page prints it.

Outlets print it in a few families of form:
  - a labelled line:            "Verdict: …", "The bottom line: …", "TL;DR: …", "In Summary: …"
  - a heading, then a paragraph: "The Verdict" / "TL;DR" / "Bottom Line", and the verdict below it
  - a score section:            "Overall Score" / "6.8 out of 10.0 Accidental Mind Readings" / the verdict paragraph
  - a score line with words:    "Final Score: 8/10 A confident return even if the side cast is still paper thin"
  - a pros and cons box:        "Pros" / items / "Cons" / items, summed up as "Pros: …; …. Cons: …."
  - a review plugin's box:      WP Review's summary, a "verdict-box", Lets Review's conclusion; a schema.org
                                Review's short reviewBody (whole pages, the generic spider's)
An outlet's spider may read its own box (`verdict` in review_fields); these rules find the rest, in the text of
every outlet and of the generic path alike. A verdict found here is at most MAX_CHARS long, cut at a sentence.

The same lines close a review's text: `is_score_line` and `is_sign_off` tell pipelines.chrome what to leave out
of the body ("Rating: 8/10", "~Thanks for Reading~").
"""

from __future__ import annotations

import re

from pipelines.page import Page, read_page
from pipelines.structured import REVIEW_TYPES, types_of

MAX_CHARS = 400  # a verdict is a line or two; a longer paragraph is cut at a sentence
MAX_PARAGRAPHS = 400  # of a review's text read for a verdict
MAX_PARAGRAPH = 2_000  # characters of one paragraph read by the rules
MAX_LIST_ITEMS = 5  # pros, and cons, each

_LABEL = (r"(?:(?:the\s+|my\s+|our\s+)?(?:final\s+)?verdict|tl\s*;\s*dr|tldr|(?:the\s+)?bottom\s+line|in\s+summary|"
          r"in\s+short|in\s+a\s+nutshell|(?:the\s+)?short\s+version)")
_LABELLED = re.compile(rf"^\W*{_LABEL}\s*[:\-–—]\s*(?P<verdict>\S.*)$", re.I | re.S)
_VERDICT_HEADING = re.compile(rf"^\W*{_LABEL}\W*$", re.I)
# A score section's heading: "Overall Score", "Final Rating", "Score".
_SCORE_HEADING = re.compile(r"^\W*(?:(?:final|overall|total|my|our)\s+)?(?:score|rating|grade)s?\W*$", re.I)

_NUMERIC = r"-?\d+(?:[.,]\d+)?\s*(?:/|out\s+of)\s*\d+(?:[.,]\d+)?|\d+(?:[.,]\d+)?\s*stars?|[★☆½]{3,}"
_GRADE = r"[A-F][+-]?(?=\s*(?:$|[|–—(.,;:-]))"  # "B+", never the "A" of "A fun ride"
_SCORE_LABEL = (r"(?:(?:final|overall|total|my|our|episode|season|series|content)\s+)?"
                r"(?:score|rating|grade|verdict)s?|overall")
# "Rating: 8/10", "Final Score: 8/10 <verdict>", "Grade: B+", "Episode Rating – 3.5/5"
_LABELLED_SCORE = re.compile(rf"^\W*(?:{_SCORE_LABEL})\s*[:\-–—]?\s*(?P<score>{_NUMERIC}|{_GRADE})\W*?(?P<rest>.*)$",
                             re.I | re.S)
# "6.8 out of 10.0 Accidental Mind Readings", "8/10": a score alone on its line, perhaps with a flourish
_BARE_SCORE = re.compile(rf"^\W*(?P<score>{_NUMERIC})\W*?(?P<rest>.*)$", re.I | re.S)
_MAX_FLOURISH_WORDS = 5

# Sign-offs: "~Thanks for Reading~", "Written by 7Mononoke at Anime Rants", "Until next time!"
_SIGN_OFF = re.compile(
    r"^\W*(?:thanks?\s+(?:you\s+)?(?:so\s+much\s+)?for\s+reading|(?:written|posted|reviewed)\s+by\s+\S.{0,60}|"
    r"until\s+next\s+(?:time|week)|see\s+you\s+(?:next|in\s+the\s+next)\b.{0,40}|happy\s+watching|"
    r"peace\s+out|cheers|stay\s+tuned)\W*$", re.I | re.S)
_MAX_SIGN_OFF_WORDS = 12

_PROS = re.compile(r"^\W*(?:pros|the\s+good|what\s+works|positives)\s*(?::\s*(?P<rest>.*))?$", re.I | re.S)
_CONS = re.compile(r"^\W*(?:cons|the\s+bad|what\s+doesn[’']?t\s+work|negatives)\s*(?::\s*(?P<rest>.*))?$",
                   re.I | re.S)

# Review plugins' and themes' summary boxes, on a whole page.
CRITIC_REVIEWS = REVIEW_TYPES - {"UserReview", "EmployerReview"}  # a reader's review is not the critic's
VERDICT_BOXES = (".review-desc p:not(.review-summary-title)", ".lets-review-block__conclusion",
                 ".review-short-summary", ".verdict-box .comment", ".review-verdict", ".tldr")


def is_score_line(paragraph: str) -> bool:
    """A line that prints a score: "Rating: 8/10", "Final Score: 8/10 <verdict>", "6.8 out of 10.0 …"."""
    if _LABELLED_SCORE.match(paragraph):
        return True
    bare = _BARE_SCORE.match(paragraph)
    return bool(bare) and len(bare["rest"].split()) <= _MAX_FLOURISH_WORDS


def is_sign_off(paragraph: str) -> bool:
    return len(paragraph.split()) <= _MAX_SIGN_OFF_WORDS and bool(_SIGN_OFF.match(paragraph))


def bounded(text: str | None) -> str | None:
    """The verdict as one line, at most MAX_CHARS: cut at the last sentence that fits, else at a word."""
    text = " ".join((text or "").split())
    if len(text.split()) < 2 or is_sign_off(text):
        return None
    if len(text) <= MAX_CHARS:
        return text
    head = text[:MAX_CHARS]
    end = max(head.rfind(". "), head.rfind("! "), head.rfind("? "))
    if end >= MAX_CHARS // 3:
        return head[: end + 1]
    return head[: head.rfind(" ")].rstrip(",;:–—- ") + "…"


def _prose(paragraph: str | None) -> str | None:
    """A paragraph that can be a verdict: words, not a heading, a score line or a sign-off."""
    if not paragraph or is_score_line(paragraph) or is_sign_off(paragraph) or _VERDICT_HEADING.match(paragraph):
        return None
    return bounded(paragraph)


def _after(paragraphs: list[str], i: int) -> str | None:
    """The prose after paragraph i, past one score line ("The Verdict" / "Rating: 8/10" / the verdict)."""
    following = paragraphs[i + 1: i + 3]
    if following and is_score_line(following[0]):
        following = following[1:]
    return _prose(following[0]) if following else None


def _labelled(paragraphs: list[str]) -> str | None:
    for i, paragraph in enumerate(paragraphs):
        if (found := _LABELLED.match(paragraph)) and (verdict := bounded(found["verdict"])):
            return verdict
        if _VERDICT_HEADING.match(paragraph) and (verdict := _after(paragraphs, i)):
            return verdict
    return None


def _score_section(paragraphs: list[str]) -> str | None:
    """"Overall Score" / a score line / the verdict; else a score line's own words ("Final Score: 8/10 …")."""
    for i, paragraph in enumerate(paragraphs[:-2]):
        if _SCORE_HEADING.match(paragraph) and is_score_line(paragraphs[i + 1]):
            if verdict := _prose(paragraphs[i + 2]):
                return verdict
    for paragraph in reversed(paragraphs):
        found = _LABELLED_SCORE.match(paragraph)
        if found and len(found["rest"].split()) >= 3:
            return bounded(found["rest"])
    return None


def _items(paragraphs: list[str], start: int, first: str | None) -> list[str]:
    """A box's list: the text after its label, else the short paragraphs below it."""
    if first and first.strip():
        return [part.strip(" -•+–") for part in re.split(r"[;•\n]|\s[-+–]\s", first) if part.strip(" -•+–")]
    items = []
    for paragraph in paragraphs[start + 1: start + 1 + MAX_LIST_ITEMS]:
        if _CONS.match(paragraph) or _PROS.match(paragraph) or len(paragraph.split()) > 25:
            break
        items.append(paragraph.strip(" -•+–"))
    return items


def _pros_and_cons(paragraphs: list[str]) -> str | None:
    pros = cons = None
    for i, paragraph in enumerate(paragraphs):
        if pros is None and (found := _PROS.match(paragraph)):
            pros = _items(paragraphs, i, found["rest"])
        elif pros is not None and (found := _CONS.match(paragraph)):
            cons = _items(paragraphs, i, found["rest"])
            break
    if not pros or not cons:
        return None
    return bounded(f"Pros: {'; '.join(pros[:MAX_LIST_ITEMS])}. Cons: {'; '.join(cons[:MAX_LIST_ITEMS])}.")


def verdict_from_text(text: str | None) -> str | None:
    """The verdict a review's text prints (its paragraphs separated by blank lines), or None."""
    paragraphs = [p[:MAX_PARAGRAPH].strip() for p in (text or "").split("\n\n")[:MAX_PARAGRAPHS] if p.strip()]
    return _labelled(paragraphs) or _score_section(paragraphs) or _pros_and_cons(paragraphs)


def verdict_from_page(page: str | Page | None, url: str | None = None) -> str | None:
    """The verdict a whole page's review box prints (WP Review's summary, a TL;DR box), or a schema.org Review's
    reviewBody short enough to be one."""
    page = read_page(page, url)
    if page.tree is None:
        return None
    for selector in VERDICT_BOXES:
        for box in page.tree.cssselect(selector):
            if verdict := bounded(box.text_content()):
                return verdict
    for review in page.structured:
        body = review.get("reviewBody") if types_of(review) & CRITIC_REVIEWS else None
        if isinstance(body, str) and len(body) <= MAX_CHARS and (verdict := bounded(body)):
            return verdict
    return None


def find_verdict(text: str | None, page: str | Page | None = None, url: str | None = None) -> str | None:
    """The verdict of a review: its page's box first (whole pages only), then its text."""
    return (verdict_from_page(page, url) if page else None) or verdict_from_text(text)
