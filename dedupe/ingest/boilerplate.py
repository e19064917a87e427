"""Strip page furniture from article text: ads, share buttons, "Latest Contents" tails.

The lexicons are package data (`data/boilerplate.json`); this module only applies them.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

_TERMINAL = (".", "!", "?", '"', "\u201d", "'", "\u2019", ":", ")", "\u2026")
_MAX_HEADING_WORDS = 16
# a tail marker only cuts the rest of the page after this many article paragraphs
_MIN_PARAGRAPHS_BEFORE_TAIL = 3


@dataclass(frozen=True)
class CleanText:
    """An article's title and body paragraphs, the lines dropped (with why) and any dateline."""

    title: str
    paragraphs: tuple[str, ...]
    dropped: tuple[str, ...]
    dateline: str | None = None


@cache
def _lexicon() -> dict[str, object]:
    text = resources.files("dedupe").joinpath("data/boilerplate.json").read_text("utf-8")
    data = json.loads(text)
    return {
        "tail": tuple(data["tail_markers"]),
        "lines": tuple(re.compile(p, re.IGNORECASE) for p in data["line_patterns"]),
        "promo": tuple(data["promo_phrases"]),
    }


def normalize_line(line: str) -> str:
    """NFC, non-breaking spaces and runs of whitespace collapsed, ends stripped."""
    line = unicodedata.normalize("NFC", line).replace("\u00a0", " ")
    return re.sub(r"[ \t\r\f\v]+", " ", line).strip()


def is_heading(line: str) -> bool:
    """A short line without closing punctuation: a title or section heading, not a sentence."""
    return not line.rstrip().endswith(_TERMINAL) and len(line.split()) <= _MAX_HEADING_WORDS


def is_date_line(line: str) -> bool:
    """A line that is only a date ("19 September 2024", "May 03 , 2013", "2024-09-19")."""
    months = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
    day_month_year = rf"\d{{1,2}}(st|nd|rd|th)? ?,? {months} ?,? \d{{4}}"
    month_day_year = rf"{months} \d{{1,2}}(st|nd|rd|th)? ?,? \d{{4}}"
    iso = r"\d{4}-\d{2}-\d{2}"
    weekday = r"((mon|tues|wednes|thurs|fri|satur|sun)day,? )?"
    pattern = rf"^{weekday}({day_month_year}|{month_day_year}|{iso})$"
    return re.match(pattern, line.strip().lower()) is not None


def boilerplate_reason(line: str) -> str | None:
    """Why a line is page furniture, or None when it may be article text."""
    lex = _lexicon()
    lowered = line.lower()
    for pattern in lex["lines"]:  # type: ignore[attr-defined]
        if pattern.search(line):
            return f"boilerplate line ({pattern.pattern})"
    hits = [p for p in lex["promo"] if p in lowered]  # type: ignore[attr-defined]
    if len(hits) >= 2:
        return f"advertisement ({', '.join(hits)})"
    return None


def _is_tail_marker(line: str) -> bool:
    bare = re.sub(r"[:\-–—.!\s]+$", "", line.lower()).strip()
    if len(bare.split()) > 6:
        return False
    return any(bare == m or bare.startswith(m + " ") for m in _lexicon()["tail"])  # type: ignore[attr-defined]


def _near_duplicate(line: str, seen: set[str]) -> bool:
    key = re.sub(r"\W+", " ", line.lower()).strip()
    return any(key == s or (len(s) > 20 and key.startswith(s)) for s in seen)


def clean_text(raw: str, title: str | None = None) -> CleanText:
    """Split raw text into title and paragraphs, dropping furniture, ads and repeated lines."""
    lines = [normalize_line(x) for x in raw.replace("\r\n", "\n").split("\n")]
    kept: list[str] = []
    dropped: list[str] = []
    dateline: str | None = None
    seen: set[str] = set()
    if title:
        seen.add(re.sub(r"\W+", " ", title.lower()).strip())
    for index, line in enumerate(lines):
        if not line:
            continue
        if _is_tail_marker(line):
            body = sum(1 for k in kept if not is_heading(k))
            if body >= _MIN_PARAGRAPHS_BEFORE_TAIL:
                rest = sum(1 for x in lines[index:] if x)
                dropped.append(f"[page tail] {rest} lines from {line!r}")
                break
            dropped.append(f"[tail marker] {line}")
            continue
        if is_date_line(line) and len(kept) <= 1:
            dateline = dateline or line
            dropped.append(f"[dateline] {line}")
            continue
        reason = boilerplate_reason(line)
        if reason:
            dropped.append(f"[{reason}] {line}")
            continue
        if _near_duplicate(line, seen):
            dropped.append(f"[repeated line] {line}")
            continue
        if not title and not kept and len(line.split()) == 1 and not line.endswith(_TERMINAL):
            dropped.append(f"[section label] {line}")
            continue
        seen.add(re.sub(r"\W+", " ", line.lower()).strip())
        kept.append(line)
    if title is None:
        title = kept.pop(0) if kept and is_heading(kept[0]) else ""
    return CleanText(title=title, paragraphs=tuple(kept), dropped=tuple(dropped), dateline=dateline)
