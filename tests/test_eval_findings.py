"""`dedupe eval findings`: labels and their parts, scores by part, kind and cause on hand-made
findings, the printed report, story files as input, and the command end to end."""

import json

import pytest
from click.testing import CliRunner

from dedupe.cli import cli
from dedupe.errors import InputError, UsageError
from dedupe.evaluate.ecbplus import EcbDocument
from dedupe.evaluate.findings import (
    CollectionRun,
    FindingsEvaluation,
    format_report,
    sample_findings,
)
from dedupe.evaluate.labels import (
    TEST_SHARE,
    Label,
    Side,
    event_part,
    part_of,
    read_labels,
    score_labels,
)
from dedupe.evaluate.runs import ecb_documents, read_labelled
from dedupe.records import Evidence, Finding

from .conftest import ROOT

SEEDS = ROOT / "evaluation" / "findings" / "seeds.jsonl"
LABELS = ROOT / "evaluation" / "findings" / "labels.jsonl"

NAMES = [f"event-{n}" for n in range(2000)]
TUNE = next(e for e in NAMES if event_part(e) == "tune")
TEST = next(e for e in NAMES if event_part(e) == "test")


def evidence(article, start, end):
    return Evidence("c", article, "src", None, None, "quote", start, end, "v")


def finding(kind, *sides):
    return Finding("f-" + kind + str(sides), kind, "error", 0.9, "e", ("x", "y"), "r", sides)


def label(kind, conflict, *sides, cause=""):
    return Label(kind, conflict, tuple(Side(*s) for s in sides), cause)


def test_a_share_of_events_is_test_by_name_and_a_pair_touching_one_is_test():
    share = sum(event_part(e) == "test" for e in NAMES) / len(NAMES)
    # a binomial share of 2,000 draws has a standard deviation of about 0.01: 0.04 is four
    assert abs(share - TEST_SHARE) < 0.04
    assert [event_part(e) for e in NAMES[:50]] == [event_part(e) for e in NAMES[:50]]
    assert part_of([TUNE, TUNE]) == "tune"
    assert part_of([TUNE, TEST]) == part_of([TEST]) == "test"


# articles a1, a2 report a tune event, b1, b2 a test event; art-z is not among the articles run
GOLD = {"a1": TUNE, "a2": TUNE, "b1": TEST, "b2": TEST}
TRUE_DATE = finding("date", evidence("a1", 0, 50), evidence("a2", 10, 60))
# the same quotes as the date conflict, but a name finding: only a name label judges it
VARIANT_NAME = finding("name", evidence("a1", 0, 50), evidence("a2", 10, 60))
OTHER_HAPPENING = finding("number", evidence("b1", 0, 40), evidence("b2", 0, 40))
UNLABELLED = finding("number", evidence("b1", 100, 140), evidence("b2", 100, 140))
# a title the officeholder table cannot check: a note that claims no conflict
NOTE = Finding("f-note", "officeholder", "info", 0.3, "e", ("x",), "r", (evidence("a1", 0, 9),))
LABELS_BY_HAND = [
    label("date", True, ("a1", 20, 30), ("a2", 0, 20)),
    label("name", False, ("a1", 0, 50), ("a2", 10, 60), cause="variant-of-one-value"),
    label("number", False, ("b1", 0, 40), ("b2", 30, 40), cause="different-happening"),
    label("outcome", True, ("b1", 200, 260), ("b2", 200, 260)),  # a conflict nothing finds
    label("date", True, ("art-z", 0, 10), ("a2", 0, 10)),  # an article not run: ignored
    # nothing finds it and it is no conflict: the kind has nothing to score
    label("antonym", False, ("a1", 300, 310), ("a2", 300, 310), cause="negation-misread"),
]


def test_scores_by_part_kind_and_cause():
    findings = [TRUE_DATE, VARIANT_NAME, OTHER_HAPPENING, UNLABELLED, NOTE]
    scores = score_labels(findings, LABELS_BY_HAND, GOLD)
    assert set(scores) == {"all", "tune", "test"}
    tune, test, every = scores["tune"], scores["test"], scores["all"]
    assert (tune.labels, test.labels, every.labels) == (3, 2, 5)
    assert set(tune.kinds) == {"date", "name"}
    assert set(every.kinds) == {"date", "name", "number", "outcome"}
    assert tune.kinds["date"].as_dict() == {
        "findings": 1, "true": 1, "precision": 1.0, "conflicts": 1, "found": 1, "recall": 1.0
    }  # fmt: skip
    assert (tune.kinds["name"].findings, tune.kinds["name"].true) == (1, 0)
    assert tune.total.precision == 0.5 and tune.false_by_cause == {"variant-of-one-value": 1}
    assert tune.notes == 1 and "officeholder" not in tune.kinds and not tune.unlabelled
    # the test part: one labelled false number finding, one unlabelled, one missed conflict
    assert (test.kinds["number"].findings, test.kinds["number"].true) == (1, 0)
    assert test.unlabelled == [UNLABELLED]
    assert (test.kinds["outcome"].conflicts, test.kinds["outcome"].found) == (1, 0)
    assert test.total.recall == 0.0 and test.false_by_cause == {"different-happening": 1}
    assert every.total.as_dict() == {
        "findings": 3, "true": 1, "precision": round(1 / 3, 4), "conflicts": 2, "found": 1,
        "recall": 0.5,
    }  # fmt: skip
    assert every.false_by_cause == {"variant-of-one-value": 1, "different-happening": 1}
    assert list(score_labels(findings, LABELS_BY_HAND, GOLD, ("test",))) == ["test"]
    with pytest.raises(UsageError, match="unknown part"):
        score_labels(findings, LABELS_BY_HAND, GOLD, ("dev",))


def test_a_finding_matches_a_label_of_its_kind_quoting_each_side():
    date = label("date", True, ("a1", 20, 30), ("a2", 0, 20))
    assert date.matches(TRUE_DATE) and not date.matches(VARIANT_NAME)
    beside = label("date", True, ("a1", 50, 60), ("a2", 0, 20))  # starts where a quote ends
    assert not beside.matches(TRUE_DATE)
    one_side = label("date", True, ("a2", 0, 20))  # a title checked against the table
    assert one_side.matches(TRUE_DATE)


def test_a_label_whose_part_disagrees_with_its_gold_events_is_refused():
    wrong = Label("date", True, (Side("a1", 0, 5), Side("a2", 0, 5)), part="test", where="l:3")
    with pytest.raises(UsageError, match="l:3: the label says part 'test'"):
        score_labels([], [wrong], GOLD)


def test_labels_file_round_trips_the_sample_json_and_refuses_bad_lines(tmp_path):
    result = FindingsEvaluation(
        [CollectionRun("c", 2, 1, [TRUE_DATE], 0.0)], {"a1": TUNE, "a2": TUNE}, []
    )
    line = result.describe(TRUE_DATE) | {"conflict": True}
    path = tmp_path / "labels.jsonl"
    path.write_text(json.dumps(line) + "\n" + json.dumps(line | {"cause": "real: date"}) + "\n")
    first, second = read_labels(path)
    assert first.matches(TRUE_DATE) and first.conflict and first.part is None
    assert second.cause == "real: date" and second.where == f"{path}:2"
    for bad, message in [({"conflict": None}, "conflict"), ({"part": "dev"}, "part")]:
        path.write_text(json.dumps(line | bad) + "\n")
        with pytest.raises(InputError, match=message):
            read_labels(path)


def test_sample_is_seeded_and_capped():
    findings = [TRUE_DATE, VARIANT_NAME, OTHER_HAPPENING]
    assert sample_findings(findings, 2, 7) == sample_findings(list(reversed(findings)), 2, 7)
    assert len(sample_findings(findings, 10, 0)) == 3


def test_the_report_prints_collections_parts_causes_and_what_to_label():
    runs = [
        CollectionRun("wire", 4, 2, [TRUE_DATE, VARIANT_NAME], 1.0),
        CollectionRun("ecb", 2, 1, [OTHER_HAPPENING, UNLABELLED], 2.0),
    ]
    findings = [f for r in runs for f in r.findings]
    result = FindingsEvaluation(runs, GOLD, [], score_labels(findings, LABELS_BY_HAND, GOLD))
    text = format_report(result)
    assert "4 findings on 6 articles in 3 events (66.7 per 100 articles)" in text
    assert "wire                   4       2         2              50.0" in text
    assert "part test: 2 labels on these articles" in text
    assert "false findings by cause: different-happening 1; unlabelled 1; 0 info" in text
    assert "1 findings match no label (label them):" in text and UNLABELLED.id in text
    data = result.as_dict()
    assert data["collections"]["ecb"]["findings_per_100_articles"] == 100.0
    assert data["labels"]["tune"]["false_by_cause"] == {"variant-of-one-value": 1}
    assert [f["id"] for f in data["unlabelled"]] == [UNLABELLED.id]


def test_story_files_and_ecbplus_documents_are_read_as_documents_with_gold(tmp_path):
    path = tmp_path / "s.jsonl"
    lines = [
        {"id": "w1", "story": "reuters-BCV", "text": "Bancroft rebukes Zico.", "topic": "t"},
        {"id": "w2", "story": "reuters-BCV", "text": "Zico raises its offer for Bancroft."},
    ]
    path.write_text("".join(json.dumps(x) + "\n" for x in lines))
    docs = read_labelled(path, None)
    assert docs.records == lines  # written to the run as they are (ingest ignores `story`)
    assert list(docs.gold.values()) == ["reuters-BCV", "reuters-BCV"]
    assert [a.id for a in docs.articles] == list(docs.gold)
    with pytest.raises(InputError, match="not an ECB\\+ document"):
        read_labelled(path, None, "ecbplus")
    ecb = EcbDocument("1_1ecb.xml", 1, "1ecb", "dev", (("A", "fire", "."),))
    assert list(ecb_documents([ecb]).gold.values()) == ["1ecb"]


@pytest.mark.slow
def test_eval_findings_on_story_files_with_labels(tmp_path):
    """The seeds as a story file and a tiny wire story file, each run on its own through
    the real pipeline, scored against the committed labels."""
    wire = tmp_path / "wire.jsonl"
    wire.write_text(
        json.dumps({"id": "w1", "story": "w", "published": "1987-03-02",
                    "text": "Zico Inc said it raised its offer for Bancroft to 40 dlrs a share."})
        + "\n"
    )  # fmt: skip
    store = tmp_path / "stores"
    args = ["eval", "findings", str(SEEDS), str(wire), "--labels", str(LABELS), "--json"]
    result = CliRunner().invoke(cli, [*args, "--store", str(store), "--quiet"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["articles"] == 6 and set(data["collections"]) == {"seeds", "wire"}
    assert data["collections"]["wire"]["findings"] == 0  # one article has nobody to disagree
    assert sorted(p.name for p in store.iterdir() if p.suffix == ".db") == [
        "seeds.db",
        "wire.db",
    ]
    labels = data["labels"]
    assert set(labels) == {"all", "tune", "test"}
    # every finding is in one part: the parts' counts add up to all
    for key in ("findings", "true", "conflicts", "found"):
        assert labels["all"]["all"][key] == labels["tune"]["all"][key] + labels["test"]["all"][key]
    only_test = CliRunner().invoke(cli, [*args, "--store", str(store), "--part", "test", "-q"])
    assert list(json.loads(only_test.output)["labels"]) == ["test"]


def test_an_event_whose_checks_fail_is_named_not_silently_dropped(tmp_path, monkeypatch, caplog):
    """A run drops the findings of an event whose checks raise (and reports it); an
    evaluation must say so too, or its scores would be wrong without a word."""
    from dedupe.checks import dates

    def broken(ctx):
        raise RuntimeError("planted")

    monkeypatch.setattr(dates, "check", broken)
    args = ["eval", "findings", str(SEEDS), "--store", str(tmp_path / "s"), "--json", "-q"]
    with caplog.at_level("WARNING", logger="dedupe.evaluate.runs"):
        result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    warned = [r.getMessage() for r in caplog.records if r.name == "dedupe.evaluate.runs"]
    assert warned and all("checks failed (RuntimeError: planted)" in m for m in warned)
