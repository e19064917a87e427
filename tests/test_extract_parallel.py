"""Parsing in worker processes and without `senter` gives exactly the claims of the full
spaCy pipeline in one process; when workers are used at all."""

import datetime as dt

import pytest

from dedupe.claims import extract
from dedupe.claims.extract import MIN_PARALLEL_PARAGRAPHS, extract_claims, parse_processes
from dedupe.claims.nlp import EXCLUDED
from dedupe.ingest.read import read_articles
from dedupe.records import Article

from .conftest import SEEDS


@pytest.fixture
def cores(monkeypatch):
    """A machine with `n` usable cores and a load average of `load`."""

    def make(n, load):
        monkeypatch.setattr(extract.os, "sched_getaffinity", lambda pid: set(range(n)))
        monkeypatch.setattr(extract.os, "getloadavg", lambda: (load, load, load))

    return make


def test_the_setting_wins(cores):
    cores(2, 0.0)
    assert parse_processes(1, 10_000) == 1
    assert parse_processes(3, 10) == 3


def test_workers_only_for_enough_paragraphs_and_idle_cores(cores):
    cores(2, 0.0)
    assert parse_processes(0, MIN_PARALLEL_PARAGRAPHS - 1) == 1
    assert parse_processes(0, MIN_PARALLEL_PARAGRAPHS) == 2
    cores(2, 1.0)  # this process alone
    assert parse_processes(0, 5000) == 2
    cores(2, 1.5)  # another job half the time: no core to spare
    assert parse_processes(0, 5000) == 1
    cores(2, 3.8)
    assert parse_processes(0, 5000) == 1
    cores(16, 0.5)  # at most 4 processes: each holds its own copy of the pipeline
    assert parse_processes(0, 5000) == 4
    cores(16, 13.0)
    assert parse_processes(0, 5000) == 4


@pytest.mark.slow
def test_seed_claims_are_identical_to_the_full_pipeline_in_one_process(nlp, settings):
    import spacy

    from dedupe.claims.frames import register

    articles = [
        a
        for a in read_articles([str(SEEDS)], settings, None, today=dt.date(2030, 1, 1))
        if isinstance(a, Article)
    ]
    assert len(articles) == 5
    register()
    full = spacy.load(_package(settings))
    full.add_pipe("dedupe_frames", last=True)
    assert set(EXCLUDED) <= set(full.component_names) - set(nlp.component_names)

    expected = list(extract_claims(articles, full, settings.batch_size, processes=1))
    assert sum(len(claims) for _, claims in expected) > 150
    for processes in (1, 2):
        got = list(extract_claims(articles, nlp, settings.batch_size, processes=processes))
        assert got == expected


def _package(settings):
    import spacy

    for name in settings.spacy_models:
        if spacy.util.is_package(name):
            return name
    raise AssertionError("no spaCy pipeline installed")


CLAIMS_OF_SEEDS = """
import datetime as dt, hashlib, sys
if sys.argv[1] == "torch first":
    import torch
from dedupe.claims.extract import extract_claims
from dedupe.claims.nlp import load_nlp
from dedupe.ingest.read import read_articles
from dedupe.records import Article
from dedupe.settings import Settings
settings = Settings()
nlp = load_nlp(settings.spacy_models)
import thinc.compat
print("torch" in sys.modules, thinc.compat.has_torch)
articles = [a for a in read_articles([sys.argv[2]], settings, None, today=dt.date(2030, 1, 1))
            if isinstance(a, Article)]
claims = repr(list(extract_claims(articles, nlp, settings.batch_size, processes=1)))
print(len(claims), hashlib.sha256(claims.encode()).hexdigest())
import torch  # the torch embedding backend can still load it
"""


@pytest.mark.slow
def test_spacy_loads_without_torch_and_reads_the_same_claims():
    """thinc would import torch (180 MB resident) for nothing: `load_nlp` hides it unless it is
    loaded already, and the claims are the same either way."""
    import subprocess
    import sys

    def claims_of_seeds(mode):
        proc = subprocess.run(
            [sys.executable, "-c", CLAIMS_OF_SEEDS, mode, str(SEEDS)],
            capture_output=True,
            text=True,
            check=True,
        )
        return proc.stdout.splitlines()

    hidden, torch_first = claims_of_seeds("hidden"), claims_of_seeds("torch first")
    assert hidden[0] == "False False"
    assert torch_first[0] == "True True"
    assert hidden[1] == torch_first[1]
