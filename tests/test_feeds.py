"""Feeds: files, `.feeds` lists and http(s) URLs, fetched from a local server (no outside
network), with every way a fetch fails reported instead of hanging; JSON lines on stdin."""

import http.server
import io
import socket
import sys
import threading
import time
from pathlib import Path

import pytest

from dedupe.ingest.feeds import read_feed
from dedupe.ingest.read import read_articles
from dedupe.pipeline import ingest
from dedupe.records import Article, IngestFailure
from dedupe.settings import Settings

BODY = "The council approved the budget on Monday after a long debate. The vote was 7 to 2."


def rss(title="Wire", items=2, prefix="https://w.com/"):
    entries = "".join(
        f"<item><title>Story {i}</title><link>{prefix}{i}</link>"
        f"<pubDate>Mon, 16 Sep 2024 10:00:00 GMT</pubDate>"
        f"<description>{BODY} Item {i}.</description></item>"
        for i in range(items)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>'
        f"{entries}</channel></rss>"
    ).encode()


ATOM = (
    '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
    "<title>Atom Wire</title><entry><title>Atom story</title>"
    '<link href="https://a.com/1"/><id>urn:a:1</id><updated>2024-09-17T08:00:00Z</updated>'
    f'<content type="html">&lt;p&gt;{BODY}&lt;/p&gt;</content></entry></feed>'
).encode()


class FeedHandler(http.server.BaseHTTPRequestHandler):
    routes: dict[str, tuple[int, bytes]] = {}

    def do_GET(self):  # noqa: N802 - http.server's name
        if self.path == "/trickle":
            # headers at once, then one byte every 0.2 s: each read succeeds, the whole never ends
            self.send_response(200)
            self.end_headers()
            try:
                for _ in range(200):
                    self.wfile.write(b"<")
                    self.wfile.flush()
                    time.sleep(0.2)
            except OSError:
                pass
            return
        status, body = self.routes.get(self.path, (404, b"not found"))
        self.send_response(status)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    FeedHandler.routes = {
        "/wire.rss": (200, rss()),
        "/atom": (200, ATOM),
        "/big.rss": (200, rss(items=200)),
        "/empty": (200, b""),
    }
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FeedHandler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def read(location, **settings):
    return list(read_feed(location, Settings(**settings)))


def only_failure(items):
    [item] = items
    assert isinstance(item, IngestFailure), item
    return item


def test_a_feed_url_is_fetched_and_each_entry_becomes_an_article(server):
    items = read(f"{server}/wire.rss")
    assert [a.title for a in items] == ["Story 0", "Story 1"]
    assert all(a.source == "Wire" and str(a.published) == "2024-09-16" for a in items)
    assert items[0].url == "https://w.com/0" and items[0].path == f"{server}/wire.rss#0"
    [atom] = read(f"{server}/atom")
    assert atom.source == "Atom Wire" and atom.url == "https://a.com/1" and "<p>" not in atom.text


def test_http_errors_refusals_and_empty_answers_are_reported(server):
    assert "HTTP 404" in only_failure(read(f"{server}/missing")).reason
    assert only_failure(read(f"{server}/empty")).reason == "empty response"
    with socket.socket() as s:  # a port nobody listens on: connection refused
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    failure = only_failure(read(f"http://127.0.0.1:{port}/feed"))
    assert "offline or unreachable" in failure.reason and failure.path.endswith("/feed")


def test_an_unresolvable_host_fails_clearly():
    # .invalid never resolves (RFC 2606), online or offline
    failure = only_failure(read("http://feeds.example.invalid/rss", feed_timeout=5))
    assert "cannot fetch feed" in failure.reason


def test_a_feed_over_the_size_limit_is_refused(server):
    failure = only_failure(read(f"{server}/big.rss", max_file_bytes=5000))
    assert "over the limit of 5,000 bytes" in failure.reason


@pytest.mark.parametrize("path", ["stall", "trickle"])
def test_a_stalled_or_trickling_server_cannot_hang_a_run(server, path):
    """Stall: the server accepts the connection and never answers. Trickle: it answers one byte
    at a time, so no single read times out. Both must end in a failure near `feed_timeout`."""
    if path == "stall":
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)  # the kernel completes the handshake; nobody ever reads or writes
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/feed"
    else:
        url = f"{server}/trickle"
    items: list = []
    worker = threading.Thread(target=lambda: items.extend(read(url, feed_timeout=0.5)))
    worker.start()
    # a hang check, not a speed check: 0.5 s is the limit, 30 s means it never returned
    worker.join(30)
    assert not worker.is_alive(), "fetching a stalled feed hung"
    assert "0.5 s" in only_failure(items).reason and "feed_timeout" in only_failure(items).reason
    if path == "stall":
        listener.close()


def test_a_feeds_list_reads_files_and_urls_and_reports_the_bad_entries(server, tmp_path):
    (tmp_path / "local.rss").write_bytes(rss("Local", items=1, prefix="https://l.com/"))
    (tmp_path / "broken.xml").write_text("<rss><channel><item>")
    (tmp_path / "wires.feeds").write_text(
        "# morning wires\n"
        "local.rss\n\n"
        f"{server}/wire.rss\n"
        "missing.rss\n"
        "broken.xml\n"
        "ftp://example.com/feed\n"
    )
    items = list(read_articles([str(tmp_path / "wires.feeds")], Settings()))
    articles = [x for x in items if isinstance(x, Article)]
    failures = {Path(f.path).name: f.reason for f in items if isinstance(f, IngestFailure)}
    assert sorted(a.source for a in articles) == ["Local", "Wire", "Wire"]
    listed = f"(listed in {tmp_path / 'wires.feeds'}, line"
    assert failures["missing.rss"] == f"no such feed file {listed} 5)"
    assert all(listed in reason for reason in failures.values())
    assert "not a readable RSS/Atom feed" in failures["broken.xml"]
    assert failures["feed"].startswith("unsupported URL scheme")


def test_feed_option_reads_a_feed_whatever_its_name(server, tmp_path):
    (tmp_path / "feed.txt").write_bytes(rss("Named txt", items=1))
    articles, failures = ingest(
        [], Settings(), None, feeds=[str(tmp_path / "feed.txt"), f"{server}/atom"]
    )
    assert sorted(a.source for a in articles) == ["Atom Wire", "Named txt"] and not failures


def test_a_non_feed_xml_file_is_reported_not_silently_empty(tmp_path):
    (tmp_path / "data.xml").write_text('<?xml version="1.0"?><catalog><book id="1"/></catalog>')
    failure = only_failure(list(read_articles([str(tmp_path / "data.xml")], Settings())))
    assert "feed" in failure.reason


def test_jsonl_on_stdin_reads_every_good_line_and_reports_the_bad_ones(monkeypatch):
    lines = [
        '{"title": "One", "text": "' + BODY + '", "url": "https://e.com/1"}',
        "{broken",
        "not json at all",
        '{"title": "Two", "text": "' + BODY + ' Two.", "url": "https://e.com/2"}',
    ]
    stdin = io.TextIOWrapper(io.BytesIO("\n".join(lines).encode()))
    monkeypatch.setattr(sys, "stdin", stdin)
    items = list(read_articles(["-"], Settings()))
    assert [a.title for a in items if isinstance(a, Article)] == ["One", "Two"]
    assert [f.path for f in items if isinstance(f, IngestFailure)] == ["<stdin>:2", "<stdin>:3"]


def test_run_needs_an_input_or_a_feed(tmp_path):
    from click.testing import CliRunner

    from dedupe.cli import cli

    result = CliRunner().invoke(cli, ["run", "--store", str(tmp_path / "s.db")])
    assert result.exit_code == 2 and "give at least one input" in result.output
    assert not (tmp_path / "s.db").exists()
