"""RSS and Atom feeds (files on disk) to articles, one per entry, via feedparser."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from dedupe.errors import InputError
from dedupe.records import Article, IngestFailure


def articles_from_feed(
    text: str, name: str, meta: dict[str, Any]
) -> Iterator[Article | IngestFailure]:
    """Each feed entry with text becomes an article; entries without text are reported."""
    import feedparser

    from dedupe.ingest import article_from_record

    parsed = feedparser.parse(text)
    if parsed.bozo and not parsed.entries:
        raise InputError(name, f"not a readable RSS/Atom feed: {parsed.bozo_exception}")
    feed_title = parsed.feed.get("title") or meta.get("source") or name
    for i, entry in enumerate(parsed.entries):
        where = f"{name}#{i}"
        content = entry.get("content") or []
        body = content[0].get("value") if content else entry.get("summary", "")
        when = entry.get("published_parsed") or entry.get("updated_parsed")
        record = {
            "title": entry.get("title"),
            "text": body,
            "url": entry.get("link"),
            "source": meta.get("source") or feed_title,
            "published": dt.date(*when[:3]).isoformat() if when else None,
            "id": entry.get("id"),
        }
        try:
            yield article_from_record(record, where)
        except InputError as exc:
            yield IngestFailure(exc.path, exc.reason)
