"""Read articles from files, folders, stdin and feeds into `Article` records.

Every input yields either an `Article` or an `IngestFailure` with the path and the reason:
nothing is skipped silently. Supported: .txt, .md, .html, .json, .jsonl, .rss/.atom/.xml, and
.feeds lists of feed files or URLs.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import logging
import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from dedupe.errors import InputError
from dedupe.ingest.boilerplate import clean_text
from dedupe.ingest.decoding import decode, display_name
from dedupe.records import Article, IngestFailure, content_hash, stable_id
from dedupe.settings import Settings

TEXT_SUFFIXES = {".txt", ".text"}
MARKDOWN_SUFFIXES = {".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSON_SUFFIXES = {".json"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
FEED_SUFFIXES = {".rss", ".atom", ".xml"}
FEED_LIST_SUFFIXES = {".feeds"}
SUPPORTED = (
    TEXT_SUFFIXES
    | MARKDOWN_SUFFIXES
    | HTML_SUFFIXES
    | JSON_SUFFIXES
    | JSONL_SUFFIXES
    | FEED_SUFFIXES
    | FEED_LIST_SUFFIXES
)
MANIFEST_NAME = "manifest.json"
# spaCy refuses texts over 1,000,000 characters and needs about 1 GB per 100,000: no news
# paragraph comes near this, a minified page or a data dump does
MAX_PARAGRAPH_CHARS = 100_000
# a publish date this far past the run date may still be "today" in another time zone
_FUTURE_TOLERANCE = dt.timedelta(days=1)
# characters no text needs that break XML parsers, SQLite or hashing (lone surrogates come
# from JSON escapes such as "\ud800")
_NOT_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")

# invisible characters that split a word in two ("Zel\u200bensky"): removed, not spaced
_INVISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")
# an ISO date's shape: when the calendar refuses it (month 13), no other reading is right
_ISO_SHAPE = re.compile(r"[+-]?\d{4,}-\d{1,2}-\d{1,2}")

_NOT_SHOWN = {"script", "style", "noscript", "template"}

Meta = dict[str, Any]
log = logging.getLogger(__name__)


def read_articles(
    inputs: Iterable[str],
    settings: Settings,
    manifest: str | None = None,
    today: dt.date | None = None,
    feeds: Iterable[str] = (),
) -> Iterator[Article | IngestFailure]:
    """Articles from files, folders (recursive, sorted), `-` (stdin) and feeds (files or
    http(s) URLs), in a stable order. An article dated after `today` (the run's date) is
    reported, not read: its date is wrong, and a wrong date puts it in the wrong event."""
    from dedupe.ingest.feeds import read_feed

    for item in _read_inputs(inputs, settings, manifest):
        yield _not_in_future(item, today)
    for feed in feeds:
        for item in isolated(feed, read_feed(feed, settings)):
            yield _not_in_future(item, today)


def isolated(
    name: str, items: Iterable[Article | IngestFailure]
) -> Iterator[Article | IngestFailure]:
    """The items of one input; whatever it raises ends that input with a reported failure,
    never the run (the traceback goes to the log, shown with -vv)."""
    try:
        yield from items
    except InputError as exc:
        yield IngestFailure(exc.path, exc.reason)
    except RecursionError:
        yield IngestFailure(name, "nested too deeply to read")
    except Exception as exc:  # an input must never stop the run: report it and go on
        log.debug("reading %s failed", name, exc_info=True)
        yield IngestFailure(name, f"could not be read ({type(exc).__name__}: {exc})")


def _read_inputs(
    inputs: Iterable[str], settings: Settings, manifest: str | None
) -> Iterator[Article | IngestFailure]:
    try:
        extra = _read_manifest(Path(manifest)) if manifest else {}
    except InputError as exc:
        yield IngestFailure(exc.path, exc.reason)
        extra = {}
    for item in inputs:
        if item == "-":
            yield from isolated("<stdin>", _read_stdin(settings))
            continue
        path = Path(item)
        if path.is_dir():
            entries = sorted(p for p in path.rglob("*") if not _hidden(p, path))
            yield from _read_folder(path, entries, settings, extra)
        elif path.is_file():
            try:
                meta = _manifest_for(path.parent, extra).get(path.name, {})
            except InputError as exc:
                yield IngestFailure(exc.path, exc.reason)
                meta = extra.get(path.name, {})
            yield from isolated(display_name(path), _read_file(path, settings, meta))
        else:
            yield IngestFailure(display_name(path), _not_a_file(path) or "no such file or folder")


def _not_a_file(path: Path) -> str | None:
    """Why a folder entry is neither a regular file nor a folder to descend, or None."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic link loop"
        if path.is_symlink():
            return f"broken symbolic link (to {display_name(os.readlink(path))})"
        return None if exc.errno == errno.ENOENT else f"cannot read: {exc.strerror or exc}"
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        # rglob does not descend into linked folders (a link can loop back to its parent)
        return "symbolic link to a folder, not followed" if path.is_symlink() else None
    kinds = {stat.S_ISFIFO: "a FIFO", stat.S_ISSOCK: "a socket", stat.S_ISCHR: "a device"}
    kind = next((k for test, k in kinds.items() if test(mode)), "a device")
    return f"not a regular file ({kind})"


def _not_in_future(item: Article | IngestFailure, today: dt.date | None) -> Article | IngestFailure:
    if isinstance(item, IngestFailure) or today is None or item.published is None:
        return item
    if item.published <= today + _FUTURE_TOLERANCE:
        return item
    origin = "its dateline" if item.date_origin == "text" else "its metadata"
    return IngestFailure(
        item.path,
        f"publish date {item.published} (from {origin}) is after the run date {today}",
    )


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def _read_folder(
    root: Path, entries: list[Path], settings: Settings, extra: dict[str, Meta]
) -> Iterator[Article | IngestFailure]:
    manifests: dict[Path, dict[str, Meta]] = {}
    files = set()
    for path in entries:
        odd = _not_a_file(path)
        if odd:
            yield IngestFailure(display_name(path), odd)
            continue
        if path.name == MANIFEST_NAME or not path.is_file():
            continue
        files.add(path)
        if path.parent not in manifests:
            try:
                manifests[path.parent] = _manifest_for(path.parent, extra)
            except InputError as exc:
                yield IngestFailure(exc.path, exc.reason)
                manifests[path.parent] = extra
        rel = path.relative_to(path.parent).as_posix()
        meta = manifests[path.parent].get(rel, {})
        yield from isolated(display_name(path), _read_file(path, settings, meta))
    for folder, manifest in manifests.items():
        for name in sorted(set(manifest) - set(extra)):
            if folder / name not in files:
                yield IngestFailure(
                    display_name(folder / MANIFEST_NAME),
                    f"names {name!r}, which is not in the folder (its metadata is unused)",
                )


def _manifest_for(folder: Path, extra: dict[str, Meta]) -> dict[str, Meta]:
    found = folder / MANIFEST_NAME
    return {**(_read_manifest(found) if found.is_file() else {}), **extra}


def _read_manifest(path: Path) -> dict[str, Meta]:
    """A manifest maps file names to metadata: {"a.txt": {"published": ..., "source": ...}}."""
    name = display_name(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(name, f"unreadable manifest: {exc}") from exc
    except RecursionError as exc:
        raise InputError(name, "unreadable manifest: JSON nested too deeply") from exc
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise InputError(name, "a manifest must map file names to objects of metadata")
    return data


def _read_stdin(settings: Settings) -> Iterator[Article | IngestFailure]:
    """Standard input's articles; read through `isolated`, like a file."""
    data = sys.stdin.buffer.read()
    try:
        text = decode(data, "<stdin>", settings)
    except InputError as exc:
        yield IngestFailure(exc.path, exc.reason)
        return
    first = next((x for x in text.splitlines() if x.strip()), "")
    if first.lstrip().startswith("{"):
        # JSON lines: a broken line is reported on its own, the others are read
        yield from _records_from_jsonl(text, "<stdin>")
    else:
        yield _article_from_text(text, "<stdin>", {})


def _read_file(path: Path, settings: Settings, meta: Meta) -> Iterator[Article | IngestFailure]:
    """One file's articles; read through `isolated`, which reports what a format raises."""
    suffix = path.suffix.lower()
    name = display_name(path)
    if suffix not in SUPPORTED:
        yield IngestFailure(
            name,
            f"unsupported file type {suffix or '(none)'}; supported: "
            + ", ".join(sorted(SUPPORTED)),
        )
        return
    try:
        size = path.stat().st_size
        if size > settings.max_file_bytes:
            raise InputError(
                name,
                f"file is {size:,} bytes, over the limit of "
                f"{settings.max_file_bytes:,} (setting max_file_bytes)",
            )
        text = decode(path.read_bytes(), name, settings)
    except InputError as exc:
        yield IngestFailure(exc.path, exc.reason)
        return
    except OSError as exc:
        yield IngestFailure(name, f"cannot read: {exc.strerror or exc}")
        return
    if suffix in JSONL_SUFFIXES:
        yield from _records_from_jsonl(text, name)
    elif suffix in JSON_SUFFIXES:
        yield from _articles_from_json(text, name)
    elif suffix in FEED_SUFFIXES:
        from dedupe.ingest.feeds import articles_from_feed

        yield from articles_from_feed(text, name, meta)
    elif suffix in FEED_LIST_SUFFIXES:
        from dedupe.ingest.feeds import read_feed_list

        yield from read_feed_list(text, path, settings)
    elif suffix in HTML_SUFFIXES:
        yield _article_from_html(text, name, meta)
    elif suffix in MARKDOWN_SUFFIXES:
        yield _article_from_text(strip_markdown(text), name, meta)
    else:
        yield _article_from_text(text, name, meta)


# ---------------------------------------------------------------- formats


def strip_markdown(text: str) -> str:
    """Markdown to plain text: headings, emphasis, links and images reduced to their words."""
    text = re.sub(r"```.*?```", "", text, flags=re.DOTALL)
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"^\s{0,3}#{1,6}\s*", "", text, flags=re.MULTILINE)
    text = re.sub(r"^\s{0,3}>\s?", "", text, flags=re.MULTILINE)
    text = re.sub(r"(\*\*|__|\*|_|`)(\S.*?\S|\S)\1", r"\2", text)
    return re.sub(r"^\s*([-*+]|\d+\.)\s+", "- ", text, flags=re.MULTILINE)


def html_to_text(html: str) -> tuple[str, Meta]:
    """Main text and metadata of an HTML page (trafilatura; plain lxml text as a fallback)."""
    import trafilatura

    html = _NOT_TEXT.sub(" ", html)
    doc = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=False, favor_precision=True
    )
    text = getattr(doc, "text", None)
    if text:
        meta = {k: getattr(doc, k, None) for k in ("title", "url", "date", "sitename")}
        return str(text), {k: v for k, v in meta.items() if v}
    import lxml.html

    try:
        tree = lxml.html.fromstring(html)
    except Exception as exc:  # lxml raises several unrelated types on garbage
        raise InputError("<html>", f"unparseable HTML: {exc}") from exc
    for bad in tree.xpath("//script|//style|//noscript|//template"):
        bad.drop_tree()
    title = tree.findtext(".//title") or ""
    text = "\n".join(t.strip() for t in tree.itertext() if t.strip())
    if not text:
        # libxml2 stops building the tree below 256 levels of nesting and drops the rest;
        # the standard library's event parser keeps no tree, so it reads any depth
        text = _html_words(html)
    return text, ({"title": title.strip()} if title.strip() else {})


def _html_words(html: str) -> str:
    """The text of an HTML page outside scripts and styles, one line per text run."""
    from html.parser import HTMLParser

    class Words(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.parts: list[str] = []
            self.skip = 0

        def handle_starttag(self, tag: str, attrs: Any) -> None:
            self.skip += tag in _NOT_SHOWN

        def handle_endtag(self, tag: str) -> None:
            self.skip -= tag in _NOT_SHOWN and self.skip > 0

        def handle_data(self, data: str) -> None:
            if not self.skip and data.strip():
                self.parts.append(data.strip())

    parser = Words()
    parser.feed(html)
    parser.close()
    return "\n".join(parser.parts)


def _article_from_html(html: str, name: str, meta: Meta) -> Article:
    try:
        text, found = html_to_text(html)
    except InputError as exc:
        raise InputError(name, exc.reason) from exc
    merged = {**found, **meta}
    if found.get("date") and "published" not in meta:
        merged["published"] = found["date"]
    if found.get("sitename") and "source" not in meta:
        merged["source"] = found["sitename"]
    return _article_from_text(text, name, merged)


def _articles_from_json(text: str, name: str) -> list[Article]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            name, f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from exc
    except RecursionError as exc:
        raise InputError(name, "invalid JSON: nested too deeply") from exc
    items = (
        data
        if isinstance(data, list)
        else data.get("articles", [data])
        if isinstance(data, dict)
        else None
    )
    if not isinstance(items, list):
        raise InputError(
            name, 'JSON must be an article object, a list of them, or {"articles": [...]}'
        )
    if not items:
        raise InputError(name, "no articles (an empty JSON list)")
    return [article_from_record(item, f"{name}#{i}") for i, item in enumerate(items)]


def _records_from_jsonl(text: str, name: str) -> Iterator[Article | IngestFailure]:
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{name}:{lineno}"
        try:
            yield article_from_record(json.loads(line), where)
        except json.JSONDecodeError as exc:
            yield IngestFailure(where, f"invalid JSON line: {exc.msg} (column {exc.colno})")
        except RecursionError:
            yield IngestFailure(where, "invalid JSON line: nested too deeply")
        except InputError as exc:
            yield IngestFailure(exc.path, exc.reason)


def article_from_record(item: Any, where: str) -> Article:
    """One JSON article: fields id, title, text, url, source, published (text is required)."""
    if not isinstance(item, dict):
        raise InputError(where, f"expected a JSON object, got {type(item).__name__}")
    body = item.get("text") or item.get("body") or item.get("content")
    if not isinstance(body, str) or not body.strip():
        raise InputError(where, 'missing or empty "text" field')
    if re.search(r"<(p|div|br|span|article|script)\b", body, re.IGNORECASE):
        body, _ = html_to_text(body)
    meta = {k: item[k] for k in ("id", "title", "url", "source", "published") if item.get(k)}
    return _article_from_text(body, where, meta)


def _article_from_text(raw: str, name: str, meta: Meta) -> Article:
    raw = _NOT_TEXT.sub(" ", _INVISIBLE.sub("", raw))
    meta = {
        k: _NOT_TEXT.sub(" ", _INVISIBLE.sub("", v)) if isinstance(v, str) else v
        for k, v in meta.items()
    }
    title_meta = meta.get("title")
    cleaned = clean_text(raw, title=str(title_meta).strip() if title_meta else None)
    if not cleaned.paragraphs and not cleaned.title:
        raise InputError(name, "no article text left after removing boilerplate")
    longest = max(len(p) for p in (cleaned.title, *cleaned.paragraphs))
    if longest > MAX_PARAGRAPH_CHARS:
        raise InputError(
            name,
            f"a paragraph of {longest:,} characters (at most {MAX_PARAGRAPH_CHARS:,}): "
            "not article text",
        )
    published, origin = _published(meta, cleaned.dateline, name)
    url = str(meta["url"]).strip() if meta.get("url") else None
    text = "\n\n".join(p for p in (cleaned.title, *cleaned.paragraphs) if p)
    chash = content_hash(f"{text}\x1f{published}")
    key = ("url", url) if url else ("id", meta["id"]) if meta.get("id") else ("text", chash)
    source = str(meta.get("source") or (urlparse(url).netloc if url else Path(name).name))
    return Article(
        id=stable_id("art", *key),
        title=cleaned.title,
        text=text,
        source=source,
        path=name,
        url=url,
        published=published,
        date_origin=origin,
        content_hash=chash,
        dropped=cleaned.dropped,
    )


def _published(meta: Meta, dateline: str | None, name: str) -> tuple[dt.date | None, str | None]:
    value = meta.get("published")
    if value:
        parsed = parse_date(value)
        if parsed is None:
            raise InputError(name, f"unparseable publish date {value!r} (use YYYY-MM-DD)")
        return parsed, "input"
    if dateline:
        parsed = parse_date(dateline)
        if parsed is not None:
            return parsed, "text"
    return None, None


def parse_date(value: object) -> dt.date | None:
    """A calendar date from an ISO string, a datetime, or a written date; None if unparseable."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        if _ISO_SHAPE.match(text):
            return None  # "2025-13-01" is no day, not 13 January; "-0001-01-01" is no year
    import dateparser

    found = dateparser.parse(
        text,
        languages=["en"],
        settings={"REQUIRE_PARTS": ["day", "month", "year"], "RETURN_AS_TIMEZONE_AWARE": False},
    )
    return found.date() if found else None
