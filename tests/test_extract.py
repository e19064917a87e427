"""Claim extraction with the real spaCy pipeline."""

import datetime as dt

import pytest

from dedupe.claims.extract import extract_claims
from dedupe.claims.quantities import AGE
from dedupe.ingest.read import article_from_record
from dedupe.records import Article

pytestmark = pytest.mark.slow


def claims_of(nlp, text, published="2025-10-18"):
    article = article_from_record({"text": text, "published": published}, "mem")
    [(_, claims)] = list(extract_claims([article], nlp))
    return article, claims


def test_offsets_point_at_the_quoted_sentence(nlp):
    article, claims = claims_of(
        nlp,
        "Big News Today\n\nThe council approved the budget on "
        "Friday. Critics said it was too small.",
    )
    assert claims
    for c in claims:
        assert article.text[c.sentence.start : c.sentence.end] == c.text


def test_declined_to_approve_and_relative_friday(nlp):
    _, [c] = claims_of(
        nlp,
        "President Donald Trump declined to approve the transfer of "
        "Tomahawk missiles during Friday's visit.",
    )
    assert c.predicate == "decline approve" and c.modality == "asserted"
    assert c.when == (dt.date(2025, 10, 17), dt.date(2025, 10, 17))
    [role] = c.roles
    assert (role.person, role.title, role.person_key) == ("Donald Trump", "President", "per:trump")


@pytest.mark.parametrize(
    "sentence,modality,negated",
    [
        ("Zelensky will meet Biden at the White House next week.", "planned", False),
        ("The administration is weighing the request for long-range missiles.", "planned", False),
        ("The Senate did not pass the bill on Tuesday.", "asserted", True),
        ("Officials reportedly captured three soldiers near the border.", "reported", False),
        ("The missiles could change the balance of the war.", "hypothetical", False),
        # questions assert nothing (FNC-1 headlines: "Was The Batmobile Stolen In Detroit?"
        # was reported as contradicting "Batmobile wasn't stolen")
        ("Was The Batmobile Stolen In Detroit?", "hypothetical", False),
        ("Are missing students in mass graves found?", "hypothetical", False),
        ('He said: "Who stole the car?"', "hypothetical", False),
        # a wish or a condition asserts nothing, nor does what people think
        ("If Only A Bird Really Did Land on the Podium", "hypothetical", False),
        ("People On Twitter Think The Singer Has Joined The Rebels", "reported", False),
        ("Officials believe the suspect fled to Canada.", "reported", False),
    ],
)
def test_modality_and_polarity(nlp, sentence, modality, negated):
    _, claims = claims_of(nlp, sentence)
    assert (claims[0].modality, claims[0].negated) == (modality, negated)


def test_name_variants_in_one_article_share_a_key(nlp):
    _, claims = claims_of(
        nlp,
        "Volodymyr Zelensky met reporters in Kyiv. Zelenskyy said the "
        "talks went well. Zelenskiy then left for Warsaw.",
    )
    keys = {e.key for c in claims for e in c.entities if e.label == "PERSON"}
    assert keys == {"per:zelensky"}


def test_numbers_carry_unit_and_counted_noun(nlp):
    _, claims = claims_of(
        nlp,
        "The United Kingdom has delivered approximately 85,000 drones "
        "to Ukraine, and the Netherlands pledged $100 million.",
    )
    found = {(q.unit, q.head) for c in claims for q in c.quantities}
    assert ("count", "drone") in found and any(u == "USD" for u, _ in found)


def test_a_currency_symbol_outside_the_entity_still_counts(nlp):
    # spaCy tags "$4bn" as the MONEY entity "4bn"; the "$" before it makes it dollars
    article, claims = claims_of(nlp, "The company guided for sales of $4bn in 2023.")
    [q] = [q for c in claims for q in c.quantities]
    assert (q.span.text, q.unit, q.value) == ("$4bn", "USD", 4e9)
    assert article.text[q.span.start : q.span.end] == "$4bn"


@pytest.mark.parametrize(
    ("text", "written", "value"),
    [
        ("High school student scores $72M playing the stock market.", "$72M", 72e6),
        ("The start-up raised $1.7m from investors on Monday.", "$1.7m", 1.7e6),
        ("The council spent $72 on coffee.", "$72", 72.0),
    ],
)
def test_a_scale_suffix_written_onto_a_number_is_part_of_it(nlp, text, written, value):
    # a headline's "$72M" was read as 72 dollars, so "$72 Million" elsewhere "disagreed"
    _, claims = claims_of(nlp, text)
    [q] = [q for c in claims for q in c.quantities]
    assert (q.span.text, q.unit, q.value) == (written, "USD", value)


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        # ECB+ train: "$1.52 million" (a conversion of US$1 million) against another
        # article's "one-million dollars" was reported as a conflict of amounts
        ("Damage was estimated at $1 million (£650,000), police said.", ["$1 million"]),
        ("The company lost 30 million euros ($41 million) in the quarter.", ["30 million"]),
        # a second figure in brackets that is no conversion of the first is kept
        ("Sales rose to $5 million (up from $3 million) last year.", ["$5 million", "$3 million"]),
    ],
)
def test_an_amount_converted_in_brackets_is_not_a_second_figure(nlp, text, kept):
    _, claims = claims_of(nlp, text)
    assert [q.span.text for c in claims for q in c.quantities] == kept


def test_a_decade_written_with_an_apostrophe_is_a_decade(nlp):
    # spaCy tags "1940" of "the 1940's" as the date, which read as the year 1940 (ECB+ train:
    # "swam to stardom in the 1940's" vs "musicals of the 1940s and 1950s")
    _, claims = claims_of(nlp, "Esther Williams, who swam to stardom in the 1940's, dies at 91.")
    times = [(t.span.text, str(t.start), str(t.end)) for c in claims for t in c.times]
    assert times == [("1940's", "1940-01-01", "1949-12-31")]


@pytest.mark.parametrize(
    ("text", "written", "age"),
    [
        # spaCy calls every one of these ages a DATE, so no number check saw them
        ("Police said 66-year-old LuAnn Johnson was killed outside the store.", "66-year-old", 66),
        ("Cheeks, 48, a four-time NBA all-star, was fired from the Blazers.", "48", 48),
        ("A man aged 61 was charged with murder on Friday.", "61", 61),
    ],
)
def test_ages_are_read_as_ages(nlp, text, written, age):
    _, claims = claims_of(nlp, text)
    ages = [q for c in claims for q in c.quantities if q.unit == AGE]
    assert [(q.span.text, q.value, q.head) for q in ages] == [(written, age, AGE)]


def test_a_date_set_off_by_commas_is_no_age(nlp):
    _, claims = claims_of(nlp, "On March 3, 2009, the coach was fired by the team.")
    assert not [q for c in claims for q in c.quantities if q.unit == AGE]


@pytest.mark.parametrize(
    ("text", "places"),
    [
        ("The train derailed near Leeds on Monday.", ["Leeds"]),
        ("Police in Kansas City said the rumor was false.", ["Kansas City"]),
        # a place that qualifies a noun says whose or which, not where: FNC-1 headlines gave
        # "US" (journalist) vs "Iraq" (where he was killed) as a place conflict
        ("Isis claims to behead US journalist", []),
        ("A New York court ruled on Friday.", []),
    ],
)
def test_places_are_where_not_whose(nlp, text, places):
    _, claims = claims_of(nlp, text)
    assert sorted({p.span.text for c in claims for p in c.places}) == places


def test_headings_are_not_claims_but_the_title_is(nlp):
    article, claims = claims_of(
        nlp,
        "Zelensky Heads To Washington Today\n\nA Section Heading "
        "Here\n\nZelensky met Biden on Friday in Washington.",
    )
    assert [c.is_headline for c in claims] == [True, False]
    assert all("Section Heading" not in c.text for c in claims)


def test_articles_without_claims_are_still_yielded(nlp):
    empty = Article(id="x", title="", text="Hi.", source="s", path="p")
    full = Article(
        id="y", title="", text="The council approved the new budget today.", source="s", path="p"
    )
    out = list(extract_claims([empty, full], nlp))
    assert [a.id for a, _ in out] == ["x", "y"] and out[0][1] == [] and out[1][1]
