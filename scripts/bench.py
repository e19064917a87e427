"""Throughput benchmark: the whole pipeline against the model's raw encode speed, same run.

Usage: python scripts/bench.py [--articles 300] [--reuters ../shared/data/reuters21578]

Runs `dedupe run` (the library call) on N Reuters-21578 articles into a fresh store, then
encodes the same claim texts with the bare model, and prints claims per second for both and
their ratio: how close the full pipeline (parsing, embedding, grouping, checks, reports) comes
to the speed of embedding alone.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from dedupe.evaluate.reuters import read_reuters  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument(
        "--reuters",
        type=Path,
        default=Path(__file__).resolve().parents[1] / "../shared/data/reuters21578",
    )
    args = parser.parse_args()

    from dedupe.events.embed import load_embedder
    from dedupe.pipeline import run
    from dedupe.settings import Settings
    from dedupe.store.database import Store

    work = Path(tempfile.mkdtemp(prefix="dedupe-bench-"))
    inbox = work / "inbox.jsonl"
    with inbox.open("w") as out:
        for n, record in enumerate(read_reuters(args.reuters)):
            if n == args.articles:
                break
            out.write(json.dumps(record) + "\n")

    settings = Settings()
    start = time.perf_counter()
    load_embedder(settings.model)  # model load is timed apart: it is paid once per process
    load_seconds = time.perf_counter() - start
    start = time.perf_counter()
    result = run(
        [str(inbox)],
        settings,
        work / "bench.db",
        work / "out",
        dt.datetime(1987, 12, 31, tzinfo=dt.UTC),
    )
    pipeline_seconds = time.perf_counter() - start
    with Store.open(work / "bench.db") as store:
        texts = sorted({c.text for c in store.load_claims()})

    model = load_embedder(settings.model)
    start = time.perf_counter()
    model.embed(texts, settings.batch_size)
    encode_seconds = time.perf_counter() - start

    claims = result.stats.claims
    pipeline_rate = claims / pipeline_seconds
    encode_rate = len(texts) / encode_seconds
    print(f"articles                 {result.stats.articles_new}")
    print(f"claims                   {claims} ({len(texts)} distinct texts)")
    print(f"model load               {load_seconds:.1f} s (once per process, not counted)")
    print(
        "pipeline stages          "
        + ", ".join(f"{k} {v:.1f} s" for k, v in result.stats.seconds.items())
    )
    print(
        f"pipeline                 {pipeline_seconds:.1f} s = {pipeline_rate:.0f} claims/s, "
        f"{result.stats.articles_new / pipeline_seconds:.1f} articles/s"
    )
    print(f"raw encode (same texts)  {encode_seconds:.1f} s = {encode_rate:.0f} sentences/s")
    print(f"ratio pipeline/encode    {pipeline_rate / encode_rate:.2f}")


if __name__ == "__main__":
    main()
