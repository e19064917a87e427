"""The Ray engine: claim extraction and embedding in actor pools across a Ray cluster.

Articles (and batches of claim texts) go into a Ray Dataset; `map_batches` sends them to a
pool of actors, one per CPU of the cluster, each loading spaCy or the embedding model once.
Results come back in input order, so the driver writes the store exactly as the local engine
does. The actors get this process's `dedupe` package (a Ray runtime environment), so every
node extracts with the same code and gives the same claim ids; the models and libraries must
be installed on every node. Records cross the cluster pickled, as bytes in one column.
"""

from __future__ import annotations

import logging
import os
import pickle
import re
import socket
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np

import dedupe
from dedupe.claims.extract import Progress, extract_each
from dedupe.claims.nlp import load_nlp
from dedupe.errors import EngineError
from dedupe.events.embed import Embedder, embedder_for
from dedupe.records import Article, Claim, IngestFailure
from dedupe.settings import Settings

log = logging.getLogger(__name__)

# work per actor call: each call costs a round trip through Ray Data (measured near 0.25 s on
# a loaded 2-core machine), so calls take many articles and several embedding batches
ARTICLES_PER_CALL = 32
BATCHES_PER_CALL = 4
# how long to wait for the head node's port before saying it cannot be reached (Ray itself
# retries for minutes)
CONNECT_TIMEOUT_S = 5.0
_HOST_PORT = re.compile(r"(?:ray://)?\[?([^\[\]/]+?)\]?:(\d+)")


@contextmanager
def connect(address: str | None) -> Iterator[RayEngine]:
    """A `RayEngine` on the cluster at `address`: "host:port" of its head, "ray://host:port"
    (Ray Client), or Ray's own "auto" and "local"; None is Ray's default: $RAY_ADDRESS, else
    the cluster last started on this machine, else a local one for this run only."""
    try:
        import ray
        import ray.data  # configures the "ray.data" logger
    except ImportError as exc:
        raise EngineError(
            f"the ray engine needs ray ({exc}); pip install 'news-dedupe[ray]'"
        ) from exc
    target = address or os.environ.get("RAY_ADDRESS")
    if target and target not in ("auto", "local"):
        _check_reachable(target)
    env = {"py_modules": [dedupe], "env_vars": {"TOKENIZERS_PARALLELISM": "false"}}
    # Ray reports usage to its makers unless told not to; a newsroom's runs stay in-house
    # (and offline its reporter's thread printed a traceback at exit); set it to 1 to opt in
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    try:
        ray.init(
            address=address,
            runtime_env=env,
            logging_level=logging.WARNING,
            # the actors' own output (a failed actor's traceback, once per actor) with -v only
            log_to_driver=log.isEnabledFor(logging.INFO),
        )
    except (ConnectionError, RuntimeError, ValueError) as exc:
        raise EngineError(f"cannot connect to Ray at {address or 'the default'}: {exc}") from exc
    try:
        _quiet_ray_data()
        context = ray.data.DataContext.get_current()
        context.execution_options.preserve_order = True
        context.enable_progress_bars = False  # the run's own progress bars count the results
        cpus = int(ray.cluster_resources().get("CPU", 1))
        log.info("ray cluster with %d CPUs", cpus)
        yield RayEngine(cpus)
    finally:
        ray.shutdown()


def _quiet_ray_data() -> None:
    """Ray Data logs each execution and its tips to the console, and always to the session's
    ray-data log; the console shows them only when dedupe logs at INFO (`dedupe -v`)."""
    level = logging.INFO if log.isEnabledFor(logging.INFO) else logging.CRITICAL
    for handler in logging.getLogger("ray.data").handlers:
        if isinstance(handler, logging.StreamHandler):
            handler.setLevel(level)


def _check_reachable(address: str) -> None:
    match = _HOST_PORT.fullmatch(address)
    if match is None:
        raise EngineError(
            f"Ray address {address!r} is not host:port, ray://host:port, auto or local"
        )
    try:
        socket.create_connection((match[1], int(match[2])), CONNECT_TIMEOUT_S).close()
    except OSError as exc:
        raise EngineError(f"cannot reach a Ray cluster at {address}: {exc}") from exc


class RayEngine:
    """Extraction and embedding in pools of at most `cpus` actors, one CPU each."""

    def __init__(self, cpus: int) -> None:
        self.cpus = max(1, cpus)

    def extract(
        self, articles: Sequence[Article], settings: Settings, progress: Progress
    ) -> Iterator[tuple[Article, list[Claim]] | IngestFailure]:
        results = self.map(_Extractor, settings, articles, ARTICLES_PER_CALL)
        return iter(progress(results, len(articles), "claims"))

    def embedder(self, settings: Settings) -> Embedder:
        return _PoolEmbedder(self, settings)

    def map(
        self, worker: type, settings: Settings, items: Sequence[Any], per_call: int
    ) -> Iterator[Any]:
        """`worker(settings).work` over `items`, `per_call` at a time in a pool of actors;
        the results in input order, as they come."""
        import ray.data
        import ray.exceptions

        if not items:
            return
        calls = -(-len(items) // per_call)
        dataset = ray.data.from_items(
            [{"item": pickle.dumps(x)} for x in items], override_num_blocks=calls
        ).map_batches(
            worker,
            fn_constructor_args=(settings,),
            batch_size=per_call,
            batch_format="numpy",
            compute=ray.data.ActorPoolStrategy(size=min(self.cpus, calls)),
            num_cpus=1,
        )
        try:
            for batch in dataset.iter_batches(batch_size=None, batch_format="numpy"):
                for blob in batch["item"]:
                    yield pickle.loads(blob)
        except ray.exceptions.RayError as exc:
            log.debug("the Ray cluster failed", exc_info=True)
            # Ray's message is the remote traceback; its last line names the root error
            root = [line for line in str(exc).splitlines() if line.strip()] or [repr(exc)]
            raise EngineError(f"on the Ray cluster: {root[-1]}") from exc


class _PoolEmbedder(Embedder):
    """The embedder of `settings`, each batch embedded by an actor of the engine's pool. The
    backend is the one the driver's vector fingerprint names, whatever a worker's GPUs."""

    def __init__(self, engine: RayEngine, settings: Settings) -> None:
        self.engine = engine
        self.settings = settings.replace(embed_backend=settings.backend())

    def embed_many(
        self, batches: Iterable[list[str]], batch_size: int = 64
    ) -> Iterator[np.ndarray]:
        work = [(texts, batch_size) for texts in batches]
        yield from self.engine.map(_Encoder, self.settings, work, BATCHES_PER_CALL)

    def embed_batch(self, texts: list[str]) -> np.ndarray:
        return np.vstack(list(self.embed_many([texts])))


class _Worker:
    """An actor of a pool: unpickles a batch of items, `work`s them, pickles the results."""

    def work(self, items: list[Any]) -> list[Any]:
        raise NotImplementedError

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        results = self.work([pickle.loads(blob) for blob in batch["item"]])
        return {"item": np.array([pickle.dumps(r) for r in results], dtype=object)}


class _Extractor(_Worker):
    """Loads spaCy once; claims of articles, one parsing process per actor."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.nlp = load_nlp(settings.spacy_models)

    def work(self, items: list[Any]) -> list[Any]:
        return list(extract_each(items, self.nlp, self.settings.batch_size))


class _Encoder(_Worker):
    """Loads the embedding model once; vectors of (texts, batch size) items."""

    def __init__(self, settings: Settings) -> None:
        self.embedder = embedder_for(settings)

    def work(self, items: list[Any]) -> list[Any]:
        return [self.embedder.embed(texts, batch_size) for texts, batch_size in items]
