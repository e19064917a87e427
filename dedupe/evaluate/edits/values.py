"""Number and date edits: a number another article gives, made half as much again; a date
expression moved a week or more, two or more weekdays, months or years."""

from __future__ import annotations

import datetime as dt
import math
import random
import re
from dataclasses import dataclass
from typing import Any

from dedupe.claims.times import MONTHS, WEEKDAYS
from dedupe.evaluate.ecbplus import EcbDocument
from dedupe.evaluate.edits.base import (
    Edit,
    EventText,
    Tokens,
    anywhere,
    at,
    sole_statements,
)

_NUMBER = re.compile(r"^(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?$")
_COMPOUND = re.compile(r"^(\d+)(\.\d+)?(-[a-z]+(?:-[a-z]+)*)$")  # 66-year-old, 14-week
# "one" is left out: it is a pronoun as often as a number
_NUMBER_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "hundred": 100,
}  # fmt: skip
_WORD_OF = {v: k for k, v in _NUMBER_WORDS.items() if k != "hundred"} | {
    14: "fourteen", 16: "sixteen", 18: "eighteen", 24: "twenty-four", 60: "sixty",
    80: "eighty", 90: "ninety",
}  # fmt: skip
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
# bounds and ranges: doubling "more than five" or "5 to 10" gives no clear conflict
_OPEN_BEFORE = {"than", "least", "most", "over", "under", "to", "between", "and", "or", "-", "–",
                "/", "no.", "#", "as", "up", "top"}  # fmt: skip
_RANGE_AFTER = {"to", "or", "-", "–", "/", "and", ":", "a.m.", "p.m.", "am", "pm", "a.", "p.",
                "o'clock"}  # fmt: skip


@dataclass(frozen=True)
class _Number:
    index: int
    value: float
    text: str


def numbers(tokens: Tokens) -> list[_Number]:
    """The clear numbers of a sentence (counts, amounts, ages), not dates, times or codes."""
    out = []
    for i, token in enumerate(tokens):
        prev = tokens[i - 1].lower() if i else ""
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        value = _number_value(token)
        if value is None or value == 0:
            continue
        if prev in _OPEN_BEFORE or nxt.lower() in _RANGE_AFTER:
            continue
        if prev == "the" and token.isalpha():  # "the two co-founded": a pronoun
            continue
        if token.startswith("0") and token[1:2].isdigit():  # "0. 08": a decimal split apart
            continue
        # a day of a month, the month perhaps abbreviated and split from its dot ("Feb . 17")
        month_before = _month(prev) or (prev == "." and i > 1 and _month(tokens[i - 2]))
        if month_before or _month(nxt) or _is_year(token) or _clock(tokens, i):
            continue
        if _split(tokens, i):
            continue
        # codes and addresses: "Flight 447", "200 W. American Blvd."
        if (i > 0 and prev[:1].isalpha() and tokens[i - 1][:1].isupper()) or (
            nxt[:1].isupper() and nxt.lower() not in _SCALES and not _COMPOUND.match(token)
        ):
            continue
        out.append(_Number(i, value * _SCALES.get(nxt.lower(), 1.0), token))
    return out


def _clock(tokens: Tokens, i: int) -> bool:
    """Whether the number is part of a time of day as ECB+ tokenises it ("1 : 30 a . m .",
    "about 7 p . m ."): a time is no count, and its change no conflict of numbers."""
    after = [t.lower() for t in tokens[i + 1 : i + 3]]
    return (i > 0 and tokens[i - 1] == ":") or after in (["a", "."], ["p", "."])


def _split(tokens: Tokens, i: int) -> bool:
    """Whether the number is one piece of a number ECB+ split into tokens: "380 , 600" and
    "5 . 9" (one number with its separator spaced), "0800 555111" (a phone number)."""
    before, after = tokens[max(0, i - 2) : i], tokens[i + 1 : i + 3]
    glued = (",", ".")
    return (
        (len(before) == 2 and before[1] in glued and before[0][-1:].isdigit())
        or (len(after) == 2 and after[0] in glued and after[1][:1].isdigit())
        or (i > 0 and tokens[i - 1][-1:].isdigit())
        or (i + 1 < len(tokens) and tokens[i + 1][:1].isdigit())
    )


def _number_value(token: str) -> float | None:
    if token.lower() in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[token.lower()])
    match = _NUMBER.match(token) or _COMPOUND.match(token)
    if not match:
        return None
    return float(match.group(1).replace(",", "") + (match.group(2) or ""))


def _number_values(tokens: Tokens) -> list[float]:
    return [n.value for n in numbers(tokens)]


def _format_number(token: str, new: float) -> str:
    if token.lower() in _NUMBER_WORDS:
        word = _WORD_OF.get(int(new))
        if word is None:
            return str(int(new))
        return word.capitalize() if token[:1].isupper() else word
    match = _NUMBER.match(token) or _COMPOUND.match(token)
    assert match is not None
    digits, decimals = match.group(1), match.group(2) or ""
    places = len(decimals) - 1 if decimals else 0
    text = f"{new:,.{places}f}" if "," in digits else f"{new:.{places}f}"
    suffix = match.group(3) if match.re is _COMPOUND else ""
    return text + suffix


def changed_number(value: float, token: str) -> float:
    """Half as much again, rounded as the original is written ("61" -> "92", "0.41" ->
    "0.62"); a whole number below 4 doubled ("two" -> "four"): never within rounding."""
    match = _NUMBER.match(token) or _COMPOUND.match(token)
    places = len(match.group(2) or ".") - 1 if match else 0
    if value < 4 and places == 0:
        return value * 2
    step = 10.0**-places
    return round(math.floor(value * 1.5 / step + 0.5) * step, places)


def number_edits(event: EventText, doc: EcbDocument, rng: random.Random) -> list[Edit]:
    taken = anywhere(event.docs, _number_values)
    edits = []
    for n, _, number in sole_statements(event, doc, numbers, _number_values):
        scale = number.value / (_number_value(number.text) or 1.0)
        new = changed_number(number.value / scale, number.text)
        if new * scale in taken:
            continue
        text = _format_number(number.text, new)
        edits.append(
            Edit(
                n, number.index, number.index + 1, (text,), number.text, text,
                f"the other articles give {number.text}; this one now says {text}",
            )
        )  # fmt: skip
    return edits


_SHORT = ("Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.",
          "Nov.", "Dec.")  # fmt: skip
_MONTH_FORMS = {
    form: n
    for n, name in enumerate(MONTHS, 1)
    for form in (name, name[:3], "sept" if n == 9 else name)
}
_DAY = re.compile(r"^(\d{1,2})(st|nd|rd|th)?$")
_YEAR = re.compile(r"^(19\d\d|20\d\d)$")
# a month named alone is a date only after these ("in March", not "March on Washington")
_RANGE = {"-", "–", "to", "through", "until"}
_MONTH_BEFORE = {"in", "since", "until", "by", "last", "next", "this", "early", "late", "mid",
                 "of", "during", "before", "after"}  # fmt: skip


def _month(token: str) -> int | None:
    return _MONTH_FORMS.get(token.lower().rstrip("."))


def _is_year(token: str) -> bool:
    return bool(_YEAR.match(token))


def _day(token: str) -> int | None:
    match = _DAY.match(token)
    return int(match.group(1)) if match and 1 <= int(match.group(1)) <= 31 else None


@dataclass(frozen=True)
class _Date:
    start: int
    end: int  # token range
    value: tuple[Any, ...]  # ("md", month, day), ("m", month), ("w", weekday), ("y", year)


def dates(tokens: Tokens) -> list[_Date]:
    """The date expressions of a sentence: a day of a month (with or without its year), a
    month named alone, a weekday, a year."""
    out: list[_Date] = []
    i = 0
    while i < len(tokens):
        token, nxt = tokens[i], tokens[i + 1] if i + 1 < len(tokens) else ""
        month, day = _month(token), _day(nxt)
        if month and day:  # "February 22", "Aug. 2, 2013"
            end = i + 2
            if tokens[end : end + 1] == (",",) and _is_year(at(tokens, end + 1)):
                end += 2
            elif _is_year(at(tokens, end)):
                end += 1
            out.append(_Date(i, end, ("md", month, day)))
            i = end
            continue
        if _day(token) and _month(nxt) and not (token.isdigit() and len(token) > 2):
            end = i + 2 + (1 if _is_year(at(tokens, i + 2)) else 0)  # "22 February 2013"
            out.append(_Date(i, end, ("md", _month(nxt), _day(token))))
            i = end
            continue
        prev = tokens[i - 1].lower() if i else ""
        if month and token.lower() != "may" and prev in _MONTH_BEFORE and not _is_year(nxt):
            out.append(_Date(i, i + 1, ("m", month)))
        elif token.lower() in WEEKDAYS and token[:1].isupper():
            out.append(_Date(i, i + 1, ("w", WEEKDAYS.index(token.lower()))))
        elif _is_year(token) and prev not in _RANGE and nxt not in _RANGE:
            out.append(_Date(i, i + 1, ("y", int(token))))
        i += 1
    return out


def _date_values(tokens: Tokens) -> list[tuple[Any, ...]]:
    return [d.value for d in dates(tokens)]


def _moved(date: _Date, tokens: Tokens, rng: random.Random) -> tuple[tuple[Any, ...], Tokens]:
    """A clearly different date in the same wording: a week to three weeks away, two to five
    weekdays, two to five months, two to six years earlier."""
    kind = date.value[0]
    old = tokens[date.start : date.end]
    if kind == "w":
        new_day = (date.value[1] + rng.randint(2, 5)) % 7
        return ("w", new_day), (WEEKDAYS[new_day].capitalize(),)
    if kind == "y":
        year = date.value[1] - rng.randint(2, 6)
        return ("y", year), (str(year),)
    if kind == "m":
        month = (date.value[1] - 1 + rng.choice([-5, -4, -3, -2, 2, 3, 4, 5])) % 12 + 1
        return ("m", month), (_month_name(old[0], month),)
    year_token = next((t for t in old if _is_year(t)), None)
    year = int(year_token) if year_token else 2001  # a year with no February 29
    days = rng.randint(7, 20) * rng.choice([-1, 1])
    day = dt.date(year, date.value[1], min(date.value[2], 28)) + dt.timedelta(days=days)
    new: list[str] = []
    for token in old:
        if _month(token):
            new.append(_month_name(token, day.month))
        elif _day(token):
            suffix = _DAY.match(token).group(2) or ""  # type: ignore[union-attr]
            new.append(f"{day.day}{_ordinal(day.day) if suffix else ''}")
        elif _is_year(token):
            new.append(str(day.year))
        else:
            new.append(token)
    return ("md", day.month, day.day), tuple(new)


def _month_name(like: str, month: int) -> str:
    short = like.endswith(".") or len(like) <= 4 and like.lower() not in ("june", "july")
    name = _SHORT[month - 1] if short else MONTHS[month - 1].capitalize()
    return name.upper() if like.isupper() and len(like) > 3 else name


def _ordinal(day: int) -> str:
    if 10 <= day % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


def date_edits(event: EventText, doc: EcbDocument, rng: random.Random) -> list[Edit]:
    taken = anywhere(event.docs, _date_values)
    edits = []
    for n, tokens, date in sole_statements(event, doc, dates, _date_values):
        value, new = _moved(date, tokens, rng)
        if value in taken:
            continue
        old = " ".join(tokens[date.start : date.end])
        text = " ".join(new)
        edits.append(
            Edit(n, date.start, date.end, new, old, text,
                 f"the other articles say {old}; this one now says {text}")
        )  # fmt: skip
    return edits
