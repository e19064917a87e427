"""Short human labels for events: main participants, action, dates.

"Zelensky, Trump · meet · 2025-10-15 to 2025-10-18". The action is the predicate the event's
articles lead with: each claim votes for its content verb with a weight for where it stands
(headline, lede) and whether it names one of the event's main participants, and a verb counts
once per article, so one long article cannot outvote the rest.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from dedupe.claims.names import fold
from dedupe.claims.times import MONTHS, WEEKDAYS
from dedupe.events.stopwords import stopwords
from dedupe.records import Claim, Event, stable_id

if TYPE_CHECKING:
    from dedupe.events.profiles import Profile

_LABEL_PEOPLE = 3
# a participant is "main" when it has at least this share of the top participant's weight
_MAIN_SHARE = 1 / 3
# predicates that say nothing about what happened (reporting, copular and support verbs)
LIGHT_PREDICATES = frozenset(
    {
        "be",
        "have",
        "say",
        "tell",
        "note",
        "explain",
        "add",
        "state",
        "report",
        "write",
        "describe",
        "suggest",
        "indicate",
        "reflect",
        "highlight",
        "underscore",
        "remain",
        "become",
        "seem",
        "appear",
        "emphasize",
        "stress",
        "observe",
        "acknowledge",
        "come",
        "include",
        "make",
        "take",
        "do",
        "get",
        "go",
        "see",
        "watch",
        "continue",
        "begin",
        "start",
        "mark",
        "represent",
        "involve",
        "demonstrate",
        "raise",
        "create",
        "unfold",
        "focus",
        "need",
        "face",
        "show",
        "give",
        "find",
        "know",
        "think",
        "believe",
        "want",
        "use",
        "keep",
        "let",
        "put",
        "confirm",
        "claim",
        "announce",
        "accord",
    }
)


# a dateline or byline parsed as a clause ("12 January 2010 @ 09:29 pm") names no action
_CALENDAR_WORDS = frozenset((*MONTHS, *WEEKDAYS))


def describe_event(group: Sequence[Profile], by_article: Mapping[str, list[Claim]]) -> Event:
    """The `Event` record of a group of article profiles, with its label and time window."""
    group = sorted(group, key=lambda p: (p.window[0] if p.window else dt.date.max, p.article.id))
    claims = [c for p in group for c in by_article.get(p.article.id, [])]
    windows = [p.window for p in group if p.window]
    start = min(w[0] for w in windows) if windows else None
    end = max(w[1] for w in windows) if windows else None
    weights: Counter[str] = Counter()
    for p in group:
        weights.update(p.participants)
    main = main_participants(weights)
    names = display_names(claims)
    people = tuple(names.get(k, k.split(":", 1)[-1]) for k in main)
    return Event(
        id=stable_id("evt", group[0].article.id),
        label=event_label(people, main_action(claims, set(main)), start, end),
        article_ids=tuple(p.article.id for p in group),
        claim_ids=tuple(c.id for c in claims),
        start=start,
        end=end,
        participants=people,
    )


def main_participants(weights: Counter[str]) -> list[str]:
    """The heaviest participants (people first, else any entity), at most three."""
    ranked = weights.most_common()
    people = [(k, w) for k, w in ranked if k.startswith("per:")]
    chosen = people or ranked
    if not chosen:
        return []
    top = chosen[0][1]
    return [k for k, w in chosen[:_LABEL_PEOPLE] if w >= top * _MAIN_SHARE]


def display_names(claims: Iterable[Claim]) -> dict[str, str]:
    """A short surface form of each participant key: a person's surname as most often
    written ("Zelensky"), other entities' most frequent full form ("Betty Ford Center")."""
    forms: dict[str, Counter[str]] = {}
    for claim in claims:
        for e in claim.entities:
            forms.setdefault(e.key, Counter())[e.span.text] += 1
    names = {}
    for key, counts in forms.items():
        best = counts.most_common(1)[0][0]
        if key.startswith("per:"):
            # the word the key was made from ("LaCalamita" in "Anthony LaCalamita III")
            surname = key.split(":", 1)[1]
            best = next((w for w in best.split() if fold(w) == surname), best.split()[-1])
        names[key] = best
    return names


def main_action(claims: Sequence[Claim], main: set[str]) -> str:
    """The content verb the articles lead with (see the module docstring)."""
    rank: dict[str, dict[int, int]] = {}
    for claim in claims:
        order = rank.setdefault(claim.article_id, {})
        order.setdefault(claim.sentence.start, 0)
    for order in rank.values():
        for n, start in enumerate(sorted(order)):
            order[start] = n
    per_article: dict[tuple[str, str], float] = {}
    for claim in claims:
        names = {w.lower() for e in claim.entities for w in e.span.text.split()}
        verbs = [
            _headline_verb(v) if claim.is_headline else v
            for v in claim.predicate.split()
            if v not in LIGHT_PREDICATES
            and v not in stopwords()
            and v not in names
            and v not in _CALENDAR_WORDS
        ]
        if not verbs or claim.negated or claim.modality == "hypothetical":
            continue
        position = rank[claim.article_id][claim.sentence.start]
        weight = 3.0 if claim.is_headline else 2.0 if position < 2 else 1.0
        if claim.participants & main:
            weight *= 2.0
        key = (verbs[-1], claim.article_id)
        per_article[key] = max(per_article.get(key, 0.0), weight)
    votes: dict[str, float] = {}
    for (verb, _), weight in per_article.items():
        votes[verb] = votes.get(verb, 0.0) + weight
    if not votes:
        return ""
    return min(votes, key=lambda v: (-votes[v], v))


def _headline_verb(word: str) -> str:
    """A title-case headline verb parsed as a plural noun, back to its base form
    ("Heads" -> "head", "Pushes" -> "push"); names parsed as verbs are filtered before."""
    if word.endswith(("shes", "ches", "sses", "xes", "zes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def event_label(
    people: Sequence[str], action: str, start: dt.date | None, end: dt.date | None
) -> str:
    when = ""
    if start and end:
        when = start.isoformat() if start == end else f"{start.isoformat()} to {end.isoformat()}"
    parts = [", ".join(people[:_LABEL_PEOPLE]), action, when]
    return " · ".join(p for p in parts if p) or "unlabelled event"
