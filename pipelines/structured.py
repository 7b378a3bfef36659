"""Structured data a page declares about itself: schema.org JSON-LD and microdata, read with extruct.

A review page that declares a `Review` says outright what it reviewed (`itemReviewed`) and its own score
(`reviewRating`); that beats any reading of its text. An `AggregateRating` is the audience's figure, never the
critic's.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import extruct

from pipelines.page import MAY_HOLD_STRUCTURED_DATA, Page, read_page

logger = logging.getLogger(__name__)

REVIEW_TYPES = {"Review", "CriticReview", "UserReview", "EmployerReview", "ClaimReview"}


def structured_items(page: str | Page, url: str | None = None) -> list[dict]:
    """Every JSON-LD and microdata object of the page, flattened (nested objects and @graph included)."""
    page = read_page(page, url)
    if page.tree is None or not MAY_HOLD_STRUCTURED_DATA.search(page.html):
        return []  # nothing extruct could find: spare it reading the page
    try:
        data = extruct.extract(page.tree, base_url=page.url, syntaxes=["json-ld", "microdata"], uniform=True,
                               errors="ignore")
    except Exception as error:  # a broken page is no reason to lose the review
        logger.debug("no structured data read from %s: %s", page.url, error)
        return []
    found: list[dict] = []
    for syntax in ("json-ld", "microdata"):
        for item in data.get(syntax, []):
            found.extend(_walk(item))
    return found


def _walk(node) -> Iterator[dict]:
    if isinstance(node, list):
        for child in node:
            yield from _walk(child)
    elif isinstance(node, dict):
        yield node
        for value in node.values():
            if isinstance(value, (dict, list)):
                yield from _walk(value)


def types_of(item: dict) -> set[str]:
    kind = item.get("@type") or []
    return {kind} if isinstance(kind, str) else {str(k) for k in kind}


def reviewed_properties(page: Page, name: str) -> Iterator[dict]:
    """The object each of the page's schema.org Reviews holds under `name` ("reviewRating", "itemReviewed"),
    the first of a list."""
    for item in page.structured:
        if not types_of(item) & REVIEW_TYPES:
            continue
        value = item.get(name)
        if isinstance(value, list):
            value = value[0] if value else None
        if isinstance(value, dict):
            yield value


def number(value) -> float | None:
    """A schema.org number: 8, "8", "8,5", ["8"]; None for anything else."""
    if isinstance(value, list):
        value = value[0] if value else None
    try:
        return float(str(value).replace(",", ".").strip())
    except (TypeError, ValueError):
        return None
