"""Site chrome out, the article's own text in: HTML region -> paragraphs separated by blank lines.

Review sites wrap the article in menus, share bars, newsletter boxes, related posts with their own scores,
trending lists, author boxes and comment threads; many put some of those inside the article region
itself. `strip_chrome` removes them by the class and id names themes give them, then keeps the text of
each block element (paragraph, heading, list item, quote) as one paragraph, and of each run of loose
text between blocks (Blogger separates paragraphs with `<br><br>`).

`main_text` does the same for a whole page: the region the site's spider declares as its article, else a
generic extractor (trafilatura, or a region the page itself declares as the article body). What counts as
chrome, as never text and as a declared article is named in pipelines.page, for every reader of a page.
"""

from __future__ import annotations

import copy
import re

import lxml.html
import trafilatura

from pipelines.page import CHROME_PATTERN, DECLARED_ARTICLE, NON_TEXT_TAGS, Page, read_page
from pipelines.verdicts import is_score_line, is_sign_off

BLOCK_TAGS = ["p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "dd", "dt", "td", "th"]


def collapse(text: str) -> str:
    return " ".join(text.split())


def strip_chrome(html: str | None) -> str:
    """The article region's own text: paragraphs separated by blank lines ("" for no text)."""
    if not html or not html.strip():
        return ""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    drop_chrome(root)
    return "\n\n".join(paragraphs(root))


def word_count(text: str) -> int:
    return len(re.findall(r"\w+(?:['’]\w+)*", text))


# "… Anime or no anime. (5/10)": a score in brackets closing the review's last paragraph.
CLOSING_SCORE = re.compile(r"\s*[(\[]\s*\d+(?:[.,]\d+)?\s*/\s*\d+(?:[.,]\d+)?\s*[)\]]\s*$")
MAX_TITLE_WORDS = 20  # a first paragraph longer than this is the review's lead, whatever it repeats


def trimmed_body(text: str, titles: tuple[str | None, ...] = ()) -> str:
    """The review's own words: without a first paragraph that repeats its title ("Kaiju No. 8 Ep 1 Review"
    above the lead), and without the score lines and sign-offs that close it ("Rating: 8/10", "Final Score: 8/10
    <verdict>", "~Thanks for Reading~", "Written by … at …", a closing "(5/10)"). The score and the verdict are
    stored on their own; the body holds what the critic wrote about the show."""
    paragraphs = text.split("\n\n")
    if len(paragraphs) > 1 and any(repeats_title(paragraphs[0], title) for title in titles if title):
        paragraphs = paragraphs[1:]
    while len(paragraphs) > 1 and (is_score_line(paragraphs[-1]) or is_sign_off(paragraphs[-1])):
        paragraphs.pop()
    paragraphs[-1] = CLOSING_SCORE.sub("", paragraphs[-1])
    return "\n\n".join(paragraph for paragraph in paragraphs if paragraph)


def _title_words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def repeats_title(paragraph: str, title: str) -> bool:
    """Whether a paragraph is the review's title again: the same words, or a short run of them
    ("Witch Watch Ep 4 Review" under the headline "REVIEW: ‘Witch Watch’ Ep 4 Review")."""
    words, title_words = _title_words(paragraph), _title_words(title[:500])
    if not words or len(words) > MAX_TITLE_WORDS or not title_words:
        return False
    if words == title_words:
        return True
    joined, title_joined = " ".join(words), " ".join(title_words)
    return len(words) >= 3 and f" {joined} " in f" {title_joined} "


# Block elements, in HTML and in trafilatura's XML (head, item, quote, list, row, cell).
PARAGRAPH_TAGS = {*BLOCK_TAGS, "div", "section", "article", "main", "header", "figure", "ul", "ol", "dl", "table",
                  "tr", "center", "head", "item", "quote", "code", "list", "row", "cell"}
LINE_BREAK = "\u2028"  # stands for <br>: whitespace to str.split, unlike anything in the page's source layout
BLANK_LINE = re.compile(LINE_BREAK + r"(?:\s*" + LINE_BREAK + ")+")


def main_text(page: str | Page | None, url: str | None = None, article: str | None = None) -> str:
    """The article's own text of a whole page: paragraphs separated by blank lines ("" for no text).

    `article` is the CSS selector of the site's article region, as its spider declares it; without one (or
    where it matches nothing) the article is found in the page.
    """
    page = read_page(page, url)
    if page.tree is None:
        return ""
    if article and (found := page.tree.cssselect(article)):
        return strip_chrome(lxml.html.tostring(found[0], encoding="unicode"))
    # The page's tree is shared with its other readers: chrome removal and trafilatura change the copy.
    return "\n\n".join(generic_paragraphs(copy.deepcopy(page.tree)))


def generic_paragraphs(tree: lxml.html.HtmlElement) -> list[str]:
    """Trafilatura's main text, unless the page declares an article region holding at least half as many words.

    A declared region with our chrome removal is exact where it exists (it keeps what trafilatura's scoring
    drops, like a standfirst or a paragraph between embeds); the size check catches regions that hold only a
    lead-in while the story goes on elsewhere. Trafilatura runs without comments (readers' comments are not
    the article) and `fast` (its fallback extractors changed nothing on the benchmark and cost a third of the
    time). Measured on article-extraction-benchmark pages: bench/main_text.py.
    """
    drop_non_text(tree)
    declared, declared_words = None, 0
    for selector in DECLARED_ARTICLE:
        found = tree.cssselect(selector)
        if found:
            region = copy.deepcopy(found[0])  # trafilatura below changes the tree
            drop_chrome(region)
            declared = paragraphs(region)
            declared_words = words_in(declared)
            break
    # Trafilatura's text is part of the page's text: a region with half the page's words already passes the
    # size check below, so trafilatura (most of this function's time) need not run.
    if declared and declared_words >= 0.5 * page_words(tree):
        return declared
    extracted = trafilatura.bare_extraction(tree, include_comments=False, fast=True)
    body = extracted.body if extracted is not None else None
    text = paragraphs(drop_header_and_teasers(body)) if body is not None else []
    if declared and declared_words >= 0.5 * words_in(text):
        return declared
    return text


def words_in(strings) -> int:
    """Whitespace-separated words of the strings, each string apart from the next."""
    return len(" ".join(strings).split())


def page_words(tree: lxml.html.HtmlElement) -> int:
    body = tree.find("body")
    return words_in((body if body is not None else tree).itertext())


def drop_non_text(tree: lxml.html.HtmlElement) -> None:
    """Menus, asides, footers, forms, buttons out of the whole page, so trafilatura's last resort on a page
    without an article (all of the page's text) finds nothing. Only by tag: on a whole page, class names like
    `has-sidebar` or `elementor-widget` mark the wrappers the article is in."""
    body = tree.find("body")
    if body is None:
        return
    words = len(body.text_content().split())
    for element in list(body.iter(NON_TEXT_TAGS)):
        # An element with most of the page's text is its wrapper (ASP.NET puts the whole page in a <form>).
        if len(element.text_content().split()) <= 0.5 * words:
            element.drop_tree()


def drop_chrome(root: lxml.html.HtmlElement) -> None:
    """`remove_chrome` for an lxml element (never `root` itself): the same tags and class/id words."""
    for element in list(root.iterdescendants()):
        if not isinstance(element.tag, str):
            continue  # a comment: its text is never read
        names = (element.get("class") or "") + " " + (element.get("id") or "")
        if element.tag in NON_TEXT_TAGS or element.get("hidden") is not None or CHROME_PATTERN.search(names):
            element.drop_tree()  # keeps its tail, which is its parent's text


def drop_header_and_teasers(body):
    """Trafilatura's XML body without the article's header and without lists of other articles' teasers.

    Headings before any text are the headline and standfirst, which are not the article's text (a review's
    headline is stored on its own); a list whose every item holds a heading lists other articles.
    """
    for child in list(body):
        if child.tag != "head" or (child.tail or "").strip():
            break
        body.remove(child)
    for teasers in list(body.iter("list")):
        items = list(teasers.iter("item"))
        if items and all(item.find(".//head") is not None for item in items):
            teasers.getparent().remove(teasers)
    return body


def paragraphs(root) -> list[str]:
    """Each block with no block inside is one paragraph, and so is a run of loose text between blocks;
    a blank line made of line breaks (`<br><br>`, as Blogger posts separate paragraphs) ends a paragraph too."""
    for line_break in root.iter("br", "lb"):
        line_break.tail = LINE_BREAK + (line_break.tail or "")  # a single one is a space once collapsed
    out: list[str] = []
    _paragraphs(root, out)
    return out


def _paragraphs(element, out: list[str]) -> None:
    run = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and (child.tag in PARAGRAPH_TAGS or _holds_block(child)):
            _flush(run, out)
            _paragraphs(child, out)
            run = []
        elif isinstance(child.tag, str):
            run.append("".join(child.itertext()))
        run.append(child.tail or "")
    _flush(run, out)


def _holds_block(element) -> bool:
    return any(d.tag in PARAGRAPH_TAGS for d in element.iterdescendants() if isinstance(d.tag, str))


def _flush(run: list[str], out: list[str]) -> None:
    for part in BLANK_LINE.split("".join(run)):
        text = collapse(part)
        if text:
            out.append(text)
