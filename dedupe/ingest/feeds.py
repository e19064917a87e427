"""RSS and Atom feeds to articles, one per entry, via feedparser.

A feed is a file or an http(s) URL; a `.feeds` file lists several, one a line. Fetching is
the only network access dedupe makes: it happens only for URLs the user lists, each request
has a timeout (setting `feed_timeout`) and a size limit (`max_file_bytes`), and an offline
machine gets a clear failure for that feed while the rest of the run goes on.
"""

from __future__ import annotations

import datetime as dt
import http.client
import re
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from dedupe import __version__
from dedupe.errors import InputError
from dedupe.ingest.decoding import display_name
from dedupe.records import Article, IngestFailure
from dedupe.settings import Settings


def articles_from_feed(
    data: str | bytes,
    name: str,
    meta: dict[str, Any],
    headers: dict[str, str] | None = None,
) -> Iterator[Article | IngestFailure]:
    """Each feed entry with text becomes an article; entries without text are reported."""
    import feedparser

    from dedupe.ingest.read import article_from_record

    parsed = feedparser.parse(data, response_headers=headers or {})
    if parsed.bozo and not any(_body(e) for e in parsed.entries):
        raise InputError(name, f"not a readable RSS/Atom feed: {parsed.bozo_exception}")
    if not parsed.entries and not parsed.get("version"):
        raise InputError(name, "not an RSS/Atom feed (no channel and no entries)")
    if not parsed.entries:
        raise InputError(name, "the feed has no entries")
    feed_title = parsed.feed.get("title") or meta.get("source") or name
    for i, entry in enumerate(parsed.entries):
        where = f"{name}#{i}"
        # asking for a missing updated_parsed makes feedparser warn and map it to published
        updated = entry.get("updated_parsed") if "updated_parsed" in entry else None
        when = entry.get("published_parsed") or updated
        record = {
            "title": entry.get("title"),
            "text": _body(entry),
            "url": entry.get("link"),
            "source": meta.get("source") or feed_title,
            "published": _date(when),
            "id": entry.get("id"),
        }
        try:
            yield article_from_record(record, where)
        except InputError as exc:
            yield IngestFailure(exc.path, exc.reason)


def _body(entry: Any) -> Any:
    """An entry's full content if it has one, else its summary."""
    content = entry.get("content") or []
    return content[0].get("value") if content else entry.get("summary", "")


def _date(when: Any) -> str | None:
    try:
        return dt.date(*when[:3]).isoformat() if when else None
    except (TypeError, ValueError):  # feedparser passes through impossible dates
        return None


def is_url(location: str) -> bool:
    return location.lower().startswith(("http://", "https://"))


def read_feed(
    location: str, settings: Settings, base: Path | None = None
) -> Iterator[Article | IngestFailure]:
    """The articles of one feed: an http(s) URL, or a file (relative to `base` if given)."""
    try:
        if re.match(r"^[a-z][a-z0-9+.-]*://", location, re.IGNORECASE) and not is_url(location):
            raise InputError(location, "unsupported URL scheme (feeds are files or http(s) URLs)")
        if is_url(location):
            data, headers = fetch(location, settings)
            items = list(articles_from_feed(data, location, {}, headers))
        else:
            path = Path(location).expanduser()
            path = base / path if base is not None and not path.is_absolute() else path
            items = list(articles_from_feed(_read_bytes(path, settings), str(path), {}))
    except InputError as exc:
        yield IngestFailure(exc.path, exc.reason)
        return
    yield from items


def read_feed_list(text: str, path: Path, settings: Settings) -> Iterator[Article | IngestFailure]:
    """Every feed a `.feeds` file lists: one file or URL a line; blank lines and lines
    starting with # are skipped; relative paths are relative to the list's folder."""
    for number, line in enumerate(text.splitlines(), start=1):
        entry = line.strip()
        if entry and not entry.startswith("#"):
            for item in read_feed(entry, settings, base=path.parent):
                if isinstance(item, IngestFailure):  # say where the entry came from
                    where = f"listed in {display_name(path)}, line {number}"
                    item = IngestFailure(item.path, f"{item.reason} ({where})")
                yield item


def _read_bytes(path: Path, settings: Settings) -> bytes:
    try:
        size = path.stat().st_size
        if size > settings.max_file_bytes:
            raise InputError(
                str(path),
                f"file is {size:,} bytes, over the limit of {settings.max_file_bytes:,} "
                "(setting max_file_bytes)",
            )
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise InputError(str(path), "no such feed file") from exc
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror or exc}") from exc
    if not data.strip():
        raise InputError(str(path), "empty file")
    return data


def fetch(url: str, settings: Settings) -> tuple[bytes, dict[str, str]]:
    """The body and headers at `url`; InputError when offline, slow, refused or too big.

    The download runs in a daemon thread that gets `feed_timeout` seconds in all: urllib's own
    timeout bounds each connection attempt and read, but neither name resolution nor a server
    that trickles bytes, and a stalled feed must never hang a nightly run.
    """
    outcome: dict[str, Any] = {}

    def download() -> None:
        try:
            outcome["value"] = _download(url, settings)
        except Exception as exc:  # handed to the caller below
            outcome["error"] = exc

    worker = threading.Thread(target=download, name=f"fetch {url}", daemon=True)
    worker.start()
    worker.join(settings.feed_timeout)
    if worker.is_alive():
        raise _too_slow(url, settings)
    if "error" in outcome:
        raise outcome["error"]
    data, headers = outcome["value"]
    return data, headers


def _download(url: str, settings: Settings) -> tuple[bytes, dict[str, str]]:
    request = urllib.request.Request(url, headers={"User-Agent": f"dedupe/{__version__}"})
    try:
        with urllib.request.urlopen(request, timeout=settings.feed_timeout) as response:
            headers = {k.lower(): v for k, v in response.headers.items()}
            data = response.read(settings.max_file_bytes + 1)
    except urllib.error.HTTPError as exc:
        raise InputError(url, f"cannot fetch feed: HTTP {exc.code} {exc.reason}") from exc
    except (TimeoutError, urllib.error.URLError) as exc:
        if isinstance(exc, TimeoutError) or isinstance(exc.reason, TimeoutError):
            raise _too_slow(url, settings) from exc
        raise InputError(url, f"cannot fetch feed (offline or unreachable?): {exc.reason}") from exc
    except (http.client.HTTPException, OSError, ValueError) as exc:
        raise InputError(url, f"cannot fetch feed: {exc or type(exc).__name__}") from exc
    if len(data) > settings.max_file_bytes:
        raise InputError(
            url,
            f"feed is over the limit of {settings.max_file_bytes:,} bytes (setting max_file_bytes)",
        )
    if not data.strip():
        raise InputError(url, "empty response")
    return data, headers


def _too_slow(url: str, settings: Settings) -> InputError:
    return InputError(
        url,
        f"cannot fetch feed: no complete answer within {settings.feed_timeout:g} s "
        "(setting feed_timeout)",
    )
