"""The typed edits `dedupe eval inject` makes to ECB+ sentences, found without the pipeline.

Each finder looks at one document of a gold event beside the event's other documents (its
`EventText`) and returns the edits it could make there: a date moved, a number changed, a
place swapped, an outcome flipped, or an officeholder with a title from another period
inserted. A value is edited only where another document of the event states it (in a
sentence that shares a content word with the edited one, so it is likely the same fact), where
the edited document states it nowhere else, and where no document of the event states the new
value: otherwise no reader could tell the edit is a conflict. Values are found with regular
expressions and the bundled word lists, not with the claim extractor, so that a value the
extractor misses still counts against recall; only places need spaCy's entity recogniser.
"""

from dedupe.evaluate.edits.base import (
    Edit,
    EventText,
    Places,
    Recogniser,
    Tokens,
    body,
    content_words,
    editable,
    first_body,
)
from dedupe.evaluate.edits.officeholders import (
    Terms,
    officeholder_edits,
    short_title,
    terms_by_office,
)
from dedupe.evaluate.edits.outcomes import AMBIGUOUS, outcome_edits, past
from dedupe.evaluate.edits.places import MODIFIER, place_edits, place_spans, replacements
from dedupe.evaluate.edits.values import changed_number, date_edits, dates, number_edits, numbers

__all__ = [
    "AMBIGUOUS", "MODIFIER", "Edit", "EventText", "Places", "Recogniser", "Terms", "Tokens",
    "body", "changed_number", "content_words", "date_edits", "dates", "editable",
    "first_body", "number_edits", "numbers", "officeholder_edits", "outcome_edits", "past",
    "place_edits", "place_spans", "replacements", "short_title", "terms_by_office",
]  # fmt: skip
