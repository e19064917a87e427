"""Normalise numbers with units, scale and hedges to intervals.

"$2 billion" = "2bn dollars" = "$2,000 million" -> 2e9 USD; "nearly 300" -> [270, 300];
"at least 30" -> [30, inf); "thousands of drones" -> [2000, 9999]. Comparing intervals, not
exact values, keeps hedged numbers from looking like contradictions.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

# the unit (and counted noun) of a person's age in years, which the extractor reads from
# "66-year-old" or "Cheeks, 48," (spaCy calls them dates)
AGE = "age"
_WORDS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "a dozen": 12,
    "dozen": 12,
    "half": 0.5,
    "a": 1,
    "an": 1,
}
_SCALES = {
    "hundred": 1e2,
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "mn": 1e6,
    "m": 1e6,
    "mln": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "bln": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
    "t": 1e12,
}
# plural scale words without a number: "thousands" -> [2 000, 9 999]
_PLURAL_SCALES = {
    "dozens": (24, 99),
    "hundreds": (200, 999),
    "thousands": (2e3, 9999),
    "tens of thousands": (2e4, 99999),
    "hundreds of thousands": (2e5, 999999),
    "millions": (2e6, 999999999),
    "billions": (2e9, 999999999999),
}
# symbols written before the number, longest first ("US$" before "$")
CURRENCY_SYMBOLS = ("us$", "$", "€", "£", "¥")
_CURRENCIES = {
    "us$": "USD",
    "$": "USD",
    "usd": "USD",
    "dollar": "USD",
    "dollars": "USD",
    # wire copy (Reuters): "600 mln dlrs", "95 mln stg"
    "dlr": "USD",
    "dlrs": "USD",
    "€": "EUR",
    "eur": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "£": "GBP",
    "gbp": "GBP",
    "pound": "GBP",
    "pounds": "GBP",
    "sterling": "GBP",
    "stg": "GBP",
    "¥": "JPY",
    "yen": "JPY",
    "yuan": "CNY",
    "rubles": "RUB",
    "roubles": "RUB",
    "hryvnias": "UAH",
}
# unit -> (canonical unit, factor)
_UNITS = {
    "%": ("%", 1.0),
    "percent": ("%", 1.0),
    "per cent": ("%", 1.0),
    "pct": ("%", 1.0),
    "km": ("km", 1.0),
    "kilometers": ("km", 1.0),
    "kilometres": ("km", 1.0),
    "kilometer": ("km", 1.0),
    "kilometre": ("km", 1.0),
    "mile": ("km", 1.609344),
    "miles": ("km", 1.609344),
    "m": ("m", 1.0),
    "meters": ("m", 1.0),
    "metres": ("m", 1.0),
    "feet": ("m", 0.3048),
    "foot": ("m", 0.3048),
    "ft": ("m", 0.3048),
    "mm": ("mm", 1.0),
    "kg": ("kg", 1.0),
    "kilograms": ("kg", 1.0),
    "tons": ("t", 1.0),
    "tonnes": ("t", 1.0),
    "pounds": ("kg", 0.45359237),
    "lb": ("kg", 0.45359237),
}
_HEDGE_AROUND = (
    r"about|around|approximately|roughly|some|an estimated|estimated|circa|~|almost "
    r"exactly|nearly|almost|just under|just over|close to|up to|at most|no more than|at least|"
    r"more than|over|above|exceeding|upwards of|in excess of|less than|under|below|fewer than"
)
_HEDGE = re.compile(rf"^({_HEDGE_AROUND})\s+", re.IGNORECASE)
_FRACTION = re.compile(r"(\d+)[- ](\d)/([1-9]\d?)(?![\d/])")
_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?![\d,])")


@dataclass(frozen=True)
class Amount:
    value: float
    low: float
    high: float
    unit: str
    approximate: bool


def parse_amount(text: str) -> Amount | None:
    """The interval a number expression claims, with its unit; None when there is no number."""
    raw = re.sub(r"\s+", " ", text.strip().lower().replace("\u2013", "-"))
    raw = raw.replace("-mile", " mile").replace("-km", " km")
    hedge_match = _HEDGE.match(raw)
    hedge = hedge_match.group(1) if hedge_match else ""
    core = raw[hedge_match.end() :] if hedge_match else raw
    unit, core = _currency(core)
    for plural, (lo, hi) in sorted(_PLURAL_SCALES.items(), key=lambda x: -len(x[0])):
        if match := re.match(rf"^{plural}\b(\s+of\b)?", core):
            # "billions of dollars" counts dollars
            unit = unit or _unit_after(core[match.end() :])
            factor = _factor(unit)
            low, high = lo * factor, hi * factor
            return Amount((low + high) / 2, low, high, _canonical(unit), True)
    parsed = _number(core)
    if parsed is None:
        return None
    value, rest = parsed
    scale_match = re.match(
        r"^\s*-?\s*(hundred|thousand|million|billion|trillion|mn|mln|bn|bln|"
        r"tn|k|m|b|t)\b",
        rest,
    )
    if scale_match and not (scale_match.group(1) in ("m", "t") and unit is None):
        value *= _SCALES[scale_match.group(1)]
        rest = rest[scale_match.end() :]
    if unit is None:
        unit = _unit_after(rest)
    value *= _factor(unit)
    unit = _canonical(unit)
    low, high = _bounds(value, hedge)
    return Amount(value, low, high, unit, bool(hedge))


def _factor(unit: str | None) -> float:
    """What a value in `unit` is multiplied by to be in its canonical unit."""
    return _UNITS[unit][1] if unit in _UNITS else 1.0


def _canonical(unit: str | None) -> str:
    """The canonical unit name ("miles" -> "km"; no unit: "count")."""
    if unit is None:
        return "count"
    return _UNITS[unit][0] if unit in _UNITS else unit


def _currency(core: str) -> tuple[str | None, str]:
    for symbol in CURRENCY_SYMBOLS:
        if core.startswith(symbol):
            return _CURRENCIES[symbol], core[len(symbol) :].strip()
    return None, core


def _number(core: str) -> tuple[float, str] | None:
    fraction = _FRACTION.match(core)  # wire copy's rates: "10-7/8 pct" is 10.875 %
    if fraction:
        units, top, bottom = (int(g) for g in fraction.groups())
        return units + top / bottom, core[fraction.end() :]
    match = _NUMBER.match(core)
    if match:
        whole = match.group(1).replace(",", "")
        value = float(f"{whole}.{match.group(2)}" if match.group(2) else whole)
        return value, core[match.end() :]
    for word in sorted(_WORDS, key=len, reverse=True):
        if re.match(rf"^{word}\b", core):
            return float(_WORDS[word]), core[len(word) :]
    return None


def _unit_after(rest: str) -> str | None:
    rest = rest.strip()
    for name in sorted({**_CURRENCIES, **_UNITS}, key=len, reverse=True):
        if re.match(rf"^{re.escape(name)}(?!\w)", rest):
            return _CURRENCIES.get(name) or name
    return None


def _bounds(value: float, hedge: str) -> tuple[float, float]:
    """The interval a hedge admits: 'about' +-10 %, 'nearly' up to 10 % below, bounds one-sided."""
    if hedge in (
        "at least",
        "more than",
        "over",
        "above",
        "exceeding",
        "upwards of",
        "in excess of",
        "just over",
    ):
        return value, math.inf
    if hedge in ("less than", "under", "below", "fewer than", "up to", "at most", "no more than"):
        return 0.0, value
    if hedge in ("nearly", "almost", "just under", "close to"):
        return value * 0.9, value
    if hedge:
        return value * 0.9, value * 1.1
    return value, value


def disjoint(a: Amount, b: Amount, tolerance: float = 0.02) -> bool:
    """Whether two amounts of one unit cannot both be true (rounding tolerance allowed).

    The tolerance is relative to the two bounds that face each other, so a wide interval
    ("billions": 2e9 up to 1e12) does not swallow a small number (39) in its rounding slack.
    """
    if a.unit != b.unit:
        return False
    return _below(a.high, b.low, tolerance) or _below(b.high, a.low, tolerance)


def _below(high: float, low: float, tolerance: float) -> bool:
    """Whether `high` lies under `low` by more than rounding (`tolerance` of the larger)."""
    return high + tolerance * max(abs(high), abs(low)) < low


def format_amount(a: Amount) -> str:
    """The normalised interval an amount claims: "2,000,000,000 USD", "270..300 count"."""

    def show(x: float) -> str:
        return f"{x:,.0f}" if float(x).is_integer() or abs(x) >= 100 else f"{x:,.2f}"

    if a.low == a.high:
        return f"{show(a.value)} {a.unit}"
    high = "" if math.isinf(a.high) else show(a.high)
    return f"{show(a.low)}..{high} {a.unit}"
