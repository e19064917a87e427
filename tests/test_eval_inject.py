"""`dedupe eval inject`: the typed edits on hand-made documents, the scores on hand-made
findings, and the command end to end on the ECB+ slice (with `dedupe eval findings` from the
same store; its labels and story files are in test_eval_findings.py)."""

import dataclasses
import datetime as dt
import json
import random

import pytest
from click.testing import CliRunner

from dedupe.claims.names import place_code
from dedupe.claims.times import WEEKDAYS
from dedupe.cli import cli
from dedupe.errors import UsageError
from dedupe.evaluate import edits
from dedupe.evaluate.ecbplus import EcbDocument, read_documents, to_article
from dedupe.evaluate.edits import EventText, changed_number, past, values
from dedupe.evaluate.inject import (
    KINDS,
    TYPES,
    InjectEvaluation,
    Injection,
    Outcome,
    events_with_findings,
    finders,
    gold_events,
    inject,
    locate,
    outcome,
)
from dedupe.evaluate.runs import ecb_documents, refuse_other_articles, run_date
from dedupe.knowledge.places import countries_of, far_apart, level
from dedupe.knowledge.places import disjoint as places_disjoint
from dedupe.records import Evidence, Finding, OfficeTerm

from .conftest import ROOT

SLICE = ROOT / "tests" / "data" / "ecbplus" / "ecbplus_docs.jsonl"


def doc(doc_id, *sentences, subtopic="1ecb"):
    return EcbDocument(doc_id, 1, subtopic, "dev", tuple(tuple(s.split(" ")) for s in sentences))


def event(*docs):
    return EventText(tuple(docs), {d.doc_id: to_article(d).article.published for d in docs})


def rng():
    return random.Random(0)


# ------------------------------------------------------------------------------- numbers


def test_a_number_another_article_gives_is_changed_clearly():
    a = doc("a", "Police said 66-year-old LuAnn Johnson was killed outside the store .")
    b = doc("b", "LuAnn Johnson , 66 , was killed outside the Bloomington store .")
    [edit] = edits.number_edits(event(a, b), a, rng())
    assert (edit.original, edit.replacement) == ("66-year-old", "99-year-old")
    edited = edit.apply(a)
    assert " ".join(edited.sentences[0]) == (
        "Police said 99-year-old LuAnn Johnson was killed outside the store ."
    )


@pytest.mark.parametrize(
    "value,token,new",
    [(61, "61", 92), (0.41, "0.41", 0.62), (2, "two", 4), (3, "3", 6), (1098, "1,098", 1647)],
)
def test_changed_numbers_are_half_as_much_again_or_doubled(value, token, new):
    changed = changed_number(value, token)
    assert changed == pytest.approx(new)
    # never within rounding: at least 40% away from the original
    assert changed >= 1.4 * value


@pytest.mark.parametrize(
    "sentence",
    [
        "more than 66 people were killed outside the store .",  # an open bound
        "between 60 and 70 people were killed outside the store .",  # a range
        "Flight 66 was killed outside the store .",  # a code
        "the store opened on March 66 and people were killed .",  # a day of a month
        "people were killed outside the store in 1966 .",  # a year
        "at 66 p.m. people were killed outside the store .",  # a time
    ],
)
def test_bounds_ranges_codes_dates_years_and_times_are_not_numbers_to_change(sentence):
    a = doc("a", sentence.replace("66", "66", 1))
    b = doc("b", sentence)
    assert edits.number_edits(event(a, b), a, rng()) == []


def test_a_number_the_article_also_gives_elsewhere_is_left_alone():
    # the article would still say 66 in another sentence: no clear conflict
    a = doc("a", "The 66-year-old woman was killed outside the store .", "She was 66 .")
    b = doc("b", "LuAnn Johnson , 66 , was killed outside the store .")
    assert edits.number_edits(event(a, b), a, rng()) == []


def test_a_number_no_other_article_gives_is_left_alone():
    a = doc("a", "The 66-year-old woman was killed outside the store .")
    b = doc("b", "LuAnn Johnson , 70 , was killed outside the store .")
    assert edits.number_edits(event(a, b), a, rng()) == []


# --------------------------------------------------------------------------------- dates


def test_a_day_of_a_month_moves_one_to_three_weeks():
    a = doc("a", "The ceremony will take place in Los Angeles on February 22 .")
    b = doc("b", "ABC will broadcast the ceremony on Feb. 22 .")
    for seed in range(20):
        [edit] = edits.date_edits(event(a, b), a, random.Random(seed))
        month, day = edit.new
        moved = dt.date(2001, values._month(month), int(day))
        assert 7 <= abs((moved - dt.date(2001, 2, 22)).days) <= 20
        assert month in ("Feb.", "February", "March", "Jan.", "January")


def test_weekdays_move_at_least_two_days_and_years_two_to_six_years_back():
    a = doc(
        "a", "The gunman opened fire Friday at the party .", "He was hired in 2005 by the firm ."
    )
    b = doc("b", "Police said the gunman opened fire on Friday .", "The firm hired him in 2005 .")
    for seed in range(20):
        found = {
            e.original: e.replacement for e in edits.date_edits(event(a, b), a, random.Random(seed))
        }
        shift = (WEEKDAYS.index(found["Friday"].lower()) - 4) % 7
        assert min(shift, 7 - shift) >= 2
        assert 2 <= 2005 - int(found["2005"]) <= 6


def test_a_date_stamp_line_is_not_edited():
    a = doc("a", "Friday , Sep 13 , 2013", "The gunman opened fire Friday at the party .")
    b = doc("b", "Police said the gunman opened fire on Friday .")
    found = edits.date_edits(event(a, b), a, rng())
    assert [e.sent_id for e in found] == [1]


# ------------------------------------------------------------------------------ outcomes


@pytest.mark.parametrize(
    "sentence,original,replacement",
    [
        ("LaSalle was charged with murder on Friday .", "was charged", "was not charged"),
        ("LaSalle has been charged with murder on Friday .", "has been charged",
         "has not been charged"),
        ("The Chargers won the murder case on Friday .", "won", "lost"),
    ],
)  # fmt: skip
def test_an_outcome_is_negated_after_its_auxiliary_or_swapped_for_its_opposite(
    sentence, original, replacement
):
    a = doc("a", sentence)
    b = doc("b", "Prosecutors said LaSalle " + sentence.split(" ", 1)[1])
    [edit] = edits.outcome_edits(event(a, b), a, rng())
    assert (edit.original, edit.replacement) == (original, replacement)


@pytest.mark.parametrize(
    "sentence",
    [
        "The gunman fired at the party on Friday .",  # "fired" has a second sense
        "If LaSalle was charged with murder , the claim is stronger .",  # a condition
        "LaSalle will be charged with murder on Friday .",  # a plan
        "LaSalle was not charged with murder on Friday .",  # already negated
        "LaSalle was killed when the driver killed her on Friday .",  # the verb twice
    ],
)
def test_no_outcome_flip_where_it_would_not_contradict(sentence):
    a = doc("a", sentence)
    b = doc("b", sentence.replace(" not ", " "))
    assert edits.outcome_edits(event(a, b), a, rng()) == []


def test_past_forms():
    assert [past(v) for v in ("win", "acquit", "arrest", "release", "ban", "deny")] == [
        "won", "acquitted", "arrested", "released", "banned", "denied",
    ]  # fmt: skip


@pytest.mark.parametrize(
    "sentence",
    [
        "He was stopped around 1 : 30 a . m . Friday .",
        "She was hit about 7 p . m .",
        # ECB+ splits numbers too: "$380,600", a magnitude of 5.9, a phone number
        "The building was valued at about $ 380 , 600 .",
        "A quake with a magnitude of 5 . 9 hit Iran .",
        "Call Crimestoppers on 0800 555111 .",
        # a day of a month whose abbreviation ECB+ split from its dot
        "Jackson is due in court Feb . 17 .",
    ],
)
def test_times_of_day_and_pieces_of_numbers_are_not_edited(sentence):
    # ECB+ splits "1:30 a.m." into tokens; the minutes or the hour changed is another time
    # of day, which the number check rightly never compares with a count; a piece of a split
    # number changed ("380 , 900") is no number any article states
    assert edits.numbers(tuple(sentence.split())) == []


# -------------------------------------------------------------------------------- places


def fake_places(names):
    """A recogniser that calls the given words places."""

    def recognise(texts):
        out = []
        for text in texts:
            spans = []
            for name in names:
                at = text.find(name)
                if at >= 0:
                    spans.append((at, at + len(name), "GPE"))
            out.append(spans)
        return out

    return recognise


def test_a_city_is_swapped_for_a_known_city_far_from_it():
    a = doc("a", "A woman was killed outside a store in Bloomington 's south .")
    b = doc("b", "The woman was killed outside the Bloomington store , Minnesota police said .")
    places = edits.place_spans([a, b], fake_places(["Bloomington", "Minnesota"]))
    [edit] = edits.place_edits(event(a, b), a, rng(), places)
    assert edit.original == "Bloomington"
    # a city of 2 million or more the gazetteer knows, which the place check compares
    assert level(edit.replacement) == "city" and places_disjoint("Bloomington", edit.replacement)
    # no Bloomington (there is one in Illinois, Indiana, Minnesota...) lies within 500 km
    assert far_apart("Bloomington", edit.replacement, edits.places.FAR_KM)
    assert "'s" in edit.apply(a).sentences[0]  # the possessive stays


def test_near_cities_are_not_swapped_in():
    # Chicago (2.7 million people) is 200 km from Bloomington, Illinois: a reader may not
    # see a conflict; from Leeds it is another continent
    assert "Chicago" not in edits.replacements("Bloomington")
    assert "Chicago" in edits.replacements("Leeds")


def test_a_city_is_swapped_for_one_of_its_own_country_where_one_lies_far_enough():
    # as two reports would disagree ("in Bloomington" / "in Houston"), in names a
    # recogniser knows; the UK has no city of a million 500 km from Leeds, so any country's
    assert {countries_of(c) for c in edits.replacements("Bloomington")} == {frozenset({"US"})}
    assert len({countries_of(c) for c in edits.replacements("Leeds")}) > 10


def test_a_state_is_swapped_for_another_state_and_a_country_for_a_country():
    assert "Minnesota" not in edits.replacements("Minnesota")
    assert {level(s) for s in edits.replacements("Minnesota")} == {"division"}
    assert {level(c) for c in edits.replacements("New Zealand")} == {"country"}


def test_a_place_the_gazetteer_does_not_know_is_left_alone():
    # the product never compares a place it does not know (it may lie inside the other):
    # an edit there would test nothing it promises
    a = doc("a", "A woman was killed in Nowherebrook , police said .")
    b = doc("b", "The woman was killed in Nowherebrook on Wednesday .")
    places = edits.place_spans([a, b], fake_places(["Nowherebrook"]))
    assert edits.place_edits(event(a, b), a, rng(), places) == []
    # nor is a name of two kinds ("Georgia": a country and a US state)
    assert edits.replacements("Georgia") == []


def test_a_country_is_swapped_for_a_country_the_event_does_not_name():
    a = doc("a", "The climber fell on New Zealand 's highest peak .")
    b = doc("b", "An Australian climber fell on the highest peak of New Zealand .")
    places = edits.place_spans([a, b], fake_places(["New Zealand"]))
    [edit] = edits.place_edits(event(a, b), a, rng(), places)
    assert edit.original == "New Zealand"
    assert edit.replacement not in ("Australia", "New Zealand")
    assert place_code(edit.replacement) not in (None, "NZL", "AUS")


def test_a_place_that_qualifies_a_noun_or_a_demonym_is_left_alone():
    # the extractor reads "his Texas home" as whose, not where, and never compares it
    a = doc("a", "The talks took place at his Texas home on Thursday .")
    b = doc("b", "The talks took place in Texas on Thursday .")

    def modifier(texts):
        return [[(t.index("Texas"), t.index("Texas") + 5, edits.MODIFIER)] for t in texts]

    assert edits.place_edits(event(a, b), a, rng(), edits.place_spans([a, b], modifier)) == []
    a = doc("a", "The Ukrainian champion dropped Thompson in the sixth .")
    b = doc("b", "The Ukrainian champion stopped Thompson in the sixth round .")
    places = edits.place_spans([a, b], fake_places(["Ukrainian"]))
    assert edits.place_edits(event(a, b), a, rng(), places) == []


def test_a_place_named_twice_in_the_article_is_left_alone():
    a = doc("a", "A woman was killed in Bloomington .", "Bloomington police said so .")
    b = doc("b", "The woman was killed in Bloomington on Wednesday .")
    places = edits.place_spans([a, b], fake_places(["Bloomington"]))
    assert edits.place_edits(event(a, b), a, rng(), places) == []


# ------------------------------------------------------------------------- officeholders


def term(person, start, end, title="President of the United States"):
    return OfficeTerm("USA", "head of state", person, dt.date(*start), dt.date(*end), title=title)


TERMS = {
    ("USA", "head of state"): [
        term("Ronald Reagan", (1981, 1, 20), (1989, 1, 20)),
        term("Bill Clinton", (1993, 1, 20), (2001, 1, 20)),
        term("George Bush", (2001, 1, 20), (2009, 1, 20)),
        term("Barack Obama", (2009, 1, 20), (2017, 1, 20)),
    ]
}


def test_an_officeholder_from_another_period_is_inserted_in_a_dated_article():
    a = doc("a", "May 2 , 2013", "The gunman opened fire .", "Police said so .", "More .", "End .")
    b = doc("b", "The gunman opened fire at the party .")
    found = edits.officeholder_edits(event(a, b), a, rng(), TERMS)
    inserted = {e.replacement for e in found}
    # Obama held the office in 2013; the three latest holders before him are chosen
    assert inserted == {
        "U.S. President George Bush", "U.S. President Bill Clinton", "U.S. President Ronald Reagan"
    }  # fmt: skip
    for edit in found:
        assert edit.insert and edit.sent_id >= 4  # after the title and date stamp lines
        sentence = " ".join(edit.new)
        assert sentence == f"{edit.replacement} commented on the news ."


def test_no_officeholder_in_an_undated_article_or_one_the_event_names():
    a = doc("a", "The gunman opened fire .")
    b = doc("b", "The gunman opened fire at the party .")
    assert edits.officeholder_edits(event(a, b), a, rng(), TERMS) == []
    dated = doc("a", "May 2 , 2013", "Bush and Clinton and Reagan said so .")
    assert edits.officeholder_edits(event(dated, b), dated, rng(), TERMS) == []


# --------------------------------------------------------------------- choosing, locating


def test_each_event_gets_one_injection_chosen_by_seed_and_that_event_alone():
    docs = read_documents(SLICE)
    find = {"number": edits.number_edits, "date": edits.date_edits}
    chosen = inject(docs, "date", 3, find)
    assert len({i.event for i, _ in chosen}) == len(chosen) <= len(gold_events(docs))
    assert [i for i, _ in inject(docs, "date", 3, find)] == [i for i, _ in chosen]
    # the injection in one event does not depend on the other events being there
    first = chosen[0][0]
    alone = inject([d for d in docs if d.subtopic == first.event], "date", 3, find)
    assert alone[0][0] == first
    assert {i for i, _ in inject(docs, "date", 4, find)} != {i for i, _ in chosen}


def test_the_injection_offsets_point_at_the_new_words_in_the_article():
    a = doc("a", "Woman killed", "Police said 66-year-old LuAnn Johnson was killed .")
    b = doc("b", "LuAnn Johnson , 66 , was killed outside the store .")
    [edit] = edits.number_edits(event(a, b), a, rng())
    injection, edited = locate("number", a, edit)
    text = to_article(edited).article.text
    assert text[injection.start : injection.end] == "99-year-old"
    assert injection.sentence == "Police said 99-year-old LuAnn Johnson was killed."
    assert to_article(a).article.id == injection.article_id


# ------------------------------------------------------------------------------- scoring


def evidence(article, start, end):
    return Evidence("c", article, "src", None, None, "quote", start, end, "v")


def finding(kind, *sides):
    return Finding("f-" + kind + str(sides), kind, "error", 0.9, "e", ("x", "y"), "r", sides)


def injection(type_, event_id="1ecb", article="art-a", start=100, end=110):
    return Injection(type_, event_id, "a", article, start, end, "s", "o", "r", "n")


def test_an_injection_is_found_by_a_finding_of_its_kinds_quoting_the_changed_words():
    other = evidence("art-b", 0, 50)
    quoting = evidence("art-a", 90, 105)  # overlaps 100..110
    beside = evidence("art-a", 110, 150)  # starts where the change ends
    assert outcome(injection("date"), [finding("date", other, quoting)]).found
    assert not outcome(injection("date"), [finding("date", other, beside)]).found
    assert not outcome(injection("date"), [finding("number", other, quoting)]).found
    flipped = outcome(injection("outcome"), [finding("antonym", other, quoting)])
    assert flipped.found and flipped.kinds == ("antonym",)
    assert KINDS["outcome"] == ("outcome", "antonym") and set(KINDS) == set(TYPES)


def test_recall_and_false_finding_rate_are_counted_right():
    outcomes = [
        Outcome(injection("date", "1ecb"), ("date",)),
        Outcome(injection("date", "2ecb"), ()),
        Outcome(injection("number", "1ecb"), ("date",)),  # a number quoted only by a date
        Outcome(injection("outcome", "1ecb"), ("antonym",)),
    ]
    clean = [finding("name", evidence("art-1", 0, 5), evidence("art-2", 0, 5))]
    gold = {"art-1": "1ecb", "art-2": "1ecb", "art-3": "2ecb", "art-4": "3ecb"}
    with_findings = events_with_findings(clean, gold, {"1ecb", "2ecb", "3ecb"})
    result = InjectEvaluation(
        outcomes, ("date", "number", "outcome", "place"), 3, 8, clean, len(with_findings), 1.0
    )
    assert result.per_type() == {
        "date": {"n": 2, "found": 1, "recall": 0.5},
        "number": {"n": 1, "found": 0, "recall": 0.0},
        "outcome": {"n": 1, "found": 1, "recall": 1.0},
        "place": {"n": 0, "found": 0, "recall": 0.0},
    }
    assert result.recall == 2 / 4
    assert with_findings == {"1ecb"} and result.false_finding_rate == 1 / 3
    # a note on a title the table cannot check is a finding, but claims no conflict
    note = dataclasses.replace(finding("officeholder", evidence("art-3", 0, 5)), severity="info")
    gold_events = {"1ecb", "2ecb", "3ecb"}
    assert events_with_findings([*clean, note], gold, gold_events) == {"1ecb", "2ecb"}
    assert events_with_findings([*clean, note], gold, gold_events, conflicts_only=True) == {"1ecb"}
    assert result.findings_per_100_articles == 100 / 8
    data = result.as_dict()
    assert {"per_type", "recall", "false_finding_rate", "false_conflict_rate"} <= set(data)
    assert data["other_kinds"]["number"] == {"date": 1}


def test_a_store_holding_other_articles_is_refused(tmp_path):
    from dedupe.store.database import Store

    store = tmp_path / "s.db"
    article = to_article(doc("x", "Some text here .")).article
    with Store.open(store) as s:
        s.save_article(article, [], s.begin_run(dt.datetime(2020, 1, 1), {}), "fp")
    refuse_other_articles(store, {article.id})
    with pytest.raises(UsageError, match="another file or split"):
        refuse_other_articles(store, {"art-other"})


def test_the_run_date_is_the_day_after_the_latest_stated_date():
    docs = [
        doc("a", "May 2 , 2013", "Text ."),
        doc("b", "Aug. 7 , 2012", "Text ."),
        doc("c", "Some text here ."),
    ]
    assert run_date(ecb_documents(docs)) == dt.datetime(2013, 5, 3, tzinfo=dt.UTC)


# ------------------------------------------------------------------- end to end (slow)


@pytest.fixture(scope="module")
def slice_inject(tmp_path_factory, nlp, minilm):
    """`dedupe eval inject` on the slice as JSON (every type), then `eval findings` and the
    inject table from the same store (which the inject run left clean)."""
    store = str(tmp_path_factory.mktemp("inject") / "slice.db")
    runner = CliRunner()
    as_json = runner.invoke(
        cli, ["eval", "inject", str(SLICE), "--json", "--seed", "0", "--store", store, "--quiet"]
    )
    assert as_json.exit_code == 0, as_json.output
    return json.loads(as_json.output), store


@pytest.mark.slow
def test_inject_end_to_end_on_the_slice(slice_inject):
    scores, _ = slice_inject
    assert set(scores["per_type"]) == set(TYPES)
    for row in scores["per_type"].values():
        assert set(row) == {"n", "found", "recall"}
    # the slice has 8 gold events of 4 documents; date, outcome and place find a place in at
    # least 5 of them; number in 3 (times of day, pieces of split numbers and days of months
    # are not edited); officeholder needs an article that states its date (4 events)
    n = {k: v["n"] for k, v in scores["per_type"].items()}
    assert all(n[k] >= 5 for k in ("date", "outcome", "place")) and n["number"] >= 3
    assert 1 <= n["officeholder"] <= 4
    found = sum(v["found"] for v in scores["per_type"].values())
    assert scores["recall"] == round(found / sum(n.values()), 4)
    assert found == sum(item["found"] for item in scores["injections"])
    # floors (trafilatura's eval gate): measured recall 0.500 (14 of 28) and false-finding
    # rate 0.500 (4 of 8 events) when set; 0.423 (11 of 26) and 0.125 (1 of 8) with issue 10's
    # recall pass (fewer, fairer number and place edits). Recall may lose 2 of the 26 before
    # this fails, and 5 more events with a finding on the untouched articles
    assert scores["recall"] >= 0.35
    assert scores["false_finding_rate"] <= 0.75
    assert len(scores["injections"]) == sum(n.values())


@pytest.mark.slow
def test_each_injection_changes_the_text_as_its_type_says(slice_inject, settings):
    scores, _ = slice_inject
    docs = read_documents(SLICE)
    find = finders(docs, TYPES, settings)
    made = [i for kind in TYPES for i in inject(docs, kind, 0, find)]
    # the command injected exactly these (the same seed gives the same injections)
    assert [dataclasses.asdict(i) for i, _ in made] == [
        {k: v for k, v in item.items() if k not in ("found", "kinds")}
        for item in scores["injections"]
    ]
    clean = {d.doc_id: to_article(d).article.text for d in docs}
    for injection, edited in made:
        text = to_article(edited).article.text
        before = clean[injection.doc_id]
        assert text[injection.start : injection.end] == (
            injection.sentence if injection.type == "officeholder" else injection.replacement
        )
        if injection.type == "officeholder":
            # one sentence inserted, naming the officeholder with the title; nothing else
            assert injection.sentence == f"{injection.replacement} commented on the news."
            paragraphs = text.split("\n\n")
            paragraphs.remove(injection.sentence)
            assert "\n\n".join(paragraphs) == before
        else:
            # the original words put back give the clean article: nothing else changed
            assert text[: injection.start] + injection.original + text[injection.end :] == before
            assert injection.original != injection.replacement
        if injection.type == "number":
            words = (injection.original, injection.replacement)
            old, new = (values._number_value(w) for w in words)
            assert new >= 1.4 * old
        if injection.type == "place":
            assert injection.replacement not in before


@pytest.mark.slow
def test_inject_table_and_findings_from_the_same_store(slice_inject):
    scores, store = slice_inject
    runner = CliRunner()
    table = runner.invoke(
        cli, ["eval", "inject", str(SLICE), "--type", "date", "--store", store, "--quiet"]
    )
    assert table.exit_code == 0, table.output
    assert table.output.startswith("type") and "\ndate " in table.output
    found = runner.invoke(
        cli, ["eval", "findings", str(SLICE), "--sample", "3", "--json", "--store", store]
    )
    assert found.exit_code == 0, found.output
    data = json.loads(found.output)
    # the sample holds 3 findings, or all of them when the slice has fewer
    assert data["articles"] == 32 and len(data["sample"]) == min(3, data["findings"]) > 0
    assert sum(data["by_kind"].values()) == data["findings"]
    assert data["per_100_articles"] == {
        k: round(100 * v / 32, 1) for k, v in data["by_kind"].items()
    }
    assert data["findings_per_100_articles"] == scores["findings_per_100_articles"]
    for item in data["sample"]:
        assert len(item["evidence"]) >= 2 and item["conflict"] is None
        assert all(e["quote"] and e["gold_event"] for e in item["evidence"])


def test_unknown_types_are_refused():
    from dedupe.evaluate.inject import evaluate_injections
    from dedupe.settings import Settings

    with pytest.raises(UsageError, match="unknown injection type"):
        evaluate_injections([], Settings(), types=["weather"])


def test_injection_records_are_plain_data():
    assert dataclasses.asdict(injection("date"))["type"] == "date"


def test_the_command_offers_exactly_the_injection_types():
    command = cli.commands["eval"].commands["inject"]
    option = next(p for p in command.params if p.name == "types")
    assert tuple(option.type.choices) == TYPES
