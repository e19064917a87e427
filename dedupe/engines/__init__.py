"""Where the heavy stages run: the pipeline asks an engine for the claims of articles and for
an embedder, and writes what it gets back to the store itself.

`LocalEngine` runs them in this process (spaCy's own worker processes for `spacy_processes`);
`dedupe.engines.on_ray` runs them in actor pools on a Ray cluster, imported only when asked
for, so `ray` stays an optional extra. Both give the same claims and vectors.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Protocol

from dedupe.errors import UsageError

if TYPE_CHECKING:
    from dedupe.claims.extract import Progress
    from dedupe.events.embed import Embedder
    from dedupe.records import Article, Claim, IngestFailure
    from dedupe.settings import Settings

ENGINES = ("local", "ray")


class Engine(Protocol):
    def extract(
        self, articles: Sequence[Article], settings: Settings, progress: Progress
    ) -> Iterator[tuple[Article, list[Claim]] | IngestFailure]:
        """Each article with its claims, or the failure of one that broke extraction, in
        input order (as `dedupe.claims.extract.extract_each`)."""
        ...

    def embedder(self, settings: Settings) -> Embedder:
        """The embedder of `settings`, whose `embed_many` runs on this engine."""
        ...


class LocalEngine:
    """Everything in this process, as `dedupe run` always did."""

    def extract(
        self, articles: Sequence[Article], settings: Settings, progress: Progress
    ) -> Iterator[tuple[Article, list[Claim]] | IngestFailure]:
        from dedupe.claims.extract import extract_each
        from dedupe.claims.nlp import load_nlp

        nlp = load_nlp(settings.spacy_models)
        return extract_each(articles, nlp, settings.batch_size, progress, settings.spacy_processes)

    def embedder(self, settings: Settings) -> Embedder:
        from dedupe.events.embed import embedder_for

        return embedder_for(settings)


@contextmanager
def open_engine(name: str = "local", address: str | None = None) -> Iterator[Engine]:
    """The engine called `name`, connected to the Ray cluster at `address` for "ray" (None:
    Ray's own default) and disconnected at the end; EngineError if it cannot run."""
    if name not in ENGINES:
        raise UsageError(f"unknown engine {name!r}; known: {', '.join(ENGINES)}")
    if name == "local":
        if address is not None:
            raise UsageError("--address is for --engine ray")
        yield LocalEngine()
        return
    from dedupe.engines.on_ray import connect

    with connect(address) as engine:
        yield engine
