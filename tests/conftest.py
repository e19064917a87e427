"""Shared fixtures: the real spaCy pipeline and MiniLM model (loaded once per session), a
deterministic fake embedder for fast unit tests, and the seed folder."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import hypothesis
import numpy as np
import pytest

from dedupe.events.embed import Embedder
from dedupe.settings import Settings

# no per-example time limit (hypothesis' default is 200 ms): CI shares its cores, and speed
# is measured by the benchmarks, never asserted in tests
hypothesis.settings.register_profile("dedupe", deadline=None)
hypothesis.settings.load_profile("dedupe")

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


class FakeEmbedder(Embedder):
    """Deterministic vectors from a text hash; counts calls and texts (for cache tests)."""

    name = "fake"
    dim = 16

    def __init__(self) -> None:
        self.calls = 0
        self.texts = 0

    def embed_batch(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        self.texts += len(texts)
        rows = []
        for text in texts:
            seed = int.from_bytes(hashlib.sha1(text.encode()).digest()[:4], "little")
            rows.append(np.random.default_rng(seed).standard_normal(self.dim))
        return np.array(rows, dtype=np.float32)


class CountingEmbedder(Embedder):
    """Wraps a real embedder and counts how many texts it was asked to encode."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.name, self.dim = inner.name, inner.dim
        self.texts = 0

    def embed_batch(self, texts: list[str]) -> np.ndarray:
        self.texts += len(texts)
        return self.inner.embed_batch(texts)


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings()


@pytest.fixture(scope="session")
def nlp(settings: Settings):  # type: ignore[no-untyped-def]
    from dedupe.claims.nlp import load_nlp

    return load_nlp(settings.spacy_models)


@pytest.fixture(scope="session")
def minilm() -> Embedder:
    from dedupe.events.embed import load_embedder

    return load_embedder("all-MiniLM-L6-v2")


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def seed_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`dedupe run seeds/` through the real CLI in a subprocess, once per session."""
    import subprocess
    import sys

    out = tmp_path_factory.mktemp("seed-run")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "dedupe",
            "run",
            str(SEEDS),
            "--store",
            str(out / "dedupe.db"),
            "--out",
            str(out),
            "--quiet",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    return out


def chromium_path() -> str:
    """The Chromium binary for browser tests; fails (never skips) with how to install it."""
    import shutil

    found = (
        os.environ.get("DEDUPE_CHROMIUM")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
        or shutil.which("google-chrome")
    )
    if not found:
        pytest.fail(
            "browser tests need Chromium: apt-get install chromium "
            "(or set DEDUPE_CHROMIUM to a Chrome/Chromium binary)"
        )
    return found


def embedded(html: str) -> dict:
    """The HTML report's JSON data block, which its script renders."""
    import json
    import re

    block = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', html)
    assert block, "the report has no data block"
    return json.loads(block.group(1))
