"""Dates as pages write them -> ISO 8601 in UTC, so reviews from every outlet sort together."""

from __future__ import annotations

import re
from datetime import datetime, timezone

import dateparser

DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")


def iso_utc(text: str | None) -> str | None:
    """'2024-09-19T09:00:00-04:00' -> '2024-09-19T13:00:00+00:00'; 'September 19, 2024' -> '2024-09-19'.

    A date without a time stays a date (no time is invented); a time without a zone is taken as UTC.
    Returns None for text that holds no date.
    """
    if not text or not text.strip():
        return None
    text = text.strip()
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        parsed = dateparser.parse(text, languages=["en"], settings={"PREFER_DAY_OF_MONTH": "first"})
        if parsed is None:
            return None
        if not re.search(r"\d{1,2}:\d{2}", text):
            return parsed.date().isoformat()
    if DATE_ONLY.fullmatch(text):
        return text
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc).isoformat(timespec="seconds")
