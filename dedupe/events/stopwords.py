"""English stop words (package data: scikit-learn's list), for word-overlap signals."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources


@cache
def stopwords() -> frozenset[str]:
    text = resources.files("dedupe").joinpath("data/stopwords.json").read_text("utf-8")
    return frozenset(json.loads(text)["words"])
