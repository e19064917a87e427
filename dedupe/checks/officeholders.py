"""Officeholder checks: titles against each other and against the officeholder table.

- Cross-source: "President Donald Trump" in one article and "former U.S. President Donald
  Trump" in another, about the same event, cannot both be right. When the table can tell
  which side is right, the finding says so (one finding, not two) and is an error.
- Anachronism: a title for someone who did not hold it at the article's date ("German
  Chancellor Olaf Scholz" in October 2025), or, for an undated article, over most of the
  window its other clues and its event give it (the title itself left out, so it cannot vouch
  for itself).
- Wrong qualifier: "former" for someone in office, "-elect" for someone already in office.
- Unknown person: the table knows who held the office then, and it is someone else.
- Unverified: the table covers such offices elsewhere but not this one, or not after its
  snapshot: a low-severity note, never an error.

Historical uses ("then-President", "the late") are never judged, nor a title in a sentence
that tells of another time than the article's ("Seven months after the conviction, President
Reagan pardoned Felt"; see `about_then`): a title is right or wrong for the time its sentence
speaks of, and "U.S. President Bill Clinton commented on the news" speaks of the present.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from dedupe.checks import EventContext, finding_id
from dedupe.knowledge import daysets
from dedupe.knowledge.officeholders import Office, Officeholders, Tenure, office_of_role
from dedupe.knowledge.windows import event_window, title_key
from dedupe.records import Claim, Evidence, Finding, OfficeTerm, Role, Severity

_HISTORICAL = {"then", "late"}
_PAST = {"former"}
_STOPGAP = {"acting", "interim"}
# a title is accepted within this many days of a change of office (written before the
# handover, published after)
GRACE_DAYS = 3
# a holder whose terms ended this long before the article is named by his title as history
# (ECB+ train: "President Reagan pardoned Felt" in 2005); the mistakes this check is for are
# titles months out of date, like the seeds' "German Chancellor Olaf Scholz"
HISTORICAL_YEARS = 2
# an undated article's title is judged wrong when it was wrong over most of its window
UNDATED_SHARE = 0.5
# an office the table holds for this many jurisdictions counts as covered, so a title for it
# elsewhere is worth an "unverified" note
COVERED_JURISDICTIONS = 2


@dataclass(frozen=True)
class Verdict:
    """The table's view of one title in one article."""

    claim: Claim
    role: Role
    office: Office
    rule: str  # anachronism, wrong_qualifier, unknown_person, unverified
    severity: Severity
    confidence: float
    reason: str
    value: str  # what the table says, for the finding's values
    reference: tuple[OfficeTerm, ...]


def check(ctx: EventContext) -> Iterator[Finding]:
    uses: dict[tuple[str, str, str], list[tuple[Claim, Role]]] = {}
    for claim in ctx.claims:
        for role in claim.roles:
            if set((role.qualifier or "").split()) & _HISTORICAL:
                continue
            uses.setdefault(_office_key(role), []).append((claim, role))
    verdicts = _verdicts(ctx, uses) if isinstance(ctx.kb, Officeholders) else {}
    settled: set[tuple[str, str, str]] = set()
    for key, found in sorted(uses.items()):
        current, former = _sides(found)
        if not current or not former or set(current) == set(former):
            continue
        settled.add(key)
        yield _disagreement(ctx, key, current, former, verdicts.get(key, []))
    for key, found_verdicts in sorted(verdicts.items()):
        if key not in settled:
            yield from _table_findings(ctx, key, found_verdicts)


def _status(role: Role) -> str:
    return "former" if set((role.qualifier or "").split()) & _PAST else "current"


def _office_key(role: Role) -> tuple[str, str, str]:
    """Office and the qualifiers that make another office ("vice", "deputy"), not the tense."""
    rest = " ".join(q for q in (role.qualifier or "").split() if q not in _PAST)
    return role.person_key, role.office, rest


def _sides(
    found: list[tuple[Claim, Role]],
) -> tuple[dict[str, tuple[Claim, Role]], dict[str, tuple[Claim, Role]]]:
    by_status: dict[str, dict[str, tuple[Claim, Role]]] = {"current": {}, "former": {}}
    for claim, role in found:
        # one piece of evidence per article and status: the article's first such title
        by_status[_status(role)].setdefault(claim.article_id, (claim, role))
    return by_status["current"], by_status["former"]


# ----------------------------------------------------------------- the table's verdicts


def _verdicts(
    ctx: EventContext, uses: dict[tuple[str, str, str], list[tuple[Claim, Role]]]
) -> dict[tuple[str, str, str], list[Verdict]]:
    """The table's verdicts on each title, one per article and tense, wrong ones only."""
    out: dict[tuple[str, str, str], list[Verdict]] = {}
    for key, found in uses.items():
        seen: set[tuple[str, str]] = set()
        for claim, role in found:
            office = office_of_role(role)
            if office is None or (claim.article_id, office.status) in seen:
                continue
            seen.add((claim.article_id, office.status))
            verdict = _judge(ctx, ctx.kb, claim, role, office)
            if verdict is not None:
                out.setdefault(key, []).append(verdict)
    return out


def _judge(
    ctx: EventContext, kb: Officeholders, claim: Claim, role: Role, office: Office
) -> Verdict | None:
    if office.status == "historical":
        return None
    article = ctx.articles[claim.article_id]
    terms = kb.person_terms(role.person, role.person_key)
    tenure = kb.tenure(office, terms, None)
    window = _window(ctx, claim, role, office)
    if not tenure.terms:
        return _stranger(ctx, kb, claim, role, office, window)
    if window is None:
        return None
    known = daysets.intersect(window, tenure.known)
    if not known:
        return None  # after the table's snapshot: unknown, not wrong
    wrong = daysets.intersect(known, tenure.wrong(office.status))
    share = daysets.days(wrong) / daysets.days(known)
    dated = article.published is not None
    if share < (1.0 if dated else UNDATED_SHARE):
        return None
    if office.status == "current" and _right_at_claim_time(claim, tenure):
        return None
    if office.status == "current" and _told_as_history(claim, role, tenure, window, dated):
        return None
    rule = "anachronism" if office.status == "current" else "wrong_qualifier"
    if rule == "anachronism" and set((role.qualifier or "").split()) & _STOPGAP:
        return None  # acting and interim holders are often missing from the table
    presumed = known[-1][1] > tenure.snapshot
    confidence = (0.95 if dated else 0.85 * share) * (0.9 if presumed else 1.0)
    place = Office(office.offices, office.jurisdiction or tenure.terms[-1].jurisdiction)
    holders = tuple(
        t for t in kb.holders(place, window[0][0], window[-1][1]) if t not in tenure.terms
    )
    if rule == "anachronism" and not holders:
        return None  # nobody on record then: a gap in the table, not proof of a wrong title
    return Verdict(
        claim=claim,
        role=role,
        office=office,
        rule=rule,
        severity="error" if confidence >= 0.8 else "warning",
        confidence=round(confidence, 2),
        reason=_reason(ctx, claim, role, office, tenure, window, share, holders, presumed),
        value=_table_value(tenure, holders),
        reference=(*tenure.terms, *holders),
    )


def _window(ctx: EventContext, claim: Claim, role: Role, office: Office) -> daysets.DaySet | None:
    """The days the title is judged on: the publish date give or take `GRACE_DAYS`, else the
    window the article's other clues and its event give it."""
    article = ctx.articles[claim.article_id]
    if article.published is not None:
        return daysets.widen(daysets.span(article.published, article.published), GRACE_DAYS)
    members = [ctx.articles[a] for a in ctx.event.article_ids]
    found = event_window(article, members, title_key(role, office), ctx.settings.event_max_gap_days)
    return daysets.span(*found) if found else None


def _long_past(tenure: Tenure, window: daysets.DaySet) -> bool:
    """Whether the person's terms all ended `HISTORICAL_YEARS` or more before the window: a
    title of a long-gone holder named as a reference is history ("President Reagan's
    secretary of state", "pardoned by President Reagan"), whereas a title months out of date
    ("German Chancellor Olaf Scholz" half a year after he left) is the mistake this check is
    for."""
    ends = [t.end for t in tenure.terms]
    if not ends or None in ends:
        return False
    last = max(e for e in ends if e is not None)
    return (window[0][0] - last).days > 365.25 * HISTORICAL_YEARS


def _told_as_history(
    claim: Claim, role: Role, tenure: Tenure, window: daysets.DaySet, dated: bool
) -> bool:
    """Whether the title is how news names a past holder in the past it tells ("pardoned by
    President Ronald Reagan", "Seven months after the conviction, President Reagan pardoned
    Felt"): a holder gone `HISTORICAL_YEARS` before a dated article, named as a reference or
    in a sentence about another time; in an undated article any title in a sentence about
    another time, since the window its other titles give it may be that time's too (ECB+:
    an article on Felt's pardon dated to Nixon's years by "President Nixon")."""
    past = _long_past(tenure, window)
    return (
        (about_then(claim.text, role.person) and (past or not dated))
        or (past and _referred_to(claim, role))
        or _former_relation(claim, role)
    )


# "a former member of", "ex-aide to", "a one-time adviser under": a relation that ended
_FORMER_RELATION = re.compile(
    r"\b(?:former|ex-|one-time|onetime)\s*(?:[\w-]+\s+){0,3}?(?:of|to|for|under|with)\s+"
    r"(?:the\s+)?$",
    re.IGNORECASE,
)


def _former_relation(claim: Claim, role: Role) -> bool:
    """Whether the titled person is named in a relation the sentence says has ended ("a
    former member of President George W. Bush's Council on Bioethics", six months after he
    left): the title is right for the time of that relation, whatever the article's date."""
    before = claim.text[: role.span.start - claim.sentence.start]
    return _FORMER_RELATION.search(before) is not None


def _referred_to(claim: Claim, role: Role) -> bool:
    """Whether the titled person is named as a reference ("President Reagan's secretary of
    state", "pardoned by President Reagan", "under President Clinton"), not as the one who
    acts in the sentence ("U.S. President Bill Clinton commented on the news")."""
    start = role.span.start - claim.sentence.start
    end = claim.text.find(role.person, start)
    after = claim.text[end + len(role.person) :] if end >= 0 else ""
    before = claim.text[:start].lower().split()
    return after.startswith(("'s", "\u2019s")) or bool(before and before[-1] in _REFERRING)


# words after which a titled person is a reference to his time, not an actor of the sentence
_REFERRING = {"by", "under", "of", "for", "from", "during", "since", "to", "against", "about"}

# what places a sentence at another time than its article's: a narrative time clause ("when
# he leaked"), a span of time before or after ("seven months after the conviction"), a time
# adverb ("later", "at the time", "years ago"), a year, decade or century ("in 1974", "the
# 1970s", "the 20th century"), "last year". A clause opened by "after the meeting" says no
# more than the order of two things, so it does not count
_THEN = re.compile(
    r"\b(?:when|while)\s+(?:he|she|they|it|his|her|their|the)\b"
    r"|\b(?:days?|weeks?|months?|years?|decades?)\s+(?:after|before|later|earlier|ago)\b"
    r"|\b(?:later|earlier|previously|formerly|at the time|in those days)\b"
    r"|\b(?:in|by|during|since|of|until)\s+(?:the\s+)?(?:1[0-9]|20)[0-9]{2}s?\b"
    r"|\b(?:\d{1,2}(?:st|nd|th|rd)|nineteenth|twentieth)[- ]century\b"
    r"|\blast (?:year|decade|century)\b",
    re.IGNORECASE,
)
# a past perfect right after the titled name: "President Nixon had not been told"
_PAST_PERFECT = re.compile(
    r"\s+had\s+(?:not\s+|never\s+|already\s+)?(?:been|[a-z]+(?:ed|en|wn|ught|ld|id|de))\b",
    re.IGNORECASE,
)


# a relative clause whose subject is the titled person, in the past: "the kind of
# rulemaking that President Bill Clinton engaged in" (the title's words lie between)
_RELATIVE = re.compile(r"\b(?:that|which|whom)\s+(?:[A-Z][\w.-]*\s+){0,4}$")
_SIMPLE_PAST = re.compile(r"\s+(?:[a-z]+ly\s+)?[a-z]+ed\b")


def about_then(sentence: str, person: str = "") -> bool:
    """Whether a sentence tells of another time than its article's present: a narrative
    time clause, a span of time before or after, a time adverb, a year or decade, a past
    perfect of which `person` is the subject ("Seven months after the conviction, President
    Reagan pardoned Felt", "LaRue said that President Nixon had not been told"), or a
    relative clause in the past of which `person` is the subject ("the rulemaking that
    President Bill Clinton engaged in"). "U.S. President Bill Clinton commented on the
    news", and "President Obama said on Tuesday he had spoken to Putin" (his own past
    perfect), tell of the present."""
    if _THEN.search(sentence):
        return True
    at = sentence.find(person) if person else -1
    if at < 0:
        return False
    after = at + len(person)
    return _PAST_PERFECT.match(sentence, after) is not None or (
        _RELATIVE.search(sentence[:at]) is not None
        and _SIMPLE_PAST.match(sentence, after) is not None
    )


def _right_at_claim_time(claim: Claim, tenure: Tenure) -> bool:
    """A title right at the time the sentence itself is about ("In 2019, President Trump")."""
    if claim.when is None:
        return False
    when = daysets.widen(daysets.span(*claim.when), GRACE_DAYS)
    return bool(daysets.intersect(when, tenure.right("current")))


def _stranger(
    ctx: EventContext,
    kb: Officeholders,
    claim: Claim,
    role: Role,
    office: Office,
    window: daysets.DaySet | None,
) -> Verdict | None:
    """A person the table does not know in this office: unknown person or unverified."""
    place = office.jurisdiction
    covered = any(len(kb.jurisdictions(o)) >= COVERED_JURISDICTIONS for o in office.offices)
    if place is None or office.status == "elect" or not covered:
        return None
    snapshots = [s for o in office.offices if (s := kb.snapshot(o, place)) is not None]
    subject = f"{role.title} {role.person}"
    holders: tuple[OfficeTerm, ...] = ()
    if window is not None and snapshots and window[-1][1] <= max(snapshots):
        holders = tuple(kb.holders(office, window[0][0], window[-1][1]))
    if holders:
        names = ", ".join(sorted({t.person for t in holders}))
        return Verdict(
            claim=claim,
            role=role,
            office=office,
            rule="unknown_person",
            severity="warning",
            confidence=0.6,
            reason=f"{_source(ctx, claim)} calls {role.person} '{role.title}', but the "
            f"officeholder table has no record of {role.person} as {office.label}; "
            f"{names} held it {_when(ctx, claim, window)}. Officeholder table: "
            f"{_datasets(kb, holders)}.",
            value=f"{office.label}: {names}",
            reference=holders,
        )
    if not snapshots:
        why = f"covers {' or '.join(office.offices)} elsewhere but not of {place}"
    elif window is None:
        why = f"cannot tell when the undated article was written ({office.label})"
    elif window[-1][1] > max(snapshots):
        why = f"has no {office.label} after its snapshot of {max(snapshots).isoformat()}"
    else:
        why = f"has no {office.label} on record {_when(ctx, claim, window)}"
    return Verdict(
        claim=claim,
        role=role,
        office=office,
        rule="unverified",
        severity="info",
        confidence=0.3,
        reason=f"'{subject}' could not be checked: the officeholder table {why}.",
        value="not in the officeholder table",
        reference=(),
    )


def _reason(
    ctx: EventContext,
    claim: Claim,
    role: Role,
    office: Office,
    tenure: Tenure,
    window: daysets.DaySet,
    share: float,
    holders: Sequence[OfficeTerm],
    presumed: bool,
) -> str:
    person = role.person
    if office.status == "current":
        fact = f"{person} held it only {_terms_text(tenure.terms)}"
    else:
        during = [t for t in tenure.terms if daysets.intersect(window, _term_days(t))]
        fact = f"{person} was in office then ({_terms_text(during or tenure.terms)})"
    article = ctx.articles[claim.article_id]
    said = f"calls {person} '{role.title}' ({office.label})"
    if article.published is not None:
        lead = f"{_source(ctx, claim)} {said} on {article.published}"
    else:
        lead = (
            f"{_source(ctx, claim)} (undated) {said}; its other clues and its event place it "
            f"in {daysets.describe(window)}"
        )
        fact += f", wrong for {round(100 * share)}% of that window"
    if holders:
        fact += f"; {_terms_text(holders, names=True)} held it then"
    table = _datasets(ctx.kb, tenure.terms)
    if presumed:
        table += ", assuming no change since"
    return f"{lead}, but {fact}. Officeholder table: {table}."


def _term_days(term: OfficeTerm) -> daysets.DaySet:
    return daysets.span(term.start, term.end or dt.date.max)


def _table_value(tenure: Tenure, holders: Sequence[OfficeTerm]) -> str:
    value = f"held {_terms_text(tenure.terms)}"
    if holders:
        value += f"; then {_terms_text(holders, names=True)}"
    return value


def _terms_text(terms: Sequence[OfficeTerm], names: bool = False) -> str:
    parts = []
    for t in sorted(set(terms), key=lambda t: t.start):
        if t.end is None:
            when = f"since {t.start}"
        elif t.end_scheduled:
            when = f"since {t.start} (term scheduled to end {t.end})"
        else:
            when = f"{t.start} to {t.end}"
        text = f"{t.person} ({when})" if names else when
        if text not in parts:
            parts.append(text)
    return ", ".join(parts)


def _datasets(kb: Officeholders, terms: Sequence[OfficeTerm]) -> str:
    names = sorted({t.dataset for t in terms})
    return ", ".join(f"{n} as of {kb.snapshots[n]}" for n in names)


def _source(ctx: EventContext, claim: Claim) -> str:
    return ctx.articles[claim.article_id].source or claim.article_id


def _when(ctx: EventContext, claim: Claim, window: daysets.DaySet | None) -> str:
    published = ctx.articles[claim.article_id].published
    if published is not None:
        return f"on {published}"
    return f"over {daysets.describe(window)}" if window else "then"


# ----------------------------------------------------------------- findings


def _table_findings(
    ctx: EventContext, key: tuple[str, str, str], verdicts: list[Verdict]
) -> Iterator[Finding]:
    """One finding per rule and tense: the same wrong title in several articles is one."""
    by_rule: dict[tuple[str, str], list[Verdict]] = {}
    for v in verdicts:
        by_rule.setdefault((v.rule, v.office.status), []).append(v)
    for (rule, _), group in sorted(by_rule.items()):
        group.sort(key=lambda v: (ctx.when(v.claim), v.claim.article_id))
        first = group[0]
        person = max((v.role.person for v in group), key=len)
        reason = first.reason
        if len(group) > 1:
            reason += f" The same title appears in {len(group) - 1} more article(s)."
        yield Finding(
            id=finding_id(
                "officeholder",
                f"{key[0]}|{first.office.label}|{rule}",
                (rule,),
                [v.claim.id for v in group],
            ),
            kind="officeholder",
            severity=first.severity,
            confidence=max(v.confidence for v in group),
            event_id=ctx.event.id,
            values=(" / ".join(sorted({v.role.title for v in group})), first.value),
            reason=reason,
            evidence=tuple(ctx.evidence(v.claim, v.role.title) for v in group),
            subject=person,
            rule=rule,
            reference=first.reference,
        )


def _disagreement(
    ctx: EventContext,
    key: tuple[str, str, str],
    current: dict[str, tuple[Claim, Role]],
    former: dict[str, tuple[Claim, Role]],
    verdicts: list[Verdict],
) -> Finding:
    """Sources disagree on whether the person is in office; the table settles it if it can."""
    person = max((r.person for _, r in [*current.values(), *former.values()]), key=len)
    cur = sorted(current.values(), key=lambda cr: ctx.when(cr[0]))
    old = sorted(former.values(), key=lambda cr: ctx.when(cr[0]))
    cur_titles = sorted({r.title for _, r in cur})
    old_titles = sorted({r.title for _, r in old})
    evidence: list[Evidence] = [ctx.evidence(c, r.title) for c, r in cur + old]
    sources_cur = ", ".join(sorted({ctx.articles[c.article_id].source for c, _ in cur}))
    sources_old = ", ".join(sorted({ctx.articles[c.article_id].source for c, _ in old}))
    office = (key[2] + " " + key[1]).strip()
    reason = (
        f"{person} is called {' / '.join(repr(t) for t in cur_titles)} (in office) by "
        f"{sources_cur} but {' / '.join(repr(t) for t in old_titles)} (no longer in office) "
        f"by {sources_old}, about the same event; both cannot be right at its time."
    )
    jurisdictions = {r.jurisdiction for _, r in [*cur, *old] if r.jurisdiction}
    if len(jurisdictions) > 1:
        reason += f" (The titles name different places: {', '.join(sorted(jurisdictions))}.)"
    severity: Severity = "warning"
    confidence = 0.8
    reference: tuple[OfficeTerm, ...] = ()
    wrong = [v for v in verdicts if v.rule in ("anachronism", "wrong_qualifier")]
    if wrong:
        sides = {"wrong_qualifier": cur_titles, "anachronism": old_titles}
        supported = sorted({t for v in wrong for t in sides[v.rule]})
        reason += (
            f" The officeholder table supports {' / '.join(repr(t) for t in supported)}: "
            + " ".join(v.reason for v in wrong)
        )
        best = max(wrong, key=lambda v: v.confidence)
        severity, confidence, reference = best.severity, max(0.8, best.confidence), best.reference
    return Finding(
        id=finding_id(
            "officeholder",
            f"{key[0]}|{office}",
            ("current", "former"),
            [cur[0][0].id, old[0][0].id],
        ),
        kind="officeholder",
        severity=severity,
        confidence=confidence,
        event_id=ctx.event.id,
        values=(" / ".join(cur_titles), " / ".join(old_titles)),
        reason=reason,
        evidence=tuple(evidence),
        subject=person,
        rule="disagreement",
        reference=reference,
    )
