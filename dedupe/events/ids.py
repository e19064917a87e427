"""Event ids that outlive a run, so links in yesterday's report still work.

A freshly grouped event is named after its earliest article, which changes when an
earlier-dated article joins it. Each event therefore takes over the id of the previous run's
event it shares the most articles with (one to one, largest overlap first); an event with no
predecessor keeps its own id.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Sequence

from dedupe.records import Event, stable_id


def carry_event_ids(events: Sequence[Event], previous: Sequence[Event]) -> list[Event]:
    """`events` with the ids of the previous run's events they continue, in the same order."""
    old_event_of = {a: e.id for e in previous for a in e.article_ids}
    candidates: list[tuple[int, bool, str, int]] = []
    for n, event in enumerate(events):
        shared = Counter(old_event_of[a] for a in event.article_ids if a in old_event_of)
        # most shared articles first; on a tie, the old id the event would get anyway
        candidates += [(-count, old != event.id, old, n) for old, count in shared.items()]
    carried: dict[int, str] = {}
    taken: set[str] = set()
    for _, _, old, n in sorted(candidates):
        if n not in carried and old not in taken:
            carried[n] = old
            taken.add(old)
    out = []
    for n, event in enumerate(events):
        new_id = carried.get(n, event.id)
        if n not in carried and new_id in taken:
            # a split-off part whose own id now names the event it left: name it by its members
            # (a singleton's member name is its own id again: count up until one is free)
            new_id, n_try = stable_id("evt", *sorted(event.article_ids)), 0
            while new_id in taken:
                n_try += 1
                new_id = stable_id("evt", *sorted(event.article_ids), str(n_try))
        taken.add(new_id)
        out.append(dataclasses.replace(event, id=new_id))
    return out
