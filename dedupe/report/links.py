"""Links from a report to articles: only http(s) URLs, and text fragments that find a quote."""

from __future__ import annotations

import re
from urllib.parse import quote


def is_web_url(url: object) -> bool:
    """Only http(s) URLs become links: a `javascript:` URL from an article must not."""
    return isinstance(url, str) and re.match(r"^https?://[^\s\"'<>]+$", url) is not None


def quote_url(url: str, quote_text: str) -> str:
    """The article URL with a text fragment (`#:~:text=`) that makes browsers scroll to and
    highlight the quote; a URL that already has a fragment is left as it is."""
    words = quote_text.split()
    if "#" in url or not words:
        return url

    def encode(part: list[str]) -> str:
        # text fragments reserve "-", "," and "&": percent-encode everything but letters
        return quote(" ".join(part), safe="").replace("-", "%2D")

    if len(words) <= 8:
        return f"{url}#:~:text={encode(words)}"
    return f"{url}#:~:text={encode(words[:4])},{encode(words[-4:])}"
