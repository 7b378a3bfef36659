"""The store's timestamps: UTC, to the second, ISO 8601 (what every *_seen, *_at and started column holds)."""

from __future__ import annotations

from datetime import datetime, timezone


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
