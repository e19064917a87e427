"""The officeholder table: the build script on a tiny raw fixture, loading, title
normalisation, name matching, tenure arithmetic, user CSVs and the `dedupe kb` commands."""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import json
import subprocess
import sys

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from dedupe.cli import cli
from dedupe.errors import InputError, UsageError
from dedupe.knowledge import daysets
from dedupe.knowledge.officeholders import (
    COLUMNS,
    Office,
    load_officeholders,
    metadata,
    normalise_title,
    offices_of,
    parse_office,
    read_terms_csv,
    who_held,
)

from .conftest import ROOT

RAW = ROOT / "tests" / "data" / "officeholders_raw"
D = dt.date


@pytest.fixture(scope="module")
def kb():
    return load_officeholders()


def _build_module():
    spec = importlib.util.spec_from_file_location(
        "build_officeholders", ROOT / "scripts" / "build_officeholders.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def built(tmp_path):
    """The build script run on the tiny raw fixture, with a two-row supplement."""
    out = tmp_path / "table"
    out.mkdir()
    with (out / "supplement.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerow(
            {
                "jurisdiction": "NATO",
                "office": "secretary general",
                "person": "Mark Rutte",
                "start": "2024-10-01",
                "source": "https://en.wikipedia.org/wiki/Secretary_General_of_NATO",
            }
        )
        writer.writerow(
            {
                "jurisdiction": "NATO",
                "office": "secretary general",
                "person": "Jens Stoltenberg",
                "start": "2014-10-01",
                "end": "2024-10-01",
                "source": "https://en.wikipedia.org/wiki/Secretary_General_of_NATO",
            }
        )
    meta = _build_module().build(RAW, out, "2025-09-01")
    return out, meta


# --------------------------------------------------------------------------- build script


def test_build_counts_every_dataset_and_writes_licences(built):
    out, meta = built
    rows = read_terms_csv(out / "officeholders.csv", "?")
    counts = {name: info["rows"] for name, info in meta["datasets"].items()}
    # 14 raw Wikidata rows: 2 USA, 1 without start, 1 unreadable end, 1 ending before it
    # starts, 1 duplicate Rutte row, 1 second open Kim Jong-un row -> 7 terms
    # us_executive: Obama (2 joined terms) + Biden (VP, president) + Trump (2 terms): the
    # presidencies count twice (head of state and of government), VP once -> 2+1+2+4 = 9
    # uk_ifg: 20 appointments, one ending before it starts -> 19
    assert counts == {"wikidata": 7, "us_executive": 9, "uk_ifg": 19, "supplement": 2}
    assert len(rows) == 7 + 9 + 19
    assert meta["datasets"]["wikidata"]["snapshot"] == "2025-10-03"
    assert meta["datasets"]["us_executive"]["snapshot"] == "2025-01-20"
    assert meta["datasets"]["supplement"]["snapshot"] == "2025-09-01"
    for name in ("LICENSE-CC0-1.0.txt", "LICENSE-uk_ifg-CC-BY-4.0.txt", "ATTRIBUTION.md"):
        assert (out / name).stat().st_size > 1000
    assert "CC BY 4.0" in (out / "ATTRIBUTION.md").read_text()
    assert json.loads((out / "metadata.json").read_text()) == meta


def test_build_cleans_wikidata_and_joins_the_other_tables(built):
    out, _ = built
    rows = read_terms_csv(out / "officeholders.csv", "?")
    by_person = {}
    for r in rows:
        by_person.setdefault(r.person, []).append(r)
    assert "George Washington" not in by_person  # USA comes from us_executive only
    # Kallas's Estonian term was left open in Wikidata: her successor's start ends it
    [kallas] = by_person["Kaja Kallas"]
    assert (kallas.start, kallas.end) == (D(2021, 1, 26), D(2024, 7, 23))
    [rutte] = by_person["Mark Rutte"]
    assert rutte.end == D(2024, 7, 2)  # the later of the duplicate rows' ends
    assert len(by_person["Kim Jong-un"]) == 1
    trump = sorted((t.office, t.start, t.end, t.end_scheduled) for t in by_person["Donald Trump"])
    assert trump == [
        ("head of government", D(2017, 1, 20), D(2021, 1, 20), False),
        ("head of government", D(2025, 1, 20), D(2029, 1, 20), True),
        ("head of state", D(2017, 1, 20), D(2021, 1, 20), False),
        ("head of state", D(2025, 1, 20), D(2029, 1, 20), True),
    ]
    obama = {(t.office, t.start, t.end) for t in by_person["Barack Obama"]}
    assert ("head of state", D(2009, 1, 20), D(2017, 1, 20)) in obama  # two terms joined
    assert "Joseph Biden" in by_person["Joe Biden"][0].aliases
    offices = {(t.person, t.office) for t in rows if t.dataset == "uk_ifg"}
    assert ("Keir Starmer", "head of government") in offices
    assert ("Yvette Cooper", "foreign minister") in offices
    assert ("Darren Jones", "chief secretary to the treasury") in offices


def test_build_script_runs_from_the_command_line(tmp_path, built):
    out, _ = built
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts/build_officeholders.py"), str(RAW), "--out", str(out)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    assert "wikidata" in proc.stdout and "7 rows" in proc.stdout
    missing = subprocess.run(
        [sys.executable, str(ROOT / "scripts/build_officeholders.py"), str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert missing.returncode == 2 and "wikidata_heads/ missing" in missing.stderr


def test_bundled_table_matches_its_metadata(kb):
    info = metadata()["datasets"]
    counts: dict[str, int] = {}
    for term in kb.terms:
        counts[term.dataset] = counts.get(term.dataset, 0) + 1
    assert counts == {name: d["rows"] for name, d in info.items()}
    folder = ROOT / "dedupe" / "knowledge" / "data"
    for d in info.values():
        assert (folder / d["licence_file"]).exists()


# --------------------------------------------------------------------------- titles


@pytest.mark.parametrize(
    "text",
    ["U.S. President", "President of the United States", "US President", "American President"],
)
def test_us_president_variants_are_one_office(text):
    assert parse_office(text) == Office(("head of state",), "USA", "current")


def test_chancellor_depends_on_the_country_and_qualifiers_are_a_tense():
    assert parse_office("German Chancellor") == Office(("head of government",), "DEU")
    assert parse_office("British Chancellor").offices == ("finance minister",)
    assert set(parse_office("Chancellor").offices) == {"head of government", "finance minister"}
    assert parse_office("former U.S. President").status == "former"
    assert parse_office("President-elect").status == "elect"
    assert parse_office("acting Defense Secretary").status == "current"
    assert parse_office("Vice President").offices == ("vice president",)
    assert parse_office("Deputy Foreign Minister").offices == ("deputy foreign minister",)
    assert normalise_title("president", None, "then").status == "historical"
    assert normalise_title("secretary of state", "GBR", None) is None  # a British rank
    assert parse_office("White House Press Secretary") == Office(("press secretary",), "USA")
    with pytest.raises(UsageError, match="cannot read 'Grand Poobah'"):
        parse_office("Grand Poobah")


# --------------------------------------------------------------------------- people


@pytest.mark.parametrize("name", ["Volodymyr Zelenskyy", "Zelensky", "Zelenskiy", "Zelenski"])
def test_transliterations_find_the_same_person(kb, name):
    terms = kb.person_terms(name)
    assert {(t.jurisdiction, t.office) for t in terms} == {("UKR", "head of state")}


def test_a_greek_ou_written_u_finds_the_same_person(kb):
    # Wikidata's label "Geórgios Papandréu" (ECB+ train: "Greek prime minister George
    # Papandreou" in May 2010 was reported as someone the table does not know)
    terms = kb.person_terms("George Papandreou")
    assert ("GRC", "head of government") in {(t.jurisdiction, t.office) for t in terms}


def test_a_different_given_name_is_a_different_person(kb):
    assert kb.person_terms("Joe Biden") and kb.person_terms("Joseph Biden")
    assert not kb.person_terms("Hunter Biden")
    assert not kb.person_terms("Mika Virtanen")


def test_who_held_the_office_on_a_day(kb):
    [biden] = who_held(kb, "U.S. President", D(2024, 9, 19))
    assert biden.term.person == "Joe Biden" and not biden.presumed
    [merz] = who_held(kb, "German Chancellor", D(2025, 10, 15))
    # the day is after Wikidata's snapshot (2025-10-03): Merz is presumed, not known
    assert merz.term.person == "Friedrich Merz" and merz.presumed
    [trump] = who_held(kb, "US President", D(2025, 10, 15))
    # a US president's current term runs to its scheduled end: no presumption needed
    assert trump.term.person == "Donald Trump" and not trump.presumed
    assert "2021-12-08 to 2025-05-06" in offices_of(kb, "Olaf Scholz")[0].describe()


def test_trump_is_former_between_his_terms_only(kb):
    office = parse_office("former U.S. President")
    tenure = kb.tenure(office, kb.person_terms("Donald Trump"), None)
    wrong = tenure.wrong("former")
    for day, is_wrong in [
        (D(2016, 6, 1), True),  # never held yet
        (D(2019, 6, 1), True),  # first term
        (D(2024, 9, 19), False),  # between terms
        (D(2025, 10, 15), True),  # second term
    ]:
        assert bool(daysets.intersect(wrong, daysets.span(day, day))) is is_wrong, day


def test_after_the_snapshot_the_table_is_silent(kb):
    office = parse_office("German Chancellor")
    tenure = kb.tenure(office, kb.person_terms("Olaf Scholz"), None)
    # known up to Wikidata's snapshot plus the 90-day presumption
    assert tenure.known[-1][1] == D(2025, 10, 3) + dt.timedelta(days=90)


# --------------------------------------------------------------------------- user CSVs


def _write(path, rows, columns=COLUMNS):
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_a_user_csv_adds_offices_and_its_own_snapshot(tmp_path):
    path = _write(
        tmp_path / "finland.csv",
        [
            {
                "jurisdiction": "FIN",
                "office": "foreign minister",
                "person": "Elina Valtonen",
                "start": "2023-06-20",
                "source": "https://um.fi",
            }
        ],
    )
    kb = load_officeholders([path])
    [answer] = who_held(kb, "Finnish Foreign Minister", D(2023, 6, 20))
    assert answer.term.person == "Elina Valtonen" and answer.term.dataset == "user:finland.csv"
    assert kb.snapshots["user:finland.csv"] == D(2023, 6, 20)
    assert not who_held(load_officeholders(), "Finnish Foreign Minister", D(2023, 6, 20))


@pytest.mark.parametrize(
    "row,message",
    [
        ({"jurisdiction": "FIN", "office": "x", "person": "A", "start": "2023-13-01"}, "line 2"),
        (
            {"jurisdiction": "FIN", "office": "x", "person": "A", "start": "2024-01-01"}
            | {"end": "2023-01-01", "source": "s"},
            "before start",
        ),
        ({"jurisdiction": "FIN", "office": "x", "person": "", "start": "2024-01-01"}, "empty"),
    ],
)
def test_a_bad_user_csv_names_the_file_and_line(tmp_path, row, message):
    path = _write(tmp_path / "bad.csv", [{"source": "s"} | row])
    with pytest.raises(InputError, match=message) as error:
        load_officeholders([path])
    assert error.value.path == str(path)


def test_a_user_csv_without_required_columns_is_refused(tmp_path):
    path = _write(tmp_path / "cols.csv", [{"person": "A"}], columns=["person"])
    with pytest.raises(InputError, match="missing column"):
        read_terms_csv(path, "user")


# --------------------------------------------------------------------------- CLI


def test_kb_who_through_the_cli():
    result = CliRunner().invoke(cli, ["kb", "who", "U.S. President", "2024-09-19"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Joe Biden: head of state of USA")
    assert "2021-01-20 to 2025-01-20" in result.output


def test_kb_person_through_the_cli():
    result = CliRunner().invoke(cli, ["kb", "person", "Olaf Scholz"])
    assert result.exit_code == 0, result.output
    assert result.output == (
        "Olaf Scholz: head of government of DEU, 2021-12-08 to 2025-05-06 [wikidata Q61053]\n"
    )


def test_kb_errors_and_user_files_through_the_cli(tmp_path):
    runner = CliRunner()
    bad = runner.invoke(cli, ["kb", "who", "Grand Poobah", "2024-01-01"])
    assert bad.exit_code == 2 and "cannot read 'Grand Poobah'" in bad.output
    nobody = runner.invoke(cli, ["kb", "person", "Mika Virtanen"])
    assert nobody.exit_code == 0 and "not in the officeholder table" in nobody.output
    broken = _write(tmp_path / "broken.csv", [{"person": "A"}], columns=["person"])
    failed = runner.invoke(cli, ["kb", "person", "A", "--officeholders", str(broken)])
    assert failed.exit_code == 1 and "broken.csv" in failed.output


# --------------------------------------------------------------------------- day sets


days = st.integers(0, 60).map(lambda n: D(2020, 1, 1) + dt.timedelta(days=n))
intervals = st.lists(st.tuples(days, days), max_size=5)


def _as_set(s):
    return {a + dt.timedelta(days=i) for a, b in s for i in range((b - a).days + 1)}


@given(intervals, intervals)
def test_day_sets_agree_with_python_sets(a, b):
    A, B = daysets.dayset(a), daysets.dayset(b)
    assert _as_set(daysets.union(A, B)) == _as_set(A) | _as_set(B)
    assert _as_set(daysets.intersect(A, B)) == _as_set(A) & _as_set(B)
    assert _as_set(daysets.subtract(A, B)) == _as_set(A) - _as_set(B)
    assert daysets.days(A) == len(_as_set(A))
    # canonical: the same days give the same tuple whatever the input order
    assert daysets.dayset(reversed(a)) == A
