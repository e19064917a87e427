"""Story files for `dedupe eval events`: the JSON-lines reader, the FNC-1 and ECB+ converters
on tiny hand-made inputs, and one end-to-end run of the command with the real pipeline."""

import dataclasses
import json

import pytest
from click.testing import CliRunner

from dedupe.cli import cli
from dedupe.errors import InputError
from dedupe.evaluate.ecbplus import EcbDocument
from dedupe.evaluate.stories import (
    FNC1_DAY,
    describe,
    ecbplus_cut,
    fnc1_stories,
    is_story_file,
    read_stories,
    sample_stories,
    story_split,
    story_topics,
)


def write_lines(path, *lines):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def item(id, story, text, **more):
    return json.dumps({"id": id, "story": story, "text": text, **more})


def test_reads_a_good_file_with_splits_dates_and_topics(tmp_path):
    path = write_lines(
        tmp_path / "s.jsonl",
        item(
            "a", "fire", "A fire hit the old mill.", published="2024-03-01", topic="t", split="dev"
        ),
        "",
        item("b", "fire", "Mill fire kills two.", title="Mill fire", topic="t", split="dev"),
        item("c", 7, "Storm closes port.", topic="t", split="train"),
    )
    assert is_story_file(path)
    items = read_stories(path)
    assert [i.story for i in items] == ["fire", "fire", "7"]
    assert str(items[0].article.published) == "2024-03-01"
    assert items[1].article.title == "Mill fire"
    assert story_topics(items) == {i.article.id: "t" for i in items}
    dev = read_stories(path, "dev")
    assert [i.split for i in dev] == ["dev", "dev"]


def test_without_topics_sibling_merge_is_undefined(tmp_path):
    path = write_lines(tmp_path / "s.jsonl", item("a", "x", "One."), item("b", "y", "Two."))
    assert story_topics(read_stories(path)) is None


@pytest.mark.parametrize(
    "bad, message",
    [
        ("{not json", "invalid JSON line"),
        (json.dumps({"id": "b", "text": "No label here."}), 'missing "story"'),
        (json.dumps({"id": "b", "story": " ", "text": "Blank label."}), 'missing "story"'),
        (json.dumps({"id": "b", "story": ["x"], "text": "A list."}), '"story" must be'),
        (json.dumps({"story": "x", "text": "No id."}), 'missing "id"'),
        (json.dumps({"id": "b", "story": "x"}), '"text"'),
        (item("b", "x", "Bad date.", published="2024-13-01"), "YYYY-MM-DD"),
        (item("a", "x", "Same id again."), "same article as"),
    ],
)
def test_a_bad_line_is_reported_with_its_file_and_line(tmp_path, bad, message):
    path = write_lines(tmp_path / "s.jsonl", item("a", "x", "Fine."), "", bad)
    with pytest.raises(InputError) as caught:
        read_stories(path)
    assert f"{path}:3" in str(caught.value)
    assert message in str(caught.value)


def test_an_empty_split_is_an_error(tmp_path):
    path = write_lines(tmp_path / "s.jsonl", item("a", "x", "Fine.", split="train"))
    with pytest.raises(InputError, match="no items in split 'dev'"):
        read_stories(path, "dev")


def test_ecbplus_documents_are_not_a_story_file(tmp_path):
    doc = {"doc_id": "1_1ecb.xml", "topic": 1, "subtopic": "1ecb", "split": "dev",
           "sentences": [{"sent_id": 0, "text": "A fire ."}]}  # fmt: skip
    assert not is_story_file(write_lines(tmp_path / "e.jsonl", json.dumps(doc)))


STANCES = """Headline,Body ID,Stance
Spider found in man's ear,1,agree
Spider found in man's ear,2,discuss
"Spider  found in man's ear",3,unrelated
Banksy arrested in London,3,disagree
Banksy arrested in London,1,unrelated
Lone headline nobody reports,2,unrelated
"""
BODIES = """Body ID,articleBody
1,"A doctor found a spider in the ear of a man in China."
2,"Reports say a spider lived in a man's ear for days."
3,"Police deny that the street artist Banksy was arrested."
4,"A body no headline is paired with."
"""


def test_fnc1_stories_are_the_components_of_related_pairs(tmp_path):
    stances = tmp_path / "train_stances.csv"
    bodies = tmp_path / "train_bodies.csv"
    stances.write_text(STANCES, encoding="utf-8")
    bodies.write_text(BODIES, encoding="utf-8")
    records = fnc1_stories(stances, bodies)
    story = {r["text"][:12]: r["story"] for r in records}
    # 3 distinct headlines (the doubled space is the same headline) and 4 bodies
    assert len(records) == 7
    assert story["Spider found"] == story["A doctor fou"] == story["Reports say "] == "fnc1-b1"
    assert story["Banksy arres"] == story["Police deny "] == "fnc1-b3"
    assert story["A body no he"] == "fnc1-b4"
    assert story["Lone headlin"] == "fnc1-h2"  # only unrelated pairs: a story of its own
    # FNC-1 gives no dates: all items are dated one day, so time tells no story apart
    assert {r["published"] for r in records} == {FNC1_DAY}
    assert all(r["split"] == story_split(r["story"]) for r in records)
    assert describe(records).startswith("7 items, 4 stories")


def test_fnc1_body_missing_from_bodies_names_the_line(tmp_path):
    stances = tmp_path / "s.csv"
    bodies = tmp_path / "b.csv"
    stances.write_text("Headline,Body ID,Stance\nX,9,agree\n", encoding="utf-8")
    bodies.write_text(BODIES, encoding="utf-8")
    with pytest.raises(InputError, match=r"s\.csv:2.*body 9"):
        fnc1_stories(stances, bodies)


def test_story_split_is_stable_and_about_seventy_thirty():
    splits = [story_split(f"story-{n}") for n in range(2000)]
    assert splits == [story_split(f"story-{n}") for n in range(2000)]
    # 30% dev; 2000 draws put the share within 0.27-0.33 (about 3 standard deviations)
    assert 0.27 < splits.count("dev") / 2000 < 0.33
    with pytest.raises(ValueError, match="between 0 and 1"):
        story_split("x", 1.5)


def test_sample_keeps_whole_stories_and_grows_by_adding():
    records = [{"id": str(n), "story": f"s{n % 5}"} for n in range(20)]
    two, three = sample_stories(records, 2), sample_stories(records, 3)
    assert len({r["story"] for r in two}) == 2 and len(two) == 8
    assert {r["id"] for r in two} < {r["id"] for r in three}


def ecb(doc_id, subtopic, *sentences):
    return EcbDocument(doc_id, 1, subtopic, "dev", tuple(tuple(s.split()) for s in sentences))


def test_ecbplus_cut_keeps_first_sentences_labels_and_stated_dates():
    docs = [
        ecb("1_1ecbplus.xml", "1ecbplus",
            "http : / / news . example . com / 2013 / 05 / 03 / lohan", "Lohan checks into rehab",
            "May 03 , 2013", "Lindsay Lohan has checked into the Betty Ford Center ."),
        ecb("1_2ecb.xml", "1ecb", "Tara Reid checked into rehab , her rep said .",
            "She is 33 ."),
    ]  # fmt: skip
    first = ecbplus_cut(docs, "first")
    assert [r["text"] for r in first] == [
        "Lohan checks into rehab",
        "Tara Reid checked into rehab, her rep said.",
    ]
    assert first[0]["published"] == "2013-05-03"  # the URL's day, as the whole text states
    assert first[0]["url"].startswith("http://news.example.com")
    assert "published" not in first[1]
    assert [(r["story"], r["topic"], r["split"]) for r in first] == [
        ("1ecbplus", "1", "dev"),
        ("1ecb", "1", "dev"),
    ]
    both = ecbplus_cut(docs, "title+first")
    # the date line is skipped: the text is the first sentence after the title
    assert both[0]["title"] == "Lohan checks into rehab"
    assert both[0]["text"].startswith("Lindsay Lohan has checked")
    assert both[1]["text"] == "She is 33."
    with pytest.raises(ValueError, match="cut must be one of"):
        ecbplus_cut(docs, "lede")
    # two ECB+ documents with one URL (as 14_4 and 14_5 have): the second keeps no URL, so
    # that the two stay two articles
    twins = [docs[0], dataclasses.replace(docs[0], doc_id="1_3ecbplus.xml")]
    assert [("url" in r) for r in ecbplus_cut(twins, "first")] == [True, False]


@pytest.mark.slow
def test_eval_events_scores_a_story_file_with_the_real_pipeline(tmp_path):
    lines = [
        item("q1", "quake", "A magnitude 6.1 earthquake struck central Italy on Monday, "
             "killing 12 people in the town of Amatrice.", published="2016-08-22"),
        item("q2", "quake", "Twelve people died when an earthquake hit Amatrice in central "
             "Italy on Monday.", published="2016-08-22"),
        item("q3", "quake", "Rescuers in Amatrice searched for survivors of Monday's "
             "earthquake in central Italy.", published="2016-08-23"),
        item("m1", "merger", "Bayer agreed to buy Monsanto for 66 billion dollars on "
             "Wednesday, the largest deal of the year.", published="2016-09-14"),
        item("m2", "merger", "Monsanto accepted a 66 billion dollar takeover offer from "
             "Bayer on Wednesday.", published="2016-09-14"),
    ]  # fmt: skip
    path = write_lines(tmp_path / "stories.jsonl", *lines)
    result = CliRunner().invoke(cli, ["eval", "events", str(path), "--json", "--quiet"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)
    ours = scores["dedupe"]
    assert "claims_conll_f1" not in ours  # no gold event mentions in a story file
    assert ours["sibling_merge"] is None  # no topics given
    assert ours["n_gold"] == 2
    # two events nine weeks apart with no shared words: they must never be merged (the month
    # limit alone forbids it), so B³ precision is perfect
    assert ours["b3_precision"] == 1.0
    assert set(scores["baselines"]) == {"tfidf", "minilm_doc"}
    table = CliRunner().invoke(cli, ["eval", "events", str(path), "--quiet"])
    assert table.exit_code == 0, table.output
    assert "events (gold)" in table.output and "claims:" not in table.output


def test_eval_events_reports_a_missing_story_with_its_line(tmp_path):
    path = write_lines(tmp_path / "s.jsonl", item("a", "x", "Fine."), '{"id": "b", "text": "t"}')
    result = CliRunner().invoke(cli, ["eval", "events", str(path), "--format", "stories"])
    assert result.exit_code != 0
    assert f"{path}:2" in result.output and 'missing "story"' in result.output
