"""What event grouping knows of one article (`Profile`), and the signals comparing two.

A profile is self-contained (no row indices into a shared matrix), so profiles can be stored
and compared with the profiles of articles that arrive in a later run: `profile_row` is what
the store keeps of one beyond its article, claim vectors and time, and `stored_profile`
rebuilds the same profile from that, its weights as they were (a nightly run scores a stored
article without reading its claims or going through its text again, `dedupe.nightly`).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from dedupe.claims.names import fold, strip_possessive
from dedupe.claims.times import gap_days
from dedupe.events.embed import normalize
from dedupe.events.stopwords import stopwords
from dedupe.records import Article, Claim

DateWindow = tuple[dt.date, dt.date]
# what clustering needs of an article's time: its date window and the date it was written after
ArticleTime = tuple[DateWindow | None, dt.date | None]

# the signals of `pair_features`, in the order of `Settings.event_weights[1:]`
FEATURES = (
    "claims",
    "participants",
    "names",
    "salience",
    "lede",
    "near",
    "vocabulary",
    "contained",
    "short",
    "short_whole",
    "short_keywords",
    "short_headline",
    "short_claims",
    "other_names",
)
_TOP_PARTICIPANTS = 12
_LEDE_PARAGRAPHS = 3
# the best-matched claims that `claim_alignment` averages
_ALIGNED_CLAIMS = 5
# publication gap (days) at which the "near" signal falls to 1/e
_NEAR_DAYS = 14.0
# names and numbers: capitalised words and digit runs, the lexical trace of who, where, how many
_NAME_TOKEN = re.compile(r"\b[A-Z][a-z]+\b|\b\d+\b")
_NAME_STOPWORDS = frozenset({"the", "of", "and", "a", "an", "in", "for", "on", "at", "to"})
_WORD = re.compile(r"[a-z]{3,}")
# words and numbers for `keywords`: hyphens and apostrophes inside a word keep it whole
_KEYWORD = re.compile(r"[a-z0-9]+(?:['\u2019-][a-z0-9]+)*")
# Zipf frequency (log10 of uses per billion words) at which a word stops counting as a
# keyword: "the" is 7.7, "said" 6.0, "earthquake" 4.2, a rare name about 2
_COMMON_ZIPF = 7.0
# words at which a pair's shortness (of its shorter article) falls to 1/e: a headline (about
# 10 words) is short, a 60-word wire brief hardly (0.05), a full article not at all. Chosen
# on the train parts of ECB+, its first-sentence cut and FNC-1 with Reuters wire negatives:
# at 40 the model also read wire briefs of different companies as short items of one story
_SHORT_WORDS = 20.0
_WRITTEN_AFTER_GRANULARITIES = ("day", "month")
# words of a name and of a text for `other_names`: apostrophes, hyphens and dots kept inside
# ("Brown-Forman", "Int'l"); `fold` then drops them on both sides alike
_NAME_WORD = re.compile(r"[A-Za-z][A-Za-z'\u2019.&-]*")
# words that say what kind of body a name is, not which one ("Apple Computer Inc" is Apple)
_DESIGNATORS = frozenset(
    {"inc", "corp", "corporation", "co", "cos", "ltd", "limited", "plc", "llc", "company"}
    | {"incorporated", "the", "of", "and"}
)
# entity labels that place a happening rather than name who acts in it: two reports of one
# quake name different towns, two companies' reports name different companies
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC", "NORP"})
# days between the latest date a lead names and the publish date past which an article is a
# follow-up of what happened then, not news of its own day (a week: "on Friday" is news)
FOLLOW_UP_DAYS = 7


@dataclass(frozen=True)
class Profile:
    """What event grouping knows of one article; enough to score it against any other. The
    weights read from its text alone are made when first asked for: a night's events that
    are only described and checked again never need them (a third of a night's profiling)."""

    article: Article
    window: DateWindow | None  # the dates it reports on (publish date or inferred)
    participants: dict[str, float]  # entity key -> mention weight (headline counts twice)
    names: dict[str, float]  # entity name words -> mention weight
    salience: dict[str, float]  # entity name words weighted by position, unit length
    length: int  # words in the text
    claim_vectors: np.ndarray  # unit vectors of its claims
    vector: np.ndarray  # normalised mean of its claim vectors
    written_after: dt.date | None = None  # latest past date its text names (undated only)
    lead_names: frozenset[str] = frozenset()  # who its title and first sentence name (`lead_names`)

    @functools.cached_property
    def words(self) -> dict[str, float]:
        """Names and numbers of the whole text, unit length."""
        return name_tokens(self.article.text)

    @functools.cached_property
    def lede(self) -> dict[str, float]:
        """Names and numbers of the first paragraphs."""
        return name_tokens(_paragraphs(self.article.text, _LEDE_PARAGRAPHS))

    @functools.cached_property
    def vocabulary(self) -> dict[str, float]:
        """Content words of the whole text, unit length."""
        return content_words(self.article.text)

    @functools.cached_property
    def keywords(self) -> dict[str, float]:
        """Content words weighted by rarity in English, unit length (`keywords`)."""
        return keywords(self.article.text)

    @functools.cached_property
    def headline(self) -> dict[str, float]:
        """The same, of the title and first paragraph."""
        return keywords(f"{self.article.title}\n{_paragraphs(self.article.text, 1)}")

    @functools.cached_property
    def text_words(self) -> frozenset[str]:
        """Every word of its title and text, folded (`text_words`)."""
        return text_words(self.article)


# ------------------------------------------------------------------ profiles


def _paragraphs(text: str, n: int) -> str:
    """The first `n` paragraphs of a text."""
    return "\n\n".join(text.split("\n\n")[:n])


def article_window(article: Article, claims: Sequence[Claim] = ()) -> DateWindow | None:
    """The dates an article reports on: the past days or months its lead names when it is a
    follow-up (`recalled`), else its publish date when known."""
    if article.published is None:
        return None
    return recalled(article.published, claims) or (article.published, article.published)


def recalled(published: dt.date, claims: Sequence[Claim]) -> DateWindow | None:
    """The dates a follow-up reports on: the span of the days and months its lead (title and
    first sentence) names in claims about the past ("the April 2007 shooting", "last month's
    crash"), when all of them ended more than `FOLLOW_UP_DAYS` before it was published. Its
    happening's date, not its publish date, is then what time-aware grouping compares, so it
    joins the event it follows up however much later it appeared; an article whose lead
    names a recent date ("on Friday") reports on news and keeps its publish date."""
    lead = set(sorted({c.sentence.start for c in claims if not c.is_headline})[:1])
    dates = [
        t
        for c in claims
        if (c.is_headline or c.sentence.start in lead)
        and c.modality not in ("planned", "hypothetical")
        for t in c.times
        if t.start and t.end and t.granularity in _WRITTEN_AFTER_GRANULARITIES
    ]
    if not dates:
        return None
    window = (min(t.start for t in dates if t.start), max(t.end for t in dates if t.end))
    return window if (published - window[1]).days > FOLLOW_UP_DAYS else None


def written_after(claims: Sequence[Claim]) -> dt.date | None:
    """The latest absolute day or month an article names in a claim about the past or
    present: the article was written after it (plans and hypotheticals do not count)."""
    ends = [
        t.end
        for c in claims
        if c.modality not in ("planned", "hypothetical")
        for t in c.times
        if t.end and not t.relative and t.granularity in _WRITTEN_AFTER_GRANULARITIES
    ]
    return max(ends) if ends else None


def lead_names(claims: Sequence[Claim]) -> frozenset[str]:
    """Who an article's lead (title and first sentence) names as acting: each named entity
    that is not a place, by its rarest word, legal-form words left out, folded as
    `names.fold` folds ("Lockheed Corp" -> "lockhed", "Apple Computer Inc" -> "aple"). The
    rarest word is the one another report of the same actor is least likely to drop, and the
    one another actor's report is least likely to use."""
    first = set(sorted({c.sentence.start for c in claims if not c.is_headline})[:1])
    names: set[str] = set()
    seen: set[int] = set()
    for claim in claims:
        if not (claim.is_headline or claim.sentence.start in first):
            continue
        if claim.sentence.start in seen:
            continue  # a sentence's claims share its entities
        seen.add(claim.sentence.start)
        for entity in claim.entities:
            if entity.label not in _PLACE_LABELS:
                name = _name_identity(entity.span.text)
                if name:
                    names.add(name)
    return frozenset(names)


def _name_identity(text: str) -> str:
    words = [
        w
        for w in _NAME_WORD.findall(strip_possessive(text))
        if w.lower().strip(".") not in _DESIGNATORS and fold(w)
    ]
    return fold(max(words, key=lambda w: rarity(w.lower()))) if words else ""


def text_words(article: Article) -> frozenset[str]:
    """Every word of an article's title and text, folded as `lead_names` folds names."""
    return folded_words(f"{article.title}\n{article.text}")


def folded_words(text: str) -> frozenset[str]:
    """Every word of a text, folded as `lead_names` folds names."""
    return frozenset(fold(strip_possessive(w)) for w in _NAME_WORD.findall(text))


def participant_weights(claims: Sequence[Claim]) -> dict[str, float]:
    """Participants by salience: mentions counted, headline mentions twice; top ones kept."""
    counts: Counter[str] = Counter()
    for claim in claims:
        # in a fixed order: ties keep the order first counted, and a frozenset's order
        # changes with each process's string hashing
        for key in sorted(claim.participants):
            counts[key] += 2 if claim.is_headline else 1
    return {k: float(v) for k, v in counts.most_common(_TOP_PARTICIPANTS)}


def name_words(claims: Sequence[Claim]) -> tuple[dict[str, float], dict[str, float]]:
    """Entity name words ("tara", "reid", "promises") by mention count and by position.

    Words rather than whole keys, so "Betty Ford Center" (ORG) and "Ford" (PERSON) meet;
    each sentence counts once however many claims it holds. Position weight falls with the
    sentence's rank, so the lede's participants dominate the salience vector.
    """
    counts: dict[str, float] = {}
    salience: dict[str, float] = {}
    rank = {s: n for n, s in enumerate(sorted({c.sentence.start for c in claims}))}
    seen: set[int] = set()
    for claim in claims:
        if claim.sentence.start in seen:
            continue
        seen.add(claim.sentence.start)
        weight = 2.0 if claim.is_headline else 1.0
        position = weight / (1.0 + rank[claim.sentence.start] / 3.0)
        for entity in claim.entities:
            for word in entity.key.split(":", 1)[-1].split():
                if word not in _NAME_STOPWORDS:
                    counts[word] = counts.get(word, 0.0) + weight
                    salience[word] = salience.get(word, 0.0) + position
    return counts, unit(salience)


def name_tokens(text: str) -> dict[str, float]:
    """Capitalised words and numbers of a text, log-scaled counts, unit length."""
    counts = Counter(_NAME_TOKEN.findall(text))
    return unit({k: 1.0 + math.log(v) for k, v in counts.items()})


def content_words(text: str) -> dict[str, float]:
    """Lowercase words of a text minus stop words, log-scaled counts, unit length."""
    stop = stopwords()
    counts = Counter(w for w in _WORD.findall(text.lower()) if w not in stop)
    return unit({k: 1.0 + math.log(v) for k, v in counts.items()})


def keywords(text: str) -> dict[str, float]:
    """Words and numbers of a text minus stop words, log-scaled counts weighted by how rare
    each is in English (wordfreq), unit length: TF-IDF without a corpus, so a pair of short
    items is weighed by the words that name its story ("quake", "Nepal"), not "said"."""
    stop = stopwords()
    counts = Counter(w for w in _KEYWORD.findall(text.lower()) if len(w) > 2 and w not in stop)
    return unit({k: (1.0 + math.log(v)) * rarity(k) for k, v in counts.items()})


@functools.cache
def rarity(word: str) -> float:
    """How much rarer than the commonest words a word is: 0 for "the", about 5 for a name."""
    import wordfreq

    return max(0.0, _COMMON_ZIPF - wordfreq.zipf_frequency(word, "en"))


def unit(weights: Mapping[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(v * v for v in weights.values()))
    return {k: v / norm for k, v in weights.items()} if norm else {}


def build_profile(
    article: Article, claims: Sequence[Claim], vectors: np.ndarray, window: DateWindow | None
) -> Profile:
    """The profile of one article from its claims and their unit vectors (rows parallel)."""
    names, salience = name_words(claims)
    window = window or article_window(article, claims)
    return Profile(
        article=article,
        window=window,
        participants=participant_weights(claims),
        names=names,
        salience=salience,
        length=len(article.text.split()),
        claim_vectors=np.asarray(vectors, dtype=np.float32),  # no copy for float32
        vector=mean_vector(vectors),
        written_after=None if window else written_after(claims),
        lead_names=lead_names(claims),
    )


def mean_vector(vectors: np.ndarray) -> np.ndarray:
    """The normalised mean of an article's claim vectors (no claims: an empty vector)."""
    if not len(vectors):
        return np.zeros(vectors.shape[1] if vectors.ndim == 2 else 0, np.float32)
    return normalize(vectors.mean(axis=0, keepdims=True))[0]


# the weights `Profile` reads from its text alone, kept by `profile_row`
_TEXT_WEIGHTS = ("words", "lede", "vocabulary", "keywords", "headline")


def profile_row(profile: Profile) -> dict[str, Any]:
    """What the store keeps of a profile beyond its article, claim vectors and time (JSON-
    ready). Weights keep their order, so sums over them come out bit for bit the same when
    read back (a float's JSON is its repr, which reads back exactly); sets are sorted."""
    return {
        "participants": profile.participants,
        "names": profile.names,
        "salience": profile.salience,
        "length": profile.length,
        "lead_names": sorted(profile.lead_names),
        **{name: getattr(profile, name) for name in _TEXT_WEIGHTS},
        "text_words": sorted(profile.text_words),
    }


def stored_profile(
    article: Article, row: Mapping[str, Any], claim_vectors: np.ndarray, time: ArticleTime
) -> Profile:
    """The profile that `profile_row` gave `row`, from it, the article, its claim vectors (in
    claim order) and the time it was grouped with; its text weights as they were then, put
    where `cached_property` keeps them, so they are not read from the text again."""
    window, after = time
    profile = Profile(
        article=article,
        window=window,
        participants=row["participants"],
        names=row["names"],
        salience=row["salience"],
        length=row["length"],
        claim_vectors=claim_vectors,
        vector=mean_vector(claim_vectors),
        written_after=after,
        lead_names=frozenset(row["lead_names"]),
    )
    profile.__dict__.update({name: row[name] for name in _TEXT_WEIGHTS})
    profile.__dict__["text_words"] = frozenset(row["text_words"])
    return profile


def build_profiles(
    articles: Sequence[Article],
    claims: Sequence[Claim],
    X: np.ndarray,
    windows: Mapping[str, DateWindow] | None = None,
) -> list[Profile]:
    """One profile per article; `X` holds one unit vector per claim, parallel to `claims`;
    `windows` gives the date window of the articles it names (dates inferred elsewhere, e.g.
    from the officeholders an undated article mentions)."""
    rows: dict[str, list[int]] = {}
    for n, claim in enumerate(claims):
        rows.setdefault(claim.article_id, []).append(n)
    profiles = []
    for article in articles:
        mine = rows.get(article.id, [])
        profiles.append(
            build_profile(
                article,
                [claims[n] for n in mine],
                _rows(X, mine),
                (windows or {}).get(article.id),
            )
        )
    return profiles


def _rows(X: np.ndarray, rows: list[int]) -> np.ndarray:
    """The rows of X, as a view when they are contiguous (the store keeps an article's
    claims together), so profiles do not copy every claim vector."""
    if not len(X):
        return np.zeros((0, 0), np.float32)
    if rows and rows[-1] - rows[0] + 1 == len(rows):
        return X[rows[0] : rows[-1] + 1]
    return X[rows]


# ------------------------------------------------------------------ pair scores


def weighted_jaccard(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    keys = set(a) | set(b)
    if not keys:
        return 0.0
    low = sum(min(a.get(k, 0.0), b.get(k, 0.0)) for k in keys)
    high = sum(max(a.get(k, 0.0), b.get(k, 0.0)) for k in keys)
    return low / high


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Dot product of two unit-length sparse vectors."""
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(k, 0.0) for k, v in a.items())


def containment(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """How much of the smaller of two unit vectors' weight falls on terms the other has: a
    short report names a subset of what a long one names."""
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    return sum(v * v for k, v in small.items() if k in large)


def claim_alignment(A: np.ndarray, B: np.ndarray, k: int = _ALIGNED_CLAIMS) -> float:
    """Mean of the k best matches of either article's claims in the other."""
    if not len(A) or not len(B):
        return 0.0
    S = A @ B.T
    best = np.concatenate([S.max(axis=1), S.max(axis=0)])
    return float(np.sort(best)[-k:].mean())


def near_in_time(a: Profile, b: Profile) -> float:
    """1 for articles on the same dates, falling with the gap; 0 when a date is unknown."""
    if a.window is None or b.window is None:
        return 0.0
    return math.exp(-gap_days(a.window, b.window) / _NEAR_DAYS)


def other_names(a: Profile, b: Profile) -> float:
    """How surely two articles are led by different actors: the share of either lead's names
    (`lead_names`) that the other text never uses, the smaller of the two; 0 when either lead
    names nobody. "Lockheed Gets 80.0 Mln Dlr Contract" and "Boeing Gets 34.6 Mln Dlr
    Contract" read alike to every other signal, and neither names the other's company."""
    return lead_apartness(a.lead_names, a.text_words, b.lead_names, b.text_words)


def lead_apartness(
    lead_a: frozenset[str], words_a: frozenset[str], lead_b: frozenset[str], words_b: frozenset[str]
) -> float:
    """The share of either lead's names that the other article's words never use, the
    smaller of the two; 0 when either lead names nobody (`other_names`)."""
    if not lead_a or not lead_b:
        return 0.0
    missing_in_b = sum(n not in words_b for n in lead_a) / len(lead_a)
    missing_in_a = sum(n not in words_a for n in lead_b) / len(lead_b)
    return min(missing_in_a, missing_in_b)


def shortness(a: Profile, b: Profile) -> float:
    """1 for a pair whose shorter article is a few words (a headline), falling towards 0 as
    it gets longer: the signals that carry full articles are thin in one line, so the model
    weighs the whole-line vector and keywords more for short pairs."""
    return math.exp(-min(a.length, b.length) / _SHORT_WORDS)


def pair_features(a: Profile, b: Profile) -> np.ndarray:
    """The `FEATURES` of a pair of articles, each in [0, 1]."""
    claims = claim_alignment(a.claim_vectors, b.claim_vectors)
    whole = max(0.0, float(a.vector @ b.vector)) if len(a.vector) and len(b.vector) else 0.0
    short = shortness(a, b)
    return np.array(
        [
            claims,
            weighted_jaccard(a.names, b.names),
            cosine(a.words, b.words),
            cosine(a.salience, b.salience),
            cosine(a.lede, b.lede),
            near_in_time(a, b),
            cosine(a.vocabulary, b.vocabulary),
            containment(a.words, b.words),
            short,
            short * whole,
            short * cosine(a.keywords, b.keywords),
            short * cosine(a.headline, b.headline),
            short * claims,
            other_names(a, b),
        ]
    )
