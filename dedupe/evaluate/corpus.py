"""Run the real pipeline's claim and embedding stages over evaluation articles.

Claims and vectors are kept in a store (a temporary one unless a path is given), so a second
evaluation over the same documents and settings re-parses and re-embeds nothing.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from dedupe.claims.extract import Progress, no_progress
from dedupe.events.embed import Embedder, embed_texts, embedder_for
from dedupe.records import Article, Claim, to_dict
from dedupe.settings import Settings
from dedupe.store.database import Store


@dataclass(frozen=True)
class Analysed:
    """Claims of a set of articles (in store order) and their unit vectors, row for row."""

    claims: list[Claim]
    X: np.ndarray


def analyse(
    articles: Sequence[Article],
    settings: Settings,
    store_path: str | Path | None = None,
    now: dt.datetime | None = None,
    progress: Progress = no_progress,
    embedder: Callable[[], Embedder] | None = None,
) -> Analysed:
    """Extract and embed the claims of `articles` with the pipeline's own stages."""
    from dedupe.pipeline import store_new_articles

    get_embedder = embedder or (lambda: embedder_for(settings))
    with ExitStack() as stack:
        if store_path is None:
            store_path = Path(stack.enter_context(tempfile.TemporaryDirectory())) / "eval.db"
        store = stack.enter_context(Store.open(store_path))
        started = now or dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
        run_id = store.begin_run(started, to_dict(settings))
        store_new_articles(articles, store, settings, run_id, progress)
        wanted = {a.id for a in articles}
        claims = [c for c in store.load_claims() if c.article_id in wanted]
        X, _ = embed_texts(
            [c.text for c in claims],
            get_embedder,
            store,
            settings.vector_fingerprint(),
            settings.batch_size,
            progress,
        )
    return Analysed(claims, X)
