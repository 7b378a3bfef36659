"""Site chrome out, the article's own text in: HTML region -> paragraphs separated by blank lines.

Review sites wrap the article in menus, share bars, newsletter boxes, related posts with their own scores,
trending lists, author boxes and comment threads; many put some of those inside the article region
itself. `strip_chrome` removes them by the class and id names themes give them, then keeps the text of
each block element (paragraph, heading, list item, quote) as one paragraph.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

# Elements that are never article text.
NON_TEXT_TAGS = ["script", "style", "noscript", "iframe", "form", "button", "nav", "aside", "footer", "svg",
                 "figcaption", "template", "select", "input"]
# Words in a class or id that mark chrome in WordPress, Blogger and news themes.
CHROME_WORDS = [
    "share", "sharing", "social", "newsletter", "subscribe", "signup", "related", "trending", "popular",
    "review-box", "review-summary", "wp-review", "rating-box", "author-box", "author-info", "about-author",
    "comment", "respond", "sidebar", "widget", "breadcrumb", "navigation", "nav-links", "post-nav", "menu",
    "popup", "modal", "advert", "ads-", "sponsor", "promo", "jp-relatedposts", "sharedaddy", "post-tags",
    "tags-links", "cat-links", "entry-meta", "entry-footer", "byline", "wp-caption-text", "screen-reader",
    "visuallyhidden", "cookie", "disclaimer", "affiliate",
]
CHROME_PATTERN = re.compile("|".join(re.escape(word) for word in CHROME_WORDS), re.IGNORECASE)
BLOCK_TAGS = ["p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "dd", "dt", "td", "th"]


def is_chrome(tag: Tag) -> bool:
    names = " ".join(tag.get("class") or []) + " " + (tag.get("id") or "")
    return bool(CHROME_PATTERN.search(names))


def remove_chrome(root: Tag) -> None:
    """Remove chrome elements below `root` (never `root` itself: a region is often named after its theme)."""
    for tag in root.find_all(NON_TEXT_TAGS):
        tag.decompose()
    for tag in root.find_all(True):
        if tag.decomposed:
            continue
        if is_chrome(tag):
            tag.decompose()
    for tag in root.find_all(attrs={"hidden": True}):
        tag.decompose()
    for br in root.find_all("br"):
        br.replace_with(" ")  # so inline text can be joined without a separator below


def collapse(text: str) -> str:
    return " ".join(text.split())


def block_texts(root: Tag) -> list[str]:
    """The text of each innermost block element, in document order; loose text counts as its own block."""
    blocks: list[str] = []
    for tag in root.find_all(BLOCK_TAGS):
        if tag.find(BLOCK_TAGS):
            continue  # an outer block: its inner blocks speak for it
        text = collapse(tag.get_text())
        if text:
            blocks.append(text)
    if not blocks:
        blocks = [collapse(line) for line in root.get_text("\n").split("\n") if collapse(line)]
    return blocks


def strip_chrome(html: str | None) -> str:
    """The article region's own text: paragraphs separated by blank lines ("" for no text)."""
    if not html:
        return ""
    soup = BeautifulSoup(html, "lxml")
    root = soup.body or soup
    remove_chrome(root)
    return "\n\n".join(block_texts(root))


def word_count(text: str) -> int:
    return len(re.findall(r"\w+(?:['’]\w+)*", text))
