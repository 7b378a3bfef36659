"""PROPOSED code changes, applied by monkeypatching inside a benchmark run (`--proposed`), so their gain is measured.

Nothing in the project imports this. Each change is written out as a diff in the performance report; once a change
is applied to the project, its install function here patches in the same code and changes nothing.

1. pipelines/scores.py, find_review_score: read the page with lxml instead of BeautifulSoup. Same parser
   (libxml2, as bs4's "lxml" builder), same text strings (bs4's get_text keeps each text node, and the text
   after a removed element, as a string of its own; so does `_text_strings`), so the same score and the same
   lines on every page of the mirror and every test page (checked: bench/check_proposed.py). About 5x faster.
2. pipelines/structured.py, structured_items: skip extruct when the page holds neither JSON-LD nor microdata
   (no "ld+json" and no "itemscope" anywhere in it, case-insensitive): extruct would find nothing there.
3. pipelines/store.py, open_db: PRAGMA synchronous=NORMAL. In WAL mode a commit then no longer waits for an
   fsync of the log: a killed crawl still leaves every committed review whole (and the file never corrupt);
   only a power cut or OS crash can lose the last commits before a checkpoint. Each review's commit (one
   transaction per review) otherwise blocks the crawl's only thread on the disk.
4. crawler/settings.py: DEPTH_PRIORITY = 1, so a listing's review pages are fetched before the listing pages
   further down and the scheduler's queue stays a few listing pages long, whatever the size of the archive.
5. pipelines/item_pipelines.py, ChromePipeline.from_crawler: load the language model (py3langid) when the crawl
   starts, not at the first review. Loading it needs ~30-50 MB more for a moment than the ~72 MB it keeps
   (it decompresses model.npz.xz): at start-up that extra lands on a small process, mid-crawl it adds to the
   crawl's working set and sets the peak RSS.

`bench/crawl.py --proposed` runs the crawl process with bench/proposed_site/ on PYTHONPATH: its sitecustomize
calls install() at start-up, and CRAWL_SETTINGS are added to the crawl's settings.
"""

from __future__ import annotations

import re

import lxml.etree
import lxml.html
from lxml.cssselect import CSSSelector

from pipelines import scores as S
from pipelines.scores import (  # noqa: F401  (the names the new functions use, as in scores.py)
    _CLOSING_SCORE, _LINE_LABEL, _NOT_THE_REVIEWER, _OTHER_SCORES_REGION, _OVERALL, _STAR_ALT, _VERDICT_LINE,
    ARTICLE_MARKERS, REVIEW_PLUGIN_BOXES, Score, _is_html, _structured_score, parse_score,
)

CRAWL_SETTINGS = {"DEPTH_PRIORITY": "1"}

# ---- 1. pipelines/scores.py ------------------------------------------------------------------------------------

_ARTICLE_MARKERS = CSSSelector(ARTICLE_MARKERS, translator="html")
_PLUGIN_BOXES = CSSSelector(REVIEW_PLUGIN_BOXES, translator="html")
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


def find_review_score(page: str) -> Score | None:
    """The reviewer's own overall score on a whole page (HTML or plain text), or None. (Docstring as today.)"""
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
            if _OVERALL.search(line) or S._PLAIN_LABEL.match(line):
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


# ---- 2. pipelines/structured.py --------------------------------------------------------------------------------

# What extruct looks for: a <script type="application/ld+json"> or an element with an itemscope attribute.
MAY_HOLD_STRUCTURED_DATA = re.compile(r"ld\+json|itemscope", re.I)


def structured_items_guard(original):
    def structured_items(html: str, url: str | None = None) -> list[dict]:
        if not MAY_HOLD_STRUCTURED_DATA.search(html):
            return []  # no JSON-LD, no microdata: nothing for extruct to find
        return original(html, url)

    structured_items.__wrapped__ = original
    return structured_items


# ---- 3. pipelines/store.py -------------------------------------------------------------------------------------

def open_db_synchronous_normal(original):
    def open_db(path):
        db = original(path)
        db.execute("PRAGMA synchronous=NORMAL")  # WAL: durable across a killed process, no fsync per commit
        return db

    open_db.__wrapped__ = original
    return open_db


# ---- 5. pipelines/item_pipelines.py ----------------------------------------------------------------------------

def preload_language_model(original_from_crawler):
    def from_crawler(cls, crawler):
        import pipelines.item_pipelines as ip

        pipeline = original_from_crawler.__func__(cls, crawler)
        if hasattr(ip, "text_language"):
            ip.text_language("")  # loads py3langid's model now, while the process is small
        return pipeline

    from_crawler.__wrapped__ = original_from_crawler
    return classmethod(from_crawler)


# ---- install ----------------------------------------------------------------------------------------------------

def install() -> list[str]:
    """Patch the changes into the imported project modules (this process only). Returns what was patched."""
    import pipelines.item_pipelines as ip
    import pipelines.store as store
    import pipelines.structured as st

    S.find_review_score = find_review_score
    S._page_lines, S._plugin_box_score, S._article_containers = _page_lines, _plugin_box_score, _article_containers
    S._shows_other_scores = _shows_other_scores
    if getattr(ip, "find_review_score", None) is not None:
        ip.find_review_score = find_review_score
    if not hasattr(st.structured_items, "__wrapped__"):
        st.structured_items = structured_items_guard(st.structured_items)
    if not hasattr(store.open_db, "__wrapped__"):
        store.open_db = open_db_synchronous_normal(store.open_db)
    if hasattr(ip, "ChromePipeline") and not hasattr(ip.ChromePipeline.from_crawler, "__wrapped__"):
        ip.ChromePipeline.from_crawler = preload_language_model(ip.ChromePipeline.from_crawler)
    return ["scores.find_review_score on lxml", "structured_items skips pages without JSON-LD/microdata",
            "open_db: PRAGMA synchronous=NORMAL", "language model loaded at start"]
