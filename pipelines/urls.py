"""Canonical review URLs: one page, one URL, however a crawl reached it."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that never change what a page shows: trackers, Blogger's mobile switch, AMP flags.
IGNORED_PARAMETERS = {"m", "amp", "fbclid", "gclid", "mc_cid", "mc_eid", "ref", "share", "replytocom"}


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, no fragment, no tracking or view parameters, `/amp/` dropped."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    path = parts.path or "/"
    if path.endswith("/amp/"):
        path = path[: -len("amp/")]
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if key.lower() not in IGNORED_PARAMETERS and not key.lower().startswith("utm_")
    ]
    return urlunsplit((parts.scheme.lower(), host, path, urlencode(query), ""))
