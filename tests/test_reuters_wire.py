"""Reuters-style wire copy: different companies' reports are different events (the silver
negatives of `dedupe eval events --reuters`), with the real spaCy, MiniLM and grouping."""

import numpy as np
import pytest

from dedupe.errors import InputError
from dedupe.evaluate.reuters import (
    different_companies,
    false_merges,
    group_slice,
    load_slice,
    negative_pairs,
    read_reuters,
    tickers,
)
from dedupe.evaluate.tune import fit_same_event

# written for this project in the Reuters-21578 SGML layout: four companies report results on
# one day in the wire template, one of them also declares a dividend; two documents lack a
# body or a date and are skipped
EARNINGS = [
    ("Harnwell Industries Inc <HWL> 4th Qtr Net", "Harnwell", "12", "10", "4.1", "3.2"),
    ("Pittmore Corp <PTM> 4th Qtr Net", "Pittmore", "45", "51", "18.7", "20.9"),
    ("Qedra Exploration Inc <QDX> 2nd Qtr Net", "Qedra", "3", "2", "0.4", "0.3"),
    ("Kevlin Corp <KVN> 1st Qtr Net", "Kevlin", "88", "70", "31.0", "26.5"),
]


def sgml(newid: int, title: str, body: str | None, date: str | None = "2-MAR-1987") -> str:
    parts = [f'<REUTERS TOPICS="YES" NEWID="{newid}">']
    if date:
        parts.append(f"<DATE> {date} 10:15:00.00</DATE>")
    parts.append(f"<TEXT><TITLE>{title.upper()}</TITLE>")
    if body is not None:
        parts.append(f"<BODY>{body}\n Reuter\n</BODY>")
    parts.append("</TEXT></REUTERS>")
    return "\n".join(parts)


def earnings(company: str, shr: str, before: str, net: str, net_before: str) -> str:
    return (
        f"    Shr {shr} cts vs {before} cts\n    Net {net} mln vs {net_before} mln\n"
        f"    Revs 210.5 mln vs 198.2 mln\n    {company} said results reflected higher "
        "sales in its main markets and lower interest costs."
    )


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    path = tmp_path_factory.mktemp("reuters")
    docs = [sgml(n + 1, t, earnings(*rest)) for n, (t, *rest) in enumerate(EARNINGS)]
    docs.append(
        sgml(
            5,
            "Harnwell Industries Inc <HWL> Sets Dividend",
            "    Harnwell Industries Inc said its board declared a quarterly dividend of 10 "
            "cts a share, payable April 1 to holders of record March 15.",
        )
    )
    docs.append(sgml(6, "Empty Story <EMP>", None))
    docs.append(sgml(7, "Undated Story <UND>", "    Some text.", date=None))
    (path / "reut2-000.sgm").write_bytes("\n".join(docs).encode("latin-1"))
    return path


def test_reads_wire_records_and_skips_bodiless_or_undated_ones(folder):
    records = list(read_reuters(folder))
    assert [r["id"] for r in records] == [f"reuters-{n}" for n in range(1, 6)]
    first = records[0]
    assert first["title"] == "Harnwell Industries Inc <Hwl> 4Th Qtr Net"
    assert first["published"] == "1987-03-02" and first["text"].startswith("Shr 12 cts")
    assert "Reuter" not in first["text"]


def test_an_empty_folder_is_a_clear_error(tmp_path):
    with pytest.raises(InputError, match="reut2"):
        list(read_reuters(tmp_path))


def test_tickers_tell_companies_apart():
    assert tickers("Banner <Bnr> Completes Tender For Rexnord <Rex>") == {"BNR", "REX"}
    assert different_companies(frozenset({"BNR"}), frozenset({"PRY"}))
    assert not different_companies(frozenset({"BNR", "REX"}), frozenset({"REX"}))
    assert not different_companies(frozenset(), frozenset({"PRY"}))  # no ticker: unknown


def test_false_merges_count_pairs_of_different_companies():
    names = {"a": frozenset({"X"}), "b": frozenset({"Y"}), "c": frozenset({"X"}), "d": frozenset()}
    counted = false_merges([("a", "b", "c", "d")], names)
    # a-b and b-c name different companies, a-c the same one; d names none
    assert (counted.merged, counted.different, counted.largest) == (3, 2, 4)


def test_each_corpus_weighs_alike_however_many_pairs_it_has():
    rng = np.random.default_rng(0)
    F = rng.random((1100, 2))
    # 1,000 pairs of one corpus where the first signal decides, 100 of another where the
    # second does
    y = np.concatenate([F[:1000, 0] > 0.5, F[1000:, 1] > 0.5])
    alike = np.concatenate([np.full(1000, 1100 / 2 / 1000), np.full(100, 1100 / 2 / 100)])
    plain = fit_same_event(F, y, np.zeros((0, 2)), np.ones(len(F))).coef_[0]
    weighed = fit_same_event(F, y, np.zeros((0, 2)), alike).coef_[0]
    # weighed alike, the small corpus's signal counts about as much as the large one's
    assert weighed[1] / weighed[0] > 2 * plain[1] / plain[0]
    assert weighed[1] / weighed[0] > 0.5


def test_extra_negatives_lower_the_probability_of_what_they_look_like():
    rng = np.random.default_rng(0)
    F = rng.random((200, 2))
    y = F[:, 0] > 0.5  # the first signal decides
    look_alike = np.array([[0.9, 0.9]])  # a strong first signal, yet two events
    plain = fit_same_event(F, y, np.zeros((0, 2)), np.ones(len(F)))
    taught = fit_same_event(F, y, np.repeat(look_alike, 50, axis=0), np.ones(len(F)))
    assert taught.predict_proba(look_alike)[0, 1] < plain.predict_proba(look_alike)[0, 1]


@pytest.mark.slow
def test_different_companies_reports_stay_apart(folder, settings, minilm, tmp_path):
    wire = load_slice(folder, 0, 10, settings, tmp_path / "wire.db", embedder=lambda: minilm)
    assert len(wire.profiles) == 5
    pairs = negative_pairs(wire, settings)
    # the template makes the four results reports each other's candidates
    assert len(pairs) >= 6
    assert all(
        different_companies(wire.tickers[a.article.id], wire.tickers[b.article.id])
        for a, b in pairs
    )
    # with the shipped weights (fitted with such pairs as negatives) no two companies merge
    assert false_merges(group_slice(wire, settings), wire.tickers).different == 0
    # weights fitted on ECB+ train alone (bias, then FEATURES; its first-sentence cut and
    # FNC-1 left out too) put look-alike results of one day into one event
    ecb_only = settings.replace(
        event_weights=(
            -7.33,
            3.86,
            3.28,
            3.57,
            0.49,
            3.39,
            4.79,
            1.54,
            1.63,
            2.01,
            0.94,
            0.43,
            0.46,
            1.21,
            0.0,  # other_names, added later
        ),
        event_threshold=0.15,
    )
    assert false_merges(group_slice(wire, ecb_only), wire.tickers).different > 0


def test_wire_slice_scores_the_precision_of_events_against_companies():
    import datetime as dt

    from dedupe.evaluate.reuters import WireSlice
    from dedupe.evaluate.tune import _wire_precision
    from dedupe.settings import Settings

    from .test_events import profile

    day = dt.date(1987, 3, 2)
    profiles = [profile(n, day, [1, 0]) for n in "abcd"]
    names = {
        "a": frozenset({"X"}),
        "b": frozenset({"Y"}),
        "c": frozenset({"X"}),
        "d": frozenset(),
    }
    scores = {("a", "b"): 0.9, ("c", "d"): 0.9}
    wire = WireSlice(profiles, names)
    # a and b (different companies) in one event: each is half right; c, alone among the
    # named articles whatever d (no ticker, not scored) does, is right
    assert _wire_precision(wire, scores, Settings(event_threshold=0.5)) == pytest.approx(
        (0.5 + 0.5 + 1.0) / 3
    )
    assert _wire_precision(wire, scores, Settings(event_threshold=0.95)) == 1.0
