"""Reading ECB+ documents as articles: detokenising, the dates the text states, gold data."""

import dataclasses
import datetime as dt
import json

import pytest

from dedupe.errors import InputError
from dedupe.evaluate.ecbplus import (
    EcbDocument,
    detokenize,
    read_documents,
    read_mentions,
    stamp_date,
    to_article,
    url_date,
)
from dedupe.evaluate.events import _inflects, gold_claim_clusters
from dedupe.records import Claim, Span

from .conftest import ROOT


def toks(text: str) -> tuple[str, ...]:
    return tuple(text.split(" "))


SLICE = ROOT / "tests" / "data" / "ecbplus" / "ecbplus_docs.jsonl"


def test_detokenize_joins_punctuation_quotes_and_split_hyphens():
    tokens = toks("`` We 're here , '' said the 33-year-old 's rep ( Jack ) .")
    text, starts = detokenize(tokens)
    assert text == "\"We're here,\" said the 33-year-old's rep (Jack)."
    assert [text[s : s + len(t)] for s, t in zip(starts, tokens, strict=True)][6:9] == [
        "said",
        "the",
        "33-year-old",
    ]
    text, _ = detokenize(toks("a 90 - day court - mandated stay on 05 / 03 / 2013 at 1 : 32"))
    assert text == "a 90-day court-mandated stay on 05/03/2013 at 1:32"
    # numbers split at their separators are one number again; a year before a count is not
    text, _ = detokenize(toks("stole £910 , 000 as stocks fell 5 . 4 % in 1990 , 300 left"))
    assert text == "stole £910,000 as stocks fell 5.4% in 1990, 300 left"
    assert detokenize(toks("a necklace worth £1 . 2m"))[0] == "a necklace worth £1.2m"


@pytest.mark.parametrize(
    "line,expected",
    [
        ("May 03 , 2013".replace(" ,", ","), dt.date(2013, 5, 3)),
        ("PUBLISHED: THURSDAY, MAY 2, 2013, 1:32 PM", dt.date(2013, 5, 2)),
        ("Posted on Thu Jun 13, 2013 08:45 AM PDT", dt.date(2013, 6, 13)),
        ("Last updated 13:26 14/09/2013", dt.date(2013, 9, 14)),  # day first: 14 > 12
        ("UPDATED 05/03/2013 at 11:00 AM EDT", dt.date(2013, 5, 3)),  # US order
        ("12/16/08 1:30 AM EST", dt.date(2008, 12, 16)),
        ("published:2012-04-04 11:47:35", dt.date(2012, 4, 4)),
        ("Story Created:Aug 7, 2012 at 9:56 AM AKDT", dt.date(2012, 8, 7)),
        (
            "On behalf of Newman, Anzalone & Newman, LLP. posted in Hit and Run Accidents on "
            "Friday, September 20, 2013.",
            dt.date(2013, 9, 20),
        ),
        # a sentence that names a date is not a date stamp
        ("Page was born April 22, 1923, in Nashville, Tennessee.", None),
        ("Dec. 24 4:33 AM EST", None),  # no year: the text does not say which
    ],
)
def test_stamp_date(line, expected):
    assert stamp_date([line]) == expected


def test_url_date():
    assert url_date("http://articles.latimes.com/2013/may/03/local/la-me") == dt.date(2013, 5, 3)
    assert url_date("http://nypost.com/2013/05/02/lindsay-lohan/") == dt.date(2013, 5, 2)
    assert url_date("http://omaha.com/article/20130308/BLUEJAYS/703089893") == dt.date(2013, 3, 8)
    assert url_date("http://www.mlbtraderumors.com/2008/12/red-sox-make--1.html") is None
    assert url_date(None) is None


def test_documents_become_articles_without_gold_information():
    plus = EcbDocument(
        doc_id="1_10ecbplus.xml",
        topic=1,
        subtopic="1ecbplus",
        split="train",
        sentences=(
            toks("http : / / nypost . com / 2013 / 05 / 02 / lohan /"),
            toks("Lindsay Lohan checks into Betty Ford Center"),
            toks("May 03 , 2013"),
            toks("Lindsay Lohan has checked into the Betty Ford Center ."),
        ),
    )
    read = to_article(plus)
    article = read.article
    assert article.url == "http://nypost.com/2013/05/02/lohan/"
    assert article.title == "Lindsay Lohan checks into Betty Ford Center"
    assert article.published == dt.date(2013, 5, 3)  # the date line wins over the URL
    assert "1ecbplus" not in json.dumps(dataclasses.asdict(article), default=str)
    assert read.sentences[article.text.split("\n\n")[-1]].sent_id == 3
    # gold token ids count over the whole document from 1: 16 + 7 + 4 tokens come first
    assert read.sentences[article.text.split("\n\n")[-1]].first_token == 28
    plain = dataclasses.replace(
        plus, doc_id="1_1ecb.xml", subtopic="1ecb", sentences=plus.sentences[3:]
    )
    assert to_article(plain).article.published is None  # the original ECB states no date


def test_reading_the_slice_and_its_errors(tmp_path):
    docs = read_documents(SLICE)
    assert len(docs) == 32  # four documents from each of eight subtopics (README.txt there)
    assert {d.split for d in docs} == {"dev"}
    assert read_documents(SLICE, "dev") == docs
    with pytest.raises(InputError, match="no documents in split 'train'"):
        read_documents(SLICE, "train")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"doc_id": "x"}\nnot json\n')
    with pytest.raises(InputError, match="bad.jsonl:1: not an ECB"):
        read_documents(bad)
    mentions = read_mentions(SLICE.with_name("ecbplus_event_mentions.jsonl"), {docs[0].doc_id})
    assert mentions and {m.doc_id for m in mentions} == {docs[0].doc_id}


def test_claims_align_with_the_mention_their_predicate_is():
    doc = EcbDocument(
        "9_1ecb.xml",
        9,
        "9ecb",
        "dev",
        (toks("Reid checked into rehab , her rep told People ."),),
    )
    read = to_article(doc)
    text = read.article.text
    from dedupe.evaluate.ecbplus import GoldMention

    mentions = [
        GoldMention("9_1ecb.xml", 0, (2, 3), "checked into", "ACT1", True),
        GoldMention("9_1ecb.xml", 0, (8,), "told", "ACT2", True),
    ]
    sentence = Span(0, len(text), text)
    claims = [
        Claim("c1", read.article.id, sentence, predicate="check"),
        Claim("c2", read.article.id, sentence, predicate="tell"),
        Claim("c3", read.article.id, sentence, predicate="want"),
    ]
    assert gold_claim_clusters([read], claims, mentions) == {"c1": "ACT1", "c2": "ACT2"}
    assert _inflects("die", "died") and _inflects("fire", "fired") and not _inflects("win", "lost")
