"""Build dedupe's bundled officeholder table from the raw public tables.

    python scripts/build_officeholders.py [RAW_DIR] [--out dedupe/knowledge/data]

RAW_DIR (default ../shared/data/officeholders) holds:
  wikidata_heads/leaders_history.csv   heads of state and government (Wikidata, CC0)
  us_executive/executive.yaml          US presidents and vice presidents (CC0)
  uk_ifg_ministers/*.csv               every UK minister since 1979 (IfG, CC BY 4.0)

It writes `officeholders.csv` (one row per term, the columns of
`dedupe.knowledge.officeholders.COLUMNS`), `metadata.json` (snapshot date, row count, licence and
attribution per dataset, the hand-curated `supplement.csv` included) and copies the licences.
The output is committed, so the package and CI never need RAW_DIR. Rows are sorted, so a rebuild
from the same inputs is byte-identical.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import datetime as dt
import json
import re
import shutil
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dedupe.knowledge.officeholders import COLUMNS, read_terms_csv  # noqa: E402
from dedupe.records import OfficeTerm  # noqa: E402

# Wikidata's SPARQL dump carries no date; this is the date the snapshot was taken (issue 3).
WIKIDATA_SNAPSHOT = "2025-10-03"
# Wikidata's USA entries include a spurious head of state; the US table is the authority there.
WIKIDATA_SKIP = {"USA"}
_WIKIDATA_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})T")
_ROLES = {"head_of_state": "head of state", "head_of_government": "head of government"}

# IfG post names mapped to the offices titles are normalised to (first match wins); other
# posts keep their own name, lowercased, as the office.
UK_POSTS = [
    (r"Prime Minister", "head of government"),
    (r"Deputy Prime Minister", "deputy prime minister"),
    (r"Secretary of State for Foreign.*", "foreign minister"),
    (r"Secretary of State for Defence", "defense minister"),
    (r"Chancellor of the Exchequer", "finance minister"),
    (r"Secretary of State for the Home Department", "interior minister"),
    (r"Attorney General", "attorney general"),
    (r"Secretary of State for Health.*", "health secretary"),
    (r"Secretary of State for Education.*", "education secretary"),
    (r"Secretary of State for Transport", "transport secretary"),
    (r"Secretary of State for Energy.*", "energy secretary"),
    (r"Secretary of State for (Business.*|Trade and Industry)", "business secretary"),
    (r"Secretary of State for International Trade", "trade secretary"),
    (r"Secretary of State for Justice.*", "justice secretary"),
    (r"Secretary of State for Work and Pensions", "work and pensions secretary"),
    (r"Secretary of State for .*Housing.*", "housing secretary"),
    (r"Secretary of State for (Digital, )?Culture.*", "culture secretary"),
    (r"Secretary of State for Environment, Food and Rural Affairs", "environment secretary"),
    (r"Secretary of State for Northern Ireland", "northern ireland secretary"),
    (r"Secretary of State for Scotland", "scotland secretary"),
    (r"Secretary of State for Wales", "wales secretary"),
]

LICENCES = {
    "wikidata": {
        "licence": "CC0-1.0",
        "attribution": "Heads of state and government from Wikidata (https://www.wikidata.org), "
        "dedicated to the public domain under CC0 1.0.",
        "url": "https://www.wikidata.org/wiki/Wikidata:Licensing",
        "licence_file": "LICENSE-CC0-1.0.txt",
    },
    "us_executive": {
        "licence": "CC0-1.0",
        "attribution": "US presidents and vice presidents from the unitedstates/congress-"
        "legislators project (executive.yaml), dedicated to the public domain under CC0 1.0.",
        "url": "https://github.com/unitedstates/congress-legislators",
        "licence_file": "LICENSE-CC0-1.0.txt",
    },
    "uk_ifg": {
        "licence": "CC-BY-4.0",
        "attribution": "Contains data from the Institute for Government Ministers Database "
        "(https://www.instituteforgovernment.org.uk/ministers-database), licensed under CC BY "
        "4.0; posts mapped to dedupe's office names and joined appointment -> post -> person.",
        "url": "https://github.com/instituteforgov/ifg-ministers-database-public",
        "licence_file": "LICENSE-uk_ifg-CC-BY-4.0.txt",
    },
    "supplement": {
        "licence": "CC0-1.0",
        "attribution": "Curated for dedupe from public records (government sites and the "
        "Wikipedia lists named in each row's source column); dedicated to the public domain "
        "under CC0 1.0.",
        "url": "",
        "licence_file": "LICENSE-CC0-1.0.txt",
    },
}


def wikidata_terms(path: Path) -> tuple[list[OfficeTerm], Counter[str]]:
    """Heads of state and government; rows without a usable start date are dropped (they
    include fictional entries), a person's duplicate rows for one term are merged."""
    dropped: Counter[str] = Counter()
    merged: dict[tuple[str, str, str, str], list[str | None]] = defaultdict(list)
    names: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            start = _wikidata_date(row["start"])
            if row["iso3"] in WIKIDATA_SKIP:
                dropped["dropped: USA, covered by us_executive"] += 1
                continue
            if start is None:
                dropped["dropped: no start date"] += 1
                continue
            end = _wikidata_date(row["end"]) if row["end"] else ""
            if end is None:
                dropped["dropped: unreadable end date"] += 1
                continue
            if end and end < start:
                dropped["dropped: end before start"] += 1
                continue
            key = (row["iso3"], row["role"], row["person_qid"], start)
            merged[key].append(end or None)
            names[row["person_qid"]] = row["person"]
    terms = []
    for (iso3, role, qid, start), ends in merged.items():
        closed = [e for e in ends if e]
        dropped["merged: duplicate row of a term"] += len(ends) - 1
        terms.append(
            OfficeTerm(
                jurisdiction=iso3,
                office=_ROLES[role],
                person=names[qid],
                start=dt.date.fromisoformat(start),
                end=dt.date.fromisoformat(max(closed)) if closed else None,
                title=_ROLES[role],
                person_id=qid,
                source="Wikidata",
                dataset="wikidata",
            )
        )
    return _close_stale(terms, dropped), dropped


def _close_stale(terms: list[OfficeTerm], dropped: Counter[str]) -> list[OfficeTerm]:
    """Wikidata leaves many finished terms open. An open term ends when another person takes
    the office; a person's second open row for one office is a duplicate of the first."""
    by_office: dict[tuple[str, str], list[OfficeTerm]] = defaultdict(list)
    for term in terms:
        by_office[(term.jurisdiction, term.office)].append(term)
    out = []
    for rows in by_office.values():
        rows.sort(key=lambda t: (t.start, t.person_id))
        open_people: set[str] = set()
        for i, term in enumerate(rows):
            if term.end is not None:
                out.append(term)
                continue
            if term.person_id in open_people:
                dropped["dropped: second open row of a person"] += 1
                continue
            later = [t.start for t in rows[i + 1 :] if t.person_id != term.person_id]
            later = [d for d in later if d > term.start]
            if later:
                dropped["fixed: open term ended at the successor's start"] += 1
                term = dataclasses.replace(term, end=min(later))
            else:
                open_people.add(term.person_id)
            out.append(term)
    return out


def _wikidata_date(value: str) -> str | None:
    match = _WIKIDATA_DATE.match(value)
    return match.group(1) if match else None


def us_terms(path: Path) -> tuple[list[OfficeTerm], str]:
    """Presidents (head of state and of government: one person, two roles) and vice
    presidents; consecutive terms are joined; a current term's end is its scheduled end."""
    people = yaml.safe_load(path.read_text(encoding="utf-8"))
    snapshot = max(t["start"] for p in people for t in p["terms"])
    terms = []
    for person in people:
        name = person["name"]
        first = name.get("nickname") or name["first"]
        display = f"{first} {name['last']}"
        forms = {f"{name['first']} {name['last']}", name.get("official_full", "")}
        aliases = sorted(forms - {"", display})
        bioguide = person["id"].get("bioguide") or str(person["id"].get("govtrack", ""))
        for kind, start, end in _joined(person["terms"]):
            offices = (
                [("head of state", "President"), ("head of government", "President")]
                if kind == "prez"
                else [("vice president", "Vice President")]
            )
            for office, title in offices:
                terms.append(
                    OfficeTerm(
                        jurisdiction="USA",
                        office=office,
                        person=display,
                        start=dt.date.fromisoformat(start),
                        end=dt.date.fromisoformat(end),
                        end_scheduled=end > snapshot,
                        title=f"{title} of the United States",
                        person_id=bioguide,
                        aliases=tuple(aliases),
                        source="congress-legislators executive.yaml",
                        dataset="us_executive",
                    )
                )
    return terms, snapshot


def _joined(terms: list[dict[str, str]]) -> Iterator[tuple[str, str, str]]:
    current: list[str] | None = None
    for term in sorted(terms, key=lambda t: (t["type"], t["start"])):
        if current and current[0] == term["type"] and current[2] == term["start"]:
            current[2] = term["end"]
            continue
        if current:
            yield current[0], current[1], current[2]
        current = [term["type"], term["start"], term["end"]]
    if current:
        yield current[0], current[1], current[2]


def uk_terms(folder: Path) -> tuple[list[OfficeTerm], str, Counter[str]]:
    """Every UK ministerial appointment: appointment -> post -> person (the name in use at
    the appointment's start; other names become aliases); acting appointments marked."""
    posts = {r["id"]: r for r in _rows(folder / "post.csv")}
    names: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in _rows(folder / "person.csv"):
        names[row["id"]].append(row)
    acting = {
        r["appointment_id"]
        for r in _rows(folder / "appointment_characteristics.csv")
        if r["is_acting"] == "True"
    }
    appointments = list(_rows(folder / "appointment.csv"))
    snapshot = max(max(a["start_date"], a["end_date"] or "") for a in appointments)
    terms = []
    dropped: Counter[str] = Counter()
    for appointment in appointments:
        if appointment["end_date"] and appointment["end_date"] < appointment["start_date"]:
            dropped["dropped: end before start"] += 1
            continue
        post = posts[appointment["post_id"]]
        versions = names[appointment["person_id"]]
        name = _name_at(versions, appointment["start_date"])
        terms.append(
            OfficeTerm(
                jurisdiction="GBR",
                office=_uk_office(post["name"]),
                person=name,
                start=dt.date.fromisoformat(appointment["start_date"]),
                end=dt.date.fromisoformat(appointment["end_date"])
                if appointment["end_date"]
                else None,
                title=post["name"],
                person_id=appointment["person_id"],
                qualifier="acting" if appointment["id"] in acting else "",
                aliases=tuple(sorted({v["display_name"] for v in versions} - {name})),
                source="IfG Ministers Database",
                dataset="uk_ifg",
            )
        )
    return terms, snapshot, dropped


def _rows(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def _name_at(versions: list[dict[str, str]], day: str) -> str:
    for version in versions:
        if (version["start_date"] or "") <= day and (
            not version["end_date"] or day < version["end_date"]
        ):
            return version["display_name"]
    return versions[0]["display_name"]


def _uk_office(post: str) -> str:
    for pattern, office in UK_POSTS:
        if re.fullmatch(pattern, post):
            return office
    return post.lower()


def write_terms(path: Path, terms: Iterable[OfficeTerm]) -> int:
    rows = sorted(
        (_csv_row(t) for t in terms),
        key=lambda r: (r["dataset"], r["jurisdiction"], r["office"], r["start"], r["person"]),
    )
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)


def _csv_row(term: OfficeTerm) -> dict[str, str]:
    return {
        "jurisdiction": term.jurisdiction,
        "office": term.office,
        "title": term.title,
        "person": term.person,
        "person_id": term.person_id,
        "start": term.start.isoformat(),
        "end": term.end.isoformat() if term.end else "",
        "end_scheduled": "yes" if term.end_scheduled else "",
        "qualifier": term.qualifier,
        "aliases": "|".join(term.aliases),
        "source": term.source,
        "dataset": term.dataset,
    }


def build(raw: Path, out: Path, supplement_snapshot: str) -> dict[str, object]:
    """Write the table, metadata and licences; returns the metadata."""
    out.mkdir(parents=True, exist_ok=True)
    wikidata, dropped = wikidata_terms(raw / "wikidata_heads" / "leaders_history.csv")
    us, us_snapshot = us_terms(raw / "us_executive" / "executive.yaml")
    uk, uk_snapshot, uk_dropped = uk_terms(raw / "uk_ifg_ministers")
    write_terms(out / "officeholders.csv", [*wikidata, *us, *uk])
    # the supplement is curated by hand; reading it here validates it and counts its rows
    supplement = read_terms_csv(out / "supplement.csv", "supplement")
    counts = Counter(t.dataset for t in [*wikidata, *us, *uk, *supplement])
    snapshots = {
        "wikidata": WIKIDATA_SNAPSHOT,
        "us_executive": us_snapshot,
        "uk_ifg": uk_snapshot,
        "supplement": supplement_snapshot,
    }
    files = {"supplement": "supplement.csv"}
    metadata = {
        "_doc": "The bundled officeholder table: per dataset its snapshot date (after it, "
        "the table's silence means unknown, not wrong), row count, licence and attribution; "
        "`cleaning` counts the raw rows dropped, merged or fixed, by reason. "
        "Built by scripts/build_officeholders.py.",
        "datasets": {
            name: {
                "file": files.get(name, "officeholders.csv"),
                "snapshot": snapshots[name],
                "rows": counts[name],
                **LICENCES[name],
            }
            for name in snapshots
        },
        "cleaning": {
            "wikidata": dict(sorted(dropped.items())),
            "uk_ifg": dict(sorted(uk_dropped.items())),
        },
    }
    (out / "metadata.json").write_text(
        json.dumps(metadata, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    for name, folder in (("us_executive", "us_executive"), ("uk_ifg", "uk_ifg_ministers")):
        shutil.copyfile(raw / folder / "LICENSE", out / LICENCES[name]["licence_file"])
    lines = ["# Officeholder table: sources, licences and attribution", ""]
    for name, info in metadata["datasets"].items():  # type: ignore[attr-defined]
        lines += [
            f"## {name} ({info['file']}, {info['rows']} rows, snapshot {info['snapshot']})",
            "",
            f"{info['attribution']} Licence: {info['licence']}, full text in "
            f"`{info['licence_file']}`." + (f" {info['url']}" if info["url"] else ""),
            "",
        ]
    (out / "ATTRIBUTION.md").write_text("\n".join(lines), encoding="utf-8")
    return metadata


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("raw", nargs="?", default=str(ROOT.parent / "shared/data/officeholders"))
    parser.add_argument("--out", default=str(ROOT / "dedupe/knowledge/data"))
    parser.add_argument(
        "--supplement-snapshot",
        default="2025-09-01",
        help="date up to which supplement.csv was checked (default %(default)s)",
    )
    args = parser.parse_args()
    raw = Path(args.raw)
    if not (raw / "wikidata_heads").is_dir():
        parser.error(f"{raw} does not hold the raw officeholder tables (wikidata_heads/ missing)")
    metadata = build(raw, Path(args.out), args.supplement_snapshot)
    for name, info in metadata["datasets"].items():  # type: ignore[attr-defined]
        print(f"{name:13} {info['rows']:6} rows  snapshot {info['snapshot']}")


if __name__ == "__main__":
    main()
